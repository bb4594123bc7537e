#!/usr/bin/env python3
"""OAuth throughput and latency of fxa-server, as ratios against its own
hello-world route and against django-oauth-toolkit (DOT) on the same
machine, measured side by side in one run with the same load generator.

Scenarios (wrk, one thread, C connections, S seconds each, loopback only):
  hello       GET /__lbheartbeat__ (fxa-server's hello-world route), run
              before and after the others; the mean is the baseline.
  verify      POST /v1/verify with a live access token.
  code        the code flow as a request stream: POST /v1/oauth/authorization
              (session) then POST /v1/token (secret + PKCE + ID token); a
              flow is one successful exchange.
  profile     GET /v1/profile with a live `profile` access token.
  profile-304 the same with If-None-Match: the polling RP whose profile
              did not change.
  dot-introspect, dot-code
              DOT's equivalents: POST /o/introspect/ (Basic), and GET
              /o/authorize/ (Django session, consent skipped) then POST
              /o/token/ (Basic + PKCE + ID token).

Only the standard library; wrk from Debian.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse

from harness import Database, PostgresCluster, call, cli, free_port, start_server, stop_server

HERE = os.path.dirname(os.path.abspath(__file__))
WRK_DIR = os.path.join(HERE, "wrk")


def hkdf_first_block(ikm, info):
    prk = hmac.new(b"", ikm, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def pkce():
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def wrk(url, script, env, seconds, connections):
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", os.path.join(WRK_DIR, script), url],
        env={**os.environ, "BENCH_WRK_DIR": WRK_DIR, **env}, capture_output=True, text=True, timeout=seconds + 60)
    line = next((l for l in result.stdout.splitlines() if l.startswith("WRK_JSON ")), None)
    if line is None:
        sys.exit(f"wrk produced no report:\n{result.stdout}\n{result.stderr}")
    report = json.loads(line[len("WRK_JSON "):])
    report["ok_per_second"] = round(report["ok"] / report["seconds"], 1)
    report["flows_per_second"] = round(report["flows"] / report["seconds"], 1)
    return report


def new_session(port, prefix="bench"):
    """A new verified account (the server runs with FXA_AUTO_VERIFY) and the
    id of its session token, as a Bearer for the OAuth routes."""
    status, _, body = call(port, "POST", "/v1/account/create",
                           {"email": f"{prefix}-{secrets.token_hex(4)}@example.test", "authPW": secrets.token_hex(32)})
    assert status == 200, body
    session = bytes.fromhex(json.loads(body)["sessionToken"])
    return hkdf_first_block(session, b"identity.mozilla.com/picl/v1/sessionToken").hex()


def access_token(port, client, session_id, scope):
    """An access token for `client` (a `client create --json` answer) by
    FxA's session-authorized code flow."""
    status, _, body = call(port, "POST", "/v1/oauth/authorization",
                           {"client_id": client["client_id"], "scope": scope, "state": "s"},
                           {"Authorization": f"Bearer fxs_{session_id}"})
    assert status == 200, body
    status, _, body = call(port, "POST", "/v1/token", {"client_id": client["client_id"],
                                                     "client_secret": client["client_secret"],
                                                     "code": json.loads(body)["code"]})
    assert status == 200, body
    return json.loads(body)["access_token"]


def prepare_fxa(port, binary, database):
    """A trusted confidential client, a verified session and one live access token."""
    client = json.loads(cli(binary, database, "client", "create", "--name", "bench",
                            "--redirect-uri", "http://127.0.0.1:9999/callback", "--trusted", "--json"))
    session_id = new_session(port)
    verifier, challenge = pkce()
    return {"CLIENT_ID": client["client_id"], "CLIENT_SECRET": client["client_secret"], "SESSION_ID": session_id,
            "VERIFIER": verifier, "CHALLENGE": challenge, "TOKEN": access_token(port, client, session_id, "profile")}


