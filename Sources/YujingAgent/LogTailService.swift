import Logging
import ServiceLifecycle

/// Tails every access-log source and hands batches to the ``Shipper``; stops reading while the spool is full.
public struct LogTailService: Service {
    let configuration: AgentConfiguration
    let shipper: Shipper
    let metrics: AgentMetrics
    let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - configuration: Agent configuration (its `access_logs`).
    ///   - shipper: Where batches go.
    ///   - metrics: Shared metrics.
    ///   - logger: Logger.
    public init(configuration: AgentConfiguration, shipper: Shipper, metrics: AgentMetrics, logger: Logger) {
        self.configuration = configuration
        self.shipper = shipper
        self.metrics = metrics
        self.logger = logger
    }

    /// Polls until graceful shutdown; every batch read before it is spooled.
    /// - Throws: ``AgentError`` when the spool cannot be written.
    /// Log bytes read per poll: what is read is encoded and handed to the shipper before the next read, so this bounds
    /// the agent's working set (a busy file is polled again at once).
    static let pollByteBudget = 1 << 20

    public func run() async throws {
        let resume = await shipper.resumePositions()
        let tailer = try LogTailer(
            sources: configuration.accessLogs, agentName: configuration.name, nodeName: configuration.node,
            maxLineBytes: configuration.maxLineBytes, maxEvents: configuration.batchMaxEvents,
            resume: Array(resume.values), firstRun: shipper.isFirstRun, metrics: metrics, logger: logger)
        let interval = Duration.milliseconds(min(configuration.pollMillis, configuration.batchMaxWaitMillis))
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let result = try tailer.poll(byteBudget: Self.pollByteBudget)
            if !result.starts.isEmpty { await shipper.commit(result.starts) }
            for output in result.outputs {
                switch output {
                case .batch(let id, let body, let count, let position):
                    do {
                        try await shipper.enqueue(batchID: id, body: body, position: position, events: count)
                    } catch is CancellationError {
                        // Shutdown while the spool is full: these lines stay unacknowledged and are read again.
                        return
                    }
                case .mark(let position):
                    await shipper.mark(position)
                }
            }
            if !result.more { try? await Task.sleep(for: interval) }
        }
    }
}
