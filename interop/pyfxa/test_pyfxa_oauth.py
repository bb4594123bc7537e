"""PyFxA 0.9's OAuth client, unchanged, against fxa-server: a session-
authorized code, trade_code with a client secret, PKCE for a public client
(authorize_token), verify_token and destroy_token; trade_code (which has no
redirect_uri argument) after an authorization that named one, and RFC 7009
revocation of a refresh token taking its access tokens with it."""
import json

import pytest
import requests
from fxa.core import Client
from fxa.errors import ClientError
from fxa.oauth import Client as OAuth
from fxa.profile import Client as Profile

from pyfxa_support import (REDIRECT_URI, authorization_code, errno_of, new_email, oauth_client, offline_tokens, refresh,
                           register_client, sign_in)

PASSWORD = "correct horse battery"


@pytest.fixture
def setup(start_server, fxa_cli):
    def register(*flags):
        result = fxa_cli("client", "create", "--name", "PyFxA RP", "--redirect-uri", "https://rp.example/cb",
                         "--scope", "profile", "--scope", "openid", "--trusted", "--json", *flags)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    confidential, public, jwt = register(), register("--public"), register("--public", "--jwt-access-tokens")
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true"})
    core = Client(server.base + "/v1")
    email = new_email("oauth")
    core.create_account(email, PASSWORD)
    session = core.login(email, PASSWORD)
    return server, session, confidential, public, jwt


def test_code_for_a_confidential_client_then_verify_and_destroy(setup):
    server, session, confidential, _, _ = setup
    oauth = OAuth(client_id=confidential["client_id"], client_secret=confidential["client_secret"],
                  server_url=server.base + "/v1")
    code = oauth.authorize_code(session, scope="profile")
    tokens = oauth.trade_code(code)
    assert tokens["token_type"] == "bearer" and tokens["scope"] == "profile"
    info = oauth.verify_token(tokens["access_token"], scope="profile")
    assert info["user"] == session.uid
    assert info["client_id"] == confidential["client_id"]
    # A code is single-use, and its replay revokes what it issued (RFC 6749 §4.1.2).
    with pytest.raises(ClientError):
        oauth.trade_code(code)
    fresh = OAuth(server_url=server.base + "/v1", cache=None)
    with pytest.raises(ClientError):
        fresh.verify_token(tokens["access_token"])

    second = oauth.trade_code(oauth.authorize_code(session, scope="profile"))["access_token"]
    assert fresh.verify_token(second)["user"] == session.uid
    oauth.destroy_token(second)
    with pytest.raises(ClientError):
        fresh.verify_token(second)


def test_pkce_for_a_public_client(setup):
    server, session, _, public, _ = setup
    oauth = OAuth(client_id=public["client_id"], server_url=server.base + "/v1", cache=None)
    token = oauth.authorize_token(session, scope="profile openid")
    info = oauth.verify_token(token, scope="profile")
    assert info["user"] == session.uid
    assert sorted(info["scope"]) == ["openid", "profile"]
    with pytest.raises(ClientError):
        oauth.authorize_code(session, scope="profile")  # no PKCE: errno 118


def test_jwt_access_tokens_verify_locally_against_the_jwks(setup):
    server, session, _, _, jwt_client = setup
    oauth = OAuth(client_id=jwt_client["client_id"], server_url=server.base + "/v1", cache=None)
    token = oauth.authorize_token(session, scope="profile")
    assert token.count(".") == 2  # a JWT, verified by PyFxA itself with /v1/jwks
    info = oauth.verify_token(token, scope="profile")
    assert info["user"] == session.uid
    assert info["client_id"] == jwt_client["client_id"]


