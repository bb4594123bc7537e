"""Several fxa-server processes on one PostgreSQL (skipped without one).

.ci/run starts a throwaway cluster and sets FXA_TEST_POSTGRES_URL.
"""
import hashlib
import hmac
import json
import secrets
import threading
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from conftest import POSTGRES_URL, psql

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="FXA_TEST_POSTGRES_URL is not set")


def with_password(url, password):
    parts = urlsplit(url)
    user = parts.username or "fxa"
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}"))


def test_two_instances_start_together_on_an_empty_database_and_agree_on_one_key(start_server, fresh_database):
    servers = []
    errors = []

    def start():
        try:
            servers.append(start_server("--database-url", fresh_database))
        except Exception as error:  # collected and reported below
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(servers) == 2

    jwks = [server.get("/v1/jwks").json()["keys"] for server in servers]
    assert len(jwks[0]) == 1
    assert jwks[0] == jwks[1]
    for server in servers:
        assert server.get("/__heartbeat__").status_code == 200


def test_a_restarted_instance_keeps_serving_the_shared_key(start_server, fresh_database):
    first = start_server("--database-url", fresh_database)
    kid = first.get("/v1/jwks").json()["keys"][0]["kid"]
    first.kill()
    second = start_server("--database-url", fresh_database)
    assert second.get("/v1/jwks").json()["keys"][0]["kid"] == kid


def test_the_startup_log_never_shows_the_database_password(start_server, fresh_database):
    # The CI cluster trusts loopback, so any password is accepted.
    server = start_server("--database-url", with_password(fresh_database, "pw-must-not-leak"))
    log = server.log()
    assert "fxa-server starting" in log
    assert "pw-must-not-leak" not in log


def test_heartbeat_reports_503_when_postgres_is_unreachable(start_server, fresh_database):
    server = start_server("--database-url", fresh_database)
    # Refuse new connections first, then end the open ones: the other order
    # let the pool reconnect in between, and that one live connection later
    # answered a heartbeat with 200 (seen once in CI).
    psql(POSTGRES_URL, f"ALTER DATABASE {urlsplit(fresh_database).path[1:]} WITH ALLOW_CONNECTIONS false")
    psql(POSTGRES_URL, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{urlsplit(fresh_database).path[1:]}'")
    try:
        # The pool may need one failed query to notice its connections died.
        statuses = [server.get("/__heartbeat__").status_code for _ in range(3)]
        assert statuses[-1] == 503
        body = server.get("/__heartbeat__").json()
        assert body["errno"] == 203
        assert server.get("/__lbheartbeat__").status_code == 200
    finally:
        psql(POSTGRES_URL, f"ALTER DATABASE {urlsplit(fresh_database).path[1:]} WITH ALLOW_CONNECTIONS true")
    statuses = [server.get("/__heartbeat__").status_code for _ in range(3)]
    assert statuses[-1] == 200


def test_a_token_destroyed_or_signed_out_on_one_instance_is_refused_by_the_other_at_once(
        start_server, fxa_cli, fresh_database):
    """With the defaults, nothing another instance caches outlives a
    revocation: the profile cache is off on PostgreSQL."""
    env = {"FXA_AUTO_VERIFY": "true"}
    first = start_server("--database-url", fresh_database, env=env)
    second = start_server("--database-url", fresh_database, env=env)
    created = fxa_cli("client", "create", "--database-url", fresh_database, "--name", "rp", "--redirect-uri",
                      "http://127.0.0.1:9/cb", "--trusted", "--json")
    assert created.returncode == 0, created.stderr
    client = json.loads(created.stdout)

    account = requests.post(first.base + "/v1/account/create", timeout=10,
                            json={"email": f"rev-{secrets.token_hex(4)}@example.test", "authPW": secrets.token_hex(32)})
    assert account.status_code == 200, account.text
    prk = hmac.new(b"", bytes.fromhex(account.json()["sessionToken"]), hashlib.sha256).digest()
    session_id = hmac.new(prk, b"identity.mozilla.com/picl/v1/sessionToken\x01", hashlib.sha256).hexdigest()
    session = {"Authorization": f"Bearer fxs_{session_id}"}
    authorize = {"client_id": client["client_id"], "scope": "profile", "state": "s"}
    code = requests.post(first.base + "/v1/oauth/authorization", json=authorize, headers=session, timeout=10)
    assert code.status_code == 200, code.text
    token = requests.post(first.base + "/v1/token", timeout=10, json={
        "client_id": client["client_id"], "client_secret": client["client_secret"], "code": code.json()["code"]})
    assert token.status_code == 200, token.text
    access = token.json()["access_token"]

    def on_second():
        verify = requests.post(second.base + "/v1/verify", json={"token": access}, timeout=10)
        profile = second.get("/v1/profile", headers={"Authorization": f"Bearer {access}"})
        return verify, profile

    for _ in range(2):  # the second round would be served from a cache
        verify, profile = on_second()
        assert verify.status_code == 200 and profile.status_code == 200, (verify.text, profile.text)

    destroyed = requests.post(first.base + "/v1/destroy", timeout=10, json={
        "token": access, "client_id": client["client_id"], "client_secret": client["client_secret"]})
    assert destroyed.status_code == 200, destroyed.text
    verify, profile = on_second()
    assert verify.status_code == 400 and verify.json()["errno"] == 108
    assert profile.status_code == 401

    assert requests.post(second.base + "/v1/oauth/authorization", json=authorize, headers=session,
                         timeout=10).status_code == 200
    assert requests.post(first.base + "/v1/session/destroy", json={}, headers=session, timeout=10).status_code == 200
    refused = requests.post(second.base + "/v1/oauth/authorization", json=authorize, headers=session, timeout=10)
    assert refused.status_code == 401 and refused.json()["errno"] == 110
