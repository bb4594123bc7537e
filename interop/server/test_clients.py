"""`fxa-server client ...` as an operator scripts it: JSON on stdout even on a
fresh database (logs go to stderr), the secret printed once and never again."""
import json


def test_client_commands_print_the_secret_once_and_json_is_pipeable(fxa_cli):
    created = fxa_cli("client", "create", "--name", "Example RP", "--redirect-uri", "https://rp.example/cb",
                      "--redirect-uri", "http://127.0.0.1:8000/cb", "--scope", "profile", "--scope", "openid", "--json")
    assert created.returncode == 0, created.stderr
    client = json.loads(created.stdout)
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
