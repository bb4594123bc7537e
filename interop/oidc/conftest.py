"""Fixtures the browser suites share: the RP's loopback callback and a
headless Chromium, each closed after its test."""
import pytest

from browser import Callback, chromium


@pytest.fixture
def callback():
    endpoint = Callback()
    yield endpoint
    endpoint.close()


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()
