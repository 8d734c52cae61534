#!/usr/bin/env python3
"""Latency from an access-log line being written to its warning existing at the center (and at Alertmanager).

Starts `yujing serve` (one `match` rule that fires on a marker path, one warning per client address) and
`yujing agent` tailing a log with its shipped defaults (poll 100 ms, batches of up to 1,000 lines or 200 ms),
optionally a real `prometheus-alertmanager`; a writer appends ordinary traffic at RATE lines/s and, every 100 ms, a
marker line from a fresh address, noting the wall-clock time it wrote it. Afterwards the center's database gives,
for every marker, the server time its warning was stored (`updated_ms` of a warning seen once), and Alertmanager's
API the time it received the alert (`updatedAt`); the script prints p50/p90/p99/max of both delays.

    Benchmarks/warning-latency.py [--bin .build-release/release/yujing] [--rate 10000] [--seconds 30]

Not part of `swift test` (a benchmark, not a timed test).
"""
import argparse, json, os, shutil, socket, sqlite3, subprocess, sys, tempfile, time, urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing listens on {port}")


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[index]


def rfc3339(text):
    """Seconds since the epoch of an RFC 3339 UTC time with any number of fractional digits."""
    import calendar
    base, _, rest = text.rstrip("Z").partition(".")
    fraction = rest.split("+")[0].split("-")[0]
    seconds = calendar.timegm(time.strptime(base[:19], "%Y-%m-%dT%H:%M:%S"))
    return seconds + (int(fraction) / 10 ** len(fraction) if fraction else 0)


def line(ip, path, when):
    stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(when))
    return f'{ip} - - [{stamp}] "GET {path} HTTP/1.1" 200 512 "-" "bench/1"\n'


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--bin", default=os.environ.get("YUJING_BIN", os.path.join(root, ".build-release/release/yujing")))
    ap.add_argument("--rate", type=int, default=10000, help="ordinary lines per second")
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--alertmanager", default="/usr/bin/prometheus-alertmanager")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="yujing-latency-")
    procs = []
    try:
        os.makedirs(f"{work}/rules")
        with open(f"{work}/rules/latency.yaml", "w") as f:
            f.write(
                "rules:\n  - id: latency.marker\n    title: Latency marker\n    kind: match\n"
                "    where: { kind: access, path: { prefix: /latency-marker } }\n"
                "    group_by: [ip]\n    level: IV\n")
        am_port = None
        if os.path.exists(a.alertmanager):
            am_port = free_port()
            with open(f"{work}/am.yml", "w") as f:
                f.write("route:\n  receiver: none\nreceivers:\n  - name: none\n")
            procs.append(subprocess.Popen(
                [a.alertmanager, f"--config.file={work}/am.yml", f"--storage.path={work}/am",
                 f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_port(am_port)
        port = free_port()
        with open(f"{work}/center.yaml", "w") as f:
            f.write(f"database: {work}/center.sqlite\nport: {port}\nrules: {work}/rules\nrunbooks: {work}/none\n")
            if am_port:
                f.write(f"alertmanager: http://127.0.0.1:{am_port}\n")
        token = subprocess.check_output(
            [a.bin, "token", "create", "--config", f"{work}/center.yaml", "--role", "agent", "--name", "bench"],
            text=True).strip()
        procs.append(subprocess.Popen([a.bin, "serve", "--config", f"{work}/center.yaml", "--log-level", "error"],
                                      stdout=subprocess.DEVNULL, stderr=open(f"{work}/center.log", "w")))
        wait_port(port)
        log = f"{work}/access.log"
        open(log, "w").close()
        with open(f"{work}/agent.yaml", "w") as f:
            f.write(f"name: bench\ncenter: {{ url: \"http://127.0.0.1:{port}\", token: \"{token}\" }}\n"
                    f"key_file: {work}/agent.key\ncheckpoint_dir: {work}/state\nspool: {{ dir: {work}/spool }}\n"
                    f"access_logs:\n  - {{ name: bench, paths: [\"{log}\"], start_at: beginning, parse: {{ format: nginx }} }}\n")
        procs.append(subprocess.Popen([a.bin, "agent", "--config", f"{work}/agent.yaml", "--log-level", "error"],
                                      stdout=subprocess.DEVNULL, stderr=open(f"{work}/agent.log", "w")))
        time.sleep(1.0)
        written = {}
        out = open(log, "a", buffering=1 << 16)
        start = time.time()
        tick = 0.01
        next_marker = start
        sent = 0
        marker = 0
        while time.time() - start < a.seconds:
            now = time.time()
            due = int((now - start) * a.rate) - sent
            if due > 0:
                out.write("".join(line(f"192.0.2.{i % 250 + 1}", f"/datasets/ds-{i % 97}/files/a.csv", now)
                                  for i in range(sent, sent + due)))
                sent += due
            if now >= next_marker:
                marker += 1
                ip = f"10.{marker // 65536 % 256}.{marker // 256 % 256}.{marker % 256}"
                out.write(line(ip, f"/latency-marker/{marker}", now))
                out.flush()
                written[ip] = time.time()
                next_marker += 0.1
            else:
                out.flush()
            time.sleep(tick)
        out.close()
        time.sleep(3)
        db = sqlite3.connect(f"file:{work}/center.sqlite?mode=ro", uri=True)
        center = {}
        # updated_ms is the server's clock when the warning was stored (a marker's warning never changes after).
        for labels, created in db.execute(
                "SELECT labels, updated_ms FROM warning WHERE rule = 'latency.marker' AND count = 1"):
            ip = json.loads(labels).get("ip")
            if ip in written:
                center[ip] = created / 1000 - written[ip]
        am = {}
        if am_port:
            alerts = json.load(urllib.request.urlopen(f"http://127.0.0.1:{am_port}/api/v2/alerts"))
            for alert in alerts:
                ip = alert.get("labels", {}).get("ip")
                if ip in written and alert.get("updatedAt"):
                    am[ip] = rfc3339(alert["updatedAt"]) - written[ip]
        rate = sent / a.seconds
        print(f"traffic: {sent} lines in {a.seconds} s ({rate:,.0f} lines/s) + {len(written)} markers")
        print(f"{'stage':<28}{'markers':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}")
        for name, delays in (("line -> warning at center", center), ("line -> alert at Alertmanager", am)):
            values = [v * 1000 for v in delays.values()]
            if not values:
                continue
            print(f"{name:<28}{len(values):>8}{percentile(values, 50):>9.0f}{percentile(values, 90):>9.0f}"
                  f"{percentile(values, 99):>9.0f}{max(values):>9.0f}")
        missing = len(written) - len(center)
        if missing:
            print(f"markers without a warning: {missing}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
