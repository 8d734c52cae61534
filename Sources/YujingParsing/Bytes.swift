import Foundation

/// Small byte helpers shared by the parsers.
enum Bytes {
    /// Index of the first `byte` in `b[from..<end]` (memchr), or `end`.
    @inline(__always)
    static func find(_ b: UnsafeBufferPointer<UInt8>, _ byte: UInt8, _ from: Int, _ end: Int) -> Int {
        guard from < end, let base = b.baseAddress, let found = memchr(base + from, Int32(byte), end - from) else {
            return end
        }
        return UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
    }

    /// The bytes as a String (invalid UTF-8 repaired).
    @inline(__always)
    static func string(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
    }

    /// The bytes percent-decoded (and `+` as space) when they hold `%` or `+`, else as they are.
    static func decodedString(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        var needs = false
        for i in start..<end where b[i] == 0x25 || b[i] == 0x2B {
            needs = true
            break
        }
        guard needs else { return string(b, start, end) }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        while i < end {
            let c = b[i]
            if c == 0x25, i + 2 < end, let hi = hex(b[i + 1]), let lo = hex(b[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(c == 0x2B ? 0x20 : c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    /// Parses unsigned decimal digits; `-` or empty reads as 0; `nil` when anything else appears.
    @inline(__always)
    static func unsigned(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        if end - start == 1, b[start] == 0x2D { return 0 }
        guard end > start, end - start <= 18 else { return end == start ? 0 : nil }
        var value: Int64 = 0
        for i in start..<end {
            let d = b[i] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + Int64(d)
        }
        return value
    }

    /// Whether `b[start..<end]` equals `name`'s UTF-8.
    @inline(__always)
    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ name: [UInt8]) -> Bool {
        guard end - start == name.count else { return false }
        var k = 0
        while k < name.count {
            guard b[start + k] == name[k] else { return false }
            k += 1
        }
        return true
    }
}
