import Foundation
import GRDB
import YujingResponse

extension YujingDatabase {
    static let restrictionColumns = """
        id, subject_kind, subject, measure, state, ground, reason, warning_id, plan, requested_by, approved_by,
        created_ms, starts_ms, until_ms, rate_per_minute, repeat_index, lifted_by, ended_ms, drill
        """

    static func restrictionRecord(_ row: Row) -> RestrictionRecord {
        RestrictionRecord(
            id: row[0], subjectKind: RestrictedSubjectKind(rawValue: row[1]) ?? .appKey, subject: row[2],
            measure: RestrictionMeasure(rawValue: row[3]) ?? .warn, state: RestrictionState(rawValue: row[4]) ?? .active,
            ground: Article26Ground(rawValue: row[5]) ?? .breachOfRequirements, reason: row[6], warningID: row[7],
            plan: row[8], requestedBy: row[9], approvedBy: row[10], createdMillis: row[11], startsMillis: row[12],
            untilMillis: row[13], ratePerMinute: row[14], repeatIndex: row[15], liftedBy: row[16], endedMillis: row[17],
            drill: row[18])
    }

    static func fetchRestriction(_ db: Database, id: Int64) throws -> RestrictionRecord? {
        try Row.fetchOne(db, sql: "SELECT \(restrictionColumns) FROM restriction WHERE id = ?", arguments: [id])
            .map(restrictionRecord)
    }

