#!/usr/bin/env python3
"""How fxa-server's costs grow with its data: the same operations on an
empty SQLite database and on one seeded with N accounts, N sessions, N
OAuth access tokens and N delivered webhook events (bulk SQL, not the API).

For each database: the server's start-up time (process start to the first
answer), the database's size, the most memory (RSS) the server held under
each load, and for verify, profile (its cache off, so every call reads), login
and the code flow: requests per second and p50 / p99 (wrk, one thread, 8
connections, S seconds each).

Seeding copies real rows: a short run through the API first makes one of
each (account, session, access token, outbox event, delivery), and the seed
clones them with new keys, so every column is in the server's own format.

Only the standard library and wrk; run by bench/scale, which builds.
"""
import argparse
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oauth_bench import access_token, call, new_session, prepare_fxa, wrk  # noqa: E402

SETTINGS = {"FXA_RATE_LIMIT_PASSWORD": "0", "FXA_RATE_LIMIT_IP": "0", "FXA_RATE_LIMIT_EMAIL": "0",
            "FXA_RATE_LIMIT_CODE": "0", "FXA_AUTO_VERIFY": "true", "FXA_LOG_LEVEL": "warning",
            "FXA_PROFILE_CACHE_SECONDS": "0"}


def start(binary, port, data_dir, log, **extra):
    """Starts fxa-server; returns it and the seconds until it answered."""
    started = time.monotonic()
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--data-dir", data_dir], stdout=log,
                              stderr=subprocess.STDOUT, env={**os.environ, **SETTINGS, **extra})
    while time.monotonic() - started < 120:
        try:
            if call(port, "GET", "/__lbheartbeat__")[0] == 200:
                return server, time.monotonic() - started
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.01)
    server.kill()
    sys.exit(f"fxa-server did not start on {data_dir}")


def stop(server):
    server.terminate()
    server.wait(timeout=60)


def cli(binary, data_dir, *args):
    return subprocess.run([binary, *args, "--data-dir", data_dir], capture_output=True, text=True, check=True).stdout


def make_templates(binary, port, data_dir, log):
    """One row of each kind, made through the API by the server itself."""
    server, _ = start(binary, port, data_dir, log, FXA_EVENT_DELIVERY="off")
    try:
        prepare_fxa(port, binary, data_dir)
        client = json.loads(cli(binary, data_dir, "client", "create", "--name", "hooked", "--redirect-uri",
                                "http://127.0.0.1:9999/cb", "--scope", "profile:write", "--trusted",
                                "--webhook-url", "http://127.0.0.1:9/hook", "--json"))
        token = access_token(port, client, new_session(port, "template"), "profile:write")
        status, _, body = call(port, "POST", "/v1/display_name", {"displayName": "template"},
                               {"Authorization": f"Bearer {token}"})
        assert status == 200, body
    finally:
        stop(server)
    # Its delivery counts as delivered, like the seeded ones, so the worker
    # has nothing to do during the runs.
    with sqlite3.connect(os.path.join(data_dir, "fxa.sqlite")) as db:
        db.execute("UPDATE event_deliveries SET status = 'delivered', attempts = 1, last_status = 200, "
                   "delivered_at = created_at, lease_owner = NULL, lease_until = NULL")


def random_like(value):
    """SQL for a fresh random value in the same format as `value`."""
    if isinstance(value, bytes):
        return f"randomblob({len(value)})"
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        # A UUID, in the template's case; each part its own random call, so
        # that SQLite evaluates it per row.
        case = "" if value.upper() == value else "lower"
        return "||'-'||".join(f"{case}(hex(randomblob({n})))" for n in (4, 2, 2, 2, 6))
    if isinstance(value, str) and all(c in "0123456789abcdef" for c in value):
        return f"lower(hex(randomblob({len(value) // 2})))"
    raise ValueError(f"no random format for {value!r}")


def clone(db, table, count_source, overrides, keys):
    """INSERT one row per `count_source` row, copying the template row of
    `table` except for `overrides` (SQL) and `keys` (fresh random values)."""
    template = db.execute(f"SELECT * FROM {table} LIMIT 1").fetchone()
    columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
    row = dict(zip(columns, template))
    expressions = []
    for column in columns:
        if column in overrides:
            expressions.append(overrides[column])
        elif column in keys:
            expressions.append(random_like(row[column]))
        else:
            expressions.append(f"t.{column}")
    db.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} "
               f"FROM {count_source} AS s, (SELECT * FROM {table} LIMIT 1) AS t")


