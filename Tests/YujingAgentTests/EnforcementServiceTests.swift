import Foundation
import Logging
import Testing

@testable import YujingAgent

/// The service against a stand-in for the center's two endpoints, and a real nginx.
@Suite(.serialized) struct EnforcementServiceTests {
    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    func waitFor(seconds: Double = 10, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try condition()
    }

    @Test(.timeLimit(.minutes(2)))
    func pollsAppliesNewVersionsReportsAndKeepsStateWhenTheCenterIsDown() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let nginx = try TestNginx(directory: directory)
        try directory.write("www/datasets/ds-1/file.csv", "a\n")
        try directory.write("www/open.txt", "open")
        try await nginx.start()
        defer { nginx.stop() }
        let center = try FakeCenter()
        defer { center.stop() }

        var configuration = AgentConfiguration(
            name: "web-01", centerURL: center.url + "/", token: "yj_agent_secret", keyFile: directory.file("k"),
            checkpointDirectory: directory.file("state"), spoolDirectory: directory.file("spool"))
        configuration.connectTimeoutMillis = 300
        configuration.requestTimeoutMillis = 2_000
        configuration.datasets = [DatasetSource(pattern: directory.file("www/datasets/{dataset}/*"))]
        configuration.enforcement = EnforcementConfiguration(
            quarantineDirectory: directory.file("quarantine"), pollMillis: 50, nginx: nginx.settings())
        configuration.enforcement?.restoreFiles = true
        let metrics = AgentMetrics()
        let logger = Logger(label: "t")
        let applier = try EnforcementApplier(configuration: configuration, metrics: metrics, logger: logger)
        let service = EnforcementService(
            configuration: configuration, applier: applier, metrics: metrics, logger: logger)

        // The center is down at first (503): nothing applied, nothing reported.
        center.answer(status: 503, body: "{}")
        let task = Task { await service.run() }
        defer { task.cancel() }
        #expect(try await waitFor { metrics.value(.enforcementFetchFailures) >= 2 })
        #expect(center.reports.isEmpty)
        #expect(read(nginx.httpInclude) == "")

        // Version 1: a withdrawal and a suspension (unknown fields included).
        center.answer(
            status: 200,
            body: """
                {"version":"v1","extra":true,
                 "withdrawals":[{"id":3,"dataset":"ds-1","url_patterns":["/datasets/ds-1/**"],"note":"x"}],
                 "restored":[],
                 "restrictions":[{"id":5,"subject_kind":"app_key","subject":"k-abc","measure":"suspend","rate_per_minute":null,"until":null}]}
                """)
        #expect(try await waitFor { center.reports.count == 1 })
        let report = try #require(center.reports.first)
        #expect(report["agent"] as? String == "web-01")
        #expect(report["version"] as? String == "v1")
        #expect((report["applied_at"] as? String).flatMap(EnforcementDocument.parseTime) != nil)
        #expect((report["nginx"] as? [String: Any])?["status"] as? String == "applied")
        let withdrawals = try #require(report["withdrawals"] as? [[String: Any]])
        #expect(withdrawals.count == 1)
        #expect(withdrawals.first?["id"] as? Int == 3)
        #expect(withdrawals.first?["dataset"] as? String == "ds-1")
        #expect(withdrawals.first?["files_moved"] as? Int == 1)
        #expect(withdrawals.first?["status"] as? String == "done")
        #expect(withdrawals.first?["error"] is NSNull)
        try await nginx.waitUntilReloaded()
        #expect(try HTTPProbe.status(port: nginx.port, path: "/datasets/ds-1/file.csv") == 404)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt?appKey=k-abc") == 403)
        #expect(read(directory.file("quarantine/ds-1/ds-1/file.csv")) == "a\n")
        let authorizations = Set(center.received.map { $0.authorization ?? "" })
        #expect(authorizations == ["Bearer yj_agent_secret"])
        #expect(center.received.allSatisfy { !$0.path.hasPrefix("//") })

        // The same version again: polled, not re-applied, not re-reported.
        let polls = center.received.count
        #expect(try await waitFor { center.received.count >= polls + 5 })
        #expect(center.reports.count == 1)
        #expect(metrics.value(.enforcementApplies) == 1)

