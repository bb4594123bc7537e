"""A standard OIDC relying party (Authlib) against fxa-server: everything
found through discovery, the user signed in by a real Chromium on the
server's own page (password stretched in the browser, emailed code,
consent), code + PKCE exchanged, and the ID token validated against the
JWKS by two independent JOSE libraries. Also the request forms OIDC Core
allows (POSTed authorization requests and userinfo calls), the
authorization requests RFC 6749 and OIDC Core say to refuse, and where, and
an RP written the FxA way (PyFxA) finishing a browser sign-in."""
import hashlib
import base64
import json
import re
from urllib.parse import parse_qs, parse_qsl, urlencode, urlparse

import jwt as pyjwt
import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

from browser import Callback, Page, chromium
from pyfxa_support import mail_header, new_email

PASSWORD = "a long enough password"


@pytest.fixture
def provider(start_server, fxa_cli, callback):
    """A server with an untrusted confidential client and a trusted public one."""
    def register(*flags):
        result = fxa_cli("client", "create", "--name", "Authlib RP", "--redirect-uri", callback.uri,
                         "--scope", "openid", "--scope", "profile:email", "--json", *flags)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    confidential, public = register(), register("--public", "--trusted")
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0"})
    meta = requests.get(server.base + "/.well-known/openid-configuration", timeout=10).json()
    return server, meta, confidential, public


def at_hash(access_token):
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def validate_id_token(meta, client_id, token, nonce):
    """Checks signature, iss, aud, exp, nonce and at_hash with joserfc, then
    the signature and registered claims again with PyJWT's JWKS client."""
    keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    decoded = jwt.decode(token["id_token"], keys, algorithms=meta["id_token_signing_alg_values_supported"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": meta["issuer"]}, aud={"essential": True, "value": client_id},
        sub={"essential": True}, exp={"essential": True}, nonce={"essential": True, "value": nonce},
    ).validate(decoded.claims)
    assert decoded.claims["at_hash"] == at_hash(token["access_token"])
    signing_key = pyjwt.PyJWKClient(meta["jwks_uri"]).get_signing_key_from_jwt(token["id_token"])
    claims = pyjwt.decode(token["id_token"], signing_key.key, algorithms=["RS256"], audience=client_id,
                          issuer=meta["issuer"], options={"require": ["exp", "iat", "sub", "aud", "iss"]})
    assert claims["sub"] == decoded.claims["sub"]
    return claims


def sign_up_in_browser(browser, server, auth_url, email, consent=True, prefilled=False):
    """The user's side: email first, new password, emailed code, consent
    (`consent=False` stops at the consent step or where there is none)."""
    page = Page(browser)
    browser.get(auth_url)
    if prefilled:
        assert page.visible("email").get_attribute("value") == email
    page.sign_up(email, PASSWORD, lambda: mail_header(server, email, "x-verify-short-code"))
    if consent:
        assert "See your email address" in page.visible("consent").text
        page.submit("consent")
    return page


def test_discovery_code_pkce_and_id_token_for_a_confidential_client(provider, browser, callback):
    server, meta, client, _ = provider
    assert meta["issuer"] == server.base
    assert "S256" in meta["code_challenge_methods_supported"]
    session = OAuth2Session(client["client_id"], client["client_secret"], scope="openid profile:email",
                            redirect_uri=callback.uri, code_challenge_method="S256",
                            token_endpoint_auth_method="client_secret_basic")
    verifier, nonce = generate_token(48), generate_token(20)
    auth_url, state = session.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)

    page = sign_up_in_browser(browser, server, auth_url, new_email("authlib"))
    returned = page.wait_for_url(callback.uri)
    assert parse_qs(urlparse(returned).query)["state"] == [state]

    token = session.fetch_token(meta["token_endpoint"], authorization_response=returned, code_verifier=verifier)
    assert token["token_type"].lower() == "bearer" and set(token["scope"].split()) == {"openid", "profile:email"}
    claims = validate_id_token(meta, client["client_id"], token, nonce)
    assert re.fullmatch(r"[0-9a-f]{32}", claims["sub"])

    # OIDC userinfo, found by discovery, with the session's Bearer token:
    # the same subject, and only what the scopes grant.
    userinfo = session.get(meta["userinfo_endpoint"], timeout=10)
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json()["sub"] == claims["sub"] and set(userinfo.json()) == {"sub", "email"}

    # The code is single-use: a replay fails and revokes what it issued.
    with pytest.raises(Exception):
        session.fetch_token(meta["token_endpoint"], authorization_response=returned, code_verifier=verifier)
    introspected = requests.post(meta["introspection_endpoint"], data={"token": token["access_token"]}, timeout=10).json()
    assert introspected["active"] is False


