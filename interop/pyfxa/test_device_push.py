"""Web Push to devices, checked by Mozilla's own decryptor: PyFxA sessions
register devices with push subscriptions whose endpoints are a loopback
receiver (allowed by FXA_PUSH_ALLOWED_ORIGINS). What the server sends is
opened with `http_ece` (RFC 8188/8291, by the author of both RFCs) using
the subscriptions' private keys, and its VAPID header (RFC 8292) is checked
with PyJWT. A push service's 410 marks the endpoint expired."""
import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import fxa.errors
import http_ece
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from pyfxa_support import errno_of, sign_in

SEND_TAB = "https://identity.mozilla.com/cmd/open-uri"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class PushService:
    """A push service on loopback: records each push and answers as told
    (`answers[path]`, 201 by default)."""

    def __init__(self):
        self.received = []
        self.answers = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                service.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(service.answers.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait(self, path, count=1, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pushes = [p for p in self.received if p["path"] == path]
            if len(pushes) >= count:
                return pushes
            time.sleep(0.05)
        raise AssertionError(f"no push #{count} to {path} after {timeout}s: {[p['path'] for p in self.received]}")

    def close(self):
        self.httpd.shutdown()


class Subscription:
    """A browser's push subscription: P-256 key pair and auth secret."""

    def __init__(self, service, name):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.path = f"/push/{name}"
        self.endpoint = service.origin + self.path
        self.public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)

    def fields(self):
        return {"pushCallback": self.endpoint, "pushPublicKey": b64(self.public), "pushAuthKey": b64(self.auth)}

    def open(self, push):
        assert push["headers"]["Content-Encoding"] == "aes128gcm"
        return json.loads(http_ece.decrypt(push["body"], private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


def register(session, name, subscription=None, commands=None):
    body = {"name": name, "type": "desktop", "availableCommands": commands or {SEND_TAB: "{}"}}
    if subscription:
        body.update(subscription.fields())
    return session.apiclient.post("/account/device", body, auth=session._auth)


def devices(session):
    return session.apiclient.get("/account/devices", auth=session._auth)


def test_devices_are_woken_by_encrypted_vapid_signed_pushes(start_server, push_service):
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true",
                               "FXA_PUSH_ALLOWED_ORIGINS": push_service.origin})
    email, core, laptop = sign_in(server, "push")
    phone = core.login(email, "correct horse battery")
    laptop_push, phone_push = Subscription(push_service, "laptop"), Subscription(push_service, "phone")

    laptop_id = register(laptop, "Laptop", laptop_push)["id"]
    # A new device: the others hear that it connected.
    phone_id = register(phone, "Phone", phone_push)["id"]
    connected = laptop_push.open(push_service.wait(laptop_push.path)[0])
    assert connected == {"version": 1, "command": "fxaccounts:device_connected", "data": {"deviceName": "Phone"}}

    # Send Tab: queued, and the target woken with where to fetch it.
    sent = laptop.apiclient.post("/account/devices/invoke_command", {
        "target": phone_id, "command": SEND_TAB, "payload": {"encrypted": "opaque"}, "ttl": 60}, auth=laptop._auth)
    assert sent == {"enqueued": True, "notified": True}
    push = push_service.wait(phone_push.path)[0]
    message = phone_push.open(push)
    assert message["command"] == "fxaccounts:command_received"
    data = message["data"]
    assert data["command"] == SEND_TAB and data["sender"] == laptop_id
    assert data["url"] == f"{server.base}/v1/account/device/commands?index={data['index']}&limit=1"
    assert push["headers"]["TTL"] == "60"
    queued = phone.apiclient.get(f"/account/device/commands?index={data['index']}&limit=1", auth=phone._auth)
    assert queued["messages"][0]["data"]["payload"] == {"encrypted": "opaque"}

    # The VAPID header: an ES256 JWT for the push service's origin, signed
    # by the key it names.
    scheme, _, params = push["headers"]["Authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    point = base64.urlsafe_b64decode(fields["k"] + "=" * (-len(fields["k"]) % 4))
    vapid_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    claims = jwt.decode(fields["t"], vapid_key, algorithms=["ES256"], audience=push_service.origin)
    # RFC 8292 §2.1: sub is mailto: or https:; this test server is plain http.
    assert claims["sub"] == "mailto:accounts@127.0.0.1" and claims["exp"] > time.time()

    # notify: to all but the laptop.
    laptop.apiclient.post("/account/devices/notify", {
        "to": "all", "excluded": [laptop_id], "payload": {"version": 1, "command": "fxaccounts:profile_updated"}},
        auth=laptop._auth)
    assert phone_push.open(push_service.wait(phone_push.path, 2)[1])["command"] == "fxaccounts:profile_updated"

    # A push service that says the endpoint is gone: the device is told to subscribe again.
    push_service.answers[laptop_push.path] = 410
    phone.apiclient.post("/account/devices/notify", {
        "to": [laptop_id], "payload": {"version": 1, "command": "fxaccounts:profile_updated"}}, auth=phone._auth)
    push_service.wait(laptop_push.path, 2)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        listed = {d["id"]: d for d in devices(phone)}
        if listed[laptop_id]["pushEndpointExpired"]:
            break
        time.sleep(0.1)
    assert listed[laptop_id]["pushEndpointExpired"] is True
    assert listed[phone_id]["pushEndpointExpired"] is False
    # An expired endpoint is not pushed to: a command says why.
    again = phone.apiclient.post("/account/devices/invoke_command", {
        "target": laptop_id, "command": SEND_TAB, "payload": {"encrypted": "x"}}, auth=phone._auth)
    assert again == {"enqueued": True, "notified": False, "notifyError": "expiredCallback"}
    # A new subscription clears it.
    fresh = Subscription(push_service, "laptop-2")
    assert register(laptop, "Laptop", fresh)["pushEndpointExpired"] is False

    # Signing the phone out: every device hears, the phone too.
    laptop.apiclient.post("/account/device/destroy", {"id": phone_id}, auth=laptop._auth)
    gone = fresh.open(push_service.wait(fresh.path)[0])
    assert gone == {"version": 1, "command": "fxaccounts:device_disconnected", "data": {"id": phone_id}}
    assert phone_push.open(push_service.wait(phone_push.path, 3)[2])["command"] == "fxaccounts:device_disconnected"


def test_endpoints_off_the_allowed_push_services_are_refused(start_server, push_service):
    """Only Mozilla's push service and the configured origins may receive
    pushes: the server never POSTs where an account says. A device already
    pushed to cannot move its endpoint elsewhere, and a push then reaches
    only the allowed endpoint."""
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true",
                               "FXA_PUSH_ALLOWED_ORIGINS": push_service.origin})
    email, core, laptop = sign_in(server, "push-refused")
    phone = core.login(email, "correct horse battery")
    allowed = Subscription(push_service, "allowed")
    laptop_id = register(laptop, "Laptop", allowed)["id"]

    elsewhere = Subscription(push_service, "elsewhere")
    elsewhere.endpoint = elsewhere.endpoint.replace("127.0.0.1", "localhost")  # another origin, same receiver
    with pytest.raises(fxa.errors.ClientError) as refused:
        register(laptop, "Laptop", elsewhere)
    assert errno_of(refused) == 107
    with pytest.raises(fxa.errors.ClientError) as refused_new:
        register(phone, "Phone", elsewhere)
    assert errno_of(refused_new) == 107

    phone.apiclient.post("/account/devices/notify", {
        "to": [laptop_id], "payload": {"version": 1, "command": "fxaccounts:profile_updated"}}, auth=phone._auth)
    assert allowed.open(push_service.wait(allowed.path)[0])["command"] == "fxaccounts:profile_updated"
    time.sleep(0.5)
    assert [p["path"] for p in push_service.received] == [allowed.path]
