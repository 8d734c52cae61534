/// Lifecycle state of a warning.
public enum WarningState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Raised and not handled.
    case firing
    /// Someone is on it.
    case acknowledged
    /// Closed.
    case resolved
    /// Muted by a silence until it expires.
    case silenced
}