        // The center goes away: what is in force stays.
        center.answer(status: 500, body: "")
        let failures = metrics.value(.enforcementFetchFailures)
        #expect(try await waitFor { metrics.value(.enforcementFetchFailures) >= failures + 3 })
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt?appKey=k-abc") == 403)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/datasets/ds-1/file.csv") == 404)
        #expect(read(directory.file("quarantine/ds-1/ds-1/file.csv")) == "a\n")

        // Version 2: restored and lifted.
        center.answer(
            status: 200,
            body: """
                {"version":"v2","withdrawals":[],
                 "restored":[{"id":3,"dataset":"ds-1","url_patterns":["/datasets/ds-1/**"]}],"restrictions":[]}
                """)
        #expect(try await waitFor { center.reports.count == 2 })
        let second = try #require(center.reports.last)
        #expect(second["version"] as? String == "v2")
        #expect((second["nginx"] as? [String: Any])?["status"] as? String == "applied")
        let restored = try #require(second["restored"] as? [[String: Any]])
        #expect(restored.first?["files_moved"] as? Int == 1)
        #expect(restored.first?["status"] as? String == "done")
        try await nginx.waitUntilReloaded()
        #expect(nginx.reloadCount == 2)
        #expect(try await HTTPProbe.waitForStatus(200, port: nginx.port, path: "/datasets/ds-1/file.csv") == 200)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt?appKey=k-abc") == 200)
    }

    @Test(.timeLimit(.minutes(2)))
    func aFailedApplyIsRetriedAndReportedAsFailed() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let center = try FakeCenter()
        defer { center.stop() }
        var configuration = AgentConfiguration(
            name: "web-02", centerURL: center.url, token: "yj_t", keyFile: directory.file("k"),
            checkpointDirectory: directory.file("state"), spoolDirectory: directory.file("spool"))
        var settings = NginxEnforcement(
            httpInclude: directory.file("inc/http.conf"), serverInclude: directory.file("inc/server.conf"))
        settings.testCommand = ["/bin/sh", "-c", "echo 'nginx: [emerg] broken include' >&2; exit 1"]
        settings.reloadCommand = ["/bin/sh", "-c", "touch \(directory.file("reloaded"))"]
        configuration.enforcement = EnforcementConfiguration(
            quarantineDirectory: directory.file("quarantine"), pollMillis: 20, nginx: settings)
        let metrics = AgentMetrics()
        let applier = try EnforcementApplier(configuration: configuration, metrics: metrics, logger: Logger(label: "t"))
        let service = EnforcementService(
            configuration: configuration, applier: applier, metrics: metrics, logger: Logger(label: "t"))
        center.answer(
            status: 200,
            body:
                #"{"version":"v1","restrictions":[{"id":1,"subject_kind":"ip","subject":"192.0.2.1","measure":"suspend"}]}"#
        )
        let task = Task { await service.run() }
        defer { task.cancel() }
        #expect(try await waitFor { center.reports.count >= 2 })
        // Stop the retries first: each attempt writes the include, tests it and takes it back, so a check made
        // during an attempt would see the file.
        task.cancel()
        await task.value
        for report in center.reports {
            let nginx = try #require(report["nginx"] as? [String: Any])
            #expect(nginx["status"] as? String == "failed")
            #expect(nginx["error"] as? String == "nginx: [emerg] broken include")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("reloaded")))
        #expect(!FileManager.default.fileExists(atPath: directory.file("inc/http.conf")))
        #expect(metrics.value(.nginxFailures) >= 2)
    }

    @Test(.timeLimit(.minutes(3)))
    func theAgentBinaryEnforcesTheDocument() async throws {
        let binary = try YujingBinary.locate()
        let directory = try TestDirectory()
        defer { directory.remove() }
        let nginx = try TestNginx(directory: directory)
        try directory.write("www/datasets/ds-1/file.csv", "a\n")
        try directory.write("www/open.txt", "open")
        try await nginx.start()
        defer { nginx.stop() }
        let center = try FakeCenter()
        defer { center.stop() }
        center.answer(
            status: 200,
            body: """
                {"version":"v1","withdrawals":[{"id":3,"dataset":"ds-1","url_patterns":["/datasets/ds-1/**"]}],
                 "restored":[],"restrictions":[{"id":5,"subject_kind":"app_key","subject":"k-abc","measure":"suspend",
                 "rate_per_minute":null,"until":null}]}
                """)
        func list(_ argv: [String]) -> String { "[" + argv.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        try directory.write("token", "yj_agent_secret\n")
        let config = try directory.write(
            "agent.yaml",
            """
            name: web-01
            center:
              url: \(center.url)
              token_file: \(directory.file("token"))
              connect_timeout_ms: 300
            key_file: \(directory.file("yujing.key"))
            checkpoint_dir: \(directory.file("state"))
            spool:
              dir: \(directory.file("spool"))
            heartbeat_seconds: 60
            datasets:
              poll_ms: 100
              paths: ["\(directory.file("www/datasets/{dataset}/*"))"]
            enforcement:
              poll_ms: 100
              quarantine_dir: \(directory.file("quarantine"))
              nginx:
                http_include: \(nginx.httpInclude)
                server_include: \(nginx.serverInclude)
                test_command: \(list(nginx.testCommand))
                reload_command: \(list(nginx.reloadCommand))
                subject_variables: { app_key: "$arg_appKey" }
                withdrawn_status: 410

            """)
        let agent = ManagedProcess(
            binary: binary, arguments: ["agent", "--config", config], directory: directory.path,
            logPath: directory.file("agent.log"))
        try agent.start()
        defer { agent.terminate() }
        #expect(try await waitFor(seconds: 60) { !center.reports.isEmpty }, "\(agent.logText())")
        let report = try #require(center.reports.first)
        #expect((report["nginx"] as? [String: Any])?["status"] as? String == "applied")
        #expect((report["withdrawals"] as? [[String: Any]])?.first?["files_moved"] as? Int == 1)
        try await nginx.waitUntilReloaded()
        #expect(try HTTPProbe.status(port: nginx.port, path: "/datasets/ds-1/file.csv") == 410)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt?appKey=k-abc") == 403)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt") == 200)
        #expect(read(directory.file("quarantine/ds-1/ds-1/file.csv")) == "a\n")
        #expect(agent.terminate() == 0)
        #expect(agent.logText().contains("enforcement.version=v1"))
        #expect(!agent.logText().contains("yj_agent_secret"))
    }
}
