"""Shared fixtures for the interop suites: start real fxa-server processes.

Every server listens on a free loopback port, gets its own data folder and is
killed at the end of the test. The binary is taken from FXA_SERVER_BIN (set by
.ci/run) or the debug build folder.
"""
import hashlib
import hmac
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent


def server_binary() -> str:
    binary = os.environ.get("FXA_SERVER_BIN") or str(ROOT / ".build" / "debug" / "fxa-server")
    if not Path(binary).exists():
        pytest.fail(f"fxa-server binary not found at {binary}: run `swift build` first")
    return binary


def onepw_auth_pw(address: str, password: str) -> str:
    """onepw v1 client stretch, as Firefox and PyFxA derive authPW: PBKDF2-SHA256
    (1000 rounds, salted with the address), then HKDF-SHA256 "authPW"."""
    stretched = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), b"identity.mozilla.com/picl/v1/quickStretch:" + address.encode(), 1000, 32)
    prk = hmac.new(b"\0" * 32, stretched, hashlib.sha256).digest()
    return hmac.new(prk, b"identity.mozilla.com/picl/v1/authPW\x01", hashlib.sha256).hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """One fxa-server process and the log it writes."""

    def __init__(self, args, workdir: Path, port: int, env=None):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = workdir / f"server-{port}-{uuid.uuid4().hex[:6]}.log"
        self._log = open(self.log_path, "wb")
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("FXA_")}
        full_env.update(env or {})
        self.process = subprocess.Popen(
            [server_binary(), "serve", "--port", str(port), *args],
            cwd=workdir, stdout=self._log, stderr=subprocess.STDOUT, env=full_env,
        )

    def wait_ready(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if requests.get(self.base + "/__lbheartbeat__", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server not ready after {timeout}s:\n{self.log()}")

    def kill(self, sig=signal.SIGKILL):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)
        self._log.close()

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def get(self, path, **kwargs):
        return requests.get(self.base + path, timeout=10, **kwargs)


@pytest.fixture
def start_server(tmp_path):
    started = []

    def start(*args, env=None, port=None, wait=True):
        server = ServerProcess(list(args), tmp_path, port or free_port(), env=env)
        started.append(server)
        return server.wait_ready() if wait else server

    yield start
    for server in started:
        server.kill()


@pytest.fixture
def fxa_server_binary():
    """The path of the fxa-server binary under test, for suites in folders
    with a conftest of their own (which hides this module's name)."""
    return server_binary()


@pytest.fixture
def loopback_port():
    """A free loopback port, for a process a test starts itself."""
    return free_port()


@pytest.fixture
def fxa_cli(tmp_path):
    def run(*args, env=None):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("FXA_")}
        full_env.update(env or {})
        return subprocess.run(
            [server_binary(), *args], cwd=tmp_path, env=full_env,
            capture_output=True, text=True, timeout=120,
        )

    return run


POSTGRES_URL = os.environ.get("FXA_TEST_POSTGRES_URL")


def psql(url, sql):
    libpq_url = url.replace("tlsmode=", "sslmode=")
    subprocess.run(["psql", libpq_url, "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)


@pytest.fixture
def fresh_database():
    """A new, empty database on the test PostgreSQL server, dropped afterwards."""
    from urllib.parse import urlsplit, urlunsplit

    name = "fxa_interop_" + uuid.uuid4().hex[:8]
    psql(POSTGRES_URL, f"CREATE DATABASE {name}")
    parts = urlsplit(POSTGRES_URL)
    yield urlunsplit(parts._replace(path="/" + name))
    psql(POSTGRES_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
