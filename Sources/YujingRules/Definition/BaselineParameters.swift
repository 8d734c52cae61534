/// Parameters of a `baseline` rule: per-bucket counts against an exponentially weighted history.
public struct BaselineParameters: Sendable, Hashable, Codable {
    /// Bucket length in milliseconds.
    public var bucketMillis: Int64
    /// EWMA smoothing factor in (0, 1]; higher forgets faster.
    public var alpha: Double
    /// Standard deviations above the mean needed to fire.
    public var sigmas: Double
    /// Completed buckets needed before the rule may fire.
    public var warmupBuckets: Int
    /// Minimum bucket count needed to fire, whatever the history.
    public var minimum: Double

    /// Creates baseline parameters.
    /// - Parameters:
    ///   - bucketMillis: Bucket length.
    ///   - alpha: EWMA factor.
    ///   - sigmas: Standard deviations.
    ///   - warmupBuckets: Warm-up buckets.
    ///   - minimum: Minimum count.
    public init(
        bucketMillis: Int64, alpha: Double = 0.1, sigmas: Double = 4, warmupBuckets: Int = 24, minimum: Double = 50
    ) {
        self.bucketMillis = bucketMillis
        self.alpha = alpha
        self.sigmas = sigmas
        self.warmupBuckets = warmupBuckets
        self.minimum = minimum
    }
}
