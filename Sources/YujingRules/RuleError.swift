/// A rule file that does not load or validate: where and why.
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// File name as given to the loader.
    public var file: String
    /// 1-based line (0 when unknown).
    public var line: Int
    /// 1-based column (0 when unknown).
    public var column: Int
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - file: File name.
    ///   - line: 1-based line.
    ///   - column: 1-based column.
    ///   - reason: What is wrong.
    public init(file: String, line: Int, column: Int, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `file:line:column: reason`.
    public var description: String {
        column > 0 ? "\(file):\(line):\(column): \(reason)" : "\(file):\(line): \(reason)"
    }
}
