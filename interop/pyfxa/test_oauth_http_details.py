"""What RFC 6749 and RFC 6750 ask of the token and profile endpoints at
the HTTP level, checked with plain `requests` (PyFxA reads none of it):
the request media type, caching headers on token responses, the
authentication challenges, and the access-token lifetime cap. The codes
come from PyFxA's session-authorized request."""
import pytest
import requests

from pyfxa_support import authorization_code, register_client, sign_in

MAX_TTL = 21900  # FxA: 6 h 5 min


@pytest.fixture
def rp(start_server, fxa_cli):
    client = register_client(fxa_cli, "HTTP RP")
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true"})
    _, _, session = sign_in(server, "http")

    def token_request(**extra):
        code = authorization_code(server, session, client, "profile")
        return requests.post(server.base + "/v1/token", data={
            "grant_type": "authorization_code", "code": code,
            "client_id": client["client_id"], "client_secret": client["client_secret"], **extra}, timeout=10)

    return server, client, session, token_request


def test_a_token_request_in_text_plain_is_unsupported_media_type(rp):
    server, client, session, _ = rp
    code = authorization_code(server, session, client, "profile")
    body = f"grant_type=authorization_code&code={code}&client_id={client['client_id']}&client_secret={client['client_secret']}"
    answer = requests.post(server.base + "/v1/token", data=body, headers={"Content-Type": "text/plain"}, timeout=10)
    assert answer.status_code == 415 and answer.json()["errno"] == 113, answer.text


def test_token_responses_are_not_cached(rp):
    """RFC 6749 §5.1: Cache-Control: no-store and Pragma: no-cache."""
    _, _, _, token_request = rp
    answer = token_request()
    assert answer.status_code == 200, answer.text
    directives = {part.strip().lower() for part in answer.headers.get("Cache-Control", "").split(",")}
    assert "no-store" in directives, answer.headers
    assert answer.headers.get("Pragma", "").lower() == "no-cache", answer.headers


def test_a_wrong_secret_in_http_basic_gets_a_basic_challenge(rp):
    """RFC 6749 §5.2: a client that authenticated with HTTP Basic and failed
    gets 401 with WWW-Authenticate naming the scheme it used."""
    server, client, session, _ = rp
    code = authorization_code(server, session, client, "profile")
    answer = requests.post(server.base + "/v1/token", data={"grant_type": "authorization_code", "code": code},
                           auth=(client["client_id"], "0" * 64), timeout=10)
    assert answer.status_code == 401 and answer.json()["errno"] == 102, answer.text
    assert answer.headers.get("WWW-Authenticate", "").startswith("Basic"), answer.headers


def test_the_profile_endpoint_challenges_for_a_bearer_token(rp):
    """RFC 6750 §3: no credentials, a Bearer challenge; a bad token, the
    same challenge with error="invalid_token"."""
    server = rp[0]
    missing = requests.get(server.base + "/v1/profile", timeout=10)
    assert missing.status_code == 401
    assert missing.headers.get("WWW-Authenticate", "").startswith("Bearer"), missing.headers
    bad = requests.get(server.base + "/v1/profile", headers={"Authorization": "Bearer " + "0" * 64}, timeout=10)
    assert bad.status_code == 401
    challenge = bad.headers.get("WWW-Authenticate", "")
    assert challenge.startswith("Bearer") and 'error="invalid_token"' in challenge, bad.headers


def test_a_ttl_above_the_maximum_is_capped_as_fxa_caps_it(rp):
    """FxA's token route caps a longer ttl (`Math.min(params.ttl, MAX_TTL_S)`)
    rather than refusing it; clients written for its older two-week maximum
    still ask for more. expires_in says what the client got."""
    _, _, _, token_request = rp
    too_long = token_request(ttl=14 * 24 * 3600)
    assert too_long.status_code == 200 and too_long.json()["expires_in"] == MAX_TTL, too_long.text
    zero = token_request(ttl=0)
    assert zero.status_code == 400 and zero.json()["errno"] == 109, zero.text


def test_every_401_firefox_can_meet_carries_a_date_and_no_retry_after(start_server):
    """Firefox's HawkClient sets its clock offset from `Date` and retries a
    401 once; any `Retry-After` would put its whole account client into
    backoff (FIREFOX.md §4)."""
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0"})
    stale = {"Authorization": "Bearer fxs_" + "ab" * 32}
    firefox = "5882386c6d801776"
    answers = [
        requests.get(server.base + "/v1/session/status", headers=stale, timeout=10),
        requests.get(server.base + "/v1/account/devices", headers=stale, timeout=10),
        requests.post(server.base + "/v1/account/device", json={"name": "x"}, headers=stale, timeout=10),
        requests.get(server.base + "/v1/account/attached_clients", timeout=10),
        requests.get(server.base + "/v1/account/device/commands?index=0", headers=stale, timeout=10),
        requests.post(server.base + "/v1/oauth/token", headers=stale, timeout=10, json={
            "client_id": firefox, "grant_type": "fxa-credentials", "scope": "profile"}),
        requests.get(server.base + "/v1/profile", headers={"Authorization": "Bearer " + "cd" * 32}, timeout=10),
    ]
    for answer in answers:
        assert answer.status_code == 401, (answer.url, answer.text)
        assert answer.headers.get("Date", "").endswith(" GMT"), (answer.url, answer.headers)
        assert "Retry-After" not in answer.headers and "retryAfter" not in answer.json(), (answer.url, answer.text)
