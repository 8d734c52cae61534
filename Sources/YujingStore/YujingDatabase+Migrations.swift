import GRDB

extension YujingDatabase {
    /// The schema's migrations, by string name. A shipped migration is never edited: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-events") { db in
            try db.create(table: "access_event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time_ms", .integer).notNull().indexed()
                t.column("agent", .text).notNull()
                t.column("batch_id", .text).notNull()
                t.column("node", .text).notNull()
                t.column("ip", .text).notNull()
                t.column("subject", .text)
                t.column("subject_kind", .text)
                t.column("method", .text).notNull()
                t.column("path", .text).notNull()
                t.column("query", .text)
                t.column("dataset", .text)
                t.column("channel", .text)
                t.column("status", .integer).notNull()
                t.column("bytes", .integer).notNull()
                t.column("user_agent", .text).notNull()
                t.column("drill", .text)
            }
            try db.create(index: "access_event_subject", on: "access_event", columns: ["subject", "time_ms"])
            try db.create(index: "access_event_dataset", on: "access_event", columns: ["dataset", "time_ms"])
            try db.create(table: "finding") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time_ms", .integer).notNull().indexed()
                t.column("agent", .text).notNull()
                t.column("batch_id", .text).notNull()
                t.column("dataset", .text).notNull().indexed()
                t.column("file", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("count", .integer).notNull()
                t.column("masked_samples", .text).notNull()
                t.column("keyed_hashes", .text).notNull()
                t.column("drill", .text)
            }
            try db.create(table: "heartbeat") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time_ms", .integer).notNull().indexed()
                t.column("agent", .text).notNull()
                t.column("node", .text).notNull()
            }
            try db.create(table: "ingest_batch") { t in
                t.column("agent", .text).notNull()
                t.column("batch_id", .text).notNull()
                t.column("received_ms", .integer).notNull()
                t.column("events", .integer).notNull()
                t.primaryKey(["agent", "batch_id"])
            }
        }
        migrator.registerMigration("v1-catalogue") { db in
            try db.create(table: "dataset") { t in
                t.primaryKey("id", .text)
                t.column("title", .text).notNull()
                t.column("owner_agency", .text).notNull()
                t.column("open_category", .text).notNull()
                    .check(sql: "open_category IN ('unconditional', 'conditional')")
                t.column("url_patterns", .text).notNull()
                t.column("file_paths", .text).notNull()
            }
            try db.create(table: "subject") { t in
                t.primaryKey("id", .text)
                t.column("kind", .text).notNull()
                t.column("name", .text)
                t.column("organisation", .text)
                t.column("restricted_from_ms", .integer)
                t.column("restricted_until_ms", .integer)
            }
            try db.create(table: "approved_application") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("subject", .text).notNull().indexed()
                t.column("dataset", .text).notNull()
                t.column("purpose", .text).notNull()
                t.column("scenario", .text)
                t.column("valid_from_ms", .integer).notNull()
                t.column("valid_to_ms", .integer).notNull()
            }
        }
        migrator.registerMigration("v1-warnings") { db in
            try db.create(table: "warning") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("fingerprint", .text).notNull().unique()
                t.column("rule", .text).notNull().indexed()
                t.column("title", .text).notNull()
                t.column("level", .text).notNull()
                t.column("state", .text).notNull()
                    .check(sql: "state IN ('firing', 'acknowledged', 'resolved', 'silenced')")
                t.column("count", .integer).notNull()
                t.column("first_seen_ms", .integer).notNull()
                t.column("last_seen_ms", .integer).notNull()
                t.column("dataset", .text).indexed()
                t.column("subject", .text).indexed()
                t.column("labels", .text).notNull()
                t.column("annotations", .text).notNull()
                t.column("evidence", .text).notNull()
                t.column("inhibited_by", .integer)
                t.column("updated_ms", .integer).notNull()
            }
            try db.create(table: "warning_history") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("warning_id", .integer).notNull().indexed()
                    .references("warning", onDelete: .cascade)
                t.column("time_ms", .integer).notNull()
                t.column("action", .text).notNull()
                t.column("author", .text).notNull()
                t.column("level", .text).notNull()
                t.column("state", .text).notNull()
                t.column("comment", .text)
            }
            try db.create(table: "silence") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("fingerprint", .text).indexed()
                t.column("rule", .text)
                t.column("author", .text).notNull()
                t.column("comment", .text).notNull()
                t.column("created_ms", .integer).notNull()
                t.column("expires_ms", .integer).notNull()
            }
            try db.create(table: "engine_snapshot") { t in
                t.primaryKey("id", .integer)
                t.column("saved_ms", .integer).notNull()
                t.column("last_access_id", .integer).notNull()
                t.column("last_finding_id", .integer).notNull()
                t.column("last_heartbeat_id", .integer).notNull()
                t.column("state", .blob).notNull()
            }
        }
        migrator.registerMigration("v1-security") { db in
            try db.create(table: "api_token") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("token_id", .text).notNull().unique()
                t.column("role", .text).notNull()
                t.column("hash", .text).notNull()
                t.column("created_ms", .integer).notNull()
                t.column("revoked", .boolean).notNull().defaults(to: false)
                t.column("revoked_ms", .integer)
            }
            try db.create(table: "audit_log") { t in
                t.primaryKey("id", .integer)
                t.column("time_ms", .integer).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("target", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("prev_hash", .text).notNull()
                t.column("hash", .text).notNull()
            }
            // The chain head (row count and last hash) catches a deleted last row.
            try db.create(table: "audit_head") { t in
                t.primaryKey("id", .integer)
                t.column("count", .integer).notNull()
                t.column("hash", .text).notNull()
            }
            try db.execute(
                sql: """
                    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                    """)
        }
        migrator.registerMigration("v2-response") { db in
            try db.alter(table: "dataset") { t in t.add(column: "public_url", .text) }
            try db.create(table: "withdrawal") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("dataset", .text).notNull().indexed()
                t.column("state", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("warning_id", .integer)
                t.column("plan", .text)
                t.column("requested_by", .text).notNull()
                t.column("approved_by", .text)
                t.column("created_ms", .integer).notNull()
                t.column("updated_ms", .integer).notNull()
                t.column("since_ms", .integer).notNull()
                t.column("adapter_status", .text).notNull()
                t.column("adapter_attempts", .integer).notNull().defaults(to: 0)
                t.column("adapter_error", .text)
                t.column("verification_status", .text).notNull()
                t.column("verification_detail", .text)
                t.column("verified_ms", .integer)
                t.column("drill", .text)
            }
            try db.create(table: "withdrawal_history") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("withdrawal_id", .integer).notNull().indexed().references("withdrawal", onDelete: .cascade)
                t.column("time_ms", .integer).notNull()
                t.column("state", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("reason", .text).notNull()
            }
            try db.create(table: "restriction") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("subject_kind", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("measure", .text).notNull()
                t.column("state", .text).notNull()
                t.column("ground", .integer).notNull()
                t.column("reason", .text).notNull()
                t.column("warning_id", .integer)
                t.column("plan", .text)
                t.column("requested_by", .text).notNull()
                t.column("approved_by", .text)
                t.column("created_ms", .integer).notNull()
                t.column("starts_ms", .integer).notNull()
                t.column("until_ms", .integer)
                t.column("rate_per_minute", .integer)
                t.column("repeat_index", .integer).notNull()
                t.column("lifted_by", .text)
                t.column("ended_ms", .integer)
                t.column("drill", .text)
            }
            try db.create(
                index: "approved_application_unique", on: "approved_application",
                columns: ["subject", "dataset", "purpose", "valid_from_ms", "valid_to_ms"], unique: true)
            try db.create(index: "restriction_subject", on: "restriction", columns: ["subject_kind", "subject", "created_ms"])
            try db.create(table: "enforcement_report") { t in
                t.primaryKey("agent", .text)
                t.column("version", .text).notNull()
                t.column("received_ms", .integer).notNull()
                t.column("nginx_status", .text).notNull()
                t.column("nginx_error", .text)
                t.column("detail", .text).notNull()
            }
        }
        migrator.registerMigration("v3-drills") { db in
            try db.alter(table: "warning") { t in t.add(column: "drill", .text) }
            try db.alter(table: "heartbeat") { t in t.add(column: "drill", .text) }
            try db.alter(table: "dataset") { t in t.add(column: "drill", .text) }
            try db.create(index: "warning_drill", on: "warning", columns: ["drill"])
            try db.create(table: "drill_run") { t in
                t.primaryKey("id", .text)
                t.column("runbook", .text).notNull()
                t.column("title", .text).notNull()
                t.column("mode", .text).notNull()
                t.column("started_by", .text).notNull()
                t.column("started_ms", .integer).notNull().indexed()
                t.column("finished_ms", .integer)
                t.column("status", .text).notNull()
                t.column("report", .text)
            }
        }
        migrator.registerMigration("v4-heartbeat-metrics") { db in
            // The agent's metrics (JSON object of integers) as sent with the heartbeat, for the console's agents page.
            try db.alter(table: "heartbeat") { t in t.add(column: "metrics", .text) }
        }
        migrator.registerMigration("v5-access-presence") { db in
            // Who touched which dataset in which hour, replacing the index of every access event by subject: that
            // index took a B-tree insert at a random place per event, a third of the cost of storing one; this
            // table takes a row the first time a pair is seen in an hour (see `AccessPresence.swift`). Rows may
            // repeat (after a restart or when the ingest cache starts over): readers use DISTINCT.
            try db.execute(
                sql: """
                    CREATE TABLE access_presence (
                        who TEXT NOT NULL, who_kind TEXT NOT NULL, hour_ms INTEGER NOT NULL, dataset TEXT NOT NULL)
                    """)
            try db.execute(
                sql: """
                    INSERT INTO access_presence (who, who_kind, hour_ms, dataset)
                    SELECT DISTINCT COALESCE(subject, ip),
                    CASE WHEN subject IS NULL THEN 'ip' ELSE COALESCE(subject_kind, 'user') END,
                    time_ms - ((time_ms % 3600000) + 3600000) % 3600000, COALESCE(dataset, '')
                    FROM access_event
                    """)
            // Hour first: ingest inserts only into the current hour's part of the index (a small hot set, where an
            // index by subject is written all over), and a subject's range is read as one seek per hour.
            try db.execute(
                sql: "CREATE INDEX access_presence_hour ON access_presence (hour_ms, who, who_kind, dataset)")
            try db.execute(sql: "DROP INDEX access_event_subject")
        }
        migrator.registerMigration("v6-access-indexes") { db in
            // Access events by dataset and by time, written in bulk instead of per event (see `AccessIndexes.swift`):
            // the index of access_event by dataset took an insert into each active dataset's last leaf page per
            // event, so every commit rewrote one page per active dataset into the WAL (ingest wrote 3,100 bytes per
            // event with 300 datasets, 650 without), and the index by time cost a B-tree insert per event on the
            // single writer. Events without a dataset are indexed under "" (as in access_presence).
            try db.execute(
                sql: """
                    CREATE TABLE access_dataset (
                        dataset TEXT NOT NULL, time_ms INTEGER NOT NULL, event_id INTEGER NOT NULL,
                        PRIMARY KEY (dataset, time_ms, event_id)) WITHOUT ROWID
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE access_time (
                        time_ms INTEGER NOT NULL, event_id INTEGER NOT NULL, PRIMARY KEY (time_ms, event_id)) WITHOUT ROWID
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE access_index_mark (
                        id INTEGER PRIMARY KEY CHECK (id = 1), last_event_id INTEGER NOT NULL)
                    """)
            try db.execute(
                sql: """
                    INSERT INTO access_dataset (dataset, time_ms, event_id)
                    SELECT COALESCE(dataset, ''), time_ms, id FROM access_event ORDER BY 1, 2, 3
                    """)
            try db.execute(
                sql: "INSERT INTO access_time (time_ms, event_id) SELECT time_ms, id FROM access_event ORDER BY 1, 2")
            try db.execute(
                sql: """
                    INSERT INTO access_index_mark (id, last_event_id)
                    VALUES (1, (SELECT COALESCE(MAX(id), 0) FROM access_event))
                    """)
            try db.execute(sql: "DROP INDEX access_event_dataset")
            try db.execute(sql: "DROP INDEX access_event_on_time_ms")
        }
        migrator.registerMigration("v7-agent-latest") { db in
            // Each agent's latest heartbeat, kept up to date by ingest, so the console and every Prometheus scrape
            // read one row per agent instead of grouping all heartbeats in retention (two a minute per agent).
            try db.execute(
                sql: """
                    CREATE TABLE agent_latest (
                        agent TEXT PRIMARY KEY NOT NULL, node TEXT NOT NULL, time_ms INTEGER NOT NULL,
                        count INTEGER NOT NULL, metrics TEXT)
                    """)
            try db.execute(sql: YujingDatabase.rebuildAgentLatestSQL)
        }
        return migrator
    }
}
