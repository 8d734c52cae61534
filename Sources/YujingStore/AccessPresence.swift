import Foundation
import GRDB
import GRDBSQLite
import YujingCore

/// One row of `access_presence`: this subject (or, with no subject, this client address) made at least one request
/// for this dataset (`""`: none) in this hour.
///
/// It answers an investigator's "what did this data user access?" without indexing every access event by subject:
/// ingest writes a row the first time a pair is seen in an hour (again after a restart, so readers use DISTINCT)
/// instead of inserting each event into a second B-tree at a random place, and the events themselves are then read
/// through the dataset index, hour by hour.
struct PresenceKey: Hashable, Sendable {
    var who: String
    var whoKind: String
    var hourMillis: Int64
    var dataset: String
    /// The hash of the four fields, computed once where the key is made (off the writer thread).
    private var precomputedHash = 0

    static let hourMillis: Int64 = 3_600_000

    /// The start of the hour that holds a time.
    static func hour(of millis: Int64) -> Int64 {
        millis - ((millis % hourMillis) + hourMillis) % hourMillis
    }

    /// The key of an access event.
    init(_ event: AccessEvent) {
        if let subject = event.subject {
            who = subject.id
            whoKind = subject.kind.rawValue
        } else {
            who = event.clientIP
            whoKind = "ip"
        }
        hourMillis = Self.hour(of: event.timeMillis)
        dataset = event.dataset ?? ""
        var hasher = Hasher()
        hasher.combine(who)
        hasher.combine(whoKind)
        hasher.combine(hourMillis)
        hasher.combine(dataset)
        precomputedHash = hasher.finalize()
    }

    static func == (a: PresenceKey, b: PresenceKey) -> Bool {
        a.precomputedHash == b.precomputedHash && a.hourMillis == b.hourMillis && a.who == b.who
            && a.whoKind == b.whoKind && a.dataset == b.dataset
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(precomputedHash)
    }
}

/// The presence keys recorded lately, so that ingest skips the insert for a pair already recorded this hour.
///
/// A cache only: a key missing here costs one more row (readers use DISTINCT), never a wrong answer. A transaction
/// adds its keys as it records them; should it roll back, the store empties the cache (``clear()``), so a later batch
/// cannot skip a row that was never committed. Bounded by `capacity` keys per hour kept (see ``PresenceMemory``).
final class PresenceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var memory: PresenceMemory

    init(capacity: Int = 100_000) {
        memory = PresenceMemory(capacity: capacity)
    }

    /// Runs a transaction's recording with the cache (serialized: one writer at a time).
    func withMemory<T>(_ body: (inout PresenceMemory) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&memory)
    }

    /// Forgets everything (after a rollback or a purge).
    func clear() {
        withMemory { $0.clear() }
    }
}

/// The state of ``PresenceCache``: the keys of the latest hour, of the hour before it, and of earlier hours (late
/// events), each set starting over when it reaches `capacity`.
struct PresenceMemory {
    private var current: Set<PresenceKey> = []
    private var previous: Set<PresenceKey> = []
    private var older: Set<PresenceKey> = []
    private var latestHour: Int64?
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds a key; `false` when it was there already.
    mutating func insert(_ key: PresenceKey) -> Bool {
        let hour = key.hourMillis
        if let latest = latestHour, hour <= latest {
            if hour == latest { return Self.insert(key, into: &current, capacity: capacity) }
            if hour == latest - PresenceKey.hourMillis { return Self.insert(key, into: &previous, capacity: capacity) }
            return Self.insert(key, into: &older, capacity: capacity)
        }
        // A new hour: the sets move down instead of being filtered.
        let next = latestHour.map { hour - $0 == PresenceKey.hourMillis } ?? false
        previous = next ? current : []
        current = []
        older = []
        latestHour = hour
        return Self.insert(key, into: &current, capacity: capacity)
    }

    private static func insert(_ key: PresenceKey, into set: inout Set<PresenceKey>, capacity: Int) -> Bool {
        if set.count >= capacity { set.removeAll(keepingCapacity: true) }
        return set.insert(key).inserted
    }

    mutating func clear() {
        current = []
        previous = []
        older = []
        latestHour = nil
    }
}

/// Writes the presence rows of one transaction: one row per key the cache does not hold.
struct PresenceRecorder {
    private let statement: Statement

    init(db: Database) throws {
        statement = try db.cachedStatement(
            sql: "INSERT INTO access_presence (who, who_kind, hour_ms, dataset) VALUES (?, ?, ?, ?)")
    }

    /// Records an access event's key unless the cache holds it.
    func record(_ key: PresenceKey, db: Database, memory: inout PresenceMemory) throws {
        guard memory.insert(key) else { return }
        // Bound and stepped straight through the C API, like the access rows (see `YujingDatabase.insert`).
        let sqlite = statement.sqliteStatement
        sqlite3_reset(sqlite)
        try YujingDatabase.bindText(key.who, sqlite, 1)
        try YujingDatabase.bindText(key.whoKind, sqlite, 2)
        try YujingDatabase.check(sqlite3_bind_int64(sqlite, 3, key.hourMillis))
        try YujingDatabase.bindText(key.dataset, sqlite, 4)
        try YujingDatabase.step(sqlite, db)
        sqlite3_reset(sqlite)
    }
}

