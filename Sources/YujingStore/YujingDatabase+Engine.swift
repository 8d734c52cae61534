import Foundation
import GRDB
import YujingCore

extension YujingDatabase {
    /// The highest row ids stored now.
    /// - Returns: The cursor.
    /// - Throws: ``StoreError``.
    public func currentCursor() throws(StoreError) -> EventCursor {
        try read { db in
            EventCursor(
                access: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM access_event") ?? 0,
                finding: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM finding") ?? 0,
                heartbeat: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM heartbeat") ?? 0)
        }
    }

    /// Latest stored event time (access, finding or heartbeat), epoch ms.
    /// - Returns: The time, or `nil` when nothing is stored.
    /// - Throws: ``StoreError``.
    public func latestEventMillis() throws(StoreError) -> Int64? {
        try read { db in
            let others = try Int64.fetchOne(
                db,
                sql: """
                    SELECT MAX(t) FROM (SELECT MAX(time_ms) AS t FROM finding
                    UNION ALL SELECT MAX(time_ms) FROM heartbeat)
                    """)
            return [try Self.latestAccessMillis(db), others].compactMap { $0 }.max()
        }
    }

    /// Stored events for rebuilding engine state, sorted by event time (ties by table then row id).
    /// - Parameters:
    ///   - after: Only rows with ids above this cursor.
    ///   - sinceMillis: Only events at or after this event time.
    /// - Returns: The events.
    /// - Throws: ``StoreError``.
    public func events(after cursor: EventCursor, sinceMillis: Int64) throws(StoreError) -> [EngineEvent] {
        try read { db -> [EngineEvent] in
            var timed: [(Int64, Int, Int64, EngineEvent)] = []
            let columns = """
                e.id, e.time_ms, e.node, e.ip, e.subject, e.subject_kind, e.method, e.path, e.query, e.dataset,
                e.channel, e.status, e.bytes, e.user_agent, e.drill
                """
            // After a snapshot (no time bound) a rowid range; otherwise the time index and the unindexed tail (see
            // `AccessIndexes.swift`; `+time_ms` keeps the tail a rowid range).
            let accessRows =
                sinceMillis == .min
                ? try Row.fetchCursor(
                    db, sql: "SELECT \(columns) FROM access_event AS e WHERE e.id > ?", arguments: [cursor.access])
                : try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT \(columns) FROM access_time AS t JOIN access_event AS e ON e.id = t.event_id
                        WHERE t.time_ms >= ?2 AND t.event_id > ?1
                        UNION ALL
                        SELECT \(columns) FROM access_event AS e
                        WHERE e.id > MAX(?1, (SELECT last_event_id FROM access_index_mark WHERE id = 1))
                        AND +e.time_ms >= ?2
                        """, arguments: [cursor.access, sinceMillis])
            while let row = try accessRows.next() {
                let id: Int64 = row[0]
                var subject: Subject?
                if let subjectID: String = row[4] {
                    let kind = (row[5] as String?).flatMap(Subject.Kind.init(rawValue:)) ?? .user
                    subject = Subject(kind: kind, id: subjectID)
                }
                let event = AccessEvent(
                    timeMillis: row[1], node: row[2], clientIP: row[3], subject: subject, method: row[6], path: row[7],
                    query: row[8], dataset: row[9],
                    channel: (row[10] as String?).flatMap(AccessChannel.init(rawValue:)),
                    status: row[11], bytes: row[12], userAgent: row[13], drillID: row[14])
                timed.append((event.timeMillis, 0, id, .access(event)))
            }
            let findingRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, time_ms, agent, dataset, file, kind, count, masked_samples, drill FROM finding
                    WHERE id > ? AND time_ms >= ?
                    """, arguments: [cursor.finding, sinceMillis])
            while let row = try findingRows.next() {
                let event = FindingEvent(
                    timeMillis: row[1], agent: row[2], dataset: row[3], file: row[4], kind: row[5], count: row[6],
                    maskedSamples: Self.jsonArray(row[7]), drillID: row[8])
                timed.append((event.timeMillis, 1, row[0], .finding(event)))
            }
            let heartbeatRows = try Row.fetchCursor(
                db, sql: "SELECT id, time_ms, agent, node FROM heartbeat WHERE id > ? AND time_ms >= ? AND drill IS NULL",
                arguments: [cursor.heartbeat, sinceMillis])
            while let row = try heartbeatRows.next() {
                let event = HeartbeatEvent(timeMillis: row[1], agent: row[2], node: row[3])
                timed.append((event.timeMillis, 2, row[0], .heartbeat(event)))
            }
            timed.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
            return timed.map(\.3)
        }
    }

    /// Saves the engine snapshot (one row, replaced).
    /// - Parameter snapshot: The snapshot.
    /// - Throws: ``StoreError``.
    public func saveSnapshot(_ snapshot: StoredSnapshot) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO engine_snapshot (id, saved_ms, last_access_id, last_finding_id,
                    last_heartbeat_id, state) VALUES (1, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    snapshot.savedMillis, snapshot.lastAccessID, snapshot.lastFindingID, snapshot.lastHeartbeatID,
                    Data(snapshot.state),
                ])
        }
    }

    /// The saved engine snapshot.
    /// - Returns: The snapshot, or `nil`.
    /// - Throws: ``StoreError``.
    public func loadSnapshot() throws(StoreError) -> StoredSnapshot? {
        try read { db -> StoredSnapshot? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT saved_ms, last_access_id, last_finding_id, last_heartbeat_id, state
                        FROM engine_snapshot WHERE id = 1
                        """)
            else { return nil }
            let data: Data = row[4]
            return StoredSnapshot(
                state: [UInt8](data), savedMillis: row[0], lastAccessID: row[1], lastFindingID: row[2],
                lastHeartbeatID: row[3])
        }
    }

    /// Deletes the saved snapshot (the next start rebuilds from stored events).
    /// - Throws: ``StoreError``.
    public func deleteSnapshot() throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM engine_snapshot") }
    }
}
