#!/usr/bin/env python3
"""Ingest throughput of `yujing serve`: events/s stored through HTTP from concurrent senders.

Starts the daemon (release build) on a temporary SQLite file and a free loopback port, creates an agent token,
then N senders post pre-encoded batches of access events. Prints events/s (wall clock, all senders together).

    Benchmarks/ingest.py [--bin .build/release/yujing] [--senders 2] [--batches 600] [--batch-size 1000] [--gzip]
                         [--ips-per-key K]
"""
import argparse, gzip, json, multiprocessing, os, socket, subprocess, sys, tempfile, time, urllib.request

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/yujing")
    ap.add_argument("--senders", type=int, default=2)
    ap.add_argument("--batches", type=int, default=600,
                    help="batches per sender (600 x 2 senders x 1,000 = 1.2M events: well past the start, where "
                         "the first batches create every key's state and presence row)")
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--gzip", action="store_true")
    ap.add_argument("--rules", help="rule folder (default: the shipped Alerts/; an empty folder measures storing alone)")
    ap.add_argument("--ips-per-key", type=int, default=0,
                    help="0: every event from a new IP (stress: each app key trips abuse.app-key-sharing); "
                         "K: each of the 5,000 app keys calls from K fixed addresses (ordinary traffic)")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    work = tempfile.mkdtemp(prefix="yujing-ingest-")
    port = free_port()
    config = os.path.join(work, "yujing.yaml")
    rules = a.rules or os.path.join(root, "Alerts")
    with open(config, "w") as f:
        f.write(f"database: {work}/yujing.sqlite\nport: {port}\nrules: {rules}\nwatermark_tick_seconds: 0\n")
    token = subprocess.check_output([a.bin, "token", "create", "--config", config, "--role", "agent",
                                     "--name", "bench"], text=True).strip()
    server = subprocess.Popen([a.bin, "serve", "--config", config, "--log-level", "warning"])
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        base = 1_772_352_000_000
        def address(n):
            if a.ips_per_key > 0:  # key n % 5000, one of its K addresses
                n = (n % 5000) * a.ips_per_key + (n // 5000) % a.ips_per_key
            return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        bodies = []
        for s in range(a.senders):
            mine = []
            for b in range(a.batches):
                events = []
                for i in range(a.batch_size):
                    n = (s * a.batches + b) * a.batch_size + i
                    events.append({"type": "access", "time": base + n, "node": f"web-{s}",
                                   "ip": address(n),
                                   "subject": f"AK{n % 5000:010d}abcdef", "subject_kind": "app_key",
                                   "method": "GET", "path": f"/api/v1/datasets/ds-{n % 300}/download",
                                   "dataset": f"ds-{n % 300}", "channel": "download", "status": 200,
                                   "bytes": 20480, "user_agent": "python-requests/2.31"})
                body = json.dumps({"agent": f"bench-{s}", "batch_id": str(b), "events": events}).encode()
                mine.append(gzip.compress(body) if a.gzip else body)
            bodies.append(mine)
        # Each sender is its own process with one keep-alive connection, like an agent: Python threads sharing
        # the GIL and a new connection per request slowed the senders more than the daemon.
        def send(mine, go, results):
            import http.client
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.connect()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            if a.gzip:
                headers["Content-Encoding"] = "gzip"
            warnings, latencies, errors = 0, [], []
            go.wait()
            for body in mine:
                try:
                    sent = time.perf_counter()
                    connection.request("POST", "/api/v1/ingest", body=body, headers=headers)
                    response = connection.getresponse()
                    answer = response.read()
                    latencies.append(time.perf_counter() - sent)
                    if response.status != 200:
                        errors.append(f"HTTP {response.status}: {answer[:200]!r}")
                    else:
                        warnings += json.loads(answer).get("warnings", 0)
                except Exception as e:
                    errors.append(str(e))
            results.put((warnings, latencies, errors))
        def cpu():
            with open(f"/proc/{server.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        def written():  # bytes the daemon passed to write calls (WAL, checkpoints, sockets)
            with open(f"/proc/{server.pid}/io") as f:
                return int(next(line for line in f if line.startswith("wchar:")).split()[1])
        go = multiprocessing.Event()
        results = multiprocessing.Queue()
        senders = [multiprocessing.Process(target=send, args=(m, go, results)) for m in bodies]
        for p in senders: p.start()
        time.sleep(0.5)  # connected and waiting
        cpu_start = cpu()
        written_start = written()
        start = time.perf_counter()
        go.set()
        collected = [results.get() for _ in senders]
        elapsed = time.perf_counter() - start
        server_cpu = cpu() - cpu_start
        server_written = written() - written_start
        for p in senders: p.join()
        warnings = [w for w, _, _ in collected]
        latencies = [x for _, l, _ in collected for x in l]
        errors = [x for _, _, e in collected for x in e]
        total = a.senders * a.batches * a.batch_size
        print(f"ingest: {total} events in {elapsed:.2f} s from {a.senders} senders "
              f"({a.batch_size}/batch{', gzip' if a.gzip else ''}): {total / elapsed:,.0f} events/s; "
              f"daemon CPU {server_cpu:.2f} s ({total / max(server_cpu, 1e-9):,.0f} events per daemon CPU-second); "
              f"written {server_written / 1e6:,.0f} MB ({server_written / total:,.0f} bytes/event); "
              f"warnings {sum(warnings)}; mean request {1000 * sum(latencies) / max(len(latencies), 1):.1f} ms; "
              f"errors {len(errors)}")
        if errors:
            print(errors[:3], file=sys.stderr)
            return 1
    finally:
        server.terminate()
        server.wait()
    return 0

if __name__ == "__main__":
    sys.exit(main())
