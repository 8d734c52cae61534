import Foundation

/// An IPv4 or IPv6 network in CIDR notation, matched against address text without Foundation.
public struct CIDRBlock: Sendable, Hashable {
    let bytes: [UInt8]
    let prefix: Int

    /// Parses `a.b.c.d/n`, an IPv6 block, or a single address.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let address = IPAddressText.parse(Substring(first)) else { return nil }
        let maxPrefix = address.count * 8
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...maxPrefix).contains(prefix) else { return nil }
            self.prefix = prefix
        } else {
            prefix = maxPrefix
        }
        bytes = address
    }

    /// Whether an address (text) is inside the block.
    public func contains(address text: String) -> Bool {
        guard let address = IPAddressText.parse(Substring(text)) else { return false }
        return contains(address)
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var remaining = prefix
        var index = 0
        while remaining >= 8 {
            guard address[index] == bytes[index] else { return false }
            remaining -= 8
            index += 1
        }
        guard remaining > 0 else { return true }
        let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - remaining))
        return address[index] & mask == bytes[index] & mask
    }
}

/// Parses IPv4 (`a.b.c.d`) and IPv6 (with `::` and an optional trailing IPv4) addresses into bytes.
enum IPAddressText {
    static func parse(_ text: Substring) -> [UInt8]? {
        if text.contains(":") { return parseIPv6(text) }
        return parseIPv4(text)
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(4)
        var value = 0
        var digits = 0
        for byte in text.utf8 {
            if byte == 0x2E {
                guard digits > 0, result.count < 3 else { return nil }
                result.append(UInt8(value))
                value = 0
                digits = 0
            } else {
                let d = Int(byte) - 0x30
                guard d >= 0, d < 10, digits < 3 else { return nil }
                value = value * 10 + d
                guard value <= 255 else { return nil }
                digits += 1
            }
        }
        guard digits > 0, result.count == 3 else { return nil }
        result.append(UInt8(value))
        return result
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        var address = text
        if let percent = address.firstIndex(of: "%") { address = address[..<percent] }
        let halves = address.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var out: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    out += v4
                } else {
                    guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                    out.append(UInt8(value >> 8))
                    out.append(UInt8(value & 0xFF))
                }
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 16 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
