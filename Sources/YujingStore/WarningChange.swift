/// What folding a raised condition did to the warning table.
public struct WarningChange: Sendable, Hashable {
    /// The kind of change.
    public enum Kind: String, Sendable, Hashable {
        /// A new warning.
        case created
        /// Same level again: count and last-seen updated.
        case repeated
        /// The level rose.
        case escalated
        /// A resolved warning fired again.
        case reopened
    }

    /// The kind.
    public var kind: Kind
    /// The warning after the change.
    public var warning: WarningRecord
    /// Whether receivers should be told (not silenced, not inhibited, and new, escalated or reopened).
    public var notify: Bool

    /// Creates a change.
    /// - Parameters:
    ///   - kind: Kind.
    ///   - warning: Warning.
    ///   - notify: Notify flag.
    public init(kind: Kind, warning: WarningRecord, notify: Bool) {
        self.kind = kind
        self.warning = warning
        self.notify = notify
    }
}
