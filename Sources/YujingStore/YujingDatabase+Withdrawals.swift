import Foundation
import GRDB
import YujingCore
import YujingResponse

extension YujingDatabase {
    static let withdrawalColumns = """
        id, dataset, state, reason, warning_id, plan, requested_by, approved_by, created_ms, updated_ms, since_ms,
        adapter_status, adapter_attempts, adapter_error, verification_status, verification_detail, verified_ms, drill
        """

    static func withdrawalRecord(_ row: Row) -> WithdrawalRecord {
        WithdrawalRecord(
            id: row[0], dataset: row[1], state: WithdrawalState(rawValue: row[2]) ?? .proposed, reason: row[3],
            warningID: row[4], plan: row[5], requestedBy: row[6], approvedBy: row[7], createdMillis: row[8],
            updatedMillis: row[9], sinceMillis: row[10], adapterStatus: row[11], adapterAttempts: row[12],
            adapterError: row[13], verificationStatus: row[14], verificationDetail: row[15], verifiedMillis: row[16],
            drill: row[17])
    }

    static func fetchWithdrawal(_ db: Database, id: Int64) throws -> WithdrawalRecord? {
        try Row.fetchOne(db, sql: "SELECT \(withdrawalColumns) FROM withdrawal WHERE id = ?", arguments: [id])
            .map(withdrawalRecord)
    }

    /// Opens a withdrawal, unless one that still blocks the dataset (or waits for approval) exists: then that one is
    /// returned and nothing changes. Audited.
    /// - Parameters:
    ///   - dataset: Dataset id.
    ///   - reason: Why.
    ///   - actor: Who (token name or `plan:<id>`).
    ///   - approved: Whether it starts approved (automatic plan, or no two-person rule).
    ///   - warningID: Warning answered.
    ///   - plan: Plan id.
    ///   - sinceMillis: Traceback start (nil: the first identifier finding of the dataset in the last 30 days, minus
    ///     the margin, or now).
    ///   - adapterEnabled: Whether a platform adapter will be called.
    ///   - leakMarginMillis: How far before the first finding the traceback starts (the file was published before
    ///     it was scanned).
    ///   - drill: Drill id.
    ///   - nowMillis: Time.
    /// - Returns: The withdrawal and whether it was created now.
    /// - Throws: ``StoreError``.
    public func openWithdrawal(
        dataset: String, reason: String, actor: String, approved: Bool, warningID: Int64?, plan: String?,
        sinceMillis: Int64?, adapterEnabled: Bool, leakMarginMillis: Int64 = 0, drill: String? = nil, nowMillis: Int64
    ) throws(StoreError) -> (WithdrawalRecord, created: Bool) {
        try write { db -> (WithdrawalRecord, created: Bool) in
            if let open = try Row.fetchOne(
                db,
                sql: """
                    SELECT \(Self.withdrawalColumns) FROM withdrawal WHERE dataset = ? AND state NOT IN ('restored', 'cancelled')
                    AND drill IS ? ORDER BY id DESC LIMIT 1
                    """, arguments: [dataset, drill]
            ).map(Self.withdrawalRecord) {
                return (open, false)
            }
            let since: Int64
            if let sinceMillis {
                since = sinceMillis
            } else {
                since =
                    try Int64.fetchOne(
                        db,
                        sql: """
                            SELECT MIN(time_ms) FROM finding WHERE dataset = ? AND count > 0 AND kind NOT LIKE 'scan_%'
                            AND time_ms >= ? AND drill IS ?
                            """, arguments: [dataset, nowMillis - 30 * 86_400_000, drill]).map { $0 - leakMarginMillis }
                    ?? nowMillis
            }
            let state: WithdrawalState = approved ? .approved : .proposed
            try db.execute(
                sql: """
                    INSERT INTO withdrawal (dataset, state, reason, warning_id, plan, requested_by, approved_by, created_ms,
                    updated_ms, since_ms, adapter_status, verification_status, drill)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)
                    """,
                arguments: [
                    dataset, state.rawValue, reason, warningID, plan, actor, approved ? actor : nil, nowMillis, nowMillis,
                    since, adapterEnabled ? "pending" : "disabled", drill,
                ])
            let id = db.lastInsertedRowID
            try Self.recordWithdrawalTransition(
                db, id: id, dataset: dataset, state: state, actor: actor, reason: reason, warningID: warningID,
                nowMillis: nowMillis)
            let record = try Self.fetchWithdrawal(db, id: id)!
            return (record, true)
        }
    }

