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
}
