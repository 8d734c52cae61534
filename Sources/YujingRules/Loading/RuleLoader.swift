import Yams
import YujingCore

/// Reads rule definitions from YAML text. Pure: the caller reads the files and passes text plus a file name.
///
/// A file holds a list of rules, or a mapping with a `rules:` list. Every error names the file, line and reason.
public enum RuleLoader {
    /// Loads and validates the rules of one file.
    /// - Parameters:
    ///   - yaml: The file's text.
    ///   - file: The file name used in errors and ``RuleSource``.
    /// - Returns: The rules, in file order.
    /// - Throws: ``RuleError`` for YAML syntax errors and invalid rules.
    public static func load(yaml: String, file: String) throws(RuleError) -> [RuleDefinition] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw RuleError(file: file, line: 0, column: 0, reason: "unreadable YAML")
        }
        guard let root else { return [] }
        let list: Node
        switch root {
        case .sequence: list = root
        case .mapping(let mapping):
            for key in mapping.keys where key.string != "rules" {
                throw RuleError(file: file, mark: key.mark, reason: "unknown top-level key '\(key.string ?? "?")'")
            }
            guard let rules = root["rules"] else { return [] }
            list = rules
        case .scalar, .alias:
            throw RuleError(file: file, mark: root.mark, reason: "expected a list of rules or a 'rules:' mapping")
        }
        guard case .sequence(let sequence) = list else {
            throw RuleError(file: file, mark: list.mark, reason: "'rules' must be a list")
        }
        var rules: [RuleDefinition] = []
        for node in sequence {
            rules.append(try RuleParser(file: file).rule(node))
        }
        _ = try RuleSet(rules: rules)
        return rules
    }

    /// Loads several files into one validated set (ids unique across files).
    /// - Parameter files: `(name, text)` pairs, e.g. every `Alerts/*.yaml` sorted by name.
    /// - Returns: The rule set.
    /// - Throws: ``RuleError`` for the first invalid file or duplicate id.
    public static func load(files: [(name: String, text: String)]) throws(RuleError) -> RuleSet {
        var rules: [RuleDefinition] = []
        for file in files {
            rules += try load(yaml: file.text, file: file.name)
        }
        return try RuleSet(rules: rules)
    }

    private static func syntaxError(_ error: YamlError, file: String) -> RuleError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return RuleError(file: file, line: mark.line, column: mark.column, reason: "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, _):
            return RuleError(
                file: file, line: 0, column: 0,
                reason: "YAML: duplicated keys \(duplicates.joined(separator: ", "))")
        default:
            return RuleError(file: file, line: 0, column: 0, reason: "YAML: \(error)")
        }
    }
}

extension RuleError {
    init(file: String, mark: Mark?, reason: String) {
        self.init(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, reason: reason)
    }
}
