"""Firefox itself signs in to fxa-server: Debian's firefox-esr, headless,
configured only by prefs (autoconfig to the server's origin), builds its
own sign-in URL (`context=oauth_webchannel_v1`, its OAuth client, PKCE and
keys_jwk), the user signs up on the server's page (choosing what to sync),
and Firefox ends up signed in with Sync: verified account, Sync key,
services.sync.username, the declined engines off, the toolbar's signed-in
state. A wrong password leaves Firefox signed out. Firefox then registers
its device with Send Tab keys, and one Firefox sends a tab to another.

Firefox's side of the protocol is described in docs FIREFOX.md; the
support module is firefox.py next to this file."""
import base64
import hashlib
import hmac
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from marionette_driver.by import By

from firefox import OLDSYNC, wait_for
from pyfxa_support import mail_header, new_email

PASSWORD = "a long enough password"
FIREFOX_CLIENT_ID = "5882386c6d801776"
SEND_TAB = "https://identity.mozilla.com/cmd/open-uri"


# The server's API, as a second client of the same account (no PyFxA here).

def _hkdf(ikm: bytes, info: str, length: int = 32) -> bytes:
    prk = hmac.new(b"\0" * 32, ikm, hashlib.sha256).digest()
    okm, block = b"", b""
    for counter in range(1, -(-length // 32) + 1):
        block = hmac.new(prk, block + info.encode() + bytes([counter]), hashlib.sha256).digest()
        okm += block
    return okm[:length]


def auth_pw(email: str, password: str) -> str:
    """onepw v1: PBKDF2-SHA256 (1000 rounds, salted with the email), then HKDF "authPW"."""
    stretched = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), b"identity.mozilla.com/picl/v1/quickStretch:" + email.encode(), 1000, 32)
    return _hkdf(stretched, "identity.mozilla.com/picl/v1/authPW").hex()


def session_bearer(session_token_hex: str) -> dict:
    """`Authorization: Bearer fxs_<token id>` for a session token."""
    token_id = _hkdf(bytes.fromhex(session_token_hex), "identity.mozilla.com/picl/v1/sessionToken").hex()
    return {"Authorization": "Bearer fxs_" + token_id}


def create_verified_account(server, email, password):
    """An account made through the API and confirmed with the mailed code."""
    created = requests.post(server.base + "/v1/account/create", timeout=30,
                            json={"email": email, "authPW": auth_pw(email, password)})
    assert created.status_code == 200, created.text
    verified = requests.post(server.base + "/v1/recovery_email/verify_code", timeout=10, json={
        "uid": created.json()["uid"], "code": mail_header(server, email, "x-verify-code")})
    assert verified.status_code == 200, verified.text
    return created.json()["uid"]


def server_devices(server, email, password):
    """The account's devices as the server lists them, seen from a session
    of the test's own (which registers no device, so Firefox's entry has
    isCurrentDevice false)."""
    login = requests.post(server.base + "/v1/account/login", timeout=30,
                          json={"email": email, "authPW": auth_pw(email, password)})
    assert login.status_code == 200, login.text
    headers = session_bearer(login.json()["sessionToken"])
    try:
        devices = requests.get(server.base + "/v1/account/devices", headers=headers, timeout=10)
        assert devices.status_code == 200, devices.text
        return devices.json()
    finally:
        requests.post(server.base + "/v1/session/destroy", json={}, headers=headers, timeout=10)


def b64url_json(value):
    return json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))


def assert_signed_out(state):
    assert state["user"] is None, state
    assert state["status"] == "not_configured", state
    assert state["fxastatus"] == "not_configured", state
    assert not state["has_sync_keys"] and not state["sync_username"], state
    assert state["device_id"] is None, state


