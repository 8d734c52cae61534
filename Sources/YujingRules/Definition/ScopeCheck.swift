/// What a `scope` rule checks against the ``ScopeOracle``.
public enum ScopeCheck: String, Sendable, Codable, CaseIterable {
    /// A conditional dataset used by a subject with no approval valid at the event's time.
    case approval
    /// Any use by a subject restricted at the event's time.
    case restriction
}
