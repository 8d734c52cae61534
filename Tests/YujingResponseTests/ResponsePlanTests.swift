import Foundation
import Testing
import YujingCore
import YujingResponse
import YujingRules

@Suite struct ResponsePlanTests {
    static var runbooks: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Runbooks").path
    }

    @Test func theShippedPlansLoadAndCoverTheMeasuresOfTheIssue() throws {
        let plans = try ResponsePlanLoader.load(directory: Self.runbooks)
        let byID = Dictionary(uniqueKeysWithValues: plans.map { ($0.id, $0) })
        let withdraw = try #require(byID["withdraw-resident-id-leak"])
        #expect(withdraw.mode == .automatic)
        #expect(withdraw.action == .withdraw)
        #expect(withdraw.trigger.matches(rule: "leak.resident-id", level: .II, labels: [:], category: .unconditional))
        #expect(!withdraw.trigger.matches(rule: "leak.resident-id", level: .III, labels: [:], category: .unconditional))
        #expect(!withdraw.trigger.matches(rule: "leak.resident-id", level: .I, labels: [:], category: .conditional))
        let scraper = try #require(byID["suspend-bulk-scraper"])
        guard case .restrict(let template) = scraper.action else {
            Issue.record("suspend-bulk-scraper does not restrict")
            return
        }
        #expect(template.measure == .suspend)
        #expect(template.durationMillis == 86_400_000)
        #expect(template.ground == .maliciousAcquisition)
        let escalation = try #require(template.escalation)
        #expect(escalation.duration(baseMillis: 86_400_000, priorCount: 0) == 86_400_000)
        #expect(escalation.duration(baseMillis: 86_400_000, priorCount: 1) == 2 * 86_400_000)
        #expect(escalation.duration(baseMillis: 86_400_000, priorCount: 3) == 8 * 86_400_000)
        #expect(escalation.duration(baseMillis: 86_400_000, priorCount: 9) == 30 * 86_400_000)
        #expect(scraper.trigger.matches(rule: "exfil.bulk-download", level: .III, labels: [:], category: nil))
        #expect(!scraper.trigger.matches(rule: "exfil.bulk-download", level: .IV, labels: [:], category: nil))
        let close = try #require(byID["close-persistent-offender"])
        #expect(close.mode == .approval)
    }

    @Test(arguments: [
        ("plans:\n  - id: a\n    when: {rules: [x]}\n    measure: explode\n", 4, "measure must be"),
        ("plans:\n  - id: a\n    when: {rules: [x]}\n    measure: suspend\n    ground: 1\n", 2, "needs a duration"),
        ("plans:\n  - id: a\n    when: {rules: [x]}\n    measure: close\n    mode: automatic\n    ground: 2\n", 5,
            "datacenter approval"),
        ("plans:\n  - id: a\n    when: {levels: [V]}\n    measure: withdraw\n", 3, "unknown level"),
        ("plans:\n  - id: a\n    when: {rules: [x]}\n    measure: warn\n    ground: 9\n", 5, "ground must be"),
        ("plans:\n  - id: a\n    when: {rules: [x]}\n    measure: withdraw\n    duration: 1h\n", 5, "applies to restrictions"),
        ("plans:\n  - id: A b\n    when: {}\n    measure: withdraw\n", 2, "id must match"),
        ("plans:\n  - id: a\n    colour: red\n    when: {}\n    measure: withdraw\n", 3, "unknown key 'colour'"),
        ("plans:\n  - id: a\n    when: {rules: [x]}\n    measure: throttle\n    ground: 3\n", 2, "rate_per_minute"),
    ])
    func invalidPlansFailWithLineAndReason(text: String, line: Int, reason: String) throws {
        do {
            _ = try ResponsePlanLoader.parse(text, file: "bad.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.file == "bad.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
        }
    }

    @Test func duplicateIDsAcrossFilesAreRejectedAndFilesWithoutPlansAreSkipped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plans-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = "plans:\n  - id: same\n    when: {rules: [x]}\n    measure: withdraw\n"
        try plan.write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "drill:\n  name: tabletop\n".write(to: folder.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        #expect(try ResponsePlanLoader.load(directory: folder.path).count == 1)
        try plan.write(to: folder.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: RuleError.self) { try ResponsePlanLoader.load(directory: folder.path) }
    }

    @Test func noticeSubjectsAreMaskedByDefault() {
        let policy = NoticeSubjectPolicy.masked
        #expect(policy.display("ak-scraper-00000001", kind: .appKey) == "ak-****01")
        #expect(policy.display("u1234", kind: .user) == "u****4")
        #expect(policy.display("203.0.113.77", kind: .ip) == "203.0.*.*")
        #expect(policy.display("192.0.2.0/24", kind: .cidr) == "192.0.*.*")
        #expect(policy.display("2001:db8::1", kind: .ip) == "2001:db8:*")
        #expect(NoticeSubjectPolicy.hidden.display("ak-x", kind: .appKey) == "—")
        #expect(NoticeSubjectPolicy.full.display("ak-x", kind: .appKey) == "ak-x")
    }

    @Test func theWithdrawalStateMachineOnlyMovesForward() {
        #expect(WithdrawalState.proposed.successors == [.approved, .cancelled])
        #expect(!WithdrawalState.withdrawn.successors.contains(.restored))
        #expect(WithdrawalState.redesensitized.successors == [.restored])
        #expect(WithdrawalState.restored.successors.isEmpty)
        #expect(WithdrawalState.executing.blocksAccess)
        #expect(!WithdrawalState.proposed.blocksAccess)
    }
}

