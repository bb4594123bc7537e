"""PyFxA 0.9 (current release, prefixed Bearer tokens), unchanged, against a
fresh fxa-server: the whole account lifecycle for both key-stretching
versions, upgrade and legacy login, and reset by emailed OTP."""
import pytest
import requests
from fxa.core import Client
from fxa.errors import ClientError

from pyfxa_support import clear_mail, credentials_version, errno_of, mail_header, new_email, server  # noqa: F401

PASSWORD = "correct horse battery"


def verified_account(server, kv, keys=True):
    client = Client(server.base + "/v1", key_stretch_version=kv)
    email = new_email()
    session = client.create_account(email, PASSWORD, keys=keys)
    assert mail_header(server, email, "x-uid") == session.uid
    session.verify_email_code(mail_header(server, email, "x-verify-code"))
    return client, email, session


@pytest.mark.parametrize("kv", [1, 2])
def test_lifecycle_create_verify_login_change_reset_destroy(server, kv):
    client, email, session = verified_account(server, kv)
    kA, kB = session.fetch_keys()
    assert len(kA) == 32 and len(kB) == 32
    assert credentials_version(server, email) == f"v{kv}"
    assert session.get_email_status()["verified"] is True
    session.check_session_status()  # asserts the uid itself

    login = client.login(email, PASSWORD, keys=True)
    assert login.verified
    assert login.fetch_keys() == (kA, kB)

    # Password change keeps kB; the old password stops working.
    login.change_password(PASSWORD, "a new horse battery")
    login.check_session_status()  # the replacement session works
    with pytest.raises(ClientError) as wrong:
        client.login(email, PASSWORD)
    assert errno_of(wrong) == 103
    assert client.login(email, "a new horse battery", keys=True).fetch_keys()[1] == kB

    # Reset by emailed one-time code: a new kB.
    clear_mail(server, email)
    forgot = client.send_reset_code(email)
    otp = mail_header(server, email, "x-password-forgot-otp")
    assert len(otp) == 8 and otp.isdigit()
    with pytest.raises(ClientError):
        client.verify_reset_otp(email, "00000000" if otp != "00000000" else "11111111")
    reset_token = forgot.verify_code(otp)
    assert forgot.uid == session.uid
    client.reset_account(email, reset_token, password="after the reset")
    with pytest.raises(ClientError) as old:
        client.login(email, "a new horse battery")
    assert errno_of(old) == 103
    after = client.login(email, "after the reset", keys=True)
    kA2, kB2 = after.fetch_keys()
    assert kB2 != kB
    assert credentials_version(server, email) == f"v{kv}"

    client.destroy_account(email, "after the reset")
    with pytest.raises(ClientError) as gone:
        client.login(email, "after the reset")
    assert errno_of(gone) == 102


def test_a_v1_account_upgrades_to_v2_at_login_and_keeps_kb(server):
    _, email, session = verified_account(server, 1)
    kA, kB = session.fetch_keys()
    assert credentials_version(server, email) == "v1"
    v2_client = Client(server.base + "/v1", key_stretch_version=2)
    upgraded = v2_client.login(email, PASSWORD, keys=True)
    assert credentials_version(server, email) == "v2"
    assert upgraded.fetch_keys() == (kA, kB)
    assert v2_client.login(email, PASSWORD, keys=True).fetch_keys() == (kA, kB)


def test_a_v2_account_still_accepts_a_v1_login_with_the_same_kb(server):
    _, email, session = verified_account(server, 2)
    kA, kB = session.fetch_keys()
    v1_client = Client(server.base + "/v1", key_stretch_version=1)
    assert v1_client.login(email, PASSWORD, keys=True).fetch_keys() == (kA, kB)
    assert credentials_version(server, email) == "v2"


def test_sessions_end_and_bad_tokens_are_refused(server):
    client, email, session = verified_account(server, 2, keys=False)
    assert len(client.get_random_bytes()) == 32
    session.destroy_session()
    with pytest.raises(ClientError) as destroyed:
        session.check_session_status()
    assert errno_of(destroyed) == 110
    # A session token sent with another kind's prefix is refused.
    response = requests.get(server.base + "/v1/session/status",
                            headers={"Authorization": "Bearer fxk_" + "ab" * 32}, timeout=10)
    assert response.status_code == 401 and response.json()["errno"] == 110
