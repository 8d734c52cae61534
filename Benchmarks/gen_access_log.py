#!/usr/bin/env python3
"""Generate a synthetic nginx "combined" access log for the replay benchmark (fixed seed, reproducible).

1,000,000 lines over one day (2026-03-01, +0800) from 3,000 app keys: dataset downloads and API calls with the
app key in the query string, plus page views. 30 scraping bursts (150 downloads by one key in ~50 s) are mixed
in; no other key ever reaches 100 downloads in 60 s of log time, so an event-time engine raises exactly one
alert per burst.

Usage: gen_access_log.py OUTPUT [LINES]
"""
import random
import sys

SEED = 20260301
DAY = 86_400
START_EPOCH = 1_772_294_400  # 2026-03-01T00:00:00+08:00
BURSTS = 30
BURST_SIZE = 150
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "python-requests/2.31.0",
    "curl/8.5.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "okhttp/4.12.0",
]


def stamp(seconds: int) -> str:
    # Local time at +0800 without the time module's locale.
    local = START_EPOCH + seconds + 8 * 3600
    days, rest = divmod(local, 86_400)
    hour, rest = divmod(rest, 3600)
    minute, second = divmod(rest, 60)
    # civil_from_days (H. Hinnant)
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y += 1 if m <= 2 else 0
    return f"{d:02d}/{MONTHS[m - 1]}/{y}:{hour:02d}:{minute:02d}:{second:02d} +0800"


def main() -> None:
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rng = random.Random(SEED)
    keys = ["AK%014x" % rng.getrandbits(56) for _ in range(3000)]
    ips = {k: "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255)) for k in keys}
    uas = {k: rng.choice(AGENTS) for k in keys}
    events = []
    normal = total - BURSTS * BURST_SIZE
    for _ in range(normal):
        t = rng.randrange(DAY)
        key = rng.choice(keys)
        r = rng.random()
        ds = rng.randrange(1, 5000)
        if r < 0.6:
            path = f"/api/v1/datasets/ds-{ds:05d}/download?appKey={key}&format=csv"
            status, size = (200, rng.randrange(2_000, 2_000_000)) if rng.random() < 0.97 else (404, 162)
        elif r < 0.85:
            path = f"/api/v1/datasets/ds-{ds:05d}/records?appKey={key}&page={rng.randrange(1, 50)}"
            status, size = (200, rng.randrange(500, 60_000))
        else:
            path = rng.choice([f"/datasets/ds-{ds:05d}", "/", "/static/app.js", "/catalog?page=%d" % rng.randrange(1, 90)])
            status, size = (200, rng.randrange(300, 90_000))
            key = None
        events.append((t, key, path, status, size))
    for _ in range(BURSTS):
        key = rng.choice(keys)
        start = rng.randrange(DAY - 120)
        for i in range(BURST_SIZE):
            ds = rng.randrange(1, 5000)
            events.append((start + i // 3, key, f"/api/v1/datasets/ds-{ds:05d}/download?appKey={key}&format=csv",
                           200, rng.randrange(2_000, 200_000)))
    events.sort(key=lambda e: e[0])
    with open(out, "w", encoding="ascii") as f:
        lines = []
        for t, key, path, status, size in events:
            ip = ips[key] if key else "172.16.%d.%d" % (t % 251, (t // 251) % 251 + 1)
            ua = uas[key] if key else AGENTS[0]
            lines.append(f'{ip} - - [{stamp(t)}] "GET {path} HTTP/1.1" {status} {size} "-" "{ua}"\n')
            if len(lines) >= 100_000:
                f.writelines(lines)
                lines.clear()
        f.writelines(lines)


if __name__ == "__main__":
    main()
