#!/usr/bin/env python3
"""Login throughput against the raw scrypt rate, and heartbeat latency
under a login burst, measured side by side in one run.

Phases (each bounded in time and in request count):
  1. scrypt baseline: `fxa-bench --seconds S` (one worker per core).
  2. idle heartbeat: GET /__lbheartbeat__ every 10 ms, p50/p99.
  3. login burst: C concurrent clients POST /v1/account/login for S seconds
     while the heartbeat probe keeps running; logins/s and heartbeat p99.

The ratio logins/s / scrypt hashes/s is the claim: a login costs one
scrypt, so 1.0 means request handling is free next to the hash.

Only the standard library: runs anywhere python3 does.
"""
import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time


def request(port, method, path, body=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))
    return ordered[index]


class HeartbeatProbe(threading.Thread):
    """Sequential heartbeats every `interval` seconds on one kept-alive connection."""

    def __init__(self, port, interval=0.01, max_samples=100_000):
        super().__init__(daemon=True)
        self.port, self.interval, self.max_samples = port, interval, max_samples
        self.samples, self.failures = [], 0
        self.stop = threading.Event()

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while not self.stop.is_set() and len(self.samples) < self.max_samples:
            start = time.perf_counter()
            try:
                conn.request("GET", "/__lbheartbeat__")
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    self.samples.append((time.perf_counter() - start) * 1000)
                else:
                    self.failures += 1
            except (OSError, http.client.HTTPException):
                self.failures += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            time.sleep(self.interval)
        conn.close()


def measure_heartbeat(port, seconds):
    probe = HeartbeatProbe(port)
    probe.start()
    time.sleep(seconds)
    probe.stop.set()
    probe.join()
    return probe


def login_burst(port, email, auth_pw, seconds, clients, max_logins):
    deadline = time.monotonic() + seconds
    counts = [0] * clients
    errors = [0] * clients
    lock = threading.Lock()
    total = [0]

    def worker(index):
        while time.monotonic() < deadline:
            with lock:
                if total[0] >= max_logins:
                    return
                total[0] += 1
            status, _ = request(port, "POST", "/v1/account/login", {"email": email, "authPW": auth_pw, "reason": "login"})
            if status == 200:
                counts[index] += 1
            else:
                errors[index] += 1

    probe = HeartbeatProbe(port)
    probe.start()
    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - start
    probe.stop.set()
    probe.join()
    return sum(counts), sum(errors), elapsed, probe


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bench-binary", required=True, help="path to fxa-bench")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--max-logins", type=int, default=5000)
    args = parser.parse_args()

    email = f"bench-{secrets.token_hex(4)}@example.test"
    auth_pw = secrets.token_hex(32)
    status, body = request(args.port, "POST", "/v1/account/create", {"email": email, "authPW": auth_pw})
    if status != 200:
        sys.exit(f"account create failed: {status} {body!r}")

    scrypt = json.loads(subprocess.run(
        [args.bench_binary, "--seconds", str(args.seconds)], check=True, capture_output=True, text=True,
        timeout=args.seconds + 120).stdout)
    idle = measure_heartbeat(args.port, min(5.0, args.seconds))
    logins, errors, elapsed, busy = login_burst(
        args.port, email, auth_pw, args.seconds, args.clients, args.max_logins)

    login_rate = logins / elapsed
    report = {
        "cpus": os.cpu_count(),
        "scrypt_hashes_per_second": round(scrypt["hashes_per_second"], 2),
        "logins_per_second": round(login_rate, 2),
        "login_errors": errors,
        "ratio_logins_to_scrypt": round(login_rate / scrypt["hashes_per_second"], 3),
        "heartbeat_idle_ms": {"p50": round(statistics.median(idle.samples), 2), "p99": round(percentile(idle.samples, 0.99), 2),
                              "n": len(idle.samples)},
        "heartbeat_under_logins_ms": {"p50": round(statistics.median(busy.samples), 2),
                                      "p99": round(percentile(busy.samples, 0.99), 2),
                                      "max": round(max(busy.samples), 2), "n": len(busy.samples),
                                      "failures": busy.failures},
        "clients": args.clients,
        "seconds": args.seconds,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
