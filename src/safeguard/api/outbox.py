"""Domain events for other systems, written to the outbox in the same transaction as the change.

Modelled on the national HMPPS domain events: a type, when it occurred, and a small payload of identifiers,
refs and kinds (never names, addresses or free text); the receiver calls the API for anything more.

    safeguard.event.recorded     any event appended to a case's log
    safeguard.check.requested    a police or children's services check was requested
    safeguard.obligation.overdue an obligation passed its due date (once per obligation and due date)
    safeguard.concern.changed    a case's concern level went up or down

Called from record_event (actions/events.py) and evaluate_many (oversight/service.py), inside their
transactions: if the change rolls back, so does its event.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from safeguard.api.models import OutboxEvent
from safeguard.api.names import (
    CHECK_REQUESTED,
    CONCERN_CHANGED,
    EVENT_RECORDED,
    EVENT_TYPES,
    EVENT_VOIDED,
    OBLIGATION_OVERDUE,
)

if TYPE_CHECKING:
    from safeguard.cases.models import Case, CaseEvent

PRUNE_BATCH = 500

__all__ = ["EVENT_TYPES", "concern_event", "emit", "event_recorded", "event_voided", "overdue_event", "prune",
           "scheduled_prune"]


def emit(event_type: str, case_ref: str, payload: dict[str, Any]) -> OutboxEvent:
    return OutboxEvent.objects.create(type=event_type, case_ref=case_ref, payload={"case": case_ref, **payload})


def event_voided(case: Case, voided: CaseEvent) -> None:
    """After void_event marked `voided` as entered in error: which event (its seq and type; never the reason)."""
    emit(EVENT_VOIDED, case.ref, {"seq": voided.seq, "event_type": voided.type, "version": case.version})


def event_recorded(case: Case, logged: CaseEvent) -> None:
    """After record_event appended `logged`: the event (its seq, type and date only), and a check request."""
    emit(EVENT_RECORDED, case.ref, {"seq": logged.seq, "event_type": logged.type, "on": logged.on.isoformat(),
                                    "source": logged.source, "version": case.version})
    if logged.type == "check_requested":
        from safeguard.practice.models import AgencyCheck

        check = AgencyCheck.objects.filter(case=case, agency=logged.payload["agency"]).order_by("-id").first()
        if check is not None:
            emit(CHECK_REQUESTED, case.ref, {
                "check": check.pk, "agency": check.agency, "seq": logged.seq,
                "requested_on": check.requested_on.isoformat() if check.requested_on else None,
                "about": sorted(check.about.values_list("ref", flat=True)),
            })


def overdue_event(case_ref: str, obligation: Any) -> OutboxEvent:
    """`obligation.overdue` for an obligation that has just turned overdue (not saved: callers bulk-create)."""
    return OutboxEvent(type=OBLIGATION_OVERDUE, case_ref=case_ref, payload={
        "case": case_ref, "obligation": obligation.pk, "kind": obligation.kind, "rule": obligation.rule,
        "due": obligation.due.isoformat(), "opened": obligation.opened.isoformat()})


def concern_event(case_ref: str, before: str, after: str) -> OutboxEvent:
    """`concern.changed` (not saved: callers bulk-create)."""
    return OutboxEvent(type=CONCERN_CHANGED, case_ref=case_ref, payload={"case": case_ref, "from": before, "to": after})


def prune(days: int | None = None, *, now: datetime | None = None) -> int:
    """Remove outbox events older than `days` (default SAFEGUARD_OUTBOX_RETENTION_DAYS) that are finished with:
    dispatched, and every delivery delivered (with their deliveries and attempt logs). Events still pending or
    with a failed delivery stay, for the deliveries page and a retry. Returns how many events were removed."""
    from django.conf import settings
    from django.db import transaction
    from django.db.models import Q
    from django.utils import timezone

    from safeguard.api.models import WebhookDelivery

    keep = settings.SAFEGUARD_WEBHOOKS["retention_days"] if days is None else days
    if keep < 1:
        raise ValueError(f"days must be 1 or more, got {keep}")
    cutoff = (now or timezone.now()) - timedelta(days=keep)
    unfinished = WebhookDelivery.objects.exclude(status="delivered").values("event_id")
    old = (OutboxEvent.objects.filter(Q(occurred_at__lt=cutoff), ~Q(dispatched_at=None)).exclude(pk__in=unfinished)
           .values_list("pk", flat=True))
    removed = 0
    while True:
        with transaction.atomic():  # in batches, so a large backlog never holds one long transaction
            ids = list(old[:PRUNE_BATCH])
            if not ids:
                return removed
            WebhookDelivery.objects.filter(event_id__in=ids).delete()  # with their attempt logs
            OutboxEvent.objects.filter(pk__in=ids).delete()
            removed += len(ids)


def scheduled_prune() -> dict[str, int]:
    """The job django-q2 runs daily."""
    return {"pruned": prune()}
