import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YujingCore
import YujingServer
import YujingStore

/// The agents' latest heartbeats on the center's `/metrics`, checked with Prometheus' own `promtool`.
@Suite struct AgentMetricsExpositionTests {
    static func heartbeat(millis: Int64, metrics: [String: Int64]) -> [String: Any] {
        ["type": "heartbeat", "time": millis, "node": "web-7", "metrics": metrics]
    }

    @Test func latestHeartbeatMetricsAreExposedPerAgentAndPassPromtool() async throws {
        try Promtool.require()
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        let text = try await daemon.run { client, _ in
            let newer = try Batches.batch(
                "hb-new",
                [
                    Self.heartbeat(
                        millis: now,
                        metrics: ["lines_read": 1_000, "spool_bytes": 2_048, "backpressure": 1, "Bad-Name\"": 5])
                ])
            // Sent later but older (a spooled heartbeat): counted, yet the newer one's metrics stay.
            let older = try Batches.batch("hb-old", [Self.heartbeat(millis: now - 60_000, metrics: ["lines_read": 10])])
            for body in [newer, older] {
                let response = try await client.execute(
                    uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent), body: body)
                #expect(response.status == .ok)
            }
            return try await client.execute(uri: "/metrics", method: .get) { $0.text }
        }
        let beats = try daemon.database().agentHeartbeats()
        let agent = try #require(beats.first?.agent)
        #expect(beats.count == 1)
        #expect(beats.first?.count == 2)
        #expect(beats.first?.lastMillis == now)

        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains("yujing_agent_up{agent=\"\(agent)\"} 1"))
        #expect(lines.contains("# TYPE yujing_agent_lines_read_total counter"))
        #expect(lines.contains("yujing_agent_lines_read_total{agent=\"\(agent)\"} 1000"))
        #expect(lines.contains("# TYPE yujing_agent_spool_bytes gauge"))
        #expect(lines.contains("yujing_agent_spool_bytes{agent=\"\(agent)\"} 2048"))
        #expect(lines.contains("yujing_agent_backpressure{agent=\"\(agent)\"} 1"))
        #expect(lines.contains { $0.hasPrefix("yujing_agent_last_heartbeat_timestamp_seconds{agent=\"\(agent)\",node=\"web-7\"} ") })
        #expect(!text.lowercased().contains("bad"), "a name that is not a metric name makes no family")

        let check = try Promtool.run(["check", "metrics"], input: text)
        let agentProblems = check.output.split(separator: "\n").filter { $0.contains("yujing_agent") }
        #expect(agentProblems.isEmpty, "promtool: \(agentProblems)")
        #expect(!check.output.contains("error while linting"), "promtool could not parse the exposition: \(check.output)")
    }

    @Test func aPurgeRebuildsTheLatestHeartbeats() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yujing-latest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try YujingDatabase.open(path: directory.appendingPathComponent("y.sqlite").path)
        for (agent, millis) in [("a", Int64(1_000)), ("a", 5_000), ("b", 2_000)] {
            _ = try database.storeBatch(
                agent: agent, batchID: "\(agent)-\(millis)",
                items: [.heartbeat(HeartbeatEvent(timeMillis: millis, agent: agent, node: "n-\(millis)"))], receivedMillis: millis)
        }
        #expect(try database.agentHeartbeats().map { [$0.agent, "\($0.count)", $0.node] } == [["a", "2", "n-5000"], ["b", "1", "n-2000"]])
        try database.purge(olderThan: 3_000)
        #expect(try database.agentHeartbeats().map { [$0.agent, "\($0.count)", $0.node] } == [["a", "1", "n-5000"]])
    }
}