@Suite struct DrillRunbookTests {
    @Test func theShippedDrillsLoad() throws {
        let drills = try DrillRunbookLoader.loadAll(directory: ResponsePlanTests.runbooks)
        #expect(Set(drills.map(\.id)) == ["resident-id-leak", "bulk-scraping", "conditional-scope", "key-sharing", "agent-silent", "low-and-slow"])
        for drill in drills {
            #expect(!drill.expectations.isEmpty && !drill.injections.isEmpty)
            #expect(drill.datasets.allSatisfy { $0.id.hasPrefix("drill-") })
        }
        let leak = try #require(drills.first { $0.id == "resident-id-leak" })
        #expect(leak.injections.first?.identifiers["cn_resident_id"] == 120)
        #expect(leak.expectations.map(\.measure) == ["MTTD", "MTTR", "MTTR"])
    }

    @Test(arguments: [
        ("drill:\n  id: x\n  title: t\n  injections:\n    - { kind: teleport }\n  expectations:\n    - { id: a, within: 1s, warning: { rule: r } }\n",
            5, "unknown injection kind 'teleport'"),
        ("drill:\n  id: x\n  title: t\n  datasets:\n    - { id: real-ds }\n  injections:\n    - { kind: brute_force }\n  expectations:\n    - { id: a, within: 1s, warning: { rule: r } }\n",
            5, "start with 'drill-'"),
        ("drill:\n  id: x\n  title: t\n  injections:\n    - { kind: brute_force }\n  expectations:\n    - { id: a, warning: { rule: r } }\n",
            7, "needs 'within'"),
        ("drill:\n  id: x\n  title: t\n  injections:\n    - { kind: brute_force }\n  expectations:\n    - { id: a, within: 1s, warning: { rule: r }, withdrawn: d }\n",
            7, "exactly one of"),
        ("drill:\n  id: x\n  title: t\n  injections:\n    - { kind: dataset_release, dataset: drill-a }\n  expectations:\n    - { id: a, within: 1s, warning: { rule: r } }\n",
            5, "needs 'dataset' and 'identifiers'"),
        ("drill:\n  id: x\n  title: t\n  abort_after: 5s\n  injections:\n    - { kind: brute_force }\n  expectations:\n    - { id: a, within: 10s, warning: { rule: r } }\n",
            4, "abort_after is shorter"),
    ])
    func invalidDrillsFailWithLineAndReason(text: String, line: Int, reason: String) {
        do {
            _ = try DrillRunbookLoader.parse(text, file: "d.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
        }
    }

    @Test func theReportRendersJUnitAndATimeline() {
        let report = DrillReport(
            id: "drill-1", runbook: "r", title: "T <x>", mode: "inject", started_at: "2026-12-01T00:00:00Z",
            duration_seconds: 12, status: "failed",
            expectations: [
                .init(id: "a", text: "warning", measure: "MTTD", objective_seconds: 10, measured_seconds: 2, status: "pass", detail: "ok"),
                .init(id: "b", text: "withdrawn", measure: "MTTR", objective_seconds: 10, measured_seconds: nil, status: "fail", detail: "rule \"x\" is disabled"),
            ], injections: [.init(kind: "downloads", at_seconds: 0.1, events: 3)], steps: [])
        let junit = report.junit()
        #expect(junit.contains("tests=\"2\" failures=\"1\""))
        #expect(junit.contains("<failure message=\"rule &quot;x&quot; is disabled\">"))
        let html = report.html()
        #expect(html.contains("T &lt;x&gt;"))
        #expect(html.components(separatedBy: "class=\"measured\"").count - 1 == 1)
        #expect(html.contains("not met"))
        #expect(report.expectations[0].margin_seconds == 8)
    }
}

@Suite struct CronScheduleTests {
    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    @Test func previousDueTimes() throws {
        let now = Self.date("2026-12-01T04:37:30Z")  // a Tuesday
        #expect(try CronSchedule("* * * * *").previous(atOrBefore: now, calendar: Self.utc) == Self.date("2026-12-01T04:37:00Z"))
        #expect(try CronSchedule("*/15 * * * *").previous(atOrBefore: now, calendar: Self.utc) == Self.date("2026-12-01T04:30:00Z"))
        #expect(try CronSchedule("0 3 * * 1").previous(atOrBefore: now, calendar: Self.utc) == Self.date("2026-11-30T03:00:00Z"))
        #expect(try CronSchedule("30 9 1 * *").previous(atOrBefore: now, calendar: Self.utc) == Self.date("2026-11-01T09:30:00Z"))
        #expect(try CronSchedule("0 0 * * 7").previous(atOrBefore: now, calendar: Self.utc) == Self.date("2026-11-29T00:00:00Z"))
        // Both day fields restricted: either matches (the 15th, or any Tuesday).
        #expect(try CronSchedule("0 1 15 * 2").previous(atOrBefore: now, calendar: Self.utc) == Self.date("2026-12-01T01:00:00Z"))
        #expect(try CronSchedule("0 0 1 1 *").previous(atOrBefore: now, calendar: Self.utc) == nil)
    }

    @Test(arguments: ["* * * *", "61 * * * *", "* 24 * * *", "* * 0 * *", "*/0 * * * *", "a * * * *", "5-1 * * * *"])
    func badSchedulesAreRejected(text: String) {
        #expect(throws: CronError.self) { try CronSchedule(text) }
    }
}
