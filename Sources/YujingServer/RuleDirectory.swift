import Foundation
import YujingRules

/// Reads `*.yaml` rule files from a directory, in file-name order, and validates them.
public enum RuleDirectory {
    /// Loads and validates every rule file.
    /// - Parameter path: Directory.
    /// - Returns: The rule set.
    /// - Throws: ``ServerError/rules(_:)`` with `file:line:column: reason`.
    public static func load(path: String) throws(ServerError) -> RuleSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw .rules("\(path): cannot read rule directory: \(error.localizedDescription)")
        }
        var files: [(name: String, text: String)] = []
        for name in names {
            let file = (path as NSString).appendingPathComponent(name)
            do {
                files.append((file, try String(contentsOfFile: file, encoding: .utf8)))
            } catch {
                throw .rules("\(file): cannot read: \(error.localizedDescription)")
            }
        }
        do throws(RuleError) {
            return try RuleLoader.load(files: files)
        } catch {
            throw .rules(error.description)
        }
    }
}
