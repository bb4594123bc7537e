"""The server's own pages in a real Chromium: an RP sends the user through
the sign-in page (sign-up, code, consent-free trusted RP) and gets a
refresh token, which leaves the browser signed in to settings; after
signing out there, the user signs in to /settings again, sets a display name
(the RP reads it from the profile API), finds the RP in Devices & apps and
signs out of it there, after which the RP's refresh token fails. A form
posted from another site without the CSRF token changes nothing. Each
page is saved as a full-page screenshot in $FXA_SCREENSHOTS (CI keeps it)."""
import json
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from selenium.webdriver.common.by import By

from browser import Callback, Page, chromium, screenshot
from pyfxa_support import mail_header, new_email

PASSWORD = "a long enough password"


@pytest.fixture
def provider(start_server, fxa_cli, callback):
    created = fxa_cli("client", "create", "--name", "Notes RP", "--redirect-uri", callback.uri, "--trusted", "--json",
                      "--scope", "profile", "--scope", "openid")
    assert created.returncode == 0, created.stderr
    return start_server(env={"FXA_RATE_LIMIT_IP": "0"}), json.loads(created.stdout)


def test_settings_display_name_and_devices_and_apps(provider, browser, callback):
    server, client = provider
    email = new_email("settings")
    page = Page(browser)

    # The RP's sign-in, as a user meets it.
    state = secrets.token_urlsafe(12)
    browser.get(server.base + "/authorization?" + urlencode({
        "client_id": client["client_id"], "redirect_uri": callback.uri, "state": state, "scope": "profile openid",
        "access_type": "offline", "entrypoint": "settings-interop"}))
    screenshot(browser, "01-email-first")
    page.fill("email", email)
    page.submit("email-form")
    page.fill("password", PASSWORD)
    page.fill("password-confirm", PASSWORD)
    screenshot(browser, "02-sign-up")
    page.submit("password-form")
    page.visible("code")
    screenshot(browser, "03-code")
    page.fill("code", mail_header(server, email, "x-verify-short-code"))
    page.submit("code-form")
    code = parse_qs(urlparse(page.wait_for_url(callback.uri)).query)["code"][0]
    tokens = requests.post(server.base + "/v1/token", json={
        "grant_type": "authorization_code", "code": code, "client_id": client["client_id"],
        "client_secret": client["client_secret"], "redirect_uri": callback.uri}, timeout=10).json()
    assert "refresh_token" in tokens, tokens

    # The RP's sign-in left the browser signed in: settings open at once.
    browser.get(server.base + "/settings")
    page.wait_for_url(server.base + "/settings")
    browser.find_element(By.CSS_SELECTOR, "form[action='/settings/signout'] button").click()
    page.wait_for_url(server.base + "/signin")

    # Signed out, settings need a sign-in of their own: /settings sends the user there.
    browser.get(server.base + "/settings")
    page.wait_for_url(server.base + "/signin")
    page.fill("email", email)
    page.submit("email-form")
    page.fill("password", PASSWORD)
    page.submit("password-form")
    page.wait_for_url(server.base + "/settings")
    assert email in browser.find_element(By.TAG_NAME, "main").text
    cookies = {c["name"]: c for c in browser.get_cookies()}
    assert cookies["fxa_session"]["httpOnly"] and cookies["fxa_session"]["sameSite"] == "Lax"
    assert browser.execute_script("return document.cookie") == "", "the page's script cannot read the session"
    screenshot(browser, "04-settings")
    screenshot(browser, "04-settings-390px", width=390)
    # Sections as people expect them: the account and "Sign out" at the top,
    # deleting the account last, and nothing wider than a phone.
    sections = [section.get_attribute("id") for section in browser.find_elements(By.CSS_SELECTOR, ".settings-sections > section")]
    assert sections == ["profile", "security", "connected", "developers", "delete"], sections
    header = browser.find_element(By.CSS_SELECTOR, ".settings-header")
    assert header.find_elements(By.CSS_SELECTOR, "form[action='/settings/signout']"), "Sign out sits with the account"
    browser.set_window_size(390, 900)
    assert browser.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    browser.set_window_size(1000, 900)

    page.fill("display_name", "Ada Lovelace")
    browser.find_element(By.CSS_SELECTOR, "form[action='/settings/display_name'] button").click()
    page.wait_for_url(server.base + "/settings?done=display_name")
    profile = requests.get(server.base + "/v1/profile", headers={"Authorization": "Bearer " + tokens["access_token"]},
                           timeout=10).json()
    assert profile["displayName"] == "Ada Lovelace"

    # A cross-site form (no CSRF token) posted with the browser's cookie.
    browser.get("data:text/html," + f"""<form method=post action="{server.base}/settings/display_name">
        <input name=display_name value=Mallory></form><script>document.forms[0].submit()</script>""")
    page.wait.until(lambda b: b.current_url.startswith(server.base))
    browser.get(server.base + "/settings")
    assert browser.find_element(By.ID, "display_name").get_attribute("value") == "Ada Lovelace"

    browser.find_element(By.LINK_TEXT, "See the apps that hold your data, and sign out of them").click()
    page.wait_for_url(server.base + "/settings/clients")
    item = browser.find_element(By.CSS_SELECTOR, "li.client")
    assert "Notes RP" in item.text
    screenshot(browser, "05-devices-and-apps")
    item.find_element(By.CSS_SELECTOR, "button").click()
    page.wait_for_url(server.base + "/settings/clients?done=signed_out")
    assert "Notes RP" not in browser.find_element(By.TAG_NAME, "main").text
    refreshed = requests.post(server.base + "/v1/token", json={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": client["client_id"],
        "client_secret": client["client_secret"]}, timeout=10)
    assert refreshed.status_code == 400 and refreshed.json()["errno"] == 108

    browser.get(server.base + "/settings")
    browser.find_element(By.CSS_SELECTOR, "form[action='/settings/signout'] button").click()
    page.wait_for_url(server.base + "/signin")
    browser.get(server.base + "/settings")
    page.wait_for_url(server.base + "/signin?next=")
