/// Per-key state of an absence rule.
public struct AbsenceKeyState: Sendable, Codable, Hashable {
    /// Latest time the expected event was seen (or the key was first expected).
    public var lastSeen: Int64
    /// Highest tier fired for the current silence, -1 for none.
    public var firedTier: Int = -1

    /// Creates state.
    /// - Parameter lastSeen: Last time seen.
    public init(lastSeen: Int64) {
        self.lastSeen = lastSeen
    }
}
