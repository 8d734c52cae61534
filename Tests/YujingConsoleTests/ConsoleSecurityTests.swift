import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YujingStore

@testable import YujingConsole

/// Sessions, CSRF, roles and languages at the HTTP level, against the real daemon.
@Suite struct ConsoleSecurityTests {
    @Test func postsWithoutSessionOrValidCSRFTokenAreRefused() async throws {
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        let token = try #require(configured.tokens[.ops])
        try await configured.run { client, daemon, _ in
            let id = try ConsoleTestDaemon.plantWarning(daemon.database, dataset: "ds-a", title: "Leak ds-a")
            let path = "/console/warnings/\(id)/acknowledge"
            // No session at all.
            let anonymous = try await client.execute(
                uri: path, method: .post, headers: ConsoleHTTP.headers(cookie: nil), body: ConsoleHTTP.form(["csrf": "x"]))
            #expect(anonymous.status == .unauthorized)
            // A made-up session cookie.
            let forged = try await client.execute(
                uri: path, method: .post, headers: ConsoleHTTP.headers(cookie: "yj_session=\(String(repeating: "a", count: 64))"),
                body: ConsoleHTTP.form(["csrf": "x"]))
            #expect(forged.status == .unauthorized)

            let (cookie, csrf, _) = try await ConsoleHTTP.signIn(client, token: token)
            // Missing and wrong CSRF tokens.
            let missing = try await client.execute(
                uri: path, method: .post, headers: ConsoleHTTP.headers(cookie: cookie), body: ConsoleHTTP.form([:]))
            #expect(missing.status == .forbidden)
            var wrong = csrf
            wrong.replaceSubrange(wrong.startIndex...wrong.startIndex, with: csrf.first == "0" ? "1" : "0")
            let bad = try await client.execute(
                uri: path, method: .post, headers: ConsoleHTTP.headers(cookie: cookie),
                body: ConsoleHTTP.form(["csrf": wrong]))
            #expect(bad.status == .forbidden)
            // The right token from another site (Origin) is refused too.
            let crossSite = try await client.execute(
                uri: path, method: .post, headers: ConsoleHTTP.headers(cookie: cookie, extra: [.origin: "https://evil.example"]),
                body: ConsoleHTTP.form(["csrf": csrf]))
            #expect(crossSite.status == .forbidden)
            #expect(try daemon.database.warning(id: id)?.state == .firing)
            // The right token works.
            let good = try await client.execute(
                uri: path, method: .post, headers: ConsoleHTTP.headers(cookie: cookie),
                body: ConsoleHTTP.form(["csrf": csrf, "back": "/console/warnings"]))
            #expect(good.status == .seeOther)
            #expect(good.headers[.location] == "/console/warnings?done=1")
            #expect(try daemon.database.warning(id: id)?.state == .acknowledged)
            // An open redirect is not possible through `back`.
            let silence = try await client.execute(
                uri: "/console/warnings/\(id)/silence", method: .post, headers: ConsoleHTTP.headers(cookie: cookie),
                body: ConsoleHTTP.form(["csrf": csrf, "back": "https://evil.example/", "duration": "2h", "comment": "maintenance"]))
            #expect(silence.headers[.location] == "/console/warnings?done=1")
            #expect(try daemon.database.warning(id: id)?.state == .silenced)
        }
    }

