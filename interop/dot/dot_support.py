"""The django-oauth-toolkit provider and the example relying party as real
processes on loopback, and a small cookie-keeping "browser" that walks
redirects and submits the provider's HTML forms.

The test process configures Django on the provider's own settings and
SQLite file, so users and clients are created with the ORM while the
provider serves (runserver, no reloader, in its own process).
"""
import base64
import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# Redirect URI of the clients the suite drives itself: never requested.
PROBE_REDIRECT = "http://127.0.0.1:9/probe/callback"


def notes_binary() -> str:
    return os.environ.get("FXA_NOTES_BIN") or str(ROOT / ".build" / "debug" / "fxa-notes-example")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def jwt_parts(token):
    """Header and claims of a compact JWS, unverified."""
    def part(segment):
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))

    header, claims, _ = token.split(".")
    return part(header), part(claims)


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def wait_until_ready(url, process, describe, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{describe} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise AssertionError(f"{describe} not ready after {timeout}s")


class LoggedProcess:
    def __init__(self, argv, log_path: Path, env, cwd):
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                        stdout=self._log, stderr=subprocess.STDOUT)

    def log(self, since=0) -> str:
        if not self._log.closed:
            self._log.flush()
        with open(self.log_path, "rb") as f:
            f.seek(since)
            return f.read().decode(errors="replace")

    def log_size(self) -> int:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.stat().st_size

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


