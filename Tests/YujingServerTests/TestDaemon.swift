import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import YujingActions
import YujingResponse
import YujingRules
import YujingServer
import YujingStore

/// A daemon on a real SQLite file in a temporary directory, with the shipped rule pack and one token per role.
struct TestDaemon: Sendable {
    let directory: URL
    var configuration: ServerConfiguration
    let rules: RuleSet
    var tokens: [TokenRole: String] = [:]
    /// The shipped response plans (`Runbooks/`).
    static func shippedPlans() throws -> [ResponsePlan] {
        try ResponsePlanLoader.load(directory: repositoryRoot.appendingPathComponent("Runbooks").path)
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("yujing-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configuration = ServerConfiguration()
        configuration.database = directory.appendingPathComponent("yujing.sqlite").path
        configuration.port = 0
        configuration.watermarkTickSeconds = 0
        configuration.rules = Self.repositoryRoot.appendingPathComponent("Alerts").path
        rules = try RuleDirectory.load(path: configuration.rules)
        let database = try YujingDatabase.open(path: configuration.database)
        for role in TokenRole.allCases {
            tokens[role] = try database.createToken(
                name: "test-\(role.rawValue)", role: role, actor: "test", nowMillis: 0)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func database() throws -> YujingDatabase { try YujingDatabase.open(path: configuration.database) }

    /// Runs the daemon live on 127.0.0.1 with a random port.
    func run<Value: Sendable>(
        sinks: [any NotificationSink] = [], plans: [ResponsePlan] = [],
        _ body: @Sendable (any TestClientProtocol, YujingDaemon) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "yujing-test")
        logger.logLevel = .warning
        let daemon = try YujingDaemon(
            configuration: configuration, rules: rules, plans: plans, sinks: sinks, logger: logger)
        let app = daemon.application(reloadOnSIGHUP: false)
        return try await app.test(.live) { client in try await body(client, daemon) }
    }

    func headers(_ role: TokenRole?, extra: HTTPFields = [:]) -> HTTPFields {
        var fields = extra
        fields[.contentType] = "application/json"
        if let role, let token = tokens[role] { fields[.authorization] = "Bearer \(token)" }
        return fields
    }
}

/// Builds ingest bodies.
enum Batches {
    static func json(_ object: Any) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    static func finding(dataset: String, count: Int, time: String = "2026-03-01T08:00:00Z") -> [String: Any] {
        [
            "type": "finding", "time": time, "dataset": dataset, "file": "\(dataset).csv", "kind": "cn_resident_id",
            "count": count, "masked_samples": ["110101********1234"], "keyed_hashes": ["ab12"],
        ]
    }

    static func download(
        subject: String, dataset: String, millis: Int64, status: Int = 200, ip: String = "203.0.113.9",
        drill: String? = nil, bytes: Int = 4096
    ) -> [String: Any] {
        var event: [String: Any] = [
            "type": "access", "time": millis, "node": "web-1", "ip": ip, "method": "GET",
            "path": "/datasets/\(dataset)/files/data.csv", "status": status, "bytes": bytes, "user_agent": "curl/8",
            "dataset": dataset, "channel": "download", "subject": subject, "subject_kind": "app_key",
        ]
        if let drill { event["drill"] = drill }
        return event
    }

    static func findingNow(dataset: String, count: Int, millis: Int64) -> [String: Any] {
        [
            "type": "finding", "time": millis, "dataset": dataset, "file": "\(dataset).csv", "kind": "cn_resident_id",
            "count": count, "masked_samples": ["110101********1234"], "keyed_hashes": ["ab12"],
        ]
    }

    static func access(ip: String, status: Int, millis: Int64, path: String = "/api/v1/login") -> [String: Any] {
        [
            "type": "access", "time": millis, "node": "web-1", "ip": ip, "method": "POST", "path": path,
            "status": status, "bytes": 120, "user_agent": "curl/8",
        ]
    }

    static func batch(_ id: String, agent: String = "agent-1", _ events: [[String: Any]]) throws -> ByteBuffer {
        try json(["agent": agent, "batch_id": id, "events": events])
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]) ?? [:]
    }
}
