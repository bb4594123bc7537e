"""PyFxA 0.8.2, the last release that signs with Hawk, unchanged, against a
fresh fxa-server: lifecycle for both stretching versions with the legacy
reset-code flow, and Hawk's replay and clock-skew rules."""
import time

import hawkauthlib
import pytest
import requests
from fxa._utils import HawkTokenAuth
from fxa.core import Client
from fxa.errors import ClientError

from pyfxa_support import clear_mail, credentials_version, errno_of, mail_header, new_email, server  # noqa: F401

PASSWORD = "correct horse battery"


def verified_account(server, kv):
    client = Client(server.base + "/v1", key_stretch_version=kv)
    email = new_email("hawk")
    session = client.create_account(email, PASSWORD, keys=True)
    session.verify_email_code(mail_header(server, email, "x-verify-code"))
    return client, email, session


@pytest.mark.parametrize("kv", [1, 2])
def test_lifecycle_with_hawk_and_the_legacy_reset_code(server, kv):
    client, email, session = verified_account(server, kv)
    kA, kB = session.fetch_keys()
    session.check_session_status()  # asserts the uid itself
    assert session.get_email_status()["verified"] is True

    login = client.login(email, PASSWORD, keys=True)
    assert login.fetch_keys() == (kA, kB)
    assert credentials_version(server, email) == f"v{kv}"

    client.change_password(email, PASSWORD, "a new horse battery")
    with pytest.raises(ClientError) as wrong:
        client.login(email, PASSWORD)
    assert errno_of(wrong) == 103
    assert client.login(email, "a new horse battery", keys=True).fetch_keys()[1] == kB

    clear_mail(server, email)
    forgot = client.send_reset_code(email)
    assert forgot.get_status()["tries"] > 0
    reset_token = forgot.verify_code(mail_header(server, email, "x-recovery-code"))
    client.reset_account(email, reset_token, password="after the reset")
    kA2, kB2 = client.login(email, "after the reset", keys=True).fetch_keys()
    assert kB2 != kB

    client.destroy_account(email, "after the reset")
    with pytest.raises(ClientError) as gone:
        client.login(email, "after the reset")
    assert errno_of(gone) == 102


def test_a_v1_account_upgrades_when_a_v2_client_logs_in(server):
    _, email, session = verified_account(server, 1)
    kA, kB = session.fetch_keys()
    upgraded = Client(server.base + "/v1", key_stretch_version=2).login(email, PASSWORD, keys=True)
    assert credentials_version(server, email) == "v2"
    assert upgraded.fetch_keys() == (kA, kB)


def signed_get(server, token, ts, nonce):
    request = requests.Request("GET", server.base + "/v1/session/status").prepare()
    request.headers["Host"] = f"127.0.0.1:{server.port}"
    auth = HawkTokenAuth(token, "sessionToken")
    hawkauthlib.sign_request(request, auth.id, auth.auth_key, params={"ts": str(ts), "nonce": nonce})
    return requests.Session().send(request, timeout=10)


def test_hawk_replays_and_stale_timestamps_are_refused(server):
    _, _, session = verified_account(server, 1)
    now = int(time.time())
    first = signed_get(server, session.token, now, "n0nce1")
    assert first.status_code == 200, first.text
    assert abs(int(first.headers["Timestamp"]) - now) <= 5

    replay = signed_get(server, session.token, now, "n0nce1")
    assert replay.status_code == 401 and replay.json()["errno"] == 115

    stale = signed_get(server, session.token, now - 600, "n0nce2")
    assert stale.status_code == 401 and stale.json()["errno"] == 111
    assert abs(stale.json()["serverTime"] - now) <= 5

    forged = signed_get(server, "cd" * 32, now, "n0nce3")
    assert forged.status_code == 401 and forged.json()["errno"] == 110
