"""Helpers the PyFxA suites share: a server with generous rate limits, the
development mailbox read over its restmail API, unique addresses."""
import secrets
import time

import pytest
import requests


def new_email(prefix="pyfxa"):
    return f"{prefix}-{secrets.token_hex(5)}@example.test"


def mail_header(server, email, header, timeout=15.0):
    """The newest value of `header` in the restmail box of `email`."""
    box = email.split("@")[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in requests.get(f"{server.base}/mail/{box}", timeout=5).json():
            if header in message["headers"]:
                return message["headers"][header]
        time.sleep(0.1)
    raise AssertionError(f"no mail with {header} for {email} after {timeout}s")


def clear_mail(server, email):
    requests.delete(f"{server.base}/mail/{email.split('@')[0]}", timeout=5)


def errno_of(excinfo):
    return excinfo.value.details.get("errno") if hasattr(excinfo.value, "details") else None


def credentials_version(server, email):
    response = requests.post(f"{server.base}/v1/account/credentials/status", json={"email": email}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["currentVersion"]


@pytest.fixture
def server(start_server):
    # One test IP makes every request: the per-IP limit would throttle a suite.
    return start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_LOG_LEVEL": "warning"})


def register_client(fxa_cli, name, *flags, scopes=("profile", "profile:write")):
    """A trusted confidential client registered through the operator CLI."""
    import json

    scope_flags = [flag for scope in scopes for flag in ("--scope", scope)]
    created = fxa_cli("client", "create", "--name", name, "--redirect-uri", "https://rp.example/cb", *scope_flags,
                      "--trusted", "--json", *flags)
    assert created.returncode == 0, created.stderr
    return json.loads(created.stdout)


def sign_in(server, prefix, password="correct horse battery"):
    """A new verified account (the server auto-verifies) and a PyFxA session for it."""
    from fxa.core import Client

    email = new_email(prefix)
    core = Client(server.base + "/v1")
    core.create_account(email, password)
    return email, core, core.login(email, password)


def access_token(server, client, session, scope):
    """An access token for `client` through PyFxA's session-authorized code flow."""
    from fxa.oauth import Client as OAuth

    oauth = OAuth(client_id=client["client_id"], client_secret=client["client_secret"],
                  server_url=server.base + "/v1", cache=None)
    return oauth.trade_code(oauth.authorize_code(session, scope=scope))["access_token"]
