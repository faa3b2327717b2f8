"""Loading a validated timeline into the system through the actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.actions import create_case, record_event
from safeguard.actions.bulk import record_new_case_events
from safeguard.actions.cases import KnownRecords
from safeguard.actions.events import refs_for
from safeguard.cases.models import Case
from safeguard.oversight.service import evaluate_locked, today
from safeguard.timeline.validate import Timeline, parse_on
from safeguard.workforce.models import Staff


class ImportRefused(Exception):
    """The import would overwrite an existing case; nothing was written."""


@transaction.atomic
def import_timeline(timeline: Timeline, *, replace: bool = False, user: Any = None, source: str = "import",
                    evaluate_each: bool = False, as_of: date | None = None, known: KnownRecords | None = None,
                    recorded_on: date | None = None) -> Case:
    """Create the case and record every event, then evaluate it. One transaction: all or nothing.

    By default the events are recorded together (actions.bulk: the same rows, outbox and audit entries as
    record_event for each, in a few bulk inserts) and the case evaluated once, as of `as_of` (default today).
    With `evaluate_each`, every event goes through record_event and is evaluated as of its own date (as the
    live system would have done, with the outbox's overdue and concern events of each evaluation).
    `known`: the delivery units and staff already read by this run (a command importing many cases).
    An event dated after the import's day (`recorded_on`, default today; set only by synthetic loads) is refused
    (TimelineError), and nothing is written.
    """
    info = timeline.case
    existing = Case.objects.filter(ref=info["ref"], archived_at=None).first()
    if existing is not None:
        if not replace:
            raise ImportRefused(f"{timeline.source}: case {info['ref']} already exists; use --replace to replace it "
                                "(the old record is kept, archived)")
        stamp = timezone.now()
        Case.objects.filter(pk=existing.pk).update(archived_at=stamp, ref=f"{existing.ref}~{stamp:%Y%m%d%H%M%S}")
    # The bulk path writes the case.created entry with its events' entries (actions.bulk).
    day = recorded_on or today()
    case, staff = create_timeline_case(timeline, "Unassigned", user=user, audit=evaluate_each, known=known)
    if evaluate_each:
        refs = refs_for(case)
        for event in timeline.events:
            record_event(case, event, user=user, source=source, as_of=parse_on(event["on"]), refs=refs,
                         recorded_on=day)
    else:
        # The case is new in this transaction: no one else can lock it. Validation names only the timeline's own
        # staff, so their rows, read here, serve the validation and the evaluation.
        record_new_case_events(case, timeline.events, user=user, source=source, audit_created=True, staff=staff,
                               recorded_on=day,
                               evaluate=lambda log, save_also: evaluate_locked(case, log, as_of=as_of, staff=staff,
                                                                              save_also=save_also, new=True))
    return case


def create_timeline_case(timeline: Timeline, default_unit: str, *, user: Any = None, audit: bool = True,
                         known: KnownRecords | None = None) -> tuple[Case, dict[str, Staff]]:
    """The timeline's staff (by ref) and its case (in its delivery unit, else `default_unit`), with no events
    yet, in the caller's transaction (which a failure here fails whole): where an import and a replay both
    start. `audit=False`: the caller writes the case's `case.created` entry. `known`: see import_timeline."""
    info = timeline.case
    known = known or KnownRecords()
    staff = {member["ref"]: known.staff_member(member) for member in timeline.staff}
    case = create_case(info["ref"], known.unit(info.get("pdu") or default_unit),
                       born=date.fromisoformat(info["born"]) if info.get("born") else None,
                       gender=info.get("gender") or "", user=user, audit=audit, savepoint=False)
    return case, staff
