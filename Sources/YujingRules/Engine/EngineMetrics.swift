/// Counters of a ``CorrelationEngine`` for `/metrics` and replay summaries.
public struct EngineMetrics: Sendable, Hashable, Codable {
    /// Events accepted and evaluated.
    public var eventsProcessed: Int = 0
    /// Events older than the watermark, dropped.
    public var lateEvents: Int = 0
    /// Rule evaluations (events × enabled rules whose filter was checked).
    public var ruleEvaluations: Int = 0
    /// Signals emitted.
    public var signalsEmitted: Int = 0
    /// Keys or entries dropped because a cap was reached.
    public var droppedStateCount: Int = 0
    /// Keys removed because their window passed the watermark.
    public var evictedKeys: Int = 0

    /// Creates zeroed metrics.
    public init() {}
}
