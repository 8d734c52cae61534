import Foundation
import GRDB
import GRDBSQLite
import YujingCore

extension YujingDatabase {
    /// One agent batch to store.
    public struct BatchRequest: Sendable {
        /// Agent name.
        public var agent: String
        /// The agent's batch id.
        public var batchID: String
        /// The events.
        public var items: [IngestItem]
        /// Reception time (wall clock), epoch ms.
        public var receivedMillis: Int64
        /// The presence key of each access event (`nil` for other items), computed with its hash where the request
        /// is created, so that the single writer thread only looks it up.
        let presenceKeys: [PresenceKey?]

        /// Creates a request.
        public init(agent: String, batchID: String, items: [IngestItem], receivedMillis: Int64) {
            self.agent = agent
            self.batchID = batchID
            self.items = items
            self.receivedMillis = receivedMillis
            presenceKeys = items.map { item in
                if case .access(let event) = item { PresenceKey(event) } else { nil }
            }
        }
    }

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
        let request = BatchRequest(agent: agent, batchID: batchID, items: items, receivedMillis: receivedMillis)
        return try storeBatches([request])[0]
    }

    /// Stores several batches in one transaction (group commit), each unless its `(agent, batchID)` was stored
    /// before (also earlier in the same call). Either all are stored or, when it throws, none.
    /// - Parameter batches: The batches.
    /// - Returns: One outcome per batch, in order.
    /// - Throws: ``StoreError``.
    public func storeBatches(_ batches: [BatchRequest]) throws(StoreError) -> [IngestOutcome] {
        // Without GRDB's transaction wrapper, so that a failed commit is seen on the writer's queue, before the next
        // write: a rolled-back transaction leaves keys in the cache whose rows were never committed.
        try writeWithoutTransaction { db -> [IngestOutcome] in
            var outcomes: [IngestOutcome] = []
            do {
                try db.inTransaction {
                    let recorder = try PresenceRecorder(db: db)
                    outcomes = try presence.withMemory { memory in
                        try batches.map { try Self.insert($0, into: db, presence: recorder, memory: &memory) }
                    }
                    return .commit
                }
            } catch {
                presence.clear()
                throw error
            }
            return outcomes
        }
    }

    /// Inserts one batch inside the caller's transaction.
    static func insert(
        _ batch: BatchRequest, into db: Database, presence: PresenceRecorder, memory: inout PresenceMemory
    ) throws -> IngestOutcome {
        let (agent, batchID, items, receivedMillis) = (batch.agent, batch.batchID, batch.items, batch.receivedMillis)
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
        let latest = try db.cachedStatement(sql: Self.upsertAgentLatestSQL)
        // Access events bind their columns and step straight through the SQLite C API: no array of boxed
        // arguments, no `DatabaseValue`, no C-string conversion per column, and none of GRDB's per-execution
        // bookkeeping (observation, which nothing uses on this table) — they showed in profiles of ingest.
        // Texts are bound from one reused buffer (`RowText`), not copied by SQLite into an allocation per column.
        let sqlite = access.sqliteStatement
        defer {
            sqlite3_reset(sqlite)
            sqlite3_clear_bindings(sqlite)  // no pointer into `text` outlives it
        }
        var text = RowText()
        for index in items.indices {
            switch items[index] {  // by index: no copy of the whole item
            case .access(let e):
                sqlite3_reset(sqlite)
                sqlite3_clear_bindings(sqlite)  // every column NULL
                text.startRow()
                try Self.check(sqlite3_bind_int64(sqlite, 1, e.timeMillis))
                try text.bind(agent, sqlite, 2)
                try text.bind(batchID, sqlite, 3)
                try text.bind(e.node, sqlite, 4)
                try text.bind(e.clientIP, sqlite, 5)
                if let subject = e.subject {
                    try text.bind(subject.id, sqlite, 6)
                    try text.bind(subject.kind.rawValue, sqlite, 7)
                }
                try text.bind(e.method, sqlite, 8)
                try text.bind(e.path, sqlite, 9)
                if let query = e.query { try text.bind(query, sqlite, 10) }
                if let dataset = e.dataset { try text.bind(dataset, sqlite, 11) }
                if let channel = e.channel { try text.bind(channel.rawValue, sqlite, 12) }
                try Self.check(sqlite3_bind_int64(sqlite, 13, Int64(e.status)))
                try Self.check(sqlite3_bind_int64(sqlite, 14, e.bytes))
                try text.bind(e.userAgent, sqlite, 15)
                if let drill = e.drillID { try text.bind(drill, sqlite, 16) }
                try Self.step(sqlite, db)
                if let key = batch.presenceKeys[index] { try presence.record(key, db: db, memory: &memory) }
            case .finding(let f):
                let e = f.event
                try finding.execute(arguments: [
                    e.timeMillis, agent, batchID, e.dataset, e.file, e.kind, e.count,
                    Self.jsonText(e.maskedSamples), Self.jsonText(f.keyedHashes), e.drillID,
                ])
            case .heartbeat(let e):
                let metrics = e.metrics.map(Self.metricsText)
                try heartbeat.execute(arguments: [e.timeMillis, e.agent, e.node, e.drillID, metrics])
                try latest.execute(arguments: [e.agent, e.node, e.timeMillis, metrics])
            }
        }
        return .stored(events: items.count)
    }

    /// Whether `(agent, batchID)` was stored before.
    /// - Parameters:
    ///   - agent: Agent name.
    ///   - batchID: The agent's batch id.
    /// - Returns: `true` for a batch already stored.
    /// - Throws: ``StoreError``.
    public func isBatchStored(agent: String, batchID: String) throws(StoreError) -> Bool {
        try read { db in
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM ingest_batch WHERE agent = ? AND batch_id = ?", arguments: [agent, batchID])
                == true
        }
    }

    /// Deletes access events, findings and heartbeats older than a time (retention; default 180 days).
    /// - Parameter millis: Cut-off event time, epoch ms.
    /// - Returns: Rows deleted.
    /// - Throws: ``StoreError``.
    @discardableResult
    public func purge(olderThan millis: Int64) throws(StoreError) -> Int {
        try write { db -> Int in
            var deleted = try Self.purgeAccessEvents(db, olderThan: millis)
            for table in ["finding", "heartbeat"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE time_ms < ?", arguments: [millis])
                deleted += db.changesCount
            }
            try db.execute(sql: "DELETE FROM agent_latest")
            try db.execute(sql: Self.rebuildAgentLatestSQL)
            // Hours that ended before the cut-off (a partly purged hour keeps its row until the next purge).
            try db.execute(
                sql: "DELETE FROM access_presence WHERE hour_ms <= ?", arguments: [millis - PresenceKey.hourMillis])
            presence.clear()
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

    /// Fails on a `sqlite3_bind_*` result other than `SQLITE_OK`.
    @inline(__always)
    static func check(_ code: CInt) throws(StoreError) {
        guard code == SQLITE_OK else { throw .database("binding an ingest column failed (SQLite code \(code))") }
    }

    /// Runs a bound insert statement to completion; a failure throws GRDB's `DatabaseError` (the caller's
    /// transaction is then rolled back).
    @inline(__always)
    static func step(_ statement: OpaquePointer, _ db: Database) throws {
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            let message = sqlite3_errmsg(db.sqliteConnection).map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the text before the call returns.
    static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

    /// Binds a string's UTF-8 bytes (copied by SQLite); an empty string stays an empty text, not NULL.
    @inline(__always)
    static func bindText(_ text: String, _ statement: OpaquePointer, _ index: CInt) throws(StoreError) {
        var text = text
        let code = text.withUTF8 { bytes -> CInt in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                return sqlite3_bind_text(statement, index, "", 0, transient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, index, $0, CInt(bytes.count), transient)
            }
        }
        try check(code)
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
