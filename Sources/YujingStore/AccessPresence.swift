import Foundation
import GRDB
import YujingCore

/// One row of `access_presence`: this subject (or, with no subject, this client address) made at least one request
/// for this dataset (`""`: none) in this hour.
///
/// It answers an investigator's "what did this data user access?" without indexing every access event by subject:
/// ingest writes a row the first time a pair is seen in an hour instead of inserting each event into a second
/// B-tree at a random place, and the events themselves are then read through the dataset index, hour by hour.
struct PresenceKey: Hashable, Sendable {
    var who: String
    var whoKind: String
    var hourMillis: Int64
    var dataset: String

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
    }
}

/// The presence rows known to be committed, so that ingest skips the insert for a pair already recorded this hour.
///
/// A cache only: a key missing here costs one `INSERT OR IGNORE`, never a wrong answer. Keys enter it after their
/// transaction commits (``remember(_:)``), so a rolled-back batch cannot make a later one skip its row. Bounded: it
/// keeps the latest hours and starts over when it holds more than `capacity` keys.
final class PresenceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var known: Set<PresenceKey> = []
    private var latestHour = Int64.min
    let capacity: Int

    init(capacity: Int = 250_000) {
        self.capacity = capacity
    }

    /// The committed keys, for lookups during one transaction (a copy-on-write reference, not a copy).
    func snapshot() -> Set<PresenceKey> {
        lock.withLock { known }
    }

    /// Adds keys whose rows were committed.
    func remember(_ fresh: Set<PresenceKey>) {
        guard !fresh.isEmpty else { return }
        lock.withLock {
            let newest = fresh.lazy.map(\.hourMillis).max() ?? latestHour
            if newest > latestHour {
                latestHour = newest
                // Late events older than the previous hour are rare: they pay one INSERT OR IGNORE each.
                let oldest = latestHour - PresenceKey.hourMillis
                known = known.filter { $0.hourMillis >= oldest }
            }
            if known.count + fresh.count > capacity { known.removeAll(keepingCapacity: true) }
            known.formUnion(fresh)
        }
    }

    /// Forgets everything (after rows were deleted).
    func clear() {
        lock.withLock { known.removeAll() }
    }
}

/// Writes the presence rows of one transaction: at most one `INSERT OR IGNORE` per key not yet recorded.
struct PresenceRecorder {
    private let known: Set<PresenceKey>
    private(set) var fresh: Set<PresenceKey> = []
    private let statement: Statement

    init(known: Set<PresenceKey>, db: Database) throws {
        self.known = known
        statement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO access_presence (who, who_kind, hour_ms, dataset) VALUES (?, ?, ?, ?)")
    }

    /// Records an access event's key unless it is known.
    mutating func record(_ event: AccessEvent) throws {
        let key = PresenceKey(event)
        guard !known.contains(key), fresh.insert(key).inserted else { return }
        try statement.execute(arguments: [key.who, key.whoKind, key.hourMillis, key.dataset])
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
            let cells = try Row.fetchAll(
                db,
                sql: """
                    SELECT hour_ms, dataset FROM access_presence
                    WHERE who = ? AND who_kind = ? AND hour_ms >= ? AND hour_ms <= ? ORDER BY dataset, hour_ms
                    """,
                arguments: [subject, subjectKind, PresenceKey.hour(of: sinceMillis), untilMillis])
            let match = subjectKind == "ip" ? "subject IS NULL AND ip = ?" : "subject = ? AND subject_kind = ?"
            let events = try db.cachedStatement(
                sql: """
                    SELECT COALESCE(channel, 'download'), time_ms, status, bytes, ip FROM access_event
                    WHERE dataset IS ? AND time_ms >= ? AND time_ms <= ? AND \(match) AND drill IS NULL
                    """)
            struct Group: Hashable {
                var dataset: String?
                var channel: String
            }
            var rows: [Group: (row: ActivityRow, addresses: Set<String>)] = [:]
            for cell in cells {
                let hour: Int64 = cell[0]
                let datasetText: String = cell[1]
                let dataset = datasetText.isEmpty ? nil : datasetText
                var arguments: StatementArguments = [
                    dataset, max(hour, sinceMillis), min(hour + PresenceKey.hourMillis - 1, untilMillis), subject,
                ]
                if subjectKind != "ip" { arguments += [subjectKind] }
                let cursor = try Row.fetchCursor(events, arguments: arguments)
                while let event = try cursor.next() {
                    let group = Group(dataset: dataset, channel: event[0])
                    let time: Int64 = event[1]
                    let status: Int = event[2]
                    var entry =
                        rows[group]
                        ?? (
                            ActivityRow(
                                dataset: dataset, channel: group.channel, count: 0, obtained: 0, firstMillis: time,
                                lastMillis: time, bytes: 0, addresses: 0), []
                        )
                    entry.row.count += 1
                    if status >= 200 && status < 400 { entry.row.obtained += 1 }
                    entry.row.firstMillis = min(entry.row.firstMillis, time)
                    entry.row.lastMillis = max(entry.row.lastMillis, time)
                    entry.row.bytes += event[3] as Int64
                    entry.addresses.insert(event[4])
                    rows[group] = entry
                }
            }
            return rows.values.map { entry in
                var row = entry.row
                row.addresses = entry.addresses.count
                return row
            }.sorted {
                ($0.count, $1.dataset ?? "", $1.channel) > ($1.count, $0.dataset ?? "", $0.channel)
            }
        }
    }
}
