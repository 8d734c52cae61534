/// The latest heartbeat of one agent.
public struct AgentHeartbeat: Sendable, Hashable {
    /// Agent name.
    public var agent: String
    /// Node of the latest heartbeat.
    public var node: String
    /// Time of the latest heartbeat, epoch ms.
    public var lastMillis: Int64
    /// Heartbeats stored for the agent (within retention).
    public var count: Int
    /// Metrics sent with the latest heartbeat (`lag_bytes`, `spool_bytes`, ...), if any.
    public var metrics: [String: Int64]?

    /// Creates a value.
    /// - Parameters:
    ///   - agent: Agent name.
    ///   - node: Node.
    ///   - lastMillis: Latest heartbeat time, epoch ms.
    ///   - count: Heartbeats stored.
    ///   - metrics: Metrics of the latest heartbeat.
    public init(agent: String, node: String, lastMillis: Int64, count: Int, metrics: [String: Int64]? = nil) {
        self.metrics = metrics
        self.agent = agent
        self.node = node
        self.lastMillis = lastMillis
        self.count = count
    }
}
