"""pytest plugin: runs PyFxA's own live tests (fxa/tests/test_core.py, which
Mozilla runs against its stage server) against a fresh fxa-server instead.

It starts one server for the session (development mode, so the restmail API
serves the codes; per-IP rate limit off, since one test IP makes every
request) and points the tests' module constants at it, as PYFXA.md §11
describes. The test code itself is PyFxA's, unchanged.

    FXA_SERVER_BIN=... FXA_RUN_LIVE_TESTS=1 PYTHONPATH=interop/pyfxa_live \\
      pytest -p live_plugin --pyargs fxa.tests.test_core
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

_server = None
_workdir = None


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pytest_configure(config):
    global _server, _workdir
    binary = os.environ["FXA_SERVER_BIN"]
    port = _free_port()
    _workdir = tempfile.mkdtemp(prefix="fxa-live-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FXA_") or k == "FXA_RUN_LIVE_TESTS"}
    env.update({"FXA_RATE_LIMIT_IP": "0", "FXA_LOG_LEVEL": "warning"})
    log = open(os.path.join(_workdir, "server.log"), "wb")
    _server = subprocess.Popen([binary, "serve", "--port", str(port), "--data-dir", os.path.join(_workdir, "data")],
                               stdout=log, stderr=subprocess.STDOUT, env=env, cwd=_workdir)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/__lbheartbeat__", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or _server.poll() is not None:
                raise RuntimeError("fxa-server did not start; see " + log.name)
            time.sleep(0.1)

    import fxa.tests.test_core as core
    import fxa.tests.utils as utils
    auth = base + "/v1/"
    core.TEST_SERVER_URL = auth
    for name in dir(core):
        cls = getattr(core, name)
        if isinstance(cls, type) and name.startswith(("TestCoreClient_", "TestCoreClientSession_")):
            cls.server_url = auth
    # Addresses become test-<unique>@127.0.0.1, read back from this server's mailbox.
    utils.TestEmailAccount.DEFAULT_SERVER_URL = base


def pytest_unconfigure(config):
    if _server is not None:
        _server.terminate()
        try:
            _server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _server.kill()
    if _workdir:
        shutil.rmtree(_workdir, ignore_errors=True)
