import Foundation
import Logging
import Testing

@testable import YujingAgent

/// Enforcement against a real nginx started by the test (Debian's package; a missing nginx is a failure).
@Suite(.serialized) struct NginxEnforcementTests {
    typealias Restriction = EnforcementDocument.Restriction
    typealias Withdrawal = EnforcementDocument.Withdrawal

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test(.timeLimit(.minutes(2)))
    func nginxAcceptsRenderedIncludesEvenWithHostileInputs() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let nginx = try TestNginx(directory: directory)
        try directory.write("www/open.txt", "open")
        var settings = nginx.settings()
        settings.withdrawnStatus = 410
        let renderer = NginxRenderer(settings: settings)
        let now = Date()
        // Nothing in force: comment-only files are valid.
        let empty = renderer.render(EnforcementDocument(version: "0"), now: now)
        try directory.write("nginx/yujing/http.conf", empty.http)
        try directory.write("nginx/yujing/server.conf", empty.server)
        let (emptyStatus, emptyOutput) = try nginx.run(["-t", "-q"])
        #expect(emptyStatus == 0, "\(emptyOutput)")

        let hostile = [
            "u;}{$x y#", "u\"; } server { listen 1; #", "u'", "u\\", "u\nx", "用户-1", "u$remote_addr", "u{1,3}",
            "u) { return 200; } if ($x", "u`rm -rf /`", String(repeating: "u", count: 600),
        ]
        var restrictions: [Restriction] = hostile.enumerated().map {
            Restriction(id: Int64($0.offset + 1), subjectKind: "user", subject: $0.element, measure: "suspend")
        }
        restrictions += [
            Restriction(id: 50, subjectKind: "app_key", subject: "k-abc", measure: "suspend"),
            Restriction(id: 51, subjectKind: "app_key", subject: "k;return 200;", measure: "close"),
            Restriction(id: 52, subjectKind: "app_key", subject: "k-slow", measure: "throttle", ratePerMinute: 30),
            Restriction(id: 53, subjectKind: "user", subject: "u-slow", measure: "throttle", ratePerMinute: 7),
            Restriction(id: 54, subjectKind: "ip", subject: "192.0.2.1", measure: "suspend"),
            Restriction(id: 55, subjectKind: "cidr", subject: "2001:db8::/32", measure: "close"),
            Restriction(id: 56, subjectKind: "cidr", subject: "10.1.2.3/16", measure: "throttle", ratePerMinute: 30),
            Restriction(id: 57, subjectKind: "ip", subject: "10.0.0.1; allow all", measure: "suspend"),
        ]
        let document = EnforcementDocument(
            version: "h",
            withdrawals: [
                Withdrawal(id: 1, dataset: "ds-1", urlPatterns: ["/datasets/ds-1/**", "/api/*/ds-1/{x}(y)[z]$.csv"]),
                Withdrawal(id: 2, dataset: "ds-2", urlPatterns: ["/a\"; return 200; #", "/数据/ds-2/*"]),
            ],
            restrictions: restrictions)
        let rendering = renderer.render(document, now: now)
        #expect(Set(rendering.skipped.map(\.id)) == [2, 3, 4, 5, 11, 57])
        try directory.write("nginx/yujing/http.conf", rendering.http)
        try directory.write("nginx/yujing/server.conf", rendering.server)
        let (status, output) = try nginx.run(["-t", "-q"])
        #expect(status == 0, "nginx -t refused the rendered includes: \(output)\n\(rendering.http)")