def prepare_dot(port):
    """Alice's Django session cookie and one live access token (README setup)."""
    status, headers, _ = call(port, "GET", "/accounts/login/")
    csrf = next(p.split("=", 1)[1] for p in headers.get("Set-Cookie", "").split(";") if p.strip().startswith("csrftoken="))
    status, headers, body = call(port, "POST", "/accounts/login/",
                                 {"username": "alice", "password": "alice-password-1", "csrfmiddlewaretoken": csrf, "next": "/"},
                                 {"Cookie": f"csrftoken={csrf}", "Referer": f"http://127.0.0.1:{port}/accounts/login/"}, form=True)
    assert status == 302, (status, body[:200])
    session = next(p.strip() for p in headers.get("Set-Cookie", "").replace(",", ";").split(";") if p.strip().startswith("sessionid="))
    cookie = f"csrftoken={csrf}; {session}"
    verifier, challenge = pkce()
    basic = base64.b64encode(b"confclient0000001:conf-secret-0123456789abcdef").decode()
    query = urllib.parse.urlencode({"response_type": "code", "client_id": "confclient0000001",
                                    "redirect_uri": "http://127.0.0.1:9999/callback", "scope": "openid profile",
                                    "state": "s", "code_challenge": challenge, "code_challenge_method": "S256"})
    status, headers, body = call(port, "GET", "/o/authorize/?" + query, headers={"Cookie": cookie})
    assert status == 302, (status, body[:200])
    code = urllib.parse.parse_qs(urllib.parse.urlparse(headers["Location"]).query)["code"][0]
    status, _, body = call(port, "POST", "/o/token/", {"grant_type": "authorization_code", "code": code,
                                                      "redirect_uri": "http://127.0.0.1:9999/callback",
                                                      "code_verifier": verifier},
                           {"Authorization": f"Basic {basic}"}, form=True)
    assert status == 200, body
    return {"COOKIE": cookie, "BASIC": basic, "VERIFIER": verifier, "CHALLENGE": challenge,
            "TOKEN": json.loads(body)["access_token"]}


