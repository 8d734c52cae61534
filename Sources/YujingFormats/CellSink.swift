/// Where a value sits in the file a reader is reading.
public struct CellPosition: Sendable, Equatable {
    /// Field id declared with ``CellSink/defineField(_:name:)``: a column index for tables, an interned
    /// document path for JSON/XML; -1 when the value has no field (plain text).
    public var field: Int
    /// 1-based line on which the value starts; 0 when the format has no lines (XLSX).
    public var line: Int
    /// 1-based record number: data row after the header (CSV/XLSX), line (JSON Lines, text), top-level
    /// array item (JSON), or 1 for a single document.
    public var record: Int
    /// 1-based worksheet row (XLSX only), 0 otherwise.
    public var row: Int
    /// True when the value was a number token (JSON number, XLSX numeric cell) rather than text.
    public var isNumeric: Bool

    /// Creates a position.
    /// - Parameters:
    ///   - field: Field id, or -1.
    ///   - line: 1-based start line, or 0.
    ///   - record: 1-based record number.
    ///   - row: 1-based XLSX row, or 0.
    ///   - isNumeric: Whether the value was a number token.
    public init(field: Int, line: Int, record: Int, row: Int = 0, isNumeric: Bool = false) {
        self.field = field
        self.line = line
        self.record = record
        self.row = row
        self.isNumeric = isNumeric
    }
}

/// Receives, in file order, the values that a ``DatasetReader`` extracts from a file.
///
/// Values are always UTF-8 (readers transcode GBK/GB18030/UTF-16 first). The buffer passed to
/// ``cell(_:at:)`` is only valid during the call.
public protocol CellSink {
    /// A table starts: a CSV/TSV file, an XLSX worksheet (`sheet` is its name), a JSON/XML document.
    mutating func beginTable(sheet: String?)
    /// Names a field id: a column header, or a normalised document path such as `$.data[*].sfzh`.
    mutating func defineField(_ id: Int, name: String)
    /// One value.
    mutating func cell(_ value: UnsafeRawBufferPointer, at position: CellPosition)
    /// The current table ends.
    mutating func endTable()
    /// The reader has consumed this many bytes of the file so far (for progress bars).
    mutating func progress(bytesConsumed: Int64)
    /// When true, a reader that counts a value's bytes as it passes over them (the CSV reader does) skips
    /// the values that cannot hold an identifier (``DetectionSession/canHoldIdentifier(_:)``).
    var screensForIdentifiers: Bool { get }
}

extension CellSink {
    /// Default: progress is ignored.
    public mutating func progress(bytesConsumed: Int64) {}
    /// Default: every value is passed.
    public var screensForIdentifiers: Bool { false }
}
