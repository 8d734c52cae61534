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

    /// Creates a value.
    /// - Parameters:
    ///   - agent: Agent name.
    ///   - node: Node.
    ///   - lastMillis: Latest heartbeat time, epoch ms.
    ///   - count: Heartbeats stored.
    public init(agent: String, node: String, lastMillis: Int64, count: Int) {
        self.agent = agent
        self.node = node
        self.lastMillis = lastMillis
        self.count = count
    }
}
