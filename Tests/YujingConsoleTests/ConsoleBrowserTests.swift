import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import YujingResponse
import YujingServer
import YujingStore

/// The console in real headless Chromium: sign in, the planted warning on the board, acknowledge it, approve a
/// proposed withdrawal, switch language, read the public notice, live update, sign out; and an auditor who sees no
/// action and whose forged post is refused.
@Suite(.serialized) struct ConsoleBrowserTests {
    @Test func anOperatorSignsInAcknowledgesApprovesSwitchesLanguageAndReadsTheNotice() async throws {
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        let token = try #require(configured.tokens[.datacenter])
        let agentToken = try #require(configured.tokens[.agent])
        try await configured.run { client, daemon, base in
            let database = daemon.database
            let warningID = try ConsoleTestDaemon.plantWarning(
                database, dataset: "ds-leak", title: "身份证号泄露 ds-leak")
            // An agent reports: a heartbeat, a masked finding in the dataset, and a download of it.
            let now = ConsoleTestDaemon.now() + 1
            let batch: [String: Any] = [
                "agent": "web-01", "batch_id": "b-1",
                "events": [
                    [
                        "type": "heartbeat", "time": now, "node": "node-a",
                        "metrics": ["lag_bytes": 3_276_800, "spool_bytes": 2048, "spool_batches": 2, "backpressure": 1],
                    ],
                    [
                        "type": "finding", "time": now, "dataset": "ds-leak", "file": "ds-leak.csv", "kind": "cn_mobile",
                        "count": 2, "masked_samples": ["138****5678"], "keyed_hashes": ["ab12"],
                    ],
                    [
                        "type": "access", "time": now, "node": "node-a", "ip": "203.0.113.9", "method": "GET",
                        "path": "/datasets/ds-leak/files/data.csv", "status": 200, "bytes": 4096,
                        "user_agent": "curl/8", "dataset": "ds-leak", "channel": "download", "subject": "ak-buyer-01",
                        "subject_kind": "app_key",
                    ],
                ],
            ]
            let ingest = try await client.execute(
                uri: "/api/v1/ingest", method: .post,
                headers: [.authorization: "Bearer \(agentToken)", .contentType: "application/json"],
                body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: batch)))
            #expect(ingest.status == .ok)
            let withdrawalID = try ConsoleTestDaemon.plantProposedWithdrawal(
                database, dataset: "ds-leak", warningID: warningID)
            let restriction = try await daemon.responder.restrict(
                kind: .appKey, subject: "ak-secret-7701", measure: .suspend, ground: .maliciousAcquisition,
                reason: "bulk download", durationMillis: 86_400_000, ratePerMinute: nil, escalation: nil,
                warningID: warningID, plan: nil, needsApproval: false, actor: "op-analyst")
            #expect(restriction?.state == .active)

