"""record_event: the one path by which anything happens on a case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from safeguard.actions.projections import PROJECTED_CASE_FIELDS, project
from safeguard.api import outbox
from safeguard.audit.chain import EVENT_FIELDS, event_digest, fields_of
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case, CaseEvent
from safeguard.oversight.service import evaluate_case
from safeguard.timeline.validate import Refs, TimelineError, parse_on, validate_event
from safeguard.workforce.models import Staff


class ConflictError(Exception):
    """The case changed since the caller read it: reload and try again. Nothing was written."""


class StaffCodes:
    """Staff refs known to the system, looked up on demand (there may be thousands)."""

    def __init__(self) -> None:
        self._known: set[str] = set()

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        if code not in self._known and Staff.objects.filter(code=code).exists():
            self._known.add(code)
        return code in self._known

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self._known))

    def add(self, code: str) -> None:
        self._known.add(code)


def refs_for(case: Case) -> Refs:
    last = case.events.aggregate(last=Max("on"))["last"]
    refs = Refs(people=set(case.people.values_list("ref", flat=True)), last_on=last)
    refs.staff = StaffCodes()  # type: ignore[assignment]
    return refs


@transaction.atomic
def record_event(case: Case, event: dict[str, Any], *, user: Any = None, source: str = "web",
                 expected_version: int | None = None, evaluate: bool = True, as_of: date | None = None,
                 refs: Refs | None = None) -> CaseEvent:
    """Validate one timeline event against the case, append it to the log, update the records, audit it,
    and re-evaluate the case's obligations (as of `as_of`, default today).

    Raises TimelineError for bad input and ConflictError when `expected_version` is stale; in both cases
    nothing is written.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            f"Case {locked.ref} was changed by someone else since you opened it (version {expected_version}, "
            f"now {locked.version}). Nothing was saved: reload the case and enter the change again."
        )
    known = refs if refs is not None else refs_for(locked)
    validate_event(dict(event), known, source=f"case {locked.ref}", where="event")
    day = parse_on(event["on"])
    seq = (locked.events.aggregate(last=Max("seq"))["last"] or 0) + 1
    logged = CaseEvent.objects.create(case=locked, seq=seq, on=day, type=event["type"], payload=dict(event),
                                      recorded_by=user if getattr(user, "is_authenticated", False) else None,
                                      source=source)
    project(locked, logged)
    locked.version += 1
    locked.save(update_fields=["version", *PROJECTED_CASE_FIELDS])
    outbox.event_recorded(locked, logged)  # a domain event for other systems, in this transaction
    if evaluate:
        evaluate_case(locked, as_of=as_of)
    # Last, so the audit chain's lock is held only for the end of the transaction. The digest makes the
    # event log tamper-evident: `safeguard audit verify` recomputes it from the stored event.
    write_audit(f"event.{event['type']}", user=user, case_ref=locked.ref, object_type="case_event",
                object_id=str(logged.pk),
                detail={"seq": seq, "source": source, "sha256": event_digest(fields_of(logged, EVENT_FIELDS))})
    case.version = locked.version
    return logged


__all__ = ["ConflictError", "TimelineError", "record_event", "refs_for"]
