import Foundation
import GRDB
import Testing
import YujingCore

@testable import YujingStore

/// `access_presence` and the subject activity query built on it (the reverse of the traceback).
@Suite struct ActivityTests {
    static let hour: Int64 = 1_772_352_000_000  // 2026-03-01T08:00:00Z, the start of an hour
    static let minute: Int64 = 60_000

    static func event(
        _ time: Int64, subject: String? = "u1", kind: Subject.Kind = .user, ip: String = "10.0.0.1",
        dataset: String? = "d1", channel: AccessChannel? = .download, status: Int = 200, bytes: Int64 = 100,
        drill: String? = nil
    ) -> IngestItem {
        .access(
            AccessEvent(
                timeMillis: time, clientIP: ip, subject: subject.map { Subject(kind: kind, id: $0) },
                path: "/datasets/\(dataset ?? "none")/download", dataset: dataset, channel: channel, status: status,
                bytes: bytes, drillID: drill))
    }

    static func presenceRows(_ database: YujingDatabase) throws -> [String] {
        try database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT who_kind, who, hour_ms, dataset FROM access_presence ORDER BY who_kind, who, hour_ms, dataset"
            ).map { "\($0[0] as String):\($0[1] as String)@\(($0[2] as Int64 - hour) / 3_600_000)/\($0[3] as String)" }
        }
    }

    @Test func activityListsEachDatasetAndChannelAUserTouched() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        let h = Self.hour, m = Self.minute
        _ = try temp.database.storeBatch(
            agent: "a", batchID: "1",
            items: [
                Self.event(h + 10 * m, bytes: 1_000),
                Self.event(h + 20 * m, ip: "10.0.0.2", bytes: 2_000),
                Self.event(h + 50 * m, status: 404, bytes: 10),
                Self.event(h + 70 * m, dataset: "d2", channel: .api, bytes: 5),
                Self.event(h + 15 * m, dataset: nil, channel: nil),
                Self.event(h + 30 * m, subject: "u2"),
                Self.event(h + 30 * m, subject: "u1", kind: .appKey),  // another kind: another subject
                Self.event(h + 40 * m, subject: nil, ip: "192.0.2.9"),
                Self.event(h + 45 * m, drill: "drill-1"),  // a drill's synthetic request: not real activity
            ], receivedMillis: 0)
        // A second batch in the same hour adds no presence row but is counted.
        _ = try temp.database.storeBatch(
            agent: "a", batchID: "2", items: [Self.event(h + 55 * m, bytes: 4_000)], receivedMillis: 0)
        #expect(
            try Self.presenceRows(temp.database) == [
                "app_key:u1@0/d1", "ip:192.0.2.9@0/d1", "user:u1@0/", "user:u1@0/d1", "user:u1@1/d2", "user:u2@0/d1",
            ])

        // The same answers from unindexed events (the tail), half indexed, and all indexed (see AccessIndexes.swift).
        func expectActivity() throws {
            let rows = try temp.database.activity(subjectKind: "user", subject: "u1", sinceMillis: h, untilMillis: h + 2 * 3_600_000)
            #expect(rows.count == 3)
            let d1 = try #require(rows.first)
            #expect(d1.dataset == "d1" && d1.channel == "download")
            #expect(d1.count == 4 && d1.obtained == 3 && d1.bytes == 7_010 && d1.addresses == 2)
            #expect(d1.firstMillis == h + 10 * m && d1.lastMillis == h + 55 * m)
            #expect(rows.contains { $0.dataset == "d2" && $0.channel == "api" && $0.count == 1 && $0.bytes == 5 })
            #expect(rows.contains { $0.dataset == nil && $0.channel == "download" && $0.count == 1 })

            // The range cuts inside an hour: from 08:30 to 09:05.
            let cut = try temp.database.activity(subjectKind: "user", subject: "u1", sinceMillis: h + 30 * m, untilMillis: h + 65 * m)
            #expect(cut.map(\.count) == [2])
            #expect(cut.first?.firstMillis == h + 50 * m)

            // Requests with no subject are found by address; other subjects and kinds stay apart.
            let anonymous = try temp.database.activity(subjectKind: "ip", subject: "192.0.2.9", sinceMillis: h, untilMillis: h + 3_600_000)
            #expect(anonymous.map(\.count) == [1])
            #expect(try temp.database.activity(subjectKind: "ip", subject: "10.0.0.1", sinceMillis: h, untilMillis: h + 7_200_000).isEmpty)
            #expect(try temp.database.activity(subjectKind: "app_key", subject: "u1", sinceMillis: h, untilMillis: h + 3_600_000).map(\.count) == [1])
            #expect(try temp.database.activity(subjectKind: "user", subject: "u9", sinceMillis: h, untilMillis: h + 3_600_000).isEmpty)

        }
        try expectActivity()
        try temp.database.writer.write { db in
            try db.execute(sql: "UPDATE access_index_mark SET last_event_id = 5 WHERE id = 1")
            try db.execute(
                sql: "INSERT INTO access_dataset SELECT COALESCE(dataset, ''), time_ms, id FROM access_event WHERE id <= 5")
            try db.execute(sql: "INSERT INTO access_time SELECT time_ms, id FROM access_event WHERE id <= 5")
        }
        try expectActivity()
        #expect(try temp.database.indexAccessEvents() == 5)
        #expect(try temp.database.unindexedAccessEvents() == 0)
        try expectActivity()

        // Events are indexed neither by subject nor, event by event, by dataset or time: access_dataset serves both
        // questions.
        let indexes = try temp.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'access_event'")
        }
        #expect(!indexes.contains("access_event_subject"))
        #expect(indexes.isEmpty, "\(indexes)")
    }

    @Test func aRolledBackBatchLeavesNoStalePresenceBehind() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        let h = Self.hour
        try temp.database.writer.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse BEFORE INSERT ON access_event WHEN NEW.status = 599
                    BEGIN SELECT RAISE(ABORT, 'refused by test'); END
                    """)
        }
        // The first event's presence row is written, then the transaction is rolled back by the second.
        #expect(throws: StoreError.self) {
            try temp.database.storeBatch(
                agent: "a", batchID: "1", items: [Self.event(h, subject: "u-late"), Self.event(h, status: 599)],
                receivedMillis: 0)
        }
        #expect(try Self.presenceRows(temp.database).isEmpty)
        // The same pair again in the same hour must still get its row (the cache only holds committed keys).
        _ = try temp.database.storeBatch(
            agent: "a", batchID: "2", items: [Self.event(h + 1, subject: "u-late")], receivedMillis: 0)
        #expect(try Self.presenceRows(temp.database) == ["user:u-late@0/d1"])
        #expect(
            try temp.database.activity(subjectKind: "user", subject: "u-late", sinceMillis: h, untilMillis: h + 10).map(\.count)
                == [1])
    }

    @Test func purgeDropsPresenceOfHoursThatEndedBeforeTheCutOff() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        let h = Self.hour
        _ = try temp.database.storeBatch(
            agent: "a", batchID: "1", items: [Self.event(h + 5), Self.event(h + 3_600_000 + 5)], receivedMillis: 0)
        try temp.database.purge(olderThan: h + 3_600_000)
        #expect(try Self.presenceRows(temp.database) == ["user:u1@1/d1"])
        // After a purge the cache starts empty: a new event of the purged hour gets its row back.
        _ = try temp.database.storeBatch(agent: "a", batchID: "2", items: [Self.event(h + 6)], receivedMillis: 0)
        #expect(try Self.presenceRows(temp.database) == ["user:u1@0/d1", "user:u1@1/d1"])
    }

    @Test func theIngestCacheKeepsTheLatestTwoHoursAndLateHoursApart() {
        func key(_ who: String, hour: Int64) -> PresenceKey {
            PresenceKey(AccessEvent(timeMillis: Self.hour + hour * 3_600_000 + 1, clientIP: who, path: "/"))
        }
        var memory = PresenceMemory(capacity: 3)
        let steps: [(String, Int64, Bool)] = [
            ("a", 0, true), ("a", 0, false),
            ("a", 1, true), ("a", 0, false), ("a", 1, false),  // the next hour: hour 0 moves down, still known
            ("late", -5, true), ("late", -5, false),  // a late hour has its own set
            ("a", 3, true), ("a", 1, true),  // two hours on: nothing older is kept
            ("b", 3, true), ("c", 3, true), ("d", 3, true), ("a", 3, true),  // full at 3 keys: starts over
        ]
        for (who, hour, fresh) in steps {
            let answer = memory.insert(key(who, hour: hour))
            #expect(answer == fresh, "\(who) at hour \(hour)")
        }
    }

    @Test func aRestartMayRepeatAPresenceRowButNotTheActivity() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        _ = try temp.database.storeBatch(agent: "a", batchID: "1", items: [Self.event(Self.hour + 1)], receivedMillis: 0)
        let reopened = try YujingDatabase.open(path: temp.path)  // a new process: the cache starts empty
        _ = try reopened.storeBatch(agent: "a", batchID: "2", items: [Self.event(Self.hour + 2)], receivedMillis: 0)
        #expect(try Self.presenceRows(reopened) == ["user:u1@0/d1", "user:u1@0/d1"])
        let rows = try reopened.activity(subjectKind: "user", subject: "u1", sinceMillis: Self.hour, untilMillis: Self.hour + 10)
        #expect(rows.map(\.count) == [2])
    }

    @Test func upgradingADatabaseBackfillsPresenceFromStoredEvents() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yujing-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("yujing.sqlite").path
        // A database as the previous release left it: migrated up to v4, events indexed by subject.
        do {
            let old = try DatabaseQueue(path: path)
            try YujingDatabase.migrator.migrate(old, upTo: "v4-heartbeat-metrics")
            try old.write { db in
                for (time, subject, ip, dataset) in [
                    (Self.hour + 1, "ak-old-0000001" as String?, "10.0.0.1", "d1" as String?),
                    (Self.hour + 2, nil, "192.0.2.1", "d1"), (Self.hour - 1, "ak-old-0000001", "10.0.0.1", nil),
                ] {
                    try db.execute(
                        sql: """
                            INSERT INTO access_event (time_ms, agent, batch_id, node, ip, subject, subject_kind, method,
                            path, dataset, status, bytes, user_agent) VALUES (?, 'a', 'b', 'n', ?, ?, ?, 'GET', '/', ?, 200, 1, '')
                            """, arguments: [time, ip, subject, subject == nil ? nil : "app_key", dataset])
                }
                for (time, node) in [(Self.hour + 30_000, "n-late"), (Self.hour, "n-early")] {
                    try db.execute(
                        sql: "INSERT INTO heartbeat (time_ms, agent, node, metrics) VALUES (?, 'a', ?, '{\"lines_read\":7}')",
                        arguments: [time, node])
                }
            }
        }
        var announced: [[String]] = []
        let upgraded = try YujingDatabase.open(path: path) { announced.append($0) }
        #expect(announced == [["v5-access-presence", "v6-access-indexes", "v7-agent-latest"]])  // the daemon logs this before a long upgrade
        // v7 fills each agent's latest heartbeat from the stored ones.
        let latest = try upgraded.agentHeartbeats()
        #expect(latest.map(\.agent) == ["a"])
        #expect(latest.first?.count == 2)
        #expect(latest.first?.node == "n-late")
        #expect(latest.first?.lastMillis == Self.hour + 30_000)
        #expect(latest.first?.metrics == ["lines_read": 7])
        _ = try YujingDatabase.open(path: path) { announced.append($0) }
        #expect(announced.count == 1)  // nothing pending: not called
        _ = try YujingDatabase.open(path: directory.appendingPathComponent("new.sqlite").path) { announced.append($0) }
        #expect(announced.count == 1)  // a new database is created, not upgraded
        #expect(try Self.presenceRows(upgraded) == ["app_key:ak-old-0000001@-1/", "app_key:ak-old-0000001@0/d1", "ip:192.0.2.1@0/d1"])
        let rows = try upgraded.activity(
            subjectKind: "app_key", subject: "ak-old-0000001", sinceMillis: Self.hour - 3_600_000, untilMillis: Self.hour + 10)
        #expect(rows.map(\.count) == [1, 1])
        #expect(Set(rows.map(\.dataset)) == [nil, "d1"])
    }
}
