"""Firefox and the server's account pages, after Firefox signed in on them:
an account whose email is not confirmed yet, a device signed out in
Devices & apps (Firefox then asks to sign in again), and the settings page
opened from Firefox's menu, which takes Firefox's session and keeps Firefox
signed in through a password change."""
import re

import requests
from marionette_driver.by import By

from firefox import screenshots_wanted, wait_for
from pyfxa_support import clear_mail, mail_header, new_email
from test_firefox_signin import (
    PASSWORD, SEND_TAB, auth_pw, assert_signed_out, device_on_server, enter_email, open_sign_in,
    session_bearer, sign_up_from_firefox,
)

MANAGE_URI_JS = """
const [args, done] = [Array.from(arguments).slice(0, -1), arguments[arguments.length - 1]];
const {FxAccounts} = ChromeUtils.importESModule("resource://gre/modules/FxAccounts.sys.mjs");
FxAccounts.config.promiseManageURI(args[0]).then((url) => done({ok: url}), (e) => done({error: String(e)}));
"""

# The URL Firefox opens from one of its menu items: args[0] is the
# FxAccountsConfig method (promiseManageDevicesURI, promiseConnectDeviceURI).
MENU_URI_JS = """
const [args, done] = [Array.from(arguments).slice(0, -1), arguments[arguments.length - 1]];
const {FxAccounts} = ChromeUtils.importESModule("resource://gre/modules/FxAccounts.sys.mjs");
FxAccounts.config[args[0]](args[1]).then((url) => done({ok: url}), (e) => done({error: String(e)}));
"""

# Screenshots only: every request whose path is arguments[0] fails, until
# called again with null.
BLOCK_SCRIPT_JS = """
const [path, win] = [arguments[0], Services.wm.getMostRecentWindow("navigator:browser")];
if (win.fxaTestBlock) Services.obs.removeObserver(win.fxaTestBlock, "http-on-modify-request");
win.fxaTestBlock = path === null ? null : {observe(subject) {
  const channel = subject.QueryInterface(Ci.nsIHttpChannel);
  if (channel.URI.filePath === path) channel.cancel(Cr.NS_BINDING_ABORTED);
}};
if (win.fxaTestBlock) Services.obs.addObserver(win.fxaTestBlock, "http-on-modify-request");
"""

# What Firefox does on its own before its next sync: fetch the device list.
# A 401 errno 110 there makes it check the session and the account.
REFRESH_DEVICES_JS = """
const [args, done] = [Array.from(arguments).slice(0, -1), arguments[arguments.length - 1]];
const {getFxAccountsSingleton} = ChromeUtils.importESModule("resource://gre/modules/FxAccounts.sys.mjs");
getFxAccountsSingleton().device.refreshDeviceList({ignoreCached: true})
  .then(() => done({ok: true}), (e) => done({ok: String(e)}));
"""


def web_browser_session(server, email, password):
    """The account's pages in another browser: a session, then its cookie
    (what the server's own sign-in page does), as a requests.Session."""
    login = requests.post(server.base + "/v1/account/login", timeout=30,
                          json={"email": email, "authPW": auth_pw(email, password)})
    assert login.status_code == 200, login.text
    browser = requests.Session()
    started = browser.post(server.base + "/v1/web/session", json={}, timeout=10,
                           headers={**session_bearer(login.json()["sessionToken"]), "Origin": server.base})
    assert started.status_code == 200, started.text
    return browser


