/// The sliding window a streaming parser works on: unconsumed bytes followed by free space that the next
/// chunk is read into.
///
/// Parsers consume whole tokens or records; what is left at the end of a chunk (a partial record) moves to
/// the front before the next read. The window grows only while a single record needs it, and never past
/// the caller's limit, so memory stays bounded.
final class ChunkWindow {
    private let storage: ByteBuffer
    private var start = 0
    private var end = 0

    init(capacity: Int) {
        storage = ByteBuffer(capacity: capacity)
    }

    /// Unconsumed bytes.
    var available: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage.base + start, count: end - start)
    }

    var count: Int { end - start }

    /// Drops `count` bytes from the front.
    func consume(_ count: Int) {
        start += count
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Free space of at least `minimum` bytes after the unconsumed ones, moving and growing as needed.
    func freeSpace(minimum: Int) -> UnsafeMutableRawBufferPointer {
        if storage.capacity - end < minimum, start > 0 {
            let unconsumed = end - start
            storage.base.copyMemory(from: storage.base + start, byteCount: unconsumed)
            start = 0
            end = unconsumed
        }
        if storage.capacity - end < minimum {
            storage.count = end
            storage.reserve(end + minimum)
        }
        return UnsafeMutableRawBufferPointer(start: storage.base + end, count: storage.capacity - end)
    }

    /// Marks `count` bytes written into the space returned by ``freeSpace(minimum:)`` as available.
    func commit(_ count: Int) {
        end += count
    }

    /// Copies `bytes` after the unconsumed ones.
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        let space = freeSpace(minimum: bytes.count)
        space.baseAddress?.copyMemory(from: source, byteCount: bytes.count)
        commit(bytes.count)
    }
}
