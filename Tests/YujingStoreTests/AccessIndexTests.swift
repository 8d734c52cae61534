import Foundation
import GRDB
import Testing
import YujingCore
import YujingTestSupport

@testable import YujingStore

/// `access_dataset` and `access_time`, the bulk-written indexes of access events, and the readers that combine them
/// with the unindexed tail.
@Suite struct AccessIndexTests {
    static let start: Int64 = 1_772_352_000_000

    /// Random traffic over a few datasets, subjects, addresses, channels, statuses and drills.
    static func traffic(count: Int, seed: UInt64, idOffset: Int = 0) -> [AccessEvent] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { n in
            let dataset = random.below(10) == 0 ? nil : "ds-\(random.below(6))"
            let subject = random.below(5) == 0 ? nil : Subject(kind: random.pick([.user, .appKey]), id: "s\(random.below(8))")
            return AccessEvent(
                timeMillis: start + Int64(idOffset + n) * 7_000 + Int64(random.below(5_000)),
                clientIP: "10.0.0.\(random.below(4))", subject: subject, path: "/x", dataset: dataset,
                channel: random.pick([.download, .api, .sandbox, nil]), status: random.pick([200, 200, 304, 404, 500]),
                bytes: Int64(random.below(10_000)), drillID: random.below(12) == 0 ? "drill-1" : nil)
        }
    }

    /// The traceback computed from the planted events, as the documented query defines it.
    static func expectedTraceback(_ events: [AccessEvent], dataset: String, since: Int64, until: Int64) -> Set<TracebackRow> {
        struct Key: Hashable {
            var kind: String
            var who: String
            var channel: String
        }
        var rows: [Key: TracebackRow] = [:]
        var addresses: [Key: Set<String>] = [:]
        for e in events
        where e.dataset == dataset && e.timeMillis >= since && e.timeMillis <= until && (200..<400).contains(e.status)
            && e.drillID == nil
        {
            let key = Key(
                kind: e.subject?.kind.rawValue ?? "ip", who: e.subject?.id ?? e.clientIP,
                channel: e.channel?.rawValue ?? "download")
            var row =
                rows[key]
                ?? TracebackRow(
                    subjectKind: key.kind, subject: key.who, channel: key.channel, count: 0, firstMillis: .max,
                    lastMillis: .min, bytes: 0, addresses: 0)
            row.count += 1
            row.firstMillis = min(row.firstMillis, e.timeMillis)
            row.lastMillis = max(row.lastMillis, e.timeMillis)
            row.bytes += e.bytes
            rows[key] = row
            addresses[key, default: []].insert(e.clientIP)
        }
        return Set(rows.map { key, row in
            var row = row
            row.addresses = addresses[key]?.count ?? 0
            return row
        })
    }

    static func store(_ events: [AccessEvent], batch: String, in database: YujingDatabase) throws {
        _ = try database.storeBatch(agent: "a", batchID: batch, items: events.map { .access($0) }, receivedMillis: 0)
    }

    @Test func tracebackIsTheSameWhetherEventsAreIndexedOrNot() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        let first = Self.traffic(count: 400, seed: 7)
        let second = Self.traffic(count: 300, seed: 8, idOffset: 400)
        let all = first + second
        let ranges: [(Int64, Int64)] = [
            (Self.start, Self.start + 700 * 7_000), (Self.start + 1_000_000, Self.start + 3_000_000),
            (Self.start + 2_700_000, Self.start + 2_900_000),  // across the indexed and the unindexed part
        ]
        func expectTracebacks(_ stored: [AccessEvent], _ state: String) throws {
            for dataset in ["ds-0", "ds-3", "ds-9"] {
                for (since, until) in ranges {
                    let rows = try temp.database.traceback(dataset: dataset, sinceMillis: since, untilMillis: until)
                    #expect(
                        Set(rows) == Self.expectedTraceback(stored, dataset: dataset, since: since, until: until),
                        "\(state): \(dataset) \(since - Self.start)…\(until - Self.start)")
                    #expect(rows.count == Set(rows).count)
                }
            }
        }
        try Self.store(first, batch: "1", in: temp.database)
        #expect(try temp.database.unindexedAccessEvents() == 400)
        try expectTracebacks(first, "all unindexed")
        #expect(try temp.database.indexAccessEvents() == 400)
        try expectTracebacks(first, "all indexed")
        try Self.store(second, batch: "2", in: temp.database)
        #expect(try temp.database.unindexedAccessEvents() == 300)
        try expectTracebacks(all, "indexed and unindexed")
        #expect(try temp.database.indexAccessEvents() == 300)
        #expect(try temp.database.indexAccessEvents() == 0)
        try expectTracebacks(all, "all indexed again")
        let entries = try temp.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_dataset") ?? 0
        }
        #expect(entries == all.count)  // events without a dataset too (under "")
    }

    @Test func purgeRemovesIndexedAndUnindexedEventsWithTheirEntries() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        let events = Self.traffic(count: 500, seed: 9)
        try Self.store(Array(events[..<300]), batch: "1", in: temp.database)
        try temp.database.indexAccessEvents()
        try Self.store(Array(events[300...]), batch: "2", in: temp.database)  // the tail: not indexed yet
        let cutoff = Self.start + 350 * 7_000
        let deleted = try temp.database.purge(olderThan: cutoff)
        let kept = events.filter { $0.timeMillis >= cutoff }
        #expect(deleted == events.count - kept.count)
        let (stored, oldest) = try temp.database.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_event") ?? -1,
                try Int64.fetchOne(db, sql: "SELECT MIN(time_ms) FROM access_event") ?? 0
            )
        }
        #expect(stored == kept.count)
        #expect(oldest >= cutoff)
        for table in ["access_dataset", "access_time"] {
            let (entries, oldestEntry, orphans) = try temp.database.writer.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1,
                    try Int64.fetchOne(db, sql: "SELECT MIN(time_ms) FROM \(table)") ?? 0,
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM \(table) WHERE event_id NOT IN (SELECT id FROM access_event)")
                        ?? -1
                )
            }
            #expect(entries == kept.count, "\(table)")
            #expect(oldestEntry >= cutoff, "\(table)")
            #expect(orphans == 0, "\(table)")
        }
        let rows = try temp.database.traceback(dataset: "ds-2", sinceMillis: Self.start)
        #expect(Set(rows) == Self.expectedTraceback(kept, dataset: "ds-2", since: Self.start, until: .max))
    }

    @Test func eventsForRebuildingAndTheLatestTimeComeFromTheIndexAndTheTail() throws {
        let temp = try TemporaryDatabase()
        defer { temp.remove() }
        let first = Self.traffic(count: 300, seed: 12)
        let second = Self.traffic(count: 200, seed: 13, idOffset: 300)
        try Self.store(first, batch: "1", in: temp.database)
        try temp.database.indexAccessEvents()
        try Self.store(second, batch: "2", in: temp.database)
        let all = first + second
        func times(_ events: [EngineEvent]) -> [Int64] { events.map(\.timeMillis) }
        let since = Self.start + 250 * 7_000
        let expected = all.map(\.timeMillis).filter { $0 >= since }.sorted()
        // A time bound (rebuild without a snapshot): half from access_time, half from the tail.
        #expect(times(try temp.database.events(after: EventCursor(), sinceMillis: since)) == expected)
        // A row cursor (after a snapshot): a rowid range.
        let cursor = EventCursor(access: 420, finding: 0, heartbeat: 0)
        #expect(times(try temp.database.events(after: cursor, sinceMillis: .min)) == all[420...].map(\.timeMillis).sorted())
        #expect(try temp.database.latestEventMillis() == all.map(\.timeMillis).max())
        try temp.database.indexAccessEvents()
        #expect(times(try temp.database.events(after: EventCursor(), sinceMillis: since)) == expected)
        #expect(try temp.database.latestEventMillis() == all.map(\.timeMillis).max())
    }

    @Test func upgradingADatabaseIndexesItsStoredEvents() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yujing-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("yujing.sqlite").path
        let events = Self.traffic(count: 200, seed: 10)
        // A database as the previous release left it: migrated up to v5, events indexed by dataset one by one.
        do {
            let old = try DatabaseQueue(path: path)
            try YujingDatabase.migrator.migrate(old, upTo: "v5-access-presence")
            try old.write { db in
                for e in events {
                    try db.execute(
                        sql: """
                            INSERT INTO access_event (time_ms, agent, batch_id, node, ip, subject, subject_kind, method,
                            path, dataset, channel, status, bytes, user_agent, drill)
                            VALUES (?, 'a', 'b', 'n', ?, ?, ?, 'GET', '/x', ?, ?, ?, ?, '', ?)
                            """,
                        arguments: [
                            e.timeMillis, e.clientIP, e.subject?.id, e.subject?.kind.rawValue, e.dataset,
                            e.channel?.rawValue, e.status, e.bytes, e.drillID,
                        ])
                }
            }
        }
        var announced: [[String]] = []
        let upgraded = try YujingDatabase.open(path: path) { announced.append($0) }
        #expect(announced == [["v6-access-indexes", "v7-agent-latest"]])
        #expect(try upgraded.unindexedAccessEvents() == 0)
        let (entries, indexes) = try upgraded.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_dataset") ?? -1,
                try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'access_event'")
            )
        }
        #expect(entries == events.count)
        #expect(indexes.isEmpty, "\(indexes)")
        for dataset in ["ds-1", "ds-4"] {
            let rows = try upgraded.traceback(dataset: dataset, sinceMillis: Self.start)
            #expect(Set(rows) == Self.expectedTraceback(events, dataset: dataset, since: Self.start, until: .max))
            #expect(!rows.isEmpty)
        }
        // New events after the upgrade are found before and after they are indexed.
        let later = Self.traffic(count: 50, seed: 11, idOffset: 200)
        try Self.store(later, batch: "2", in: upgraded)
        let before = try upgraded.traceback(dataset: "ds-1", sinceMillis: Self.start)
        #expect(try upgraded.indexAccessEvents() == 50)
        #expect(try upgraded.traceback(dataset: "ds-1", sinceMillis: Self.start) == before)
        #expect(
            Set(before) == Self.expectedTraceback(events + later, dataset: "ds-1", since: Self.start, until: .max))
    }
}
