import Foundation
import Hummingbird
import YujingStore

/// `/api/v1/agents` (health) and `/api/v1/audit` (paged entries, chain verification), for readers incl. auditors.
struct AgentsAuditController {
    let database: YujingDatabase

    struct AgentView: Encodable {
        struct Enforcement: Encodable {
            var version: String
            var status: String
            var error: String?
            var received_at: String
        }

        var name: String
        var node: String?
        var last_heartbeat: String?
        var heartbeat_age_seconds: Int64?
        var heartbeats: Int
        var lag_bytes: Int64?
        var spool_bytes: Int64?
        var spool_batches: Int64?
        var backpressure: Int64?
        var metrics: [String: Int64]
        var health: String
        var token: Bool
        var enforcement: Enforcement?
    }

    struct AgentList: ResponseEncodable {
        var generated_at: String
        var stale_after_seconds: Int64
        var agents: [AgentView]
    }

    struct AuditEntryView: Encodable {
        var id: Int64
        var time: String
        var actor: String
        var action: String
        var target: String
        var detail: String
        var prev_hash: String
        var hash: String
    }

    struct AuditPage: ResponseEncodable {
        var total: Int
        var offset: Int
        var limit: Int
        var entries: [AuditEntryView]
    }

    struct VerifyView: ResponseEncodable {
        var intact: Bool
        var rows: Int
        var problem: String?
        var problem_row: Int64?
        var checked_at: String
    }

    func addRoutes(to group: RouterGroup<YujingRequestContext>) {
        group.get("agents", use: agents)
        group.get("audit", use: audit)
        group.get("audit/verify", use: verify)
    }

    @Sendable func agents(request: Request, context: YujingRequestContext) async throws -> AgentList {
        _ = try context.require(.readers)
        let now = WarningsController.now()
        let statuses = try WarningsController.store { try AgentStatus.collect(database: database, nowMillis: now) }
        return AgentList(
            generated_at: WarningView.time(now), stale_after_seconds: AgentStatus.staleAfterMillis / 1000,
            agents: statuses.map { status in
                AgentView(
                    name: status.name, node: status.node,
                    last_heartbeat: status.lastHeartbeatMillis.map(WarningView.time),
                    heartbeat_age_seconds: status.lastHeartbeatMillis.map { max(0, now - $0) / 1000 },
                    heartbeats: status.heartbeats, lag_bytes: status.metrics["lag_bytes"],
                    spool_bytes: status.metrics["spool_bytes"], spool_batches: status.metrics["spool_batches"],
                    backpressure: status.metrics["backpressure"], metrics: status.metrics,
                    health: status.health.rawValue, token: status.hasToken,
                    enforcement: status.enforcement.map {
                        AgentView.Enforcement(
                            version: $0.version, status: $0.nginxStatus, error: $0.nginxError,
                            received_at: WarningView.time($0.receivedMillis))
                    })
            })
    }

    @Sendable func audit(request: Request, context: YujingRequestContext) async throws -> AuditPage {
        _ = try context.require(.readers)
        let query = request.uri.queryParameters
        let offset = try Self.integer(query["offset"].map(String.init), name: "offset", default: 0, range: 0...Int.max)
        let limit = try Self.integer(query["limit"].map(String.init), name: "limit", default: 100, range: 1...1000)
        let (total, entries) = try WarningsController.store {
            (try database.auditCount(), try database.auditEntries(offset: offset, limit: limit))
        }
        return AuditPage(
            total: total, offset: offset, limit: limit,
            entries: entries.map {
                AuditEntryView(
                    id: $0.id, time: WarningView.time($0.timeMillis), actor: $0.actor, action: $0.action,
                    target: $0.target, detail: $0.detail, prev_hash: $0.previousHash, hash: $0.hash)
            })
    }

    @Sendable func verify(request: Request, context: YujingRequestContext) async throws -> VerifyView {
        _ = try context.require(.readers)
        let result = try WarningsController.store { try database.verifyAuditChain() }
        return VerifyView(
            intact: result.isIntact, rows: result.rows, problem: result.problem, problem_row: result.problemRow,
            checked_at: WarningView.time(WarningsController.now()))
    }

    static func integer(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            let expected =
                range.upperBound == Int.max ? ">= \(range.lowerBound)" : "in \(range.lowerBound)...\(range.upperBound)"
            throw HTTPError(.badRequest, message: "\(name): expected an integer \(expected)")
        }
        return number
    }
}
