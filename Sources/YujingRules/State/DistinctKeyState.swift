/// Per-key state of a distinct rule: each value with the last time it was seen.
public struct DistinctKeyState: Sendable, Codable, Hashable {
    /// Value → last seen (epoch ms).
    public var values: [String: Int64] = [:]
    /// Highest tier fired in the current episode, -1 for none.
    public var firedTier: Int = -1
    /// Latest event time seen for the key.
    public var lastTime: Int64 = .min
    /// Event time of the last trim.
    public var lastTrim: Int64 = .min

    /// Creates empty state.
    public init() {}
}
