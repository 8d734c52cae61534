import Foundation
import Logging
import ServiceLifecycle

/// Sends a heartbeat event every `heartbeat_seconds` (so the center's absence rule can warn on a silent
/// agent), carrying the agent's metrics, and logs the metrics. Heartbeats are not spooled.
public struct HeartbeatService: Service {
    let configuration: AgentConfiguration
    let shipper: Shipper
    let metrics: AgentMetrics
    let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - configuration: Agent configuration.
    ///   - shipper: Holds the HTTP client.
    ///   - metrics: Metrics to report.
    ///   - logger: Logger.
    public init(configuration: AgentConfiguration, shipper: Shipper, metrics: AgentMetrics, logger: Logger) {
        self.configuration = configuration
        self.shipper = shipper
        self.metrics = metrics
        self.logger = logger
    }

    /// The heartbeat batch body (not gzip'd).
    /// - Parameter nowMillis: Event time, epoch ms.
    /// - Returns: JSON bytes.
    func body(nowMillis: Int64) -> [UInt8] {
        var writer = JSONWriter(capacity: 1_024)
        writer.raw("{\"type\":\"heartbeat\",\"time\":")
        writer.integer(nowMillis)
        writer.key("agent")
        writer.string(configuration.name)
        writer.key("node")
        writer.string(configuration.node)
        writer.raw(",\"metrics\":{")
        for (index, (name, value)) in metrics.snapshot().sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string(name)
            writer.raw(":")
            writer.integer(value)
        }
        writer.raw("}}")
        return EventEncoder.batch(
            agent: configuration.name, batchID: "hb-\(configuration.name)-\(nowMillis)", events: writer.bytes)
    }

    /// Beats until graceful shutdown.
    public func run() async {
        var next = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if ContinuousClock.now >= next {
                next = .now + .seconds(configuration.heartbeatSeconds)
                let now = Int64(Date().timeIntervalSince1970 * 1_000)
                var metadata: Logger.Metadata = [:]
                for (name, value) in metrics.snapshot() { metadata["agent.\(name)"] = "\(value)" }
                logger.info("agent metrics", metadata: metadata)
                if let gzipped = try? EventEncoder.gzip(body(nowMillis: now)) {
                    let outcome = await shipper.sendDirect(gzipped)
                    if case .retry(let reason) = outcome {
                        logger.debug("heartbeat not delivered", metadata: ["reason": "\(reason)"])
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