def test_public_client_signs_in_an_existing_user_refreshes_and_signs_out(provider, browser, callback):
    server, meta, _, public = provider
    email = new_email("authlib-public")
    # A first visit creates the account ...
    first = OAuth2Session(public["client_id"], None, scope="openid", redirect_uri=callback.uri,
                          code_challenge_method="S256", token_endpoint_auth_method="none")
    url, _ = first.create_authorization_url(meta["authorization_endpoint"], code_verifier=generate_token(48))
    sign_up_in_browser(browser, server, url, email, consent=False).wait_for_url(callback.uri)

    # ... and the second signs in with the password (trusted: no consent).
    browser.delete_all_cookies()
    session = OAuth2Session(public["client_id"], None, scope="openid profile:email", redirect_uri=callback.uri,
                            code_challenge_method="S256", token_endpoint_auth_method="none")
    verifier, nonce = generate_token(64), generate_token(16)
    url, state = session.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce,
                                                  login_hint=email, prompt="login", access_type="offline")
    page = Page(browser)
    browser.get(url)
    assert page.visible("email").get_attribute("value") == email
    page.submit("email-form")
    assert page.visible("password-intro").text == "Enter your password."
    page.fill("password", "not the password")
    page.submit("password-form")
    page.wait.until(lambda _: "That password is not right" in page.message())
    page.fill("password", PASSWORD)
    page.submit("password-form")
    returned = page.wait_for_url(callback.uri)

    token = session.fetch_token(meta["token_endpoint"], authorization_response=returned, code_verifier=verifier)
    validate_id_token(meta, public["client_id"], token, nonce)
    assert "refresh_token" in token, "access_type=offline gives a refresh token"

    # Authlib's refresh: a new access token, narrowed, never carrying openid.
    refreshed = session.refresh_token(meta["token_endpoint"], refresh_token=token["refresh_token"], scope="profile:email")
    assert refreshed["access_token"] != token["access_token"] and refreshed["scope"] == "profile:email"
    assert "id_token" not in refreshed

    # Sign-out: revoking the refresh token kills it and the access token it minted.
    session.revoke_token(meta["revocation_endpoint"], token["access_token"], token_type_hint="access_token")
    session.revoke_token(meta["revocation_endpoint"], token["refresh_token"], token_type_hint="refresh_token")
    for dead in (token["access_token"], refreshed["access_token"]):
        introspected = requests.post(meta["introspection_endpoint"], data={"token": dead}, timeout=10).json()
        assert introspected["active"] is False