def csrf_token(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_an_unconfirmed_account_gets_the_code_step_and_firefox_hears_nothing_before(server, firefox):
    email = new_email("ff-unconfirmed")
    created = requests.post(server.base + "/v1/account/create", timeout=30,
                            json={"email": email, "authPW": auth_pw(email, PASSWORD)})
    assert created.status_code == 200, created.text
    clear_mail(server, email)
    browser = firefox(server.base)

    open_sign_in(browser, email)
    enter_email(browser, email)
    browser.fill("password", PASSWORD)
    browser.click("password-submit")
    browser.visible("code-form")
    assert_signed_out(browser.state())  # nothing was sent to Firefox yet

    browser.fill("code", mail_header(server, email, "x-verify-short-code"))
    browser.submit("code-form")
    wait_for(lambda: browser.signed_in_with_sync(email), 60, 0.3, "Firefox signed in with Sync")


def test_a_device_signed_out_in_devices_and_apps_asks_to_sign_in_again(server, firefox):
    browser = firefox(server.base)
    email = new_email("ff-signout")
    sign_up_from_firefox(browser, server, email)
    device_id = wait_for(lambda: browser.state()["device_id"], 30, 0.3, "Firefox's device id")
    wait_for(lambda: device_on_server(server, email, device_id), 30, 0.5, "Firefox's device on the server")

    # Another browser signs that Firefox out on the Devices & apps page.
    pages = web_browser_session(server, email, PASSWORD)
    listed = pages.get(server.base + "/settings/clients", timeout=10)
    assert listed.status_code == 200 and device_id in listed.text, listed.text
    out = pages.post(server.base + "/settings/devices/destroy", timeout=10, allow_redirects=False,
                     data={"csrf_token": csrf_token(listed.text), "device_id": device_id})
    assert out.status_code == 303 and out.headers["location"] == "/settings/clients?done=device_signed_out"

    # Firefox's next request gets 401 errno 110; the account still exists,
    # so Firefox drops its session and shows "sign in again".
    with browser.marionette.using_context("chrome"):
        browser.marionette.execute_async_script(REFRESH_DEVICES_JS, script_timeout=30000)
    state = wait_for(lambda: (lambda s: s if s["status"] == "login_failed" else None)(browser.state()), 30, 0.3,
                     "Firefox's 'sign in again'")
    assert not state["user"]["has_session_token"], state
    assert "path=/v1/account/status" in server.log()


def test_settings_from_firefox_use_its_session_and_a_password_change_keeps_it_signed_in(server, firefox):
    browser = firefox(server.base)
    email = new_email("ff-settings")
    before = sign_up_from_firefox(browser, server, email)
    device_id = wait_for(lambda: browser.state()["device_id"], 30, 0.3, "Firefox's device id")

    # "Manage account" from Firefox's menu: the page takes Firefox's
    # session (no sign-in asked) and shows the settings.
    with browser.marionette.using_context("chrome"):
        url = browser.marionette.execute_async_script(MANAGE_URI_JS, script_args=["test"], script_timeout=30000)["ok"]
    assert url.startswith(server.base + "/settings?") and "context=oauth_webchannel_v1" in url, url
    if screenshots_wanted():
        # "Connecting to Firefox" as it shows for a moment: held there by
        # refusing the page its script (args[0]), then let go (null).
        with browser.marionette.using_context("chrome"):
            browser.marionette.execute_script(BLOCK_SCRIPT_JS, script_args=["/assets/firefox-session.js"])
        try:
            browser.navigate(url)
            browser.screenshot("07-connecting-to-firefox")
        finally:
            with browser.marionette.using_context("chrome"):
                browser.marionette.execute_script(BLOCK_SCRIPT_JS, script_args=[None])
    browser.navigate(url)
    browser.visible("password-change", timeout=30)
    assert email in browser.page_source()
    browser.screenshot("08-settings")

    new_password = "another long password"
    browser.fill("old-password", PASSWORD)
    browser.fill("new-password", new_password)
    browser.fill("new-password-confirm", new_password)
    browser.submit("password-change")
    # The URL changes when the navigation starts; the text comes with the page.
    wait_for(lambda: "done=password" in browser.url and "Your password is changed" in browser.page_source(), 30, 0.3,
             "the settings page after the change")
    browser.screenshot("09-settings-password-changed")

    # Firefox took the new session: still signed in with Sync, and its
    # session works (a device-list fetch succeeds, the device registers again).
    state = wait_for(lambda: browser.signed_in_with_sync(email), 30, 0.3, "Firefox still signed in with Sync")
    assert state["user"]["uid"] == before["user"]["uid"]
    with browser.marionette.using_context("chrome"):
        assert browser.marionette.execute_async_script(REFRESH_DEVICES_JS, script_timeout=30000)["ok"] is True
    assert browser.state()["status"] == "signed_in"
    # The change ended the old session and its device; Firefox registers anew.
    new_device = wait_for(lambda: (lambda d: d if d and d != device_id else None)(browser.state()["device_id"]), 30, 0.3,
                          "Firefox's new device after the change")
    device = wait_for(lambda: device_on_server_with(server, email, new_password, new_device), 30, 0.5,
                      "Firefox's device registered on its new session")
    assert SEND_TAB in device["availableCommands"]

    if screenshots_wanted():
        # Firefox's menu items "Devices & apps" and "Connect another device",
        # with its device listed.
        for method, name, shown in (("promiseManageDevicesURI", "10-devices-and-apps", "<h2>Devices</h2>"),
                                    ("promiseConnectDeviceURI", "11-connect-another-device", "Connect another device")):
            with browser.marionette.using_context("chrome"):
                menu_url = browser.marionette.execute_async_script(
                    MENU_URI_JS, script_args=[method, "test"], script_timeout=30000)["ok"]
            browser.navigate(menu_url)
            wait_for(lambda: shown in browser.page_source(), 30, 0.3, f"{menu_url} shown")
            browser.screenshot(name)


def device_on_server_with(server, email, password, device_id):
    login = requests.post(server.base + "/v1/account/login", timeout=30,
                          json={"email": email, "authPW": auth_pw(email, password)})
    assert login.status_code == 200, login.text
    headers = session_bearer(login.json()["sessionToken"])
    try:
        for device in requests.get(server.base + "/v1/account/devices", headers=headers, timeout=10).json():
            if device["id"] == device_id and SEND_TAB in (device.get("availableCommands") or {}):
                return device
        return None
    finally:
        requests.post(server.base + "/v1/session/destroy", json={}, headers=headers, timeout=10)


def test_a_firefox_restarted_during_sign_in_gets_a_new_oauth_flow(server, firefox):
    """Firefox keeps its OAuth flow (PKCE verifier, key for keys_jwe) in
    memory only. After a restart the sign-in page it had opened carries a
    `state` Firefox no longer knows; the page sees that
    (`fxaccounts:oauth_flow_is_active`) and begins a new flow
    (`fxaccounts:oauth_flow_begin`), as FxA's pages do."""
    browser = firefox(server.base)
    email = new_email("ff-restart")
    url = browser.connect_url(email)
    browser.quit()
    browser.start()
    browser.navigate(url)  # the tab a restored session would reopen

    enter_email(browser, email)
    browser.fill("password", PASSWORD)
    browser.fill("password-confirm", PASSWORD)
    browser.click("password-submit")
    browser.visible("code-form")
    browser.fill("code", mail_header(server, email, "x-verify-short-code"))
    browser.submit("code-form")
    browser.visible("sync-engines-form")
    browser.submit("sync-engines-form")
    wait_for(lambda: browser.signed_in_with_sync(email), 60, 0.3, "Firefox signed in with Sync after its restart")
    assert "oauth_flow_begin" in browser.log()


UI_DISPLAY_NAME_JS = """
const [args, done] = [Array.from(arguments).slice(0, -1), arguments[arguments.length - 1]];
const {UIState} = ChromeUtils.importESModule("resource://services-sync/UIState.sys.mjs");
done({ok: UIState.get().displayName || null});
"""


def open_settings_from_firefox(browser, server):
    """Firefox's "Manage account": the settings page, on Firefox's session."""
    with browser.marionette.using_context("chrome"):
        url = browser.marionette.execute_async_script(MANAGE_URI_JS, script_args=["test"], script_timeout=30000)["ok"]
    browser.navigate(url)
    browser.visible("password-change", timeout=30)


def test_settings_from_firefox_keep_it_in_step_name_sign_out(server, firefox):
    """A name changed in settings reaches Firefox's menu (profile:change),
    and signing out there signs Firefox out too (fxaccounts:logout)."""
    browser = firefox(server.base)
    email = new_email("ff-step")
    sign_up_from_firefox(browser, server, email)
    open_settings_from_firefox(browser, server)

    browser.fill("display_name", "Ada Lovelace")
    browser.marionette.find_element(By.CSS_SELECTOR, "form[action='/settings/display_name'] button").click()
    wait_for(lambda: "done=display_name" in browser.url, 30, 0.3, "the name saved")

    def display_name():
        with browser.marionette.using_context("chrome"):
            return browser.marionette.execute_async_script(UI_DISPLAY_NAME_JS, script_timeout=10000)["ok"]
    wait_for(lambda: display_name() == "Ada Lovelace", 30, 0.3, "Firefox's menu showing the new name")

    browser.marionette.find_element(By.CSS_SELECTOR, "#signout button").click()
    wait_for(lambda: "/signin" in browser.url, 30, 0.3, "the sign-in page after signing out")
    wait_for(lambda: browser.state()["user"] is None, 30, 0.3, "Firefox signed out")
    assert browser.state()["status"] == "not_configured"


def test_deleting_the_account_in_settings_from_firefox_signs_firefox_out(server, firefox):
    browser = firefox(server.base)
    email = new_email("ff-delete")
    sign_up_from_firefox(browser, server, email)
    open_settings_from_firefox(browser, server)

    browser.fill("delete-password", PASSWORD)
    browser.click("delete-confirm")
    browser.submit("delete-account")
    wait_for(lambda: "done=deleted" in browser.url, 30, 0.3, "the page after the deletion")
    wait_for(lambda: browser.state()["user"] is None, 30, 0.3, "Firefox signed out")
    status = requests.post(server.base + "/v1/account/status", json={"email": email}, timeout=10).json()
    assert status["exists"] is False
