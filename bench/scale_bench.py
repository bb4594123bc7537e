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

With --postgres, the same on a throwaway PostgreSQL cluster: the template
database is copied (CREATE DATABASE ... TEMPLATE) and seeded by SQL inside
PostgreSQL, then vacuumed and analyzed, as autovacuum would have by then.

Only the standard library and wrk; run by bench/scale, which builds.
"""
import argparse
import json
import os
import secrets
import shutil
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Database, PostgresCluster, call, cli, free_port, start_server, stop_server  # noqa: E402
from oauth_bench import access_token, new_session, prepare_fxa, wrk  # noqa: E402

# Every profile read reads: the cache would hide how the database scales.
SETTINGS = {"FXA_PROFILE_CACHE_SECONDS": "0"}


def start(binary, port, database, log, **extra):
    """Starts fxa-server; returns it and the seconds until it answered."""
    return start_server(binary, port, database, log, **SETTINGS, **extra)


def make_templates(binary, port, database, log, sql):
    """One row of each kind, made through the API by the server itself."""
    server, _ = start(binary, port, database, log, FXA_EVENT_DELIVERY="off")
    try:
        prepare_fxa(port, binary, database)
        client = json.loads(cli(binary, database, "client", "create", "--name", "hooked", "--redirect-uri",
                                "http://127.0.0.1:9999/cb", "--scope", "profile:write", "--trusted",
                                "--webhook-url", "http://127.0.0.1:9/hook", "--json"))
        token = access_token(port, client, new_session(port, "template"), "profile:write")
        status, _, body = call(port, "POST", "/v1/display_name", {"displayName": "template"},
                               {"Authorization": f"Bearer {token}"})
        assert status == 200, body
    finally:
        stop_server(server)
    # Its delivery counts as delivered, like the seeded ones, so the worker
    # has nothing to do during the runs.
    sql("UPDATE event_deliveries SET status = 'delivered', attempts = 1, last_status = 200, "
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
    # The seed wrote 1.5 GB without fsync: flushed now, not during the
    # measured runs, where it would slow every COMMIT's fsync.
    os.sync()
    return time.monotonic() - started


def postgres_random_like(value, data_type):
    """PostgreSQL SQL for a fresh random value in the same format as
    `value` (as row_to_json shows it) in a column of `data_type`; `s.i`
    keeps the rows apart."""
    noise = "(random()::text || s.i)"
    if data_type == "uuid":
        return "gen_random_uuid()"
    if data_type == "bytea":
        length = (len(value) - 2) // 2  # "\\x" and two hex digits a byte
        assert length <= 32, value
        return f"substring(sha256({noise}::bytea) from 1 for {length})"
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        return "gen_random_uuid()::text" if value.lower() == value else "upper(gen_random_uuid()::text)"
    if isinstance(value, str) and all(c in "0123456789abcdef" for c in value) and len(value) <= 64:
        return f"substring(encode(sha256({noise}::bytea), 'hex') from 1 for {len(value)})"
    raise ValueError(f"no random format for {value!r} ({data_type})")


def postgres_clone(cluster, name, table, overrides, keys):
    """PostgreSQL's `clone`: one row of `table` per seed, copied from its
    template row but for `overrides` (SQL over `s`) and fresh `keys`."""
    template = json.loads(cluster.psql(name, f"SELECT row_to_json(t) FROM {table} t LIMIT 1"))
    types = dict(line.split("|") for line in cluster.psql(
        name, f"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{table}' "
              "AND table_schema = current_schema()").splitlines())
    columns = list(template)
    expressions = [overrides[c] if c in overrides else postgres_random_like(template[c], types[c]) if c in keys
                   else f"t.{c}" for c in columns]
    quoted = ", ".join(f'"{c}"' for c in columns)
    return (f"INSERT INTO {table} ({quoted}) SELECT {', '.join(expressions)} "
            f"FROM seeds AS s, (SELECT * FROM {table} LIMIT 1) AS t;")


def postgres_seed(cluster, name, count):
    """`seed` on PostgreSQL, in one transaction, then VACUUM ANALYZE (what
    autovacuum would have done by the time a real database is this big)
    and a CHECKPOINT, so the runs start with statistics and clean pages."""
    started = time.monotonic()
    types = dict(line.split("|") for line in cluster.psql(
        name, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'event_outbox' "
              "AND table_schema = current_schema()").splitlines())
    event_id = json.loads(cluster.psql(name, "SELECT row_to_json(t) FROM event_outbox t LIMIT 1"))["id"]
    uid_type = types.get("uid")
    uid = "gen_random_uuid()" if uid_type == "uuid" else "md5(random()::text || i)"
    event = postgres_random_like(event_id, types["id"]).replace("s.i", "i")
    statements = [
        f"CREATE TEMP TABLE seeds AS SELECT i, {uid} AS uid, {event} AS event FROM generate_series(1, {count}) AS i;",
        postgres_clone(cluster, name, "accounts", {"uid": "s.uid", "email": "'scale-' || s.i || '@example.test'",
                                                   "normalized_email": "'scale-' || s.i || '@example.test'",
                                                   "primary_email": "NULL"}, keys=set()),
        postgres_clone(cluster, name, "auth_tokens", {"uid": "s.uid"}, keys={"id_hash"}),
        postgres_clone(cluster, name, "oauth_tokens", {"uid": "s.uid"}, keys={"token_hash"}),
        postgres_clone(cluster, name, "event_outbox", {"uid": "s.uid", "id": "s.event"}, keys=set()),
        postgres_clone(cluster, name, "event_deliveries", {"uid": "s.uid", "event_id": "s.event"}, keys={"id", "jti"}),
    ]
    cluster.psql(name, "BEGIN; SET LOCAL synchronous_commit = off; " + " ".join(statements) + " COMMIT;")
    cluster.psql(name, "VACUUM ANALYZE")
    cluster.psql(name, "CHECKPOINT")
    return time.monotonic() - started


def database_bytes(database, cluster):
    """The database's size on disk: SQLite's file and its WAL, or what
    PostgreSQL reports for the database."""
    if database.url:
        return int(cluster.psql(database.url.rsplit("/", 1)[1].split("?")[0],
                                "SELECT pg_database_size(current_database())"))
    return sum(os.path.getsize(os.path.join(database.data_dir, name)) for name in os.listdir(database.data_dir)
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


def measure(binary, port, database, cluster, log, seconds):
    server, startup = start(binary, port, database, log)
    memory = PeakMemory(server.pid)
    try:
        fxa = prepare_fxa(port, binary, database)
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
        stop_server(server)
    return {
        "startup_seconds": round(startup, 3),
        "database_mb": round(database_bytes(database, cluster) / 1e6, 1),
        "operations": {name: {"per_second": run["flows_per_second"] if name == "code" else run["ok_per_second"],
                              "p50_ms": run["p50_ms"], "p99_ms": run["p99_ms"], "max_ms": run["max_ms"],
                              "failures": run["failures"], "peak_rss_mb": round(peaks[name] / 1e6, 1)}
                       for name, run in runs.items()},
    }


def compare(binary, port, log, seconds, empty, seeded, cluster, seed_seconds, rows):
    report = {"database": empty.kind, "rows": rows, "seed_seconds": round(seed_seconds, 1), "seconds": seconds,
              "connections": 8}
    # Alternating would double the run; one each, the empty one first.
    report["empty"] = measure(binary, port, empty, cluster, log, seconds)
    report["seeded"] = measure(binary, port, seeded, cluster, log, seconds)
    report["p99_seeded_to_empty"] = {
        name: round(report["seeded"]["operations"][name]["p99_ms"] / report["empty"]["operations"][name]["p99_ms"], 2)
        if report["empty"]["operations"][name]["p99_ms"] else None
        for name in report["empty"]["operations"]}
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-binary", required=True)
    parser.add_argument("--rows", type=int, default=1_000_000, help="accounts, sessions, tokens and events each")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--postgres", action="store_true",
                        help="on a throwaway PostgreSQL cluster (durable: fsync on) instead of SQLite")
    args = parser.parse_args()
    rows = min(args.rows, 5_000_000)
    work = tempfile.mkdtemp()
    log = open(os.path.join(work, "server.log"), "ab")
    port = free_port()
    cluster = None
    try:
        if args.postgres:
            cluster = PostgresCluster(work)
            empty = Database(os.path.join(work, "empty"), cluster.create("fxa_empty"))
            make_templates(args.server_binary, port, empty, log, lambda sql: cluster.psql("fxa_empty", sql))
            # A copy of the templates, seeded; the empty one stays as it is.
            cluster.psql("postgres", "CREATE DATABASE fxa_seeded TEMPLATE fxa_empty")
            seeded = Database(os.path.join(work, "seeded"), empty.url.replace("/fxa_empty", "/fxa_seeded"))
            seed_seconds = postgres_seed(cluster, "fxa_seeded", rows)
        else:
            empty, seeded = Database(os.path.join(work, "empty")), Database(os.path.join(work, "seeded"))

            def sqlite(sql):
                with sqlite3.connect(os.path.join(empty.data_dir, "fxa.sqlite")) as db:
                    db.execute(sql)
            make_templates(args.server_binary, port, empty, log, sqlite)
            shutil.copytree(empty.data_dir, seeded.data_dir)
            seed_seconds = seed(seeded.data_dir, rows)
        report = compare(args.server_binary, port, log, args.seconds, empty, seeded, cluster, seed_seconds, rows)
        print(json.dumps(report, indent=2))
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
