import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YujingServer
import YujingStore

@Suite struct WarningsAPITests {
    @Test func leakedResidentIDsRaiseALevelIIWarningThatCanBeHandled() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        try await daemon.run { client, _ in
            try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("leak", [Batches.finding(dataset: "ds-hospital", count: 3)])
            ) { #expect($0.status == .ok) }
            let list = try await client.execute(
                uri: "/api/v1/warnings?rule=leak.resident-id", method: .get, headers: daemon.headers(.analyst))
            let warnings = try #require(list.json()["warnings"] as? [[String: Any]])
            #expect(warnings.count == 1)
            let warning = try #require(warnings.first)
            #expect(warning["level"] as? String == "II")
            #expect(warning["state"] as? String == "firing")
            #expect(warning["dataset"] as? String == "ds-hospital")
            let id = try #require(warning["id"] as? Int)
            try await client.execute(uri: "/api/v1/warnings?level=I", method: .get, headers: daemon.headers(.auditor)) {
                #expect(($0.json()["warnings"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(
                uri: "/api/v1/warnings/\(id)/acknowledge", method: .post, headers: daemon.headers(.analyst),
                body: try Batches.json(["comment": "looking"])
            ) { #expect($0.json()["state"] as? String == "acknowledged") }
            // The same dataset leaking 150 IDs escalates the same warning to level I.
            try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch(
                    "leak-2", [Batches.finding(dataset: "ds-hospital", count: 150, time: "2026-03-01T08:05:00Z")]))
            try await client.execute(uri: "/api/v1/warnings/\(id)", method: .get, headers: daemon.headers(.auditor)) {
                let shown = $0.json()
                #expect(shown["level"] as? String == "I")
                let actions = (shown["history"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
                #expect(actions == ["created", "acknowledged", "escalated"])
            }
            try await client.execute(
                uri: "/api/v1/warnings/\(id)/silence", method: .post, headers: daemon.headers(.ops),
                body: try Batches.json(["comment": "withdrawn for cleaning", "duration_seconds": 3600])
            ) { response in
                #expect(response.status == .ok, "\(response.text)")
                #expect((response.json()["warning"] as? [String: Any])?["state"] as? String == "silenced")
            }
            try await client.execute(
                uri: "/api/v1/warnings/\(id)/resolve", method: .post, headers: daemon.headers(.datacenter)
            ) { #expect($0.json()["state"] as? String == "resolved") }
            try await client.execute(uri: "/api/v1/warnings/999", method: .get, headers: daemon.headers(.analyst)) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/rules/leak.resident-id", method: .get, headers: daemon.headers(.ops))
            {
                #expect($0.json()["kind"] as? String == "sum")
            }
        }
        let audit = try daemon.database().auditEntries().map(\.action)
        #expect(
            audit.contains("warning.acknowledge") && audit.contains("warning.silence")
                && audit.contains("warning.resolve"))
        #expect(try daemon.database().verifyAuditChain().isIntact)
    }

    @Test func warningsAutoResolveWhenTheConditionStaysClear() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        let twoDaysLater: Int64 = 1_772_352_000_000 + 2 * 86_400_000
        try await daemon.run { client, _ in
            try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("leak", [Batches.finding(dataset: "ds-old", count: 1)]))
            try await client.execute(
                uri: "/api/v1/warnings?state=firing&dataset=ds-old", method: .get, headers: daemon.headers(.analyst)
            ) { #expect(($0.json()["warnings"] as? [Any])?.count == 1) }
            try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("later", [Batches.access(ip: "10.9.9.9", status: 200, millis: twoDaysLater)]))
            try await client.execute(
                uri: "/api/v1/warnings?state=resolved&dataset=ds-old", method: .get, headers: daemon.headers(.analyst)
            ) { #expect(($0.json()["warnings"] as? [Any])?.count == 1) }
        }
    }

    @Test func restartRebuildsEngineStateFromSnapshotAndFromEvents() async throws {
        for mode in ["snapshot", "events"] {
            let daemon = try TestDaemon()
            defer { daemon.remove() }
            let start: Int64 = 1_772_352_000_000
            // 20 rejected logins, restart, 15 more within 5 minutes: crosses abuse.bruteforce (30) only if the
            // first 20 survived the restart.
            let first = try Batches.batch(
                "r1", (0..<20).map { Batches.access(ip: "192.0.2.7", status: 401, millis: start + Int64($0) * 1000) })
            let second = try Batches.batch(
                "r2", (20..<35).map { Batches.access(ip: "192.0.2.7", status: 401, millis: start + Int64($0) * 1000) })
            try await daemon.run { client, _ in
                try await client.execute(
                    uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                    body: first
                ) { #expect($0.json()["warnings"] as? Int == 0) }
            }
            if mode == "events" {
                try daemon.database().deleteSnapshot()
            } else {
                #expect(try daemon.database().loadSnapshot() != nil)
            }
            try await daemon.run { client, _ in
                try await client.execute(
                    uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                    body: second
                ) { #expect($0.json()["warnings"] as? Int == 1, "\(mode)") }
                try await client.execute(
                    uri: "/api/v1/warnings?rule=abuse.bruteforce", method: .get, headers: daemon.headers(.analyst)
                ) { #expect(($0.json()["warnings"] as? [Any])?.count == 1, "\(mode)") }
            }
        }
    }
}
