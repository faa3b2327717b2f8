"""Webhook delivery against a local receiver: signed requests, a failing receiver, retries with exponential
back-off, giving up, and the administrators' page of deliveries and failures."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from safeguard.actions import record_event
from safeguard.api.delivery import SIGNATURE_HEADER, backoff, deliver, verify
from safeguard.api.models import OutboxEvent, WebhookDelivery, WebhookSubscription
from safeguard.cli import main

pytestmark = pytest.mark.django_db

SECRET = "test-signing-secret"
NOTE = {"on": "2021-06-20", "type": "note", "by": "P1", "text": "Free text that must not leave the system"}


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that records what it receives and answers with the statuses it is given."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append({"headers": dict(self.headers), "body": body, "path": self.path})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"no")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/safeguard"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def quiet_outbox(world: Any) -> None:
    """The world's imports wrote domain events; treat them as already sent."""
    OutboxEvent.objects.update(dispatched_at=timezone.now())


def subscribe(url: str, *types: str) -> WebhookSubscription:
    return WebhookSubscription.objects.create(name="police system", url=url, secret=SECRET, event_types=list(types))


def test_a_delivery_is_signed_and_carries_identifiers_only(world: Any, quiet_outbox: None,
                                                             receiver: Receiver) -> None:
    subscribe(receiver.url, "safeguard.event.recorded")
    logged = record_event(world.case, NOTE)
    run = deliver()
    assert (run.dispatched, run.delivered, run.failed) == (1, 1, 0)
    [request] = receiver.received
    assert request["path"] == "/hooks/safeguard"
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["content-type"] == "application/json"
    assert headers["safeguard-event-type"] == "safeguard.event.recorded"
    assert verify(SECRET, headers[SIGNATURE_HEADER.lower()], request["body"])
    assert not verify("another secret", headers[SIGNATURE_HEADER.lower()], request["body"])
    assert not verify(SECRET, headers[SIGNATURE_HEADER.lower()], request["body"] + b" ")
    document = json.loads(request["body"])
    assert document["type"] == "safeguard.event.recorded" and document["case"] == "X900001"
    assert document["data"]["seq"] == logged.seq and document["data"]["event_type"] == "note"
    assert "Free text" not in request["body"].decode()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.last_status_code == 200
    assert deliver().delivered == 0  # nothing is sent twice


def test_a_failing_receiver_is_retried_with_exponential_back_off(world: Any, quiet_outbox: None,
                                                                  receiver: Receiver) -> None:
    receiver.statuses = [500]
    subscribe(receiver.url, "safeguard.event.recorded")
    record_event(world.case, NOTE)
    t0 = timezone.now()
    first = deliver(now=t0)
    assert (first.dispatched, first.delivered, first.retrying) == (1, 0, 1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code == 500
    assert delivery.next_attempt_at == t0 + timedelta(seconds=30)

    assert deliver(now=t0 + timedelta(seconds=10)).delivered == 0  # not yet: back-off
    assert len(receiver.received) == 1
    receiver.statuses = [500, 503]
    when = t0 + timedelta(seconds=31)
    deliver(now=when)  # attempt 2 fails: wait 60 s
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at == when + timedelta(seconds=60)
    when += timedelta(seconds=61)
    deliver(now=when)  # attempt 3 fails: wait 120 s
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.next_attempt_at == when + timedelta(seconds=120)
    when += timedelta(seconds=121)
    assert deliver(now=when).delivered == 1  # attempt 4 succeeds
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.delivered_at == when and delivery.next_attempt_at is None
    assert [(a.number, a.status_code) for a in delivery.log.all()] == [(1, 500), (2, 500), (3, 503), (4, 200)]


def test_delivery_gives_up_after_the_last_attempt(world: Any, quiet_outbox: None, receiver: Receiver,
                                                  settings: Any, capsys: Any) -> None:
    settings.SAFEGUARD_WEBHOOKS = {**settings.SAFEGUARD_WEBHOOKS, "max_attempts": 3}
    receiver.statuses = [500] * 10
    subscribe(receiver.url, "safeguard.event.recorded")
    record_event(world.case, NOTE)
    when = timezone.now() + timedelta(seconds=1)
    for _ in range(3):
        run = deliver(now=when)
        when += timedelta(hours=1)
    assert run.failed == 1 and "gave up after 3 attempts" in run.errors[0]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 3 and delivery.next_attempt_at is None
    assert deliver(now=when + timedelta(days=1)).failed == 0 and len(receiver.received) == 3


def test_a_receiver_that_is_not_there_is_logged_and_retried(world: Any, quiet_outbox: None) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens here
    subscribe(f"http://127.0.0.1:{port}/hook", "safeguard.event.recorded")
    record_event(world.case, NOTE)
    run = deliver(now=timezone.now() + timedelta(seconds=1))
    assert run.retrying == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status_code is None and "refused" in delivery.last_error.lower()
    assert delivery.log.get().error == delivery.last_error


def test_back_off_doubles_up_to_a_cap() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == timedelta(hours=6)


def test_the_cli_subscribes_and_delivers(world: Any, quiet_outbox: None, receiver: Receiver, capsys: Any) -> None:
    assert main(["webhook", "add", "--url", receiver.url, "--event-type", "safeguard.event.recorded",
                 "--secret", SECRET]) == 0
    assert main(["webhook", "add", "--url", receiver.url, "--event-type", "safeguard.nothing"]) == 2
    record_event(world.case, NOTE)
    capsys.readouterr()
    assert main(["deliver", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["delivered"] == 1
    assert len(receiver.received) == 1


def test_administrators_see_deliveries_and_failures(world: Any, quiet_outbox: None, receiver: Receiver,
                                                    client: Any) -> None:
    receiver.statuses = [500]
    subscribe(receiver.url, "safeguard.event.recorded")
    record_event(world.case, NOTE)
    deliver()
    client.force_login(world.users["admin"])
    page = client.get("/api/webhooks/deliveries/?status=pending")
    assert page.status_code == 200
    html = page.content.decode()
    assert "police system" in html and "safeguard.event.recorded" in html and "HTTP 500" in html
    client.force_login(world.users["spo"])
    assert client.get("/api/webhooks/deliveries/").status_code == 403
    client.logout()
    assert client.get("/api/webhooks/deliveries/").status_code == 302
