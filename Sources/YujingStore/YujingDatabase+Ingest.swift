import Foundation
import GRDB
import YujingCore

extension YujingDatabase {
    /// Stores an agent's batch in one transaction, unless `(agent, batchID)` was stored before.
    /// - Parameters:
    ///   - agent: Agent name.
    ///   - batchID: The agent's batch id.
    ///   - items: The events.
    ///   - receivedMillis: Reception time (wall clock), epoch ms.
    /// - Returns: Whether the batch was stored or was a duplicate.
    /// - Throws: ``StoreError``.
    public func storeBatch(
        agent: String, batchID: String, items: [IngestItem], receivedMillis: Int64
    ) throws(StoreError) -> IngestOutcome {
        try write { db -> IngestOutcome in
            let seen = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM ingest_batch WHERE agent = ? AND batch_id = ?", arguments: [agent, batchID])
            if seen == true { return .duplicate }
            try db.execute(
                sql: "INSERT INTO ingest_batch (agent, batch_id, received_ms, events) VALUES (?, ?, ?, ?)",
                arguments: [agent, batchID, receivedMillis, items.count])
            let access = try db.cachedStatement(
                sql: """
                    INSERT INTO access_event (time_ms, agent, batch_id, node, ip, subject, subject_kind, method, path,
                    query, dataset, channel, status, bytes, user_agent, drill)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let finding = try db.cachedStatement(
                sql: """
                    INSERT INTO finding (time_ms, agent, batch_id, dataset, file, kind, count, masked_samples,
                    keyed_hashes, drill) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let heartbeat = try db.cachedStatement(
                sql: "INSERT INTO heartbeat (time_ms, agent, node, drill, metrics) VALUES (?, ?, ?, ?, ?)")
            for item in items {
                switch item {
                case .access(let e):
                    access.setUncheckedArguments([
                        e.timeMillis, agent, batchID, e.node, e.clientIP, e.subject?.id, e.subject?.kind.rawValue,
                        e.method, e.path, e.query, e.dataset, e.channel?.rawValue, e.status, e.bytes, e.userAgent,
                        e.drillID,
                    ])
                    try access.execute()
                case .finding(let f):
                    let e = f.event
                    try finding.execute(arguments: [
                        e.timeMillis, agent, batchID, e.dataset, e.file, e.kind, e.count,
                        Self.jsonText(e.maskedSamples), Self.jsonText(f.keyedHashes), e.drillID,
                    ])
                case .heartbeat(let e):
                    try heartbeat.execute(arguments: [
                        e.timeMillis, e.agent, e.node, e.drillID, e.metrics.map(Self.metricsText),
                    ])
                }
            }
            return .stored(events: items.count)
        }
    }

    /// Deletes access events, findings and heartbeats older than a time (retention; default 180 days).
    /// - Parameter millis: Cut-off event time, epoch ms.
    /// - Returns: Rows deleted.
    /// - Throws: ``StoreError``.
    @discardableResult
    public func purge(olderThan millis: Int64) throws(StoreError) -> Int {
        try write { db -> Int in
            var deleted = 0
            for table in ["access_event", "finding", "heartbeat"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE time_ms < ?", arguments: [millis])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// Number of stored access events.
    /// - Returns: The count.
    /// - Throws: ``StoreError``.
    public func accessEventCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_event") ?? 0 }
    }

    /// Number of stored findings.
    /// - Returns: The count.
    /// - Throws: ``StoreError``.
    public func findingCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finding") ?? 0 }
    }

    static func metricsText(_ metrics: [String: Int64]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(metrics) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func jsonText(_ strings: [String]) -> String {
        guard let data = try? JSONEncoder().encode(strings) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    static func jsonArray(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
