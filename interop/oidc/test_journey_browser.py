"""The whole journey of issue 7 in a real Chromium, against a freshly
started server and a small RP (a loopback callback):

RP -> email-first -> sign-up -> code from the dev mailbox -> consent ->
back at the RP with a code that exchanges for tokens; sign-in again with
the existing account (continuing as the signed-in account, and with its
password under prompt=login); change the password in settings; revoke the RP in
Devices & apps and see its refresh token fail; register a client in the
console and sign in to it; delete the account. On the way: a redirect_uri
that is not registered is never followed, and neither password is in any
request the browser sends (Chromium's network log: URL, headers, body).
Each page is saved as a full-page screenshot in $FXA_SCREENSHOTS."""
import json
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from fxa.core import Client
from fxa.errors import ClientError
from selenium.webdriver.common.by import By

from browser import Callback, Page, chromium, screenshot, sent_requests
from pyfxa_support import mail_header, new_email

PASSWORD = "a long enough password"
NEW_PASSWORD = "another long password"


@pytest.fixture
def journey(start_server, fxa_cli, callback):
    created = fxa_cli("client", "create", "--name", "Notes RP", "--redirect-uri", callback.uri, "--json",
                      "--scope", "openid", "--scope", "profile:email", "--scope", "profile:display_name")
    assert created.returncode == 0, created.stderr
    browser = chromium(network_log=True)
    yield start_server(env={"FXA_RATE_LIMIT_IP": "0"}), json.loads(created.stdout), browser
    browser.quit()


def authorization_url(server, client_id, redirect_uri, state, **extra):
    return server.base + "/authorization?" + urlencode({
        "client_id": client_id, "redirect_uri": redirect_uri, "state": state, "response_type": "code",
        "scope": "openid profile:email", "entrypoint": "journey-interop", "utm_source": "interop", **extra})


def returned_code(page, callback, state):
    """The code the browser brought back to the RP, after checking `state`."""
    query = parse_qs(urlparse(page.wait_for_url(callback.uri)).query)
    assert query["state"] == [state]
    return query["code"][0]


