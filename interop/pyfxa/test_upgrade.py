"""Data written by the previous build reads back unchanged on this one.

Opt-in: set FXA_PREVIOUS_SERVER_BIN to an fxa-server built from an earlier
commit (see docs/testing.md, "Checking an upgrade"). Run it whenever the
store's row types or migrations change: a column read under a new name, or
a value encoded differently, shows up here as lost data, which the
conformance suite (new code reading its own writes) cannot see.
"""
import os

import pytest
import requests
from fxa.profile import Client as Profile

from pyfxa_support import access_token, mail_header, offline_tokens, refresh, register_client, sign_in

PREVIOUS = os.environ.get("FXA_PREVIOUS_SERVER_BIN")
pytestmark = pytest.mark.skipif(not PREVIOUS, reason="FXA_PREVIOUS_SERVER_BIN is not set")
ENV = {"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true"}


def test_accounts_tokens_devices_profile_and_mail_survive_the_upgrade(start_server, fxa_cli, monkeypatch):
    current = os.environ.get("FXA_SERVER_BIN")
    monkeypatch.setenv("FXA_SERVER_BIN", PREVIOUS)
    client = register_client(fxa_cli, "Upgrade RP", scopes=("profile", "profile:write", "openid"))
    old = start_server(env=ENV)
    email, core, session = sign_in(old, "upgrade")
    device = session.apiclient.post("/account/device", {"name": "Old laptop", "type": "desktop"}, auth=session._auth)
    token = access_token(old, client, session, "profile profile:write")
    offline = offline_tokens(old, client, session)
    Profile(old.base).apiclient.post("/display_name", {"displayName": "Before"},
                                     auth=_bearer(token))
    verified_before = requests.post(f"{old.base}/v1/verify", json={"token": token}, timeout=10).json()
    forgot = core.send_reset_code(email)
    mail_before = requests.get(f"{old.base}/mail/{email.split('@')[0]}", timeout=5).json()
    assert mail_before
    old.kill()

    if current:
        monkeypatch.setenv("FXA_SERVER_BIN", current)
    else:
        monkeypatch.delenv("FXA_SERVER_BIN")
    new = start_server(env=ENV, port=old.port)  # the clients keep their server URL
    # The old session token, its device, the RP's tokens and the profile.
    assert session.get_email_status()["verified"] is True
    devices = session.apiclient.get("/account/devices", auth=session._auth)
    assert [(d["id"], d["name"], d["isCurrentDevice"]) for d in devices] == [(device["id"], "Old laptop", True)]
    verified = requests.post(f"{new.base}/v1/verify", json={"token": token}, timeout=10).json()
    assert verified == verified_before and verified["client_id"] == client["client_id"]
    profile = Profile(new.base).get_profile(token)
    assert profile["displayName"] == "Before" and profile["email"] == email
    assert refresh(new, client, offline["refresh_token"])["access_token"]
    assert requests.get(f"{new.base}/mail/{email.split('@')[0]}", timeout=5).json() == mail_before
    # The emailed code, stored hashed by the previous build, still redeems.
    assert forgot.verify_code(mail_header(new, email, "x-password-forgot-otp"))
    clients = fxa_cli("client", "list", "--json")
    assert clients.returncode == 0 and client["client_id"] in clients.stdout
    # A sign-in through the stored credentials, and signing out ends the old session.
    assert core.login(email, "correct horse battery").get_email_status()["verified"] is True
    session.destroy_session()
    assert requests.post(f"{new.base}/v1/verify", json={"token": token}, timeout=10).status_code == 200


def _bearer(token):
    from fxa._utils import BearerTokenAuth

    return BearerTokenAuth(token)
