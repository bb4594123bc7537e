"""The example relying party (fxa-notes-example, built on FxAClient) signs
users in through django-oauth-toolkit, an OpenID Connect provider nobody
here wrote: discovery at the issuer, authorization code + PKCE (S256) with
a confidential and with a public client, the ID token checked against DOT's
JWKS, userinfo read, and the app's own session. Shows FxAClient is not tied
to fxa-server.

The app is configured by its environment only (see NotesApp). The module is
skipped when the binary is missing, unless FXA_NOTES_BIN names it (as
.ci/run does): then a missing binary is an error.
"""
import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from dot_support import PROBE_REDIRECT, Browser, code_flow, notes_binary, query_of, through_provider

if not Path(notes_binary()).exists():
    if os.environ.get("FXA_NOTES_BIN"):
        raise RuntimeError(f"FXA_NOTES_BIN={notes_binary()} does not exist")
    pytest.skip(f"fxa-notes-example not built at {notes_binary()} "
                "(`swift build --product fxa-notes-example`, or set FXA_NOTES_BIN)", allow_module_level=True)

SCOPES = {"openid", "profile", "email"}


def subject_at_dot(dot, user):
    """The `sub` DOT gives `user`, read from its userinfo endpoint with a
    token minted here through a client of our own."""
    token, _, _ = code_flow(dot, dot.add_client(PROBE_REDIRECT, name="probe"), user, browser=Browser())
    userinfo = requests.get(dot.metadata["userinfo_endpoint"], timeout=10,
                            headers={"Authorization": "Bearer " + token["access_token"]})
    assert userinfo.status_code == 200, userinfo.text
    return userinfo.json()["sub"]


def begin_login(browser, app, dot, client):
    """GET /auth/login: a redirect to DOT's authorization endpoint (from
    discovery) asking for code + PKCE S256. Returns the URL."""
    response = browser.get(app.base + "/auth/login")
    assert response.is_redirect, f"/auth/login: {response.status_code} {response.text[:500]}"
    url = urljoin(response.url, response.headers["location"])
    assert urlsplit(url)._replace(query="").geturl() == dot.metadata["authorization_endpoint"], url
    params = query_of(url)
    assert params["response_type"] == "code" and params["client_id"] == client["client_id"], params
    assert params["redirect_uri"] == app.callback, params
    assert set(params["scope"].split()) == SCOPES, params
    assert params.get("state") and params.get("nonce"), params
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43, params
    return url


def sign_in(browser, app, dot, client, user, consent=None):
    """The whole browser side: app login, DOT's login form (and consent
    form), the app's callback. Returns the callback URL DOT sent."""
    callback, _ = through_provider(browser, begin_login(browser, app, dot, client), app.callback, user, consent=consent)
    assert "code" in query_of(callback), callback
    finished = browser.get(callback)
    assert finished.status_code in (302, 303), f"callback: {finished.status_code} {finished.text[:1000]}"
    assert urljoin(callback, finished.headers["location"]) == app.base + "/", finished.headers["location"]
    return callback


def assert_refused(response, what):
    assert 400 <= response.status_code < 500, f"{what}: {response.status_code} {response.headers} {response.text[:500]}"


def assert_signed_in_as(app, browser, dot, user):
    me = app.me(browser)
    assert me.status_code == 200, f"/api/me: {me.status_code} {me.text[:500]}"
    body = me.json()
    assert body["uid"] == subject_at_dot(dot, user), body
    assert body["email"] == user.email and body["display_name"] == user.get_full_name(), body


def assert_signed_out(app, browser):
    me = app.me(browser)
    assert me.status_code == 401, f"/api/me: {me.status_code} {me.text[:500]}"


def test_confidential_client_signs_in_with_pkce_and_signs_out(dot, start_notes):
    app, client = start_notes()
    alice = dot.add_user("alice", "Alice", "Liddell")
    browser = Browser()
    assert_signed_out(app, browser)

    sign_in(browser, app, dot, client, alice)  # no consent page: DOT skips it for this client
    assert_signed_in_as(app, browser, dot, alice)

    # A sign-out posted without the page's CSRF token (a cross-site form) is refused.
    forged = browser.post(app.base + "/auth/logout")
    assert forged.status_code == 403, f"forged logout: {forged.status_code} {forged.text[:300]}"
    assert_signed_in_as(app, browser, dot, alice)

    out = app.logout(browser)
    assert out.status_code < 400, f"logout: {out.status_code} {out.text[:500]}"
    assert_signed_out(app, browser)


def test_public_client_with_pkce_only_after_the_consent_page(dot, start_notes):
    app, client = start_notes(public=True)
    assert client["client_secret"] is None  # the app runs without FXA_CLIENT_SECRET
    bob = dot.add_user("bob", "Bob", "Builder")
    browser = Browser()

    sign_in(browser, app, dot, client, bob, consent="allow")
    assert_signed_in_as(app, browser, dot, bob)


def test_denied_consent_signs_nobody_in(dot, start_notes):
    app, client = start_notes(public=True)
    carol = dot.add_user("carol", "Carol", "Denier")
    browser = Browser()
    callback, _ = through_provider(browser, begin_login(browser, app, dot, client), app.callback, carol, consent="deny")
    assert query_of(callback)["error"] == "access_denied"
    answer = browser.get(callback)
    assert answer.status_code == 403, f"callback with error: {answer.status_code} {answer.text[:500]}"
    assert_signed_out(app, browser)


def test_tampered_state_is_refused(dot, start_notes):
    app, client = start_notes()
    dave = dot.add_user("dave", "Dave", "Tamper")
    browser = Browser()
    callback, _ = through_provider(browser, begin_login(browser, app, dot, client), app.callback, dave)
    params = query_of(callback)
    state = params["state"]
    tampered = state[:-1] + ("A" if state[-1] != "A" else "B")
    answer = browser.get(app.callback + "?" + requests.compat.urlencode(dict(params, state=tampered)))
    assert_refused(answer, "callback with a tampered state")
    assert_signed_out(app, browser)


def test_a_callback_url_works_once(dot, start_notes):
    app, client = start_notes()
    erin = dot.add_user("erin", "Erin", "Replay")
    browser = Browser()
    callback = sign_in(browser, app, dot, client, erin)
    assert_signed_in_as(app, browser, dot, erin)

    # Replayed in the same browser, in another one (the URL leaked), and
    # after signing out: refused each time, nobody signed in by it.
    assert_refused(browser.get(callback), "replayed callback, same browser")
    other = Browser()
    assert_refused(other.get(callback), "replayed callback, another browser")
    assert_signed_out(app, other)
    assert app.logout(browser).status_code < 400
    assert_refused(browser.get(callback), "replayed callback after sign-out")
    assert_signed_out(app, browser)
