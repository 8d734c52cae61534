import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import YujingConsole
import YujingResponse
import YujingRules
import YujingServer

/// `yujing serve`: the central daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the central daemon: ingest API, storage, correlation, graded warnings, notifications.",
        discussion: """
            Embedded defaults: SQLite at ./var/yujing.sqlite, HTTP on 127.0.0.1:8640, rules from ./Alerts.
            A YAML --config file overrides any of them. SIGTERM/SIGINT shut down gracefully; SIGHUP reloads rules
            (a bad rule file keeps the previous rules).
            """
    )

    @Option(name: .long, help: "YAML configuration file.")
    var config: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        var logger = Logger(label: "yujing")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let configuration: ServerConfiguration
        let rules: RuleSet
        let plans: [ResponsePlan]
        do {
            configuration =
                try config.map { path throws(ServerError) in try ServerConfiguration.load(path: path) }
                ?? ServerConfiguration()
            rules = try RuleDirectory.load(path: configuration.rules)
            plans = try ResponsePlans.load(directory: configuration.runbooks)
        } catch {
            FileHandle.standardError.write(Data("yujing serve: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var daemon: YujingDaemon
        do {
            daemon = try YujingDaemon(configuration: configuration, rules: rules, plans: plans, logger: logger)
            daemon.mounts.append(try Console())
        } catch {
            FileHandle.standardError.write(Data("yujing serve: \(error)\n".utf8))
            throw ExitCode(1)
        }
        logger.info(
            "yujing serve starting",
            metadata: [
                "http.address": "\(configuration.host):\(configuration.port)", "db.path": "\(configuration.database)",
                "rules.count": "\(rules.rules.count)", "plans.count": "\(plans.count)",
            ])
        let group = ServiceGroup(
            configuration: .init(
                services: [daemon.application()], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
