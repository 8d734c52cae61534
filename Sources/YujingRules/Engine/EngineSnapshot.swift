/// The engine's complete state, Codable so the daemon can persist it and restore it after a restart.
public struct EngineSnapshot: Sendable, Codable, Hashable {
    /// One rule's state, tied to the rule's definition hash.
    public struct Rule: Sendable, Codable, Hashable {
        /// Rule id.
        public var id: String
        /// Hash of the rule's evaluated fields; state is restored only into an identical rule.
        public var definitionHash: String
        /// The state.
        public var state: RuleState
    }

    /// Snapshot format version.
    public var version: Int
    /// Latest event time seen, epoch ms.
    public var maxEventTimeMillis: Int64?
    /// Watermark, epoch ms.
    public var watermarkMillis: Int64?
    /// Counters.
    public var metrics: EngineMetrics
    /// Rule states.
    public var rules: [Rule]
}
