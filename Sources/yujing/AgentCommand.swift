import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import YujingAgent

/// `yujing agent`: tails access logs and watches dataset release folders on a platform node, shipping events
/// to the center without loss or duplicates.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Tail access logs and scan dataset releases on this node; ship events to the center.",
        discussion: """
            Checkpoints advance only after the center acknowledged a batch; batches are spooled to disk first
            and re-sent with the same id after a crash (the center deduplicates them). SIGTERM/SIGINT stop
            reading, send what is left for a few seconds and save the checkpoint.
            """
    )

    @Option(name: .long, help: "YAML agent configuration (see Agents/).")
    var config: String

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        var logger = Logger(label: "yujing")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let services: [any Service]
        let configuration: AgentConfiguration
        do {
            configuration = try AgentConfiguration.load(path: config)
            let key = try InstallationKey.loadOrCreate(at: configuration.keyFile)
            services = try AgentServices.make(
                configuration: configuration, key: key, today: ScanCommand.currentDay(), metrics: AgentMetrics(),
                logger: logger)
        } catch {
            FileHandle.standardError.write(Data("yujing agent: \(error)\n".utf8))
            throw ExitCode(2)
        }
        logger.info(
            "yujing agent starting",
            metadata: [
                "agent.name": "\(configuration.name)", "center.url": "\(configuration.centerURL)",
                "sources.logs": "\(configuration.accessLogs.count)", "sources.datasets": "\(configuration.datasets.count)",
            ])
        CodeResidency.keepOnlyCodeInUse()
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
