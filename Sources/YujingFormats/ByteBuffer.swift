/// A growable byte buffer in manually managed memory, so that readers can hand out stable
/// `UnsafeRawBufferPointer`s without per-byte Array appends.
///
/// Not `Sendable`: each instance is owned by one reader for the duration of one read.
final class ByteBuffer {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Bytes in use, from `base`.
    var count: Int = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes in use. Valid until the next call that may grow the buffer.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }

    /// Makes room for at least `total` bytes, keeping the bytes in use.
    func reserve(_ total: Int) {
        guard total > capacity else { return }
        var newCapacity = capacity
        while newCapacity < total { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(count + bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    func append(_ byte: UInt8) {
        if count == capacity { reserve(count + 1) }
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    /// Appends the UTF-8 encoding of `scalar`.
    func appendScalar(_ scalar: UInt32) {
        let value = scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) ? 0xFFFD : scalar
        switch value {
        case 0..<0x80:
            append(UInt8(value))
        case 0x80..<0x800:
            append(UInt8(0xC0 | (value >> 6)))
            append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            append(UInt8(0xE0 | (value >> 12)))
            append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            append(UInt8(0x80 | (value & 0x3F)))
        default:
            append(UInt8(0xF0 | (value >> 18)))
            append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            append(UInt8(0x80 | (value & 0x3F)))
        }
    }

    func removeAll() {
        count = 0
    }

    /// Shrinks back to `capacity` bytes when a large value made the buffer grow beyond it.
    func shrink(to target: Int) {
        guard capacity > max(target, 16) * 2 else { return }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: max(target, 16), alignment: 16)
        base.deallocate()
        base = newBase
        capacity = max(target, 16)
        count = 0
    }
}
