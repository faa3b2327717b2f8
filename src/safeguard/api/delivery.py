"""Delivering outbox events to webhook subscribers: signed, retried with exponential back-off, logged.

    safeguard deliver            (or the django-q2 task `safeguard.api.delivery.scheduled_delivery`)

1. dispatch: every outbox event not yet dispatched gets one delivery per active subscription that wants it;
2. send: every pending delivery whose time has come is POSTed; a 2xx marks it delivered, anything else
   (status, timeout, refused connection) is logged and retried after 30 s, 60 s, 120 s … (capped), until the
   last attempt marks it failed.

Each request carries `Safeguard-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the
subscription's secret>`, so the receiver can check it came from Safeguard and is fresh.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safeguard.api.models import OutboxEvent, WebhookAttempt, WebhookDelivery, WebhookSubscription
from safeguard.api.urlguard import UnsafeURL, check_url

SIGNATURE_HEADER = "Safeguard-Signature"
BATCH = 200


def config() -> dict[str, Any]:
    return dict(settings.SAFEGUARD_WEBHOOKS)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does (and the tests): recompute the signature and compare in constant time."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},v1={parts.get('v1', '')}")


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: base × 2^(attempts-1), capped."""
    conf = config()
    return timedelta(seconds=min(conf["backoff_seconds"] * 2 ** max(attempts - 1, 0), conf["backoff_cap_seconds"]))


def body_of(event: OutboxEvent) -> bytes:
    document = {"id": str(event.id), "type": event.type, "occurred_at": event.occurred_at.isoformat(),
                "case": event.case_ref, "data": event.payload}
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode("utf-8")


@transaction.atomic
def dispatch(now: datetime | None = None) -> int:
    """Create deliveries for outbox events not yet dispatched, due at once. Returns how many were created."""
    now = now or timezone.now()
    subscriptions = list(WebhookSubscription.objects.filter(active=True))
    events = list(OutboxEvent.objects.select_for_update().filter(dispatched_at=None).order_by("occurred_at")[:5000])
    created = [WebhookDelivery(event=e, subscription=s, next_attempt_at=now)
               for e in events for s in subscriptions if s.wants(e.type)]
    WebhookDelivery.objects.bulk_create(created, ignore_conflicts=True)
    OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(dispatched_at=now)
    return len(created)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as the failure it is for a webhook: following it could reach an internal
    address the URL guard never saw."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST and return the HTTP status (raising OSError for network failures, UnsafeURL for a URL the guard
    refuses: checked on every attempt, since a name can be re-pointed after the subscription was made)."""
    check_url(url)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:  # noqa: S310 (checked by urlguard)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def attempt(delivery: WebhookDelivery, now: datetime | None = None) -> bool:
    """One attempt at one delivery: send, log, and schedule the retry or mark it failed. True when delivered."""
    conf = config()
    now = now or timezone.now()
    event, subscription = delivery.event, delivery.subscription
    body = body_of(event)
    headers = {"Content-Type": "application/json", "User-Agent": "Safeguard-Webhooks/1",
               "Safeguard-Event-Id": str(event.id), "Safeguard-Event-Type": event.type,
               SIGNATURE_HEADER: sign(subscription.secret.unseal(), int(time.time()), body)}
    started = time.monotonic()
    code: int | None = None
    error = ""
    try:
        code = post(subscription.url, body, headers, conf["timeout_seconds"])
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except UnsafeURL as exc:
        error = f"refused: {exc}"[:300]
    except (OSError, ValueError) as exc:  # refused, timed out, DNS, bad URL
        error = f"{type(exc).__name__}: {exc}"[:300]
    milliseconds = int((time.monotonic() - started) * 1000)
    delivery.attempts += 1
    WebhookAttempt.objects.create(delivery=delivery, number=delivery.attempts, at=now, status_code=code,
                                  error=error, milliseconds=milliseconds)
    delivery.last_status_code = code
    delivery.last_error = error
    if not error:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
    elif delivery.attempts >= conf["max_attempts"]:
        delivery.status, delivery.next_attempt_at = "failed", None
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["attempts", "last_status_code", "last_error", "status", "delivered_at",
                                 "next_attempt_at"])
    return not error


@dataclass
class DeliveryRun:
    dispatched: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"dispatched": self.dispatched, "delivered": self.delivered, "retrying": self.retrying,
                "failed": self.failed, "errors": self.errors}


def deliver(now: datetime | None = None, limit: int = BATCH) -> DeliveryRun:
    """Dispatch new outbox events, then attempt every delivery that is due (`now`, default the clock)."""
    now = now or timezone.now()
    run = DeliveryRun(dispatched=dispatch(now))
    due = (WebhookDelivery.objects.select_related("event", "subscription")
           .filter(status="pending", next_attempt_at__lte=now).order_by("next_attempt_at", "id")[:limit])
    lease = now + timedelta(seconds=config()["timeout_seconds"] + 60)
    for delivery in due:
        # Claim it (another `deliver` running at the same time skips it), then send.
        claimed = WebhookDelivery.objects.filter(pk=delivery.pk, status="pending", attempts=delivery.attempts,
                                                 next_attempt_at__lte=now).update(next_attempt_at=lease)
        if not claimed:
            continue
        if attempt(delivery, now):
            run.delivered += 1
        elif delivery.status == "failed":
            run.failed += 1
            run.errors.append(f"{delivery.event.type} {delivery.event.id} to {delivery.subscription}: "
                              f"{delivery.last_error} (gave up after {delivery.attempts} attempts)")
        else:
            run.retrying += 1
    return run


def scheduled_delivery() -> dict[str, Any]:
    """The job django-q2 runs every minute."""
    return deliver().as_dict()
