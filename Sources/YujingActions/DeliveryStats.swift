/// Counters of one receiver's deliveries.
public struct DeliveryStats: Sendable, Hashable {
    /// Notifications delivered.
    public var delivered = 0
    /// Notifications dropped because the queue was full.
    public var droppedQueueFull = 0
    /// Notifications given up after all retries.
    public var failed = 0
    /// Retries made.
    public var retries = 0

    /// Creates empty counters.
    public init() {}
}
