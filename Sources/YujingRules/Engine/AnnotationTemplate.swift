import Foundation
import YujingCore

/// `{{name}}` templates in annotations, rendered over masked values only.
enum AnnotationTemplate {
    /// Variables a template may use besides the event field names.
    static let builtins: Set<String> = [
        "count", "value", "window", "rule", "title", "level", "level_name", "colour", "starts_at", "key",
    ]

    static func unknownVariable(in template: String) -> String? {
        for name in variables(in: template) {
            if builtins.contains(name) || EventField.named(name) != nil { continue }
            return name
        }
        return nil
    }

    static func variables(in template: String) -> [String] {
        var result: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            result.append(String(rest[open.upperBound..<close.lowerBound]).trimmingSpaces)
            rest = rest[close.upperBound...]
        }
        return result
    }

    static func render(_ template: String, _ values: [String: String]) -> String {
        var output = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            output += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmingSpaces
            output += values[name] ?? values[EventField.named(name)?.rawValue ?? name] ?? "-"
            rest = rest[close.upperBound...]
        }
        output += rest
        return output
    }
}
