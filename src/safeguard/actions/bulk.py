"""Recording every event of a new case at once: the timeline import's path.

`record_new_case_events` leaves what `record_event(case, event, evaluate=False)` for each event in turn leaves
(the event log, every projection row, the case's fields and version, the outbox's domain events, one audit
entry per event with the event's digest, and what post_save receivers write), with a few bulk inserts instead
of about eleven queries an event:

- each event is validated against the refs known so far, as record_event validates it;
- the projection rules (actions.projections.Projector) build the rows in memory (actions.rows.Store);
- the rows are written with bulk_create when the receivers of a save need to see them (FLUSH_AFTER) and at the
  end, then the outbox and audit entries of the events written, then the receivers are called;
- the caller evaluates the case once (evaluate_case), as import_timeline always did.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from safeguard.actions.events import StaffCodes
from safeguard.actions.projections import CASE_ROW_FIELDS, Projector, case_row, event_data
from safeguard.actions.projections import staff_id as stored_staff_id
from safeguard.actions.rows import Recording, Row, Store, Table, copy_rows, send_saved
from safeguard.agencies.receivers import answers_waiting
from safeguard.api.models import OutboxEvent
from safeguard.api.names import CHECK_REQUESTED, EVENT_RECORDED
from safeguard.audit.chain import GENESIS, entry_hash, event_digest
from safeguard.audit.context import client_ip, current_request
from safeguard.audit.log import _lock_chain, clean_detail
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case
from safeguard.oversight.service import today
from safeguard.timeline.validate import Refs, parse_on, validate_event
from safeguard.workforce.models import Staff

# Events whose recording calls post_save receivers that read the database (agencies.receivers: a check's request
# record follows the check and names the newest check event; a new partner opens a disclosure consideration; a
# move of area drafts checks to the new area about the case's people), with the tables those receivers read: their
# new rows are written right after such an event, so the receivers see what they saw after record_event. (An
# assessment's or review's receiver marks answered requests used; it reads only rows written at the checks'
# flushes, and compares seqs, so it may run at the end.)
FLUSH_AFTER: dict[str, tuple[str, ...]] = {
    "check_requested": ("event", "check"), "check_returned": ("event", "check"),
    "relationship_started": ("event", "person"), "transferred": ("event", "person"),
}
# The events whose receivers write audit entries (the drafts after a move of area): the earlier events' entries
# are written first, so the chain has them in record_event's order.
AUDITED_BY_RECEIVERS = frozenset({"transferred"})

Log = list[tuple[int, int, Any, str, dict[str, Any]]]


def record_new_case_events(case: Case, events: list[dict[str, Any]], *, user: Any = None, source: str = "import",
                           evaluate: Callable[[Log, tuple[str, ...]], object] | None = None,
                           audit_created: bool = False, staff: Mapping[str, Staff] | None = None,
                           recorded_on: date | None = None) -> Log:
    """Record `events` in order on `case`, which has none yet (just created in the caller's transaction). Raises
    TimelineError naming the case and the event on bad input (the caller's transaction then writes nothing).
    Returns the log (pk, seq, on, type, payload of each event, as oversight.service.evaluate_locked takes it).

    `evaluate(log, save_also)` is called before the audit entries are written (the evaluation writes none):
    writing them takes the audit chain's lock until the transaction ends, so anything done after it keeps other
    importers and every other writer waiting. It saves the case's fields named in `save_also` (set on `case`)
    with its own, in one UPDATE. With `audit_created`, the case's `case.created` entry (create_case(...,
    audit=False)) is written first among them, so two imports hold the lock only at their ends. `staff`: staff
    rows already read, by code (the timeline's own), which validation then need not read again. `recorded_on`: the
    day of recording (default the service's today): an event dated after it is refused, as record_event refuses
    it."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    codes = StaffCodes()  # staff refs validated against the database, rows kept
    for member in (staff or {}).values():
        codes.remember(member)
    refs = Refs(people=set(), last_on=None)
    refs.staff = codes  # type: ignore[assignment]
    day = recorded_on or today()

    def staff_id(code: str) -> int | None:
        row = codes.rows().get(code)
        return row.pk if row is not None else stored_staff_id(code)

    store = Store()
    state = store.state(case_row(case))
    projector = Projector(store.tables, staff_id)
    ip = client_ip(request) if (request := current_request()) is not None else None
    unsent: list[tuple[Row, Row | None, list[str]]] = []  # events whose outbox entries are not written yet
    unaudited: list[Row] = []  # events whose audit entries are not written yet
    logged: list[Row] = []

    created_unaudited = audit_created  # the case.created entry is still to be written
    waiting = answers_waiting(events)  # by each assessment's or review's seq: see Recording

    def write_audit() -> None:
        nonlocal created_unaudited
        _write_audit(case, unaudited, user_id=user_id, ip=ip, source=source, created=created_unaudited)
        unaudited.clear()
        created_unaudited = False

    for seq, event in enumerate(events, start=1):
        validate_event(dict(event), refs, source=f"case {case.ref}", where="event", today=day)
        row = store.tables["event"].add(case_id=case.pk, seq=seq, on=parse_on(event["on"]), type=event["type"],
                                        payload=dict(event), recorded_by_id=user_id, source=source)
        data = event_data(event)
        projector.project(state, row, data)
        if event["type"] == "check_requested":  # outbox.event_recorded announces the check just made
            about = set(data.get("about") or [])
            unsent.append((row, state.checks[-1], sorted(ref for ref in state.people if ref in about)))
        else:
            unsent.append((row, None, []))
        logged.append(row)
        if event["type"] in FLUSH_AFTER:
            saved = store.flush(only=FLUSH_AFTER[event["type"]])
            if event["type"] in AUDITED_BY_RECEIVERS:
                write_audit()
            send_saved(saved, case, Recording(event_id=row["id"], answers_waiting=waiting))
        unaudited.append(row)  # after the receivers ran, as record_event writes it
    saved = store.flush()
    _write_outbox(case, unsent)
    # (The receivers of the events left write no audit entries: AUDITED_BY_RECEIVERS. Their other rows were
    # flushed with the events that wrote them, so no event_id.)
    send_saved(saved, case, Recording(answers_waiting=waiting))
    values = {name: state.case[name] for name in CASE_ROW_FIELDS[1:]}
    values["version"] = case.version + len(events)
    for name, value in values.items():
        setattr(case, name, value)
    log = [(row["id"], row["seq"], row["on"], row["type"], row["payload"]) for row in logged]
    if evaluate is not None:
        evaluate(log, tuple(values))
    else:
        Case.objects.filter(pk=case.pk).update(**values)
    write_audit()
    return log


def _write_outbox(case: Case, events: list[tuple[Row, Row | None, list[str]]]) -> None:
    """outbox.event_recorded for each event (the case's version after it), in one insert."""
    entries = []
    for row, check, about in events:
        entries.append(OutboxEvent(type=EVENT_RECORDED, case_ref=case.ref, payload={
            "case": case.ref, "seq": row["seq"], "event_type": row["type"], "on": row["on"].isoformat(),
            "source": row["source"], "version": case.version + row["seq"]}))
        if check is not None:
            entries.append(OutboxEvent(type=CHECK_REQUESTED, case_ref=case.ref, payload={
                "case": case.ref, "check": check["id"], "agency": check["agency"], "seq": row["seq"],
                "requested_on": check["requested_on"].isoformat() if check["requested_on"] else None,
                "about": about}))
    if not entries:
        return
    if connection.vendor == "postgresql":  # COPY: a tenth of bulk_create's time (no quoting of every value)
        table = Table(OutboxEvent, timezone.now())
        for i, entry in enumerate(entries):  # times one microsecond apart: the outbox is read in time order
            table.add(id=uuid.uuid4(), type=entry.type, case_ref=entry.case_ref, payload=entry.payload,
                      occurred_at=table.defaults["occurred_at"] + timedelta(microseconds=i))
        with connection.cursor() as cursor:
            copy_rows(cursor, table)
    else:
        OutboxEvent.objects.bulk_create(entries, batch_size=500)


def _write_audit(case: Case, events: list[Row], *, user_id: int | None, ip: str | None, source: str,
                 created: bool = False) -> None:
    """record_event's audit entry for each event (its seq, source and digest), chained and inserted together;
    first, when `created`, create_case's entry for the case."""
    if not events and not created:
        return
    audit = Table(AuditEntry, timezone.now())
    if created:
        audit.add(action="case.created", user_id=user_id, case_ref=case.ref, object_type="case",
                  object_id=str(case.pk), ip=ip, detail=clean_detail(None))
    for row in events:
        audit.add(action=f"event.{row['type']}", user_id=user_id, case_ref=case.ref, object_type="case_event",
                  object_id=str(row["id"]), ip=ip,
                  detail=clean_detail({"seq": row["seq"], "source": source, "sha256": event_digest(row)}))
    chain_audit(audit)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_rows(cursor, audit, with_ids=False)
    else:
        fields = [a for a in audit.attnames if a != "id"]
        AuditEntry.objects.bulk_create([AuditEntry(**{a: r[a] for a in fields}) for r in audit.rows], batch_size=500)


def chain_audit(audit: Table) -> None:
    """Give the table's audit entries their places in the chain, as write_audit would one by one (the
    chain's lock is held until the transaction ends)."""
    if not audit.rows:
        return
    _lock_chain("default")
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (head[0], head[1]) if head else (0, GENESIS)
    for row in audit.rows:
        seq += 1
        row.update(seq=seq, prev_hash=prev_hash)
        row["hash"] = prev_hash = entry_hash(row)


__all__ = ["AUDITED_BY_RECEIVERS", "FLUSH_AFTER", "chain_audit", "record_new_case_events"]