    static func recordWithdrawalTransition(
        _ db: Database, id: Int64, dataset: String, state: WithdrawalState, actor: String, reason: String,
        warningID: Int64?, nowMillis: Int64
    ) throws {
        try db.execute(
            sql: "INSERT INTO withdrawal_history (withdrawal_id, time_ms, state, actor, reason) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, nowMillis, state.rawValue, actor, reason])
        let warning = warningID.map { " warning=\($0)" } ?? ""
        try appendAudit(
            db, actor: actor, action: "withdrawal.\(state.rawValue)", target: "dataset:\(dataset)",
            detail: "withdrawal=\(id)\(warning) reason=\(reason)", nowMillis: nowMillis)
    }

    /// Moves a withdrawal to a new state, checking the state machine (and the two-person rule when asked). Audited.
    /// - Parameters:
    ///   - id: Withdrawal id.
    ///   - state: New state.
    ///   - actor: Who.
    ///   - reason: Why.
    ///   - distinctApprover: Whether the approver must differ from the requester (two-person rule).
    ///   - nowMillis: Time.
    /// - Returns: The updated withdrawal.
    /// - Throws: ``StoreError/notFound(_:)``, ``StoreError/invalid(_:)`` for a transition the machine forbids.
    @discardableResult
    public func transitionWithdrawal(
        id: Int64, to state: WithdrawalState, actor: String, reason: String, distinctApprover: Bool = false,
        nowMillis: Int64
    ) throws(StoreError) -> WithdrawalRecord {
        try write { db -> WithdrawalRecord in
            guard
                let current = try Self.fetchWithdrawal(db, id: id)
            else { throw StoreError.notFound("withdrawal \(id)") }
            guard current.state.successors.contains(state) else {
                throw StoreError.invalid(
                    "withdrawal \(id) is \(current.state.rawValue); it cannot become \(state.rawValue)")
            }
            if state == .approved, distinctApprover, current.requestedBy == actor {
                throw StoreError.invalid("two-person rule: \(actor) requested withdrawal \(id) and cannot approve it")
            }
            try db.execute(
                sql: """
                    UPDATE withdrawal SET state = ?, updated_ms = ?, approved_by = CASE WHEN ? = 'approved' THEN ?
                    ELSE approved_by END WHERE id = ?
                    """, arguments: [state.rawValue, nowMillis, state.rawValue, actor, id])
            try Self.recordWithdrawalTransition(
                db, id: id, dataset: current.dataset, state: state, actor: actor, reason: reason,
                warningID: current.warningID, nowMillis: nowMillis)
            return try Self.fetchWithdrawal(db, id: id)!
        }
    }

    /// Withdrawals, newest first.
    /// - Parameters:
    ///   - states: Only these states (empty: all).
    ///   - dataset: Only this dataset.
    ///   - includeDrills: Whether drill withdrawals are included.
    ///   - limit: Most rows.
    /// - Returns: The withdrawals.
    /// - Throws: ``StoreError``.
    public func withdrawals(
        states: Set<WithdrawalState> = [], dataset: String? = nil, includeDrills: Bool = true, drill: String? = nil,
        limit: Int = 500
    ) throws(StoreError) -> [WithdrawalRecord] {
        try read { db in
            var clauses: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if !states.isEmpty {
                clauses.append("state IN (\(states.map { _ in "?" }.joined(separator: ",")))")
                arguments += states.map(\.rawValue).sorted()
            }
            if let dataset {
                clauses.append("dataset = ?")
                arguments.append(dataset)
            }
            if let drill {
                clauses.append("drill = ?")
                arguments.append(drill)
            } else if !includeDrills {
                clauses.append("drill IS NULL")
            }
            let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments.append(limit)
            return try Row.fetchAll(
                db, sql: "SELECT \(Self.withdrawalColumns) FROM withdrawal \(whereClause) ORDER BY id DESC LIMIT ?",
                arguments: StatementArguments(arguments)
            ).map(Self.withdrawalRecord)
        }
    }

    /// One withdrawal.
    /// - Parameter id: Id.
    /// - Returns: It, or nil.
    /// - Throws: ``StoreError``.
    public func withdrawal(id: Int64) throws(StoreError) -> WithdrawalRecord? {
        try read { db in
            try Self.fetchWithdrawal(db, id: id)
        }
    }

    /// A withdrawal's history, oldest first.
    /// - Parameter id: Id.
    /// - Returns: Transitions.
    /// - Throws: ``StoreError``.
    public func withdrawalHistory(id: Int64) throws(StoreError) -> [WithdrawalTransition] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT time_ms, state, actor, reason FROM withdrawal_history WHERE withdrawal_id = ? ORDER BY id",
                arguments: [id]
            ).map {
                WithdrawalTransition(
                    timeMillis: $0[0], state: WithdrawalState(rawValue: $0[1]) ?? .proposed, actor: $0[2], reason: $0[3])
            }
        }
    }

    /// Records a platform-adapter attempt. A final failure is audited.
    /// - Parameters:
    ///   - id: Withdrawal id.
    ///   - status: `pending` (will retry), `done` or `failed`.
    ///   - error: Last error.
    ///   - nowMillis: Time.
    /// - Throws: ``StoreError``.
    public func recordAdapterAttempt(id: Int64, status: String, error: String?, nowMillis: Int64) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE withdrawal SET adapter_status = ?, adapter_attempts = adapter_attempts + 1, adapter_error = ?
                    WHERE id = ?
                    """, arguments: [status, error, id])
            if status != "pending" {
                try Self.appendAudit(
                    db, actor: "yujing", action: "withdrawal.adapter-\(status)", target: "withdrawal:\(id)",
                    detail: error ?? "", nowMillis: nowMillis)
            }
        }
    }

    /// Records a verification fetch.
    /// - Parameters:
    ///   - id: Withdrawal id.
    ///   - status: `verified`, `still-served`, `unreachable`, `no-url`.
    ///   - detail: What was seen.
    ///   - nowMillis: Time.
    /// - Throws: ``StoreError``.
    public func recordVerification(id: Int64, status: String, detail: String, nowMillis: Int64) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE withdrawal SET verification_status = ?, verification_detail = ?, verified_ms = ? WHERE id = ?
                    """, arguments: [status, detail, nowMillis, id])
        }
    }

    /// Whether a dataset has been re-scanned clean since a time: at least one clean scan and no identifier finding.
    /// - Parameters:
    ///   - dataset: Dataset id.
    ///   - afterMillis: Since (the withdrawal).
    /// - Returns: Whether the new version is clean.
    /// - Throws: ``StoreError``.
    public func cleanRescan(dataset: String, afterMillis: Int64) throws(StoreError) -> Bool {
        try read { db in
            let clean =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM finding WHERE dataset = ? AND kind = 'scan_clean' AND time_ms > ?",
                    arguments: [dataset, afterMillis]) ?? 0
            let dirty =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM finding WHERE dataset = ? AND count > 0 AND kind NOT LIKE 'scan_%'
                        AND time_ms > ?
                        """, arguments: [dataset, afterMillis]) ?? 0
            return clean > 0 && dirty == 0
        }
    }

    /// Everyone who obtained a dataset since a time (successful downloads, API calls, sandbox use; drill traffic
    /// excluded): per subject (or client address) and channel.
    /// - Parameters:
    ///   - dataset: Dataset id.
    ///   - sinceMillis: From, epoch ms.
    ///   - untilMillis: To, epoch ms (nil: now).
    ///   - drill: A drill's own traffic instead of real traffic.
    ///   - probeAddresses: The center's addresses: its verification requests from there are not data users.
    /// - Returns: Rows, most requests first.
    /// - Throws: ``StoreError``.
    public func traceback(
        dataset: String, sinceMillis: Int64, untilMillis: Int64? = nil, drill: String? = nil,
        probeAddresses: [String] = ["127.0.0.1", "::1"]
    ) throws(StoreError) -> [TracebackRow] {
        try read { db in
            let probes = probeAddresses.isEmpty ? "''" : probeAddresses.map { _ in "?" }.joined(separator: ",")
            var arguments: [any DatabaseValueConvertible] = [
                dataset, sinceMillis, untilMillis ?? Int64.max, drill, VerificationProbe.userAgent,
            ]
            arguments += probeAddresses
            return try Row.fetchAll(
                db,
                // The dataset's events: indexed ones through access_dataset, the unindexed tail by rowid range
                // (`+time_ms` keeps SQLite from scanning the time index instead).
                sql: """
                    WITH request AS (
                        SELECT e.* FROM access_dataset AS d JOIN access_event AS e ON e.id = d.event_id
                        WHERE d.dataset = ?1 AND d.time_ms >= ?2 AND d.time_ms <= ?3
                        UNION ALL
                        SELECT * FROM access_event
                        WHERE id > (SELECT last_event_id FROM access_index_mark WHERE id = 1)
                        AND dataset = ?1 AND +time_ms >= ?2 AND +time_ms <= ?3)
                    SELECT COALESCE(subject_kind, 'ip'), COALESCE(subject, ip), COALESCE(channel, 'download'), COUNT(*),
                    MIN(time_ms), MAX(time_ms), SUM(bytes), COUNT(DISTINCT ip)
                    FROM request
                    WHERE status >= 200 AND status < 400
                    AND drill IS ?4 AND (channel IS NULL OR channel IN ('download', 'api', 'sandbox'))
                    AND NOT (user_agent = ?5 AND ip IN (\(probes)))
                    GROUP BY 1, 2, 3 ORDER BY 4 DESC, 2, 3
                    """, arguments: StatementArguments(arguments)
            ).map {
                TracebackRow(
                    subjectKind: $0[0], subject: $0[1], channel: $0[2], count: $0[3], firstMillis: $0[4],
                    lastMillis: $0[5], bytes: $0[6], addresses: $0[7])
            }
        }
    }

    /// One catalogue dataset.
    /// - Parameter id: Id.
    /// - Returns: It, or nil.
    /// - Throws: ``StoreError``.
    public func dataset(id: String) throws(StoreError) -> DatasetRecord? {
        try datasets().first { $0.id == id }
    }
}
