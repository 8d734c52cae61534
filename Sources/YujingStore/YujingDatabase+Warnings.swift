import Foundation
import GRDB
import YujingCore

extension YujingDatabase {
    static let warningColumns = """
        id, fingerprint, rule, title, level, state, count, first_seen_ms, last_seen_ms, dataset, subject, labels,
        annotations, evidence, inhibited_by
        """

    /// Folds a raised condition into the warning table: fingerprint dedup (count and last-seen), escalation when
    /// the level rises, reopening of resolved warnings, silences and inhibition (an active level-I warning on a
    /// dataset suppresses lower ones on that dataset). History is appended.
    /// - Parameters:
    ///   - input: The condition.
    ///   - nowMillis: Wall-clock time (for silences).
    /// - Returns: What changed and whether to notify.
    /// - Throws: ``StoreError``.
    public func applyWarning(_ input: WarningInput, nowMillis: Int64) throws(StoreError) -> WarningChange {
        try write { db -> WarningChange in
            let silenced =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT 1 FROM silence WHERE expires_ms > ? AND (fingerprint = ? OR (fingerprint IS NULL AND rule = ?))
                        """, arguments: [nowMillis, input.fingerprint, input.rule]) == true
            let dataset = input.labels["dataset"]
            var inhibitor: Int64?
            if input.level != .I, let dataset {
                inhibitor = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM warning WHERE level = 'I' AND dataset = ? AND fingerprint <> ?
                        AND state IN ('firing', 'acknowledged', 'silenced') ORDER BY id LIMIT 1
                        """, arguments: [dataset, input.fingerprint])
            }
            let labels = Self.jsonObject(input.labels)
            let annotations = Self.jsonObject(input.annotations)
            let existing = try Row.fetchOne(
                db, sql: "SELECT \(Self.warningColumns) FROM warning WHERE fingerprint = ?",
                arguments: [input.fingerprint]
            ).map(Self.warningRecord)
            let kind: WarningChange.Kind
            let state: WarningState
            let level: WarningLevel
            let id: Int64
            if let existing {
                level = max(existing.level, input.level)
                if existing.state == .resolved {
                    kind = .reopened
                } else if input.level > existing.level {
                    kind = .escalated
                } else {
                    kind = .repeated
                }
                switch existing.state {
                case .resolved: state = silenced ? .silenced : .firing
                case .silenced: state = silenced ? .silenced : .firing
                case .firing, .acknowledged: state = silenced ? .silenced : existing.state
                }
                id = existing.id
                try db.execute(
                    sql: """
                        UPDATE warning SET level = ?, state = ?, count = count + 1, last_seen_ms = MAX(last_seen_ms, ?),
                        labels = ?, annotations = ?, evidence = ?, inhibited_by = ?, updated_ms = ?,
                        title = ? WHERE id = ?
                        """,
                    arguments: [
                        level.rawValue, state.rawValue, input.timeMillis, labels, annotations, input.evidence,
                        inhibitor, nowMillis, input.title, id,
                    ])
            } else {
                kind = .created
                state = silenced ? .silenced : .firing
                level = input.level
                try db.execute(
                    sql: """
                        INSERT INTO warning (fingerprint, rule, title, level, state, count, first_seen_ms, last_seen_ms,
                        dataset, subject, labels, annotations, evidence, inhibited_by, updated_ms, drill)
                        VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        input.fingerprint, input.rule, input.title, level.rawValue, state.rawValue, input.timeMillis,
                        input.timeMillis, dataset, input.labels["subject"], labels, annotations, input.evidence,
                        inhibitor, nowMillis, input.labels["drill"],
                    ])
                id = db.lastInsertedRowID
            }
            // A new level-I warning inhibits lower ones already raised on its dataset.
            if level == .I, let dataset {
                try db.execute(
                    sql: """
                        UPDATE warning SET inhibited_by = ? WHERE dataset = ? AND level <> 'I' AND id <> ?
                        AND inhibited_by IS NULL AND state <> 'resolved'
                        """, arguments: [id, dataset, id])
            }
            if kind != .repeated {
                try Self.appendHistory(
                    db, warningID: id, timeMillis: input.timeMillis, action: kind.rawValue, author: "engine",
                    level: level, state: state, comment: nil)
            }
            let warning = try Row.fetchOne(
                db, sql: "SELECT \(Self.warningColumns) FROM warning WHERE id = ?", arguments: [id]
            ).map(Self.warningRecord)
            guard let warning else { throw StoreError.notFound("warning \(id)") }
            let notify = kind != .repeated && !silenced && inhibitor == nil
            return WarningChange(kind: kind, warning: warning, notify: notify)
        }
    }

    /// Lists warnings, most recently seen first.
    /// - Parameter filter: Filters.
    /// - Returns: Warnings.
    /// - Throws: ``StoreError``.
    public func warnings(_ filter: WarningFilter = WarningFilter()) throws(StoreError) -> [WarningRecord] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let level = filter.level {
            clauses.append("level = ?")
            arguments += [level.rawValue]
        }
        if let state = filter.state {
            clauses.append("state = ?")
            arguments += [state.rawValue]
        }
        if let rule = filter.rule {
            clauses.append("rule = ?")
            arguments += [rule]
        }
        if let dataset = filter.dataset {
            clauses.append("dataset = ?")
            arguments += [dataset]
        }
        if let subject = filter.subject {
            clauses.append("subject = ?")
            arguments += [subject]
        }
        if let drill = filter.drill {
            clauses.append("drill = ?")
            arguments += [drill]
        } else {
            clauses.append("drill IS NULL")
        }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments += [max(1, min(filter.limit, 10_000))]
        let sql = "SELECT \(Self.warningColumns) FROM warning \(whereSQL) ORDER BY last_seen_ms DESC, id DESC LIMIT ?"
        let finalArguments = arguments
        return try read { db in try Row.fetchAll(db, sql: sql, arguments: finalArguments).map(Self.warningRecord) }
    }

    /// One warning.
    /// - Parameter id: Id.
    /// - Returns: The warning, or `nil`.
    /// - Throws: ``StoreError``.
    public func warning(id: Int64) throws(StoreError) -> WarningRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.warningColumns) FROM warning WHERE id = ?", arguments: [id])
                .map(Self.warningRecord)
        }
    }

    /// A warning's history, oldest first.
    /// - Parameter id: Warning id.
    /// - Returns: The entries.
    /// - Throws: ``StoreError``.
    public func warningHistory(id: Int64) throws(StoreError) -> [WarningHistoryEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT time_ms, action, author, level, state, comment FROM warning_history WHERE warning_id = ?
                    ORDER BY id
                    """, arguments: [id]
            ).map { row in
                WarningHistoryEntry(
                    timeMillis: row[0], action: row[1], author: row[2], level: WarningLevel(rawValue: row[3]) ?? .IV,
                    state: WarningState(rawValue: row[4]) ?? .firing, comment: row[5])
            }
        }
    }

    /// Moves a warning to `acknowledged` or `resolved` (people's actions). Audited.
    /// - Parameters:
    ///   - id: Warning id.
    ///   - state: `.acknowledged` or `.resolved`.
    ///   - author: Who.
    ///   - comment: Why.
    ///   - nowMillis: Time.
    /// - Returns: The warning after the change.
    /// - Throws: ``StoreError/notFound(_:)``, ``StoreError/invalid(_:)``.
    public func transitionWarning(
        id: Int64, to state: WarningState, author: String, comment: String?, nowMillis: Int64
    ) throws(StoreError) -> WarningRecord {
        guard state == .acknowledged || state == .resolved else { throw .invalid("state \(state.rawValue)") }
        return try write { db -> WarningRecord in
            guard
                let current = try Row.fetchOne(
                    db, sql: "SELECT \(Self.warningColumns) FROM warning WHERE id = ?", arguments: [id]
                ).map(Self.warningRecord)
            else { throw StoreError.notFound("warning \(id)") }
            if state == .acknowledged, current.state == .resolved {
                throw StoreError.invalid("warning \(id) is resolved")
            }
            try db.execute(
                sql: "UPDATE warning SET state = ?, updated_ms = ? WHERE id = ?",
                arguments: [state.rawValue, nowMillis, id])
            if state == .resolved {
                // Lower warnings it inhibited are released.
                try db.execute(sql: "UPDATE warning SET inhibited_by = NULL WHERE inhibited_by = ?", arguments: [id])
            }
            try Self.appendHistory(
                db, warningID: id, timeMillis: nowMillis, action: state.rawValue, author: author,
                level: current.level, state: state, comment: comment)
            try Self.appendAudit(
                db, actor: author, action: "warning.\(state == .resolved ? "resolve" : "acknowledge")",
                target: "warning/\(id)", detail: comment ?? "", nowMillis: nowMillis)
            var updated = current
            updated.state = state
            return updated
        }
    }

    /// Silences a warning's fingerprint until `expiresMillis`. Audited.
    /// - Parameters:
    ///   - id: Warning id.
    ///   - author: Who.
    ///   - comment: Why (required).
    ///   - expiresMillis: Expiry, epoch ms (wall clock).
    ///   - nowMillis: Time.
    /// - Returns: The silence.
    /// - Throws: ``StoreError``.
    public func silenceWarning(
        id: Int64, author: String, comment: String, expiresMillis: Int64, nowMillis: Int64
    ) throws(StoreError) -> SilenceRecord {
        guard expiresMillis > nowMillis else { throw .invalid("silence expiry is in the past") }
        return try write { db -> SilenceRecord in
            guard
                let current = try Row.fetchOne(
                    db, sql: "SELECT \(Self.warningColumns) FROM warning WHERE id = ?", arguments: [id]
                ).map(Self.warningRecord)
            else { throw StoreError.notFound("warning \(id)") }
            try db.execute(
                sql: """
                    INSERT INTO silence (fingerprint, rule, author, comment, created_ms, expires_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [current.fingerprint, current.rule, author, comment, nowMillis, expiresMillis])
            let silenceID = db.lastInsertedRowID
            try db.execute(
                sql: "UPDATE warning SET state = 'silenced', updated_ms = ? WHERE id = ?", arguments: [nowMillis, id])
            try Self.appendHistory(
                db, warningID: id, timeMillis: nowMillis, action: "silenced", author: author, level: current.level,
                state: .silenced, comment: comment)
            try Self.appendAudit(
                db, actor: author, action: "warning.silence", target: "warning/\(id)",
                detail: "until=\(expiresMillis) \(comment)", nowMillis: nowMillis)
            return SilenceRecord(
                id: silenceID, fingerprint: current.fingerprint, rule: current.rule, author: author, comment: comment,
                createdMillis: nowMillis, expiresMillis: expiresMillis)
        }
    }

    /// Silences in force at a time.
    /// - Parameter nowMillis: Time.
    /// - Returns: Active silences.
    /// - Throws: ``StoreError``.
    public func activeSilences(nowMillis: Int64) throws(StoreError) -> [SilenceRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, fingerprint, rule, author, comment, created_ms, expires_ms FROM silence
                    WHERE expires_ms > ? ORDER BY id
                    """, arguments: [nowMillis]
            ).map { row in
                SilenceRecord(
                    id: row[0], fingerprint: row[1], rule: row[2], author: row[3], comment: row[4],
                    createdMillis: row[5], expiresMillis: row[6])
            }
        }
    }

    static func appendHistory(
        _ db: Database, warningID: Int64, timeMillis: Int64, action: String, author: String, level: WarningLevel,
        state: WarningState, comment: String?
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO warning_history (warning_id, time_ms, action, author, level, state, comment)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [warningID, timeMillis, action, author, level.rawValue, state.rawValue, comment])
    }

    static func warningRecord(_ row: Row) -> WarningRecord {
        WarningRecord(
            id: row[0], fingerprint: row[1], rule: row[2], title: row[3], level: WarningLevel(rawValue: row[4]) ?? .IV,
            state: WarningState(rawValue: row[5]) ?? .firing, count: row[6], firstSeenMillis: row[7],
            lastSeenMillis: row[8], dataset: row[9], subject: row[10], labels: jsonDictionary(row[11]),
            annotations: jsonDictionary(row[12]), evidence: row[13], inhibitedBy: row[14])
    }

    static func jsonObject(_ dictionary: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(dictionary) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func jsonDictionary(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}

extension YujingDatabase {
    /// Resolves firing and acknowledged warnings whose condition has not been raised since `lastSeenBefore`
    /// (event time): the condition cleared. History records `auto-resolved` by `engine`; inhibitions are released.
    /// - Parameters:
    ///   - lastSeenBefore: Event-time cut-off, epoch ms.
    ///   - nowMillis: Wall clock.
    /// - Returns: The warnings resolved.
    /// - Throws: ``StoreError``.
    public func autoResolveWarnings(lastSeenBefore: Int64, nowMillis: Int64) throws(StoreError) -> [WarningRecord] {
        try write { db -> [WarningRecord] in
            let stale = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.warningColumns) FROM warning
                    WHERE state IN ('firing', 'acknowledged') AND last_seen_ms < ? ORDER BY id
                    """, arguments: [lastSeenBefore]
            ).map(Self.warningRecord)
            var resolved: [WarningRecord] = []
            for var warning in stale {
                try db.execute(
                    sql: "UPDATE warning SET state = 'resolved', updated_ms = ? WHERE id = ?",
                    arguments: [nowMillis, warning.id])
                try db.execute(
                    sql: "UPDATE warning SET inhibited_by = NULL WHERE inhibited_by = ?", arguments: [warning.id])
                try Self.appendHistory(
                    db, warningID: warning.id, timeMillis: lastSeenBefore, action: "auto-resolved", author: "engine",
                    level: warning.level, state: .resolved, comment: "condition clear")
                warning.state = .resolved
                resolved.append(warning)
            }
            return resolved
        }
    }
}
