/// Numeric comparisons in conditions.
public enum ComparisonOperator: String, Sendable, Codable, CaseIterable {
    /// Greater than.
    case gt
    /// Greater than or equal.
    case gte
    /// Less than.
    case lt
    /// Less than or equal.
    case lte

    /// Applies the comparison `lhs OP rhs`.
    /// - Parameters:
    ///   - lhs: Field value.
    ///   - rhs: Rule constant.
    /// - Returns: Whether it holds.
    @inlinable
    public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
        switch self {
        case .gt: lhs > rhs
        case .gte: lhs >= rhs
        case .lt: lhs < rhs
        case .lte: lhs <= rhs
        }
    }
}
