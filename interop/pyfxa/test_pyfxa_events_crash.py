"""Crash safety of the event broker: events are produced while the server
is killed with SIGKILL at random points (mid-request, mid-delivery) and
restarted on the same database. Afterwards every event that was committed,
and at least every one whose request succeeded, has reached the webhook:
the set of `jti`s received equals the set the database holds, none lost."""
import json
import random
import signal
import time

import jwt
import requests

from conftest import free_port
from pyfxa_support import access_token, register_client, sign_in
from test_pyfxa_events import Webhook


def test_no_event_is_lost_when_the_server_is_killed(start_server, fxa_cli):
    webhook = Webhook()
    try:
        client = register_client(fxa_cli, "Crash RP", "--webhook-url", webhook.url)
        port = free_port()
        env = {"FXA_RATE_LIMIT_IP": "0", "FXA_RATE_LIMIT_PASSWORD": "0", "FXA_AUTO_VERIFY": "true",
               "FXA_WEBHOOK_TIMEOUT_SECONDS": "1", "FXA_LOG_LEVEL": "warning"}
        server = start_server(port=port, env=env)
        _, _, session = sign_in(server, "crash")
        token = access_token(server, client, session, "profile:write")
        headers = {"Authorization": "Bearer " + token}

        rng = random.Random(20261125)
        succeeded = 0
        kills = 0
        for _ in range(6):
            stop_at = time.monotonic() + rng.uniform(0.2, 1.0)
            while time.monotonic() < stop_at:
                try:
                    answer = requests.post(server.base + "/v1/display_name", json={"displayName": f"n{succeeded}"},
                                           headers=headers, timeout=5)
                    if answer.status_code == 200:
                        succeeded += 1
                except requests.RequestException:
                    break
            server.kill(signal.SIGKILL)
            kills += 1
            server = start_server(port=port, env=env)
        assert succeeded >= 20 and kills == 6

        # Drain: nothing pending, and the webhook has stopped receiving.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pending = fxa_cli("events", "list", "--json", "--status", "pending", "--limit", "1000").stdout.strip()
            if not pending:
                break
            time.sleep(0.5)
        assert not pending, pending
        rows = [json.loads(line) for line in
                fxa_cli("events", "list", "--json", "--limit", "1000", "--client", client["client_id"]).stdout.splitlines()]
        assert len(rows) >= succeeded, (len(rows), succeeded)
        assert all(row["status"] == "delivered" for row in rows)
        received = {jwt.decode(token, options={"verify_signature": False})["jti"] for token in webhook.tokens}
        assert received == {row["jti"] for row in rows}
        duplicates = len(webhook.tokens) - len(received)
        print(f"{succeeded} acknowledged changes, {len(rows)} events committed, {kills} SIGKILLs, "
              f"{len(webhook.tokens)} requests received, {duplicates} duplicates")
    finally:
        webhook.server.shutdown()
