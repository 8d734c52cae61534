import Foundation
import GRDB

/// A drill run kept at the center (Art. 39): its runbook, mode, times, result and report.
public struct DrillRunRecord: Sendable, Hashable {
    /// Drill id (also stamped on every injected event).
    public var id: String
    /// Runbook id.
    public var runbook: String
    /// Title.
    public var title: String
    /// `inject` or `tabletop`.
    public var mode: String
    /// Who started it.
    public var startedBy: String
    /// Started, epoch ms.
    public var startedMillis: Int64
    /// Finished, epoch ms.
    public var finishedMillis: Int64?
    /// `running`, `passed`, `failed`, `aborted`.
    public var status: String
    /// The report (JSON), once finished.
    public var report: String?

    /// Creates a record.
    public init(
        id: String, runbook: String, title: String, mode: String, startedBy: String, startedMillis: Int64,
        finishedMillis: Int64? = nil, status: String = "running", report: String? = nil
    ) {
        self.id = id
        self.runbook = runbook
        self.title = title
        self.mode = mode
        self.startedBy = startedBy
        self.startedMillis = startedMillis
        self.finishedMillis = finishedMillis
        self.status = status
        self.report = report
    }
}

extension YujingDatabase {
    static func drillRun(_ row: Row) -> DrillRunRecord {
        DrillRunRecord(
            id: row[0], runbook: row[1], title: row[2], mode: row[3], startedBy: row[4], startedMillis: row[5],
            finishedMillis: row[6], status: row[7], report: row[8])
    }

    static let drillColumns = "id, runbook, title, mode, started_by, started_ms, finished_ms, status, report"

    /// Records a drill start, with its catalogue entries (drill datasets). Audited.
    /// - Parameters:
    ///   - run: The run.
    ///   - datasets: Drill datasets (ids must not exist in the real catalogue).
    ///   - nowMillis: Time.
    /// - Throws: ``StoreError/duplicate(_:)`` when a dataset id is a real one.
    public func startDrill(_ run: DrillRunRecord, datasets: [DatasetRecord], nowMillis: Int64) throws(StoreError) {
        try write { db in
            for dataset in datasets {
                if let owner = try String.fetchOne(
                    db, sql: "SELECT COALESCE(drill, '') FROM dataset WHERE id = ?", arguments: [dataset.id]),
                    owner.isEmpty
                {
                    throw StoreError.duplicate("dataset \(dataset.id) is a real catalogue dataset; drills use their own ids")
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO drill_run (id, runbook, title, mode, started_by, started_ms, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.runbook, run.title, run.mode, run.startedBy, run.startedMillis,
                    run.mode == "live" ? "awaiting-approval" : "running",
                ])
            for dataset in datasets {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO dataset (id, title, owner_agency, open_category, url_patterns, file_paths,
                        public_url, drill) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
                        """,
                    arguments: [
                        dataset.id, dataset.title, dataset.ownerAgency, dataset.openCategory.rawValue,
                        Self.jsonText(dataset.urlPatterns), Self.jsonText(dataset.filePaths), run.id,
                    ])
            }
            try Self.appendAudit(
                db, actor: run.startedBy, action: "drill.started", target: "drill:\(run.id)",
                detail: "runbook=\(run.runbook) mode=\(run.mode)", nowMillis: nowMillis)
        }
    }

    /// Records a drill's end and report, and removes its catalogue entries. Audited.
    /// - Parameters:
    ///   - id: Drill id.
    ///   - status: `passed`, `failed` or `aborted`.
    ///   - report: Report JSON.
    ///   - actor: Who.
    ///   - nowMillis: Time.
    /// - Throws: ``StoreError``.
    public func finishDrill(id: String, status: String, report: String, actor: String, nowMillis: Int64)
        throws(StoreError)
    {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM drill_run WHERE id = ?", arguments: [id]) == true else {
                throw StoreError.notFound("drill \(id)")
            }
            try db.execute(
                sql: "UPDATE drill_run SET status = ?, report = ?, finished_ms = ? WHERE id = ?",
                arguments: [status, report, nowMillis, id])
            try db.execute(sql: "DELETE FROM dataset WHERE drill = ?", arguments: [id])
            try Self.appendAudit(
                db, actor: actor, action: "drill.\(status)", target: "drill:\(id)", detail: "", nowMillis: nowMillis)
        }
    }

    /// Approves a live drill (its measures are enforced for real): `awaiting-approval` becomes `running`. Audited.
    /// - Parameters:
    ///   - id: Drill id.
    ///   - actor: The approving datacenter operator (not the one who started it).
    ///   - nowMillis: Time.
    /// - Throws: ``StoreError``.
    public func approveLiveDrill(id: String, actor: String, nowMillis: Int64) throws(StoreError) {
        try write { db in
            guard let run = try Row.fetchOne(db, sql: "SELECT \(Self.drillColumns) FROM drill_run WHERE id = ?", arguments: [id])
                .map(Self.drillRun)
            else { throw StoreError.notFound("drill \(id)") }
            guard run.mode == "live", run.status == "awaiting-approval" else {
                throw StoreError.invalid("drill \(id) is \(run.mode) and \(run.status): nothing to approve")
            }
            guard run.startedBy != actor else { throw StoreError.invalid("\(actor) started drill \(id) and cannot approve it") }
            try db.execute(sql: "UPDATE drill_run SET status = 'running' WHERE id = ?", arguments: [id])
            try Self.appendAudit(
                db, actor: actor, action: "drill.live-approved", target: "drill:\(id)", detail: "", nowMillis: nowMillis)
        }
    }

    /// Ids of live drills in progress (approved, not finished): their measures are enforced for real.
    /// - Returns: Drill ids.
    /// - Throws: ``StoreError``.
    public func liveDrills() throws(StoreError) -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT id FROM drill_run WHERE mode = 'live' AND status = 'running'"))
        }
    }

    /// Drill runs, newest first.
    /// - Parameter limit: Most rows.
    /// - Returns: Runs (reports included).
    /// - Throws: ``StoreError``.
    public func drillRuns(limit: Int = 200) throws(StoreError) -> [DrillRunRecord] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.drillColumns) FROM drill_run ORDER BY started_ms DESC LIMIT ?", arguments: [limit]
            ).map(Self.drillRun)
        }
    }

    /// One drill run.
    /// - Parameter id: Id.
    /// - Returns: It, or nil.
    /// - Throws: ``StoreError``.
    public func drillRun(id: String) throws(StoreError) -> DrillRunRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.drillColumns) FROM drill_run WHERE id = ?", arguments: [id])
                .map(Self.drillRun)
        }
    }
}
