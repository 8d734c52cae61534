import Foundation
import GRDB
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 5's evidence, end to end with real processes on loopback: nginx (Debian) serves a datasets folder and
/// writes its access log; `yujing agent` tails the log, watches the folder and enforces; `yujing serve` runs the
/// shipped rules and response plans; a Python receiver stands in for the owner agency's webhook; operators use
/// the `yujing` CLI.
@Suite(.serialized) struct ResponseEndToEndTests {
    final class Stack {
        let directory: TestDirectory
        let binary: String
        let nginx: TestNginx
        let center: TestCenter
        let agent: ManagedProcess
        let owner: ManagedProcess
        let operatorToken: String
        let ownerInbox: String
        let quarantine: String

        init() async throws {
            binary = try YujingBinary.locate()
            directory = try TestDirectory()
            nginx = try TestNginx(directory: directory)
            try directory.makeDirectory("www/datasets/ds-bus/files")
            try directory.makeDirectory("www/datasets/ds-open/files")
            try directory.write("www/datasets/ds-bus/files/stops.csv", "站点,经度,纬度\n人民广场,121.47,31.23\n")
            try directory.write("www/datasets/ds-open/files/a.csv", "year,value\n2025,1\n")
            quarantine = try directory.makeDirectory("quarantine")
            ownerInbox = directory.file("owner-inbox.jsonl")
            let ownerPort = try TestCenter.freePort()
            let script = try directory.write(
                "owner.py",
                """
                import http.server, sys
                class H(http.server.BaseHTTPRequestHandler):
                    def do_POST(self):
                        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                        with open(sys.argv[2], 'ab') as f:
                            f.write(body.replace(b'\\n', b' ') + b'\\n')
                        self.send_response(200); self.end_headers()
                    def log_message(self, *a): pass
                http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
                """)
            owner = ManagedProcess(
                binary: "/usr/bin/python3", arguments: [script, String(ownerPort), ownerInbox],
                directory: directory.path, logPath: directory.file("owner.log"))
            let catalogue = try directory.write(
                "catalogue.yaml",
                """
                datasets:
                  - id: ds-bus
                    title: 公交站点
                    owner_agency: 市交通局
                    open_category: unconditional
                    url_patterns: ["/datasets/ds-bus/**"]
                    public_url: http://127.0.0.1:\(nginx.port)/datasets/ds-bus/files/stops.csv
                  - id: ds-open
                    title: 年度统计
                    owner_agency: 市统计局
                    open_category: unconditional
                    url_patterns: ["/datasets/ds-open/**"]

                """)
            center = try TestCenter(
                directory: directory, binary: binary,
                extraConfig: """
                    runbooks: \((TestDirectory.packageRoot as NSString).appendingPathComponent("Runbooks"))
                    catalogue: \(catalogue)
                    watermark_tick_seconds: 1
                    response:
                      tick_seconds: 1
                      traceback_margin_seconds: 8
                      allow_list: ["ip:127.0.0.1"]      # every test client is loopback: never suspend it
                    owners:
                      - { agency: 市交通局, url: "http://127.0.0.1:\(ownerPort)/notice", secret: owner-secret }

                    """)
            let agentToken = try center.createAgentToken(name: "web-01")
            operatorToken = try center.createToken(name: "dc-1", role: "datacenter")
            func list(_ argv: [String]) -> String { "[" + argv.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
            let config = try directory.write(
                "agent.yaml",
                """
                name: web-01
                center:
                  url: \(center.url)
                  token: \(agentToken)
                  timeout_ms: 5000
                  connect_timeout_ms: 500
                key_file: \(directory.file("agent.key"))
                checkpoint_dir: \(directory.file("agent-state"))
                spool:
                  dir: \(directory.file("agent-spool"))
                batch:
                  max_events: 500
                  max_wait_ms: 100
                heartbeat_seconds: 5
                poll_ms: 50
                access_logs:
                  - name: nginx
                    paths: ["\(directory.file("nginx/logs/access.log"))"]
                    start_at: beginning
                    parse:
                      format: nginx
                      dataset_patterns:
                        - { pattern: "/datasets/{dataset}/files/{file}", channel: download }
                datasets:
                  poll_ms: 200
                  paths:
                    - "\(directory.file("www/datasets/{dataset}/files/*"))"
                enforcement:
                  poll_ms: 300
                  quarantine_dir: \(quarantine)
                  nginx:
                    http_include: \(nginx.httpInclude)
                    server_include: \(nginx.serverInclude)
                    test_command: \(list(nginx.testCommand))
                    reload_command: \(list(nginx.reloadCommand))
                    subject_variables: { app_key: "$arg_appKey" }
                    withdrawn_status: 404
                    throttle_burst: 5

                """)
            agent = ManagedProcess(
                binary: binary, arguments: ["agent", "--config", config, "--log-level", "info"],
                directory: directory.path, logPath: directory.file("agent.log"))
            try owner.start()
            try await nginx.start()
            try await center.start()
            try agent.start()
        }

        func stop() {
            _ = agent.terminate()
            center.stop()
            nginx.stop()
            _ = owner.terminate()
        }

        func get(_ path: String) throws -> Int { try HTTPProbe.status(port: nginx.port, path: path) }

        /// Runs the `yujing` CLI as a datacenter operator.
        func cli(_ arguments: [String]) throws -> (Int32, String, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment["YUJING_SERVER"] = center.url
            environment["YUJING_TOKEN"] = operatorToken
            process.environment = environment
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let output = out.fileHandleForReading.readDataToEndOfFile()
            let error = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
        }

        func json(_ arguments: [String]) throws -> [[String: Any]] {
            let (status, out, err) = try cli(arguments + ["--format", "json"])
            guard status == 0 else { throw TestFailure("yujing \(arguments.joined(separator: " ")): \(err)") }
            return out.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        func wait<T>(_ seconds: Double, _ what: String, _ body: () throws -> T?) async throws -> T {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let value = try body() { return value }
                try await Task.sleep(for: .milliseconds(200))
            }
            throw TestFailure(
                "timed out after \(seconds) s waiting for \(what)\n--- agent log ---\n\(agent.logText().suffix(3000))\n--- center log ---\n\(center.process.logText().suffix(3000))")
        }
    }

