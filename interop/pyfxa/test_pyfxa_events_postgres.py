"""Two fxa-server instances on one PostgreSQL database drain one event
outbox together: every event reaches the webhook, and duplicates stay
below 1% (delivery is at least once; claims are leased with
FOR UPDATE SKIP LOCKED). Skipped without FXA_TEST_POSTGRES_URL."""
import json

import jwt
import pytest
import requests
from conftest import POSTGRES_URL
from pyfxa_support import access_token, register_client, sign_in
from test_pyfxa_events import Webhook

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="FXA_TEST_POSTGRES_URL is not set")


def test_two_instances_drain_one_outbox(start_server, fxa_cli, fresh_database):
    webhooks = [Webhook(), Webhook()]
    try:
        database = ["--database-url", fresh_database]
        env = {"FXA_RATE_LIMIT_IP": "0", "FXA_RATE_LIMIT_PASSWORD": "0", "FXA_AUTO_VERIFY": "true",
               "FXA_LOG_LEVEL": "warning"}
        clients = [register_client(fxa_cli, f"RP {index}", *database, "--webhook-url", hook.url)
                   for index, hook in enumerate(webhooks)]
        first = start_server(*database, env=env)
        second = start_server(*database, env=env)

        _, _, session = sign_in(first, "two")
        tokens = [access_token(first, client, session, "profile:write") for client in clients]

        events = 200
        for index in range(events):
            server = (first, second)[index % 2]
            answer = requests.post(server.base + "/v1/display_name", json={"displayName": f"n{index}"},
                                   headers={"Authorization": "Bearer " + tokens[0]}, timeout=10)
            assert answer.status_code == 200, answer.text

        for hook in webhooks:
            hook.wait_for(events, timeout=60)
        for hook, client in zip(webhooks, clients):
            jtis = [jwt.decode(token, options={"verify_signature": False})["jti"] for token in hook.tokens]
            assert len(set(jtis)) == events, f"{client['client_id']}: {len(set(jtis))} of {events} events"
            duplicates = len(jtis) - len(set(jtis))
            assert duplicates < events / 100, f"{duplicates} duplicates"
        for line in fxa_cli("events", "list", *database, "--json", "--limit", "1000").stdout.splitlines():
            row = json.loads(line)
            assert row["status"] == "delivered"
        assert first.process.poll() is None and second.process.poll() is None
    finally:
        for hook in webhooks:
            hook.server.shutdown()
