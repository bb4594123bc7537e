"""The server as an operator runs it: one binary, crashes, restarts, CLI."""
import signal

import requests


def kids(server):
    response = server.get("/v1/jwks")
    assert response.status_code == 200
    return [key["kid"] for key in response.json()["keys"]]


def test_fresh_start_serves_heartbeat_discovery_and_jwks(start_server, tmp_path):
    server = start_server()
    assert server.get("/__heartbeat__").status_code == 200
    discovery = server.get("/.well-known/openid-configuration").json()
    assert discovery["issuer"] == server.base
    assert discovery["jwks_uri"] == server.base + "/v1/jwks"
    keys = server.get("/v1/jwks").json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    assert (tmp_path / "data" / "fxa.sqlite").exists()


def test_kill_9_and_restart_keeps_the_signing_key_and_data(start_server):
    first = start_server()
    before = kids(first)
    first.kill(signal.SIGKILL)

    second = start_server(port=first.port)
    assert kids(second) == before
    assert second.get("/__heartbeat__").status_code == 200


def test_sigterm_stops_the_server_cleanly(start_server):
    server = start_server()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=30) == 0


def test_unknown_paths_and_bad_bodies_get_fxa_json_errors(start_server):
    server = start_server()
    response = server.get("/v1/no/such/endpoint")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["code"] == 404 and body["errno"] == 999 and body["error"] == "Not Found"
    post = requests.post(server.base + "/v1/account/login", data="{not json", timeout=10,
                         headers={"content-type": "application/json"})
    assert post.headers["content-type"].startswith("application/json")
    assert post.json()["code"] == post.status_code


def test_migrate_runs_alone_and_keys_commands_manage_the_key(fxa_cli, start_server, tmp_path):
    database = f"sqlite://{tmp_path}/cli/fxa.sqlite"
    migrated = fxa_cli("migrate", "--database-url", database)
    assert migrated.returncode == 0, migrated.stderr
    listed = fxa_cli("keys", "list", "--database-url", database)
    assert "no signing keys yet" in listed.stdout

    server = start_server("--database-url", database)
    original = kids(server)
    rotated = fxa_cli("keys", "rotate", "--database-url", database)
    assert rotated.returncode == 0, rotated.stderr
    new_kid = rotated.stdout.strip().split()[-1]
    listed = fxa_cli("keys", "list", "--database-url", database).stdout
    assert f"{new_kid}  current" in listed
    assert f"{original[0]}  previous" in listed
    # The PEM never appears in the CLI's output.
    assert "PRIVATE KEY" not in listed


def test_invalid_configuration_refuses_to_start_with_a_clear_message(fxa_cli):
    result = fxa_cli("serve", "--port", "70000")
    assert result.returncode != 0
    assert "--port / FXA_PORT: must be between 1 and 65535, got 70000" in result.stderr
    result = fxa_cli("serve", "--signing-key-file", "/nonexistent/key.pem")
    assert result.returncode != 0
    assert "--signing-key-file / FXA_SIGNING_KEY_FILE: cannot read /nonexistent/key.pem" in result.stderr


def test_metrics_flag_turns_on_prometheus_text(start_server):
    server = start_server("--enable-metrics")
    server.get("/__heartbeat__")
    metrics = server.get("/metrics")
    assert metrics.status_code == 200
    assert 'fxa_http_requests_total{method="GET",route="/__heartbeat__",status="200"}' in metrics.text
