#!/usr/bin/env bash
# Agent throughput: one `yujing agent` pinned to one core (taskset -c 0) tails a generated nginx log from the
# beginning, parses it and ships it (gzip'd batches) to a local `yujing serve` pinned to the other core, until the
# center has stored every line. Prints lines/s end to end, lines per agent CPU-second (the agent's own cost,
# whatever the center's speed), the agent's peak RSS (VmHWM), and the center's CPU and bytes written per event
# (where the end-to-end time goes). Not part of `swift test`.
#
# Usage: Benchmarks/agent-throughput.sh [LINES]   (default 1000000)
#   YUJING_BIN=path   skip the release build
#   CENTER_CPUS=list  cores the center may use (taskset -c; default 1, the core the agent does not use; 0,1 lets it
#                     use both once the agent has read the log)
#   MAX_IN_FLIGHT=n   the agent's batch.max_in_flight (default: the agent's default, 2)
#   KEEP_DB=path      keep a copy of the center's database there (for Benchmarks/store-floor.sh)
#   BATCH_EVENTS=n    the agent's batch.max_events (default 5000)
#   RTT_MS=n          put Benchmarks/delay-proxy.py between agent and center, adding n ms to each round trip (a
#                     center across a wide-area link)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out"
lines="${1:-1000000}"
log="$out/access-${lines}.log"
mkdir -p "$out"

if [[ ! -s "$log" ]]; then
    echo "generating $log ($lines lines, fixed seed)" >&2
    python3 "$here/gen_access_log.py" "$log" "$lines"
fi
if [[ -n "${YUJING_BIN:-}" ]]; then
    yujing="$YUJING_BIN"
else
    echo "building yujing (release, .build-agent-release)" >&2
    (cd "$root" && swift build -c release --scratch-path .build-agent-release --product yujing >&2)
    yujing="$root/.build-agent-release/release/yujing"
fi
command -v sqlite3 >/dev/null || { echo "missing sqlite3 (apt-get install -y sqlite3)" >&2; exit 1; }

work="$(mktemp -d)"
proxy_pid=""
trap 'kill $agent_pid $center_pid $proxy_pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/logs"
cat >"$work/center.yaml" <<YAML
database: $work/center.sqlite
host: 127.0.0.1
port: $port
rules: $root/Alerts
retention_days: 36500
YAML
token=$("$yujing" token create --config "$work/center.yaml" --role agent --name bench)
taskset -c "${CENTER_CPUS:-1}" "$yujing" serve --config "$work/center.yaml" --log-level error >"$work/center.log" 2>&1 &
center_pid=$!
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

agent_port=$port
if [[ -n "${RTT_MS:-}" ]]; then
    agent_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    python3 "$here/delay-proxy.py" "$agent_port" "$port" "$(awk -v r="$RTT_MS" 'BEGIN { print r / 2 }')" \
        >"$work/proxy.log" 2>&1 &
    proxy_pid=$!
    for _ in $(seq 100); do grep -q ready "$work/proxy.log" 2>/dev/null && break; sleep 0.1; done
fi

cp "$log" "$work/logs/access.log"
cat >"$work/agent.yaml" <<YAML
name: bench
center: { url: "http://127.0.0.1:$agent_port", token: "$token" }
key_file: $work/yujing.key
checkpoint_dir: $work/state
spool: { dir: $work/spool, max_bytes: 268435456 }
batch: { max_events: ${BATCH_EVENTS:-5000}, max_wait_ms: 200${MAX_IN_FLIGHT:+, max_in_flight: $MAX_IN_FLIGHT} }
heartbeat_seconds: 5
access_logs:
  - { name: bench, paths: ["$work/logs/access.log"], start_at: beginning, parse: { format: nginx } }
YAML

start=$(date +%s.%N)
taskset -c 0 "$yujing" agent --config "$work/agent.yaml" --log-level warning >"$work/agent.log" 2>&1 &
agent_pid=$!
stored=0
# The agent reads (tails, parses, encodes, gzips, spools) at full speed, then waits for the center: the reading
# phase ends at the first 0.2 s interval in which the agent used less than half a core.
ticks=$(getconf CLK_TCK)
previous_ticks=0
previous_time=$start
read_done=""
read_started=""
while :; do
    stored=$(sqlite3 "file:$work/center.sqlite?mode=ro" "SELECT COUNT(*) FROM access_event" 2>/dev/null || echo 0)
    [[ "$stored" -ge "$lines" ]] && break
    kill -0 "$agent_pid" 2>/dev/null || { echo "agent exited" >&2; cat "$work/agent.log" >&2; exit 1; }
    sleep 0.2
    if [[ -z "$read_done" ]]; then
        now=$(date +%s.%N)
        used=$(awk '{ print $14 + $15 }' "/proc/$agent_pid/stat")
        if awk -v u=$((used - previous_ticks)) -v t="$ticks" -v a="$previous_time" -v b="$now" \
            'BEGIN { exit !(u / t < 0.5 * (b - a)) }'; then
            [[ -n "$read_started" ]] && read_done=$previous_time
        else
            read_started=1
        fi
        previous_ticks=$used
        previous_time=$now
    fi
done
end=$(date +%s.%N)
cpu=$(awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$agent_pid/stat")
rss=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$agent_pid/status")
anon=$(awk '/RssAnon/ { printf "%.1f", $2 / 1024 }' "/proc/$agent_pid/status")
center_cpu=$(awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$center_pid/stat")
center_written=$(awk '/^wchar/ { print $2 }' "/proc/$center_pid/io")
kill -TERM "$agent_pid"; wait "$agent_pid" || true
if [[ -n "${KEEP_DB:-}" ]]; then rm -f "$KEEP_DB"; sqlite3 "$work/center.sqlite" ".backup '$KEEP_DB'"; fi
elapsed=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
echo "lines: $stored of $lines (batches of ${BATCH_EVENTS:-5000}, max_in_flight ${MAX_IN_FLIGHT:-2}${RTT_MS:+, round trip +$RTT_MS ms})"
echo "end to end (read, parse, gzip, POST, stored by the center): ${elapsed} s = $(awk -v n="$lines" -v s="$elapsed" 'BEGIN { printf "%.0f", n / s }') lines/s"
if [[ -n "$read_done" ]]; then
    reading=$(awk -v s="$start" -v e="$read_done" 'BEGIN { printf "%.2f", e - s }')
    echo "agent reading phase (tail, parse, encode, gzip, spool; one core): ${reading} s = $(awk -v n="$lines" -v s="$reading" 'BEGIN { printf "%.0f", n / s }') lines/s"
fi
echo "agent CPU: ${cpu} s = $(awk -v n="$lines" -v s="$cpu" 'BEGIN { printf "%.0f", n / s }') lines per CPU-second"
echo "agent peak RSS: ${rss} MB (private memory at the end: ${anon} MB; the rest is code and data mapped from files)"
echo "center (cores ${CENTER_CPUS:-1}): CPU ${center_cpu} s = $(awk -v n="$lines" -v s="$center_cpu" 'BEGIN { printf "%.1f", s * 1e6 / n }') µs per event; written $(awk -v n="$lines" -v b="$center_written" 'BEGIN { printf "%.0f", b / n }') bytes per event"
