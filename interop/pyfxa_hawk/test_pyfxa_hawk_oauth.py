"""PyFxA 0.8.2's OAuth client signs /oauth/authorization with the session's
Hawk credentials; the code it gets must trade for a token (PKCE, public client)."""
import json

from fxa.core import Client
from fxa.oauth import Client as OAuth

from pyfxa_support import new_email


def test_hawk_signed_authorization_and_pkce_exchange(start_server, fxa_cli):
    created = fxa_cli("client", "create", "--name", "Hawk RP", "--redirect-uri", "https://rp.example/cb",
                      "--scope", "profile", "--trusted", "--public", "--json")
    assert created.returncode == 0, created.stderr
    client_id = json.loads(created.stdout)["client_id"]
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true"})
    core = Client(server.base + "/v1")
    email = new_email("hawkoauth")
    core.create_account(email, "correct horse battery")
    session = core.login(email, "correct horse battery")
    oauth = OAuth(client_id=client_id, server_url=server.base + "/v1", cache=None)
    token = oauth.authorize_token(session, scope="profile")
    assert oauth.verify_token(token, scope="profile")["user"] == session.uid
