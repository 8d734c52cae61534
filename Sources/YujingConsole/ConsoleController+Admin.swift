import Foundation
import Hummingbird
import YujingServer
import YujingStore

extension ConsoleController {
    @Sendable func agentsPage(request: Request, context: YujingRequestContext) async throws -> Response {
        await guarded(request, roles: .readers, current: "agents") { session, language in
            let agents = try AgentStatus.collect(database: database, nowMillis: Self.now()).map { a -> [String: Any] in
                var enforcement = "—"
                if let report = a.enforcement {
                    enforcement = "\(report.nginxStatus) · v\(report.version) · \(Self.time(report.receivedMillis))"
                    if let error = report.nginxError { enforcement += " · \(error)" }
                }
                let batches = ConsoleStrings.text("batches", language)
                let spool = [
                    a.metrics["spool_batches"].map { "\($0) \(batches)" }, a.metrics["spool_bytes"].map(Self.bytes),
                ].compactMap { $0 }.joined(separator: " · ")
                return [
                    "lag": a.metrics["lag_bytes"].map(Self.bytes) ?? "—", "spool": spool.isEmpty ? "—" : spool,
                    "backpressure": a.metrics["backpressure"].map {
                        ConsoleStrings.text($0 > 0 ? "backpressure_on" : "backpressure_off", language)
                    } ?? "—",
                    "name": a.name, "node": a.node ?? "—", "health": a.health.rawValue,
                    "healthLabel": ConsoleStrings.text("health_\(a.health.rawValue)", language),
                    "lastHeartbeat": Self.time(a.lastHeartbeatMillis), "heartbeats": a.heartbeats,
                    "enforcement": enforcement,
                ]
            }
            return page(
                request, session: session, language: language, current: "agents", template: "agents",
                context: ["agents": agents])
        }
    }

    /// Bytes for people: `512 B`, `3.2 KiB`, `1.5 MiB`, `2.0 GiB`.
    static func bytes(_ value: Int64) -> String {
        if value < 1024 { return "\(value) B" }
        var amount = Double(value) / 1024
        for unit in ["KiB", "MiB", "GiB"] {
            if amount < 1024 || unit == "GiB" { return String(format: "%.1f %@", amount, unit) }
            amount /= 1024
        }
        return "\(value) B"
    }

    @Sendable func auditPage(request: Request, context: YujingRequestContext) async throws -> Response {
        await guarded(request, roles: .readers, current: "audit") { session, language in
            let query = request.uri.queryParameters
            let pageSize = 50
            let total = try database.auditCount()
            // Default: the last page, where the newest entries are.
            let lastPage = max(0, (total - 1) / pageSize * pageSize)
            let offset = max(0, min(query["offset"].flatMap { Int(String($0)) } ?? lastPage, lastPage))
            let entries = try database.auditEntries(offset: offset, limit: pageSize)
            var values: [String: Any] = [
                "offset": offset, "total": total, "from": total == 0 ? 0 : offset + 1, "to": offset + entries.count,
                "entries": entries.map { e -> [String: Any] in
                    ["id": e.id, "time": Self.time(e.timeMillis), "actor": e.actor, "action": e.action,
                     "target": e.target, "detail": e.detail, "hash": String(e.hash.prefix(16))]
                },
            ]
            if offset > 0 { values["previous"] = max(0, offset - pageSize) }
            if offset + pageSize < total { values["next"] = offset + pageSize }
            if query["verify"] != nil {
                let result = try database.verifyAuditChain()
                var verification: [String: Any] = ["intact": result.isIntact, "rows": result.rows]
                if let problem = result.problem { verification["problem"] = problem }
                values["verification"] = verification
            }
            return page(
                request, session: session, language: language, current: "audit", template: "audit", context: values)
        }
    }
}