def run_wrk_together(targets, seconds):
    """wrk against several servers at once (the load split between them);
    each target is (url, script, env, connections)."""
    reports = [None] * len(targets)

    def one(index, target):
        url, script, env, connections = target
        reports[index] = wrk(url, script, env, seconds, connections)

    threads = [threading.Thread(target=one, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return reports


def measure_fxa(port, binary, database, seconds, connections, only):
    """The fxa-server scenarios against the server on `port`; wrk reports by name."""
    fxa_url = f"http://127.0.0.1:{port}"
    fxa = prepare_fxa(port, binary, database)
    runs = {"hello_before": wrk(fxa_url + "/__lbheartbeat__", "hello.lua", {}, seconds, connections)}
    if only != "profile":
        runs["verify"] = wrk(fxa_url + "/v1/verify", "fxa_verify.lua", fxa, seconds, connections)
        runs["code"] = wrk(fxa_url, "fxa_code.lua", fxa, seconds, connections)
    if only != "oauth":
        status, headers, body = call(port, "GET", "/v1/profile", headers={"Authorization": "Bearer " + fxa["TOKEN"]})
        assert status == 200, body
        runs["profile"] = wrk(fxa_url + "/v1/profile", "fxa_profile.lua", fxa, seconds, connections)
        runs["profile_304"] = wrk(fxa_url + "/v1/profile", "fxa_profile_304.lua",
                                  {**fxa, "ETAG": {k.lower(): v for k, v in headers.items()}["etag"]},
                                  seconds, connections)
    if only != "profile":
        # Last: scrypt (64 MiB, N=2^16) holds both cores while wrk runs,
        # and the hashes still running when it stops count for it alone.
        email, auth_pw = f"login-{secrets.token_hex(4)}@example.test", secrets.token_hex(32)
        status, _, body = call(port, "POST", "/v1/account/create", {"email": email, "authPW": auth_pw})
        assert status == 200, body
        runs["login"] = wrk(fxa_url + "/v1/account/login", "fxa_login.lua", {"EMAIL": email, "AUTHPW": auth_pw},
                            seconds, connections)
        time.sleep(1)
    runs["hello_after"] = wrk(fxa_url + "/__lbheartbeat__", "hello.lua", {}, seconds, connections)
    return runs, fxa


def rate(name, run):
    return run["flows_per_second"] if name == "code" else run["ok_per_second"]


def summarize(runs):
    """Per-second rates, ratios to the same server's hello-world route,
    p99 and failures, for the scenarios of one server."""
    hello = (runs["hello_before"]["ok_per_second"] + runs["hello_after"]["ok_per_second"]) / 2
    return {
        "hello_per_second": round(hello, 1),
        "per_second": {name: rate(name, run) for name, run in runs.items()},
        "ratios": {f"{name}_to_hello": round(rate(name, run) / hello, 3)
                   for name, run in runs.items() if not name.startswith(("hello", "dot"))},
        "p99_ms": {name: run["p99_ms"] for name, run in runs.items()},
        "failures": {name: run["failures"] + run["socket_errors"] for name, run in runs.items()},
    }


def two_instances(ports, fxa, seconds, connections):
    """The code flow, then verify, with the connections split between two
    servers on one PostgreSQL database, both at once."""
    result = {}
    for name, script, path in (("code", "fxa_code.lua", ""), ("verify", "fxa_verify.lua", "/v1/verify")):
        reports = run_wrk_together([(f"http://127.0.0.1:{port}{path}", script, fxa, max(connections // 2, 1))
                                    for port in ports], seconds)
        result[name] = {"per_second": round(sum(rate(name, r) for r in reports), 1),
                        "per_instance": [rate(name, r) for r in reports],
                        "p99_ms": [r["p99_ms"] for r in reports],
                        "failures": sum(r["failures"] + r["socket_errors"] for r in reports)}
    return result


def revocation_across_instances(ports, binary, database):
    """Signs out and destroys a token on one instance and asks the other
    straight away: both must be refused at once, with nothing cached."""
    first, second = ports
    client = json.loads(cli(binary, database, "client", "create", "--name", "revocation",
                            "--redirect-uri", "http://127.0.0.1:9999/callback", "--trusted", "--json"))
    session_id = new_session(first, "revocation")
    token = access_token(first, client, session_id, "profile")
    bearer = {"Authorization": f"Bearer {token}"}

    def second_accepts():
        verify = call(second, "POST", "/v1/verify", {"token": token})[0]
        profile = call(second, "GET", "/v1/profile", headers=bearer)[0]
        return {"verify": verify, "profile": profile}

    before = [second_accepts(), second_accepts()]  # twice: a cache would now hold it
    status, _, body = call(first, "POST", "/v1/destroy", {"token": token, "client_id": client["client_id"],
                                                          "client_secret": client["client_secret"]})
    assert status == 200, body
    after = second_accepts()
    authorization = {"client_id": client["client_id"], "scope": "profile", "state": "s"}
    session = {"Authorization": f"Bearer fxs_{session_id}"}
    session_before = call(second, "POST", "/v1/oauth/authorization", authorization, session)[0]
    status, _, body = call(first, "POST", "/v1/session/destroy", {}, session)
    assert status == 200, body
    session_after = call(second, "POST", "/v1/oauth/authorization", authorization, session)[0]
    refused = (all(v == 200 for b in before for v in b.values()) and session_before == 200
               and all(v != 200 for v in after.values()) and session_after != 200)
    return {"token_on_second_before": before[-1], "token_on_second_after_destroy_on_first": after,
            "session_on_second_before": session_before, "session_on_second_after_sign_out_on_first": session_after,
            "refused_at_once": refused}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-binary", required=True)
    parser.add_argument("--work", required=True, help="an empty folder for the servers' data and logs")
    parser.add_argument("--dot-port", type=int, help="django-oauth-toolkit on loopback; omit to skip the peer")
    parser.add_argument("--sqlite-synchronous", default="full", choices=["full", "normal"])
    parser.add_argument("--profile-cache-seconds", type=int,
                        default=int(os.environ.get("FXA_PROFILE_CACHE_SECONDS", "2")),
                        help="FXA_PROFILE_CACHE_SECONDS for the measured servers, SQLite and PostgreSQL alike "
                             "(default: the variable, else 2, SQLite's default); 0 makes every profile read read")
    parser.add_argument("--postgres", action="store_true",
                        help="also on PostgreSQL (a throwaway cluster), and two instances sharing it")
    parser.add_argument("--bench-binary", help="fxa-bench, for the RS256 signing ceiling measured in the same run")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", choices=["oauth", "profile"], help="one group of scenarios (default: both)")
    args = parser.parse_args()
    seconds, connections = min(args.seconds, 30), min(args.connections, 64)
    settings = {"FXA_SQLITE_SYNCHRONOUS": args.sqlite_synchronous,
                "FXA_PROFILE_CACHE_SECONDS": str(args.profile_cache_seconds)}
    log = open(os.path.join(args.work, "servers.log"), "ab")
    servers, cluster = [], None
    try:
        sqlite = Database(os.path.join(args.work, "sqlite"))
        port = free_port()
        servers.append(start_server(args.server_binary, port, sqlite, log, **settings)[0])
        runs, _ = measure_fxa(port, args.server_binary, sqlite, seconds, connections, args.only)
        stop_server(servers.pop())
        if args.dot_port and args.only != "profile":
            dot_url = f"http://127.0.0.1:{args.dot_port}"
            dot = prepare_dot(args.dot_port)
            runs["dot_introspect"] = wrk(dot_url + "/o/introspect/", "dot_introspect.lua", dot, seconds, connections)
            runs["dot_code"] = wrk(dot_url, "dot_code.lua", dot, seconds, connections)
        postgres = None
        if args.postgres:
            cluster = PostgresCluster(args.work)
            database = Database(os.path.join(args.work, "postgres"), cluster.create("fxa_bench"))
            ports = [free_port(), free_port()]
            servers.append(start_server(args.server_binary, ports[0], database, log, **settings)[0])
            postgres_runs, fxa = measure_fxa(ports[0], args.server_binary, database, seconds, connections, args.only)
            # Two instances as an operator runs them: PostgreSQL's defaults,
            # under which a token destroyed on one is refused on the other.
            stop_server(servers.pop())
            for port in ports:
                servers.append(start_server(args.server_binary, port, database, log, **{
                    **settings, "FXA_PROFILE_CACHE_SECONDS": None})[0])
            postgres = {"one_instance": postgres_runs,
                        "two_instances": two_instances(ports, fxa, seconds, connections) if args.only != "profile" else None,
                        "revocation": revocation_across_instances(ports, args.server_binary, database)}
        # The ceiling a code flow with an ID token cannot pass: RSA-2048
        # signatures per second on every core, with nothing else running.
        signing = None
        if args.bench_binary:
            signing = json.loads(subprocess.run([args.bench_binary, "rs256", "--seconds", "5"], check=True,
                                                capture_output=True, text=True).stdout)
    finally:
        for server in servers:
            stop_server(server)
        if cluster:
            cluster.stop()

    report = {"cpus": os.cpu_count(), "seconds": seconds, "connections": connections,
              "sqlite_synchronous": args.sqlite_synchronous, "profile_cache_seconds": args.profile_cache_seconds,
              **summarize(runs), "runs": runs}
    if signing and "code" in runs:
        report["rs256_signatures_per_second"] = round(signing["signatures_per_second"], 1)
        report["ratios"]["code_to_rs256"] = round(runs["code"]["flows_per_second"] / signing["signatures_per_second"], 3)
    if "dot_code" in runs:
        report["vs_django_oauth_toolkit"] = {
            "verify_vs_introspect_throughput": round(runs["verify"]["ok_per_second"] / runs["dot_introspect"]["ok_per_second"], 2),
            "code_flow_throughput": round(runs["code"]["flows_per_second"] / max(runs["dot_code"]["flows_per_second"], 0.1), 2),
            "verify_p99_ms": [runs["verify"]["p99_ms"], runs["dot_introspect"]["p99_ms"]],
            "code_p99_ms": [runs["code"]["p99_ms"], runs["dot_code"]["p99_ms"]],
        }
    if postgres:
        one = postgres["one_instance"]
        report["postgres"] = {
            **summarize(one),
            # Each operation's rate on PostgreSQL over its rate on SQLite,
            # both measured above in this run.
            "to_sqlite": {name: round(rate(name, run) / max(rate(name, runs[name]), 0.1), 3)
                          for name, run in one.items() if not name.startswith("hello")},
            "two_instances": postgres["two_instances"],
            "revocation_across_instances": postgres["revocation"],
            "runs": one,
        }
        if postgres["two_instances"]:
            report["postgres"]["two_instances_to_one"] = {
                name: round(result["per_second"] / max(rate(name, one[name]), 0.1), 3)
                for name, result in postgres["two_instances"].items()}
    print(json.dumps(report, indent=2))
    failed = [name for name, count in report["failures"].items() if count and not name.startswith("dot")] + \
        ([f"postgres {n}" for n, c in report["postgres"]["failures"].items() if c] if postgres else [])
    if postgres and postgres["two_instances"]:
        failed += [f"two instances {n}" for n, r in postgres["two_instances"].items() if r["failures"]]
    if postgres and not postgres["revocation"]["refused_at_once"]:
        failed.append("revocation across instances")
    if failed:
        sys.exit(f"failures: {', '.join(failed)}")


if __name__ == "__main__":
    main()