    @Test func sessionCookieFlagsAgentTokensAndRolesOnTheServerSide() async throws {
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        try await configured.run { client, daemon, _ in
            let (_, _, plain) = try await ConsoleHTTP.signIn(client, token: try #require(configured.tokens[.analyst]))
            let plainCookie = try #require(ConsoleHTTP.setCookies(plain).first { $0.hasPrefix("yj_session=") })
            #expect(plainCookie.contains("HttpOnly"))
            #expect(plainCookie.contains("SameSite=Strict"))
            #expect(plainCookie.contains("Path=/console"))
            #expect(!plainCookie.contains("Secure"))
            // Behind a TLS-terminating proxy the cookie is Secure.
            let (_, _, proxied) = try await ConsoleHTTP.signIn(
                client, token: try #require(configured.tokens[.analyst]),
                extra: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            let secureCookie = try #require(ConsoleHTTP.setCookies(proxied).first { $0.hasPrefix("yj_session=") })
            #expect(secureCookie.contains("Secure"))

            // Agent tokens and wrong tokens cannot sign in.
            let (agentCookie, _, agent) = try await ConsoleHTTP.signIn(client, token: try #require(configured.tokens[.agent]))
            #expect(agent.status == .unauthorized)
            #expect(agentCookie.isEmpty)
            let (_, _, wrong) = try await ConsoleHTTP.signIn(client, token: "yj_nope_nope")
            #expect(wrong.status == .unauthorized)

            // ops may handle warnings but not approve withdrawals: no button, and the handler refuses.
            let warningID = try ConsoleTestDaemon.plantWarning(daemon.database, dataset: "ds-r", title: "Leak ds-r")
            let withdrawalID = try ConsoleTestDaemon.plantProposedWithdrawal(
                daemon.database, dataset: "ds-r", warningID: warningID)
            let (opsCookie, opsCSRF, _) = try await ConsoleHTTP.signIn(client, token: try #require(configured.tokens[.ops]))
            let page = try await client.execute(uri: "/console/withdrawals", method: .get, headers: [.cookie: opsCookie])
            #expect(page.text.contains("withdrawal-\(withdrawalID)"))
            #expect(!page.text.contains("approve-withdrawal-\(withdrawalID)"))
            #expect(!page.text.contains("id=\"nav-traceback\""))  // ops may not read tracebacks
            let refused = try await client.execute(
                uri: "/console/withdrawals/\(withdrawalID)/approve", method: .post,
                headers: ConsoleHTTP.headers(cookie: opsCookie), body: ConsoleHTTP.form(["csrf": opsCSRF]))
            #expect(refused.status == .forbidden)
            let trace = try await client.execute(uri: "/console/traceback", method: .get, headers: [.cookie: opsCookie])
            #expect(trace.status == .forbidden)
            #expect(try daemon.database.withdrawal(id: withdrawalID)?.state == .proposed)
            // Revoking the token ends its console sessions at once.
            try daemon.database.revokeToken(name: "op-ops", actor: "test", nowMillis: ConsoleTestDaemon.now())
            let after = try await client.execute(uri: "/console/warnings", method: .get, headers: [.cookie: opsCookie])
            #expect(after.status == .seeOther)
            #expect(after.headers[.location]?.hasPrefix("/console/login") == true)
        }
    }

    @Test func sessionsExpireWhenIdleOrOld() async throws {
        // The store on its own, with the clock as an input.
        let store = SessionStore(idleMillis: 1000, absoluteMillis: 5000)
        let token = APIToken(name: "n", tokenID: "t", role: .ops, hash: "h", createdMillis: 0, revoked: false)
        let idle = await store.create(for: token, nowMillis: 0)
        #expect(await store.session(id: idle.id, nowMillis: 900) != nil)
        #expect(await store.session(id: idle.id, nowMillis: 1800) != nil)  // touched at 900
        #expect(await store.session(id: idle.id, nowMillis: 2801) == nil)  // idle for more than 1 s
        #expect(await store.session(id: idle.id, nowMillis: 2900) == nil)  // and gone for good
        let old = await store.create(for: token, nowMillis: 10_000)
        for now in stride(from: Int64(10_500), through: 15_000, by: 500) {
            #expect(await store.session(id: old.id, nowMillis: now) != nil)
        }
        #expect(await store.session(id: old.id, nowMillis: 15_001) == nil)  // 5 s after sign-in, however active
        #expect(await store.session(id: "not-a-session", nowMillis: 10_000) == nil)
        #expect(SessionStore.constantTimeEqual("abc", "abc"))
        #expect(!SessionStore.constantTimeEqual("abc", "abd"))
        #expect(!SessionStore.constantTimeEqual("abc", "abcd"))

        // And through the daemon: an idle session sends the browser back to the sign-in page.
        var daemon = try ConsoleTestDaemon()
        daemon.idleTimeoutSeconds = 1
        let configured = daemon
        defer { configured.remove() }
        let analyst = try #require(configured.tokens[.analyst])
        try await configured.run { client, _, _ in
            let (cookie, _, _) = try await ConsoleHTTP.signIn(client, token: analyst, readBoard: false)
            try await Task.sleep(for: .milliseconds(2500))
            let expired = try await client.execute(uri: "/console/warnings", method: .get, headers: [.cookie: cookie])
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location]?.contains("expired=1") == true)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        let token = try #require(configured.tokens[.analyst])
        try await configured.run { client, _, _ in
            let (fresh, csrf, _) = try await ConsoleHTTP.signIn(client, token: token)
            let out = try await client.execute(
                uri: "/console/logout", method: .post, headers: ConsoleHTTP.headers(cookie: fresh),
                body: ConsoleHTTP.form(["csrf": csrf]))
            #expect(out.status == .seeOther)
            #expect(ConsoleHTTP.cookieValue(out, "yj_session") == "")
            let gone = try await client.execute(uri: "/console/warnings", method: .get, headers: [.cookie: fresh])
            #expect(gone.status == .seeOther)
        }
    }

    @Test func languageFollowsAcceptLanguageAndTheToggleCookie() async throws {
        #expect(ConsoleLanguage.choose(cookie: nil, acceptLanguage: "en-GB,en;q=0.9,zh;q=0.1") == .en)
        #expect(ConsoleLanguage.choose(cookie: nil, acceptLanguage: "fr, zh-CN;q=0.8, en;q=0.5") == .zh)
        #expect(ConsoleLanguage.choose(cookie: nil, acceptLanguage: nil) == .zh)
        #expect(ConsoleLanguage.choose(cookie: "en", acceptLanguage: "zh-CN") == .en)
        #expect(ConsoleStrings.missing.isEmpty)
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        try await configured.run { client, _, _ in
            let english = try await client.execute(uri: "/console/login", method: .get, headers: [.acceptLanguage: "en-US"])
            #expect(english.text.contains("<html lang=\"en\">"))
            #expect(english.text.contains("Operator token"))
            let chinese = try await client.execute(uri: "/console/login", method: .get, headers: [.acceptLanguage: "zh-CN"])
            #expect(chinese.text.contains("操作员令牌"))
            let toggle = try await client.execute(
                uri: "/console/lang?to=en&back=%2Fconsole%2Flogin", method: .get, headers: [.acceptLanguage: "zh-CN"])
            #expect(toggle.status == .seeOther)
            #expect(toggle.headers[.location] == "/console/login")
            #expect(ConsoleHTTP.cookieValue(toggle, "lang") == "en")
            let sticky = try await client.execute(
                uri: "/console/login", method: .get, headers: [.acceptLanguage: "zh-CN", .cookie: "lang=en"])
            #expect(sticky.text.contains("Operator token"))
            // Assets come from Yujing itself; pages allow no other origin.
            let css = try await client.execute(uri: "/console/assets/console.css", method: .get)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            #expect(english.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
        }
    }

    @Test func aDatacenterOperatorWithdrawsFromTheWarningPageAndOpsCannot() async throws {
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        let datacenter = try #require(configured.tokens[.datacenter])
        let ops = try #require(configured.tokens[.ops])
        try await configured.run { client, daemon, _ in
            let database = daemon.database
            try database.upsertDataset(
                DatasetRecord(id: "ds-w", title: "T", ownerAgency: "A", openCategory: .unconditional))
            let id = try ConsoleTestDaemon.plantWarning(database, dataset: "ds-w", title: "Leak ds-w")

            let (opsCookie, opsCSRF, _) = try await ConsoleHTTP.signIn(client, token: ops)
            let opsPage = try await client.execute(uri: "/console/warnings/\(id)", method: .get, headers: [.cookie: opsCookie])
            #expect(opsPage.status == .ok)
            #expect(!opsPage.text.contains("withdraw-form"))
            #expect(!opsPage.text.contains("traceback-link"))
            let refused = try await client.execute(
                uri: "/console/warnings/\(id)/withdraw", method: .post, headers: ConsoleHTTP.headers(cookie: opsCookie),
                body: ConsoleHTTP.form(["csrf": opsCSRF, "comment": "leak"]))
            #expect(refused.status == .forbidden)
            #expect(try database.withdrawals(dataset: "ds-w").isEmpty)

            let (cookie, csrf, _) = try await ConsoleHTTP.signIn(client, token: datacenter)
            let page = try await client.execute(uri: "/console/warnings/\(id)", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("withdraw-form"))
            let noReason = try await client.execute(
                uri: "/console/warnings/\(id)/withdraw", method: .post, headers: ConsoleHTTP.headers(cookie: cookie),
                body: ConsoleHTTP.form(["csrf": csrf, "comment": " "]))
            #expect(noReason.status == .badRequest)
            let done = try await client.execute(
                uri: "/console/warnings/\(id)/withdraw", method: .post, headers: ConsoleHTTP.headers(cookie: cookie),
                body: ConsoleHTTP.form(["csrf": csrf, "comment": "resident IDs in the release", "back": "/console/warnings/\(id)"]))
            #expect(done.status == .seeOther)
            let withdrawal = try #require(try database.withdrawals(dataset: "ds-w").first)
            #expect(withdrawal.warningID == id)
            #expect(withdrawal.requestedBy == "op-datacenter")
            #expect(withdrawal.state == .executing)
            // Once a withdrawal is open the form is gone.
            let after = try await client.execute(uri: "/console/warnings/\(id)", method: .get, headers: [.cookie: cookie])
            #expect(!after.text.contains("withdraw-form"))
            #expect(after.text.contains("withdrawal-\(withdrawal.id)"))
        }
    }
}