            let browser = try await Chromium(acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.5")
            do {
                // Not signed in: the board sends us to the sign-in page, in Chinese (Accept-Language).
                try await browser.open("\(base)/console/warnings")
                #expect(try await browser.string("location.pathname") == "/console/login")
                #expect(try await browser.string("document.documentElement.lang") == "zh-CN")
                #expect(try await browser.string("document.querySelector('h1').textContent") == "登录")
                try await browser.screenshot("01-login-zh.png")

                // Sign in with the operator token.
                _ = try await browser.evaluate("document.getElementById('token').value = \(Chromium.quote(token)); true")
                try await browser.click("#login-submit")
                #expect(try await browser.string("location.pathname") == "/console/warnings")
                #expect(try await browser.string("document.getElementById('who').textContent") == "op-datacenter")

                // The session cookie: HttpOnly, SameSite=Strict, not readable by scripts.
                let cookies = try await browser.cookies()
                let session = try #require(cookies.first { $0["name"] as? String == "yj_session" })
                #expect(session["httpOnly"] as? Bool == true)
                #expect(session["sameSite"] as? String == "Strict")
                #expect(try await browser.string("document.cookie").contains("yj_session") == false)

                // The planted warning: level I in red, with its text (not colour alone).
                let row = "document.getElementById('warning-\(warningID)')"
                #expect(try await browser.string("\(row).textContent").contains("身份证号泄露 ds-leak"))
                let badge = try await browser.string("\(row).querySelector('.badge').textContent")
                #expect(badge.contains("I级") && badge.contains("红色"))
                #expect(
                    try await browser.string("getComputedStyle(\(row).querySelector('.badge')).backgroundColor")
                        == "rgb(198, 40, 40)")
                #expect(try await browser.string("document.getElementById('state-\(warningID)').textContent") == "告警中")
                try await browser.screenshot("02-board-zh.png")

                // Acknowledge it by clicking the button.
                try await browser.click("#ack-\(warningID)")
                #expect(try await browser.string("document.getElementById('state-\(warningID)').textContent") == "已确认")
                #expect(try database.warning(id: warningID)?.state == .acknowledged)
                #expect(try await browser.string("document.getElementById('flash').textContent") == "操作已完成。")
                try await browser.screenshot("03-acknowledged-zh.png")

                // Warning detail: evidence, history with the acknowledgement, the withdrawal, the measure.
                try await browser.open("\(base)/console/warnings/\(warningID)")
                let detail = try await browser.string("document.body.textContent")
                #expect(detail.contains("110***********002X"))
                #expect(detail.contains("138****5678"))  // the masked finding
                #expect(detail.contains("op-datacenter"))
                #expect(try await browser.evaluate("document.getElementById('withdrawal-\(withdrawalID)') !== null") as? Bool == true)
                #expect(try await browser.evaluate("document.getElementById('traceback-link') !== null") as? Bool == true)
                try await browser.screenshot("04-warning-detail-zh.png")

                // The traceback from the warning: the download is there, and the CSV export works.
                try await browser.click("#traceback-link")
                #expect(try await browser.string("document.getElementById('trace-subjects').textContent") == "1")
                #expect(try await browser.string("document.body.textContent").contains("app_key:ak-buyer-01"))
                let csv = try await browser.string(
                    "fetch(document.getElementById('trace-csv').href).then(r => r.text())")
                #expect(csv.hasPrefix("subject_kind,subject,channel,count,first,last,bytes,addresses"))
                #expect(csv.contains("app_key,ak-buyer-01,download,1,"))
                try await browser.screenshot("04b-traceback-zh.png")

                // Approve the proposed withdrawal on the withdrawals page.
                try await browser.click("#nav-withdrawals")
                #expect(try await browser.string("document.getElementById('wstate-\(withdrawalID)').textContent") == "已提议")
                try await browser.click("#approve-withdrawal-\(withdrawalID)")
                let approved = try database.withdrawal(id: withdrawalID)
                #expect(approved?.state == .executing)
                #expect(approved?.approvedBy == "op-datacenter")
                #expect(try await browser.string("document.getElementById('wstate-\(withdrawalID)').textContent") == "执行中")
                try await browser.screenshot("05-withdrawal-approved-zh.png")

                // Lift the measure on the restrictions page.
                let restrictionID = try #require(restriction?.id)
                try await browser.click("#nav-restrictions")
                #expect(try await browser.string("document.getElementById('rstate-\(restrictionID)').textContent") == "执行中")
                _ = try await browser.evaluate(
                    "document.querySelector('#restriction-\(restrictionID) input[name=comment]').value = '误报'; true")
                try await browser.click("#lift-restriction-\(restrictionID)")
                #expect(try await browser.string("document.getElementById('rstate-\(restrictionID)').textContent") == "已解除")
                #expect(try database.restriction(id: restrictionID)?.state == .lifted)
                #expect(try database.restriction(id: restrictionID)?.liftedBy == "op-datacenter")
                try await browser.screenshot("05b-restriction-lifted-zh.png")
                try await browser.click("#nav-withdrawals")

                // Switch to English with the toggle; the choice sticks (cookie `lang`).
                try await browser.click("#lang-toggle")
                #expect(try await browser.string("document.documentElement.lang") == "en")
                #expect(try await browser.string("document.querySelector('h1').textContent") == "Withdrawals")
                #expect(try await browser.string("document.getElementById('wstate-\(withdrawalID)').textContent") == "executing")
                try await browser.click("#nav-warnings")
                #expect(try await browser.string("document.getElementById('state-\(warningID)').textContent") == "acknowledged")
                #expect(try await browser.string("document.querySelector('#warning-\(warningID) .badge').textContent").contains("Level I"))
                try await browser.screenshot("06-board-en.png")

                // Agents: the heartbeat and its node.
                try await browser.click("#nav-agents")
                #expect(try await browser.string("document.querySelector('#agent-web-01 .health').textContent") == "ok")
                #expect(try await browser.string("document.getElementById('agent-web-01').textContent").contains("node-a"))
                #expect(try await browser.string("document.querySelector('#agent-web-01 .lag').textContent") == "3.1 MiB")
                #expect(try await browser.string("document.querySelector('#agent-web-01 .spool').textContent") == "2 batches · 2.0 KiB")
                #expect(
                    try await browser.string("document.querySelector('#agent-web-01 .backpressure').textContent")
                        == "on: reading paused")
                try await browser.screenshot("06b-agents-en.png")
                try await browser.click("#nav-warnings")

