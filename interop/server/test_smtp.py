"""Production mail through a real SMTP server (aiosmtpd), and the operator's
account commands. The relay here is plain SMTP on loopback (`starttls=off`);
that a relay without STARTTLS is refused by default is checked too."""
import email
import os
import subprocess

import pytest
import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from conftest import free_port, onepw_auth_pw, server_binary


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("rejected@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"mailer" and auth_data.password == b"s3cret!"
    return AuthResult(success=ok)


@pytest.fixture
def relay():
    sink = Sink()
    controller = Controller(
        sink, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
        auth_require_tls=False, auth_required=True)
    controller.start()
    yield controller, sink
    controller.stop()


def create(server, address):
    return requests.post(server.base + "/v1/account/create", json={"email": address, "authPW": "ab" * 32}, timeout=30)


def test_production_mode_sends_the_code_by_smtp_and_serves_no_mailbox(start_server, relay):
    controller, sink = relay
    server = start_server(
        "--mode", "production", "--smtp-url", f"smtp://mailer:s3cret%21@127.0.0.1:{controller.port}?starttls=off",
        "--mail-from", "accounts@example.test")
    response = create(server, "alice@example.test")
    assert response.status_code == 200, response.text
    assert len(sink.messages) == 1
    envelope = sink.messages[0]
    assert envelope.mail_from == "accounts@example.test"
    assert envelope.rcpt_tos == ["alice@example.test"]
    message = email.message_from_bytes(envelope.content)
    assert message["To"] == "alice@example.test"
    assert len(message["X-Verify-Code"]) == 32
    assert message["X-Uid"] == response.json()["uid"]
    assert message["X-Verify-Code"] in message.get_payload()

    # The code from the mail verifies the account.
    verified = requests.post(server.base + "/v1/recovery_email/verify_code",
                             json={"uid": message["X-Uid"], "code": message["X-Verify-Code"]}, timeout=10)
    assert verified.status_code == 200 and verified.json() == {}
    assert server.get("/mail/alice").status_code == 404
    assert server.get("/__mail__").status_code == 404
    assert "s3cret" not in server.log()


def test_a_message_the_relay_refuses_fails_the_request_with_errno_151(start_server, relay):
    controller, sink = relay
    server = start_server(
        "--mode", "production", "--smtp-url", f"smtp://mailer:s3cret%21@127.0.0.1:{controller.port}?starttls=off")
    response = create(server, "rejected@example.test")
    assert response.status_code == 500
    assert response.json()["errno"] == 151
    assert "127.0.0.1" not in response.text
    assert sink.messages == []
    assert "550" in server.log() and "s3cret" not in server.log()


def test_a_relay_without_starttls_is_refused_unless_told(start_server, relay):
    controller, sink = relay
    server = start_server("--mode", "production", "--smtp-url", f"smtp://mailer:s3cret%21@127.0.0.1:{controller.port}")
    response = create(server, "carol@example.test")
    assert response.json()["errno"] == 151
    assert sink.messages == []
    assert "STARTTLS" in server.log()


def test_production_mode_without_smtp_refuses_to_start(fxa_cli):
    result = fxa_cli("serve", "--mode", "production", "--port", str(free_port()))
    assert result.returncode != 0
    assert "FXA_SMTP_URL" in (result.stdout + result.stderr)


def test_operator_account_commands(fxa_cli, start_server, tmp_path):
    def run(*args, input_text=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("FXA_")}
        return subprocess.run([server_binary(), *args], input=input_text, capture_output=True, text=True,
                              timeout=120, env=env, cwd=tmp_path)

    created = run("account", "create", "--email", "Op@Example.test", input_text="a long password\n")
    assert created.returncode == 0, created.stdout + created.stderr
    assert "a long password" not in created.stdout + created.stderr
    assert run("account", "create", "--email", "op@example.test", input_text="another password\n").returncode != 0
    assert run("account", "create", "--email", "short@example.test", input_text="short\n").returncode != 0
    listed = run("account", "list")
    assert "Op@Example.test" in listed.stdout and " verified " in listed.stdout and " v2 " in listed.stdout

    server = start_server()
    login = requests.post(server.base + "/v1/account/login", timeout=30, json={
        "email": "Op@Example.test", "authPW": onepw_auth_pw("Op@Example.test", "a long password")})
    assert login.status_code == 200, login.text
    assert login.json()["verified"] is True
    server.kill()

    deleted = run("account", "delete", "--email", "op@example.test")
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    assert "Op@Example.test" not in run("account", "list").stdout


def test_mail_test_sends_one_message_and_shows_the_relays_answer(fxa_cli, relay):
    controller, sink = relay
    url = f"smtp://mailer:s3cret%21@127.0.0.1:{controller.port}?starttls=off"
    sent = fxa_cli("mail", "test", "--to", "operator@example.test", "--mode", "production", "--smtp-url", url,
                   "--mail-from", "accounts@example.test")
    assert sent.returncode == 0, sent.stderr
    assert "sent to operator@example.test" in sent.stdout and "answered 250" in sent.stdout, sent.stdout
    assert [envelope.rcpt_tos for envelope in sink.messages] == [["operator@example.test"]]
    assert "s3cret" not in sent.stdout + sent.stderr

    refused = fxa_cli("mail", "test", "--to", "rejected@example.test", "--mode", "production", "--smtp-url", url,
                      "--mail-from", "accounts@example.test")
    assert refused.returncode != 0
    assert "550" in refused.stderr and "no such mailbox" in refused.stderr, refused.stderr

    unconfigured = fxa_cli("mail", "test", "--to", "operator@example.test")
    assert unconfigured.returncode != 0 and "FXA_SMTP_URL" in unconfigured.stderr


def test_production_warns_at_start_up_when_the_relay_cannot_be_reached(start_server):
    server = start_server(
        "--mode", "production", "--smtp-url", f"smtp://127.0.0.1:{free_port()}?starttls=off",
        "--mail-from", "accounts@example.test")
    assert server.get("/__heartbeat__").status_code == 200, "the server starts anyway"
    assert "cannot be reached" in server.log() and "fxa-server mail test" in server.log()
