/// Why a log line did not parse. It never carries the line's content, only positions and field names.
public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line is empty or blank.
    case emptyLine
    /// A field of a combined-format line is missing or malformed; `offset` is the byte offset where it failed.
    case malformed(field: String, offset: Int)
    /// The time field could not be read.
    case badTime(field: String)
    /// The line is not a JSON object.
    case notJSONObject
    /// A required JSON field is missing or has the wrong type.
    case missingField(String)

    /// A one-line description without line content.
    public var description: String {
        switch self {
        case .emptyLine: "empty line"
        case .malformed(let field, let offset): "malformed \(field) at byte \(offset)"
        case .badTime(let field): "unreadable time in \(field)"
        case .notJSONObject: "not a JSON object"
        case .missingField(let field): "missing or mistyped field \(field)"
        }
    }
}