def test_get_redirect_url_leads_to_the_sign_in_page(setup):
    """PyFxA builds `<server>/v1/authorization?...` (no entrypoint, no
    response_type); fxa-server forwards it to the sign-in page, which
    carries the state and PKCE challenge on to the code request."""
    import re
    import requests

    server, _, _, public, _ = setup
    oauth = OAuth(client_id=public["client_id"], server_url=server.base + "/v1", cache=None)
    pkce, _ = oauth.generate_pkce_challenge()
    url = oauth.get_redirect_url(state="pyfxa-state", scope="profile", action="email", email="someone@example.test",
                                 access_type="offline", **pkce)
    assert url.startswith(server.base + "/v1/authorization?")
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and page.url.startswith(server.base + "/authorization?")
    data = json.loads(re.search(r'id="authorization-request">(.*?)</script>', page.text).group(1))
    assert data["state"] == "pyfxa-state" and data["codeChallenge"] == pkce["code_challenge"]
    assert data["email"] == "someone@example.test" and data["accessType"] == "offline"


OTHER_REDIRECT_URI = "https://rp.example/other"


@pytest.fixture
def public_rp(start_server, fxa_cli):
    """A public client with one redirect URI, one with two, and a session."""
    public = register_client(fxa_cli, "Public RP", "--public")
    two_uris = register_client(fxa_cli, "Two-URI RP", "--public", "--redirect-uri", OTHER_REDIRECT_URI)
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true"})
    _, _, session = sign_in(server, "public-rp", PASSWORD)
    return server, session, public, two_uris


def test_trade_code_without_redirect_uri_after_an_authorization_that_named_one(public_rp):
    """RFC 6749 §4.1.3 asks for redirect_uri at the token endpoint only to
    match one the authorization carried; FxA never requires it, and PyFxA's
    trade_code cannot send it."""
    server, session, _, public = public_rp
    oauth = oauth_client(server, public)
    challenge, verifier = oauth.generate_pkce_challenge()
    code = authorization_code(server, session, public, "profile", redirect_uri=OTHER_REDIRECT_URI, **challenge)
    tokens = oauth.trade_code(code, **verifier)
    assert oauth.verify_token(tokens["access_token"], scope="profile")["user"] == session.uid


def test_a_token_request_naming_another_redirect_uri_is_invalid_grant(public_rp):
    """Both URIs are registered: only the code's binding to the one the
    authorization named can refuse this exchange."""
    server, session, _, public = public_rp
    oauth = oauth_client(server, public)
    challenge, verifier = oauth.generate_pkce_challenge()
    code = authorization_code(server, session, public, "profile", redirect_uri=REDIRECT_URI, **challenge)
    answer = requests.post(server.base + "/v1/token", data={
        "grant_type": "authorization_code", "code": code, "client_id": public["client_id"],
        "redirect_uri": OTHER_REDIRECT_URI, **verifier}, timeout=10)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "invalid_grant" and answer.json()["errno"] == 103, answer.text


def test_revoking_a_refresh_token_ends_the_access_tokens_of_its_grant(public_rp):
    """RFC 7009 §2.1: revoking a refresh token should also invalidate the
    access tokens of the same grant: the one issued beside it by the code
    exchange, and those minted from it by refresh."""
    server, session, public, _ = public_rp
    tokens = offline_tokens(server, public, session)
    minted = refresh(server, public, tokens["refresh_token"])["access_token"]
    profile = Profile(server.base)
    for access in (tokens["access_token"], minted):
        assert profile.get_uid(access) == session.uid

    revoked = requests.post(server.base + "/v1/oauth/destroy", data={
        "token": tokens["refresh_token"], "token_type_hint": "refresh_token", "client_id": public["client_id"]}, timeout=10)
    assert revoked.status_code == 200, revoked.text
    for access in (tokens["access_token"], minted):
        with pytest.raises(ClientError) as ended:
            profile.get_uid(access)
        assert ended.value.details["code"] == 401, ended.value.details
    with pytest.raises(ClientError) as refreshed:
        refresh(server, public, tokens["refresh_token"])
    assert errno_of(refreshed) == 108
