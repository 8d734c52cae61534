import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import YujingActions
import YujingResponse
import YujingServer
import YujingStore

/// A stand-in for the open-data platform (its admin API, one public dataset URL) and an owner agency's webhook:
/// the one part that cannot run here. Everything else is the real daemon on a real SQLite file.
final class FakePlatform: Sendable {
    struct Call: Sendable {
        var path: String
        var idempotencyKey: String?
        var body: String
    }

    let calls = Mutex<[Call]>([])
    let offline = Mutex<Set<String>>([])
    let ownerNotices = Mutex<[(body: Data, signature: String?)]>([])

    func application() -> some ApplicationProtocol {
        let router = Router()
        let idempotency = HTTPField.Name("Idempotency-Key")!
        let signature = HTTPField.Name("X-Yujing-Signature")!
        router.post("admin/datasets/{id}/offline") { request, context -> HTTPResponse.Status in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let id = try context.parameters.require("id")
            self.calls.withLock {
                $0.append(
                    Call(path: "offline/\(id)", idempotencyKey: request.headers[idempotency], body: String(buffer: body)))
            }
            self.offline.withLock { _ = $0.insert(id) }
            return .ok
        }
        router.get("public/{id}") { _, context -> HTTPResponse.Status in
            let id = try context.parameters.require("id")
            return self.offline.withLock { $0.contains(id) } ? .gone : .ok
        }
        router.post("owner-hook") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            self.ownerNotices.withLock { $0.append((Data(body.readableBytesView), request.headers[signature])) }
            return .ok
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

@Suite struct ResponseAPITests {
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func poll<T>(_ seconds: Double = 10, _ body: () async throws -> T?) async throws -> T? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try await body() { return value }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    @Test func aResidentIDLeakWithdrawsTheDatasetVerifiesItTracesBackAndTellsTheOwner() async throws {
        let platform = FakePlatform()
        try await platform.application().test(.live) { platformClient in
            let base = "http://127.0.0.1:\(try #require(platformClient.port))"
            var configured = try TestDaemon()
            defer { configured.remove() }
            configured.configuration.response.tickSeconds = 1
            configured.configuration.response.tracebackMarginSeconds = 10
            configured.configuration.platform = [
                "withdraw": PlatformCall(
                    url: "\(base)/admin/datasets/{{dataset}}/offline", body: #"{"reason":"{{reason}}"}"#,
                    headers: ["Authorization": "Bearer platform-secret"])
            ]
            configured.configuration.owners = [OwnerWebhook(agency: "市卫健委", url: "\(base)/owner-hook", secret: "owner-s3cret")]
            let daemon = configured
            let plans = try TestDaemon.shippedPlans()
            try await daemon.run(plans: plans) { client, running in
                try await client.execute(
                    uri: "/api/v1/datasets/ds-clinics", method: .put, headers: daemon.headers(.datacenter),
                    body: try Batches.json([
                        "title": "医疗机构名录", "owner_agency": "市卫健委", "open_category": "unconditional",
                        "url_patterns": ["/datasets/ds-clinics/**"], "public_url": "\(base)/public/ds-clinics",
                    ])
                ) { #expect($0.status == .ok, "\($0.text)") }
                let t = Self.now()
                // Before the leaking version: not in the traceback. After it: three subjects, a failed request, a drill.
                let downloads: [[String: Any]] = [
                    Batches.download(subject: "ak-early-000000001", dataset: "ds-clinics", millis: t - 120_000),
                    Batches.download(subject: "ak-alpha-000000001", dataset: "ds-clinics", millis: t - 60_000),
                    Batches.download(subject: "ak-alpha-000000001", dataset: "ds-clinics", millis: t - 50_000),
                    Batches.download(subject: "ak-bravo-000000002", dataset: "ds-clinics", millis: t - 40_000, ip: "198.51.100.7"),
                    Batches.download(subject: "ak-charl-000000003", dataset: "ds-clinics", millis: t - 30_000),
                    Batches.download(subject: "ak-delta-000000004", dataset: "ds-clinics", millis: t - 30_000, status: 404),
                    Batches.download(subject: "ak-drill-000000005", dataset: "ds-clinics", millis: t - 30_000, drill: "d-1"),
                    Batches.download(subject: "ak-other-000000006", dataset: "ds-other", millis: t - 30_000),
                ]
                try await client.execute(
                    uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                    body: try Batches.batch("downloads", downloads)
                ) { #expect($0.status == .ok) }
                try await client.execute(
                    uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                    body: try Batches.batch("leak", [Batches.findingNow(dataset: "ds-clinics", count: 3, millis: t - 90_000)])
                ) { #expect($0.status == .ok) }
                // The plan withdraws at once; the public URL answers 410 after the adapter call: verified.
                let withdrawal = try await Self.poll {
                    let response = try await client.execute(
                        uri: "/api/v1/withdrawals?dataset=ds-clinics", method: .get, headers: daemon.headers(.auditor))
                    let first = (response.json()["withdrawals"] as? [[String: Any]])?.first
                    return first?["state"] as? String == "withdrawn" ? first : nil
                }
                let shown = try #require(withdrawal, "the dataset was not withdrawn and verified")
                #expect(shown["plan"] as? String == "withdraw-resident-id-leak")
                #expect((shown["verification"] as? [String: String])?["status"] == "verified")
                #expect((shown["adapter"] as? [String: String])?["status"] == "done")
                let warningID = try #require(shown["warning_id"] as? Int)
                let warning = try await client.execute(
                    uri: "/api/v1/warnings/\(warningID)", method: .get, headers: daemon.headers(.analyst)
                ).json()
                #expect((warning["links"] as? [String: String])?["traceback"] == "/api/v1/datasets/ds-clinics/traceback")
                let id = try #require(shown["id"] as? Int)
                let calls = platform.calls.withLock { $0 }
                #expect(calls.count == 1)
                #expect(calls.first?.idempotencyKey == "yujing-withdraw-\(id)")
                #expect(calls.first?.body.contains("\"reason\":\"") == true)
                let detail = try await client.execute(
                    uri: "/api/v1/withdrawals/\(id)", method: .get, headers: daemon.headers(.analyst)
                ).json()
                let states = (detail["history"] as? [[String: Any]])?.compactMap { $0["state"] as? String }
                #expect(states == ["approved", "executing", "withdrawn"])

                // Traceback: exactly the three subjects that obtained the leaking version.
                let trace = try await client.execute(
                    uri: "/api/v1/datasets/ds-clinics/traceback", method: .get, headers: daemon.headers(.auditor)
                ).json()
                let rows = try #require(trace["rows"] as? [[String: Any]])
                #expect(Set(rows.compactMap { $0["subject"] as? String }) == [
                    "ak-alpha-000000001", "ak-bravo-000000002", "ak-charl-000000003",
                ])
                #expect(trace["requests"] as? Int == 4)
                #expect(rows.first { $0["subject"] as? String == "ak-alpha-000000001" }?["count"] as? Int == 2)
                let csv = try await client.execute(
                    uri: "/api/v1/datasets/ds-clinics/traceback?format=csv", method: .get, headers: daemon.headers(.datacenter))
                #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
                #expect(csv.text.hasPrefix("subject_kind,subject,channel,count,first,last,bytes,addresses\r\n"))
                #expect(csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 4)

                // The reverse question, for an investigator: what did one subject request (Art. 18)?
                let activity = try await client.execute(
                    uri: "/api/v1/subjects/app_key/ak-alpha-000000001/activity", method: .get,
                    headers: daemon.headers(.analyst)
                ).json()
                let activityRows = try #require(activity["rows"] as? [[String: Any]])
                #expect(activityRows.count == 1)
                #expect(activityRows.first?["dataset"] as? String == "ds-clinics")
                #expect(activityRows.first?["count"] as? Int == 2)
                #expect(activityRows.first?["obtained"] as? Int == 2)
                #expect(activity["requests"] as? Int == 2)
                let other = try await client.execute(
                    uri: "/api/v1/subjects/app_key/ak-other-000000006/activity", method: .get,
                    headers: daemon.headers(.auditor)
                ).json()
                #expect((other["rows"] as? [[String: Any]])?.first?["dataset"] as? String == "ds-other")
                let encoded = try await client.execute(
                    uri: "/api/v1/subjects/app_key/ak%2Dalpha%2D000000001/activity", method: .get,
                    headers: daemon.headers(.analyst)
                ).json()
                #expect(encoded["requests"] as? Int == 2)
                try await client.execute(
                    uri: "/api/v1/subjects/app_key/ak-alpha-000000001/activity", method: .get, headers: daemon.headers(.agent)
                ) { #expect($0.status == .forbidden) }
                try await client.execute(
                    uri: "/api/v1/subjects/bogus/x/activity", method: .get, headers: daemon.headers(.analyst)
                ) { #expect($0.status == .badRequest) }

                // The owner was told, signed, with credentials masked.
                let notice = try await Self.poll { platform.ownerNotices.withLock { $0.first } }
                let received = try #require(notice, "the owner agency got no notice")
                #expect(received.signature == WebhookSink.signature(body: received.body, secret: "owner-s3cret"))
                let payload = try #require(try JSONSerialization.jsonObject(with: received.body) as? [String: Any])
                #expect(payload["dataset"] as? String == "ds-clinics")
                #expect(payload["subjects"] as? Int == 3)
                #expect(!String(decoding: received.body, as: UTF8.self).contains("ak-alpha-000000001"))

                // Agents get the block; agents only.
                let document = try await client.execute(
                    uri: "/api/v1/enforcement", method: .get, headers: daemon.headers(.agent)
                ).json()
                let blocked = try #require(document["withdrawals"] as? [[String: Any]])
                #expect(blocked.first?["dataset"] as? String == "ds-clinics")
                #expect(blocked.first?["url_patterns"] as? [String] == ["/datasets/ds-clinics/**"])
                try await client.execute(uri: "/api/v1/enforcement", method: .get, headers: daemon.headers(.analyst)) {
                    #expect($0.status == .forbidden)
                }
                // Roles: analysts may not withdraw; a second withdrawal of the same dataset is the same one.
                try await client.execute(
                    uri: "/api/v1/withdrawals", method: .post, headers: daemon.headers(.analyst),
                    body: try Batches.json(["dataset": "ds-clinics", "reason": "x"])
                ) { #expect($0.status == .forbidden) }
                try await client.execute(
                    uri: "/api/v1/withdrawals", method: .post, headers: daemon.headers(.datacenter),
                    body: try Batches.json(["dataset": "ds-clinics", "reason": "again"])
                ) { #expect($0.json()["id"] as? Int == id) }
                // Restoring before a clean re-scan is refused.
                try await client.execute(
                    uri: "/api/v1/withdrawals/\(id)/restore", method: .post, headers: daemon.headers(.datacenter)
                ) { #expect($0.status == .conflict) }
                // A clean scan of the new version: re-desensitized, then restored.
                try await client.execute(
                    uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                    body: try Batches.batch("rescan", [[
                        "type": "finding", "time": Self.now(), "dataset": "ds-clinics", "file": "ds-clinics-v2.csv",
                        "kind": "scan_clean", "count": 0,
                    ]])
                ) { #expect($0.status == .ok) }
                let redesensitized = try await Self.poll {
                    let state = try await client.execute(
                        uri: "/api/v1/withdrawals/\(id)", method: .get, headers: daemon.headers(.auditor)
                    ).json()["state"] as? String
                    return state == "redesensitized" ? state : nil
                }
                #expect(redesensitized != nil, "a clean re-scan did not mark the withdrawal re-desensitized")
                try await client.execute(
                    uri: "/api/v1/withdrawals/\(id)/restore", method: .post, headers: daemon.headers(.datacenter),
                    body: try Batches.json(["comment": "v2 checked"])
                ) { #expect($0.json()["state"] as? String == "restored", "\($0.text)") }
                let after = try await client.execute(
                    uri: "/api/v1/enforcement", method: .get, headers: daemon.headers(.agent)
                ).json()
                #expect((after["withdrawals"] as? [Any])?.isEmpty == true)
                #expect((after["restored"] as? [[String: Any]])?.first?["dataset"] as? String == "ds-clinics")
                #expect(after["version"] as? String != document["version"] as? String)

                let database = running.database
                let verification = try database.verifyAuditChain()
                #expect(verification.problem == nil)
                let actions = try database.auditEntries().map(\.action)
                for action in ["withdrawal.approved", "withdrawal.executing", "withdrawal.withdrawn",
                    "withdrawal.adapter-done", "withdrawal.owner-notified", "withdrawal.redesensitized", "withdrawal.restored"]
                {
                    #expect(actions.contains(action), "audit lacks \(action)")
                }
            }
        }
    }

    @Test func restrictionsEscalateAreAnnouncedMaskedAndCanBeLifted() async throws {
        var configured = try TestDaemon()
        defer { configured.remove() }
        configured.configuration.response.allowList = ["app_key:ak-internal-000001"]
        let daemon = configured
        try await daemon.run(plans: try TestDaemon.shippedPlans()) { client, running in
            let t = Self.now()
            func burst(_ key: String, _ batch: String, from start: Int64) async throws {
                let events = (0..<310).map {
                    Batches.download(subject: key, dataset: "ds-\($0 % 40)", millis: start + Int64($0) * 1000)
                }
                try await client.execute(
                    uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                    body: try Batches.batch(batch, events)
                ) { #expect($0.status == .ok) }
            }
            func restrictions() async throws -> [[String: Any]] {
                try await client.execute(uri: "/api/v1/restrictions", method: .get, headers: daemon.headers(.auditor))
                    .json()["restrictions"] as? [[String: Any]] ?? []
            }
            try await burst("ak-scraper-00000001", "b1", from: t - 2_400_000)
            let first = try await Self.poll { try await restrictions().first { $0["subject"] as? String == "ak-scraper-00000001" } }
            let imposed = try #require(first, "bulk download did not suspend the key")
            #expect(imposed["measure"] as? String == "suspend")
            #expect(imposed["state"] as? String == "active")
            #expect(imposed["ground"] as? Int == 1)
            #expect(imposed["plan"] as? String == "suspend-bulk-scraper")
            let firstID = try #require(imposed["id"] as? Int)
            let firstStart = try #require((imposed["starts_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            let firstUntil = try #require((imposed["until"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(firstUntil.timeIntervalSince(firstStart) - 86_400) < 2)

            // The public notice: no login, masked subject, the ground; the clear key nowhere.
            let noticeJSON = try await client.execute(
                uri: "/public/notices?format=json", method: .get, headers: [:])
            #expect(noticeJSON.status == .ok)
            let inForce = try #require(noticeJSON.json()["in_force"] as? [[String: Any]])
            #expect(inForce.first?["subject"] as? String == "ak-****01")
            #expect(inForce.first?["ground"] as? Int == 1)
            let noticeHTML = try await client.execute(uri: "/public/notices", method: .get, headers: [:])
            #expect(noticeHTML.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(noticeHTML.text.contains("ak-****01"))
            #expect(noticeHTML.text.contains("第二十六条"))
            for text in [noticeJSON.text, noticeHTML.text] { #expect(!text.contains("ak-scraper-00000001")) }

            // Agents see it in clear, to enforce it.
            let document = try await client.execute(uri: "/api/v1/enforcement", method: .get, headers: daemon.headers(.agent)).json()
            #expect((document["restrictions"] as? [[String: Any]])?.first?["subject"] as? String == "ak-scraper-00000001")

            // Lift (auditors may not), then a repeat offence: resolve the warning, burst again -> twice as long.
            try await client.execute(
                uri: "/api/v1/restrictions/\(firstID)/lift", method: .post, headers: daemon.headers(.auditor)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/api/v1/restrictions/\(firstID)/lift", method: .post, headers: daemon.headers(.datacenter),
                body: try Batches.json(["reason": "owner contacted"])
            ) { #expect($0.json()["state"] as? String == "lifted", "\($0.text)") }
            // A closure proposed meanwhile (not in force) must not stop the automatic repeat suspension.
            try await client.execute(
                uri: "/api/v1/restrictions", method: .post, headers: daemon.headers(.analyst),
                body: try Batches.json([
                    "subject_kind": "app_key", "subject": "ak-scraper-00000001", "measure": "close", "ground": 1,
                    "reason": "proposed while lifted",
                ])
            ) { #expect($0.json()["state"] as? String == "proposed", "\($0.text)") }
            let warnings = try await client.execute(
                uri: "/api/v1/warnings?rule=exfil.bulk-download", method: .get, headers: daemon.headers(.analyst)
            ).json()["warnings"] as? [[String: Any]] ?? []
            let warningID = try #require(warnings.first?["id"] as? Int)
            try await client.execute(
                uri: "/api/v1/warnings/\(warningID)/resolve", method: .post, headers: daemon.headers(.analyst))
            try await burst("ak-scraper-00000001", "b2", from: t - 1_200_000)
            let second = try await Self.poll {
                try await restrictions().first {
                    $0["subject"] as? String == "ak-scraper-00000001" && $0["id"] as? Int != firstID
                        && $0["measure"] as? String == "suspend"
                }
            }
            let repeated = try #require(second, "the repeat offence was not restricted")
            #expect(repeated["repeat_index"] as? Int == 1)
            let start = try #require((repeated["starts_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            let until = try #require((repeated["until"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(until.timeIntervalSince(start) - 2 * 86_400) < 2)
            let recent = try await client.execute(uri: "/public/notices?format=json", method: .get, headers: [:])
                .json()["recent"] as? [[String: Any]] ?? []
            #expect(recent.first?["state"] as? String == "lifted")

            // The allow-list is never restricted.
            try await burst("ak-internal-000001", "b3", from: t - 600_000)
            try await Task.sleep(for: .seconds(1))
            #expect(try await restrictions().allSatisfy { $0["subject"] as? String != "ak-internal-000001" })
            #expect(try running.database.auditEntries().contains { $0.action == "restriction.allow-listed" })

            // Closing needs a datacenter approval.
            let closed = try await client.execute(
                uri: "/api/v1/restrictions", method: .post, headers: daemon.headers(.analyst),
                body: try Batches.json([
                    "subject_kind": "cidr", "subject": "192.0.2.0/24", "measure": "close", "ground": 2,
                    "reason": "repeated privacy infringement",
                ]))
            #expect(closed.status == .created, "\(closed.text)")
            #expect(closed.json()["state"] as? String == "proposed")
            let closeID = try #require(closed.json()["id"] as? Int)
            try await client.execute(
                uri: "/api/v1/restrictions/\(closeID)/approve", method: .post, headers: daemon.headers(.analyst)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/api/v1/restrictions/\(closeID)/approve", method: .post, headers: daemon.headers(.datacenter)
            ) { #expect($0.json()["state"] as? String == "active") }
            try await client.execute(
                uri: "/api/v1/restrictions", method: .post, headers: daemon.headers(.analyst),
                body: try Batches.json([
                    "subject_kind": "ip", "subject": "300.1.1.1", "measure": "warn", "ground": 4, "reason": "x",
                ])
            ) { #expect($0.status == .badRequest) }
            try await client.execute(
                uri: "/api/v1/restrictions", method: .post, headers: daemon.headers(.analyst),
                body: try Batches.json([
                    "subject_kind": "app_key", "subject": "k", "measure": "suspend", "ground": 7, "reason": "x",
                    "duration_seconds": 60,
                ])
            ) { #expect($0.status == .badRequest) }
            #expect(try running.database.verifyAuditChain().problem == nil)
        }
    }

    @Test func aFailedNginxApplyAndADeadPlatformAdapterRaiseWarnings() async throws {
        var configured = try TestDaemon()
        defer { configured.remove() }
        configured.configuration.response.tickSeconds = 1
        configured.configuration.response.adapterAttempts = 2
        let deadPort = try NotificationTests.freePort()
        configured.configuration.platform = [
            "withdraw": PlatformCall(url: "http://127.0.0.1:\(deadPort)/admin/{{dataset}}/offline")
        ]
        let daemon = configured
        try await daemon.run { client, running in
            try await client.execute(
                uri: "/api/v1/datasets/ds-roads", method: .put, headers: daemon.headers(.datacenter),
                body: try Batches.json(["title": "道路", "owner_agency": "市交通局", "open_category": "unconditional"]))
            let created = try await client.execute(
                uri: "/api/v1/withdrawals", method: .post, headers: daemon.headers(.datacenter),
                body: try Batches.json(["dataset": "ds-roads", "reason": "operator decision"]))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json()["id"] as? Int)
            let failed = try await Self.poll(15) {
                let shown = try await client.execute(
                    uri: "/api/v1/withdrawals/\(id)", method: .get, headers: daemon.headers(.auditor)).json()
                return (shown["adapter"] as? [String: String])?["status"] == "failed" ? shown : nil
            }
            let shown = try #require(failed, "the dead adapter was not reported failed")
            #expect((shown["adapter"] as? [String: String])?["attempts"] == "2")
            let adapterWarning = try await Self.poll {
                try await client.execute(
                    uri: "/api/v1/warnings?rule=response.adapter-failed", method: .get, headers: daemon.headers(.analyst)
                ).json()["warnings"] as? [[String: Any]]
            }
            #expect(adapterWarning?.first?["level"] as? String == "II")

            let report: [String: Any] = [
                "agent": "web-01", "version": "v1", "applied_at": "2026-12-01T05:00:00Z",
                "nginx": ["status": "failed", "error": "nginx: [emerg] unknown directive \"denyy\""],
                "withdrawals": [], "restored": [],
            ]
            try await client.execute(
                uri: "/api/v1/enforcement/report", method: .post, headers: daemon.headers(.agent),
                body: try Batches.json(report)
            ) { #expect($0.json()["status"] as? String == "recorded") }
            let nginxWarnings = try await client.execute(
                uri: "/api/v1/warnings?rule=response.enforcement-failed", method: .get, headers: daemon.headers(.analyst)
            ).json()["warnings"] as? [[String: Any]] ?? []
            #expect(nginxWarnings.count == 1)
            #expect((nginxWarnings.first?["annotations"] as? [String: String])?["summary"]?.contains("web-01") == true)
            try await client.execute(
                uri: "/api/v1/enforcement/report", method: .post, headers: daemon.headers(.agent),
                body: try Batches.json(["agent": "web-01"])
            ) { #expect($0.status == .badRequest) }
            #expect(try running.database.auditEntries().contains { $0.action == "enforcement.failed" })
        }
    }
}
