"""What a developer sees in the first hour, in a real Chromium: the
development mailbox fits a phone (390 px) with a long address, every page
has the icon browsers ask for, the password step goes back to the email,
the code step points to the development mailbox, and refusals read as
sentences (a mistyped code, too many resends with the wait). Screenshots go
to $FXA_SCREENSHOTS."""
import requests
from selenium.webdriver.common.by import By

from browser import Page, fits_and_screenshot, screenshot


def test_the_mailbox_fits_a_phone_and_pages_have_an_icon(start_server, browser):
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0"})
    address = "a.rather.long.address.for.a.phone.screen@example.test"
    created = requests.post(server.base + "/v1/account/create", json={"email": address, "authPW": "0" * 64}, timeout=10)
    assert created.status_code == 200, created.text

    browser.get(server.base + "/__mail__")
    assert address in browser.find_element(By.TAG_NAME, "main").text
    fits_and_screenshot(browser, "first-hour-mailbox")

    icon = browser.find_element(By.CSS_SELECTOR, "link[rel=icon]").get_attribute("href")
    assert icon == server.base + "/assets/favicon.svg"
    served = requests.get(server.base + "/favicon.ico", timeout=10)
    assert served.status_code == 200 and served.headers["content-type"] == "image/svg+xml"
    assert served.url == icon and served.history[0].status_code == 301


def test_signing_up_can_go_back_points_to_the_mailbox_and_speaks_plainly(start_server, browser):
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_RATE_LIMIT_EMAIL": "1"})
    page = Page(browser)
    browser.get(server.base + "/signin?next=/settings")
    page.fill("email", "typo@example.test")
    page.submit("email-form")
    page.visible("password")
    browser.find_element(By.ID, "change-email").click()
    assert page.visible("email").get_attribute("value") == "typo@example.test", "the address to correct"
    page.fill("email", "first-hour@example.test")
    page.submit("email-form")
    page.fill("password", "a long enough password")
    page.fill("password-confirm", "a long enough password")
    page.submit("password-form")

    hint = page.visible("code-form").find_element(By.CSS_SELECTOR, ".dev-mailbox")
    page.wait.until(lambda b: hint.is_displayed())
    assert hint.find_element(By.TAG_NAME, "a").get_attribute("href") == server.base + "/__mail__"
    page.fill("code", "12")
    page.submit("code-form")
    page.wait.until(lambda b: "not the code from our email" in page.message())
    assert "Invalid parameter" not in page.message()
    # Six digits, but not the ones sent: the server's 183, in words.
    page.fill("code", "000000")
    page.submit("code-form")
    page.wait.until(lambda b: "not right, or it has expired" in page.message())
    screenshot(browser, "first-hour-code-step")
    screenshot(browser, "first-hour-code-step-390px", width=390)

    # FXA_RATE_LIMIT_EMAIL=1: the first resend is sent, the next refused.
    browser.find_element(By.ID, "resend").click()
    page.wait.until(lambda b: page.message() != "")
    browser.find_element(By.ID, "resend").click()
    page.wait.until(lambda b: "Too many attempts" in page.message())
    assert "minutes" in page.message() or "seconds" in page.message(), page.message()
