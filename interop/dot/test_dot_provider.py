"""django-oauth-toolkit on its own, driven with plain requests: pins down
what the example app's test relies on (issuer, endpoints, the ID token's
claims and signature, userinfo, PKCE, consent, FxA's extra authorization
parameters being ignored), so a DOT upgrade that changes any of it fails
here rather than as a puzzling app failure. Needs no Swift binary."""
import base64
import hashlib

import pytest
import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from dot_support import PROBE_REDIRECT, Browser, code_flow, jwt_parts, pkce_pair, query_of, through_provider

# What an FxA relying party adds to its authorization URL (FxAClient sends
# some of these); an OIDC provider that is not FxA must ignore them.
FXA_EXTRA = {"entrypoint": "fxa-notes", "access_type": "offline", "action": "email",
             "utm_source": "notes", "utm_medium": "web", "utm_campaign": "interop"}


def b64int(value):
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def verify_rs256(dot, token):
    """Checks the JWS signature with the JWKS key its kid names."""
    header, _ = jwt_parts(token)
    assert header["alg"] == "RS256" and header.get("kid"), header
    keys = {k["kid"]: k for k in requests.get(dot.metadata["jwks_uri"], timeout=10).json()["keys"]}
    jwk = keys[header["kid"]]
    key = rsa.RSAPublicNumbers(b64int(jwk["e"]), b64int(jwk["n"])).public_key()
    signing_input, signature = token.rsplit(".", 1)
    key.verify(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)), signing_input.encode(),
               padding.PKCS1v15(), hashes.SHA256())


def at_hash(access_token):
    return base64.urlsafe_b64encode(hashlib.sha256(access_token.encode()).digest()[:16]).rstrip(b"=").decode()


@pytest.fixture
def alice(dot):
    return dot.add_user("alice", "Alice", "Liddell")


def test_discovery_at_the_issuer_path(dot):
    meta = dot.metadata
    assert meta["issuer"] == f"http://127.0.0.1:{dot.port}/o" == dot.issuer
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        assert meta[endpoint].startswith(dot.issuer + "/"), meta
    assert "S256" in meta["code_challenge_methods_supported"]
    assert "RS256" in meta["id_token_signing_alg_values_supported"]
    assert {"client_secret_basic", "client_secret_post"} <= set(meta["token_endpoint_auth_methods_supported"])
    assert {"openid", "profile", "email"} <= set(meta["scopes_supported"])
    # Nothing at the host root: the issuer really is /o.
    assert requests.get(dot.base + "/.well-known/openid-configuration", timeout=10).status_code == 404


@pytest.mark.parametrize("auth", ["basic", "post"])
def test_confidential_client_code_pkce_id_token_and_userinfo(dot, alice, auth):
    client = dot.add_client(PROBE_REDIRECT)
    token, sent, _ = code_flow(dot, client, alice, extra=FXA_EXTRA, auth=auth)
    assert token["token_type"] == "Bearer" and set(token["scope"].split()) == {"openid", "profile", "email"}

    verify_rs256(dot, token["id_token"])
    _, claims = jwt_parts(token["id_token"])
    assert claims["iss"] == dot.issuer and claims["aud"] == client["client_id"]
    assert claims["sub"] == str(alice.pk)
    assert claims["nonce"] == sent["nonce"] and claims["at_hash"] == at_hash(token["access_token"])
    assert claims["exp"] > claims["iat"] and "auth_time" in claims
    assert claims["email"] == alice.email and claims["name"] == "Alice Liddell"

    userinfo = requests.get(dot.metadata["userinfo_endpoint"], timeout=10,
                            headers={"Authorization": "Bearer " + token["access_token"]})
    assert userinfo.status_code == 200 and userinfo.headers["content-type"].startswith("application/json")
    assert userinfo.json() == {"sub": str(alice.pk), "email": alice.email, "email_verified": True,
                               "name": "Alice Liddell", "preferred_username": alice.username}


def test_claims_follow_the_granted_scopes(dot, alice):
    token, _, _ = code_flow(dot, dot.add_client(PROBE_REDIRECT), alice, scope="openid")
    _, claims = jwt_parts(token["id_token"])
    assert "email" not in claims and "name" not in claims
    userinfo = requests.get(dot.metadata["userinfo_endpoint"], timeout=10,
                            headers={"Authorization": "Bearer " + token["access_token"]})
    assert userinfo.json() == {"sub": str(alice.pk)}


def test_public_client_sees_consent_and_pkce_is_enforced(dot, alice):
    client = dot.add_client(PROBE_REDIRECT, public=True)
    token, _, _ = code_flow(dot, client, alice)  # approves the consent page
    assert jwt_parts(token["id_token"])[1]["aud"] == client["client_id"]

    # Consent denied: back to the client with access_denied.
    browser = Browser()
    _, challenge = pkce_pair()
    params = {"response_type": "code", "client_id": client["client_id"], "redirect_uri": PROBE_REDIRECT,
              "scope": "openid email", "state": "deny-me", "code_challenge": challenge, "code_challenge_method": "S256"}
    url = dot.metadata["authorization_endpoint"] + "?" + requests.compat.urlencode(params)
    redirect, pages = through_provider(browser, url, PROBE_REDIRECT, alice, consent="deny")
    assert any('id="authorizationForm"' in page.text for page in pages)
    assert query_of(redirect) == {"error": "access_denied", "state": "deny-me"}

    # No code challenge at all: refused at the authorization endpoint.
    params.pop("code_challenge"), params.pop("code_challenge_method")
    refused = browser.get(dot.metadata["authorization_endpoint"] + "?" + requests.compat.urlencode(params))
    assert query_of(refused.headers["location"])["error"] == "invalid_request"


def test_code_is_single_use_needs_the_verifier_and_a_form_body(dot, alice):
    client = dot.add_client(PROBE_REDIRECT)
    browser = Browser()
    verifier, challenge = pkce_pair()
    params = {"response_type": "code", "client_id": client["client_id"], "redirect_uri": PROBE_REDIRECT,
              "scope": "openid", "state": "s", "code_challenge": challenge, "code_challenge_method": "S256"}
    url = dot.metadata["authorization_endpoint"] + "?" + requests.compat.urlencode(params)
    code = query_of(through_provider(browser, url, PROBE_REDIRECT, alice)[0])["code"]
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": PROBE_REDIRECT}
    auth = (client["client_id"], client["client_secret"])

    # Form bodies only: a JSON body (which fxa-server also takes) is not read.
    as_json = requests.post(dot.metadata["token_endpoint"], json=dict(exchange, code_verifier=verifier, client_id=client["client_id"],
                            client_secret=client["client_secret"]), timeout=10)
    assert as_json.status_code == 400 and as_json.json()["error"] == "unsupported_grant_type"
    wrong = requests.post(dot.metadata["token_endpoint"], data=dict(exchange, code_verifier=pkce_pair()[0]),
                          auth=auth, timeout=10)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    first = requests.post(dot.metadata["token_endpoint"], data=dict(exchange, code_verifier=verifier), auth=auth, timeout=10)
    assert first.status_code == 200, first.text
    again = requests.post(dot.metadata["token_endpoint"], data=dict(exchange, code_verifier=verifier), auth=auth, timeout=10)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