class DotProvider(LoggedProcess):
    """django-oauth-toolkit on 127.0.0.1:<port>, its data in `workdir`."""

    def __init__(self, workdir: Path, port=None, timeout=30.0):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        started = time.monotonic()
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.issuer = self.base + "/o"
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (workdir / "oidc.key").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DOT_", "DJANGO_"))}
        env.update(DOT_DATA_DIR=str(workdir), DOT_SECRET_KEY=secrets.token_urlsafe(40),
                   DJANGO_SETTINGS_MODULE="dotidp.settings", PYTHONUNBUFFERED="1",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")])))

        # This process gets the same settings, creates the tables and later
        # the users and clients.
        for name in ("DOT_DATA_DIR", "DOT_SECRET_KEY", "DJANGO_SETTINGS_MODULE"):
            os.environ[name] = env[name]
        if str(HERE) not in sys.path:
            sys.path.insert(0, str(HERE))
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)

        super().__init__([sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}",
                          "--noreload", "--skip-checks"],
                         workdir / "dot.log", env, cwd=workdir)
        try:
            wait_until_ready(self.issuer + "/.well-known/openid-configuration", self.process,
                             "django-oauth-toolkit", timeout)
        except AssertionError as error:
            self.stop()
            raise AssertionError(f"{error}:\n{self.log()}") from None
        self.startup_seconds = time.monotonic() - started
        self.metadata = requests.get(self.issuer + "/.well-known/openid-configuration", timeout=10).json()

    def add_user(self, name, first_name, last_name):
        """A Django user `<name>-<random>` with a random password, kept on
        the returned object as `password_plain`."""
        from django.contrib.auth import get_user_model

        password = secrets.token_urlsafe(12)
        username = f"{name}-{secrets.token_hex(3)}"
        user = get_user_model().objects.create_user(
            username=username, email=f"{username}@example.test",
            first_name=first_name, last_name=last_name, password=password)
        user.password_plain = password
        return user

    def add_client(self, redirect_uri, public=False, skip_consent=None, name=None):
        """A code-flow client with RS256 ID tokens. Confidential clients skip
        the consent page and keep DOT's default hashed secret; public ones
        see the consent page. Returns {client_id, client_secret or None}."""
        from oauth2_provider.models import get_application_model

        App = get_application_model()
        client_id = "dot-" + secrets.token_hex(8)
        secret = None if public else secrets.token_urlsafe(32)
        app = App(name=name or ("public client" if public else "confidential client"), client_id=client_id,
                  client_type=App.CLIENT_PUBLIC if public else App.CLIENT_CONFIDENTIAL,
                  authorization_grant_type=App.GRANT_AUTHORIZATION_CODE, redirect_uris=redirect_uri,
                  algorithm=App.RS256_ALGORITHM,
                  skip_authorization=(not public) if skip_consent is None else skip_consent)
        if secret:
            app.client_secret = secret  # hashed on save
        app.save()
        return {"client_id": client_id, "client_secret": secret}


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"id": attrs.get("id"), "action": attrs.get("action") or "",
                             "method": (attrs.get("method") or "get").lower(), "inputs": []}
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and attrs.get("name"):
            self._current["inputs"].append(attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_of(html):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Browser:
    """One cookie jar per origin (requests' jar does not tell ports apart on
    127.0.0.1), redirects taken one at a time so a test can stop anywhere."""

    def __init__(self):
        self.sessions = {}

    def session(self, url) -> requests.Session:
        return self.sessions.setdefault(urlsplit(url).netloc, requests.Session())

    def get(self, url, **kwargs):
        return self.session(url).get(url, allow_redirects=False, timeout=10, **kwargs)

    def post(self, url, **kwargs):
        return self.session(url).post(url, allow_redirects=False, timeout=10, **kwargs)

    def submit(self, page, form_id, button=None, **values):
        """Submits form `form_id` of `page` as a browser would: its hidden and
        filled inputs, `button` as the submit control, then `values`."""
        form = next((f for f in forms_of(page.text) if f["id"] == form_id), None)
        assert form, f"no form #{form_id} at {page.url}:\n{page.text[:2000]}"
        data = {i["name"]: i.get("value", "") for i in form["inputs"] if i.get("type", "text") not in ("submit", "checkbox")}
        if button:
            data[button] = next(i.get("value", "") for i in form["inputs"] if i["name"] == button)
        data.update(values)
        return self.post(urljoin(page.url, form["action"]) if form["action"] else page.url, data=data,
                         headers={"Referer": page.url})


def through_provider(browser, url, stop_prefix, user, consent="allow", max_steps=12):
    """Walks from `url` through DOT (login form, consent form) until DOT
    redirects to a URL starting with `stop_prefix`; returns that URL
    unrequested and the pages seen. `consent`: "allow", "deny" or None
    (fail if asked)."""
    seen = []
    response = browser.get(url)
    for _ in range(max_steps):
        seen.append(response)
        if response.is_redirect:
            target = urljoin(response.url, response.headers["location"])
            if target.startswith(stop_prefix):
                return target, seen
            response = browser.get(target)
        elif response.status_code == 200 and 'id="login"' in response.text:
            response = browser.submit(response, "login", username=user.username, password=user.password_plain)
            assert response.is_redirect, f"login refused: {response.status_code}\n{response.text[:2000]}"
        elif response.status_code == 200 and 'id="authorizationForm"' in response.text:
            assert consent, f"unexpected consent page at {response.url}"
            response = browser.submit(response, "authorizationForm", button="allow" if consent == "allow" else None)
        else:
            raise AssertionError(f"unexpected page {response.status_code} at {response.url}:\n{response.text[:2000]}")
    raise AssertionError(f"no redirect to {stop_prefix} after {max_steps} steps: {[r.url for r in seen]}")


def code_flow(dot, client, user, scope="openid profile email", extra=None, browser=None, auth="basic"):
    """The authorization-code + PKCE flow driven directly with requests
    (redirect URI PROBE_REDIRECT, never requested). Returns (token response
    JSON, nonce, authorization parameters sent, redirect query)."""
    browser = browser or Browser()
    verifier, challenge = pkce_pair()
    params = {"response_type": "code", "client_id": client["client_id"], "redirect_uri": PROBE_REDIRECT,
              "scope": scope, "state": secrets.token_urlsafe(16), "nonce": secrets.token_urlsafe(16),
              "code_challenge": challenge, "code_challenge_method": "S256", **(extra or {})}
    url = dot.metadata["authorization_endpoint"] + "?" + requests.compat.urlencode(params)
    redirect, _ = through_provider(browser, url, PROBE_REDIRECT, user)
    returned = query_of(redirect)
    assert returned.get("state") == params["state"] and "code" in returned, returned
    data = {"grant_type": "authorization_code", "code": returned["code"], "redirect_uri": PROBE_REDIRECT,
            "code_verifier": verifier}
    kwargs = {}
    if client["client_secret"] and auth == "basic":
        kwargs["auth"] = (client["client_id"], client["client_secret"])
    else:
        data["client_id"] = client["client_id"]
        if client["client_secret"]:
            data["client_secret"] = client["client_secret"]
    token = requests.post(dot.metadata["token_endpoint"], data=data, timeout=10, **kwargs)
    assert token.status_code == 200, f"token: {token.status_code} {token.text}"
    return token.json(), params, returned


class NotesApp(LoggedProcess):
    """The example relying party (fxa-notes-example), configured by its
    environment only, on 127.0.0.1:<port>."""

    def __init__(self, binary, workdir: Path, issuer, client, scope, port=None, timeout=60.0):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.callback = self.base + "/auth/callback"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FXA_", "NOTES_"))}
        env.update(FXA_ISSUER=issuer, FXA_CLIENT_ID=client["client_id"], FXA_SCOPE=scope,
                   NOTES_PORT=str(self.port), NOTES_PUBLIC_URL=self.base,
                   NOTES_DATABASE=str(workdir / f"notes-{uuid.uuid4().hex[:6]}.sqlite"))
        if client.get("client_secret"):
            env["FXA_CLIENT_SECRET"] = client["client_secret"]
        super().__init__([binary], workdir / f"notes-{self.port}.log", env, cwd=workdir)
        try:
            wait_until_ready(self.base + "/healthz", self.process, "fxa-notes-example", timeout)
        except AssertionError as error:
            self.stop()
            raise AssertionError(f"{error}:\n{self.log()}") from None

    def me(self, browser):
        return browser.get(self.base + "/api/me")

    def logout(self, browser):
        """Presses the home page's "Sign out" button (a form with its CSRF token)."""
        return browser.submit(browser.get(self.base + "/"), "logout")
