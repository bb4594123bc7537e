"""The example relying party (Examples/FxANotes) against fxa-server, in a
real Chromium, the way its README runs it: the client registered with the
CLI's `--env` output, the user signs up on the server's pages, lands on the
notes page with their profile and picture, adds a note, changes their name
in the server's settings, and sees the webhook's event arrive. Also the
server's development landing page. Screenshots at 1280 and 390 px go to
$FXA_SCREENSHOTS.

Needs the fxa-notes-example binary (`swift build`); FXA_NOTES_BIN names it
in CI, where a missing binary is an error rather than a skip."""
import os
import shlex
import subprocess
import time
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By

from browser import Page, fits_and_screenshot
from pyfxa_support import mail_header, new_email

PASSWORD = "a password for notes"
ROOT = Path(__file__).resolve().parents[2]


def notes_binary():
    binary = os.environ.get("FXA_NOTES_BIN") or str(ROOT / ".build" / "debug" / "fxa-notes-example")
    if not Path(binary).exists():
        if os.environ.get("FXA_NOTES_BIN") or os.environ.get("CI"):
            pytest.fail(f"fxa-notes-example not found at {binary}")
        pytest.skip("fxa-notes-example not built (swift build --product fxa-notes-example)")
    return binary


@pytest.fixture
def notes_app(start_server, fxa_server_binary, loopback_port, tmp_path):
    """fxa-server and the notes app, wired together as the app's README says."""
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0"})
    port = loopback_port
    registered = subprocess.run(
        [fxa_server_binary, "client", "create", "--name", "FxA Notes", "--trusted",
         "--redirect-uri", f"http://127.0.0.1:{port}/auth/callback",
         "--webhook-url", f"http://127.0.0.1:{port}/auth/webhook", "--env"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("FXA_")})
    assert registered.returncode == 0, registered.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FXA_", "NOTES_"))}
    for line in registered.stdout.splitlines():
        if line.startswith("export "):
            key, value = line[len("export "):].split("=", 1)
            env[key] = shlex.split(value)[0] if value else ""
    assert env.get("FXA_CLIENT_ID"), registered.stdout
    env.update({"FXA_ISSUER": server.base, "NOTES_PORT": str(port), "NOTES_DATABASE": str(tmp_path / "notes.sqlite")})
    log = open(tmp_path / "notes.log", "wb")
    process = subprocess.Popen([notes_binary()], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, (tmp_path / "notes.log").read_text()
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, "the notes app did not start"
        time.sleep(0.2)
    yield server, base
    process.terminate()
    process.wait(timeout=30)
    log.close()


def test_the_development_landing_page_says_what_to_do_next(start_server, browser):
    server = start_server()
    browser.get(server.base + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Your accounts server is running"
    links = {a.text: a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "main a")}
    assert links["development mailbox"] == server.base + "/__mail__"
    assert links[server.base + "/.well-known/openid-configuration"] == server.base + "/.well-known/openid-configuration"
    assert "fxa-server client create" in browser.find_element(By.TAG_NAME, "pre").text
    fits_and_screenshot(browser, "landing")
    browser.find_element(By.CSS_SELECTOR, "a.button").click()
    Page(browser).visible("email-form")


def test_the_example_app_signs_in_keeps_notes_and_shows_the_webhooks_events(notes_app, browser):
    server, notes = notes_app
    page = Page(browser)
    email = new_email("notes")

    browser.get(notes + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Notes only you can read"
    fits_and_screenshot(browser, "notes-welcome")

    browser.find_element(By.CSS_SELECTOR, "a.button").click()
    page.sign_up(email, PASSWORD, lambda: mail_header(server, email, "x-verify-short-code"))
    page.wait_for_url(notes + "/")
    assert page.visible("uid").text == requests.get(
        notes + "/api/me", cookies={c["name"]: c["value"] for c in browser.get_cookies()}, timeout=10).json()["uid"]
    assert email in browser.find_element(By.CSS_SELECTOR, ".who").text
    # The provider's default picture loads: the CSP allows the provider's origin.
    avatar = browser.find_element(By.CSS_SELECTOR, ".who img.avatar")
    page.wait.until(lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", avatar))

    page.fill("text", "Buy oat milk")
    page.submit("new-note")
    page.wait.until(lambda b: "Buy oat milk" in b.find_element(By.ID, "notes").text)
    assert browser.find_element(By.ID, "no-events").is_displayed()

    # A name change in the server's settings reaches the app by webhook.
    browser.get(server.base + "/settings")
    page.fill("display_name", "Ada Notes")
    browser.find_element(By.CSS_SELECTOR, "form[action='/settings/display_name'] button").click()
    page.wait_for_url(server.base + "/settings?done=display_name")
    deadline = time.monotonic() + 30
    while True:
        browser.get(notes + "/")
        if browser.find_elements(By.ID, "events"):
            break
        assert time.monotonic() < deadline, "the profile-change event never reached the app"
        time.sleep(0.5)
    events = browser.find_element(By.ID, "events").text
    assert "Profile changed" in events and "Fetched your profile again" in events
    assert "Ada Notes" in browser.find_element(By.CSS_SELECTOR, ".who").text
    fits_and_screenshot(browser, "notes-home")

    browser.find_element(By.CSS_SELECTOR, "#logout button").click()
    page.wait.until(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Notes only you can read")
