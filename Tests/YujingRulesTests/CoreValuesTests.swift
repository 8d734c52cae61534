import Foundation
import Testing
import YujingCore

@Suite struct CoreValuesTests {
    @Test func warningLevelsOrderBySeverity() {
        #expect(WarningLevel.I > .II)
        #expect(WarningLevel.II > .III)
        #expect(WarningLevel.III > .IV)
        #expect([WarningLevel.III, .I, .IV, .II].max() == .I)
        #expect(WarningLevel.allCases.map(\.chineseName) == ["特别重大", "重大", "较大", "一般"])
        #expect(WarningLevel.allCases.map(\.colour) == ["red", "orange", "yellow", "blue"])
        #expect(WarningLevel.parse("ii") == .II)
        #expect(WarningLevel.parse("blue") == .IV)
        #expect(WarningLevel.parse("V") == nil)
    }

    @Test func credentialsAreMasked() {
        #expect(Subject(kind: .appKey, id: "AK0123456789abcd").displayID == "AK01…abcd")
        #expect(Subject(kind: .token, id: "short").displayID == "…")
        #expect(Subject(kind: .user, id: "alice").displayID == "alice")
        #expect(!Subject(kind: .token, id: "eyJhbGciOiJIUzI1NiJ9.payload.sig").description.contains("payload"))
    }

    @Test func fieldsOfEveryEventKind() throws {
        let finding = EngineEvent.finding(
            FindingEvent(timeMillis: 5, agent: "a1", dataset: "d", file: "f.csv", kind: "cn_mobile", count: 3))
        #expect(finding.value(of: .kind) == .text("finding"))
        #expect(finding.value(of: .findingCount)?.number == 3)
        #expect(finding.value(of: .findingKind)?.text == "cn_mobile")
        #expect(finding.value(of: .ip) == nil)
        let heartbeat = EngineEvent.heartbeat(HeartbeatEvent(timeMillis: 7, agent: "a2", node: "n"))
        #expect(heartbeat.value(of: .agent)?.text == "a2")
        #expect(heartbeat.value(of: .dataset) == nil)
        var access = AccessEvent(timeMillis: 0, clientIP: "1.2.3.4", path: "/", status: 404, bytes: 10)
        access.time = Date(timeIntervalSince1970: 1.5)
        #expect(access.timeMillis == 1_500)
        let event = EngineEvent.access(access)
        #expect(event.value(of: .status)?.text == "404")
        #expect(event.value(of: .subject) == nil)
        #expect(EventField.named("user-agent") == .userAgent)
        let data = try JSONEncoder().encode(event)
        #expect(try JSONDecoder().decode(EngineEvent.self, from: data) == event)
    }
}
