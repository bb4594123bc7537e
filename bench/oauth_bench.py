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
import http.client
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
WRK_DIR = os.path.join(HERE, "wrk")


def call(port, method, path, body=None, headers=None, form=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = dict(headers or {})
        payload = None
        if body is not None:
            payload = urllib.parse.urlencode(body).encode() if form else json.dumps(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


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


def prepare_fxa(port, binary, data_dir):
    """A trusted confidential client, a verified session and one live access token."""
    client = json.loads(subprocess.run([binary, "client", "create", "--data-dir", data_dir, "--name", "bench",
                                        "--redirect-uri", "http://127.0.0.1:9999/callback", "--trusted", "--json"],
                                       check=True, capture_output=True, text=True).stdout)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--server-binary", required=True, help="fxa-server, for `client create`")
    parser.add_argument("--data-dir", required=True, help="the running server's data folder")
    parser.add_argument("--dot-port", type=int, help="django-oauth-toolkit on loopback; omit to skip the peer")
    parser.add_argument("--sqlite-synchronous", default="full", help="what the server was started with (reported)")
    parser.add_argument("--bench-binary", help="fxa-bench, for the RS256 signing ceiling measured in the same run")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", choices=["oauth", "profile"], help="one group of scenarios (default: both)")
    args = parser.parse_args()
    seconds, connections = min(args.seconds, 30), min(args.connections, 64)

    fxa_url = f"http://127.0.0.1:{args.port}"
    fxa = prepare_fxa(args.port, args.server_binary, args.data_dir)
    runs = {"hello_before": wrk(fxa_url + "/__lbheartbeat__", "hello.lua", {}, seconds, connections)}
    if args.only != "profile":
        runs["verify"] = wrk(fxa_url + "/v1/verify", "fxa_verify.lua", fxa, seconds, connections)
        runs["code"] = wrk(fxa_url, "fxa_code.lua", fxa, seconds, connections)
    if args.only != "oauth":
        status, headers, body = call(args.port, "GET", "/v1/profile", headers={"Authorization": "Bearer " + fxa["TOKEN"]})
        assert status == 200, body
        runs["profile"] = wrk(fxa_url + "/v1/profile", "fxa_profile.lua", fxa, seconds, connections)
        runs["profile_304"] = wrk(fxa_url + "/v1/profile", "fxa_profile_304.lua", {**fxa, "ETAG": {k.lower(): v for k, v in headers.items()}["etag"]},
                                  seconds, connections)
    if args.dot_port and args.only != "profile":
        dot_url = f"http://127.0.0.1:{args.dot_port}"
        dot = prepare_dot(args.dot_port)
        runs["dot_introspect"] = wrk(dot_url + "/o/introspect/", "dot_introspect.lua", dot, seconds, connections)
        runs["dot_code"] = wrk(dot_url, "dot_code.lua", dot, seconds, connections)
    runs["hello_after"] = wrk(fxa_url + "/__lbheartbeat__", "hello.lua", {}, seconds, connections)
    # The ceiling a code flow with an ID token cannot pass: RSA-2048
    # signatures per second on every core, with nothing else running.
    signing = None
    if args.bench_binary:
        signing = json.loads(subprocess.run([args.bench_binary, "rs256", "--seconds", "5"], check=True,
                                            capture_output=True, text=True).stdout)

    hello = (runs["hello_before"]["ok_per_second"] + runs["hello_after"]["ok_per_second"]) / 2
    report = {
        "cpus": os.cpu_count(), "seconds": seconds, "connections": connections,
        "sqlite_synchronous": args.sqlite_synchronous,
        "hello_per_second": round(hello, 1),
        "per_second": {name: run["ok_per_second"] if name != "code" else run["flows_per_second"]
                       for name, run in runs.items()},
        "ratios": {
            f"{name}_to_hello": round((run["flows_per_second"] if name == "code" else run["ok_per_second"]) / hello, 3)
            for name, run in runs.items() if not name.startswith(("hello", "dot"))
        },
        "p99_ms": {name: run["p99_ms"] for name, run in runs.items()},
        "failures": {name: run["failures"] + run["socket_errors"] for name, run in runs.items()},
        "runs": runs,
    }
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
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