                // Live update: a new warning appears on the open board without reloading it.
                _ = try await browser.evaluate("window.__stay = true; true")
                let later = try ConsoleTestDaemon.plantWarning(
                    database, dataset: "ds-other", title: "Bulk download ds-other", level: .III, rule: "scraping.bulk")
                try await browser.waitFor("document.getElementById('warning-\(later)') !== null", timeout: 15)
                #expect(try await browser.evaluate("window.__stay === true") as? Bool == true)
                #expect(try await browser.string("document.querySelector('#warning-\(later) .badge').textContent").contains("Level III"))
                try await browser.screenshot("07-board-live-update-en.png")

                // The public notice: linked from the console, no login, subject masked.
                try await browser.click("#nav-notices")
                #expect(try await browser.string("location.pathname") == "/public/notices")
                let notice = try await browser.string("document.body.textContent")
                #expect(notice.contains("数据使用限制公告"))
                #expect(notice.contains("ak-secret-7701") == false)
                #expect(notice.contains("暂停访问"))
                try await browser.screenshot("08-public-notice.png")

                // Sign out: back to the sign-in page; the board needs a new sign-in.
                try await browser.open("\(base)/console/warnings")
                try await browser.click("#logout")
                #expect(try await browser.string("location.pathname") == "/console/login")
                try await browser.open("\(base)/console/warnings")
                #expect(try await browser.string("location.pathname") == "/console/login")
            } catch {
                await browser.close()
                throw error
            }
            await browser.close()
        }
    }

    @Test func anAuditorSeesNoActionAndAForgedPostIsRefused() async throws {
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        let token = try #require(configured.tokens[.auditor])
        try await configured.run { _, daemon, base in
            let database = daemon.database
            let warningID = try ConsoleTestDaemon.plantWarning(database, dataset: "ds-audit", title: "Leak ds-audit")
            let withdrawalID = try ConsoleTestDaemon.plantProposedWithdrawal(
                database, dataset: "ds-audit", warningID: warningID)
            let browser = try await Chromium(acceptLanguage: "en-US,en;q=0.9")
            do {
                try await browser.open("\(base)/console/login")
                #expect(try await browser.string("document.documentElement.lang") == "en")
                _ = try await browser.evaluate("document.getElementById('token').value = \(Chromium.quote(token)); true")
                try await browser.click("#login-submit")
                #expect(try await browser.string("document.getElementById('role').textContent") == "auditor (read only)")
                #expect(try await browser.evaluate("document.getElementById('warning-\(warningID)') !== null") as? Bool == true)
                // Only the sign-out form posts; no acknowledge/resolve/silence.
                #expect(try await browser.evaluate("document.querySelectorAll('form[method=post]').length") as? Int == 1)
                #expect(try await browser.evaluate("document.getElementById('ack-\(warningID)') === null") as? Bool == true)
                try await browser.screenshot("11-auditor-board-en.png")
                try await browser.click("#nav-withdrawals")
                #expect(try await browser.evaluate("document.querySelectorAll('form[method=post]').length") as? Int == 1)
                #expect(
                    try await browser.evaluate("document.getElementById('approve-withdrawal-\(withdrawalID)') === null") as? Bool
                        == true)
                // The auditor may read the audit log and verify the chain.
                try await browser.click("#nav-audit")
                try await browser.click("#verify-chain")
                #expect(try await browser.string("document.getElementById('verify-result').textContent").contains("Audit chain intact"))
                try await browser.screenshot("12-auditor-audit-verified-en.png")

                // A forged post with the auditor's own valid session and CSRF token: 403, nothing changes.
                let status = try await browser.evaluate(
                    """
                    (async () => {
                      const csrf = document.querySelector('input[name=csrf]').value;
                      const post = (path) => fetch(path, { method: 'POST', redirect: 'manual',
                        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                        body: 'csrf=' + encodeURIComponent(csrf) + '&back=%2Fconsole%2Fwarnings' });
                      const a = await post('/console/warnings/\(warningID)/acknowledge');
                      const b = await post('/console/withdrawals/\(withdrawalID)/approve');
                      return [a.status, b.status].join(',');
                    })()
                    """) as? String
                #expect(status == "403,403")
                #expect(try database.warning(id: warningID)?.state == .firing)
                #expect(try database.withdrawal(id: withdrawalID)?.state == .proposed)
            } catch {
                await browser.close()
                throw error
            }
            await browser.close()
        }
    }
}
