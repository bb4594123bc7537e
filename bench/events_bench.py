#!/usr/bin/env python3
"""Fan-out throughput of the event broker: E events (display-name changes
through the API) for an account that authorized R relying parties, each
with a webhook on loopback, so E x R Security Event Tokens are signed and
delivered. Reports deliveries per second, the time from the first commit to
the last receipt, and commit-to-receipt latency percentiles (commit time
from the delivery's row, receipt time at the receiver; same clock).

Only the standard library; run by bench/events, which starts the server.
"""
import argparse
import base64
import concurrent.futures
import http.client
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
from oauth_bench import call, hkdf_first_block  # noqa: E402

import secrets  # noqa: E402


def cli(binary, data_dir, *args):
    result = subprocess.run([binary, *args, "--data-dir", data_dir], capture_output=True, text=True, check=True)
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--server-binary", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--receivers", type=int, default=5)
    parser.add_argument("--timeout", type=int, default=300, help="give up waiting for deliveries after this many seconds")
    parser.add_argument("--bench-binary", help="fxa-bench, to measure the raw RS256 signing rate in the same run")
    args = parser.parse_args()
    events, receivers = min(args.events, 100_000), min(args.receivers, 20)

    work = tempfile.mkdtemp()
    ports_file = os.path.join(work, "ports")
    receiver = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "events_receivers.py"),
                                 "--ports-file", ports_file, "--log-dir", work, "--count", str(receivers)])
    try:
        while not os.path.exists(ports_file):
            time.sleep(0.05)
        ports = [int(line) for line in open(ports_file).read().split()]

        status, _, body = call(args.port, "POST", "/v1/account/create",
                               {"email": f"fanout-{secrets.token_hex(4)}@example.test", "authPW": secrets.token_hex(32)})
        assert status == 200, body
        session_id = hkdf_first_block(bytes.fromhex(json.loads(body)["sessionToken"]),
                                      b"identity.mozilla.com/picl/v1/sessionToken").hex()
        token = None
        for index, port in enumerate(ports):
            client = json.loads(cli(args.server_binary, args.data_dir, "client", "create", "--name", f"rp{index}",
                                    "--redirect-uri", "http://127.0.0.1:9999/cb", "--scope", "profile",
                                    "--scope", "profile:write", "--trusted", "--webhook-url",
                                    f"http://127.0.0.1:{port}/hook", "--json"))
            status, _, body = call(args.port, "POST", "/v1/oauth/authorization",
                                   {"client_id": client["client_id"], "scope": "profile:write", "state": "s"},
                                   {"Authorization": f"Bearer fxs_{session_id}"})
            assert status == 200, body
            status, _, body = call(args.port, "POST", "/v1/token", {"client_id": client["client_id"],
                                                                 "client_secret": client["client_secret"],
                                                                 "code": json.loads(body)["code"]})
            assert status == 200, body
            token = json.loads(body)["access_token"]

        # Produce: E display-name changes over 8 keep-alive connections.
        def produce(indexes):
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
            for index in indexes:
                connection.request("POST", "/v1/display_name", body=json.dumps({"displayName": f"e{index}"}),
                                   headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
                response = connection.getresponse()
                response.read()
                assert response.status == 200, response.status
            connection.close()

        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(produce, [range(i, events, 8) for i in range(8)]))
        produced = time.time()

        expected = events * receivers
        deadline = time.time() + args.timeout
        while time.time() < deadline:
            pending = cli(args.server_binary, args.data_dir, "events", "list", "--status", "pending", "--limit", "1")
            if pending.strip() == "no deliveries":
                break
            time.sleep(0.5)
        drained = time.time()
    finally:
        receiver.send_signal(signal.SIGTERM)
        receiver.wait(timeout=60)

    received = {}
    for port in ports:
        for line in open(os.path.join(work, f"{port}.log"), "rb"):
            at, payload = line.split()
            claims = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
            received.setdefault(claims["jti"], at)  # first receipt counts
    rows = [json.loads(line) for line in
            cli(args.server_binary, args.data_dir, "events", "list", "--json", "--limit", str(expected + 100)).splitlines()]
    committed = {row["jti"]: datetime.fromisoformat(row["created_at"].replace("Z", "+00:00")).timestamp() for row in rows}
    latencies = sorted((float(received[jti]) - at) * 1000 for jti, at in committed.items() if jti in received)
    first_commit = min(committed.values())
    last_receipt = max(float(at) for at in received.values())
    quantile = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)
    # The ceiling: RS256 signatures per second on every core with nothing
    # else running, measured now, on the same machine, after the drain.
    signing = None
    if args.bench_binary:
        signing = json.loads(subprocess.run([args.bench_binary, "rs256", "--seconds", "5"], check=True,
                                             capture_output=True, text=True, timeout=60).stdout)
    rate = len(received) / max(last_receipt - first_commit, 0.001)
    print(json.dumps({
        "events": events, "receivers": receivers, "deliveries_expected": expected,
        "deliveries_committed": len(committed), "deliveries_received": len(received),
        "lost": len(set(committed) - set(received)),
        "produce_seconds": round(produced - started, 2),
        "first_commit_to_last_receipt_seconds": round(last_receipt - first_commit, 2),
        "deliveries_per_second": round(len(received) / max(last_receipt - first_commit, 0.001), 1),
        "events_per_second": round(len(received) / receivers / max(last_receipt - first_commit, 0.001), 1),
        "latency_ms": {"p50": quantile(0.5), "p90": quantile(0.9), "p99": quantile(0.99), "max": round(latencies[-1], 1),
                       "mean": round(statistics.fmean(latencies), 1)},
        "drain_wait_seconds": round(drained - produced, 2),
        "rs256_signatures_per_second_all_cores": round(signing["signatures_per_second"], 1) if signing else None,
        "deliveries_per_signing_capacity": round(rate / signing["signatures_per_second"], 3) if signing else None,
    }, indent=2))


if __name__ == "__main__":
    main()
