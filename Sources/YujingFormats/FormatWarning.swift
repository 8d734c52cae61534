/// A non-fatal problem met while reading; the reader skipped the bad part and went on.
///
/// Like ``FormatError`` it says what and where, never the bytes.
public struct FormatWarning: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the problem, or 0 when the format has no lines.
    public var line: Int
    /// Fixed text describing the problem.
    public var reason: String

    /// Creates a warning.
    /// - Parameters:
    ///   - line: 1-based line, or 0.
    ///   - reason: Fixed text describing the problem.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// `line N: reason`.
    public var description: String {
        line > 0 ? "line \(line): \(reason)" : reason
    }
}
