import Logging
import ServiceLifecycle
import YujingDetectors

/// Builds the agent's services in dependency order for one `ServiceGroup` (shut down in reverse: reading
/// stops first, then heartbeats, and the shipper drains and checkpoints last).
public enum AgentServices {
    /// The services for a configuration.
    /// - Parameters:
    ///   - configuration: The agent configuration.
    ///   - key: The installation key for keyed hashes.
    ///   - today: The current day (identifier birth dates must not lie in the future).
    ///   - metrics: Shared metrics.
    ///   - logger: Logger.
    /// - Returns: The services, in start order.
    /// - Throws: ``AgentError`` when the checkpoint or spool directories are unusable.
    public static func make(
        configuration: AgentConfiguration, key: [UInt8], today: CalendarDay, metrics: AgentMetrics, logger: Logger
    ) throws(AgentError) -> [any Service] {
        let shipper = try Shipper(configuration: configuration, metrics: metrics, logger: logger)
        var services: [any Service] = [
            ShippingService(shipper: shipper),
            HeartbeatService(configuration: configuration, shipper: shipper, metrics: metrics, logger: logger),
        ]
        if !configuration.datasets.isEmpty {
            let detector = IdentifierDetector(
                configuration: DetectorConfiguration(today: today, minimumConfidence: configuration.minConfidence),
                key: key)
            services.append(
                DatasetWatchService(
                    configuration: configuration, detector: detector, shipper: shipper, metrics: metrics,
                    logger: logger))
        }
        if !configuration.accessLogs.isEmpty {
            services.append(
                LogTailService(configuration: configuration, shipper: shipper, metrics: metrics, logger: logger))
        }
        if configuration.enforcement != nil {
            let applier = try EnforcementApplier(configuration: configuration, metrics: metrics, logger: logger)
            services.append(
                EnforcementService(configuration: configuration, applier: applier, metrics: metrics, logger: logger))
        }
        return services
    }
}
