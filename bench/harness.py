"""What the benches share: fxa-server on SQLite or on PostgreSQL, started
and stopped by the bench itself, its command line on the same database,
and a throwaway PostgreSQL cluster on loopback.

Only the standard library.
"""
import glob
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse

# Rate limits off (one client IP makes every request) and accounts verified
# at creation: the benches measure the server's paths, not customs or mail.
SETTINGS = {"FXA_RATE_LIMIT_PASSWORD": "0", "FXA_RATE_LIMIT_IP": "0", "FXA_RATE_LIMIT_EMAIL": "0",
            "FXA_RATE_LIMIT_CODE": "0", "FXA_AUTO_VERIFY": "true",
            "FXA_LOG_LEVEL": os.environ.get("FXA_LOG_LEVEL", "warning")}


def call(port, method, path, body=None, headers=None, form=False):
    """One request to a loopback server: status, headers and body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = dict(headers or {})
        payload = None
        if body is not None:
            payload = urllib.parse.urlencode(body).encode() if form else json.dumps(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Database:
    """Where a server keeps its data: SQLite in `data_dir`, or the
    PostgreSQL database at `url` (the data folder then holds nothing the
    bench reads)."""

    def __init__(self, data_dir, url=None):
        self.data_dir, self.url = data_dir, url

    @property
    def kind(self):
        return "postgres" if self.url else "sqlite"

    def env(self):
        """The settings that point a server or a CLI command at it."""
        env = {"FXA_DATA_DIR": self.data_dir}
        if self.url:
            env["FXA_DATABASE_URL"] = self.url
        return env


def cli(binary, database, *args):
    """An `fxa-server` command on `database`; its standard output."""
    return subprocess.run([binary, *args], capture_output=True, text=True, check=True,
                          env={**os.environ, **database.env()}, timeout=120).stdout


def start_server(binary, port, database, log, **settings):
    """fxa-server on `port` with the bench settings and `settings` (None
    leaves a setting to the server's default); returns the process and the
    seconds from its start to its first answer."""
    started = time.monotonic()
    env = {name: value for name, value in {**os.environ, **SETTINGS, **database.env(), **settings}.items()
           if value is not None}
    server = subprocess.Popen([binary, "serve", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env)
    while time.monotonic() - started < 120:
        try:
            if call(port, "GET", "/__lbheartbeat__")[0] == 200:
                return server, time.monotonic() - started
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.01)
    server.kill()
    sys.exit(f"fxa-server did not start on {database.kind}; see its log")


def stop_server(server):
    """SIGTERM, so queued writes commit and the process exits cleanly."""
    if server.poll() is None:
        server.terminate()
        server.wait(timeout=60)


class PostgresCluster:
    """A throwaway PostgreSQL cluster on loopback, as .ci/run starts one,
    but durable as SQLite's default is: fsync and synchronous_commit stay
    on, so a commit is acknowledged only once it is on disk. Installed with
    apt-get when missing; owned by the `postgres` user when run as root."""

    def __init__(self, work):
        self.bin = self.find_bin() or self.install()
        self.data = os.path.join(work, "pgdata")
        self.port = free_port()
        self.as_owner = []
        os.makedirs(self.data)
        if os.geteuid() == 0:
            subprocess.run(["id", "postgres"], check=True, capture_output=True)
            os.chmod(work, 0o755)
            shutil.chown(self.data, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        subprocess.run([*self.as_owner, f"{self.bin}/initdb", "-D", self.data, "-U", "fxa", "--auth=trust",
                        "-E", "UTF8"], check=True, capture_output=True)
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.data} "
                   "-c max_connections=200")
        subprocess.run([*self.as_owner, f"{self.bin}/pg_ctl", "-D", self.data, "-w", "-l",
                        os.path.join(self.data, "server.log"), "-o", options, "start"], check=True, capture_output=True)

    @staticmethod
    def find_bin():
        found = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.path.exists(os.path.join(d, "initdb"))]
        return sorted(found, key=lambda d: int(d.split("/")[-2]))[-1] if found else None

    @classmethod
    def install(cls):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql", "postgresql-client"], check=True, env=env,
                       capture_output=True)
        return cls.find_bin()

    def create(self, name):
        """A new, empty database; its URL."""
        self.psql("postgres", f"CREATE DATABASE {name}")
        return f"postgres://fxa@127.0.0.1:{self.port}/{name}?tlsmode=disable"

    def psql(self, database, sql):
        """Runs `sql`; its unaligned, tuples-only output."""
        return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "fxa", "-d", database,
                               "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
                              check=True, capture_output=True, text=True).stdout

    def stop(self):
        subprocess.run([*self.as_owner, f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "stop"],
                       capture_output=True)
