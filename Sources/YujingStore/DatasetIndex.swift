import GRDB

/// Access events by dataset (`access_dataset`), written in bulk rather than with every event.
///
/// A B-tree index by dataset takes each event into the last leaf page of its dataset's range, so every commit
/// dirties one page per dataset active in it and writes all of them to the WAL again: with a few hundred active
/// datasets and a commit per batch of events, that was most of what ingest wrote. Ingest therefore leaves
/// `access_event` unindexed by dataset, and ``indexAccessByDataset()`` adds the events stored since its last run
/// (ids above `access_dataset_mark.last_event_id`) in one sorted insert, which dirties each dataset's page once per
/// run instead of once per commit.
///
/// Readers see both parts: events at or below the mark through `access_dataset`, newer ones by scanning the
/// unindexed tail (`id >` the mark, a rowid range). Both come from the same read transaction, so an answer is never
/// missing or double-counting an event, whenever the index last ran. Events without a dataset are indexed under `""`.
extension YujingDatabase {
    /// Indexes every access event stored since the last run, in one transaction.
    /// - Returns: The number of events indexed.
    /// - Throws: ``StoreError``.
    @discardableResult
    public func indexAccessByDataset() throws(StoreError) -> Int {
        try write { db in try Self.indexAccessByDataset(db) }
    }

    /// Indexes the unindexed tail inside the caller's transaction.
    static func indexAccessByDataset(_ db: Database) throws -> Int {
        let mark = try accessDatasetMark(db)
        guard let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM access_event"), last > mark else { return 0 }
        try db.execute(
            sql: """
                INSERT INTO access_dataset (dataset, time_ms, event_id)
                SELECT COALESCE(dataset, ''), time_ms, id FROM access_event WHERE id > ? AND id <= ? ORDER BY 1, 2, 3
                """, arguments: [mark, last])
        let indexed = db.changesCount
        try db.execute(sql: "UPDATE access_dataset_mark SET last_event_id = ? WHERE id = 1", arguments: [last])
        return indexed
    }

    /// The highest access event id in `access_dataset` (every lower id is there too).
    static func accessDatasetMark(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT last_event_id FROM access_dataset_mark WHERE id = 1") ?? 0
    }

    /// Access events stored but not yet indexed by dataset.
    /// - Returns: The count.
    /// - Throws: ``StoreError``.
    public func unindexedAccessEvents() throws(StoreError) -> Int {
        try read { db in
            let mark = try Self.accessDatasetMark(db)
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_event WHERE id > ?", arguments: [mark]) ?? 0
        }
    }

    /// Deletes index entries older than a time, dataset by dataset (one range delete per dataset in the index, no
    /// scan of the whole table).
    static func purgeAccessDataset(_ db: Database, olderThan millis: Int64) throws {
        let first = try db.cachedStatement(sql: "SELECT dataset FROM access_dataset ORDER BY dataset LIMIT 1")
        let next = try db.cachedStatement(
            sql: "SELECT dataset FROM access_dataset WHERE dataset > ? ORDER BY dataset LIMIT 1")
        let delete = try db.cachedStatement(sql: "DELETE FROM access_dataset WHERE dataset = ? AND time_ms < ?")
        var dataset = try String.fetchOne(first)
        while let current = dataset {
            try delete.execute(arguments: [current, millis])
            dataset = try String.fetchOne(next, arguments: [current])
        }
    }
}
