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
from safeguard.cases.models import Case, CaseEvent, voided_event_ids
from safeguard.oversight.service import evaluate_locked, today
from safeguard.timeline.validate import Refs, TimelineError, parse_on, validate_event
from safeguard.workforce.models import Staff


class ConflictError(Exception):
    """The case changed since the caller read it: reload and try again. Nothing was written."""


class StaffCodes:
    """Staff refs known to the system, looked up on demand (there may be thousands). The rows found are kept, so
    the projection of the same event (and the next events of an import) need not read them again."""

    def __init__(self) -> None:
        self._known: dict[str, Staff | None] = {}
        self._in_hand: dict[str, Staff] = {}  # rows read already, not yet asked about (see remember)

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        if code not in self._known:
            found = self._in_hand.get(code) or Staff.objects.filter(code=code).first()
            if found is not None:
                self._known[code] = found
        return code in self._known

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self._known))

    def add(self, code: str) -> None:
        self._known.setdefault(code, None)

    def remember(self, row: Staff) -> None:
        """A staff row already read (the case's practitioner, read with the case's lock): asking about its code
        needs no query. It is listed among the known codes (in validation's messages) only once asked about, as
        a row looked up would be."""
        self._in_hand[row.code] = row

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
    """What validation checks an event against: the case's people, staff codes, and its last event's date (of
    the events in force: a voided one does not count; read here unless the caller already has it)."""
    last = case.events_in_force().aggregate(last=Max("on"))["last"] if last_on is ... else last_on
    refs = Refs(people=PeopleRefs(case), last_on=last)  # type: ignore[arg-type]
    refs.staff = StaffCodes()  # type: ignore[assignment]
    return refs


def refuse_stale(locked: Case, expected_version: int | None, *, then: str) -> None:
    """ConflictError when the locked case is no longer at the version its editor opened (None: not checked)."""
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            f"Case {locked.ref} was changed by someone else since you opened it (version {expected_version}, "
            f"now {locked.version}). Nothing was saved: reload the case and {then}."
        )


def record_event(case: Case, event: dict[str, Any], *, user: Any = None, source: str = "web",
                 expected_version: int | None = None, evaluate: bool = True, as_of: date | None = None,
                 refs: Refs | None = None, recorded_on: date | None = None) -> CaseEvent:
    """Validate one timeline event against the case, append it to the log, update the records, audit it,
    and re-evaluate the case's obligations (as of `as_of`, default today), all in one transaction.

    `recorded_on`: the day the event is recorded on (default the service's today, from the clock everything else
    reads): an event dated after it is refused, from every entry point. Only synthetic data loaded as of a chosen
    day (synth, bench) sets it; `as_of` (the day obligations are evaluated on) does not change it.

    Raises TimelineError for bad input and ConflictError when `expected_version` is stale; in both cases
    nothing is written, and a caller's transaction can go on.
    """
    if not transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return record_event(case, event, user=user, source=source, expected_version=expected_version,
                                evaluate=evaluate, as_of=as_of, refs=refs, recorded_on=recorded_on)
    # In the caller's transaction, without a savepoint (two queries less): locking, reading and validating write
    # nothing, so a refusal leaves the caller's transaction as it was.
    with_practitioner = refs is None and "by" in event
    locked = _lock(case, with_practitioner=with_practitioner)
    refuse_stale(locked, expected_version, then="enter the change again")
    # With an evaluation to follow, read the case's log once: validation needs its last date, the new event its
    # seq, and the evaluation every event. Without one (an import evaluates at the end), only the two maxima.
    rows = read_log(locked.pk) if evaluate else None
    if rows is not None:
        last_seq = rows[-1][1] if rows else 0
        rows = in_force(locked, rows)
        last_on = max(r[2] for r in rows) if rows else None
        known = refs if refs is not None else refs_for(locked, last_on=last_on)
    else:
        known = refs if refs is not None else refs_for(locked)
        last_seq = locked.events.aggregate(last=Max("seq"))["last"] or 0
    if with_practitioner and locked.practitioner is not None and isinstance(known.staff, StaffCodes):
        known.staff.remember(locked.practitioner)
    validate_event(dict(event), known, source=f"case {locked.ref}", where="event",
                   today=recorded_on or today())
    # From the first write on, a failure must fail the caller's whole transaction (Django marks it for rollback):
    # half an event is never kept.
    with transaction.atomic(savepoint=False):
        return _write(case, locked, event, known, rows, user=user, source=source, as_of=as_of, last_seq=last_seq)


