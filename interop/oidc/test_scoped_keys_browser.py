"""Scoped encryption keys end to end, with nobody's code here on the RP
side: the relying party makes an ephemeral P-256 key with jwcrypto and
sends it as `keys_jwk`; a real Chromium signs the user up and in on the
server's page, which derives kB from the password, derives the scoped keys
and encrypts them to that key; the RP exchanges the code and jwcrypto
opens `keys_jwe`. The keys must equal the ones computed here, with
Python's `cryptography`, from kB as PyFxA fetches it for the same account.
A password change keeps the keys; a reset replaces them and their kid."""
import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fxa.core import Client
from jwcrypto import jwe, jwk

from browser import Callback, Page, chromium, sent_requests
from pyfxa_support import mail_header, new_email

PASSWORD = "a long enough password"
SYNC = "https://identity.mozilla.com/apps/oldsync"
NOTES = "https://rp.example/apps/notes"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hkdf(ikm, salt, info, length):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def expected_keys(kB, uid, timestamp_ms):
    """fxa-crypto-relier's derivation, written from its description."""
    sync = {"kty": "oct", "scope": SYNC, "k": b64url(hkdf(kB, None, b"identity.mozilla.com/picl/v1/oldsync", 64)),
            "kid": f"{timestamp_ms}-{b64url(hashlib.sha256(kB).digest()[:16])}"}
    okm = hkdf(kB + bytes(32), bytes.fromhex(uid), b"identity.mozilla.com/picl/v1/scoped_key\n" + NOTES.encode(), 48)
    notes = {"kty": "oct", "scope": NOTES, "k": b64url(okm[16:]), "kid": f"{(timestamp_ms + 500) // 1000}-{b64url(okm[:16])}"}
    return {SYNC: sync, NOTES: notes}


@pytest.fixture
def provider(start_server, fxa_cli, callback):
    env = {"FXA_RATE_LIMIT_IP": "0", "FXA_KEY_BEARING_SCOPES": f"{SYNC},{NOTES}"}
    created = fxa_cli("client", "create", "--name", "Sync RP", "--redirect-uri", callback.uri, "--trusted", "--json",
                      *[flag for scope in ("profile", "openid", SYNC, NOTES) for flag in ("--scope", scope)], env=env)
    assert created.returncode == 0, created.stderr
    return start_server(env=env), json.loads(created.stdout)


class RelyingParty:
    """What an RP that wants keys does: a fresh key pair per sign-in."""

    def __init__(self, server, client, callback):
        self.server, self.client, self.callback = server, client, callback

    def authorization_url(self):
        self.key = jwk.JWK.generate(kty="EC", crv="P-256")
        self.state = secrets.token_urlsafe(16)
        public = json.loads(self.key.export_public())
        return self.server.base + "/authorization?" + urlencode({
            "client_id": self.client["client_id"], "redirect_uri": self.callback.uri, "state": self.state,
            "scope": f"profile openid {SYNC} {NOTES}", "entrypoint": "sync-interop",
            "keys_jwk": b64url(json.dumps(public).encode()),
        })

    def finish(self, returned_url):
        query = parse_qs(urlparse(returned_url).query)
        assert query["state"] == [self.state]
        tokens = requests.post(self.server.base + "/v1/token", json={
            "grant_type": "authorization_code", "code": query["code"][0],
            "client_id": self.client["client_id"], "client_secret": self.client["client_secret"],
            "redirect_uri": self.callback.uri,
        }, timeout=10)
        assert tokens.status_code == 200, tokens.text
        body = tokens.json()
        assert "keys_jwe" in body, body
        token = jwe.JWE()
        token.deserialize(body["keys_jwe"], key=self.key)
        header = json.loads(token.objects["protected"])
        assert header["alg"] == "ECDH-ES" and header["enc"] == "A256GCM" and "epk" in header
        return json.loads(token.payload)


def sign_in_in_browser(browser, url, email, password, sign_up=False, server=None):
    page = Page(browser)
    browser.get(url)
    page.fill("email", email)
    page.submit("email-form")
    page.fill("password", password)
    if sign_up:
        page.fill("password-confirm", password)
    page.submit("password-form")
    if sign_up:
        page.fill("code", mail_header(server, email, "x-verify-short-code"))
        page.submit("code-form")
    return page


