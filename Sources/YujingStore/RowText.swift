import GRDBSQLite

/// The text columns of one row, copied into one reused buffer and bound with `SQLITE_STATIC`.
///
/// Bound with `SQLITE_TRANSIENT`, SQLite copies each text into a fresh allocation, freed again when the parameter
/// is rebound or cleared: a `malloc`, a copy and a `free` per text column per row on the writer thread (and SQLite's
/// memory-statistics mutex around each). Here the row's texts go into a buffer that lives as long as the batch, and
/// SQLite reads them from there during the step. Call ``reserve(_:)`` with the row's total before binding: the
/// buffer only grows there, so pointers bound for the row stay valid until the next row (and a text beyond what was
/// reserved falls back to SQLite's copy).
struct RowText: ~Copyable {
    private var buffer: UnsafeMutableRawBufferPointer
    private var used = 0

    init(capacity: Int = 4096) {
        buffer = .allocate(byteCount: max(capacity, 64), alignment: 1)
    }

    deinit { buffer.deallocate() }

    /// Starts a row whose texts total `bytes` UTF-8 bytes.
    mutating func reserve(_ bytes: Int) {
        used = 0
        guard bytes > buffer.count else { return }
        buffer.deallocate()
        buffer = .allocate(byteCount: max(bytes, buffer.count * 2), alignment: 1)
    }

    /// Copies a text into the buffer and binds it; an empty text stays an empty text, not NULL. A text that does not
    /// fit in what was reserved is bound the ordinary way (copied by SQLite).
    mutating func bind(_ text: String, _ statement: OpaquePointer, _ index: CInt) throws(StoreError) {
        var text = text
        let start = used
        let count = text.withUTF8 { bytes -> Int in
            guard start + bytes.count <= buffer.count else { return -1 }
            if let base = bytes.baseAddress, !bytes.isEmpty {
                (buffer.baseAddress! + start).copyMemory(from: base, byteCount: bytes.count)
            }
            return bytes.count
        }
        guard count >= 0 else { return try YujingDatabase.bindText(text, statement, index) }
        used += count
        let pointer = (buffer.baseAddress! + start).assumingMemoryBound(to: CChar.self)
        try YujingDatabase.check(sqlite3_bind_text(statement, index, pointer, CInt(count), nil))
    }
}
