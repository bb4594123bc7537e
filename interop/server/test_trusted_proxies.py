"""Behind a reverse proxy (here: the test itself, on 127.0.0.1), the per-IP
limit counts each client the trusted proxy forwarded for, not the proxy;
without FXA_TRUSTED_PROXIES, X-Forwarded-For is never believed."""
import uuid

import requests


def logins(server, forwarded_for, count):
    """Status codes of `count` failed logins (each for a new address, so the
    per-email limit never trips) sent as if forwarded for `forwarded_for`."""
    codes = []
    for attempt in range(count):
        response = requests.post(
            server.base + "/v1/account/login",
            json={"email": f"nobody{attempt}-{uuid.uuid4().hex[:8]}@example.test", "authPW": "0" * 64},
            headers={"X-Forwarded-For": forwarded_for}, timeout=10)
        codes.append(response.status_code)
    return codes


def test_the_trusted_proxys_forwarded_address_is_the_client(start_server):
    server = start_server(env={"FXA_TRUSTED_PROXIES": "127.0.0.1,::1", "FXA_RATE_LIMIT_IP": "3"})
    first = logins(server, "203.0.113.1", 4)
    assert first[:3] == [400, 400, 400] and first[3] == 429, first
    # Another client behind the same proxy has its own count.
    assert logins(server, "203.0.113.2", 3) == [400, 400, 400]
    # A forged address to the left of the proxy's entry changes nothing.
    assert logins(server, "198.51.100.7, 203.0.113.1", 1) == [429]


def test_without_trusted_proxies_the_header_is_ignored(start_server):
    server = start_server(env={"FXA_RATE_LIMIT_IP": "3"})
    codes = logins(server, "203.0.113.1", 2) + logins(server, "203.0.113.2", 2)
    assert codes == [400, 400, 400, 429], "every request counts as the peer's"


def test_a_bad_trusted_proxy_list_stops_the_server_naming_the_setting(fxa_cli):
    refused = fxa_cli("serve", "--trusted-proxies", "proxy.local")
    assert refused.returncode != 0
    assert "--trusted-proxies / FXA_TRUSTED_PROXIES" in refused.stderr + refused.stdout, refused.stderr
