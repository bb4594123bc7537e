"""A real, headless Firefox (Debian's firefox-esr) signed in against
fxa-server, driven over Marionette without geckodriver.

Each `Firefox` gets its own profile, whose user.js points Firefox's account
code at one fxa-server (docs FIREFOX.md §1 and §8):

- `identity.fxaccounts.autoconfig.uri` is the server's exact origin,
  `http://127.0.0.1:PORT`. Before a sign-in Firefox GETs
  `<origin>/.well-known/fxa-client-configuration` and sets every FxA URL
  from it; `remote.root` becomes that origin, which is the only origin the
  `account_updates` WebChannel trusts (scheme, host and port compared
  exactly, so never `localhost`).
- `identity.fxaccounts.allowHttp` lets Firefox use an `http://` server.
- FxA and Sync log at Debug to stdout, kept in `firefox-<name>.log` next to
  the test's other files.
- Nothing reaches Mozilla: push, remote settings, captive-portal and
  connectivity checks, Safe Browsing updates and telemetry point at closed
  loopback ports or are off. Push failing fast means Firefox registers its
  device without a `pushCallback`.

Marionette listens on a port Firefox picks itself (`marionette.port` 0);
Firefox writes it to `MarionetteActivePort` in the profile, so any number of
instances can run side by side with no port race. Chrome-context scripts
(Firefox's own modules) need `-remote-allow-system-access`.

Every wait here is bounded, and `quit` always leaves no process behind:
an in-app forced quit first, then SIGKILL to the process group Firefox was
started in.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from marionette_driver.by import By
from marionette_driver.marionette import Marionette

OLDSYNC = "https://identity.mozilla.com/apps/oldsync"

# Ports nothing listens on: what Firefox would fetch from Mozilla fails at once.
CLOSED = "127.0.0.1:1"


def firefox_binary() -> str:
    """`$FIREFOX_BIN`, else firefox-esr (Debian's package), else firefox.
    Missing: a failure in CI, a skip elsewhere (as the Chromium suite does)."""
    binary = os.environ.get("FIREFOX_BIN") or shutil.which("firefox-esr") or shutil.which("firefox")
    if not binary:
        if os.environ.get("CI"):
            pytest.fail("firefox-esr is required in CI (apt-get install --no-install-recommends firefox-esr)")
        pytest.skip("firefox-esr not installed")
    return binary


def prefs_for(server_base: str) -> dict:
    """The user.js prefs of FIREFOX.md §8 for a server at `server_base`,
    which must be a bare origin such as `http://127.0.0.1:9000` (no path:
    Firefox resolves its page paths against it, and the WebChannel trusts
    exactly this origin)."""
    return {
        # The server.
        "identity.fxaccounts.autoconfig.uri": server_base.rstrip("/"),
        "identity.fxaccounts.allowHttp": True,
        # FxA and Sync logs on stdout.
        "identity.fxaccounts.loglevel": "Debug",
        "identity.fxaccounts.log.appender.dump": "Debug",
        "services.sync.log.appender.dump": "Debug",
        # Marionette on a port Firefox picks (written to MarionetteActivePort).
        "marionette.port": 0,
        # No network beyond the server: fail fast instead of waiting.
        "dom.push.serverURL": f"ws://{CLOSED}/",
        "services.settings.server": f"http://{CLOSED}/v1",
        "network.captive-portal-service.enabled": False,
        "network.connectivity-service.enabled": False,
        "browser.safebrowsing.update.enabled": False,
        "browser.safebrowsing.provider.mozilla.updateURL": f"http://{CLOSED}/",
        "extensions.update.enabled": False,
        "extensions.getAddons.cache.enabled": False,
        "app.update.auto": False,
        "app.normandy.enabled": False,
        "browser.region.network.url": "",
        "browser.search.geoip.url": "",
        "datareporting.policy.dataSubmissionEnabled": False,
        "datareporting.healthreport.uploadEnabled": False,
        "toolkit.telemetry.enabled": False,
        "browser.newtabpage.activity-stream.feeds.system.topstories": False,
        "browser.shell.checkDefaultBrowser": False,
        "browser.aboutwelcome.enabled": False,
        "browser.startup.homepage_override.mstone": "ignore",
        "startup.homepage_welcome_url": "about:blank",
        "trailhead.firstrun.didSeeAboutWelcome": True,
    }


def write_user_js(profile: Path, prefs: dict) -> None:
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "user.js").write_text(
        "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()))


# Chrome-context scripts. Each is run by `Firefox.chrome` as an async
# script: `arguments` holds the Python arguments, then the callback, which
# `run` (below) calls with {ok} or {error} so a rejected promise surfaces as
# a Python exception with Firefox's message and stack.
_PRELUDE = """
const [args, done] = [Array.from(arguments).slice(0, -1), arguments[arguments.length - 1]];
const run = (body) => body().then((ok) => done({ok: ok === undefined ? null : ok}),
                                  (e) => done({error: String(e) + "\\n" + (e && e.stack || "")}));
const {getFxAccountsSingleton, FxAccounts} = ChromeUtils.importESModule("resource://gre/modules/FxAccounts.sys.mjs");
const fxa = getFxAccountsSingleton();
"""

# Firefox builds the sign-in URL itself, as the toolbar's "Sign in" does
# (browser-sync.js): autoconfig, then a new OAuth flow (PKCE verifier and
# keys_jwk private key kept in memory, keyed by `state`).
CONNECT_URL_JS = _PRELUDE + """
run(() => FxAccounts.config.promiseConnectAccountURI(args[0], args[1] ? {email: args[1]} : {}));
"""

# What "signed in" means to Firefox (FIREFOX.md §5). The account data is
# read from the internal store, not getSignedInUser(): that one drops the
# sessionToken and may fetch the profile from the server.
# UIState is read as Firefox keeps it (it listens to FxA and Sync
# notifications). `UIState.refresh()` (args[1]) rebuilds it, but also
# broadcasts an update on which the browser window refetches the attached
# clients (GET /v1/account/attached_clients) and, while it has none, the
# device list: polling with it floods the server with requests.
STATE_JS = _PRELUDE + """
run(async () => {
  const {UIState} = ChromeUtils.importESModule("resource://services-sync/UIState.sys.mjs");
  const {Weave} = ChromeUtils.importESModule("resource://services-sync/main.sys.mjs");
  const data = await fxa._internal.getUserAccountData(["email", "uid", "verified", "sessionToken", "device"]);
  if (args[1]) await UIState.refresh();
  const win = Services.wm.getMostRecentWindow("navigator:browser");
  return {
    user: data ? {email: data.email, uid: data.uid, verified: !!data.verified,
                  has_session_token: !!data.sessionToken} : null,
    device_id: (data && data.device && data.device.id) || null,
    status: UIState.get().status,
    has_sync_keys: await fxa.keys.hasKeysForScope(args[0]),
    sync_username: Services.prefs.getStringPref("services.sync.username", ""),
    weave_login: Weave.Status.login,
    fxastatus: win ? win.document.documentElement.getAttribute("fxastatus") : null,
    remote_root: Services.prefs.getStringPref("identity.fxaccounts.remote.root", ""),
  };
});
"""

# Send Tab through FxA commands: the target must be in Firefox's own device
# list (its availableCommands carry the Send Tab keys the payload is
# encrypted to), so the list is refreshed first.
SEND_TAB_JS = _PRELUDE + """
run(async () => {
  const [url, deviceId, title] = args;
  await fxa.device.refreshDeviceList({ignoreCached: true});
  const target = (fxa.device.recentDeviceList || []).find((d) => d.id === deviceId);
  if (!target) throw new Error("device " + deviceId + " is not in Firefox's device list");
  const report = await fxa.commands.sendTab.send([target], {url, title});
  return {succeeded: report.succeeded.map((d) => d.id),
          failed: report.failed.map((f) => ({id: f.device.id, error: String(f.error)}))};
});
"""

# Without push, a receiving Firefox learns of commands only by polling.
POLL_COMMANDS_JS = _PRELUDE + """
run(() => fxa.commands.pollDeviceCommands());
"""

DEVICE_LIST_JS = _PRELUDE + """
run(async () => {
  await fxa.device.refreshDeviceList({ignoreCached: true});
  return fxa.device.recentDeviceList;
});
"""

TAB_URLS_JS = _PRELUDE + """
run(async () => Array.from(Services.wm.getEnumerator("navigator:browser"))
  .flatMap((w) => w.gBrowser.tabs.map((t) => t.linkedBrowser.currentURI.spec)));
"""

PREF_JS = _PRELUDE + """
run(async () => {
  const name = args[0];
  switch (Services.prefs.getPrefType(name)) {
    case Services.prefs.PREF_BOOL: return Services.prefs.getBoolPref(name);
    case Services.prefs.PREF_INT: return Services.prefs.getIntPref(name);
    case Services.prefs.PREF_STRING: return Services.prefs.getStringPref(name);
    default: return null;
  }
});
"""

QUIT_JS = "Services.startup.quit(Ci.nsIAppStartup.eForceQuit);"

# The selected tab's viewport set to arguments[0] CSS px wide, or back to the
# window's width with null (`Firefox.screenshot`).
VIEWPORT_WIDTH_JS = """
const browser = Services.wm.getMostRecentWindow("navigator:browser").gBrowser.selectedBrowser;
for (const property of ["width", "min-width", "max-width"]) {
  if (arguments[0] === null) browser.style.removeProperty(property);
  else browser.style.setProperty(property, arguments[0] + "px");
}
"""


class ChromeScriptError(AssertionError):
    """A chrome-context script rejected; the message holds Firefox's stack."""


def screenshots_wanted() -> bool:
    """Whether `Firefox.screenshot` saves anything: `$FXA_SCREENSHOTS` is set.
    Tests open pages only for a screenshot when it is."""
    return bool(os.environ.get("FXA_SCREENSHOTS"))


def wait_for(predicate, timeout=30.0, interval=0.2, message="condition"):
    """Calls `predicate` until it returns something truthy and returns that;
    fails after `timeout` seconds with `message` and the last value seen."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}; last value: {last!r}")
        time.sleep(interval)


class Firefox:
    """One headless Firefox with its own profile under `workdir`.

    `start()` launches it and connects Marionette (content context by
    default); `quit()` ends it, and is safe to call twice or after a failed
    start. The console output is in `log_path`."""

    def __init__(self, server_base: str, workdir: Path, name: str = "firefox", extra_prefs: dict | None = None):
        self.server_base = server_base.rstrip("/")
        self.name = name
        self.profile = Path(workdir) / f"profile-{name}"
        self.log_path = Path(workdir) / f"firefox-{name}.log"
        self.prefs = {**prefs_for(self.server_base), **(extra_prefs or {})}
        self.process: subprocess.Popen | None = None
        self.marionette: Marionette | None = None
        self.port: int | None = None
        self.start_seconds: float | None = None
        self._log = None

    # Life cycle

    def start(self, timeout: float = 90.0) -> "Firefox":
        write_user_js(self.profile, self.prefs)
        (self.profile / "MarionetteActivePort").unlink(missing_ok=True)
        began = time.monotonic()
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [firefox_binary(), "--headless", "--marionette", "--no-remote", "--profile", str(self.profile),
             "-remote-allow-system-access", "about:blank"],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            # Its own process group, so quit() can end the content processes too.
            start_new_session=True,
            env={**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1", "MOZ_HEADLESS": "1"},
        )
        try:
            port_file = self.profile / "MarionetteActivePort"

            def active_port():
                if self.process.poll() is not None:
                    raise AssertionError(f"Firefox exited with {self.process.returncode}:\n{self.log()[-4000:]}")
                text = port_file.read_text().strip() if port_file.exists() else ""
                return int(text) if text.isdigit() and int(text) > 0 else None

            self.port = wait_for(active_port, timeout, 0.05, "Marionette's port")
            self.marionette = Marionette(host="127.0.0.1", port=self.port)
            self.marionette.start_session(timeout=max(5.0, timeout - (time.monotonic() - began)))
            self.marionette.timeout.page_load = 30
            self.marionette.timeout.script = 30
        except BaseException:
            self.quit()
            raise
        self.start_seconds = time.monotonic() - began
        return self

    def quit(self, timeout: float = 15.0) -> None:
        """Forced in-app quit, then SIGKILL to Firefox's process group if it
        is still there after `timeout` seconds."""
        asked = False
        if self.marionette is not None:
            if self.process is not None and self.process.poll() is None:
                asked = True
                try:
                    self.marionette.set_context("chrome")
                    self.marionette.execute_script(QUIT_JS)
                except Exception:
                    pass  # the connection dropping as Firefox quits is normal
            try:
                self.marionette.delete_session(send_request=False)
            except Exception:
                pass
            self.marionette = None
        if self.process is not None:
            try:
                self.process.wait(timeout=timeout if asked else 0.1)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # content processes left over, if any
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None

    def log(self) -> str:
        if self._log is not None:
            self._log.flush()
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # Chrome context: Firefox's own modules

    def chrome(self, script: str, *args, timeout: float = 30.0):
        """Runs a `_PRELUDE`-style async script in the chrome context and
        returns what it resolved; a rejection raises ChromeScriptError."""
        m = self.marionette
        with m.using_context("chrome"):
            answer = m.execute_async_script(script, script_args=list(args), script_timeout=int(timeout * 1000))
        if answer is None or "error" in answer:
            raise ChromeScriptError(f"chrome script failed: {answer and answer['error']}")
        return answer["ok"]

    def connect_url(self, email: str | None = None, entrypoint: str = "test") -> str:
        """The sign-in URL Firefox opens from its "Sign in" button, with
        `email` prefilled. Runs the autoconfig fetch first (only possible
        while no one is signed in)."""
        return self.chrome(CONNECT_URL_JS, entrypoint, email)

    def state(self, refresh: bool = False) -> dict:
        """Firefox's view of the account (FIREFOX.md §5); `refresh` rebuilds
        UIState first (with network side effects, see STATE_JS):
        `user` ({email, uid, verified, has_session_token} or None),
        `status` (UIState: not_configured, not_verified, login_failed, signed_in),
        `has_sync_keys` (hasKeysForScope(oldsync)), `sync_username`
        (services.sync.username, set by Weave.Service.configure()),
        `weave_login` (Weave.Status.login), `fxastatus` (the browser window's
        attribute behind the toolbar button), `device_id` (the id Firefox
        stored after registering its device, or None) and `remote_root`.

        A read that lands while Firefox replaces its account state (signing
        in or out) is refused by FxAccounts' own guard, "Another user has
        signed in": the state the read began with is gone. That is the
        transition in progress, not a failure, so the read is made again
        against the new state, for up to 10 seconds."""
        deadline = time.monotonic() + 10
        while True:
            try:
                return self.chrome(STATE_JS, OLDSYNC, refresh)
            except ChromeScriptError as error:
                if "Another user has signed in" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)

    def signed_in_with_sync(self, email: str):
        """The full "signed in with Sync" state for `email`, or None (for wait_for)."""
        s = self.state()
        user = s["user"] or {}
        done = (user.get("email") == email and user.get("verified") and user.get("has_session_token")
                and s["status"] == "signed_in" and s["has_sync_keys"] and s["sync_username"]
                and s["fxastatus"] == "signedin")
        return s if done else None

    def pref(self, name: str):
        """A pref's current value, or None if it is not set."""
        return self.chrome(PREF_JS, name)

    def send_tab(self, url: str, device_id: str, title: str = "Sent from a test") -> dict:
        """Send Tab to the device `device_id` of the same account: returns
        {succeeded: [ids], failed: [{id, error}]}."""
        return self.chrome(SEND_TAB_JS, url, device_id, title)

    def poll_commands(self):
        """Fetches and handles queued device commands (received tabs open)."""
        return self.chrome(POLL_COMMANDS_JS)

    def devices(self) -> list:
        """The account's devices as Firefox fetches them (GET /v1/account/devices)."""
        return self.chrome(DEVICE_LIST_JS)

    def tab_urls(self) -> list:
        """The URL of every open tab in every browser window."""
        return self.chrome(TAB_URLS_JS)

    # Content context: the page in the selected tab

    def navigate(self, url: str) -> None:
        self.marionette.navigate(url)

    @property
    def url(self) -> str:
        return self.marionette.get_url()

    def element(self, element_id: str):
        return self.marionette.find_element(By.ID, element_id)

    def visible(self, element_id: str, timeout: float = 20.0):
        """The element with `element_id` once it is displayed."""
        def shown():
            found = self.marionette.find_elements(By.ID, element_id)
            return found[0] if found and found[0].is_displayed() else None
        return wait_for(shown, timeout, 0.1, f"#{element_id} to be visible")

    def is_visible(self, element_id: str) -> bool:
        found = self.marionette.find_elements(By.ID, element_id)
        return bool(found) and found[0].is_displayed()

    def fill(self, element_id: str, text: str) -> None:
        field = self.visible(element_id)
        field.clear()
        field.send_keys(text)

    def click(self, element_id: str) -> None:
        self.visible(element_id).click()

    def submit(self, form_id: str) -> None:
        """Clicks the form's submit button, as a user does."""
        self.visible(form_id).find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def text(self, element_id: str) -> str:
        return self.element(element_id).text

    def page_source(self) -> str:
        return self.marionette.page_source

    def screenshot(self, name: str) -> None:
        """Only when `$FXA_SCREENSHOTS` is set (otherwise it does nothing):
        saves the whole page in the selected tab there, as
        `firefox-<name>-desktop.png` at the window's width, then as
        `firefox-<name>-390.png` with a 390 px wide viewport (a phone).

        A browser window is never narrower than 500 px, so the 390 px
        viewport narrows the tab's <browser> element instead, as WebDriver
        BiDi's browsingContext.setViewport does, then puts it back."""
        if not screenshots_wanted():
            return
        shots = Path(os.environ["FXA_SCREENSHOTS"])
        shots.mkdir(parents=True, exist_ok=True)
        m = self.marionette
        width = lambda: m.execute_script("return window.innerWidth")
        desktop = width()
        (shots / f"firefox-{name}-desktop.png").write_bytes(m.screenshot(format="binary", full=True))
        with m.using_context("chrome"):
            m.execute_script(VIEWPORT_WIDTH_JS, script_args=[390])
        try:
            wait_for(lambda: width() == 390, 5, 0.05, "a 390 px viewport")
            time.sleep(0.2)  # the page lays itself out again
            (shots / f"firefox-{name}-390.png").write_bytes(m.screenshot(format="binary", full=True))
        finally:
            with m.using_context("chrome"):
                m.execute_script(VIEWPORT_WIDTH_JS, script_args=[None])
            wait_for(lambda: width() == desktop, 5, 0.05, f"the {desktop} px viewport back")
