/// A validated set of rules with unique ids, ready for a ``CorrelationEngine``.
public struct RuleSet: Sendable, Hashable, Codable {
    /// The rules in load order.
    public var rules: [RuleDefinition]

    /// Creates a rule set.
    /// - Parameter rules: Rules with unique ids.
    /// - Throws: ``RuleError`` when two rules share an id.
    public init(rules: [RuleDefinition]) throws(RuleError) {
        var seen: [String: RuleDefinition] = [:]
        for rule in rules {
            if let earlier = seen[rule.id] {
                throw RuleError(
                    file: rule.source?.file ?? "", line: rule.source?.line ?? 0, column: 0,
                    reason: "duplicate rule id '\(rule.id)' (first defined at \(earlier.source?.description ?? "?"))")
            }
            seen[rule.id] = rule
        }
        self.rules = rules
    }

    /// Rules whose `enabled` flag is set.
    public var enabledRules: [RuleDefinition] { rules.filter(\.enabled) }

    /// The rule with the given id.
    /// - Parameter id: Rule id.
    /// - Returns: The rule, if any.
    public func rule(id: String) -> RuleDefinition? { rules.first { $0.id == id } }
}