def test_email_first_flow_keeps_the_metrics_flow_and_cancel_returns_access_denied(provider, browser, callback):
    server, meta, client, _ = provider
    flow = requests.get(server.base + "/metrics-flow", params={
        "entrypoint": "rp-email-form", "form_type": "email", "utm_source": "rp", "utm_campaign": "autumn"}, timeout=10).json()
    email = new_email("flow")
    params = {"client_id": client["client_id"], "scope": "profile:email", "state": "flow-state", "entrypoint": "rp-email-form",
              "action": "email", "email": email, "flow_id": flow["flowId"], "flow_begin_time": flow["flowBeginTime"],
              "utm_source": "rp", "utm_campaign": "autumn"}
    page = sign_up_in_browser(browser, server, server.base + "/authorization?" + requests.compat.urlencode(params), email,
                              consent=False, prefilled=True)
    page.visible("deny").click()
    returned = parse_qs(urlparse(page.wait_for_url(callback.uri)).query)
    assert returned["error"] == ["access_denied"] and returned["state"] == ["flow-state"]
    assert flow["flowId"] in server.log(), "the verified flow id is logged with the authorization"

    forged = dict(params, flow_id=flow["flowId"][:-1] + ("0" if flow["flowId"][-1] != "0" else "1"))
    assert requests.get(server.base + "/authorization", params=forged, timeout=10).status_code == 200
    assert "flow id dropped" in server.log()


def test_invalid_requests_are_refused_where_rfc_6749_says(provider, callback):
    server, meta, client, _ = provider
    base = {"client_id": client["client_id"], "scope": "openid", "state": "s1", "response_type": "code"}
    unknown = requests.get(meta["authorization_endpoint"], params=dict(base, client_id="0" * 16), allow_redirects=False, timeout=10)
    assert unknown.status_code == 400 and "location" not in unknown.headers and "text/html" in unknown.headers["content-type"]
    evil = requests.get(meta["authorization_endpoint"], params=dict(base, redirect_uri="https://evil.example/cb"),
                        allow_redirects=False, timeout=10)
    assert evil.status_code == 400 and "location" not in evil.headers
    bad_scope = requests.get(meta["authorization_endpoint"], params=dict(base, scope="openid profile"),
                             allow_redirects=False, timeout=10)
    location = bad_scope.headers["location"]
    assert location.startswith(callback.uri) and parse_qs(urlparse(location).query)["error"] == ["invalid_scope"]


def test_post_forms_at_the_authorization_and_userinfo_endpoints(provider, browser, callback):
    """OIDC Core §3.1.2.1: the authorization endpoint takes the request as
    an application/x-www-form-urlencoded POST too (here the RP's page posts
    it as a form on load); §5.3.1: userinfo answers POST as it answers GET."""
    server, meta, client, _ = provider
    session = OAuth2Session(client["client_id"], client["client_secret"], scope="openid profile:email",
                            redirect_uri=callback.uri, code_challenge_method="S256",
                            token_endpoint_auth_method="client_secret_basic")
    verifier, nonce = generate_token(48), generate_token(20)
    auth_url, state = session.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    rp_page = callback.serve_auto_post("/sign-in", meta["authorization_endpoint"], dict(parse_qsl(urlparse(auth_url).query)))

    page = sign_up_in_browser(browser, server, rp_page, new_email("form-post"))
    returned = page.wait_for_url(callback.uri)
    assert parse_qs(urlparse(returned).query)["state"] == [state]
    token = session.fetch_token(meta["token_endpoint"], authorization_response=returned, code_verifier=verifier)
    claims = validate_id_token(meta, client["client_id"], token, nonce)

    got = session.get(meta["userinfo_endpoint"], timeout=10)
    posted = session.post(meta["userinfo_endpoint"], timeout=10)
    assert got.status_code == 200 and posted.status_code == 200, posted.text
    assert posted.json() == got.json() and posted.json()["sub"] == claims["sub"]


