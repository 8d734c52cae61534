/// One test applied to a field's value.
public enum ConditionTest: Sendable, Hashable, Codable {
    /// Equal to one of the values (numbers compare numerically on numeric fields).
    case equals([String])
    /// Equal to none of the values (true when the field is absent).
    case notEquals([String])
    /// Starts with one of the prefixes.
    case prefix([String])
    /// Ends with one of the suffixes.
    case suffix([String])
    /// Contains one of the substrings.
    case contains([String])
    /// Matches the regular expression (Swift `Regex` syntax; searched, not anchored).
    case regex(String)
    /// An IP address inside one of the CIDR blocks (IPv4 or IPv6).
    case cidr([String])
    /// The field is present (`true`) or absent (`false`).
    case exists(Bool)
    /// Numeric comparison.
    case compare(ComparisonOperator, Double)
}
