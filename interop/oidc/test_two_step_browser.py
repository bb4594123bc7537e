"""Two-step authentication as a person uses it, in a real Chromium: turned
on in /settings (the emailed code, the QR code drawn in the page, the key
read as the page shows it and fed to pyotp as an authenticator app would
be, the backup codes shown once), then signing in to a relying party that
asks for AAL2 takes the app's code after the password (a wrong one is
refused on the page) and its ID token says AAL2; a later sign-in uses a
backup code; a forgotten password is reset with the emailed code and the
app's code. An account without it is told when an RP requires it. Screenshots of the setup
step at desktop width and at 390 px go to $FXA_SCREENSHOTS."""
import json
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pyotp
import pytest
import requests
from fxa.core import Client
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By

from browser import Page, screenshot
from pyfxa_support import mail_header, new_email

PASSWORD = "a long enough password"
NEW_PASSWORD = "the password after the reset"



def wait_for_text(page, text):
    """Until the page's main text shows `text`, across the form post's
    navigation (an element of the page being left goes stale)."""
    def shows(browser):
        try:
            return text in browser.find_element(By.TAG_NAME, "main").text
        except (NoSuchElementException, StaleElementReferenceException):
            return False
    page.wait.until(shows)


def fresh_code(totp, after=None):
    """The app's code for a step later than `after` (a code works once)."""
    while True:
        step = int(time.time()) // 30
        if after is None or step > after:
            return totp.now(), step
        time.sleep(1)


@pytest.fixture
def provider(start_server, fxa_cli, callback):
    created = fxa_cli("client", "create", "--name", "Notes RP", "--redirect-uri", callback.uri, "--trusted", "--json",
                      "--scope", "profile", "--scope", "openid")
    assert created.returncode == 0, created.stderr
    return start_server(env={"FXA_RATE_LIMIT_IP": "0"}), json.loads(created.stdout)


def sign_up(server, browser, page, email):
    browser.get(server.base + "/signin?next=/settings")
    page.sign_up(email, PASSWORD, lambda: mail_header(server, email, "x-verify-short-code"))
    page.wait_for_url(server.base + "/settings")


