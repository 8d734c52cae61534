/// Per-key state of a sequence rule.
public struct SequenceKeyState: Sendable, Codable, Hashable {
    /// Latest time of a first-step event, `Int64.min` for none.
    public var firstTime: Int64 = .min
    /// Latest time of a second-step event, `Int64.min` for none.
    public var thenTime: Int64 = .min
    /// First-step time of the episode that fired, `Int64.min` for none.
    public var firedFor: Int64 = .min
    /// Highest tier fired in the episode, -1 for none.
    public var firedTier: Int = -1
    /// Second-step events matched in the episode.
    public var count: Int = 0
    /// Latest event time seen for the key.
    public var lastTime: Int64 = .min

    /// Creates empty state.
    public init() {}
}
