"""Webhook secrets encrypted at rest (and rotated with the field keys), the guard against webhook URLs that
reach internal addresses, no redirects followed, and pruning of delivered outbox events."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule

from safeguard.actions import record_event
from safeguard.api.delivery import deliver
from safeguard.api.models import OutboxEvent, WebhookAttempt, WebhookDelivery, WebhookSubscription
from safeguard.api.outbox import prune
from safeguard.api.urlguard import UnsafeURL, check_url
from safeguard.cli import main
from safeguard.victims import crypto
from safeguard.victims.keys import rotate_all

pytestmark = pytest.mark.django_db

SECRET = "whsec-plain-signing-secret-123"
NOTE = {"on": "2021-06-20", "type": "note", "by": "P1", "text": "A note"}


def stored_secret(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM api_webhooksubscription WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


# -- secrets at rest --------------------------------------------------------------------------------------------
def test_the_secret_column_holds_no_plaintext(db: Any) -> None:
    sub = WebhookSubscription.objects.create(url="https://police.example/hooks", secret=SECRET)
    raw = stored_secret(sub.pk)
    assert raw.startswith(crypto.PREFIX) and SECRET not in raw and "plain" not in raw
    assert str(WebhookSubscription.objects.get(pk=sub.pk).secret) == "[withheld]"
    assert WebhookSubscription.objects.get(pk=sub.pk).secret.unseal() == SECRET


def test_the_migration_encrypts_secrets_stored_in_clear_and_reverses(db: Any) -> None:
    migration = importlib.import_module("safeguard.api.migrations.0003_webhook_secret_encrypted")
    sub = WebhookSubscription.objects.create(url="https://police.example/hooks", secret="x")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE api_webhooksubscription SET secret = %s WHERE id = %s", [SECRET, sub.pk])
    editor = SimpleNamespace(connection=connection)  # the migration's functions use only its connection
    migration.encrypt(None, editor)
    first = stored_secret(sub.pk)
    migration.encrypt(None, editor)  # idempotent: an encrypted value is left alone
    assert first.startswith(crypto.PREFIX) and SECRET not in first and stored_secret(sub.pk) == first
    assert WebhookSubscription.objects.get(pk=sub.pk).secret.unseal() == SECRET
    migration.decrypt(None, editor)
    assert stored_secret(sub.pk) == SECRET


def test_key_rotation_re_encrypts_the_secret(db: Any, settings: Any) -> None:
    old = crypto.generate_key()
    settings.SAFEGUARD_FIELD_KEYS = [old]
    sub = WebhookSubscription.objects.create(url="https://police.example/hooks", secret=SECRET)
    before = stored_secret(sub.pk)
    new = crypto.generate_key()
    settings.SAFEGUARD_FIELD_KEYS = [new, old]
    counts = rotate_all()
    assert counts["api.WebhookSubscription.secret"] == 1
    after = stored_secret(sub.pk)
    assert after != before and SECRET not in after
    settings.SAFEGUARD_FIELD_KEYS = [new]  # the old key removed: still readable
    assert WebhookSubscription.objects.get(pk=sub.pk).secret.unseal() == SECRET


# -- the URL guard ----------------------------------------------------------------------------------------------
def public(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


@pytest.mark.parametrize("url", [
    "http://police.example/hooks",          # not https
    "https://127.0.0.1/hooks",              # loopback
    "https://localhost:8443/hooks",
    "https://[::1]/hooks",
    "https://10.1.2.3/hooks",               # private
    "https://192.168.0.10/hooks",
    "https://172.16.5.4/hooks",
    "https://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
    "https://[fe80::1]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",     # IPv4 loopback written as IPv6
    "https://0.0.0.0/hooks",
    "https://user:pw@police.example/hooks",
    "ftp://police.example/hooks",
])
def test_unsafe_webhook_urls_are_refused(db: Any, url: str) -> None:
    with pytest.raises(UnsafeURL):
        check_url(url, allow=False)


def test_a_name_that_resolves_to_a_private_address_is_refused(db: Any) -> None:
    check_url("https://police.example/hooks", resolver=public, allow=False)
    with pytest.raises(UnsafeURL, match="10.0.0.7"):
        check_url("https://police.example/hooks", resolver=lambda h, p: ["93.184.216.34", "10.0.0.7"], allow=False)


def test_the_setting_allows_local_receivers(db: Any, settings: Any) -> None:
    settings.SAFEGUARD_WEBHOOKS = {**settings.SAFEGUARD_WEBHOOKS, "allow_private": True}
    check_url("http://127.0.0.1:8000/hooks")
    settings.SAFEGUARD_WEBHOOKS = {**settings.SAFEGUARD_WEBHOOKS, "allow_private": False}
    with pytest.raises(UnsafeURL):
        check_url("http://127.0.0.1:8000/hooks")


class Server:
    def __init__(self, status: int, location: str = "") -> None:
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                outer.hits += 1
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    made: list[Server] = []
    yield made
    for server in made:
        server.close()


def test_delivery_to_a_private_address_is_refused_and_logged(world: Any, settings: Any,
                                                             servers: list[Server]) -> None:
    OutboxEvent.objects.update(dispatched_at=timezone.now())
    target = Server(200)
    servers.append(target)
    WebhookSubscription.objects.create(url=target.url, secret=SECRET, event_types=["safeguard.event.recorded"])
    settings.SAFEGUARD_WEBHOOKS = {**settings.SAFEGUARD_WEBHOOKS, "allow_private": False}
    record_event(world.case, NOTE)
    run = deliver()
    assert run.delivered == 0 and run.retrying == 1 and target.hits == 0
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and attempt.error.startswith("refused: ")


def test_redirects_are_not_followed(world: Any, servers: list[Server]) -> None:
    OutboxEvent.objects.update(dispatched_at=timezone.now())
    inside = Server(200)
    bouncer = Server(307, location=inside.url)
    servers.extend([inside, bouncer])
    WebhookSubscription.objects.create(url=bouncer.url, secret=SECRET, event_types=["safeguard.event.recorded"])
    record_event(world.case, NOTE)
    deliver()
    assert bouncer.hits == 1 and inside.hits == 0
    assert WebhookDelivery.objects.get().last_status_code == 307


def test_the_cli_refuses_an_unsafe_url(db: Any, settings: Any, capsys: Any) -> None:
    settings.SAFEGUARD_WEBHOOKS = {**settings.SAFEGUARD_WEBHOOKS, "allow_private": False}
    assert main(["webhook", "add", "--url", "https://169.254.169.254/hooks"]) == 2
    assert "link-local" in capsys.readouterr().err
    assert not WebhookSubscription.objects.exists()


# -- pruning the outbox -----------------------------------------------------------------------------------------
def test_prune_removes_only_old_events_that_are_finished_with(db: Any, capsys: Any) -> None:
    now = timezone.now()
    sub = WebhookSubscription.objects.create(url="https://police.example/hooks", secret=SECRET)

    def event(days: int, status: str | None, dispatched: bool = True) -> OutboxEvent:
        made = OutboxEvent.objects.create(type="safeguard.event.recorded", case_ref="X1", payload={})
        OutboxEvent.objects.filter(pk=made.pk).update(occurred_at=now - timedelta(days=days),
                                                      dispatched_at=now if dispatched else None)
        if status is not None:
            delivery = WebhookDelivery.objects.create(event=made, subscription=sub, status=status)
            WebhookAttempt.objects.create(delivery=delivery, number=1, at=now, status_code=200)
        return made

    old_delivered = event(40, "delivered")
    old_unsent = event(40, None)  # dispatched with no subscriber wanting it
    kept = [event(40, "pending"), event(40, "failed"), event(40, None, dispatched=False), event(5, "delivered")]
    assert prune(30, now=now) == 2
    remaining = set(OutboxEvent.objects.values_list("pk", flat=True))
    assert remaining == {e.pk for e in kept}
    assert old_delivered.pk not in remaining and old_unsent.pk not in remaining
    assert WebhookAttempt.objects.count() == 3
    assert main(["outbox", "prune", "--days", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"pruned": 1}
    assert main(["outbox", "prune", "--days", "0"]) == 2


def test_pruning_is_scheduled_daily(db: Any) -> None:
    job = Schedule.objects.get(name="outbox-prune")
    assert job.func == "safeguard.api.outbox.scheduled_prune" and job.schedule_type == "D"
