import Yams

/// Reads typed values out of a composed YAML tree, failing with the file, line and reason.
struct ConfigReader {
    let file: String

    func fail(_ node: Node?, _ reason: String) -> AgentError {
        .configuration(file: file, line: node?.mark?.line ?? 0, reason: reason)
    }

    /// The entries of a mapping, rejecting keys outside `allowed`.
    func mapping(_ node: Node, _ what: String, allowed: Set<String>) throws(AgentError) -> [String: Node] {
        guard case .mapping(let mapping) = node else { throw fail(node, "\(what) must be a mapping") }
        var out: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw fail(key, "\(what): keys must be strings") }
            guard allowed.contains(name) else {
                throw fail(key, "\(what): unknown key '\(name)' (expected one of \(allowed.sorted().joined(separator: ", ")))")
            }
            guard out[name] == nil else { throw fail(key, "\(what): duplicate key '\(name)'") }
            out[name] = value
        }
        return out
    }

    func string(_ node: Node, _ key: String) throws(AgentError) -> String {
        guard case .scalar(let scalar) = node else { throw fail(node, "'\(key)' must be a string") }
        guard !scalar.string.isEmpty else { throw fail(node, "'\(key)' must not be empty") }
        return scalar.string
    }

    func int(_ node: Node, _ key: String, range: ClosedRange<Int>) throws(AgentError) -> Int {
        guard case .scalar = node, let value = node.int else { throw fail(node, "'\(key)' must be an integer") }
        guard range.contains(value) else {
            throw fail(node, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    func double(_ node: Node, _ key: String, range: ClosedRange<Double>) throws(AgentError) -> Double {
        guard case .scalar = node, let value = node.float else { throw fail(node, "'\(key)' must be a number") }
        guard range.contains(value) else {
            throw fail(node, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    func sequence(_ node: Node, _ key: String) throws(AgentError) -> [Node] {
        guard case .sequence(let sequence) = node else { throw fail(node, "'\(key)' must be a list") }
        return Array(sequence)
    }

    func strings(_ node: Node, _ key: String) throws(AgentError) -> [String] {
        if case .scalar = node { return [try string(node, key)] }
        var out: [String] = []
        for item in try sequence(node, key) { out.append(try string(item, key)) }
        guard !out.isEmpty else { throw fail(node, "'\(key)' must not be empty") }
        return out
    }
}
