"""A headless Chromium that plays the user on fxa-server's pages, and a
loopback callback endpoint that plays the relying party's redirect URI."""
import html
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def chromium(network_log=False):
    """A headless Chromium; with `network_log` its DevTools network events
    (every request with its headers and body) are kept for `get_log`."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not binary or not driver:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver are required in CI (apt-get install chromium chromium-driver)")
        pytest.skip("chromium/chromedriver not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--no-first-run", "--password-store=basic", "--window-size=1000,900"):
        options.add_argument(flag)
    if network_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    browser = webdriver.Chrome(service=Service(driver), options=options)
    browser.set_page_load_timeout(30)
    return browser


class Page:
    """The sign-in page as a user sees it: visible fields and buttons."""

    def __init__(self, browser, timeout=20):
        self.browser = browser
        self.wait = WebDriverWait(browser, timeout)

    def visible(self, element_id):
        return self.wait.until(EC.visibility_of_element_located((By.ID, element_id)))

    def fill(self, element_id, text):
        field = self.visible(element_id)
        field.clear()
        field.send_keys(text)

    def submit(self, form_id):
        self.visible(form_id).find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def message(self):
        return self.browser.find_element(By.ID, "message").text

    def sign_in(self, email, password):
        """The email step, then the password step, as a returning user."""
        self.fill("email", email)
        self.submit("email-form")
        self.fill("password", password)
        self.submit("password-form")

    def sign_up(self, email, password, emailed_code):
        """The email step, a new password (twice), and the emailed code
        (`emailed_code()` reads it once it is sent)."""
        self.fill("email", email)
        self.submit("email-form")
        self.fill("password", password)
        self.fill("password-confirm", password)
        self.submit("password-form")
        self.fill("code", emailed_code())
        self.submit("code-form")

    def forgot_password(self, email, emailed_code):
        """The email step, then "Forgot your password?" and the emailed code
        (`emailed_code()` reads it once it is sent)."""
        self.fill("email", email)
        self.submit("email-form")
        self.visible("password")
        self.browser.find_element(By.ID, "forgot").click()
        self.fill("forgot-code", emailed_code())
        self.submit("forgot-code-form")

    def wait_for_url(self, prefix):
        self.wait.until(lambda b: b.current_url.startswith(prefix))
        return self.browser.current_url


SHOTS = Path(os.environ.get("FXA_SCREENSHOTS", "/tmp/fxa-screenshots"))


def screenshot(browser, name, width=1280):
    """The whole page at `width` (1280: a desktop; 390: a phone) into
    $FXA_SCREENSHOTS, then back to the default window."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(width, 900)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, max(height + 100, 700))
    browser.save_screenshot(str(SHOTS / f"{name}.png"))
    browser.set_window_size(1000, 900)


def fits_and_screenshot(browser, name):
    """The page never scrolls sideways, at 1280 px (a desktop) nor at 390 px
    (a phone); a full-page screenshot of each goes to $FXA_SCREENSHOTS as
    `name.png` and `name-390px.png`. The window is left at 1280 px."""
    for width in (1280, 390):
        browser.set_window_size(width, 900)
        extra = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert extra <= 0, f"{name} scrolls sideways by {extra} px at {width} px"
    screenshot(browser, name)
    screenshot(browser, f"{name}-390px", width=390)
    browser.set_window_size(1280, 900)


class Callback:
    """`http://127.0.0.1:<port>/callback`: answers 200 to whatever arrives,
    and keeps the path of each request in `hits`. A page the RP serves on the
    same origin is added with `serve_auto_post`."""

    def __init__(self):
        hits = self.hits = []
        pages = self.pages = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path in pages:
                    return self.reply("text/html; charset=utf-8", pages[self.path])
                hits.append(self.path)
                self.reply("text/plain", b"callback reached")

            def reply(self, content_type, body):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.uri = f"http://127.0.0.1:{self.httpd.server_address[1]}/callback"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve_auto_post(self, path, action, fields):
        """Serves at `path`, on the callback's origin, an RP's page that POSTs
        `fields` to `action` as soon as it loads (an HTML form, so
        application/x-www-form-urlencoded); returns the page's URL."""
        inputs = "".join(f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
                         for name, value in fields.items())
        self.pages[path] = (f'<!doctype html><title>RP</title><body onload="document.forms[0].submit()">'
                            f'<form method="post" action="{html.escape(action)}">{inputs}</form></body>').encode()
        return self.uri.rsplit("/", 1)[0] + path

    def close(self):
        self.httpd.shutdown()


def sent_requests(browser):
    """URL, headers and body of every request in Chromium's network log
    (a browser made with `network_log=True`), drained from the log."""
    sent = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            request = message["params"]["request"]
            # A body the log left out could hold anything: fail, not skip.
            assert not request.get("hasPostData") or "postData" in request, f"body not logged: {request['url']}"
            sent.append(" ".join([request["url"], json.dumps(request.get("headers", {})), request.get("postData", "")]))
    return sent
