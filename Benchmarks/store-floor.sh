#!/usr/bin/env bash
# The floor of storing access events in SQLite: copies the events of a center database (e.g. one kept by
# `KEEP_DB=... Benchmarks/agent-throughput.sh`) into fresh tables of the same layout with the sqlite3 shell, one
# bulk INSERT ... SELECT per table in one transaction each: no parsing, no binding, no per-row statement, no engine.
# What the center does per event can only cost more than these figures. Prints microseconds per event per table.
#
# Usage: Benchmarks/store-floor.sh CENTER.sqlite
set -euo pipefail
source_db="${1:?usage: store-floor.sh CENTER.sqlite}"
command -v sqlite3 >/dev/null || { echo "missing sqlite3 (apt-get install -y sqlite3)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$source_db" "$work/floor.sqlite"
events=$(sqlite3 "$work/floor.sqlite" "SELECT COUNT(*) FROM access_event")
presence=$(sqlite3 "$work/floor.sqlite" "SELECT COUNT(*) FROM access_presence")
# The center's settings (YujingDatabase.open) and layout (migrations v1-v6), into new tables.
sqlite3 "$work/floor.sqlite" >"$work/times" <<'SQL'
PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;
CREATE TABLE floor_event ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "time_ms" INTEGER NOT NULL, "agent" TEXT NOT NULL,
  "batch_id" TEXT NOT NULL, "node" TEXT NOT NULL, "ip" TEXT NOT NULL, "subject" TEXT, "subject_kind" TEXT,
  "method" TEXT NOT NULL, "path" TEXT NOT NULL, "query" TEXT, "dataset" TEXT, "channel" TEXT,
  "status" INTEGER NOT NULL, "bytes" INTEGER NOT NULL, "user_agent" TEXT NOT NULL, "drill" TEXT);
CREATE TABLE floor_presence (who TEXT NOT NULL, who_kind TEXT NOT NULL, hour_ms INTEGER NOT NULL, dataset TEXT NOT NULL);
CREATE INDEX floor_presence_hour ON floor_presence (hour_ms, who, who_kind, dataset);
CREATE TABLE floor_dataset (dataset TEXT NOT NULL, time_ms INTEGER NOT NULL, event_id INTEGER NOT NULL,
  PRIMARY KEY (dataset, time_ms, event_id)) WITHOUT ROWID;
CREATE TABLE floor_time (time_ms INTEGER NOT NULL, event_id INTEGER NOT NULL, PRIMARY KEY (time_ms, event_id)) WITHOUT ROWID;
.timer on
INSERT INTO floor_event SELECT * FROM access_event ORDER BY id;
INSERT INTO floor_presence SELECT * FROM access_presence ORDER BY rowid;
INSERT INTO floor_dataset SELECT COALESCE(dataset, ''), time_ms, id FROM access_event ORDER BY 1, 2, 3;
INSERT INTO floor_time SELECT time_ms, id FROM access_event ORDER BY 1, 2;
SQL
echo "$events access events, $presence presence rows ($(awk -v p="$presence" -v e="$events" 'BEGIN { printf "%.2f", p / e }') per event)"
printf '%-44s %12s %16s\n' "bulk insert (one transaction)" "real s" "µs per event"
names=("access_event rows" "access_presence rows (with their index)" "access_dataset index (sorted)" "access_time index (sorted)")
total=0
index=0
while read -r real; do
    per=$(awk -v r="$real" -v e="$events" 'BEGIN { printf "%.2f", r * 1e6 / e }')
    printf '%-44s %12s %16s\n' "${names[$index]}" "$real" "$per"
    total=$(awk -v t="$total" -v p="$per" 'BEGIN { print t + p }')
    index=$((index + 1))
done < <(awk '/^Run Time/ { print $4 }' "$work/times")
printf '%-44s %12s %16s\n' "total" "" "$total"
