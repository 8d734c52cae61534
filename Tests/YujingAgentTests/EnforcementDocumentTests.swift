import Foundation
import Testing

@testable import YujingAgent

@Suite struct EnforcementDocumentTests {
    @Test func theContractExampleDecodesAndUnknownFieldsAreIgnored() throws {
        let body = """
            {"version": "9f2c01", "generated_at": "2026-12-01T05:00:00Z",
             "withdrawals": [{"id": 3, "dataset": "ds-1", "url_patterns": ["/datasets/ds-1/**"], "reason": "leak"}],
             "restored":    [{"id": 2, "dataset": "ds-0", "url_patterns": ["/datasets/ds-0/**"]}],
             "restrictions": [{"id": 5, "subject_kind": "app_key", "subject": "k-abc", "measure": "suspend",
                               "rate_per_minute": null, "until": "2026-12-02T10:00:00Z", "ground": 1},
                              {"id": 6, "subject_kind": "cidr", "subject": "10.1.0.0/16", "measure": "throttle",
                               "rate_per_minute": 30, "until": null},
                              {"id": 7, "subject_kind": "user", "subject": "u1", "measure": "suspend",
                               "until": "2026-12-02T10:00:00.250Z"}]}
            """
        let document = try EnforcementDocument.decode(Array(body.utf8))
        #expect(document.version == "9f2c01")
        #expect(document.withdrawals == [.init(id: 3, dataset: "ds-1", urlPatterns: ["/datasets/ds-1/**"])])
        #expect(document.restored == [.init(id: 2, dataset: "ds-0", urlPatterns: ["/datasets/ds-0/**"])])
        #expect(document.restrictions.count == 3)
        let suspend = document.restrictions[0]
        #expect(suspend.subjectKind == "app_key" && suspend.subject == "k-abc" && suspend.measure == "suspend")
        #expect(suspend.ratePerMinute == nil)
        #expect(suspend.until == Date(timeIntervalSince1970: 1_796_205_600))
        #expect(document.restrictions[1].ratePerMinute == 30 && document.restrictions[1].until == nil)
        #expect(document.restrictions[2].until == Date(timeIntervalSince1970: 1_796_205_600.25))
        #expect(suspend.isActive(at: Date(timeIntervalSince1970: 1_796_205_599)))
        #expect(!suspend.isActive(at: Date(timeIntervalSince1970: 1_796_205_600)))
    }

    @Test func missingListsAreEmptyAndBadDocumentsAreErrors() throws {
        #expect(try EnforcementDocument.decode(Array(#"{"version":"v"}"#.utf8)) == EnforcementDocument(version: "v"))
        #expect(throws: AgentError.self) { try EnforcementDocument.decode(Array(#"{"withdrawals":[]}"#.utf8)) }
        #expect(throws: AgentError.self) { try EnforcementDocument.decode(Array("not json".utf8)) }
        #expect(throws: AgentError.self) {
            try EnforcementDocument.decode(
                Array(
                    #"{"version":"v","restrictions":[{"id":1,"subject_kind":"ip","subject":"1.2.3.4","measure":"suspend","until":"tomorrow"}]}"#
                        .utf8))
        }
    }

    @Test func theReportEncodesToTheContract() throws {
        let report = EnforcementReport(
            agent: "web-01", version: "9f2c", appliedAt: Date(timeIntervalSince1970: 1_796_101_200),
            nginx: .init(status: .failed, error: "nginx: [emerg] unknown directive"),
            withdrawals: [.init(id: 3, dataset: "ds-1", filesMoved: 2, status: .done)],
            restored: [.init(id: 2, dataset: "ds-0", filesMoved: 1, status: .failed, error: "a.csv: kept")])
        let json = String(decoding: try report.json(), as: UTF8.self)
        #expect(
            json
                == #"{"agent":"web-01","applied_at":"2026-12-01T05:00:00Z","nginx":{"error":"nginx: [emerg] unknown directive","status":"failed"},"#
                + #""restored":[{"dataset":"ds-0","error":"a.csv: kept","files_moved":1,"id":2,"status":"failed"}],"#
                + #""version":"9f2c","withdrawals":[{"dataset":"ds-1","error":null,"files_moved":2,"id":3,"status":"done"}]}"#
        )
        #expect(report.hasFailures)
        let clean = EnforcementReport(
            agent: "a", version: "v", appliedAt: Date(), nginx: .init(status: .disabled), withdrawals: [], restored: [])
        #expect(!clean.hasFailures)
        #expect(
            String(decoding: try clean.json(), as: UTF8.self).contains(#""nginx":{"error":null,"status":"disabled"}"#))
    }
}
