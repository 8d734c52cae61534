/// The result of checking the audit chain.
public struct AuditVerification: Sendable, Hashable, CustomStringConvertible {
    /// Rows checked.
    public var rows: Int
    /// The first problem found, naming the row; `nil` when the chain is intact.
    public var problem: String?
    /// The row id the problem is at, when there is one.
    public var problemRow: Int64?

    /// Creates a result.
    /// - Parameters:
    ///   - rows: Rows checked.
    ///   - problem: First problem.
    ///   - problemRow: Row of the problem.
    public init(rows: Int, problem: String? = nil, problemRow: Int64? = nil) {
        self.rows = rows
        self.problem = problem
        self.problemRow = problemRow
    }

    /// Whether the chain is intact.
    public var isIntact: Bool { problem == nil }

    /// One line for people.
    public var description: String {
        if let problem { return "audit chain BROKEN after checking \(rows) rows: \(problem)" }
        return "audit chain intact: \(rows) rows"
    }
}