def key_data_timestamp(server, client, session):
    """keyRotationTimestamp as the server states it (when kB last changed)."""
    answer = session.apiclient.post("/account/scoped-key-data", {"client_id": client["client_id"], "scope": SYNC},
                                    auth=session._auth)
    return answer[SYNC]["keyRotationTimestamp"]


def test_the_keys_the_rp_decrypts_are_the_ones_kB_derives(provider, browser, callback):
    server, client = provider
    rp = RelyingParty(server, client, callback)
    email = new_email("sync")
    fxa = Client(server.base + "/v1")

    page = sign_in_in_browser(browser, rp.authorization_url(), email, PASSWORD, sign_up=True, server=server)
    first = rp.finish(page.wait_for_url(callback.uri))

    session = fxa.login(email, PASSWORD, keys=True)
    _, kB = session.fetch_keys()
    created_at = key_data_timestamp(server, client, session)
    assert first == expected_keys(kB, session.uid, created_at)
    assert len(base64.urlsafe_b64decode(first[SYNC]["k"] + "==")) == 64

    # Signing in again (an existing account): the same keys.
    browser.delete_all_cookies()
    page = sign_in_in_browser(browser, rp.authorization_url(), email, PASSWORD)
    assert rp.finish(page.wait_for_url(callback.uri)) == first

    # A password change keeps kB, hence the keys and their kids.
    session.change_password(PASSWORD, "a changed long password")
    assert key_data_timestamp(server, client, session) == created_at
    page = sign_in_in_browser(browser, rp.authorization_url(), email, "a changed long password")
    assert rp.finish(page.wait_for_url(callback.uri)) == first

    # A reset replaces kB: new keys, and kids that tell the RP so.
    forgot = fxa.send_reset_code(email)
    reset_token = forgot.verify_code(mail_header(server, email, "x-password-forgot-otp"))
    fxa.reset_account(email, reset_token, password="after a reset of it")
    page = sign_in_in_browser(browser, rp.authorization_url(), email, "after a reset of it")
    after = rp.finish(page.wait_for_url(callback.uri))
    new_session = fxa.login(email, "after a reset of it", keys=True)
    _, new_kB = new_session.fetch_keys()
    assert new_kB != kB
    reset_at = key_data_timestamp(server, client, new_session)
    assert reset_at > created_at, "a reset is when the keys last changed"
    assert after == expected_keys(new_kB, new_session.uid, reset_at)
    for scope in (SYNC, NOTES):
        assert after[scope]["k"] != first[scope]["k"] and after[scope]["kid"] != first[scope]["kid"]


def test_no_keys_for_an_rp_that_asked_for_no_key_bearing_scope(provider, browser, callback):
    server, client = provider
    rp = RelyingParty(server, client, callback)
    url = rp.authorization_url().replace("+" + SYNC.replace(":", "%3A").replace("/", "%2F"), "")
    url = url.replace("+" + NOTES.replace(":", "%3A").replace("/", "%2F"), "")
    page = sign_in_in_browser(browser, url, new_email("nokeys"), PASSWORD, sign_up=True, server=server)
    query = parse_qs(urlparse(page.wait_for_url(callback.uri)).query)
    tokens = requests.post(server.base + "/v1/token", json={
        "grant_type": "authorization_code", "code": query["code"][0],
        "client_id": client["client_id"], "client_secret": client["client_secret"], "redirect_uri": callback.uri,
    }, timeout=10).json()
    assert "keys_jwe" not in tokens and tokens["scope"] == "openid profile"


def test_the_password_and_kB_never_leave_the_browser(provider, callback):
    """Every request the page sends, as Chromium's network log records it
    (URL, headers, body): neither the password, nor kB (hex or base64url),
    nor a derived key is in any of them, while authPW and keys_jwe are."""
    server, client = provider
    browser = chromium(network_log=True)
    try:
        rp = RelyingParty(server, client, callback)
        email = new_email("secret")
        page = sign_in_in_browser(browser, rp.authorization_url(), email, PASSWORD, sign_up=True, server=server)
        keys = rp.finish(page.wait_for_url(callback.uri))
        sent = sent_requests(browser)
    finally:
        browser.quit()
    session = Client(server.base + "/v1").login(email, PASSWORD, keys=True)
    _, kB = session.fetch_keys()
    bodies = "\n".join(sent)
    assert '"authPW"' in bodies and '"keys_jwe"' in bodies, "the network log holds the request bodies"
    for secret in (PASSWORD, kB.hex(), b64url(kB), keys[SYNC]["k"], keys[NOTES]["k"]):
        assert secret not in bodies
