import Foundation
import Logging
import Synchronization
import YujingStore

/// Starts `yujing drill run RUNBOOK` against this daemon as a child process, with a one-off `ops` token that is
/// revoked when the run ends (the console's "start a drill"). The binary is `drill_binary` (default: this daemon's
/// own executable).
public struct DrillLauncher: Sendable {
    let database: YujingDatabase
    let configuration: ServerConfiguration
    let bound: BoundAddress
    let logger: Logger

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    var serverURL: String { bound.url(configuration) }

    /// Launches a drill in the background. Audited with the operator who asked.
    /// - Parameters:
    ///   - runbook: Runbook file.
    ///   - actor: The operator.
    /// - Throws: ``StoreError`` when the token cannot be created; a process that cannot start is logged.
    public func launch(runbook: String, actor: String) throws(StoreError) {
        let name = "drill-launch-\(Self.now())-\(UInt16.random(in: 0...UInt16.max))"
        let token = try database.createToken(name: name, role: .ops, actor: actor, nowMillis: Self.now())
        try database.audit(
            actor: actor, action: "drill.launched", target: "runbook:\((runbook as NSString).lastPathComponent)",
            detail: "", nowMillis: Self.now())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: configuration.drillBinary)
        process.arguments = ["drill", "run", runbook]
        var environment = ProcessInfo.processInfo.environment
        environment["YUJING_SERVER"] = serverURL
        environment["YUJING_TOKEN"] = token
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let database = database
        let logger = logger
        process.terminationHandler = { finished in
            try? database.revokeToken(name: name, actor: "yujing", nowMillis: Self.now())
            logger.info(
                "launched drill finished", metadata: ["drill.runbook": "\(runbook)", "exit": "\(finished.terminationStatus)"])
        }
        do {
            try process.run()
        } catch {
            try? database.revokeToken(name: name, actor: "yujing", nowMillis: Self.now())
            logger.error("drill could not be launched", metadata: ["drill.runbook": "\(runbook)", "error": "\(error)"])
        }
    }
}

/// The address the daemon's HTTP server actually bound (port 0 picks one), for its own child processes.
public final class BoundAddress: Sendable {
    let address = Mutex<(host: String, port: Int)?>(nil)

    /// Creates an empty box.
    public init() {}

    /// Records the bound address.
    public func set(host: String, port: Int) { address.withLock { $0 = (host, port) } }

    /// `http://host:port` of the daemon: the bound address, else the configured one (wildcards become loopback).
    public func url(_ configuration: ServerConfiguration) -> String {
        let recorded = address.withLock { $0 }
        var host = recorded?.host ?? configuration.host
        if ["0.0.0.0", "::", ""].contains(host) { host = "127.0.0.1" }
        let port = recorded?.port ?? configuration.port
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}