def test_harness_two_firefoxes_build_their_sign_in_url_from_autoconfig(server, firefox):
    """What works before the page exists: two Firefoxes side by side,
    Marionette in chrome and content, and autoconfig against
    /.well-known/fxa-client-configuration (without it no URL is built)."""
    began = time.monotonic()
    first, second = firefox(server.base), firefox(server.base)
    assert first.port != second.port

    for browser in (first, second):
        state = browser.state()
        assert_signed_out(state)
        assert state["remote_root"] == "https://accounts.firefox.com/", "no autoconfig before a sign-in"

    email = new_email("ff-harness")
    url = first.connect_url(email)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == server.base and parts.path == "/", url
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    assert query["context"] == "oauth_webchannel_v1"
    assert query["client_id"] == FIREFOX_CLIENT_ID
    assert query["email"] == email
    assert (query["action"], query["service"], query["response_type"], query["access_type"]) == (
        "email", "sync", "code", "offline")
    assert query["scope"].split() == [OLDSYNC, "profile"]
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) == 22
    jwk = b64url_json(query["keys_jwk"])
    assert (jwk["kty"], jwk["crv"]) == ("EC", "P-256") and "d" not in jwk

    # Autoconfig set Firefox's FxA root to exactly the server's origin,
    # which is what the WebChannel will trust.
    assert first.state()["remote_root"] == server.base
    assert "path=/.well-known/fxa-client-configuration" in server.log()

    # The second Firefox has its own OAuth flow.
    other = {name: values[0] for name, values in parse_qs(urlsplit(second.connect_url()).query).items()}
    assert "email" not in other
    assert other["state"] != query["state"] and other["keys_jwk"] != query["keys_jwk"]

    first.navigate(url)
    assert first.url == url
    assert_signed_out(first.state())
    assert_signed_out(second.state())
    print(f"starts: {first.start_seconds:.1f}s, {second.start_seconds:.1f}s; test body {time.monotonic() - began:.1f}s")


def open_sign_in(browser, email):
    """Firefox's "Sign in" with `email`: the URL Firefox builds, opened in its tab."""
    url = browser.connect_url(email)
    browser.navigate(url)
    return url


def enter_email(browser, email):
    browser.visible("email-form")
    browser.fill("email", email)
    browser.submit("email-form")
    browser.visible("password-form")


def sign_up_from_firefox(browser, server, email, password=PASSWORD, decline=("passwords",), shots=False):
    """A new account made on the server's page that Firefox opened, as a
    user makes it: email, password twice, the mailed code, then what to
    sync (every engine Firefox offered is ticked; `decline` unticks some).
    Returns Firefox's state once it is signed in with Sync. With `shots`,
    each step is saved by `Firefox.screenshot` (when $FXA_SCREENSHOTS is set)."""
    shoot = browser.screenshot if shots else (lambda name: None)
    open_sign_in(browser, email)
    browser.visible("email-form")
    shoot("01-email")
    enter_email(browser, email)
    assert browser.is_visible("confirm-row"), "no account yet: the page asks for the password twice"
    browser.fill("password", password)
    browser.fill("password-confirm", password)
    shoot("02-sign-up-password")
    browser.click("password-submit")
    browser.visible("code-form")
    shoot("03-code")
    browser.fill("code", mail_header(server, email, "x-verify-short-code"))
    browser.submit("code-form")

    browser.visible("sync-engines-form")
    shoot("04-choose-what-to-sync")
    for engine in decline:
        box = browser.marionette.find_element(By.CSS_SELECTOR, f"#sync-engines input[name=engine][value={engine}]")
        assert box.is_selected()
        box.click()
    browser.submit("sync-engines-form")
    return wait_for(lambda: browser.signed_in_with_sync(email), 60, 0.3, "Firefox signed in with Sync")


def sign_in_from_firefox(browser, email, password=PASSWORD):
    """An existing account signs in on the page Firefox opened."""
    open_sign_in(browser, email)
    enter_email(browser, email)
    assert not browser.is_visible("confirm-row"), "the account exists: sign-in, not sign-up"
    browser.fill("password", password)
    browser.click("password-submit")
    return wait_for(lambda: browser.signed_in_with_sync(email), 60, 0.3, "Firefox signed in with Sync")


