import Foundation
import GRDB
import Testing
import YujingCore

@testable import YujingStore

@Suite struct YujingDatabaseTests {
    static func access(_ time: Int64, subject: String = "u1") -> IngestItem {
        .access(
            AccessEvent(
                timeMillis: time, node: "web-1", clientIP: "10.0.0.1", subject: Subject(kind: .user, id: subject),
                path: "/datasets/d1/download", dataset: "d1", channel: .download))
    }

    @Test func walModeAndIdempotentBatches() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        let mode = try temp.database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let items = [Self.access(1_000), Self.access(2_000)]
        #expect(
            try temp.database.storeBatch(agent: "a", batchID: "b1", items: items, receivedMillis: 0)
                == .stored(events: 2))
        #expect(try temp.database.storeBatch(agent: "a", batchID: "b1", items: items, receivedMillis: 0) == .duplicate)
        #expect(
            try temp.database.storeBatch(agent: "other", batchID: "b1", items: items, receivedMillis: 0)
                == .stored(events: 2))
        #expect(try temp.database.accessEventCount() == 4)
    }

    @Test func batchesStoredTogetherAreEachDeduplicatedAndAllOrNothing() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        typealias Request = YujingDatabase.BatchRequest
        _ = try temp.database.storeBatch(agent: "a", batchID: "old", items: [Self.access(1_000)], receivedMillis: 0)
        let outcomes = try temp.database.storeBatches([
            Request(agent: "a", batchID: "new", items: [Self.access(2_000), Self.access(3_000)], receivedMillis: 0),
            Request(agent: "a", batchID: "old", items: [Self.access(1_000)], receivedMillis: 0),
            Request(agent: "a", batchID: "new", items: [Self.access(2_000), Self.access(3_000)], receivedMillis: 0),
            Request(agent: "b", batchID: "new", items: [Self.access(4_000)], receivedMillis: 0),
        ])
        #expect(outcomes == [.stored(events: 2), .duplicate, .duplicate, .stored(events: 1)])
        #expect(try temp.database.accessEventCount() == 4)
        // One failing batch fails its whole transaction: nothing of the group is kept.
        try temp.database.writer.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse BEFORE INSERT ON access_event WHEN NEW.time_ms = 9000
                    BEGIN SELECT RAISE(ABORT, 'refused by test'); END
                    """)
        }
        #expect(throws: StoreError.self) {
            try temp.database.storeBatches([
                Request(agent: "c", batchID: "1", items: [Self.access(8_000)], receivedMillis: 0),
                Request(agent: "c", batchID: "2", items: [Self.access(9_000)], receivedMillis: 0),
            ])
        }
        #expect(try temp.database.accessEventCount() == 4)
        #expect(try temp.database.isBatchStored(agent: "c", batchID: "1") == false)
    }

    @Test func purgeDeletesOnlyOldEvents() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        _ = try temp.database.storeBatch(
            agent: "a", batchID: "b", items: [Self.access(1_000), Self.access(5_000)], receivedMillis: 0)
        #expect(try temp.database.purge(olderThan: 2_000) == 1)
        #expect(try temp.database.accessEventCount() == 1)
    }

    @Test func eventsComeBackInTimeOrderAfterACursor() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        _ = try temp.database.storeBatch(
            agent: "a", batchID: "b", items: [Self.access(3_000), Self.access(1_000, subject: "u2")], receivedMillis: 0)
        let cursor = try temp.database.currentCursor()
        _ = try temp.database.storeBatch(agent: "a", batchID: "c", items: [Self.access(2_000)], receivedMillis: 0)
        let all = try temp.database.events(after: EventCursor(), sinceMillis: .min)
        #expect(all.map(\.timeMillis) == [1_000, 2_000, 3_000])
        #expect(all.first?.subject?.id == "u2")
        #expect(try temp.database.events(after: cursor, sinceMillis: .min).map(\.timeMillis) == [2_000])
    }

    @Test func tokensAreHashedAndRevocable() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        let token = try temp.database.createToken(name: "agent-1", role: .agent, actor: "test", nowMillis: 1)
        let stored = try temp.database.writer.read { db in try String.fetchAll(db, sql: "SELECT hash FROM api_token") }
        #expect(stored == [TokenSecret.hash(token)])
        #expect(!stored.contains(token))
        #expect(try temp.database.authenticate(token: token)?.role == .agent)
        #expect(try temp.database.authenticate(token: token + "x") == nil)
        #expect(throws: StoreError.self) {
            try temp.database.createToken(name: "agent-1", role: .ops, actor: "t", nowMillis: 1)
        }
        try temp.database.revokeToken(name: "agent-1", actor: "test", nowMillis: 2)
        #expect(try temp.database.authenticate(token: token) == nil)
    }

    @Test func warningsDeduplicateEscalateAndInhibit() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        func input(_ fingerprint: String, _ level: WarningLevel, _ time: Int64) -> WarningInput {
            WarningInput(
                fingerprint: fingerprint, rule: "r-\(fingerprint)", title: "t", level: level,
                labels: ["dataset": "d1"], annotations: [:], evidence: "e", timeMillis: time)
        }
        let first = try temp.database.applyWarning(input("a", .III, 1_000), nowMillis: 0)
        #expect(first.kind == .created && first.notify)
        let again = try temp.database.applyWarning(input("a", .III, 2_000), nowMillis: 0)
        #expect(again.kind == .repeated && !again.notify && again.warning.count == 2)
        #expect(again.warning.lastSeenMillis == 2_000)
        let up = try temp.database.applyWarning(input("a", .II, 3_000), nowMillis: 0)
        #expect(up.kind == .escalated && up.warning.level == .II && up.notify)
        _ = try temp.database.applyWarning(input("big", .I, 4_000), nowMillis: 0)
        let lower = try temp.database.applyWarning(input("c", .III, 5_000), nowMillis: 0)
        #expect(lower.kind == .created && !lower.notify && lower.warning.inhibitedBy != nil)
        #expect(try temp.database.warnings(WarningFilter(level: .I)).count == 1)
        #expect(try temp.database.warnings().count == 3)
        let history = try temp.database.warningHistory(id: up.warning.id).map(\.action)
        #expect(history == ["created", "escalated"])
    }

    @Test func silencesMuteNotificationsUntilExpiry() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        let input = WarningInput(
            fingerprint: "f", rule: "r", title: "t", level: .III, labels: [:], annotations: [:], evidence: "",
            timeMillis: 1)
        let created = try temp.database.applyWarning(input, nowMillis: 0)
        _ = try temp.database.silenceWarning(
            id: created.warning.id, author: "analyst", comment: "known", expiresMillis: 10_000, nowMillis: 0)
        var higher = input
        higher.level = .II
        let muted = try temp.database.applyWarning(higher, nowMillis: 5_000)
        #expect(muted.warning.state == .silenced && !muted.notify)
        higher.level = .I
        let after = try temp.database.applyWarning(higher, nowMillis: 20_000)
        #expect(after.warning.state == .firing && after.notify)
    }

    @Test func staleWarningsAutoResolve() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        func input(_ fingerprint: String, _ time: Int64) -> WarningInput {
            WarningInput(
                fingerprint: fingerprint, rule: "r", title: "t", level: .III, labels: [:], annotations: [:],
                evidence: "", timeMillis: time)
        }
        let old = try temp.database.applyWarning(input("old", 1_000), nowMillis: 0)
        let fresh = try temp.database.applyWarning(input("fresh", 50_000), nowMillis: 0)
        let resolved = try temp.database.autoResolveWarnings(lastSeenBefore: 10_000, nowMillis: 1)
        #expect(resolved.map(\.id) == [old.warning.id])
        #expect(try temp.database.warning(id: old.warning.id)?.state == .resolved)
        #expect(try temp.database.warning(id: fresh.warning.id)?.state == .firing)
        #expect(try temp.database.warningHistory(id: old.warning.id).last?.action == "auto-resolved")
    }

    @Test func auditChainDetectsEditInsertAndDelete() throws {
        for tamper in ["edit", "insert", "delete", "delete-last"] {
            let temp = try TemporaryDatabase()
            defer { temp.remove() }
            for index in 1...5 {
                try temp.database.audit(
                    actor: "cli", action: "test.\(index)", target: "t\(index)", nowMillis: Int64(index))
            }
            #expect(try temp.database.verifyAuditChain().isIntact)
            #expect(throws: (any Error).self) {
                try temp.database.writer.write { db in try db.execute(sql: "UPDATE audit_log SET actor = 'x'") }
            }
            try temp.database.writer.write { db in
                try db.execute(sql: "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete")
                switch tamper {
                case "edit": try db.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
                case "insert":
                    try db.execute(sql: "UPDATE audit_log SET id = -id WHERE id >= 3")
                    try db.execute(sql: "UPDATE audit_log SET id = 1 - id WHERE id < 0")
                    try db.execute(
                        sql: """
                            INSERT INTO audit_log (id, time_ms, actor, action, target, detail, prev_hash, hash)
                            VALUES (3, 3, 'mallory', 'x', 'y', '', 'bad', 'bad')
                            """)
                case "delete": try db.execute(sql: "DELETE FROM audit_log WHERE id = 3")
                default: try db.execute(sql: "DELETE FROM audit_log WHERE id = 5")
                }
            }
            let result = try temp.database.verifyAuditChain()
            #expect(!result.isIntact, "\(tamper) not detected")
            let expectedRow: Int64 = tamper == "delete-last" ? 5 : 3
            #expect(result.problemRow == expectedRow, "\(tamper): \(result)")
            #expect(result.description.contains("row \(expectedRow)"), "\(tamper): \(result)")
        }
    }

    @Test func migrationsAreIdempotentOnReopen() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        try temp.database.upsertDataset(
            DatasetRecord(id: "d1", title: "T", ownerAgency: "A", openCategory: .conditional, urlPatterns: ["/d1/*"]))
        let reopened = try YujingDatabase.open(path: temp.path)
        #expect(try reopened.datasets().first?.openCategory == .conditional)
        let applied = try reopened.writer.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(
            applied == [
                "v1-catalogue", "v1-events", "v1-security", "v1-warnings", "v2-response", "v3-drills",
                "v4-heartbeat-metrics", "v5-access-presence", "v6-access-indexes", "v7-agent-latest",
            ])
        #expect(applied == YujingDatabase.migrator.migrations.sorted())
    }
}
