/// What a ``DatasetReader`` did: the format and encoding it used, and the non-fatal problems it met.
public struct ReadReport: Sendable, Equatable {
    /// The format that was read.
    public var format: DatasetFormat
    /// The text encoding of the file (UTF-8 for XLSX).
    public var encoding: TextEncoding
    /// Bytes of the file consumed.
    public var bytesRead: Int64
    /// Non-fatal problems, in file order (for example malformed JSON Lines lines), at most
    /// ``ReaderLimits/maxWarnings``.
    public var warnings: [FormatWarning]
    /// Warnings dropped after ``ReaderLimits/maxWarnings`` was reached.
    public var droppedWarnings: Int
    /// Invalid byte sequences replaced by U+FFFD while transcoding to UTF-8.
    public var replacedSequences: Int

    /// Creates a report.
    /// - Parameters:
    ///   - format: Format read.
    ///   - encoding: Encoding of the file.
    public init(format: DatasetFormat, encoding: TextEncoding) {
        self.format = format
        self.encoding = encoding
        self.bytesRead = 0
        self.warnings = []
        self.droppedWarnings = 0
        self.replacedSequences = 0
    }
}

extension ReadReport {
    /// Records a warning, or only counts it once `limit` warnings are kept.
    mutating func warn(_ warning: FormatWarning, limit: Int) {
        if warnings.count < limit {
            warnings.append(warning)
        } else {
            droppedWarnings += 1
        }
    }
}
