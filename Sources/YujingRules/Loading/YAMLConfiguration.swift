import Yams

/// Decodes Codable configuration values (a parse configuration, a scope catalogue) from YAML or JSON text, for
/// callers that do not link Yams themselves. Pure: the caller reads the file.
public enum YAMLConfiguration {
    /// Decodes a value.
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - text: YAML (or JSON, which is YAML) text.
    ///   - file: File name for errors.
    /// - Returns: The value.
    /// - Throws: ``RuleError`` naming the file, and the line when the YAML parser knows it.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String, file: String) throws(RuleError) -> T {
        do {
            return try YAMLDecoder().decode(type, from: text)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, let underlying = context.underlyingError as? YamlError {
                throw Self.syntaxError(underlying, file: file)
            }
            throw RuleError(file: file, line: 0, column: 0, reason: Self.describe(error))
        } catch {
            throw RuleError(file: file, line: 0, column: 0, reason: "\(error)")
        }
    }

    static func syntaxError(_ error: YamlError, file: String) -> RuleError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return RuleError(file: file, line: mark.line, column: mark.column, reason: "YAML syntax: \(problem)")
        default:
            return RuleError(file: file, line: 0, column: 0, reason: "YAML: \(error)")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "invalid value at '\(path(context))': \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at '\(path(context))'"
        @unknown default:
            return "invalid document"
        }
    }
}
