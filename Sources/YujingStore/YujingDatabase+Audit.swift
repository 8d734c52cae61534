import Crypto
import Foundation
import GRDB

extension YujingDatabase {
    static let genesisHash = String(repeating: "0", count: 64)

    /// Appends an audit record, chained to the previous one.
    /// - Parameters:
    ///   - actor: Who.
    ///   - action: What.
    ///   - target: On what.
    ///   - detail: Details (no secrets, no personal data).
    ///   - nowMillis: Time.
    /// - Throws: ``StoreError``.
    public func audit(actor: String, action: String, target: String, detail: String = "", nowMillis: Int64)
        throws(StoreError)
    {
        try write { db in
            try Self.appendAudit(db, actor: actor, action: action, target: target, detail: detail, nowMillis: nowMillis)
        }
    }

    static func appendAudit(
        _ db: Database, actor: String, action: String, target: String, detail: String, nowMillis: Int64
    ) throws {
        let head = try Row.fetchOne(db, sql: "SELECT count, hash FROM audit_head WHERE id = 1")
        let count: Int64 = head?[0] ?? 0
        let previous: String = head?[1] ?? genesisHash
        let id = count + 1
        let hash = chainHash(
            id: id, timeMillis: nowMillis, actor: actor, action: action, target: target, detail: detail,
            previousHash: previous)
        try db.execute(
            sql: """
                INSERT INTO audit_log (id, time_ms, actor, action, target, detail, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, nowMillis, actor, action, target, detail, previous, hash])
        try db.execute(
            sql: "INSERT OR REPLACE INTO audit_head (id, count, hash) VALUES (1, ?, ?)", arguments: [id, hash])
    }

    static func chainHash(
        id: Int64, timeMillis: Int64, actor: String, action: String, target: String, detail: String,
        previousHash: String
    ) -> String {
        // Length-prefixed fields: no two different rows serialise alike.
        var bytes: [UInt8] = []
        for field in [previousHash, String(id), String(timeMillis), actor, action, target, detail] {
            let utf8 = Array(field.utf8)
            bytes.append(contentsOf: Array(String(utf8.count).utf8))
            bytes.append(0x3A)
            bytes.append(contentsOf: utf8)
        }
        return TokenSecret.hex(Array(SHA256.hash(data: bytes)))
    }

    /// Audit records, oldest first.
    /// - Parameter limit: Most rows returned.
    /// - Returns: The entries.
    /// - Throws: ``StoreError``.
    public func auditEntries(limit: Int = 1000) throws(StoreError) -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, time_ms, actor, action, target, detail, prev_hash, hash FROM audit_log
                    ORDER BY id LIMIT ?
                    """, arguments: [limit]
            ).map(Self.auditEntry)
        }
    }

    /// One page of audit records, oldest first.
    /// - Parameters:
    ///   - offset: Rows skipped.
    ///   - limit: Most rows returned.
    /// - Returns: The entries.
    /// - Throws: ``StoreError``.
    public func auditEntries(offset: Int, limit: Int) throws(StoreError) -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, time_ms, actor, action, target, detail, prev_hash, hash FROM audit_log
                    ORDER BY id LIMIT ? OFFSET ?
                    """, arguments: [limit, offset]
            ).map(Self.auditEntry)
        }
    }

    /// The number of audit records.
    /// - Returns: The count.
    /// - Throws: ``StoreError``.
    public func auditCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0 }
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        AuditEntry(
            id: row[0], timeMillis: row[1], actor: row[2], action: row[3], target: row[4], detail: row[5],
            previousHash: row[6], hash: row[7])
    }

    /// Walks the chain: recomputes each hash, checks each link and the row numbering, and compares the end with
    /// the chain head. Detects edited, inserted and deleted rows, naming the first bad one.
    /// - Returns: The verification result.
    /// - Throws: ``StoreError``.
    public func verifyAuditChain() throws(StoreError) -> AuditVerification {
        try read { db -> AuditVerification in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, time_ms, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY id"
            )
            var previous = Self.genesisHash
            var expectedID: Int64 = 1
            var checked = 0
            while let row = try rows.next() {
                let entry = Self.auditEntry(row)
                if entry.id != expectedID {
                    let reason =
                        entry.id > expectedID
                        ? "row \(expectedID) is missing (deleted) before row \(entry.id)"
                        : "row \(entry.id) is out of sequence (inserted)"
                    return AuditVerification(
                        rows: checked, problem: reason, problemRow: entry.id > expectedID ? expectedID : entry.id)
                }
                if entry.previousHash != previous {
                    return AuditVerification(
                        rows: checked,
                        problem: "row \(entry.id) does not link to row \(entry.id - 1) (inserted or replaced)",
                        problemRow: entry.id)
                }
                let recomputed = Self.chainHash(
                    id: entry.id, timeMillis: entry.timeMillis, actor: entry.actor, action: entry.action,
                    target: entry.target, detail: entry.detail, previousHash: entry.previousHash)
                if recomputed != entry.hash {
                    return AuditVerification(
                        rows: checked, problem: "row \(entry.id) was edited (hash mismatch)", problemRow: entry.id)
                }
                previous = entry.hash
                expectedID += 1
                checked += 1
            }
            let head = try Row.fetchOne(db, sql: "SELECT count, hash FROM audit_head WHERE id = 1")
            let headCount: Int64 = head?[0] ?? 0
            let headHash: String = head?[1] ?? Self.genesisHash
            if headCount != Int64(checked) || headHash != previous {
                let row = min(headCount, Int64(checked)) + 1
                return AuditVerification(
                    rows: checked,
                    problem:
                        "chain ends at row \(checked) but the head records \(headCount) rows (row \(row) deleted or added)",
                    problemRow: row)
            }
            return AuditVerification(rows: checked)
        }
    }
}
