"""`fxa-server client ...` as an operator scripts it: JSON on stdout even on a
fresh database (logs go to stderr), the secret printed once and never again,
and scopes the client could never be granted refused with what to do."""
import json


def test_client_commands_print_the_secret_once_and_json_is_pipeable(fxa_cli):
    created = fxa_cli("client", "create", "--name", "Example RP", "--redirect-uri", "https://rp.example/cb",
                      "--redirect-uri", "http://127.0.0.1:8000/cb", "--json")
    assert created.returncode == 0, created.stderr
    client = json.loads(created.stdout)
    assert client["allowed_scopes"] == ["openid", "profile:uid", "profile:email", "profile:display_name"], \
        "an untrusted client's defaults are what it can be granted"
    # Scopes it could never be granted are refused now, not at the first sign-in.
    never = fxa_cli("client", "create", "--name", "Too wide", "--redirect-uri", "https://rp.example/cb",
                    "--scope", "profile", "--scope", "openid")
    assert never.returncode != 0
    assert "never granted profile" in never.stderr and "--trusted" in never.stderr, never.stderr
    unknown = fxa_cli("client", "create", "--name", "Typo", "--redirect-uri", "https://rp.example/cb", "--trusted",
                      "--scope", "profile:emial")
    assert unknown.returncode != 0 and "unknown scope profile:emial" in unknown.stderr, unknown.stderr
    trusted = json.loads(fxa_cli("client", "create", "--name", "Own site", "--redirect-uri", "https://rp.example/cb",
                                 "--trusted", "--json").stdout)
    assert trusted["allowed_scopes"] == ["profile", "openid"]
    client_id, secret = client["client_id"], client["client_secret"]
    assert len(client_id) == 16 and len(secret) == 64
    assert client["redirect_uris"] == ["https://rp.example/cb", "http://127.0.0.1:8000/cb"]

    for args in (("client", "list", "--json"), ("client", "show", "--id", client_id, "--json"), ("client", "list")):
        result = fxa_cli(*args)
        assert result.returncode == 0, result.stderr
        assert secret not in result.stdout + result.stderr
        assert client_id in result.stdout

    rotated = fxa_cli("client", "rotate-secret", "--id", client_id, "--json")
    new_secret = json.loads(rotated.stdout)["client_secret"]
    assert new_secret != secret and len(new_secret) == 64
    assert json.loads(fxa_cli("client", "show", "--id", client_id, "--json").stdout)["has_previous_secret"] is True

    refused = fxa_cli("client", "create", "--name", "Bad", "--redirect-uri", "http://evil.example/cb")
    assert refused.returncode != 0
    assert "http" in refused.stderr

    assert fxa_cli("client", "delete", "--id", client_id).returncode == 0
    assert fxa_cli("client", "show", "--id", client_id).returncode != 0


FIREFOX = "5882386c6d801776"


def test_firefox_is_built_in_cannot_be_deleted_and_can_be_disabled(fxa_cli):
    assert fxa_cli("migrate").returncode == 0  # listing never makes a database
    listed = {client["client_id"]: client for client in json.loads(fxa_cli("client", "list", "--json").stdout)}
    firefox = listed[FIREFOX]
    assert firefox["built_in"] and firefox["public"] and firefox["trusted"] and not firefox["disabled"]
    assert firefox["redirect_uris"] == ["urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel"]

    refused = fxa_cli("client", "delete", "--id", FIREFOX)
    assert refused.returncode != 0 and "client disable" in refused.stderr
    assert fxa_cli("client", "disable", "--id", FIREFOX).returncode == 0
    assert "DISABLED" in next(line for line in fxa_cli("client", "list").stdout.splitlines() if line.startswith(FIREFOX))
    assert fxa_cli("client", "enable", "--id", FIREFOX).returncode == 0
    assert json.loads(fxa_cli("client", "show", "--id", FIREFOX, "--json").stdout)["disabled"] is False

    impostor = fxa_cli("client", "create", "--name", "Impostor", "--public", "--redirect-uri",
                       "urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel")
    assert impostor.returncode != 0
