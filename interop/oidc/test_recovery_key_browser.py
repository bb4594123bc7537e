"""An account recovery key as a person uses it, in a real Chromium: made on
/settings (the password opens kB in the page, which seals it under a new
key; the key is shown once, in groups of four, with the hint kept), then,
the password forgotten, the reset on the sign-in page asks for the key,
shows the hint, refuses a wrong key, and keeps kB: PyFxA reads the same kB
with the new password as with the old one. Screenshots at 1000 and 390 px
go to $FXA_SCREENSHOTS."""

from fxa.core import Client
from selenium.webdriver.common.by import By

from browser import Page, screenshot
from pyfxa_support import mail_header, new_email

PASSWORD = "a long enough password"
NEW_PASSWORD = "the password after the reset"



def test_a_recovery_key_made_in_settings_keeps_kb_through_a_reset(start_server, browser):
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0"})
    email = new_email("recovery")
    page = Page(browser)

    browser.get(server.base + "/signin?next=/settings")
    page.sign_up(email, PASSWORD, lambda: mail_header(server, email, "x-verify-short-code"))
    page.wait_for_url(server.base + "/settings")
    _, kB_before = Client(server.base + "/v1").login(email, PASSWORD, keys=True).fetch_keys()

    page.fill("recovery-key-password", PASSWORD)
    page.fill("recovery-key-hint", "the blue folder")
    page.submit("recovery-key-create")
    shown = page.visible("recovery-key-value").text
    groups = shown.split(" ")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups) and shown.startswith("A"), shown
    screenshot(browser, "recovery-key-01-shown")
    screenshot(browser, "recovery-key-01-shown-390px", width=390)
    browser.find_element(By.LINK_TEXT, "I have saved it").click()
    page.wait_for_url(server.base + "/settings?done=recovery_key")
    assert "the blue folder" in browser.find_element(By.TAG_NAME, "main").text
    assert shown.replace(" ", "") not in browser.page_source, "shown once"

    browser.find_element(By.CSS_SELECTOR, "form[action='/settings/signout'] button").click()
    page.wait_for_url(server.base + "/signin")
    page.forgot_password(email, lambda: mail_header(server, email, "x-password-forgot-otp"))
    page.visible("recovery-key")
    assert "the blue folder" in browser.find_element(By.ID, "recovery-key-hint").text
    screenshot(browser, "recovery-key-02-asked")

    page.fill("recovery-key", "A" + "0" * 31)
    page.submit("recovery-key-form")
    page.wait.until(lambda b: "not the account recovery key" in page.message())
    page.fill("recovery-key", shown.lower())
    page.submit("recovery-key-form")
    page.visible("reset-password")
    assert page.visible("reset-keys-kept")
    page.fill("reset-password", NEW_PASSWORD)
    page.fill("reset-password-confirm", NEW_PASSWORD)
    page.submit("reset-form")
    page.wait.until(lambda b: "Your password is reset" in page.message())

    _, kB_after = Client(server.base + "/v1").login(email, NEW_PASSWORD, keys=True).fetch_keys()
    assert kB_after == kB_before, "the same kB, so the same Sync key and scoped keys"
    assert mail_header(server, email, "x-template-name") in ("passwordResetAccountRecovery", "postAddAccountRecovery")
