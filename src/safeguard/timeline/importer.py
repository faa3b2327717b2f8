"""Loading a validated timeline into the system through the actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.actions import create_case, ensure_staff, ensure_unit, record_event
from safeguard.actions.events import refs_for
from safeguard.cases.models import Case
from safeguard.oversight.service import evaluate_case
from safeguard.timeline.validate import Timeline


class ImportRefused(Exception):
    """The import would overwrite an existing case; nothing was written."""


@transaction.atomic
def import_timeline(timeline: Timeline, *, replace: bool = False, user: Any = None, source: str = "import",
                    evaluate_each: bool = False, as_of: date | None = None) -> Case:
    """Create the case and apply every event through record_event. One transaction: all or nothing.

    With `evaluate_each`, obligations are re-evaluated as of each event's own date (as the live system
    would have done); otherwise once at the end, as of `as_of` (default today).
    """
    info = timeline.case
    existing = Case.objects.filter(ref=info["ref"], archived_at=None).first()
    if existing is not None:
        if not replace:
            raise ImportRefused(f"{timeline.source}: case {info['ref']} already exists; use --replace to replace it "
                                "(the old record is kept, archived)")
        stamp = timezone.now()
        Case.objects.filter(pk=existing.pk).update(archived_at=stamp, ref=f"{existing.ref}~{stamp:%Y%m%d%H%M%S}")
    for member in timeline.staff:
        ensure_staff(member)
    case = create_case(info["ref"], ensure_unit(info.get("pdu") or "Unassigned"),
                       born=date.fromisoformat(info["born"]) if info.get("born") else None,
                       gender=info.get("gender") or "", user=user)
    refs = refs_for(case)
    for event in timeline.events:
        record_event(case, event, user=user, source=source, evaluate=evaluate_each,
                     as_of=_event_day(event) if evaluate_each else None, refs=refs)
    if not evaluate_each:
        evaluate_case(case, as_of=as_of)
    return case


def _event_day(event: dict[str, Any]) -> date:
    from safeguard.timeline.validate import parse_on

    return parse_on(event["on"])
