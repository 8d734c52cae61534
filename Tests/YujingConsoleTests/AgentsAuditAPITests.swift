import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YujingStore

/// `GET /api/v1/agents`, `GET /api/v1/audit`, `GET /api/v1/audit/verify`.
@Suite struct AgentsAuditAPITests {
    static func json(_ response: TestResponse) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]) ?? [:]
    }

    static func bearer(_ token: String?, json: Bool = false) -> HTTPFields {
        var fields: HTTPFields = [:]
        if let token { fields[.authorization] = "Bearer \(token)" }
        if json { fields[.contentType] = "application/json" }
        return fields
    }

    @Test func agentsShowTheLastHeartbeatAndAuditPagesAndVerifies() async throws {
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        let agentToken = try #require(configured.tokens[.agent])
        let auditor = try #require(configured.tokens[.auditor])
        try await configured.run { client, daemon, _ in
            let now = ConsoleTestDaemon.now()
            let batch: [String: Any] = [
                "agent": "web-01", "batch_id": "hb-1",
                "events": [
                    ["type": "heartbeat", "time": now - 5000, "node": "node-a"],
                    [
                        "type": "heartbeat", "time": now - 1000, "node": "node-b",
                        "metrics": ["lag_bytes": 4096, "spool_bytes": 70_000, "spool_batches": 3, "backpressure": 0],
                    ],
                ],
            ]
            let ingest = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: Self.bearer(agentToken, json: true),
                body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: batch)))
            #expect(ingest.status == .ok)

            let agents = try await client.execute(uri: "/api/v1/agents", method: .get, headers: Self.bearer(auditor))
            #expect(agents.status == .ok)
            let list = Self.json(agents)["agents"] as? [[String: Any]] ?? []
            let web = try #require(list.first { $0["name"] as? String == "web-01" })
            #expect(web["node"] as? String == "node-b")
            #expect(web["health"] as? String == "ok")
            #expect(web["heartbeats"] as? Int == 2)
            #expect(web["lag_bytes"] as? Int == 4096)
            #expect(web["spool_batches"] as? Int == 3)
            #expect((web["metrics"] as? [String: Any])?["spool_bytes"] as? Int == 70_000)
            #expect((web["heartbeat_age_seconds"] as? Int ?? 99) < 60)
            // The agent token itself (named op-agent) is listed, never having reported.
            let silent = try #require(list.first { $0["name"] as? String == "op-agent" })
            #expect(silent["health"] as? String == "never")
            #expect(silent["token"] as? Bool == true)

            // Agents may not read the audit log; readers (incl. auditors) may.
            let refused = try await client.execute(uri: "/api/v1/audit", method: .get, headers: Self.bearer(agentToken))
            #expect(refused.status == .forbidden)
            let unauthenticated = try await client.execute(uri: "/api/v1/audit/verify", method: .get)
            #expect(unauthenticated.status == .unauthorized)

            let total = try daemon.database.auditCount()
            #expect(total == TokenRole.allCases.count)  // one token creation per role
            let page = try await client.execute(
                uri: "/api/v1/audit?offset=2&limit=3", method: .get, headers: Self.bearer(auditor))
            let document = Self.json(page)
            #expect(document["total"] as? Int == total)
            let entries = document["entries"] as? [[String: Any]] ?? []
            #expect(entries.map { $0["id"] as? Int } == [3, 4, 5])
            #expect(entries.first?["action"] as? String == "token.create")
            let badLimit = try await client.execute(
                uri: "/api/v1/audit?limit=0", method: .get, headers: Self.bearer(auditor))
            #expect(badLimit.status == .badRequest)

            let verify = try await client.execute(uri: "/api/v1/audit/verify", method: .get, headers: Self.bearer(auditor))
            let result = Self.json(verify)
            #expect(result["intact"] as? Bool == true)
            #expect(result["rows"] as? Int == total)
        }
    }
}