def test_pyfxa_trades_the_code_of_a_browser_sign_in_that_named_its_redirect_uri(provider, browser, callback):
    """PyFxA's get_redirect_url names the redirect_uri; its trade_code has no
    such argument, so the token request cannot repeat it (FxA never asks it to)."""
    from fxa.oauth import Client as OAuth
    from fxa.profile import Client as Profile

    server, _, _, public = provider
    oauth = OAuth(client_id=public["client_id"], server_url=server.base + "/v1", cache=None)
    challenge, verifier = oauth.generate_pkce_challenge()
    url = oauth.get_redirect_url(state="pyfxa-rp", redirect_uri=callback.uri, scope="profile:email", **challenge)
    email = new_email("pyfxa-rp")
    returned = sign_up_in_browser(browser, server, url, email, consent=False).wait_for_url(callback.uri)
    query = parse_qs(urlparse(returned).query)
    assert query["state"] == ["pyfxa-rp"]
    tokens = oauth.trade_code(query["code"][0], **verifier)
    assert Profile(server.base).get_email(tokens["access_token"]) == email


def authorize(meta, pairs):
    """GET the authorization endpoint with exactly these query pairs
    (repeats kept), without following a redirect."""
    return requests.get(meta["authorization_endpoint"] + "?" + urlencode(pairs), allow_redirects=False, timeout=10)


def redirected_error(answer, callback):
    """The `error` of a redirect to the registered redirect URI."""
    assert answer.status_code in (302, 303), (answer.status_code, answer.text)
    location = answer.headers["location"]
    assert location.startswith(callback.uri + "?"), location
    return parse_qs(urlparse(location).query)["error"]


def valid_pairs(client, callback):
    return [("client_id", client["client_id"]), ("redirect_uri", callback.uri), ("response_type", "code"),
            ("scope", "openid"), ("state", "s1")]


@pytest.mark.parametrize("repeated", ["client_id", "redirect_uri"])
def test_a_repeated_client_id_or_redirect_uri_is_shown_here_never_redirected(provider, callback, repeated):
    """RFC 6749 §3.1: no parameter may be sent twice, even with one value.
    While the client or its redirect URI is in doubt, §4.1.2.1 forbids a
    redirect: an error page, no Location."""
    _, meta, client, _ = provider
    pairs = valid_pairs(client, callback)
    answer = authorize(meta, pairs + [(repeated, dict(pairs)[repeated])])
    assert answer.status_code == 400 and "location" not in answer.headers, (answer.status_code, answer.headers)


def test_a_repeated_state_is_redirected_as_invalid_request(provider, callback):
    _, meta, client, _ = provider
    assert authorize(meta, valid_pairs(client, callback)).status_code == 200  # control: sent once
    repeated = valid_pairs(client, callback) + [("state", "s1")]
    assert redirected_error(authorize(meta, repeated), callback) == ["invalid_request"]


@pytest.mark.parametrize("name, value, error", [
    ("request", "eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9.", "request_not_supported"),
    ("request_uri", "https://rp.example/request.jwt", "request_uri_not_supported"),
], ids=["request", "request_uri"])
def test_request_objects_are_refused_with_their_oidc_errors(provider, callback, name, value, error):
    """OIDC Core §6: a server that does not support request objects says so
    with these error codes, at the redirect URI."""
    _, meta, client, _ = provider
    assert redirected_error(authorize(meta, valid_pairs(client, callback) + [(name, value)]), callback) == [error]


def test_a_client_with_two_redirect_uris_must_name_one(start_server, fxa_cli, callback):
    """With more than one registered, which one the user would go back to
    is in doubt (RFC 6749 §3.1.2.3): an error page, no redirect."""
    result = fxa_cli("client", "create", "--name", "Two-URI RP", "--redirect-uri", callback.uri,
                     "--redirect-uri", "https://rp.example/cb", "--scope", "openid", "--json")
    assert result.returncode == 0, result.stderr
    client = json.loads(result.stdout)
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0"})
    meta = requests.get(server.base + "/.well-known/openid-configuration", timeout=10).json()
    pairs = valid_pairs(client, callback)
    assert authorize(meta, pairs).status_code == 200  # control: naming one of them
    answer = authorize(meta, [pair for pair in pairs if pair[0] != "redirect_uri"])
    assert answer.status_code == 400 and "location" not in answer.headers, (answer.status_code, answer.headers)
