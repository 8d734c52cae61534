/// Per-key state of a sliding-window rule: sorted event times (and running sums) from `head` on.
public struct WindowKeyState: Sendable, Codable, Hashable {
    /// Event times, ascending; entries before `head` are expired.
    public var times: [Int64] = []
    /// Running sums of the measured field aligned with `times` (empty for counting rules).
    public var cumulative: [Double] = []
    /// Running sum before index 0 (after compaction).
    public var cumulativeBase: Double = 0
    /// First live index.
    public var head: Int = 0
    /// Highest tier fired in the current episode, -1 for none.
    public var firedTier: Int = -1
    /// Largest field value seen in the current episode (match rules with a value field).
    public var episodeMax: Double = 0
    /// Latest event time seen for the key.
    public var lastTime: Int64 = .min

    /// Creates empty state.
    public init() {}
}
