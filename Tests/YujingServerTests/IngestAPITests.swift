import CompressNIO
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YujingServer
import YujingStore

@Suite struct IngestAPITests {
    @Test func healthAndMetricsNeedNoToken() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        try await daemon.run { client, _ in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("m1", [Batches.access(ip: "10.1.1.1", status: 200, millis: 1_772_352_000_000)]))
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("yujing_events_ingested_total{kind=\"access\"} 1"))
                #expect(response.text.contains("yujing_ingest_duration_seconds_bucket"))
                #expect(response.text.contains("yujing_rule_evaluations_total"))
                #expect(response.text.contains("yujing_engine_dropped_state_total"))
            }
        }
    }

    @Test func batchesAreIdempotentOnAgentAndBatchID() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        let body = try Batches.batch(
            "b-1",
            [
                Batches.access(ip: "10.1.1.1", status: 200, millis: 1_772_352_000_000),
                Batches.access(ip: "10.1.1.2", status: 200, millis: 1_772_352_001_000),
            ])
        try await daemon.run { client, _ in
            let first = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent), body: body)
            #expect(first.status == .ok)
            #expect(first.json()["status"] as? String == "stored")
            let second = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent), body: body)
            #expect(second.status == .ok)
            #expect(second.json()["status"] as? String == "duplicate")
        }
        #expect(try daemon.database().accessEventCount() == 2)
    }

    @Test func gzipBodiesAreAccepted() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        var body = try Batches.batch("gz", [Batches.access(ip: "10.2.2.2", status: 200, millis: 1_772_352_000_000)])
        let compressed = try body.compress(with: .gzip())
        try await daemon.run { client, _ in
            let response = try await client.execute(
                uri: "/api/v1/ingest", method: .post,
                headers: daemon.headers(.agent, extra: [.contentEncoding: "gzip"]),
                body: compressed)
            #expect(response.status == .ok, "\(response.text)")
            let bad = try await client.execute(
                uri: "/api/v1/ingest", method: .post,
                headers: daemon.headers(.agent, extra: [.contentEncoding: "gzip"]),
                body: ByteBuffer(string: "not gzip"))
            #expect(bad.status == .badRequest)
        }
        #expect(try daemon.database().accessEventCount() == 1)
    }

    @Test func aBatchThatFailedToStoreIsNotCountedByTheEngine() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        // abuse.bruteforce: 30 rejected requests from one IP within 5 minutes. 20 stay below it.
        @Sendable func rejected(_ range: Range<Int>) -> [[String: Any]] {
            range.map { Batches.access(ip: "10.9.9.9", status: 401, millis: 1_772_352_000_000 + Int64($0) * 100) }
        }
        let database = try daemon.database()
        try await daemon.run { client, _ in
            // The engine evaluates while the batch is stored: make storing fail.
            try await database.writer.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER refuse_access BEFORE INSERT ON access_event
                        BEGIN SELECT RAISE(ABORT, 'refused by test'); END
                        """)
            }
            let failed = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("f-1", rejected(0..<20)))
            #expect(failed.status == .internalServerError)
            try await database.writer.write { db in try db.execute(sql: "DROP TRIGGER refuse_access") }
            // The agent retries the same batch: its 20 events must count once, not 40 (which would fire).
            let retried = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("f-1", rejected(0..<20)))
            #expect(retried.status == .ok)
            #expect(retried.json()["status"] as? String == "stored")
            #expect(retried.json()["warnings"] as? Int == 0)
            let tenMore = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("f-2", rejected(20..<30)))
            #expect(tenMore.json()["warnings"] as? Int == 1)
        }
        #expect(try database.accessEventCount() == 30)
    }

    @Test func concurrentBatchesAndRacingRetriesAreStoredAndCountedOnce() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        // Eight agents post three batches each, every batch twice at the same moment (a retry racing its first
        // attempt); one batch of each agent is refused by the store. Each good batch must be stored exactly once,
        // answered "stored" once and "duplicate" once; the refused ones fail both times and leave nothing.
        let database = try daemon.database()
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_bad BEFORE INSERT ON access_event WHEN NEW.ip = '10.6.6.6'
                    BEGIN SELECT RAISE(ABORT, 'refused by test'); END
                    """)
        }
        let agents = (0..<8).map { "agent-\($0)" }
        let answers = try await daemon.run { client, _ in
            // Separate connections (URLSession), so that the requests really run at the same time.
            let url = URL(string: "http://127.0.0.1:\(client.port ?? 0)/api/v1/ingest")!
            var headers: [String: String] = [:]
            for field in daemon.headers(.agent) { headers[field.name.rawName] = field.value }
            return try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
                for agent in agents {
                    for batch in 0..<3 {
                        let events = (0..<50).map { index in
                            Batches.access(
                                ip: batch == 2 ? "10.6.6.6" : "10.\(batch).0.\(index)", status: 401,
                                millis: 1_772_352_000_000 + Int64(batch * 50 + index) * 10)
                        }
                        var request = URLRequest(url: url, timeoutInterval: 30)
                        request.httpMethod = "POST"
                        request.allHTTPHeaderFields = headers
                        request.httpBody = Data(try Batches.batch("b\(batch)", agent: agent, events).readableBytesView)
                        for _ in 0..<2 {
                            group.addTask { [request] in
                                let (data, response) = try await URLSession.shared.data(for: request)
                                let code = (response as? HTTPURLResponse)?.statusCode ?? 0
                                let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
                                return (agent, batch, code == 200 ? json?["status"] as? String ?? "?" : "http \(code)")
                            }
                        }
                    }
                }
                var all: [(String, Int, String)] = []
                for try await answer in group { all.append(answer) }
                return all
            }
        }
        #expect(answers.count == 8 * 3 * 2)
        for agent in agents {
            for batch in 0..<2 {
                let statuses = answers.filter { $0.0 == agent && $0.1 == batch }.map(\.2).sorted()
                #expect(statuses == ["duplicate", "stored"], "\(agent) b\(batch): \(statuses)")
            }
            let refused = answers.filter { $0.0 == agent && $0.1 == 2 }.map(\.2)
            #expect(refused == ["http 500", "http 500"], "\(agent) b2: \(refused)")
        }
        #expect(try database.accessEventCount() == 8 * 2 * 50)
        let batches = try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ingest_batch") }
        #expect(batches == 16)
    }

    @Test func schemaErrorsNameTheFieldAndRejectTheWholeBatch() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        var events = (0..<3).map { Batches.access(ip: "10.0.0.\($0)", status: 200, millis: 1_772_352_000_000) }
        var broken = Batches.access(ip: "10.0.0.9", status: 200, millis: 0)
        broken["time"] = "yesterday"
        events.append(broken)
        let body = try Batches.batch("bad", events)
        try await daemon.run { client, _ in
            let response = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent), body: body)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("events[3].time"), "\(response.text)")
            var missing = Batches.access(ip: "10.0.0.1", status: 200, millis: 1)
            missing.removeValue(forKey: "ip")
            let second = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("bad2", [missing]))
            #expect(second.status == .badRequest)
            #expect(second.text.contains("events[0].ip"), "\(second.text)")
        }
        #expect(try daemon.database().accessEventCount() == 0)
    }

    @Test func unauthenticatedIs401AndWrongRoleIs403() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        let body = try Batches.batch("auth", [Batches.access(ip: "10.1.1.1", status: 200, millis: 1)])
        let revoked = try daemon.database().createToken(name: "gone", role: .agent, actor: "t", nowMillis: 0)
        try daemon.database().revokeToken(name: "gone", actor: "t", nowMillis: 1)
        try await daemon.run { client, _ in
            try await client.execute(uri: "/api/v1/ingest", method: .post, headers: daemon.headers(nil), body: body) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(
                uri: "/api/v1/warnings", method: .get, headers: [.authorization: "Bearer yj_000000000000_nope"]
            ) { #expect($0.status == .unauthorized) }
            try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: [.authorization: "Bearer \(revoked)"], body: body
            ) { #expect($0.status == .unauthorized) }
            try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.auditor), body: body
            ) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/warnings", method: .get, headers: daemon.headers(.agent)) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(
                uri: "/api/v1/warnings/1/acknowledge", method: .post, headers: daemon.headers(.auditor)
            ) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/rules", method: .get, headers: daemon.headers(.auditor)) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        var configured = try TestDaemon()
        configured.configuration.maxBodyBytes = 4096
        let daemon = configured
        defer { daemon.remove() }
        let events = (0..<200).map { Batches.access(ip: "10.0.0.\($0 % 250)", status: 200, millis: 1_772_352_000_000) }
        let plain = try Batches.batch("big", events)
        var body = plain
        let gzipped = try body.compress(with: .gzip())
        #expect(gzipped.readableBytes < 4096)
        try await daemon.run { client, _ in
            try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: plain
            ) { #expect($0.status == .contentTooLarge) }
            try await client.execute(
                uri: "/api/v1/ingest", method: .post,
                headers: daemon.headers(.agent, extra: [.contentEncoding: "gzip"]),
                body: gzipped
            ) { #expect($0.status == .contentTooLarge) }
        }
    }
}
