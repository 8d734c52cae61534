import Foundation
import GRDB
import Testing
import YujingServer
import YujingStore

/// The daemon indexes stored access events by dataset in bulk (see `AccessIndexes.swift`): soon after ingest stops, and
/// a failed run neither fails ingest nor hides events from a traceback.
@Suite struct AccessIndexingTests {
    static let start: Int64 = 1_772_352_000_000

    static func downloads(_ range: Range<Int>) -> [[String: Any]] {
        range.map {
            Batches.download(subject: "AK\($0 % 3)", dataset: "ds-\($0 % 2)", millis: start + Int64($0) * 1_000)
        }
    }

    /// Polls until no stored event waits for the index, or gives up after `seconds`.
    static func waitUntilIndexed(_ database: YujingDatabase, seconds: Double = 15) async throws -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var waiting = try database.unindexedAccessEvents()
        while waiting > 0, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            waiting = try database.unindexedAccessEvents()
        }
        return waiting
    }

    @Test func storedEventsAreIndexedOnceIngestIsQuietAndFoundBeforeThat() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        let database = try daemon.database()
        try await daemon.run { client, _ in
            let response = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("i-1", Self.downloads(0..<40)))
            #expect(response.status == .ok)
            // Found at once, through the unindexed tail.
            let early = try database.traceback(dataset: "ds-1", sinceMillis: Self.start)
            #expect(early.map(\.count).reduce(0, +) == 20)
            #expect(try await Self.waitUntilIndexed(database) == 0)
            let indexed = try await database.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_dataset WHERE dataset = 'ds-1'") ?? 0
            }
            #expect(indexed == 20)
            #expect(try database.traceback(dataset: "ds-1", sinceMillis: Self.start) == early)
        }
    }

    @Test func aFailedIndexRunLosesNothingAndIsRetriedWithTheNextEvents() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        let database = try daemon.database()
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_index BEFORE INSERT ON access_dataset
                    BEGIN SELECT RAISE(ABORT, 'refused by test'); END
                    """)
        }
        try await daemon.run { client, _ in
            let first = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("f-1", Self.downloads(0..<30)))
            #expect(first.status == .ok)
            // The idle run fails (after about a second): the events stay unindexed and are still found.
            try await Task.sleep(for: .seconds(2.5))
            #expect(try database.unindexedAccessEvents() == 30)
            #expect(try database.traceback(dataset: "ds-0", sinceMillis: Self.start).map(\.count).reduce(0, +) == 15)
            try await database.writer.write { db in try db.execute(sql: "DROP TRIGGER refuse_index") }
            let second = try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("f-2", Self.downloads(30..<40)))
            #expect(second.status == .ok)
            // The next run takes the whole tail, the failed run's events included.
            #expect(try await Self.waitUntilIndexed(database) == 0)
            let rows = try database.traceback(dataset: "ds-0", sinceMillis: Self.start)
            #expect(rows.map(\.count).reduce(0, +) == 20)
        }
        let entries = try await database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_dataset") ?? 0
        }
        #expect(entries == 40)
    }
}