def test_turn_on_two_step_in_settings_then_sign_in_to_an_rp_with_the_apps_code(provider, browser, callback):
    server, client = provider
    email = new_email("twostep")
    page = Page(browser)
    sign_up(server, browser, page, email)

    browser.find_element(By.XPATH, "//button[text()='Turn on two-step authentication']").click()
    page.wait_for_url(server.base + "/settings?done=two_step_code")
    page.fill("two-step-email-code", mail_header(server, email, "x-account-change-verify-code"))
    page.visible("two-step-email-code").submit()
    page.wait_for_url(server.base + "/settings?done=two_step_scan")

    qr = page.visible("two-step-qr")
    assert qr.find_elements(By.TAG_NAME, "svg"), "the page drew the QR code"
    secret = browser.find_element(By.ID, "two-step-secret").text.replace(" ", "")
    assert len(secret) == 32
    browser.execute_script("document.getElementById('two-step-qr').scrollIntoView()")
    screenshot(browser, "two-step-01-scan")
    screenshot(browser, "two-step-01-scan-390px", width=390)
    app = pyotp.TOTP(secret)

    page.fill("two-step-app-code", "000000" if app.now() != "000000" else "111111")
    page.visible("two-step-app-code").submit()
    wait_for_text(page, "did not match")
    code, used = fresh_code(app)
    page.fill("two-step-app-code", code)
    page.visible("two-step-app-code").submit()
    backup = [c.text for c in page.visible("backup-codes").find_elements(By.TAG_NAME, "code")]
    assert len(backup) == 8, backup
    assert "On." in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(By.ID, "two-step-secret"), "the key is never shown again"
    browser.execute_script("document.getElementById('backup-codes').scrollIntoView()")
    screenshot(browser, "two-step-02-on-with-backup-codes")
    screenshot(browser, "two-step-02-on-with-backup-codes-390px", width=390)
    browser.get(server.base + "/settings")
    assert not browser.find_elements(By.ID, "backup-codes"), "shown once"
    assert "8 backup codes left" in browser.find_element(By.TAG_NAME, "main").text

    browser.find_element(By.CSS_SELECTOR, "form[action='/settings/signout'] button").click()
    page.wait_for_url(server.base + "/signin")

    # The RP's sign-in, asking for two-step authentication: the password,
    # then the app's code.
    state = secrets.token_urlsafe(12)
    browser.get(server.base + "/authorization?" + urlencode({
        "client_id": client["client_id"], "redirect_uri": callback.uri, "state": state, "scope": "profile openid",
        "acr_values": "AAL2"}))
    page.sign_in(email, PASSWORD)
    page.visible("totp-code")
    screenshot(browser, "two-step-03-signin-code")
    page.fill("totp-code", "000000" if app.now() != "000000" else "111111")
    page.submit("totp-form")
    page.wait.until(lambda b: "did not work" in page.message())
    code, used = fresh_code(app, after=used)
    page.fill("totp-code", code)
    page.submit("totp-form")
    redirected = urlparse(page.wait_for_url(callback.uri))
    query = parse_qs(redirected.query)
    assert query["state"] == [state]
    tokens = requests.post(server.base + "/v1/token", json={
        "grant_type": "authorization_code", "code": query["code"][0], "client_id": client["client_id"],
        "client_secret": client["client_secret"], "redirect_uri": callback.uri}, timeout=10).json()
    assert "id_token" in tokens, tokens
    # Signed out again, the phone lost: a backup code instead of the app's.
    browser.delete_all_cookies()
    browser.get(server.base + "/signin?next=/settings")
    page.sign_in(email, PASSWORD)
    page.visible("totp-code")
    browser.find_element(By.ID, "use-backup-code").click()
    page.fill("backup-code", backup[0])
    page.submit("backup-code-form")
    page.wait_for_url(server.base + "/settings")
    assert "7 backup codes left" in browser.find_element(By.TAG_NAME, "main").text
    assert mail_header(server, email, "x-template-name") in ("postSigninRecoveryCode", "postNewRecoveryCodes")
    jwks = jwt.PyJWKClient(server.base + "/v1/jwks")
    claims = jwt.decode(tokens["id_token"], jwks.get_signing_key_from_jwt(tokens["id_token"]).key, algorithms=["RS256"],
                        audience=client["client_id"])
    assert claims["acr"] == "AAL2" and claims["amr"] == ["pwd", "otp"] and claims["fxa-aal"] == 2, claims

    # The password forgotten: after the emailed code the reset also asks
    # for the app's code, and two-step authentication stays on.
    browser.delete_all_cookies()
    browser.get(server.base + "/signin?next=/settings")
    page.forgot_password(email, lambda: mail_header(server, email, "x-password-forgot-otp"))
    page.visible("reset-totp-code")
    screenshot(browser, "two-step-05-reset-asks-the-app")
    screenshot(browser, "two-step-05-reset-asks-the-app-390px", width=390)
    page.fill("reset-totp-code", "000000" if app.now() != "000000" else "111111")
    page.submit("reset-totp-form")
    page.wait.until(lambda b: "did not work" in page.message())
    code, used = fresh_code(app, after=used)
    page.fill("reset-totp-code", code)
    page.submit("reset-totp-form")
    page.fill("reset-password", NEW_PASSWORD)
    page.fill("reset-password-confirm", NEW_PASSWORD)
    page.submit("reset-form")
    page.wait.until(lambda b: "Your password is reset" in page.message())
    relogin = Client(server.base + "/v1").login(email, NEW_PASSWORD)
    assert relogin.verificationMethod == "totp-2fa", "the new password still needs the app's code"


def test_an_rp_that_requires_two_step_tells_a_user_without_it_and_hears_why(provider, browser, callback):
    server, client = provider
    email = new_email("nototp")
    page = Page(browser)
    sign_up(server, browser, page, email)
    browser.find_element(By.CSS_SELECTOR, "form[action='/settings/signout'] button").click()
    page.wait_for_url(server.base + "/signin")

    state = secrets.token_urlsafe(12)
    browser.get(server.base + "/authorization?" + urlencode({
        "client_id": client["client_id"], "redirect_uri": callback.uri, "state": state, "scope": "profile openid",
        "acr_values": "AAL2"}))
    page.sign_in(email, PASSWORD)
    panel = page.visible("two-step-required")
    assert "requires two-step authentication" in panel.text
    assert panel.find_element(By.LINK_TEXT, "your account settings").get_attribute("href").endswith("/settings#two-step")
    screenshot(browser, "two-step-04-required")
    screenshot(browser, "two-step-04-required-390px", width=390)
    browser.find_element(By.ID, "two-step-back").click()
    query = parse_qs(urlparse(page.wait_for_url(callback.uri)).query)
    assert query["error"] == ["unmet_authentication_requirements"] and query["state"] == [state], query
    assert "code" not in query
