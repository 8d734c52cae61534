import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import YujingConsole
import YujingCore
import YujingResponse
import YujingRules
import YujingServer
import YujingStore

/// The real daemon (real SQLite file, shipped rules) with the console mounted, one token per role, and helpers to
/// plant a warning, a proposed withdrawal and a restriction.
struct ConsoleTestDaemon: Sendable {
    let directory: URL
    var configuration: ServerConfiguration
    let rules: RuleSet
    var tokens: [TokenRole: String] = [:]
    var idleTimeoutSeconds = 1800

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("yujing-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configuration = ServerConfiguration()
        configuration.database = directory.appendingPathComponent("yujing.sqlite").path
        configuration.port = 0
        configuration.watermarkTickSeconds = 0
        configuration.response.tickSeconds = 3600
        configuration.rules = Self.repositoryRoot.appendingPathComponent("Alerts").path
        rules = try RuleDirectory.load(path: configuration.rules)
        let database = try YujingDatabase.open(path: configuration.database)
        for role in TokenRole.allCases {
            tokens[role] = try database.createToken(
                name: "op-\(role.rawValue)", role: role, actor: "test", nowMillis: Self.now())
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// Runs the daemon live on 127.0.0.1 with a random port; the body gets the base URL.
    func run<Value: Sendable>(
        _ body: @Sendable (any TestClientProtocol, YujingDaemon, String) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "yujing-console-test")
        logger.logLevel = .warning
        var daemon = try YujingDaemon(configuration: configuration, rules: rules, plans: [], logger: logger)
        daemon.mounts.append(try Console(idleTimeoutSeconds: idleTimeoutSeconds))
        let app = daemon.application(reloadOnSIGHUP: false)
        let ready = daemon
        return try await app.test(.live) { client in
            let port = client.port ?? 0
            return try await body(client, ready, "http://127.0.0.1:\(port)")
        }
    }

    /// Plants a level-I warning on a dataset; returns its id.
    @discardableResult
    static func plantWarning(
        _ database: YujingDatabase, dataset: String, title: String, level: WarningLevel = .I,
        rule: String = "leak.resident-id", subject: String? = nil
    ) throws -> Int64 {
        var labels = ["dataset": dataset]
        if let subject { labels["subject"] = subject }
        let change = try database.applyWarning(
            WarningInput(
                fingerprint: "\(rule)|\(dataset)|\(UUID().uuidString)", rule: rule, title: title, level: level,
                labels: labels, annotations: ["summary": "planted by the console test"],
                evidence: "3 resident IDs (masked 110***********002X) in \(dataset).csv", timeMillis: now()),
            nowMillis: now())
        return change.warning.id
    }

    /// Adds a catalogue dataset and a proposed (not yet approved) withdrawal of it; returns the withdrawal id.
    static func plantProposedWithdrawal(_ database: YujingDatabase, dataset: String, warningID: Int64?) throws -> Int64 {
        try database.upsertDataset(
            DatasetRecord(
                id: dataset, title: "企业登记信息 \(dataset)", ownerAgency: "市市场监管局", openCategory: .unconditional,
                urlPatterns: ["/datasets/\(dataset)/*"], filePaths: [], publicURL: nil))
        let (withdrawal, _) = try database.openWithdrawal(
            dataset: dataset, reason: "resident IDs found", actor: "op-analyst", approved: false, warningID: warningID,
            plan: nil, sinceMillis: now() - 3_600_000, adapterEnabled: false, nowMillis: now())
        return withdrawal.id
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
