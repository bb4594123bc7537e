"""The event broker against a relying party's webhook on loopback: changes
made with PyFxA (display name, password, account deletion) arrive as
Security Event Tokens that PyJWT verifies against /v1/jwks, and the
operator's `fxa-server events` commands show and requeue deliveries."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from fxa._utils import BearerTokenAuth
from fxa.profile import Client as Profile

from pyfxa_support import access_token, register_client, sign_in

PASSWORD = "correct horse battery"
EVENT = "https://schemas.accounts.firefox.com/event/"


class Webhook:
    """An RP's webhook: records each Bearer token, answers `self.status`."""

    def __init__(self):
        self.tokens, self.status = [], 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                hook.tokens.append(self.headers.get("Authorization", "").removeprefix("Bearer "))
                self.send_response(hook.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count, timeout=15):
        deadline = time.monotonic() + timeout
        while len(self.tokens) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.tokens


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.server.shutdown()


def test_changes_arrive_as_sets_that_pyjwt_verifies(start_server, fxa_cli, webhook):
    client = register_client(fxa_cli, "Webhook RP", "--webhook-url", webhook.url)
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true"})
    email, core, session = sign_in(server, "events", PASSWORD)
    token = access_token(server, client, session, "profile:write")

    Profile(server.base).apiclient.post("/display_name", {"displayName": "Ada"}, auth=BearerTokenAuth(token))
    session.change_password(PASSWORD, PASSWORD + "!")
    core.destroy_account(email, PASSWORD + "!")

    tokens = webhook.wait_for(3)
    assert len(tokens) == 3, tokens
    keys = jwt.PyJWKClient(server.base + "/v1/jwks")
    seen = {}
    for token in tokens:
        header = jwt.get_unverified_header(token)
        assert header["alg"] == "RS256" and header["typ"] == "secevent+jwt"
        claims = jwt.decode(token, keys.get_signing_key_from_jwt(token).key, algorithms=["RS256"],
                            audience=client["client_id"], issuer=server.base, options={"require": ["iat", "jti", "sub"]})
        assert claims["sub"] == session.uid
        (uri, payload), = claims["events"].items()
        seen[uri] = (payload, claims["jti"])
    assert set(seen) == {EVENT + "profile-change", EVENT + "password-change", EVENT + "delete-user"}
    assert isinstance(seen[EVENT + "password-change"][0]["changeTime"], int)
    assert len({jti for _, jti in seen.values()}) == 3

    listed = fxa_cli("events", "list", "--json", "--client", client["client_id"])
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 3 and all(row["status"] == "delivered" and row["last_status"] == 200 for row in rows)
    assert {row["jti"] for row in rows} == {jti for _, jti in seen.values()}


def test_a_gone_webhook_is_turned_off_and_the_operator_can_requeue(start_server, fxa_cli, webhook):
    client = register_client(fxa_cli, "Gone RP", "--webhook-url", webhook.url)
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true"})
    _, _, session = sign_in(server, "gone")
    token = access_token(server, client, session, "profile:write")
    webhook.status = 410
    Profile(server.base).apiclient.post("/display_name", {"displayName": "Gone"}, auth=BearerTokenAuth(token))
    webhook.wait_for(1)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        rows = [json.loads(line) for line in fxa_cli("events", "list", "--json", "--status", "failed").stdout.splitlines()]
        if rows:
            break
        time.sleep(0.2)
    assert rows and rows[0]["last_status"] == 410 and "410" in rows[0]["last_error"]
    shown = json.loads(fxa_cli("client", "show", "--id", client["client_id"], "--json").stdout)
    assert not shown.get("webhook_url")

    requeued = fxa_cli("events", "retry", "--failed", "--client", client["client_id"])
    assert requeued.returncode == 0 and "queued 1 delivery again" in requeued.stdout
    assert fxa_cli("events", "retry").returncode != 0  # neither --id nor --failed
