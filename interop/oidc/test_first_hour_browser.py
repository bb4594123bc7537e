"""What a developer sees in the first hour, in a real Chromium: the
development mailbox fits a phone (390 px) with a long address, and every
page has the icon browsers ask for. Screenshots go to $FXA_SCREENSHOTS."""
import requests
from selenium.webdriver.common.by import By

from browser import screenshot


def overflow(browser, width):
    browser.set_window_size(width, 900)
    return browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_mailbox_fits_a_phone_and_pages_have_an_icon(start_server, browser):
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0"})
    address = "a.rather.long.address.for.a.phone.screen@example.test"
    created = requests.post(server.base + "/v1/account/create", json={"email": address, "authPW": "0" * 64}, timeout=10)
    assert created.status_code == 200, created.text

    browser.get(server.base + "/__mail__")
    assert address in browser.find_element(By.TAG_NAME, "main").text
    for width in (1280, 390):
        assert overflow(browser, width) <= 0, f"the mailbox scrolls sideways at {width} px"
    screenshot(browser, "first-hour-mailbox")
    screenshot(browser, "first-hour-mailbox-390px", width=390)

    icon = browser.find_element(By.CSS_SELECTOR, "link[rel=icon]").get_attribute("href")
    assert icon == server.base + "/assets/favicon.svg"
    served = requests.get(server.base + "/favicon.ico", timeout=10)
    assert served.status_code == 200 and served.headers["content-type"] == "image/svg+xml"
    assert served.url == icon and served.history[0].status_code == 301