def read_log(case_id: int) -> list[tuple[int, int, date, str, dict[str, Any]]]:
    """The case's event log as (pk, seq, on, type, payload) in seq order. Plain SQL: it is read for every event
    recorded, and for a long log the ORM's per-row conversions cost twice the query (1.6 ms against 0.7 for 127
    events)."""
    connection = transaction.get_connection()
    q = connection.ops.quote_name
    sql = (f"SELECT {q('id')}, {q('seq')}, {q('on')}, {q('type')}, {q('payload')} FROM {q(CaseEvent._meta.db_table)} "
           f"WHERE {q('case_id')} = %s ORDER BY {q('seq')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [case_id])
        found = cursor.fetchall()
    # Django's backends hand JSON columns over as text (JSONField decodes them); so do we.
    return [(pk, seq, on, kind, json.loads(payload) if isinstance(payload, str) else payload)
            for pk, seq, on, kind, payload in found]


def in_force(case: Case, rows: list[tuple[int, int, date, str, dict[str, Any]]]
             ) -> list[tuple[int, int, date, str, dict[str, Any]]]:
    """The rows of read_log less the events marked void (looked up only when the case has some)."""
    if not case.voided_events:
        return rows
    voided = voided_event_ids([case.pk])
    return [row for row in rows if row[0] not in voided]


def _lock(case: Case, *, with_practitioner: bool) -> Case:
    """The case, locked for this transaction. The practitioner comes along when the event names a staff member:
    they usually wrote it, and validation and the projection then need not read them."""
    query = Case.objects.select_for_update(of=("self",))
    if with_practitioner:
        query = query.select_related("practitioner")
    return query.get(pk=case.pk)


def _write(case: Case, locked: Case, event: dict[str, Any], known: Refs,
           rows: list[tuple[int, int, date, str, dict[str, Any]]] | None, *, user: Any, source: str,
           as_of: date | None, last_seq: int) -> CaseEvent:
    seq = last_seq + 1
    logged = CaseEvent.objects.create(case=locked, seq=seq, on=parse_on(event["on"]), type=event["type"],
                                      payload=dict(event),
                                      recorded_by=user if getattr(user, "is_authenticated", False) else None,
                                      source=source)
    staff = known.staff.rows() if isinstance(known.staff, StaffCodes) else {}
    with known_staff(staff):
        project(locked, logged)
    locked.version += 1
    outbox.event_recorded(locked, logged)  # a domain event for other systems, in this transaction
    if rows is not None:
        payload = json.loads(json.dumps(logged.payload))  # as the log will read it back
        rows.append((logged.pk, logged.seq, logged.on, logged.type, payload))
        evaluate_locked(locked, rows, as_of=as_of, save_also=("version", *PROJECTED_CASE_FIELDS))
    else:
        locked.save(update_fields=["version", *PROJECTED_CASE_FIELDS])
    # Last, so the audit chain's lock is held only for the end of the transaction. The digest makes the
    # event log tamper-evident: `safeguard audit verify` recomputes it from the stored event.
    write_audit(f"event.{event['type']}", user=user, case_ref=locked.ref, object_type="case_event",
                object_id=str(logged.pk),
                detail={"seq": seq, "source": source, "sha256": event_digest(fields_of(logged, EVENT_FIELDS))})
    case.version = locked.version
    return logged


__all__ = ["ConflictError", "TimelineError", "in_force", "read_log", "record_event", "refs_for"]
