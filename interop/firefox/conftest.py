"""Fixtures of the Firefox suite: an fxa-server with its development
mailbox, and headless Firefoxes pointed at it, all ended after the test.

`start_server` comes from ../conftest.py (pytest loads the conftest of
every parent folder); the server runs in development mode, its default,
which keeps mail in the mailbox the tests read at `/mail/<local part>`."""
import pytest

from firefox import Firefox


@pytest.fixture
def server(start_server):
    # Every request comes from 127.0.0.1: no per-IP limit. The log stays at
    # info level, so `server.log()` lists every request Firefox makes.
    return start_server(env={"FXA_RATE_LIMIT_IP": "0"})


@pytest.fixture
def firefox(tmp_path):
    """Starts a Firefox signed out against `server_base` and returns it;
    call it again for a second one (each has its own profile, Marionette
    port and log under tmp_path). All are quit at teardown, where their
    start times and log files are printed (shown for a failed test)."""
    started = []

    def start(server_base, name=None, extra_prefs=None, timeout=90.0):
        browser = Firefox(server_base, tmp_path, name or f"ff{len(started) + 1}", extra_prefs)
        started.append(browser)
        return browser.start(timeout=timeout)

    yield start
    for browser in started:
        browser.quit()
        print(f"Firefox {browser.name}: started in {browser.start_seconds}s, log {browser.log_path}")
