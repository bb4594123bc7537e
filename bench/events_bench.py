#!/usr/bin/env python3
"""Fan-out throughput of the event broker: E events (display-name changes
through the API) for an account that authorized R relying parties, each
with a webhook on loopback, so E x R Security Event Tokens are signed and
delivered.

Two measurements, each in its own phase (the default):
  produce  the server runs with FXA_EVENT_DELIVERY=off, and wrk makes the E
           API writes (8 keep-alive connections): API writes per second;
  drain    the server restarts with delivery on and empties the queue of
           E x R deliveries: deliveries per second from its start to the
           last receipt, against the RS256 signatures per second that
           `fxa-bench rs256` measures afterwards on the same machine.
With --live, as before issue 22: production and delivery run at once, and
the report has commit-to-receipt latency percentiles (commit time from the
delivery's row, receipt time at the receiver; same clock).

With --postgres, the same again on a throwaway PostgreSQL cluster, and the
ratios of its rates to SQLite's.

Only the standard library and wrk; run by bench/events, which builds.
"""
import argparse
import base64
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Database, PostgresCluster, cli, free_port, start_server, stop_server  # noqa: E402
from oauth_bench import WRK_DIR, access_token, new_session  # noqa: E402



def produce(port, token, events, timeout, work):
    """E display-name changes over 8 keep-alive connections (wrk, one
    thread). The script marks the E-th answer with a file; wrk is then
    interrupted (SIGINT), and reports the time up to that moment."""
    done = os.path.join(work, "produced")
    process = subprocess.Popen(
        ["wrk", "-t1", "-c8", f"-d{timeout}s", "--latency", "-s", os.path.join(WRK_DIR, "fxa_display_name.lua"),
         f"http://127.0.0.1:{port}"],
        env={**os.environ, "BENCH_WRK_DIR": WRK_DIR, "TOKEN": token, "LIMIT": str(events), "DONE_FILE": done},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while process.poll() is None and not os.path.exists(done):
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    line = next((l for l in out.splitlines() if l.startswith("WRK_JSON ")), None)
    if line is None:
        sys.exit(f"wrk produced no report:\n{out}\n{err}")
    report = json.loads(line[len("WRK_JSON "):])
    report["ok_per_second"] = round(report["ok"] / report["seconds"], 1)
    return report


def cpu_seconds(pid):
    """User plus system CPU time a process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(args, database, events, receivers, log):
    """Both phases (or the live mode) on `database`; the report."""
    work = tempfile.mkdtemp()
    ports_file = os.path.join(work, "ports")
    receiver = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "events_receivers.py"),
                                 "--ports-file", ports_file, "--log-dir", work, "--count", str(receivers)])
    delivery = lambda on: {"FXA_EVENT_DELIVERY": "on" if on else "off"}
    server, _ = start_server(args.server_binary, args.port, database, log, **delivery(args.live))
    try:
        while not os.path.exists(ports_file):
            time.sleep(0.05)
        ports = [int(line) for line in open(ports_file).read().split()]

        session_id = new_session(args.port, "fanout")
        token = None
        for index, port in enumerate(ports):
            client = json.loads(cli(args.server_binary, database, "client", "create", "--name", f"rp{index}",
                                    "--redirect-uri", "http://127.0.0.1:9999/cb", "--scope", "profile",
                                    "--scope", "profile:write", "--trusted", "--webhook-url",
                                    f"http://127.0.0.1:{port}/hook", "--json"))
            token = access_token(args.port, client, session_id, "profile:write")

        # Produce: E display-name changes, 8 keep-alive connections (wrk
        # stops after E answers; bounded by the timeout too).
        produced = produce(args.port, token, events, args.timeout, work)
        assert produced["failures"] == 0 and produced["socket_errors"] == 0, produced
        expected = events * receivers

        drain_started = time.time()
        if not args.live:
            stop_server(server)
            drain_started = time.time()
            server, _ = start_server(args.server_binary, args.port, database, log, **delivery(True))
        cpu_before = {"server": cpu_seconds(server.pid), "receivers": cpu_seconds(receiver.pid)}
        deadline = time.time() + args.timeout
        while time.time() < deadline:
            pending = cli(args.server_binary, database, "events", "list", "--status", "pending", "--limit", "1")
            if pending.strip() == "no deliveries":
                break
            time.sleep(0.5)
        drained = time.time()
        cpu = {name: round(cpu_seconds(pid) - cpu_before[name], 2)
               for name, pid in (("server", server.pid), ("receivers", receiver.pid))}
    finally:
        stop_server(server)
        receiver.send_signal(signal.SIGTERM)
        receiver.wait(timeout=60)

    received = {}
    for port in ports:
        for line in open(os.path.join(work, f"{port}.log"), "rb"):
            at, payload = line.split()
            claims = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
            received.setdefault(claims["jti"], at)  # first receipt counts
    rows = [json.loads(line) for line in
            cli(args.server_binary, database, "events", "list", "--json", "--limit", str(expected + 100)).splitlines()]
    committed = {row["jti"]: datetime.fromisoformat(row["created_at"].replace("Z", "+00:00")).timestamp() for row in rows}
    last_receipt = max(float(at) for at in received.values())
    report = {
        "database": database.kind, "mode": "live" if args.live else "two phases",
        "events": events, "receivers": receivers, "deliveries_expected": expected,
        "deliveries_committed": len(committed), "deliveries_received": len(received),
        "lost": len(set(committed) - set(received)),
        "api_writes": {"seconds": produced["seconds"], "per_second": produced["ok_per_second"],
                       "p50_ms": produced["p50_ms"], "p99_ms": produced["p99_ms"]},
    }
    if args.live:
        latencies = sorted((float(received[jti]) - at) * 1000 for jti, at in committed.items() if jti in received)
        first_commit = min(committed.values())
        quantile = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)
        rate = len(received) / max(last_receipt - first_commit, 0.001)
        report.update({
            "first_commit_to_last_receipt_seconds": round(last_receipt - first_commit, 2),
            "deliveries_per_second": round(rate, 1),
            "latency_ms": {"p50": quantile(0.5), "p90": quantile(0.9), "p99": quantile(0.99),
                           "max": round(latencies[-1], 1), "mean": round(statistics.fmean(latencies), 1)},
            "drain_wait_seconds": round(drained - drain_started, 2),
        })
    else:
        # From the moment the delivering server was started (its start-up
        # included) to the last receipt.
        rate = len(received) / max(last_receipt - drain_started, 0.001)
        report.update({"drain_seconds": round(last_receipt - drain_started, 2), "deliveries_per_second": round(rate, 1)})
    # Where the two cores went while the queue drained (the polling `events
    # list` commands are neither).
    report["drain_cpu_seconds"] = cpu
    report["server_cpu_ms_per_delivery"] = round(cpu["server"] * 1000 / max(len(received), 1), 3)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: a free one)")
    parser.add_argument("--server-binary", required=True)
    parser.add_argument("--work", required=True, help="an empty folder for the servers' data and log")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--receivers", type=int, default=5)
    parser.add_argument("--timeout", type=int, default=300, help="give up waiting for deliveries after this many seconds")
    parser.add_argument("--live", action="store_true", help="produce and deliver at once (latency), not in two phases")
    parser.add_argument("--postgres", action="store_true",
                        help="after SQLite, the same on a throwaway PostgreSQL cluster (durable: fsync on)")
    parser.add_argument("--bench-binary", help="fxa-bench, to measure the raw RS256 signing rate in the same run")
    args = parser.parse_args()
    events, receivers = min(args.events, 100_000), min(args.receivers, 20)
    args.port = args.port or free_port()
    log = open(os.path.join(args.work, "servers.log"), "ab")

    report = run(args, Database(os.path.join(args.work, "sqlite")), events, receivers, log)
    if args.postgres:
        cluster = PostgresCluster(args.work)
        try:
            database = Database(os.path.join(args.work, "postgres"), cluster.create("fxa_events"))
            postgres = run(args, database, events, receivers, log)
        finally:
            cluster.stop()
        report["postgres"] = postgres
        report["postgres_to_sqlite"] = {
            "api_writes": round(postgres["api_writes"]["per_second"] / report["api_writes"]["per_second"], 3),
            "deliveries": round(postgres["deliveries_per_second"] / report["deliveries_per_second"], 3)}
    # The ceiling: RS256 signatures per second on every core with nothing
    # else running, measured now, on the same machine, after the drains.
    if args.bench_binary:
        signing = json.loads(subprocess.run([args.bench_binary, "rs256", "--seconds", "5"], check=True,
                                             capture_output=True, text=True, timeout=60).stdout)
        per_second = signing["signatures_per_second"]
        report["rs256_signatures_per_second_all_cores"] = round(per_second, 1)
        report["rs256_cpu_ms_per_signature"] = round(os.cpu_count() * 1000 / per_second, 3)
        for one in (report, report.get("postgres")):
            if one:
                one["deliveries_per_signing_capacity"] = round(one["deliveries_per_second"] / per_second, 3)
    print(json.dumps(report, indent=2))
    lost = report["lost"] + (report["postgres"]["lost"] if args.postgres else 0)
    if lost:
        sys.exit(f"{lost} deliveries lost")


if __name__ == "__main__":
    main()
