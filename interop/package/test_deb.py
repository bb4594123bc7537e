"""The Debian package from deploy/build-deb.sh, installed into a fresh Debian
made by debootstrap (no Swift toolchain, nothing but the minimal base), then
run the way its systemd unit says: as its user, with its settings file, in
its data folder. A self-hoster meets the package exactly here.

Needs root, debootstrap and FXA_DEB (the .deb to test); .ci/run builds the
package and sets it. FXA_PACKAGE_CHROOT_BASE may name an existing
debootstrap folder to copy instead of making one (local runs); it is never
modified. Without FXA_DEB the module skips, except under CI=true.
"""
import configparser
import email
import os
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller

from conftest import ROOT, free_port, onepw_auth_pw

DEB = os.environ.get("FXA_DEB")
if not DEB:
    if os.environ.get("CI") == "true":
        raise RuntimeError("FXA_DEB is not set: .ci/run must build the package before this suite")
    pytest.skip("FXA_DEB not set (deploy/build-deb.sh builds the package; .ci/run sets it)", allow_module_level=True)


def run(*args, check=True, **kwargs):
    result = subprocess.run(list(args), capture_output=True, text=True, timeout=300, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def host_codename():
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("VERSION_CODENAME="):
            return line.split("=", 1)[1].strip('"')
    return "bookworm"


@pytest.fixture(scope="module")
def debian(tmp_path_factory):
    """A fresh minimal Debian in a folder, /proc mounted, unmounted after."""
    root = tmp_path_factory.mktemp("debian") / "root"
    base = os.environ.get("FXA_PACKAGE_CHROOT_BASE")
    if base:
        run("cp", "-a", base, str(root))
    else:
        run("debootstrap", "--variant=minbase", host_codename(), str(root), "http://deb.debian.org/debian")
    assert not (root / "usr/lib/swift").exists() and not (root / "usr/bin/swift").exists()
    run("mount", "-t", "proc", "proc", str(root / "proc"))
    try:
        yield root
    finally:
        run("umount", str(root / "proc"), check=False)
        if run("mountpoint", "-q", str(root / "proc"), check=False).returncode == 0:
            run("umount", "-l", str(root / "proc"), check=False)


def in_root(root, *command, user=None):
    """`command` in the chroot, as root or as `user` (`name`, or `name:group`)."""
    spec = [f"--userspec={user if ':' in user else user + ':' + user}"] if user else []
    return run("chroot", *spec, str(root), *command, check=False)


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture(scope="module")
def relay():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, sink
    controller.stop()


class Unit:
    """The [Service] section of the installed unit, read as systemd would."""

    def __init__(self, path: Path):
        parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
        parser.optionxform = str
        parser.read(path)
        self.service = parser["Service"]

    def environment(self, root: Path):
        env = {}
        settings_file = root / self.service["EnvironmentFile"].lstrip("-/")
        for line in settings_file.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                key, value = line.split("=", 1)
                env[key] = value
        for assignment in shlex.split(self.service.get("Environment", "")):
            key, value = assignment.split("=", 1)
            env[key] = value
        return env


class InstalledService:
    """fxa-server started in the chroot as its unit starts it."""

    def __init__(self, root: Path, log_path: Path):
        self.root = root
        self.unit = Unit(root / "lib/systemd/system/fxa-server.service")
        service = self.unit.service
        env = self.unit.environment(root)
        self.port = int(env["FXA_PORT"])
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "ab")
        command = f"cd {shlex.quote(service['WorkingDirectory'])} && exec {service['ExecStart']}"
        self.process = subprocess.Popen(
            ["chroot", f"--userspec={service['User']}:{service['Group']}", str(root), "/bin/sh", "-c", command],
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", **env}, umask=int(service["UMask"], 8),
            stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the service exited with {self.process.returncode}:\n{self.log()}")
            try:
                if requests.get(self.base + "/__lbheartbeat__", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"the service did not answer in {timeout}s:\n{self.log()}")

    def stop(self):
        """KillSignal, then wait at most TimeoutStopSec, as systemd does."""
        self.process.send_signal(getattr(signal, self.unit.service["KillSignal"]))
        code = self.process.wait(timeout=int(self.unit.service["TimeoutStopSec"]))
        self._log.close()
        return code

    def log(self):
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")


def test_the_package_installs_on_a_bare_debian_and_serves_as_its_unit_says(debian, relay, tmp_path):
    root = debian
    controller, sink = relay
    shutil.copy(DEB, root / "tmp/fxa-server.deb")

    # 1. It installs on the minimal base: its dependencies are all there, so
    # it needs nothing from the Swift toolchain.
    installed = in_root(root, "dpkg", "-i", "/tmp/fxa-server.deb")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "systemctl enable --now fxa-server" in installed.stdout
    assert in_root(root, "fxa-server", "--version").stdout.strip() != ""
    linked = in_root(root, "ldd", "/usr/bin/fxa-server").stdout
    assert "not found" not in linked and "swift" not in linked.lower(), linked

    # 2. The user, the data folder and the settings file, with their owners.
    user = in_root(root, "getent", "passwd", "fxa-server").stdout.split(":")
    assert user[5] == "/var/lib/fxa-server" and user[6].strip() == "/usr/sbin/nologin"
    assert in_root(root, "stat", "-c", "%U %a", "/var/lib/fxa-server").stdout.split() == ["fxa-server", "700"]
    assert in_root(root, "stat", "-c", "%U %G %a", "/etc/fxa-server/fxa-server.env").stdout.split() == \
        ["root", "fxa-server", "640"]
    denied = in_root(root, "cat", "/etc/fxa-server/fxa-server.env", user="nobody:nogroup")
    assert denied.returncode != 0 and "Permission denied" in denied.stderr, denied

    # 3. systemd itself accepts the installed unit: every option, the
    # hardening ones included, is known and well-formed. (CI runs no
    # systemd, so they are checked, not enforced; the bare Debian has no
    # systemd, so the check runs on this machine with ExecStart pointed at
    # the installed binary.)
    unit_text = (root / "lib/systemd/system/fxa-server.service").read_text()
    checked_unit = tmp_path / "fxa-server.service"
    checked_unit.write_text(unit_text.replace("ExecStart=/usr/bin/fxa-server", f"ExecStart={root}/usr/bin/fxa-server"))
    verified = run("systemd-analyze", "verify", str(checked_unit), check=False)
    assert verified.returncode == 0 and verified.stderr.strip() == "", verified.stdout + verified.stderr

    # 4. The operator edits the settings file as docs/self-hosting.md says.
    port = free_port()
    settings = root / "etc/fxa-server/fxa-server.env"
    edited = []
    for line in settings.read_text().splitlines():
        if line.startswith("FXA_PUBLIC_URL="):
            line = f"FXA_PUBLIC_URL=http://127.0.0.1:{port}"
        elif line.startswith("FXA_PORT="):
            line = f"FXA_PORT={port}"
        elif line.startswith("FXA_SMTP_URL="):
            line = f"FXA_SMTP_URL=smtp://127.0.0.1:{controller.port}?starttls=off"
        edited.append(line)
    settings.write_text("\n".join(edited) + "\n")

    service = InstalledService(root, tmp_path / "service.log").wait_ready()
    try:
        version = requests.get(service.base + "/__version__", timeout=10).json()
        head = run("git", "-C", str(ROOT), "rev-parse", "HEAD", check=False).stdout.strip()
        assert version["build"] == "deb" and version["commit"] == head, version
        assert requests.get(service.base + "/__heartbeat__", timeout=10).status_code == 200

        # 5. A sign-up in production mode: the code arrives by SMTP, and the
        # allow-list from the settings file applies.
        address, password = "alice@example.org", "correct horse battery"
        created = requests.post(service.base + "/v1/account/create",
                                json={"email": address, "authPW": onepw_auth_pw(address, password)}, timeout=30)
        assert created.status_code == 200, created.text
        message = email.message_from_bytes(sink.messages[-1].content)
        verified = requests.post(service.base + "/v1/recovery_email/verify_code",
                                 json={"uid": created.json()["uid"], "code": message["X-Verify-Code"]}, timeout=10)
        assert verified.status_code == 200, verified.text
        refused = requests.post(service.base + "/v1/account/create",
                                json={"email": "mallory@example.net", "authPW": "ab" * 32}, timeout=30)
        assert refused.status_code == 403 and refused.json()["errno"] == 202, refused.text

        # 6. An operator command as the service's user, with the same settings
        # read inside the command, while the server runs.
        env = service.unit.environment(root)
        assignments = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        created_client = in_root(
            root, "sh", "-c",
            f"cd /var/lib/fxa-server && env {assignments} fxa-server client create --name Notes "
            "--redirect-uri https://notes.example.org/callback", user="fxa-server")
        assert created_client.returncode == 0, created_client.stderr
        assert "/var/lib/fxa-server/fxa.sqlite" in created_client.stderr

        # The files it writes are the service user's and nobody else's.
        for name in ("fxa.sqlite", "fxa.sqlite-wal"):
            owner_mode = in_root(root, "stat", "-c", "%U %a", f"/var/lib/fxa-server/{name}").stdout.split()
            assert owner_mode == ["fxa-server", "600"], (name, owner_mode)
    finally:
        assert service.stop() == 0, service.log()
    assert "warning" not in service.log().lower(), service.log()
    # The static runtime hides the executor hook from NIO's dlsym; the
    # server sets it through the linker instead (EventLoopConcurrency), so
    # the packaged binary runs Swift concurrency on its event loops too.
    assert "Swift concurrency runs on its own thread pool" not in service.log(), service.log()

    # 7. After a restart the account is still there: it signs in.
    service = InstalledService(root, tmp_path / "service-2.log").wait_ready()
    try:
        login = requests.post(service.base + "/v1/account/login",
                              json={"email": address, "authPW": onepw_auth_pw(address, password)}, timeout=30)
        assert login.status_code == 200, login.text
    finally:
        assert service.stop() == 0

    # 8. Installing again (a reinstall or upgrade) keeps the user, the
    # settings the operator edited and the data.
    again = in_root(root, "dpkg", "-i", "/tmp/fxa-server.deb")
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"FXA_PORT={port}" in settings.read_text()
    assert in_root(root, "getent", "passwd", "fxa-server").stdout.split(":")[5] == "/var/lib/fxa-server"
    assert in_root(root, "stat", "-c", "%U %G %a", "/etc/fxa-server/fxa-server.env").stdout.split() == \
        ["root", "fxa-server", "640"]
    assert in_root(root, "stat", "-c", "%U %a", "/var/lib/fxa-server/fxa.sqlite").stdout.split() == ["fxa-server", "600"]

    # 9. Purging removes the program and its settings, never the accounts.
    purged = in_root(root, "dpkg", "--purge", "fxa-server")
    assert purged.returncode == 0, purged.stdout + purged.stderr
    assert not (root / "usr/bin/fxa-server").exists() and not (root / "etc/fxa-server").exists()
    assert (root / "var/lib/fxa-server/fxa.sqlite").exists()
    assert "was kept" in purged.stdout
