#!/usr/bin/env bash
# Side-by-side benchmark: `yujing replay` vs SEC vs fail2ban-regex on one generated 1M-line nginx log, with one
# equivalent rule each (downloads per app key >= 100 in 60 s). Not part of `swift test`.
#
# Needs: python3, /usr/bin/time, and the Debian packages sec and fail2ban (`apt-get install -y sec fail2ban time`).
# Usage: Benchmarks/replay-vs-peers.sh [LINES]    (default 1000000; YUJING_BIN=path skips the build)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out"
lines="${1:-1000000}"
log="$out/access-${lines}.log"
mkdir -p "$out"

for tool in python3 sec fail2ban-regex /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y sec fail2ban time)" >&2; exit 1; }
done

if [[ ! -s "$log" ]]; then
    echo "generating $log ($lines lines, fixed seed)" >&2
    python3 "$here/gen_access_log.py" "$log" "$lines"
fi

if [[ -n "${YUJING_BIN:-}" ]]; then
    yujing="$YUJING_BIN"   # an already built release binary
else
    echo "building yujing (release, .build-bench)" >&2
    (cd "$root" && swift build -c release --scratch-path .build-bench --product yujing >&2)
    yujing="$root/.build-bench/release/yujing"
fi

cpu() { awk '{ printf "%.2f", $1 + $2 }' "$1"; }

echo "running yujing replay" >&2
/usr/bin/time -f "%U %S" -o "$out/yujing.time" \
    "$yujing" replay --rules "$here/rules/downloads-per-key.yaml" --lateness 60 --format json "$log" \
    >"$out/yujing.jsonl"
yujing_alerts=$(grep -c '"type":"alert"' "$out/yujing.jsonl" || true)
yujing_parsed=$(grep '"type":"summary"' "$out/yujing.jsonl" | sed -E 's/.*"parsed":([0-9]+).*/\1/')

echo "running sec" >&2
/usr/bin/time -f "%U %S" -o "$out/sec.time" \
    sec --conf="$here/rules/downloads-per-key.sec" --input="$log" --notail --fromstart --nointevents \
    --log=/dev/null >"$out/sec.txt" 2>&1
sec_alerts=$(grep -c '^ALERT' "$out/sec.txt" || true)

echo "running fail2ban-regex" >&2
/usr/bin/time -f "%U %S" -o "$out/fail2ban.time" \
    fail2ban-regex "$log" "$here/rules/downloads-per-key.fail2ban.conf" >"$out/fail2ban.txt" 2>&1
f2b_matched=$(sed -nE 's/^Lines: [0-9]+ lines, [0-9]+ ignored, ([0-9]+) matched.*/\1/p' "$out/fail2ban.txt")

echo "running yujing replay --timing (parse and engine phases separately)" >&2
"$yujing" replay --rules "$here/rules/downloads-per-key.yaml" --lateness 60 --format json --timing "$log" \
    2>"$out/yujing-timing.txt" >/dev/null
grep '^timing' "$out/yujing-timing.txt" >&2 || true

total=$(wc -l <"$log")
y=$(cpu "$out/yujing.time"); s=$(cpu "$out/sec.time"); f=$(cpu "$out/fail2ban.time")
python3 - "$total" "$y" "$s" "$f" "$yujing_alerts" "$sec_alerts" "$f2b_matched" "$yujing_parsed" <<'PY'
import sys
total, y, s, f = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
ya, sa, fm, yp = sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]
rate = lambda cpu: total / cpu if cpu > 0 else float("inf")
ry, rs, rf = rate(y), rate(s), rate(f)
rows = [
    ("yujing replay", y, ry, f"{ya} (event time)"),
    ("sec", s, rs, f"{sa} (SEC's own clock)"),
    ("fail2ban-regex", f, rf, f"n/a ({fm} lines matched; no thresholds)"),
]
print(f"{'tool':<16}{'lines':>10}{'CPU s':>9}{'lines/CPU-s':>14}{'vs sec':>9}{'vs f2b':>9}  alerts")
for name, cpu, r, alerts in rows:
    print(f"{name:<16}{total:>10}{cpu:>9.2f}{r:>14,.0f}{r / rs:>8.1f}x{r / rf:>8.1f}x  {alerts}")
print(f"(yujing parsed {yp} of {total} lines)")
PY