        // And the escaped subjects mean exactly themselves once served.
        try await nginx.start()
        defer { nginx.stop() }
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt") == 200)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt", headers: ["X-User-Id": "u;}{$x y#"]) == 403)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt", headers: ["X-User-Id": "u{1,3}"]) == 403)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt", headers: ["X-User-Id": "uuu"]) == 200)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt", headers: ["X-User-Id": "u;}{$x y"]) == 200)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt", headers: ["X-User-Id": "u127.0.0.1"]) == 200)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt?appKey=k-abc") == 403)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt?appKey=K-ABC") == 200)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/open.txt?appKey=k-abcd") == 200)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/datasets/ds-1/x.csv") == 410)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/api/v1/ds-1/%7Bx%7D(y)%5Bz%5D$.csv") == 410)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/api/v1/ds-1/x(y)[z]$.csv") == 404)
        #expect(try HTTPProbe.status(port: nginx.port, path: "/%E6%95%B0%E6%8D%AE/ds-2/a.csv") == 410)
    }

    func configuration(_ directory: TestDirectory, nginx: TestNginx) -> AgentConfiguration {
        var configuration = AgentConfiguration(
            name: "web-01", centerURL: "http://127.0.0.1:1", token: "t", keyFile: directory.file("k"),
            checkpointDirectory: directory.file("state"), spoolDirectory: directory.file("spool"))
        configuration.datasets = [DatasetSource(pattern: directory.file("www/datasets/{dataset}/*"))]
        var settings = nginx.settings()
        settings.withdrawnStatus = 410
        configuration.enforcement = EnforcementConfiguration(
            quarantineDirectory: directory.file("quarantine"), nginx: settings)
        configuration.enforcement?.restoreFiles = true
        return configuration
    }

    @Test(.timeLimit(.minutes(3)))
    func withdrawSuspendThrottleRollBackAndRestoreAgainstRealNginx() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let nginx = try TestNginx(directory: directory)
        try directory.write("www/datasets/ds-1/file.csv", "id,name\n1,a\n")
        try directory.write("www/datasets/ds-1/file2.csv", "id\n2\n")
        try directory.write("www/datasets/ds-2/other.csv", "x\n")
        try directory.write("www/open.txt", "open")
        try await nginx.start()
        defer { nginx.stop() }
        let port = nginx.port
        #expect(try HTTPProbe.status(port: port, path: "/datasets/ds-1/file.csv") == 200)

        let configuration = configuration(directory, nginx: nginx)
        let metrics = AgentMetrics()
        let applier = try EnforcementApplier(configuration: configuration, metrics: metrics, logger: Logger(label: "t"))
        let withdrawal = Withdrawal(id: 3, dataset: "ds-1", urlPatterns: ["/datasets/ds-1/**"])
        let restrictions = [
            Restriction(id: 5, subjectKind: "app_key", subject: "k-bad", measure: "suspend", until: Date() + 3_600),
            Restriction(id: 6, subjectKind: "app_key", subject: "k-slow", measure: "throttle", ratePerMinute: 1),
        ]
        let reloadsBefore = nginx.reloadCount

        // 1. Withdrawal and restrictions: applied and reloaded.
        let first = await applier.apply(
            EnforcementDocument(version: "v1", withdrawals: [withdrawal], restrictions: restrictions), now: Date())
        #expect(first.nginx == .init(status: .applied))
        #expect(first.withdrawals == [.init(id: 3, dataset: "ds-1", filesMoved: 2, status: .done)])
        try await nginx.waitUntilReloaded()
        #expect(try await HTTPProbe.waitForStatus(410, port: port, path: "/datasets/ds-1/file.csv") == 410)
        #expect(try HTTPProbe.status(port: port, path: "/datasets/ds-1/file2.csv") == 410)
        #expect(try HTTPProbe.status(port: port, path: "/datasets/ds-2/other.csv") == 200)
        #expect(read(directory.file("quarantine/ds-1/ds-1/file.csv")) == "id,name\n1,a\n")
        #expect(read(directory.file("quarantine/ds-1/ds-1/file2.csv")) == "id\n2\n")
        #expect(!FileManager.default.fileExists(atPath: directory.file("www/datasets/ds-1")))
        #expect(try HTTPProbe.status(port: port, path: "/open.txt?appKey=k-bad") == 403)
        #expect(try HTTPProbe.status(port: port, path: "/open.txt?appKey=k-good") == 200)
        #expect(try HTTPProbe.status(port: port, path: "/open.txt") == 200)
        var throttled: [Int] = []
        for _ in 0..<6 { throttled.append(try HTTPProbe.status(port: port, path: "/open.txt?appKey=k-slow")) }
        #expect(throttled == [200, 200, 200, 429, 429, 429])  // 1 + burst 2, then 429
        for _ in 0..<6 { #expect(try HTTPProbe.status(port: port, path: "/open.txt?appKey=k-good") == 200) }
        let reloadsAfterFirst = nginx.reloadCount
        #expect(reloadsAfterFirst == reloadsBefore + 1)
        let appliedHTTP = try #require(read(nginx.httpInclude))
        let appliedServer = try #require(read(nginx.serverInclude))

        // 2. An include nginx refuses (a subject variable nginx does not know): old files kept, no reload, failed.
        var broken = configuration
        broken.enforcement?.nginx?.subjectVariables["user"] = "$yujing_no_such_variable"
        let brokenApplier = try EnforcementApplier(configuration: broken, metrics: metrics, logger: Logger(label: "t"))
        let failed = await brokenApplier.apply(
            EnforcementDocument(
                version: "v2", withdrawals: [withdrawal],
                restrictions: restrictions + [
                    Restriction(id: 7, subjectKind: "user", subject: "u1", measure: "suspend")
                ]),
            now: Date())
        #expect(failed.nginx.status == .failed)
        let error = try #require(failed.nginx.error)
        #expect(error.contains("[emerg]") && error.contains("yujing_no_such_variable"), "\(error)")
        #expect(error.split(separator: "\n").count <= 5)
        #expect(failed.hasFailures)
        #expect(read(nginx.httpInclude) == appliedHTTP)
        #expect(read(nginx.serverInclude) == appliedServer)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.file("nginx/yujing")).sorted()
        #expect(leftovers == ["http.conf", "server.conf"])
        try await Task.sleep(for: .milliseconds(500))
        #expect(nginx.reloadCount == reloadsAfterFirst)
        #expect(try HTTPProbe.status(port: port, path: "/open.txt?appKey=k-bad") == 403)
        #expect(metrics.value(.nginxFailures) == 1)
        // A failing test command alone rolls back the same way.
        var failingTest = configuration
        failingTest.enforcement?.nginx?.testCommand =
            Array(nginx.testCommand.dropLast(2)) + [
                "-t", "-q", "-c", "/nonexistent.conf",
            ]
        let failingApplier = try EnforcementApplier(
            configuration: failingTest, metrics: metrics, logger: Logger(label: "t"))
        let failedAgain = await failingApplier.apply(
            EnforcementDocument(version: "v2b", withdrawals: [withdrawal]), now: Date())
        #expect(failedAgain.nginx.status == .failed)
        #expect(failedAgain.nginx.error?.contains("nonexistent.conf") == true)
        #expect(read(nginx.httpInclude) == appliedHTTP)
        #expect(nginx.reloadCount == reloadsAfterFirst)

        // 3. Restore and lift: files back, URL served again, the suspended key allowed.
        let restored = await applier.apply(EnforcementDocument(version: "v3", restored: [withdrawal]), now: Date())
        #expect(restored.nginx == .init(status: .applied))
        #expect(restored.restored == [.init(id: 3, dataset: "ds-1", filesMoved: 2, status: .done)])
        try await nginx.waitUntilReloaded()
        #expect(try await HTTPProbe.waitForStatus(200, port: port, path: "/datasets/ds-1/file.csv") == 200)
        #expect(try HTTPProbe.get(port: port, path: "/datasets/ds-1/file.csv").body == "id,name\n1,a\n")
        #expect(try HTTPProbe.status(port: port, path: "/datasets/ds-1/file2.csv") == 200)
        #expect(try HTTPProbe.status(port: port, path: "/open.txt?appKey=k-bad") == 200)
        #expect(!FileManager.default.fileExists(atPath: directory.file("quarantine/ds-1")))
        #expect(read(nginx.httpInclude) == NginxRenderer.header)
        #expect(read(nginx.serverInclude) == NginxRenderer.header)
        let reloadsAfterRestore = nginx.reloadCount
        #expect(reloadsAfterRestore == reloadsAfterFirst + 1)

        // 4. The same content under a new version: nothing to do, no reload.
        let again = await applier.apply(EnforcementDocument(version: "v4", restored: [withdrawal]), now: Date())
        #expect(again.nginx == .init(status: .unchanged))
        #expect(again.restored == restored.restored)
        try await Task.sleep(for: .milliseconds(300))
        #expect(nginx.reloadCount == reloadsAfterRestore)
    }

    @Test(.timeLimit(.minutes(2)))
    func anExpiredSuspensionIsLiftedLocally() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let nginx = try TestNginx(directory: directory)
        try directory.write("www/open.txt", "open")
        try await nginx.start()
        defer { nginx.stop() }
        let applier = try EnforcementApplier(
            configuration: configuration(directory, nginx: nginx), metrics: AgentMetrics(), logger: Logger(label: "t"))
        let start = Date()
        let document = EnforcementDocument(
            version: "v1",
            restrictions: [
                Restriction(id: 1, subjectKind: "app_key", subject: "k1", measure: "suspend", until: start + 60)
            ])
        #expect(await applier.apply(document, now: start).nginx.status == .applied)
        try await nginx.waitUntilReloaded()
        #expect(try await HTTPProbe.waitForStatus(403, port: nginx.port, path: "/open.txt?appKey=k1") == 403)
        #expect(await applier.refresh(now: start + 30) == .init(status: .unchanged))
        #expect(await applier.refresh(now: start + 61) == .init(status: .applied))
        try await nginx.waitUntilReloaded()
        #expect(nginx.reloadCount == 2)
        #expect(try await HTTPProbe.waitForStatus(200, port: nginx.port, path: "/open.txt?appKey=k1") == 200)
    }
}
