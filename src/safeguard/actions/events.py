"""record_event: the one path by which anything happens on a case."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from safeguard.actions.projections import PROJECTED_CASE_FIELDS, known_staff, project
from safeguard.api import outbox
from safeguard.audit.chain import EVENT_FIELDS, event_digest, fields_of
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case, CaseEvent
from safeguard.oversight.service import evaluate_locked
from safeguard.timeline.validate import Refs, TimelineError, parse_on, validate_event
from safeguard.workforce.models import Staff


class ConflictError(Exception):
    """The case changed since the caller read it: reload and try again. Nothing was written."""


class StaffCodes:
    """Staff refs known to the system, looked up on demand (there may be thousands). The rows found are kept, so
    the projection of the same event (and the next events of an import) need not read them again."""

    def __init__(self) -> None:
        self._known: dict[str, Staff | None] = {}

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        if code not in self._known:
            found = Staff.objects.filter(code=code).first()
            if found is not None:
                self._known[code] = found
        return code in self._known

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self._known))

    def add(self, code: str) -> None:
        self._known.setdefault(code, None)

    def rows(self) -> dict[str, Staff]:
        return {code: row for code, row in self._known.items() if row is not None}


class PeopleRefs(set[str]):
    """A case's linked people's refs, read from the database only when validation first asks about them (most
    events name nobody)."""

    def __init__(self, case: Case) -> None:
        super().__init__()
        self._case: Case | None = case

    def _load(self) -> None:
        if self._case is not None:
            case, self._case = self._case, None
            super().update(case.people.values_list("ref", flat=True))

    def __contains__(self, ref: object) -> bool:
        self._load()
        return super().__contains__(ref)

    def __iter__(self):  # type: ignore[no-untyped-def]
        self._load()
        return super().__iter__()

    def __len__(self) -> int:
        self._load()
        return super().__len__()

    def add(self, ref: str) -> None:
        self._load()
        super().add(ref)

    def discard(self, ref: object) -> None:
        self._load()
        super().discard(ref)


def refs_for(case: Case, last_on: date | None | object = ...) -> Refs:
    """What validation checks an event against: the case's people, staff codes, and its last event's date
    (read here unless the caller already has it)."""
    last = case.events.aggregate(last=Max("on"))["last"] if last_on is ... else last_on
    refs = Refs(people=PeopleRefs(case), last_on=last)  # type: ignore[arg-type]
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
    # With an evaluation to follow, read the case's log once: validation needs its last date, the new event its
    # seq, and the evaluation every event. Without one (an import evaluates at the end), only the two maxima.
    rows = list(locked.events.order_by("seq").values_list("pk", "seq", "on", "type", "payload")) if evaluate else None
    if rows is not None:
        last_on, last_seq = (max(r[2] for r in rows), rows[-1][1]) if rows else (None, 0)
        known = refs if refs is not None else refs_for(locked, last_on=last_on)
    else:
        known = refs if refs is not None else refs_for(locked)
        last_seq = locked.events.aggregate(last=Max("seq"))["last"] or 0
    validate_event(dict(event), known, source=f"case {locked.ref}", where="event")
    day = parse_on(event["on"])
    seq = last_seq + 1
    logged = CaseEvent.objects.create(case=locked, seq=seq, on=day, type=event["type"], payload=dict(event),
                                      recorded_by=user if getattr(user, "is_authenticated", False) else None,
                                      source=source)
    staff = known.staff.rows() if isinstance(known.staff, StaffCodes) else {}
    with known_staff(staff):
        project(locked, logged)
    locked.version += 1
    locked.save(update_fields=["version", *PROJECTED_CASE_FIELDS])
    outbox.event_recorded(locked, logged)  # a domain event for other systems, in this transaction
    if evaluate and rows is not None:
        payload = json.loads(json.dumps(logged.payload))  # as the log will read it back
        rows.append((logged.pk, logged.seq, logged.on, logged.type, payload))
        evaluate_locked(locked, rows, as_of=as_of)
    # Last, so the audit chain's lock is held only for the end of the transaction. The digest makes the
    # event log tamper-evident: `safeguard audit verify` recomputes it from the stored event.
    write_audit(f"event.{event['type']}", user=user, case_ref=locked.ref, object_type="case_event",
                object_id=str(logged.pk),
                detail={"seq": seq, "source": source, "sha256": event_digest(fields_of(logged, EVENT_FIELDS))})
    case.version = locked.version
    return logged


__all__ = ["ConflictError", "TimelineError", "record_event", "refs_for"]
