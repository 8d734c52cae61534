import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YujingStore

/// The audit viewer pages through the log, and "verify chain" (console, API and CLI) names an edited row.
@Suite struct ConsoleAuditPageTests {
    @Test func theAuditViewerPagesAndVerifyNamesAnEditedRow() async throws {
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        let auditor = try #require(configured.tokens[.auditor])
        try await configured.run { client, daemon, base in
            let database = daemon.database
            for index in 1...60 {
                try database.audit(
                    actor: "test", action: "test.entry", target: "n:\(index)", nowMillis: ConsoleTestDaemon.now())
            }
            let (cookie, _, _) = try await ConsoleHTTP.signIn(client, token: auditor)
            let total = try database.auditCount()  // 5 tokens + 60 entries + the sign-in
            #expect(total == 66)
            // Default: the newest page.
            let last = try await client.execute(uri: "/console/audit", method: .get, headers: [.cookie: cookie])
            #expect(last.text.contains("51–66 / 66"))
            #expect(last.text.contains("id=\"audit-previous\""))
            #expect(!last.text.contains("id=\"audit-next\""))
            #expect(last.text.contains("console.login"))
            let first = try await client.execute(uri: "/console/audit?offset=0", method: .get, headers: [.cookie: cookie])
            #expect(first.text.contains("1–50 / 66"))
            #expect(first.text.contains("id=\"audit-next\""))
            #expect(!first.text.contains("id=\"audit-previous\""))

            let intact = try await client.execute(
                uri: "/console/audit?verify=1", method: .get, headers: [.cookie: cookie, .acceptLanguage: "en"])
            #expect(intact.text.contains("Audit chain intact: 66 rows"))

            // Someone with the database file drops the append-only trigger and edits row 9 behind Yujing's back.
            try await database.writer.write { db in
                try db.execute(sql: "DROP TRIGGER audit_log_no_update")
                try db.execute(sql: "UPDATE audit_log SET detail = 'edited' WHERE id = 9")
            }
            let broken = try await client.execute(
                uri: "/console/audit?verify=1", method: .get, headers: [.cookie: cookie, .acceptLanguage: "zh-CN"])
            #expect(broken.text.contains("审计哈希链已损坏"))
            #expect(broken.text.contains("row 9 was edited"))
            let api = try await client.execute(
                uri: "/api/v1/audit/verify", method: .get, headers: [.authorization: "Bearer \(auditor)"])
            let document = (try JSONSerialization.jsonObject(with: Data(api.body.readableBytesView)) as? [String: Any]) ?? [:]
            #expect(document["intact"] as? Bool == false)
            #expect(document["problem_row"] as? Int == 9)
            let cli = try await ConsoleCLITests.run(["audit", "verify", "--server", base], server: base, token: auditor)
            #expect(cli.status == 1)
            #expect(cli.out.contains("row 9 was edited"))
        }
    }
}
