/// A periodic "still alive" report from an agent.
public struct HeartbeatEvent: Sendable, Hashable, Codable {
    /// Event time in epoch milliseconds.
    public var timeMillis: Int64
    /// The agent's name.
    public var agent: String
    /// The node the agent runs on.
    public var node: String
    /// The agent's counters and gauges at that time (`lag_bytes`, `spool_bytes`, `spool_batches`, `backpressure`,
    /// ...), when it sent them.
    public var metrics: [String: Int64]?
    /// The drill this heartbeat belongs to, when injected by a drill.
    public var drillID: String?

    /// Creates a heartbeat.
    /// - Parameters:
    ///   - timeMillis: Event time in epoch milliseconds.
    ///   - agent: Agent name.
    ///   - node: Node name.
    ///   - drillID: The drill this heartbeat belongs to.
    ///   - metrics: The agent's metrics.
    public init(
        timeMillis: Int64, agent: String, node: String = "", drillID: String? = nil, metrics: [String: Int64]? = nil
    ) {
        self.drillID = drillID
        self.timeMillis = timeMillis
        self.agent = agent
        self.node = node
        self.metrics = metrics
    }
}