    @Test(.timeLimit(.minutes(8)))
    func aLeakIsWithdrawnVerifiedTracedAndAScraperIsSuspendedAnnouncedLiftedAndEscalated() async throws {
        let stack = try await Stack()
        defer {
            stack.stop()
            stack.directory.remove()
        }
        // Clients download; the early one gets only the clean file, well before the leak.
        #expect(try stack.get("/datasets/ds-bus/files/stops.csv?appKey=ak-early-00000001") == 200)
        #expect(try stack.get("/datasets/ds-open/files/a.csv?appKey=ak-other-00000009") == 200)
        // Older than the traceback margin (8 s before the leak's first finding): not a holder of the leak.
        try await Task.sleep(for: .seconds(9))

        // A file with valid resident IDs is published; two clients obtain it before anything reacts.
        let ids = (0..<5).map {
            DatasetReleaseTests.residentID(area: "110105", birth: "19800\($0 + 1)15", serial: "12\($0)")
        }
        let leak = "姓名,身份证号,乘车次数\n" + ids.enumerated().map { "乘客\($0.offset),\($0.element),\($0.offset)" }
            .joined(separator: "\n") + "\n"
        try stack.directory.write("www/datasets/ds-bus/files/holders.csv", leak)
        var obtained: Set<String> = []
        for key in ["ak-bravo-00000002", "ak-charl-00000003"] {
            if try stack.get("/datasets/ds-bus/files/holders.csv?appKey=\(key)") == 200 { obtained.insert(key) }
        }
        let published = Date()

        // Within seconds: level II warning, withdrawal verified against nginx, files quarantined.
        let withdrawal = try await stack.wait(60, "the withdrawal of ds-bus to be verified") {
            try stack.json(["withdrawals", "ls", "--dataset", "ds-bus"]).first { $0["state"] as? String == "withdrawn" }
        }
        let elapsed = Date().timeIntervalSince(published)
        print("leak published -> withdrawn and verified in \(String(format: "%.1f", elapsed)) s")
        #expect((withdrawal["verification"] as? [String: Any])?["status"] as? String == "verified")
        #expect(((withdrawal["verification"] as? [String: Any])?["detail"] as? String)?.hasSuffix("404") == true)
        #expect(withdrawal["plan"] as? String == "withdraw-resident-id-leak")
        #expect(try stack.get("/datasets/ds-bus/files/stops.csv?appKey=ak-late-000000004") == 404)
        #expect(try stack.get("/datasets/ds-bus/files/holders.csv") == 404)
        #expect(try stack.get("/datasets/ds-open/files/a.csv?appKey=ak-other-00000009") == 200)
        let quarantined = try FileManager.default.subpathsOfDirectory(atPath: stack.quarantine)
        #expect(quarantined.contains { $0.hasSuffix("holders.csv") }, "quarantine holds \(quarantined)")
        #expect(!FileManager.default.fileExists(atPath: stack.directory.file("www/datasets/ds-bus/files/holders.csv")))
        let level = try stack.center.read { db in
            try String.fetchOne(db, sql: "SELECT level FROM warning WHERE rule = 'leak.resident-id' AND dataset = 'ds-bus'")
        }
        #expect(level == "II")

        // Traceback: exactly the subjects that obtained the leaking version (not the early one, not the 404s).
        let trace = try await stack.wait(60, "the traceback") { () -> [String: Any]? in
            let document = try stack.json(["trace", "ds-bus"]).first
            let rows = document?["rows"] as? [[String: Any]] ?? []
            return rows.count >= obtained.count ? document : nil
        }
        let subjects = Set((trace["rows"] as? [[String: Any]] ?? []).compactMap { $0["subject"] as? String })
        #expect(!obtained.isEmpty, "no client obtained the leak before the withdrawal: the test proves nothing")
        #expect(subjects == obtained)
        let (csvStatus, csv, _) = try stack.cli(["trace", "ds-bus", "--format", "csv"])
        #expect(csvStatus == 0)
        #expect(csv.hasPrefix("subject_kind,subject,channel,count,first,last,bytes,addresses"))
        // The investigator's reverse view: what one of them requested, with the key shown masked.
        if let someone = obtained.sorted().first {
            let (activityStatus, activity, _) = try stack.cli(["activity", "app_key:\(someone)"])
            #expect(activityStatus == 0)
            #expect(activity.contains("ds-bus"), "\(activity)")
            #expect(activity.contains("app_key:\(someone.prefix(4))…\(someone.suffix(4))"), "\(activity)")
            #expect(!activity.contains(someone))
        }

        // The owner agency was told.
        let notice = try await stack.wait(60, "the owner notice") { () -> String? in
            let text = FileManager.default.contents(atPath: stack.ownerInbox).map { String(decoding: $0, as: UTF8.self) }
            return text?.contains("ds-bus") == true ? text : nil
        }
        #expect(notice.contains("\"subjects\":\(obtained.count)"))

        // A scripted scraper bulk-downloads; it is suspended, then refused by nginx.
        var statuses: [Int] = []
        for index in 0..<330 {
            statuses.append(try stack.get("/datasets/ds-open/files/a.csv?appKey=ak-scraper-0000001&n=\(index)"))
        }
        #expect(statuses.prefix(300).allSatisfy { $0 == 200 })
        let suspension = try await stack.wait(90, "the scraper's suspension") {
            try stack.json(["restrictions"]).first {
                $0["subject"] as? String == "ak-scraper-0000001" && $0["state"] as? String == "active"
            }
        }
        #expect(suspension["measure"] as? String == "suspend")
        #expect(suspension["ground"] as? Int == 1)
        _ = try await stack.wait(60, "nginx to refuse the scraper") { () -> Bool? in
            try stack.get("/datasets/ds-open/files/a.csv?appKey=ak-scraper-0000001") == 403 ? true : nil
        }
        #expect(try stack.get("/datasets/ds-open/files/a.csv?appKey=ak-other-00000009") == 200)
        let publicNotice = try HTTPProbe.get(port: stack.center.port, path: "/public/notices")
        #expect(publicNotice.status == 200)
        #expect(publicNotice.body.contains("ak-****01"))
        #expect(!publicNotice.body.contains("ak-scraper-0000001"))

        // Lifting restores access.
        let firstID = try #require(suspension["id"] as? Int)
        let (liftStatus, _, liftError) = try stack.cli(["lift", String(firstID), "--reason", "owner contacted"])
        #expect(liftStatus == 0, "\(liftError)")
        // While nginx reloads, old workers (old include) and new ones both accept for a moment: wait for a steady 200.
        var served = 0
        _ = try await stack.wait(60, "nginx to serve the scraper again") { () -> Bool? in
            served = try stack.get("/datasets/ds-open/files/a.csv?appKey=ak-scraper-0000001") == 200 ? served + 1 : 0
            return served >= 5 ? true : nil
        }

        // A repeat offence (the bulk warning escalates to level II at 2,000 downloads) gets twice as long. The burst
        // stops once nginx refuses steadily (a lone 403 from a worker of the previous configuration does not count).
        var refusedInARow = 0
        var downloaded = 0
        for index in 0..<2200 where refusedInARow < 3 {
            let status = try stack.get("/datasets/ds-open/files/a.csv?appKey=ak-scraper-0000001&m=\(index)")
            refusedInARow = status == 403 ? refusedInARow + 1 : 0
            if status == 200 { downloaded += 1 }
        }
        #expect(downloaded >= 1_000, "only \(downloaded) downloads after the lift: the repeat offence was not replayed")
        let repeatSuspension = try await stack.wait(120, "the repeat suspension") {
            try stack.json(["restrictions"]).first {
                $0["subject"] as? String == "ak-scraper-0000001" && $0["id"] as? Int != firstID
                    && $0["measure"] as? String == "suspend"
            }
        }
        #expect(repeatSuspension["repeat_index"] as? Int == 1)
        let start = try #require((repeatSuspension["starts_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
        let until = try #require((repeatSuspension["until"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
        #expect(abs(until.timeIntervalSince(start) - 2 * 86_400) < 2)

        // The repeat suspension reaches nginx first: otherwise the agent may rewrite the include between the snapshot
        // below and the broken configuration, and the snapshot would be of a file the agent was about to replace.
        _ = try await stack.wait(60, "nginx to refuse the repeat offender") { () -> Bool? in
            try stack.get("/datasets/ds-open/files/a.csv?appKey=ak-scraper-0000001") == 403 ? true : nil
        }

        // A broken nginx configuration: the agent's test fails, the previous includes stay, the center warns.
        let includeBefore = try String(contentsOfFile: stack.nginx.httpInclude, encoding: .utf8)
        let mainConfig = try String(contentsOfFile: stack.nginx.configPath, encoding: .utf8)
        try (mainConfig + "\nbroken_directive on;\n").write(toFile: stack.nginx.configPath, atomically: true, encoding: .utf8)
        let (restrictStatus, _, restrictError) = try stack.cli([
            "restrict", "ip:192.0.2.77", "--measure", "suspend", "--duration", "1h", "--ground", "4", "--reason", "test",
        ])
        #expect(restrictStatus == 0, "\(restrictError)")
        let failure = try await stack.wait(60, "the enforcement-failed warning") {
            try stack.center.read { db in
                try String.fetchOne(db, sql: "SELECT level FROM warning WHERE rule = 'response.enforcement-failed'")
            }
        }
        #expect(failure == "II")
        #expect(try String(contentsOfFile: stack.nginx.httpInclude, encoding: .utf8) == includeBefore)
        #expect(try stack.get("/datasets/ds-open/files/a.csv?appKey=ak-other-00000009") == 200)

        // The audit chain is intact, and no planted identifier is in the center's database or logs.
        let (auditStatus, auditOut, auditError) = try YujingBinary.run(
            stack.binary, ["audit", "verify", "--config", stack.center.configPath], in: stack.directory.path)
        #expect(auditStatus == 0, "\(auditOut)\(auditError)")
        var stored = try Data(contentsOf: URL(fileURLWithPath: stack.center.databasePath))
        stored += FileManager.default.contents(atPath: stack.center.databasePath + "-wal") ?? Data()
        let logs = stack.center.process.logText() + stack.agent.logText()
        for id in ids {
            #expect(stored.range(of: Data(id.utf8)) == nil)
            #expect(!logs.contains(id))
            #expect(!notice.contains(id))
        }
    }
}
