import YujingCore

/// What `scope` rules ask about the dataset catalogue, approved applications and restrictions.
///
/// Injected into the engine; implementations must be pure lookups (the daemon keeps an in-memory copy of its
/// database tables). Times are event times in epoch milliseconds.
public protocol ScopeOracle: Sendable {
    /// The open category of a dataset, or `nil` when the catalogue does not know it.
    /// - Parameter dataset: Dataset id.
    /// - Returns: The category.
    func openCategory(ofDataset dataset: String) -> OpenCategory?

    /// Whether the subject held an approved application for the dataset valid at the given time.
    /// - Parameters:
    ///   - subject: The subject.
    ///   - dataset: Dataset id.
    ///   - timeMillis: Event time.
    /// - Returns: Whether a valid approval exists.
    func hasValidApproval(subject: Subject, dataset: String, atMillis timeMillis: Int64) -> Bool

    /// Whether the subject was restricted or shut off at the given time (Art. 26).
    /// - Parameters:
    ///   - subject: The subject.
    ///   - timeMillis: Event time.
    /// - Returns: Whether a restriction was in force.
    func isRestricted(subject: Subject, atMillis timeMillis: Int64) -> Bool
}
