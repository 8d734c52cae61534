import GRDB

/// Access events by dataset (`access_dataset`) and by time (`access_time`), written in bulk rather than with every
/// event.
///
/// A B-tree index by dataset takes each event into the last leaf page of its dataset's range, so every commit
/// dirties one page per dataset active in it and writes all of them to the WAL again: with a few hundred active
/// datasets and a commit per batch of events, that was most of what ingest wrote. An index by time costs less but
/// still a B-tree insert per event on the store's one writer thread. Ingest therefore stores `access_event` with no
/// secondary index, and ``indexAccessEvents()`` adds the events stored since its last run (ids above
/// `access_index_mark.last_event_id`) to both tables in sorted inserts, which dirty each dataset's page once per run
/// instead of once per commit.
///
/// Readers see both parts: events at or below the mark through the index tables, newer ones by scanning the
/// unindexed tail (`id >` the mark, a rowid range). Both come from the same read transaction, so an answer never
/// misses or double-counts an event, whenever the index last ran. Events without a dataset are indexed under `""`.
extension YujingDatabase {
    /// Indexes every access event stored since the last run, in one transaction.
    /// - Returns: The number of events indexed.
    /// - Throws: ``StoreError``.
    @discardableResult
    public func indexAccessEvents() throws(StoreError) -> Int {
        try write { db in try Self.indexAccessEvents(db) }
    }

    /// Indexes the unindexed tail inside the caller's transaction.
    static func indexAccessEvents(_ db: Database) throws -> Int {
        let mark = try accessIndexMark(db)
        guard let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM access_event"), last > mark else { return 0 }
        try db.execute(
            sql: """
                INSERT INTO access_dataset (dataset, time_ms, event_id)
                SELECT COALESCE(dataset, ''), time_ms, id FROM access_event WHERE id > ?1 AND id <= ?2 ORDER BY 1, 2, 3
                """, arguments: [mark, last])
        let indexed = db.changesCount
        try db.execute(
            sql: """
                INSERT INTO access_time (time_ms, event_id)
                SELECT time_ms, id FROM access_event WHERE id > ?1 AND id <= ?2 ORDER BY 1, 2
                """, arguments: [mark, last])
        try db.execute(sql: "UPDATE access_index_mark SET last_event_id = ? WHERE id = 1", arguments: [last])
        return indexed
    }

    /// The highest access event id in the index tables (every lower id is there too).
    static func accessIndexMark(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT last_event_id FROM access_index_mark WHERE id = 1") ?? 0
    }

    /// Access events stored but not yet indexed.
    /// - Returns: The count.
    /// - Throws: ``StoreError``.
    public func unindexedAccessEvents() throws(StoreError) -> Int {
        try read { db in
            let mark = try Self.accessIndexMark(db)
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_event WHERE id > ?", arguments: [mark]) ?? 0
        }
    }

    /// Deletes access events older than a time with their index entries, inside the caller's transaction. Indexes the
    /// tail first, so that the events to delete are all found through `access_time`.
    /// - Returns: Events deleted.
    static func purgeAccessEvents(_ db: Database, olderThan millis: Int64) throws -> Int {
        try indexAccessEvents(db)
        try db.execute(
            sql: "DELETE FROM access_event WHERE id IN (SELECT event_id FROM access_time WHERE time_ms < ?)",
            arguments: [millis])
        let deleted = db.changesCount
        try db.execute(sql: "DELETE FROM access_time WHERE time_ms < ?", arguments: [millis])
        // Dataset by dataset: one range delete each, no scan of the whole table.
        let first = try db.cachedStatement(sql: "SELECT dataset FROM access_dataset ORDER BY dataset LIMIT 1")
        let next = try db.cachedStatement(
            sql: "SELECT dataset FROM access_dataset WHERE dataset > ? ORDER BY dataset LIMIT 1")
        let delete = try db.cachedStatement(sql: "DELETE FROM access_dataset WHERE dataset = ? AND time_ms < ?")
        var dataset = try String.fetchOne(first)
        while let current = dataset {
            try delete.execute(arguments: [current, millis])
            dataset = try String.fetchOne(next, arguments: [current])
        }
        return deleted
    }

    /// The latest access event time, from the time index and the unindexed tail.
    static func latestAccessMillis(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(
            db,
            sql: """
                SELECT MAX(t) FROM (SELECT MAX(time_ms) AS t FROM access_time
                UNION ALL SELECT MAX(time_ms) FROM access_event
                WHERE id > (SELECT last_event_id FROM access_index_mark WHERE id = 1))
                """)
    }
}
