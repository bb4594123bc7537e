"""OAuth grants end with the password, seen through PyFxA 0.9's own
clients: an offline grant (access + refresh token) is taken for a signed-in
session, then the password is changed or reset with PyFxA's core client.

FxA's rule: a password change removes the tokens of public clients (and
of canGrant clients such as a browser); a confidential RP keeps its grant,
hears the password-change event and decides. A reset removes every grant,
authorization codes not yet exchanged included."""
import pytest
from fxa.errors import ClientError
from fxa.profile import Client as Profile

from pyfxa_support import (authorization_code, errno_of, oauth_client, offline_tokens, refresh, register_client,
                           reset_password, sign_in)

PASSWORD = "correct horse battery"


@pytest.fixture
def rp(start_server, fxa_cli):
    public = register_client(fxa_cli, "Public RP", "--public")
    confidential = register_client(fxa_cli, "Confidential RP")
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true"})
    email, core, session = sign_in(server, "ends", PASSWORD)
    return server, core, email, session, {"public": public, "confidential": confidential}


def assert_tokens_work(server, client, tokens):
    """The refresh token mints an access token; the access token reads the profile."""
    assert refresh(server, client, tokens["refresh_token"])["access_token"]
    assert Profile(server.base).get_profile(tokens["access_token"])["uid"]


def assert_tokens_refused(server, client, tokens):
    """Refresh: 400 errno 108 at /v1/token. Access token: 401 at /v1/profile,
    and 400 errno 108 from /v1/verify (PyFxA's verify_token falls back to
    it for an opaque token)."""
    with pytest.raises(ClientError) as refreshed:
        refresh(server, client, tokens["refresh_token"])
    assert refreshed.value.details["code"] == 400 and errno_of(refreshed) == 108, refreshed.value.details
    with pytest.raises(ClientError) as profile:
        Profile(server.base).get_profile(tokens["access_token"])
    assert profile.value.details["code"] == 401, profile.value.details
    with pytest.raises(ClientError) as verified:
        oauth_client(server, client).verify_token(tokens["access_token"])
    assert verified.value.details["code"] == 400 and errno_of(verified) == 108, verified.value.details


def test_a_password_change_ends_a_public_clients_tokens(rp):
    server, _, _, session, clients = rp
    tokens = offline_tokens(server, clients["public"], session)
    assert_tokens_work(server, clients["public"], tokens)

    session.change_password(PASSWORD, "a new horse battery")
    assert_tokens_refused(server, clients["public"], tokens)


def test_a_confidential_clients_tokens_survive_a_password_change(rp):
    server, _, _, session, clients = rp
    tokens = offline_tokens(server, clients["confidential"], session)

    session.change_password(PASSWORD, "a new horse battery")
    assert_tokens_work(server, clients["confidential"], tokens)
    assert oauth_client(server, clients["confidential"]).verify_token(tokens["access_token"])["user"] == session.uid


@pytest.mark.parametrize("kind", ["public", "confidential"])
def test_a_password_reset_ends_every_clients_tokens_and_unexchanged_codes(rp, kind):
    server, core, email, session, clients = rp
    client = clients[kind]
    tokens = offline_tokens(server, client, session)
    assert_tokens_work(server, client, tokens)
    oauth = oauth_client(server, client)
    challenge, verifier = oauth.generate_pkce_challenge()
    pending = authorization_code(server, session, client, "profile", **challenge)

    reset_password(server, core, email, "after the reset")
    assert_tokens_refused(server, client, tokens)
    with pytest.raises(ClientError) as exchanged:
        oauth.trade_code(pending, **verifier)
    assert exchanged.value.details["code"] == 400 and errno_of(exchanged) == 105, exchanged.value.details
