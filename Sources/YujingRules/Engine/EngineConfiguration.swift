/// Limits and tolerances of a ``CorrelationEngine``.
public struct EngineConfiguration: Sendable, Hashable, Codable {
    /// How far behind the latest event time an event may be and still count (the watermark is the maximum event
    /// time minus this).
    public var allowedLatenessMillis: Int64
    /// Most keys one rule keeps; beyond it the oldest tenth is dropped and counted in `droppedStateCount`.
    public var maxKeysPerRule: Int
    /// Most timestamps one key keeps in a window, and most distinct values one key tracks.
    public var maxEntriesPerKey: Int
    /// How long `absence` and `baseline` keep a key that has gone quiet, in milliseconds.
    public var idleRetentionMillis: Int64
    /// Most keys all rules together keep; beyond it the rules holding most keys drop their oldest tenth.
    public var maxTotalKeys: Int

    /// Creates a configuration.
    /// - Parameters:
    ///   - allowedLatenessMillis: Allowed lateness (default 5 minutes).
    ///   - maxKeysPerRule: Key cap per rule (default 100,000).
    ///   - maxEntriesPerKey: Entry cap per key (default 100,000).
    ///   - idleRetentionMillis: Idle retention for absence/baseline keys (default 7 days).
    ///   - maxTotalKeys: Key cap across all rules (default 1,000,000).
    public init(
        allowedLatenessMillis: Int64 = 300_000, maxKeysPerRule: Int = 100_000, maxEntriesPerKey: Int = 100_000,
        idleRetentionMillis: Int64 = 7 * 86_400_000, maxTotalKeys: Int = 1_000_000
    ) {
        self.allowedLatenessMillis = allowedLatenessMillis
        self.maxKeysPerRule = maxKeysPerRule
        self.maxEntriesPerKey = maxEntriesPerKey
        self.idleRetentionMillis = idleRetentionMillis
        self.maxTotalKeys = maxTotalKeys
    }
}
