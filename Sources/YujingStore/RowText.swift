import GRDBSQLite

/// The text columns of one row, copied into one reused buffer and bound with `SQLITE_STATIC`.
///
/// Bound with `SQLITE_TRANSIENT`, SQLite copies each text into a fresh allocation, freed again when the parameter
/// is rebound or cleared: a `malloc`, a copy and a `free` per text column per row on the writer thread (and SQLite's
/// memory-statistics mutex around each). Here the row's texts go into a buffer that lives as long as the batch, and
/// SQLite reads them from there during the step. The buffer never moves, so pointers bound for a row stay valid until
/// ``startRow()``; a text that does not fit in what is left of it falls back to SQLite's copy.
struct RowText: ~Copyable {
    private var buffer: UnsafeMutableRawBufferPointer
    private var used = 0

    init(capacity: Int = 16_384) {
        buffer = .allocate(byteCount: max(capacity, 64), alignment: 1)
    }

    deinit { buffer.deallocate() }

    /// Starts a row: the previous row's texts may be overwritten.
    mutating func startRow() {
        used = 0
    }

    /// Copies a text into the buffer and binds it; an empty text stays an empty text, not NULL. A text that does not
    /// fit in what is left of the buffer is bound the ordinary way (copied by SQLite).
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