def seed(data_dir, count):
    """N accounts, and for each one a session, an access token, an outbox
    event and its delivered delivery."""
    started = time.monotonic()
    db = sqlite3.connect(os.path.join(data_dir, "fxa.sqlite"), isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    db.execute("CREATE TEMP TABLE seeds (i INTEGER PRIMARY KEY, uid TEXT NOT NULL, event TEXT NOT NULL)")
    db.execute(f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) "
               "INSERT INTO seeds SELECT i, lower(hex(randomblob(16))), '' FROM n")
    event_id = db.execute("SELECT id FROM event_outbox LIMIT 1").fetchone()[0]
    db.execute(f"UPDATE seeds SET event = {random_like(event_id)}")
    clone(db, "accounts", "seeds", {"uid": "s.uid", "email": "'scale-' || s.i || '@example.test'",
                                    "normalized_email": "'scale-' || s.i || '@example.test'",
                                    "primary_email": "NULL"}, keys=set())
    clone(db, "auth_tokens", "seeds", {"uid": "s.uid", "id_hash": "randomblob(32)"}, keys=set())
    clone(db, "oauth_tokens", "seeds", {"uid": "s.uid", "token_hash": "randomblob(32)"}, keys=set())
    clone(db, "event_outbox", "seeds", {"uid": "s.uid", "id": "s.event"}, keys=set())
    clone(db, "event_deliveries", "seeds", {"uid": "s.uid", "event_id": "s.event"}, keys={"id", "jti"})
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return time.monotonic() - started


def database_bytes(data_dir):
    return sum(os.path.getsize(os.path.join(data_dir, name)) for name in os.listdir(data_dir)
               if name.startswith("fxa.sqlite"))


class PeakMemory:
    """The largest resident set the process reaches while sampled."""

    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, 0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while self.running:
            with open(f"/proc/{self.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        self.peak = max(self.peak, int(line.split()[1]) * 1024)
            time.sleep(0.1)

    def take(self):
        """The peak since the last take, and start again."""
        peak, self.peak = self.peak, 0
        return peak

    def stop(self):
        self.running = False
        self.thread.join()


def measure(binary, port, data_dir, log, seconds):
    server, startup = start(binary, port, data_dir, log)
    memory = PeakMemory(server.pid)
    try:
        fxa = prepare_fxa(port, binary, data_dir)
        email, auth_pw = f"login-{secrets.token_hex(4)}@example.test", secrets.token_hex(32)
        status, _, body = call(port, "POST", "/v1/account/create", {"email": email, "authPW": auth_pw})
        assert status == 200, body
        url = f"http://127.0.0.1:{port}"
        scenarios = {
            "verify": (url + "/v1/verify", "fxa_verify.lua", fxa),
            "profile": (url + "/v1/profile", "fxa_profile.lua", fxa),
            "code": (url, "fxa_code.lua", fxa),
            # Each login holds scrypt's 64 MiB (N=2^16, r=8) while it hashes,
            # one per core at a time: its peak RSS is mostly that. Last, so
            # the hashes still running when wrk stops count for it alone.
            "login": (url + "/v1/account/login", "fxa_login.lua", {"EMAIL": email, "AUTHPW": auth_pw}),
        }
        runs, peaks = {}, {}
        memory.take()
        for name, (target, script, env) in scenarios.items():
            runs[name] = wrk(target, script, env, seconds, 8)
            peaks[name] = memory.take()
    finally:
        memory.stop()
        stop(server)
    return {
        "startup_seconds": round(startup, 3),
        "database_mb": round(database_bytes(data_dir) / 1e6, 1),
        "operations": {name: {"per_second": run["flows_per_second"] if name == "code" else run["ok_per_second"],
                              "p50_ms": run["p50_ms"], "p99_ms": run["p99_ms"], "max_ms": run["max_ms"],
                              "failures": run["failures"], "peak_rss_mb": round(peaks[name] / 1e6, 1)}
                       for name, run in runs.items()},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-binary", required=True)
    parser.add_argument("--rows", type=int, default=1_000_000, help="accounts, sessions, tokens and events each")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    rows = min(args.rows, 5_000_000)
    work = tempfile.mkdtemp()
    log = open(os.path.join(work, "server.log"), "ab")
    port = int(subprocess.run([sys.executable, "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); "
                               "print(s.getsockname()[1])"], capture_output=True, text=True).stdout)
    try:
        empty, seeded = os.path.join(work, "empty"), os.path.join(work, "seeded")
        make_templates(args.server_binary, port, empty, log)
        shutil.copytree(empty, seeded)
        seed_seconds = seed(seeded, rows)
        # The seed wrote 1.5 GB without fsync: flushed now, not during the
        # measured runs, where it would slow every COMMIT's fsync.
        os.sync()
        report = {"rows": rows, "seed_seconds": round(seed_seconds, 1), "seconds": args.seconds, "connections": 8}
        # Alternating would double the run; one each, the empty one first.
        report["empty"] = measure(args.server_binary, port, empty, log, args.seconds)
        report["seeded"] = measure(args.server_binary, port, seeded, log, args.seconds)
        report["p99_seeded_to_empty"] = {
            name: round(report["seeded"]["operations"][name]["p99_ms"] / report["empty"]["operations"][name]["p99_ms"], 2)
            for name in report["empty"]["operations"]}
        print(json.dumps(report, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