/// What one data user did with one dataset in a time range: ``YujingDatabase/activity(subjectKind:subject:sinceMillis:untilMillis:)``.
public struct ActivityRow: Sendable, Equatable {
    /// Dataset id, or `nil` for requests that named no dataset.
    public var dataset: String?
    /// `download`, `api` or `sandbox` (`download` when the agent did not say).
    public var channel: String
    /// Requests.
    public var count: Int
    /// Requests answered 2xx or 3xx: the data was obtained.
    public var obtained: Int
    /// First request, epoch ms.
    public var firstMillis: Int64
    /// Last request, epoch ms.
    public var lastMillis: Int64
    /// Bytes sent.
    public var bytes: Int64
    /// Distinct client addresses.
    public var addresses: Int
}

extension YujingDatabase {
    /// Everything one data user requested in a time range, per dataset and channel (busiest first): the reverse of
    /// ``traceback(dataset:sinceMillis:untilMillis:drill:probeAddresses:)``, for investigations (Art. 18). Drill events
    /// are left out.
    /// - Parameters:
    ///   - subjectKind: `user`, `app_key`, `token`, or `ip` for requests with no subject (then `subject` is the address).
    ///   - subject: The identifier.
    ///   - sinceMillis: From (inclusive), epoch ms.
    ///   - untilMillis: Until (inclusive), epoch ms.
    /// - Returns: The rows.
    /// - Throws: ``StoreError``.
    public func activity(
        subjectKind: String, subject: String, sinceMillis: Int64, untilMillis: Int64
    ) throws(StoreError) -> [ActivityRow] {
        try read { db in
            // One index seek per hour of the range, clamped to the hours stored.
            let bounds = try Row.fetchOne(db, sql: "SELECT MIN(hour_ms), MAX(hour_ms) FROM access_presence")
            guard let oldest = bounds?[0] as Int64?, let newest = bounds?[1] as Int64? else { return [] }
            let datasetsInHour = try db.cachedStatement(
                sql: "SELECT DISTINCT dataset FROM access_presence WHERE hour_ms = ? AND who = ? AND who_kind = ?")
            var cells: [(hour: Int64, dataset: String)] = []
            var hour = max(PresenceKey.hour(of: sinceMillis), oldest)
            while hour <= min(untilMillis, newest) {
                for dataset in try String.fetchAll(datasetsInHour, arguments: [hour, subject, subjectKind]) {
                    cells.append((hour, dataset))
                }
                hour += PresenceKey.hourMillis
            }
            let match = subjectKind == "ip" ? "subject IS NULL AND ip = ?" : "subject = ? AND subject_kind = ?"
            let who: StatementArguments = subjectKind == "ip" ? [subject] : [subject, subjectKind]
            // Indexed events through access_dataset, one range per cell; the unindexed tail (see `AccessIndexes.swift`)
            // in one rowid-range scan (`+time_ms` keeps SQLite from scanning the time index instead).
            let indexed = try db.cachedStatement(
                sql: """
                    SELECT COALESCE(e.channel, 'download'), e.time_ms, e.status, e.bytes, e.ip, e.dataset
                    FROM access_dataset AS d JOIN access_event AS e ON e.id = d.event_id
                    WHERE d.dataset = ? AND d.time_ms >= ? AND d.time_ms <= ? AND \(match) AND e.drill IS NULL
                    """)
            let tail = try db.cachedStatement(
                sql: """
                    SELECT COALESCE(channel, 'download'), time_ms, status, bytes, ip, dataset FROM access_event
                    WHERE id > ? AND +time_ms >= ? AND +time_ms <= ? AND \(match) AND drill IS NULL
                    """)
            struct Group: Hashable {
                var dataset: String?
                var channel: String
            }
            var rows: [Group: ActivityRow] = [:]
            var addresses: [Group: Set<String>] = [:]
            func add(_ cursor: RowCursor) throws {
                while let event = try cursor.next() {
                    let dataset: String? = event[5]
                    let group = Group(dataset: dataset?.isEmpty == true ? nil : dataset, channel: event[0])
                    let empty = ActivityRow(
                        dataset: group.dataset, channel: group.channel, count: 0, obtained: 0, firstMillis: .max,
                        lastMillis: .min, bytes: 0, addresses: 0)
                    Self.add(&rows[group, default: empty], time: event[1], status: event[2], bytes: event[3])
                    addresses[group, default: []].insert(event[4])
                }
            }
            for (hour, dataset) in cells {
                let range: StatementArguments = [
                    dataset, max(hour, sinceMillis), min(hour + PresenceKey.hourMillis - 1, untilMillis),
                ]
                try add(Row.fetchCursor(indexed, arguments: range + who))
            }
            let mark = try Self.accessIndexMark(db)
            try add(Row.fetchCursor(tail, arguments: [mark, sinceMillis, untilMillis] + who))
            return rows.map { group, row in
                var row = row
                row.addresses = addresses[group]?.count ?? 0
                return row
            }.sorted {
                ($0.count, $1.dataset ?? "", $1.channel) > ($1.count, $0.dataset ?? "", $0.channel)
            }
        }
    }

    /// Counts one request into an activity row.
    private static func add(_ row: inout ActivityRow, time: Int64, status: Int, bytes: Int64) {
        row.count += 1
        if status >= 200 && status < 400 { row.obtained += 1 }
        row.firstMillis = min(row.firstMillis, time)
        row.lastMillis = max(row.lastMillis, time)
        row.bytes += bytes
    }
}