    /// Measures against a subject created since a time (for escalation), drills excluded unless it is a drill.
    /// - Parameters:
    ///   - kind: Subject kind.
    ///   - subject: Subject.
    ///   - sinceMillis: Look-back start.
    ///   - drill: Count only this drill's measures (nil: real ones).
    /// - Returns: The count.
    /// - Throws: ``StoreError``.
    public func restrictionCount(
        kind: RestrictedSubjectKind, subject: String, sinceMillis: Int64, drill: String? = nil
    ) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM restriction WHERE subject_kind = ? AND subject = ? AND created_ms >= ?
                    AND state NOT IN ('rejected', 'proposed') AND drill IS ?
                    """, arguments: [kind.rawValue, subject, sinceMillis, drill]) ?? 0
        }
    }

    /// The measures in force and proposed against a subject, newest first.
    /// - Parameters:
    ///   - kind: Subject kind.
    ///   - subject: Subject.
    ///   - drill: Drill id (nil: real ones).
    /// - Returns: Active and proposed restrictions.
    /// - Throws: ``StoreError``.
    public func openRestrictions(kind: RestrictedSubjectKind, subject: String, drill: String? = nil) throws(StoreError)
        -> [RestrictionRecord]
    {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.restrictionColumns) FROM restriction WHERE subject_kind = ? AND subject = ?
                    AND state IN ('active', 'proposed') AND drill IS ? ORDER BY id DESC
                    """, arguments: [kind.rawValue, subject, drill]
            ).map(Self.restrictionRecord)
        }
    }

    /// Imposes (or proposes) a restriction. Audited; an active measure is mirrored on the subject record so that
    /// `scope` rules see restricted subjects.
    /// - Parameters:
    ///   - input: The measure.
    ///   - actor: Who.
    ///   - nowMillis: Time.
    /// - Returns: The restriction.
    /// - Throws: ``StoreError``.
    public func imposeRestriction(_ input: RestrictionInput, actor: String, nowMillis: Int64) throws(StoreError)
        -> RestrictionRecord
    {
        try write { db -> RestrictionRecord in
            let state: RestrictionState = input.needsApproval ? .proposed : .active
            let until = input.durationMillis.map { nowMillis + $0 }
            try db.execute(
                sql: """
                    INSERT INTO restriction (subject_kind, subject, measure, state, ground, reason, warning_id, plan,
                    requested_by, created_ms, starts_ms, until_ms, rate_per_minute, repeat_index, drill)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    input.subjectKind.rawValue, input.subject, input.measure.rawValue, state.rawValue,
                    input.ground.rawValue, input.reason, input.warningID, input.plan, actor, nowMillis, nowMillis, until,
                    input.ratePerMinute, input.repeatIndex, input.drill,
                ])
            let id = db.lastInsertedRowID
            try Self.appendAudit(
                db, actor: actor, action: "restriction.\(state == .active ? "imposed" : "proposed")",
                target: "restriction:\(id)",
                detail:
                    "measure=\(input.measure.rawValue) kind=\(input.subjectKind.rawValue) ground=\(input.ground.rawValue) "
                    + "repeat=\(input.repeatIndex) reason=\(input.reason)",
                nowMillis: nowMillis)
            let record = try Self.fetchRestriction(db, id: id)!
            if state == .active { try Self.mirrorOnSubject(db, record) }
            return record
        }
    }

    static func mirrorOnSubject(_ db: Database, _ record: RestrictionRecord) throws {
        guard record.drill == nil, record.measure >= .suspend,
            record.subjectKind == .appKey || record.subjectKind == .user
        else { return }
        let active = record.state == .active
        try db.execute(
            sql: """
                INSERT INTO subject (id, kind, restricted_from_ms, restricted_until_ms) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET restricted_from_ms = excluded.restricted_from_ms,
                restricted_until_ms = excluded.restricted_until_ms
                """,
            arguments: [
                record.subject, record.subjectKind.rawValue, active ? record.startsMillis : nil,
                active ? record.untilMillis : nil,
            ])
    }

    /// Approves a proposed restriction (closures need a `datacenter` operator). Audited.
    /// - Parameters:
    ///   - id: Restriction id.
    ///   - actor: Approver.
    ///   - nowMillis: Time; the period starts now.
    /// - Returns: The restriction.
    /// - Throws: ``StoreError``.
    public func approveRestriction(id: Int64, actor: String, nowMillis: Int64) throws(StoreError) -> RestrictionRecord {
        try write { db -> RestrictionRecord in
            guard
                let current = try Self.fetchRestriction(db, id: id)
            else { throw StoreError.notFound("restriction \(id)") }
            guard current.state == .proposed else {
                throw StoreError.invalid("restriction \(id) is \(current.state.rawValue), not proposed")
            }
            let duration = current.untilMillis.map { $0 - current.startsMillis }
            try db.execute(
                sql: "UPDATE restriction SET state = 'active', approved_by = ?, starts_ms = ?, until_ms = ? WHERE id = ?",
                arguments: [actor, nowMillis, duration.map { nowMillis + $0 }, id])
            try Self.appendAudit(
                db, actor: actor, action: "restriction.approved", target: "restriction:\(id)", detail: "",
                nowMillis: nowMillis)
            let record = try Self.fetchRestriction(db, id: id)!
            try Self.mirrorOnSubject(db, record)
            return record
        }
    }

    /// Ends a restriction: lifted by an operator, or rejected while proposed. Audited.
    /// - Parameters:
    ///   - id: Restriction id.
    ///   - actor: Who.
    ///   - reason: Why.
    ///   - nowMillis: Time.
    /// - Returns: The restriction.
    /// - Throws: ``StoreError``.
    public func liftRestriction(id: Int64, actor: String, reason: String, nowMillis: Int64) throws(StoreError)
        -> RestrictionRecord
    {
        try write { db -> RestrictionRecord in
            guard
                let current = try Self.fetchRestriction(db, id: id)
            else { throw StoreError.notFound("restriction \(id)") }
            let next: RestrictionState
            switch current.state {
            case .active: next = .lifted
            case .proposed: next = .rejected
            default: throw StoreError.invalid("restriction \(id) is already \(current.state.rawValue)")
            }
            try db.execute(
                sql: "UPDATE restriction SET state = ?, lifted_by = ?, ended_ms = ? WHERE id = ?",
                arguments: [next.rawValue, actor, nowMillis, id])
            try Self.appendAudit(
                db, actor: actor, action: "restriction.\(next.rawValue)", target: "restriction:\(id)",
                detail: "reason=\(reason)", nowMillis: nowMillis)
            let record = try Self.fetchRestriction(db, id: id)!
            try Self.mirrorOnSubject(db, record)
            return record
        }
    }

    /// Ends active restrictions whose period is over. Audited.
    /// - Parameter nowMillis: Time.
    /// - Returns: The expired restrictions.
    /// - Throws: ``StoreError``.
    @discardableResult
    public func expireRestrictions(nowMillis: Int64) throws(StoreError) -> [RestrictionRecord] {
        try write { db -> [RestrictionRecord] in
            let due = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.restrictionColumns) FROM restriction WHERE state = 'active' AND until_ms IS NOT NULL
                    AND until_ms <= ?
                    """, arguments: [nowMillis]
            ).map(Self.restrictionRecord)
            var expired: [RestrictionRecord] = []
            for var record in due {
                try db.execute(
                    sql: "UPDATE restriction SET state = 'expired', ended_ms = ? WHERE id = ?",
                    arguments: [nowMillis, record.id])
                try Self.appendAudit(
                    db, actor: "yujing", action: "restriction.expired", target: "restriction:\(record.id)", detail: "",
                    nowMillis: nowMillis)
                record.state = .expired
                record.endedMillis = nowMillis
                try Self.mirrorOnSubject(db, record)
                expired.append(record)
            }
            return expired
        }
    }

    /// Restrictions, newest first.
    /// - Parameters:
    ///   - states: Only these (empty: all).
    ///   - includeDrills: Whether drill measures are included.
    ///   - sinceMillis: Only those created or still in force since this time.
    ///   - limit: Most rows.
    /// - Returns: Restrictions.
    /// - Throws: ``StoreError``.
    public func restrictions(
        states: Set<RestrictionState> = [], includeDrills: Bool = true, drill: String? = nil, sinceMillis: Int64? = nil,
        limit: Int = 500
    ) throws(StoreError) -> [RestrictionRecord] {
        try read { db in
            var clauses: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if !states.isEmpty {
                clauses.append("state IN (\(states.map { _ in "?" }.joined(separator: ",")))")
                arguments += states.map(\.rawValue).sorted()
            }
            if let drill {
                clauses.append("drill = ?")
                arguments.append(drill)
            } else if !includeDrills {
                clauses.append("drill IS NULL")
            }
            if let sinceMillis {
                clauses.append("(created_ms >= ? OR state = 'active')")
                arguments.append(sinceMillis)
            }
            let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments.append(limit)
            return try Row.fetchAll(
                db, sql: "SELECT \(Self.restrictionColumns) FROM restriction \(whereClause) ORDER BY id DESC LIMIT ?",
                arguments: StatementArguments(arguments)
            ).map(Self.restrictionRecord)
        }
    }

    /// One restriction.
    /// - Parameter id: Id.
    /// - Returns: It, or nil.
    /// - Throws: ``StoreError``.
    public func restriction(id: Int64) throws(StoreError) -> RestrictionRecord? {
        try read { db in
            try Self.fetchRestriction(db, id: id)
        }
    }

    /// Stores an agent's enforcement report (the latest per agent). A failed nginx apply is audited.
    /// - Parameters:
    ///   - report: The report.
    ///   - nowMillis: Time.
    /// - Returns: The agent's previous report.
    /// - Throws: ``StoreError``.
    @discardableResult
    public func saveEnforcementReport(_ report: EnforcementReportRecord, nowMillis: Int64) throws(StoreError)
        -> EnforcementReportRecord?
    {
        try write { db -> EnforcementReportRecord? in
            let previous = try Row.fetchOne(
                db,
                sql: """
                    SELECT agent, version, received_ms, nginx_status, nginx_error, detail FROM enforcement_report
                    WHERE agent = ?
                    """, arguments: [report.agent]
            ).map {
                EnforcementReportRecord(
                    agent: $0[0], version: $0[1], receivedMillis: $0[2], nginxStatus: $0[3], nginxError: $0[4],
                    detail: $0[5])
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO enforcement_report (agent, version, received_ms, nginx_status, nginx_error,
                    detail) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    report.agent, report.version, report.receivedMillis, report.nginxStatus, report.nginxError,
                    report.detail,
                ])
            if previous?.version != report.version || previous?.nginxStatus != report.nginxStatus {
                try Self.appendAudit(
                    db, actor: "agent:\(report.agent)", action: "enforcement.\(report.nginxStatus)",
                    target: "enforcement:\(report.version)", detail: report.nginxError ?? "", nowMillis: nowMillis)
            }
            return previous
        }
    }

    /// The latest enforcement report of every agent.
    /// - Returns: Reports.
    /// - Throws: ``StoreError``.
    public func enforcementReports() throws(StoreError) -> [EnforcementReportRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT agent, version, received_ms, nginx_status, nginx_error, detail FROM enforcement_report
                    ORDER BY agent
                    """
            ).map {
                EnforcementReportRecord(
                    agent: $0[0], version: $0[1], receivedMillis: $0[2], nginxStatus: $0[3], nginxError: $0[4],
                    detail: $0[5])
            }
        }
    }
}