def exchange(server, client_id, secret, code, redirect_uri):
    response = requests.post(server.base + "/v1/token", json={
        "grant_type": "authorization_code", "code": code, "client_id": client_id, "client_secret": secret,
        "redirect_uri": redirect_uri}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_whole_journey(journey, callback):
    server, client, browser = journey
    page = Page(browser)
    email = new_email("journey")

    # 1. The RP sends a new user to sign up; consent (untrusted RP); back with a code.
    state = secrets.token_urlsafe(12)
    browser.get(authorization_url(server, client["client_id"], callback.uri, state, access_type="offline"))
    page.sign_up(email, PASSWORD, lambda: mail_header(server, email, "x-verify-short-code"))
    consent = page.visible("consent")
    assert "Notes RP (127.0.0.1) asks to" in consent.text and "See your email address" in consent.text
    assert f"Signed in as {email}" in consent.text, "the consent names the account it grants"
    screenshot(browser, "journey-01-consent")
    screenshot(browser, "journey-01-consent-390px", width=390)
    page.submit("consent")
    tokens = exchange(server, client["client_id"], client["client_secret"], returned_code(page, callback, state),
                      callback.uri)
    assert "refresh_token" in tokens and "id_token" in tokens, tokens
    assert tokens["scope"].split() == ["openid", "profile:email"]

    # 2. Signing in again: the browser is signed in, so the page offers to
    # continue as the account (consent again: the RP is not trusted), and
    # prompt=none cannot skip that consent.
    state = secrets.token_urlsafe(12)
    browser.get(authorization_url(server, client["client_id"], callback.uri, state))
    assert email in page.visible("signed-in-form").text
    screenshot(browser, "journey-01b-continue-as")
    page.submit("signed-in-form")
    page.submit("consent")
    exchange(server, client["client_id"], client["client_secret"], returned_code(page, callback, state), callback.uri)
    browser.get(authorization_url(server, client["client_id"], callback.uri, "silent", prompt="none"))
    query = parse_qs(urlparse(page.wait_for_url(callback.uri)).query)
    assert query["error"] == ["consent_required"] and query["state"] == ["silent"] and "code" not in query

    # With prompt=login the existing account signs in with its password.
    state = secrets.token_urlsafe(12)
    browser.get(authorization_url(server, client["client_id"], callback.uri, state, prompt="login"))
    page.fill("email", email)
    page.submit("email-form")
    assert page.visible("password-submit").text == "Sign in"
    page.fill("password", PASSWORD)
    page.submit("password-form")
    page.submit("consent")
    exchange(server, client["client_id"], client["client_secret"], returned_code(page, callback, state), callback.uri)

    # 3. A redirect_uri that is not registered is shown as an error and never followed.
    stranger = Callback()
    try:
        browser.get(authorization_url(server, client["client_id"], stranger.uri, "s"))
        assert browser.current_url.startswith(server.base)
        assert "redirect" in browser.find_element(By.TAG_NAME, "main").text.lower()
        screenshot(browser, "journey-02-unregistered-redirect")
        assert stranger.hits == []
    finally:
        stranger.close()

    # 4. Settings (the RP sign-in left the browser signed in): change the
    # password, in the page's script.
    browser.get(server.base + "/settings")
    page.wait_for_url(server.base + "/settings")
    screenshot(browser, "journey-03-settings")
    page.fill("old-password", PASSWORD)
    page.fill("new-password", NEW_PASSWORD)
    page.fill("new-password-confirm", NEW_PASSWORD)
    page.submit("password-change")
    page.wait_for_url(server.base + "/settings?done=password")
    assert "Your password is changed" in browser.find_element(By.TAG_NAME, "main").text
    fxa = Client(server.base + "/v1")
    with pytest.raises(ClientError):
        fxa.login(email, PASSWORD)
    fxa.login(email, NEW_PASSWORD).destroy_session()

    # 5. Devices & apps: revoking the RP kills its refresh token.
    browser.get(server.base + "/settings/clients")
    item = browser.find_element(By.CSS_SELECTOR, "li.client")
    assert "Notes RP" in item.text
    item.find_element(By.CSS_SELECTOR, "button").click()
    page.wait_for_url(server.base + "/settings/clients?done=signed_out")
    refreshed = requests.post(server.base + "/v1/token", json={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": client["client_id"],
        "client_secret": client["client_secret"]}, timeout=10)
    assert refreshed.status_code == 400 and refreshed.json()["errno"] == 108

    # 6. The developer console: register a client, then sign in to it.
    console_callback = Callback()
    try:
        browser.get(server.base + "/console")
        screenshot(browser, "journey-04-console")
        browser.find_element(By.LINK_TEXT, "Register an app").click()
        page.wait_for_url(server.base + "/console/new")
        page.fill("name", "Console RP")
        page.fill("redirect_uris", console_callback.uri)
        page.fill("scopes", "openid profile:email")
        screenshot(browser, "journey-05-console-new")
        browser.find_element(By.CSS_SELECTOR, "form[action='/console/new'] button[type=submit]").click()
        client_id = page.visible("client_id").get_attribute("value")
        secret = page.visible("client_secret").get_attribute("value")
        assert len(client_id) == 16 and len(secret) == 64
        screenshot(browser, "journey-06-console-secret")
        browser.find_element(By.LINK_TEXT, "Go to the app's page").click()
        assert secret not in browser.page_source, "the secret is shown once only"
        screenshot(browser, "journey-07-console-client")

        state = secrets.token_urlsafe(12)
        browser.get(authorization_url(server, client_id, console_callback.uri, state))
        page.submit("signed-in-form")
        consent = page.visible("consent").text
        assert "Console RP (127.0.0.1) asks to" in consent and f"Signed in as {email}" in consent, consent
        page.submit("consent")
        console_tokens = exchange(server, client_id, secret, returned_code(page, console_callback, state),
                                  console_callback.uri)
        profile = requests.get(server.base + "/v1/profile", timeout=10,
                               headers={"Authorization": "Bearer " + console_tokens["access_token"]}).json()
        assert profile["email"] == email
    finally:
        console_callback.close()

    # 7. Deleting the account needs the password; then nothing signs in.
    browser.get(server.base + "/settings")
    page.fill("delete-password", NEW_PASSWORD)
    browser.find_element(By.ID, "delete-confirm").click()
    page.submit("delete-account")
    page.wait_for_url(server.base + "/signin?done=deleted")
    screenshot(browser, "journey-08-deleted")
    with pytest.raises(ClientError):
        fxa.login(email, NEW_PASSWORD)

    # The network log of the whole journey: authPW went out, never a password.
    sent = "\n".join(sent_requests(browser))
    assert '"authPW"' in sent, "the network log holds the request bodies"
    for password in (PASSWORD, NEW_PASSWORD):
        assert password not in sent
        assert password.replace(" ", "+") not in sent and password.replace(" ", "%20") not in sent


def test_forgot_password_by_emailed_code(start_server, browser):
    """/signin -> email -> "Forgot your password?" -> the code from the dev
    mailbox -> a new password -> signed in to settings with it."""
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0"})
    email = new_email("forgot")
    fxa = Client(server.base + "/v1")
    fxa.create_account(email, PASSWORD).verify_email_code(mail_header(server, email, "x-verify-code"))
    page = Page(browser)

    browser.get(server.base + "/signin")
    page.fill("email", email)
    page.submit("email-form")
    page.visible("forgot").click()
    page.fill("forgot-code", mail_header(server, email, "x-password-forgot-otp"))
    screenshot(browser, "journey-09-forgot-code")
    page.submit("forgot-code-form")
    page.fill("reset-password", email)
    page.fill("reset-password-confirm", email)
    page.submit("reset-form")
    assert "cannot be your email" in page.message()
    page.fill("reset-password", NEW_PASSWORD)
    page.fill("reset-password-confirm", NEW_PASSWORD)
    screenshot(browser, "journey-10-reset")
    page.submit("reset-form")
    page.visible("password")
    assert "Your password is reset" in page.message()
    page.fill("password", NEW_PASSWORD)
    page.submit("password-form")
    page.wait_for_url(server.base + "/settings")
    with pytest.raises(ClientError):
        fxa.login(email, PASSWORD)
    fxa.login(email, NEW_PASSWORD).destroy_session()