def test_firefox_signs_up_and_is_signed_in_with_sync(server, firefox):
    began = time.monotonic()
    browser = firefox(server.base)
    email = new_email("ff-signup")

    state = sign_up_from_firefox(browser, server, email, decline=("passwords",), shots=True)
    assert state["user"]["verified"] and state["user"]["has_session_token"], state
    assert state["status"] == "signed_in" and state["fxastatus"] == "signedin", state
    assert state["has_sync_keys"] and state["sync_username"] == email, state
    assert state["remote_root"] == server.base
    browser.visible("firefox-done")
    assert browser.text("message") == ""
    browser.screenshot("05-done")

    # The engines the user declined on the page reached Firefox's Sync.
    assert browser.pref("services.sync.engine.passwords") is False
    assert browser.pref("services.sync.engine.bookmarks") is True

    # Firefox traded the code itself, with its PKCE verifier, and dropped
    # the refresh token it does not keep.
    log = server.log()
    assert "path=/v1/oauth/token" in log and "path=/v1/oauth/destroy" in log
    print(f"start {browser.start_seconds:.1f}s; sign-up to signed in with Sync {time.monotonic() - began:.1f}s")


def test_wrong_password_shows_the_error_and_firefox_stays_signed_out(server, firefox):
    email = new_email("ff-wrong")
    create_verified_account(server, email, PASSWORD)
    browser = firefox(server.base)

    open_sign_in(browser, email)
    enter_email(browser, email)
    assert not browser.is_visible("confirm-row"), "the account exists: sign-in, not sign-up"
    browser.fill("password", "not the password at all")
    browser.click("password-submit")

    message = wait_for(lambda: browser.text("message"), 20, 0.2, "the page's error")
    assert "password" in message.lower(), message
    assert browser.is_visible("password-form") and not browser.is_visible("code-form")
    browser.screenshot("06-wrong-password")
    time.sleep(1)  # nothing arrives late over the WebChannel
    state = browser.state()
    assert_signed_out(state)
    assert state["remote_root"] == server.base


def device_on_server(server, email, device_id):
    """Firefox's device as the server lists it, once it carries Send Tab keys."""
    for device in server_devices(server, email, PASSWORD):
        if device["id"] == device_id and SEND_TAB in (device.get("availableCommands") or {}):
            return device
    return None


def test_firefox_registers_its_device_with_send_tab_keys(server, firefox):
    browser = firefox(server.base)
    email = new_email("ff-device")
    sign_up_from_firefox(browser, server, email)

    # Firefox registers its device, then updates it with its Send Tab keys
    # (possible only once it holds the Sync key).
    device_id = wait_for(lambda: browser.state()["device_id"], 30, 0.3, "Firefox's device id")
    device = wait_for(lambda: device_on_server(server, email, device_id), 30, 0.5,
                      "Firefox's device with Send Tab keys on the server")
    assert device["type"] == "desktop" and device["name"], device
    assert device["isCurrentDevice"] is False, "listed from the test's own session"
    assert [d["id"] for d in server_devices(server, email, PASSWORD)] == [device_id], "one Firefox, one device"
    assert [d["id"] for d in browser.devices()] == [device_id], "Firefox's own device list"


def test_send_tab_between_two_firefoxes(server, firefox):
    sender, receiver = firefox(server.base), firefox(server.base)
    email = new_email("ff-sendtab")
    sign_up_from_firefox(sender, server, email)
    sign_in_from_firefox(receiver, email)
    receiver_id = wait_for(lambda: receiver.state()["device_id"], 30, 0.3, "the receiver's device id")
    wait_for(lambda: device_on_server(server, email, receiver_id), 30, 0.5, "the receiver's Send Tab keys")

    url = server.base + "/__lbheartbeat__?sent-tab"
    report = sender.send_tab(url, receiver_id, "A sent tab")
    assert report == {"succeeded": [receiver_id], "failed": []}, report
    # No push here: the receiver fetches its queued commands itself.
    receiver.poll_commands()
    wait_for(lambda: url in receiver.tab_urls(), 20, 0.3, "the sent tab open in the receiver")
