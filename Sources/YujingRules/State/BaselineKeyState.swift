/// Per-key state of a baseline rule: the open bucket and the EWMA of closed buckets.
public struct BaselineKeyState: Sendable, Codable, Hashable {
    /// Start of the open bucket (epoch ms).
    public var bucketStart: Int64
    /// Events in the open bucket.
    public var bucketCount: Double = 0
    /// EWMA mean of closed buckets.
    public var mean: Double = 0
    /// EWMA variance of closed buckets.
    public var variance: Double = 0
    /// Closed buckets folded into the EWMA.
    public var folded: Int = 0
    /// Highest tier fired in the open bucket, -1 for none.
    public var firedTier: Int = -1
    /// Latest event time seen for the key.
    public var lastTime: Int64 = .min

    /// Creates state for a bucket.
    /// - Parameter bucketStart: Bucket start.
    public init(bucketStart: Int64) {
        self.bucketStart = bucketStart
    }
}
