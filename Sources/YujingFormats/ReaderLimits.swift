/// Resource limits that keep every reader's memory and work bounded, whatever the input.
public struct ReaderLimits: Sendable, Equatable {
    /// Longest CSV/TSV record, JSON Lines line, JSON string or XML token/text run, in bytes (default 16 MiB).
    /// A longer one is a per-file ``FormatError/recordTooLong(line:limit:)``.
    public var maxRecordBytes: Int
    /// Longest plain-text line passed as one cell (default 1 MiB); longer lines are passed in pieces.
    public var maxLineBytes: Int
    /// Deepest JSON/XML nesting accepted (default 128).
    public var maxDepth: Int
    /// Total bytes an XLSX reader may decompress from one workbook (default 2 GiB).
    public var maxDecompressedBytes: Int64
    /// Highest accepted ratio of uncompressed to compressed size for an XLSX entry (default 200).
    public var maxCompressionRatio: Int
    /// Largest XLSX shared-strings table kept in memory, in bytes including bookkeeping (default 256 MiB).
    public var maxSharedStringsBytes: Int
    /// Most non-fatal warnings kept in a ``ReadReport`` (default 1000); further ones are only counted.
    public var maxWarnings: Int

    /// Creates limits; every parameter has a safe default.
    /// - Parameters:
    ///   - maxRecordBytes: Longest record or token in bytes.
    ///   - maxLineBytes: Longest plain-text line passed as one cell.
    ///   - maxDepth: Deepest JSON/XML nesting.
    ///   - maxDecompressedBytes: Total XLSX decompression budget.
    ///   - maxCompressionRatio: Highest XLSX entry compression ratio.
    ///   - maxSharedStringsBytes: Largest XLSX shared-strings table.
    ///   - maxWarnings: Most warnings kept in the report.
    public init(
        maxRecordBytes: Int = 16 << 20,
        maxLineBytes: Int = 1 << 20,
        maxDepth: Int = 128,
        maxDecompressedBytes: Int64 = 2 << 30,
        maxCompressionRatio: Int = 200,
        maxSharedStringsBytes: Int = 256 << 20,
        maxWarnings: Int = 1000
    ) {
        self.maxRecordBytes = max(maxRecordBytes, 64)
        self.maxLineBytes = max(maxLineBytes, 16)
        self.maxDepth = max(maxDepth, 1)
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxCompressionRatio = max(maxCompressionRatio, 1)
        self.maxSharedStringsBytes = maxSharedStringsBytes
        self.maxWarnings = max(maxWarnings, 0)
    }
}
