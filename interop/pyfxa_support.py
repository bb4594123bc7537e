"""Helpers the PyFxA suites share: a server with generous rate limits, the
development mailbox read over its restmail API, unique addresses, and the
OAuth grants an RP gets through PyFxA's own client and transport."""
import secrets
import time
from urllib.parse import parse_qs, urlparse

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


REDIRECT_URI = "https://rp.example/cb"


def register_client(fxa_cli, name, *flags, scopes=("profile", "profile:write")):
    """A trusted confidential client registered through the operator CLI
    (`--public` in `flags` for a public one, `--redirect-uri` for more URIs)."""
    import json

    scope_flags = [flag for scope in scopes for flag in ("--scope", scope)]
    created = fxa_cli("client", "create", "--name", name, "--redirect-uri", REDIRECT_URI, *scope_flags,
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
    oauth = oauth_client(server, client)
    return oauth.trade_code(oauth.authorize_code(session, scope=scope))["access_token"]


def oauth_client(server, client):
    """PyFxA's OAuth client for a registered client (public: no secret)."""
    from fxa.oauth import Client as OAuth

    return OAuth(client_id=client["client_id"], client_secret=client.get("client_secret"),
                 server_url=server.base + "/v1", cache=None)


def authorization_code(server, session, client, scope, **extra):
    """PyFxA's `authorize_code` request, POST /v1/oauth/authorization with the
    session's Bearer `fxs_`, through PyFxA's own transport, with what the
    method has no argument for (`access_type`, `redirect_uri`) added to the
    same body, as an RP that follows FxA's docs sends it. Returns the code."""
    from fxa._utils import FxATokenBearerAuth

    state = secrets.token_urlsafe(24)
    body = {"client_id": client["client_id"], "state": state, "scope": scope, **extra}
    answer = oauth_client(server, client).apiclient.post(
        "/oauth/authorization", body, auth=FxATokenBearerAuth(session.token, "sessionToken"))
    query = parse_qs(urlparse(answer["redirect"]).query)
    assert query["state"] == [state], answer
    return query["code"][0]


def offline_tokens(server, client, session, scope="profile"):
    """An access and a refresh token (`access_type=offline`) from one code
    exchange: PKCE S256 with PyFxA's generator, then PyFxA's `trade_code`
    with the verifier (and the secret, for a confidential client)."""
    oauth = oauth_client(server, client)
    challenge, verifier = oauth.generate_pkce_challenge()
    code = authorization_code(server, session, client, scope, access_type="offline", **challenge)
    tokens = oauth.trade_code(code, **verifier)
    assert tokens.get("refresh_token"), tokens
    return tokens


def refresh(server, client, refresh_token):
    """grant_type=refresh_token at /v1/token through PyFxA's transport:
    the new token response, or `fxa.errors.ClientError`."""
    body = {"grant_type": "refresh_token", "client_id": client["client_id"], "refresh_token": refresh_token}
    if client.get("client_secret"):
        body["client_secret"] = client["client_secret"]
    return oauth_client(server, client).apiclient.post("/token", body)


def reset_password(server, core, email, password):
    """PyFxA 0.9's forgot-password flow: the emailed one-time code, the
    account reset token it buys, and /account/reset with `password`."""
    clear_mail(server, email)
    forgot = core.send_reset_code(email)
    reset_token = forgot.verify_code(mail_header(server, email, "x-password-forgot-otp"))
    core.reset_account(email, reset_token, password=password)
