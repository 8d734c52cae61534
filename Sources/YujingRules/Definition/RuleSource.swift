/// Where a rule was defined, for messages.
public struct RuleSource: Sendable, Hashable, Codable, CustomStringConvertible {
    /// File name as given to the loader.
    public var file: String
    /// 1-based line of the rule's mapping.
    public var line: Int

    /// Creates a source location.
    /// - Parameters:
    ///   - file: File name.
    ///   - line: 1-based line.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// `file:line`.
    public var description: String { "\(file):\(line)" }
}
