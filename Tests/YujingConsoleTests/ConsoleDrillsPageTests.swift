import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YujingResponse
import YujingStore

/// The console's drills pages: history with a trend per runbook, and a report with its SVG timeline.
@Suite struct ConsoleDrillsPageTests {
    @Test func drillHistoryAndReportWithTheTimeline() async throws {
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        let auditor = try #require(configured.tokens[.auditor])
        try await configured.run { client, daemon, _ in
            let database = daemon.database
            let now = ConsoleTestDaemon.now()
            for (index, status) in ["passed", "failed"].enumerated() {
                let id = "drill-test-\(index)"
                try database.startDrill(
                    DrillRunRecord(
                        id: id, runbook: "bulk-scraping", title: "Bulk <scraping>", mode: "inject", startedBy: "ops-1",
                        startedMillis: now + Int64(index)), datasets: [], nowMillis: now)
                let report = DrillReport(
                    id: id, runbook: "bulk-scraping", title: "Bulk <scraping>", mode: "inject",
                    started_at: "2026-12-01T05:00:00Z", duration_seconds: 3, status: status,
                    expectations: [
                        .init(
                            id: "warned", text: "warning exfil.bulk-download", measure: "MTTD", objective_seconds: 20,
                            measured_seconds: 0.4, status: "pass", detail: "warning 3"),
                        .init(
                            id: "suspended", text: "subject restricted", measure: "MTTR", objective_seconds: 30,
                            measured_seconds: status == "passed" ? 0.5 : nil, status: status == "passed" ? "pass" : "fail",
                            detail: status == "passed" ? "restriction 1" : "rule <x> is disabled"),
                    ], injections: [.init(kind: "downloads", at_seconds: 0.1, events: 320)], steps: [])
                try database.finishDrill(
                    id: id, status: status, report: String(decoding: report.json(), as: UTF8.self), actor: "ops-1",
                    nowMillis: now)
            }
            let (cookie, _, _) = try await ConsoleHTTP.signIn(client, token: auditor)
            let list = try await client.execute(
                uri: "/console/drills", method: .get, headers: [.cookie: cookie, .acceptLanguage: "en"])
            #expect(list.status == .ok)
            #expect(list.text.contains("id=\"drill-drill-test-0\"") && list.text.contains("id=\"drill-drill-test-1\""))
            #expect(list.text.contains("1/2"))
            #expect(list.text.contains("href=\"/console/drills\""))
            let report = try await client.execute(
                uri: "/console/drills/drill-test-1", method: .get, headers: [.cookie: cookie, .acceptLanguage: "zh-CN"])
            #expect(report.status == .ok)
            #expect(report.text.contains("<svg id=\"timeline\""))
            #expect(report.text.components(separatedBy: "class=\"measured\"").count - 1 == 1)
            #expect(report.text.contains("rule &lt;x&gt; is disabled"))
            #expect(report.text.contains("未通过"))
            #expect(!report.text.contains("Bulk <scraping>"))
            let missing = try await client.execute(
                uri: "/console/drills/nope", method: .get, headers: [.cookie: cookie])
            #expect(missing.status == .notFound)
            let anonymous = try await client.execute(uri: "/console/drills", method: .get, headers: [:])
            #expect(anonymous.status != .ok)
        }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test(.timeLimit(.minutes(2)))
    func anOpsOperatorStartsADrillFromTheConsole() async throws {
        let binary = try ConsoleCLITests.binary()
        var configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        configured.configuration.port = try Self.freePort()
        configured.configuration.runbooks = ConsoleTestDaemon.repositoryRoot.appendingPathComponent("Runbooks").path
        configured.configuration.drillBinary = binary
        let ops = try #require(configured.tokens[.ops])
        let auditor = try #require(configured.tokens[.auditor])
        let daemon = configured
        try await daemon.run { client, running, _ in
            // Auditors see no start form, and their forged post is refused.
            let (auditorCookie, auditorCSRF, _) = try await ConsoleHTTP.signIn(client, token: auditor)
            let auditorPage = try await client.execute(uri: "/console/drills", method: .get, headers: [.cookie: auditorCookie])
            #expect(!auditorPage.text.contains("id=\"start-drill\""))
            let forged = try await client.execute(
                uri: "/console/drills/start", method: .post, headers: ConsoleHTTP.headers(cookie: auditorCookie),
                body: ConsoleHTTP.form(["csrf": auditorCSRF, "runbook": "agent-silent"]))
            #expect(forged.status == .forbidden)
            let (cookie, csrf, _) = try await ConsoleHTTP.signIn(client, token: ops)
            let page = try await client.execute(uri: "/console/drills", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("id=\"start-drill\"") && page.text.contains("value=\"agent-silent\""))
            let noCSRF = try await client.execute(
                uri: "/console/drills/start", method: .post, headers: ConsoleHTTP.headers(cookie: cookie),
                body: ConsoleHTTP.form(["runbook": "agent-silent"]))
            #expect(noCSRF.status == .forbidden)
            let started = try await client.execute(
                uri: "/console/drills/start", method: .post, headers: ConsoleHTTP.headers(cookie: cookie),
                body: ConsoleHTTP.form(["csrf": csrf, "runbook": "agent-silent"]))
            #expect(started.status == .seeOther)
            var run: DrillRunRecord?
            for _ in 0..<200 where run?.status != "passed" {
                run = try running.database.drillRuns().first { $0.runbook == "agent-silent" }
                if run?.status != "passed" { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(run?.status == "passed", "\(String(describing: run))")
            #expect(run?.startedBy.hasPrefix("drill-launch-") == true)
            #expect(try running.database.auditEntries().contains { $0.action == "drill.launched" && $0.actor == "op-ops" })
            // The one-off token is revoked once the drill ends.
            var revoked = false
            for _ in 0..<50 where !revoked {
                revoked = try running.database.tokens().filter { $0.name.hasPrefix("drill-launch-") }.allSatisfy(\.revoked)
                if !revoked { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(revoked)
        }
    }
}
