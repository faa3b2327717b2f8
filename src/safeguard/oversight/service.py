"""Evaluating a case and reconciling its stored obligations with the engine's answer."""

from __future__ import annotations

import hashlib
import json
import marshal
from collections.abc import Collection, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from safeguard.cases.models import Case, CaseEvent, voided_event_ids
from safeguard.oversight.models import OPEN, Obligation
from safeguard.policy.engine import Evaluation, evaluate
from safeguard.policy.facts import CaseFacts, Event, StaffMember
from safeguard.policy.obligations import Obligation as Found
from safeguard.policy.policyfile import Policy, load_policy
from safeguard.workforce.models import Staff

STAFF_FIELDS = ("by", "practitioner")


@lru_cache(maxsize=4)
def _load(path: str | None) -> Policy:
    return load_policy(path)


def current_policy() -> Policy:
    """The policy in force: the default, with the region's file (SAFEGUARD_POLICY_FILE) when set."""
    return _load(settings.SAFEGUARD_POLICY_FILE)


_policy_override: Policy | None = None


def use_policy(policy: Policy | None) -> None:
    """Evaluate under another policy (replay's --policy); None goes back to the configured one."""
    global _policy_override
    _policy_override = policy


def active_policy() -> Policy:
    return _policy_override or current_policy()


def events_for(case: Case, *, types: Collection[str] | None = None) -> tuple[Event, ...]:
    """The case's event log as the engine reads it (without events marked void), in seq order (only events of
    `types`, when given)."""
    log = case.events_in_force() if types is None else case.events_in_force().filter(type__in=types)
    return tuple(Event(seq=seq, on=on, type=kind, data={k: v for k, v in payload.items() if k not in {"on", "type"}})
                 for seq, on, kind, payload in log.order_by("seq").values_list("seq", "on", "type", "payload"))


def facts_for(case: Case) -> CaseFacts:
    """The engine's snapshot of a case, read from its event log."""
    events = events_for(case)
    codes = {e.data[f] for e in events for f in STAFF_FIELDS if isinstance(e.data.get(f), str)}
    staff = {s.code: _member(s) for s in Staff.objects.filter(code__in=codes)}
    return CaseFacts(ref=case.ref, events=events, staff=staff, born=case.born, gender=case.gender or None)


def _member(row: Staff) -> StaffMember:
    return StaffMember(ref=row.code, grade=row.grade, qualified_on=row.qualified_on, da_trained=row.da_trained)


def today() -> date:
    return timezone.localdate()


@transaction.atomic
def evaluate_case(case: Case, as_of: date | None = None) -> Evaluation:
    """Evaluate the case at `as_of` (default today) and store the result: obligations and concern (and the
    outbox's domain events: obligations turned overdue, concern changed). evaluate_many does the work."""
    day = as_of or today()
    outcome = evaluate_many([case.pk], day, savepoint=False)[case.pk]
    if isinstance(outcome, Exception):
        raise outcome
    case.concern = outcome.concern
    return outcome


def evaluate_locked(case: Case, rows: list[tuple[int, int, date, str, dict[str, Any]]], as_of: date | None = None,
                    *, save_also: tuple[str, ...] = (), staff: Mapping[str, Staff] | None = None,
                    new: bool = False) -> Evaluation:
    """evaluate_case for record_event, which has already locked `case` and read its event log (`rows`: pk, seq,
    on, type, payload in seq order): the same work without reading them again, in the caller's transaction.
    `save_also`: the caller's changed case fields, saved in the same UPDATE as the evaluation's. `staff`: staff
    rows the caller has read, by code (only the codes the log names and these lack are read). `new`: the case was
    created in this transaction, so it has no stored obligations to read (an import)."""
    day = as_of or today()
    known = {code: _member(row) for code, row in (staff or {}).items()}
    outcome = evaluate_many([case.pk], day, savepoint=False, locked={case.pk: case},
                            logs={case.pk: rows}, save_also=save_also, staff=known, new=new)[case.pk]
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


FIELDS = ["rule", "kind", "policy_version", "opened", "due", "status", "reason", "closed_on", "closed_by_id",
          "closed_note", "immediate", "critical", "overdue_at_once"]
StoredRow = tuple[Any, ...]  # a stored obligation as read: pk, key, then FIELDS in order
_STATUS = FIELDS.index("status")
_DUE = FIELDS.index("due")


def obligation_values(found: Found, day: date) -> tuple[Any, ...]:
    """`found` as its stored row holds it on `day` (FIELDS in order), in plain values a digest is taken of: dates as
    ordinals, and closed_by as the event's seq, so that the digest is the same whatever ids the case's events have.
    stored_values gives the row's own values."""
    closed_on = found.closed_on
    return (found.rule, found.kind, found.policy_version, found.opened.toordinal(), found.due.toordinal(),
            found.status_on(day), found.reason, closed_on.toordinal() if closed_on is not None else None,
            found.closed_by, found.closed_note, found.immediate, found.critical, found.overdue_at_once)


def stored_values(values: tuple[Any, ...], event_pks: Mapping[int, int]) -> tuple[Any, ...]:
    """The row's values (FIELDS in order) from obligation_values (`event_pks`: the case's event ids by seq)."""
    rule, kind, version, opened, due, status, reason, closed_on, closed_by, *rest = values
    return (rule, kind, version, date.fromordinal(opened), date.fromordinal(due), status, reason,
            date.fromordinal(closed_on) if closed_on is not None else None,
            event_pks.get(closed_by) if closed_by is not None else None, *rest)


def obligations_digest(rows: list[tuple[str, tuple[Any, ...]]]) -> int:
    """A fingerprint of an evaluation's obligations as stored (key and obligation_values), kept on the case: the next
    evaluation that comes to the same one has no row to write, so it need not read the stored rows to compare.
    marshal's version 2 writes each value as it is, never a reference to an equal one seen before, so the same values
    give the same digest in any process (hash() of a str is salted per process; pickle's memo depends on which
    values are the same object). A digest that differs only costs a read of the rows."""
    return int.from_bytes(hashlib.blake2b(marshal.dumps(rows, 2), digest_size=8).digest(), "little", signed=True)


def plan_reconcile(case_id: int, day: date, found_rows: list[tuple[str, tuple[Any, ...]]],
                   stored_rows: list[StoredRow], event_pks: Mapping[int, int]
                   ) -> tuple[list[Obligation], list[Obligation]]:
    """The rows to insert and the rows to update to make `stored_rows` (pk, key, FIELDS...) match an evaluation's
    obligations on `day` (`found_rows`: key and obligation_values): new obligations inserted, changed ones updated
    in place, ones the record no longer supports withdrawn. `event_pks` maps the case's event seqs to their ids
    (for closed_by). Model instances are built only for the rows that change: a sweep finds most rows as they
    were."""
    stored = {row[1]: row for row in stored_rows}
    to_create: list[Obligation] = []
    to_update: list[Obligation] = []
    for key, found_values in found_rows:
        values = stored_values(found_values, event_pks)
        row = stored.pop(key, None)
        if row is None:
            to_create.append(Obligation(case_id=case_id, key=key, **dict(zip(FIELDS, values, strict=True))))
        elif row[2:] != values:
            to_update.append(Obligation(pk=row[0], case_id=case_id, key=key, **dict(zip(FIELDS, values, strict=True))))
    for row in stored.values():
        if row[2 + _STATUS] in OPEN:
            withdrawn = Obligation(pk=row[0], case_id=case_id, key=row[1], **dict(zip(FIELDS, row[2:], strict=True)))
            withdrawn.status = "withdrawn"
            withdrawn.closed_on = day
            withdrawn.closed_note = "The record no longer supports this obligation"
            to_update.append(withdrawn)
    return to_create, to_update


def _event_data(payload: dict[str, Any]) -> dict[str, Any]:
    """An event's data: its stored payload without the envelope's `on` and `type` (a copy: the caller's is kept)."""
    return {k: v for k, v in payload.items() if k not in {"on", "type"}}


# -- many cases at once (the sweep) ---------------------------------------------------------------------
CASE_FIELDS = ("concern", "next_due", "evaluated_on", "wake_on", "da_since", "obligations_digest")


def evaluate_many(case_ids: list[int], as_of: date, *, savepoint: bool = True, locked: dict[int, Case] | None = None,
                  logs: dict[int, list[tuple[int, int, date, str, dict[str, Any]]]] | None = None,
                  save_also: tuple[str, ...] = (), staff: Mapping[str, StaffMember] | None = None,
                  new: bool = False) -> dict[int, Evaluation | Exception]:
    """evaluate_case for many cases in one transaction, with a handful of queries in all: the same stored
    obligations, case fields and outbox events as evaluating each in turn. The cases are locked (as
    record_event locks one) so an event recorded meanwhile waits, then re-evaluates its case after this.

    `locked` and `logs` (record_event's path): the cases already locked by the caller in this transaction, and
    their event logs already read, less any events marked void; then neither is read again. `save_also`: more
    case fields to save, with the evaluation's, on every case evaluated (record_event's projected fields: one
    UPDATE of the case, not two).
    `staff`: members already known by code; only the codes the events name and these lack are read. `new`: the
    cases were created in this transaction and have no stored obligations yet.

    Returns each case's evaluation, or the exception its evaluation raised (nothing is stored for it)."""
    from safeguard.api.models import OutboxEvent
    from safeguard.api.outbox import concern_event, overdue_event

    policy = active_policy()
    outcome: dict[int, Evaluation | Exception] = {}
    with transaction.atomic(savepoint=savepoint):
        if locked is not None:
            cases = [locked[pk] for pk in sorted(case_ids)]
        else:
            cases = list(Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk")
                         .only("pk", "ref", "born", "gender", "voided_events", *CASE_FIELDS))
        logged: dict[int, list[tuple[int, Event]]] = {c.pk: [] for c in cases}  # each case's (event id, event)
        if logs is not None:
            for pk in logged:
                logged[pk] = [(row_pk, Event(seq, on, kind, _event_data(payload)))
                              for row_pk, seq, on, kind, payload in logs[pk]]
        else:
            _read_logs(case_ids, logged)
            _drop_voided([c.pk for c in cases if c.voided_events], logged)
        codes: set[str] = set()
        for rows in logged.values():
            for _, event in rows:
                for name in STAFF_FIELDS:
                    code = event.data.get(name)
                    if isinstance(code, str):
                        codes.add(code)
        # Rules look staff up only by the codes in the case's own events, so every case can share the chunk's.
        members = dict(staff or {})
        if codes - members.keys():
            members.update((code, StaffMember(ref=code, grade=grade, qualified_on=qualified_on, da_trained=da_trained))
                           for code, grade, qualified_on, da_trained in Staff.objects.filter(
                               code__in=codes - members.keys()).values_list("code", "grade", "qualified_on",
                                                                               "da_trained"))
        evaluated: list[tuple[Case, Evaluation, date | None, list[tuple[str, tuple[Any, ...]]], int]] = []
        for case in cases:
            rows = logged[case.pk]
            facts = CaseFacts(ref=case.ref, events=tuple(event for _, event in rows), staff=members, born=case.born,
                              gender=case.gender or None)
            try:
                result = evaluate(facts, as_of, policy)
            except Exception as exc:  # one bad case must not stop the others
                outcome[case.pk] = exc
                continue
            outcome[case.pk] = result
            found_rows = [(o.key, obligation_values(o, as_of)) for o in result.obligations]
            evaluated.append((case, result, facts.da_since, found_rows, obligations_digest(found_rows)))
        # Only the cases whose obligations differ from what was last stored have rows to write, so only theirs are
        # read (a sweep finds most cases as they were).
        differ = [case.pk for case, *_, digest in evaluated if digest != case.obligations_digest]
        stored: dict[int, list[StoredRow]] = {pk: [] for pk in differ}
        for case_id, *row in (() if new or not differ else Obligation.objects.filter(case_id__in=differ)
                              .order_by("pk").values_list("case_id", "pk", "key", *FIELDS)):
            stored[case_id].append(tuple(row))
        to_create: list[Obligation] = []
        to_update: list[Obligation] = []
        changed_cases: list[Case] = []
        watched: list[tuple[Case, str, set[tuple[int, date]], Evaluation, list[Obligation]]] = []
        for case, result, da_since, found_rows, digest in evaluated:
            overdue_before: set[tuple[int, date]] = set()
            created: list[Obligation] = []
            updated: list[Obligation] = []
            if case.pk in stored:
                overdue_before = {(row[0], row[2 + _DUE]) for row in stored[case.pk] if row[2 + _STATUS] == "overdue"}
                created, updated = plan_reconcile(case.pk, as_of, found_rows, stored[case.pk],
                                                  {e.seq: pk for pk, e in logged[case.pk]})
                to_create.extend(created)
                to_update.extend(updated)
            open_dues = [o.due for o in result.open()]
            values = {"concern": result.concern, "next_due": min(open_dues) if open_dues else None,
                      "evaluated_on": as_of, "wake_on": result.wake_on, "da_since": da_since,
                      "obligations_digest": digest}
            # A row whose values did not change keeps its status and due date, so only the rows created or
            # updated can have newly turned overdue.
            watched.append((case, case.concern, overdue_before, result, created + updated))
            if save_also or any(getattr(case, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(case, k, v)
                changed_cases.append(case)
        if to_create:
            Obligation.objects.bulk_create(to_create, batch_size=1000)
        _update_rows(Obligation, to_update, FIELDS)
        _update_rows(Case, changed_cases, [*CASE_FIELDS, *save_also])
        # Domain events for other systems: obligations newly overdue, and concern changes.
        emitted: list[OutboxEvent] = []
        for case, concern_before, overdue_before, result, written in watched:
            overdue_now = sorted((o for o in written if o.status == "overdue"), key=lambda o: (o.due, o.pk))
            emitted += [overdue_event(case.ref, o) for o in overdue_now if (o.pk, o.due) not in overdue_before]
            if concern_before is not None and concern_before != result.concern:
                emitted.append(concern_event(case.ref, concern_before, result.concern))
        if emitted:
            OutboxEvent.objects.bulk_create(emitted, batch_size=1000)
    return outcome


def _read_logs(case_ids: list[int], logged: dict[int, list[tuple[int, Event]]]) -> None:
    """Each case's events (with their ids) in seq order, into `logged`."""
    if connection.vendor == "postgresql":
        # One JSON array per case, made by PostgreSQL and decoded at once: a row and a decoding per event cost the
        # sweep's processes about twice as much (ADR 0005, decision 32).
        fromisoformat = date.fromisoformat
        with connection.cursor() as cursor:
            cursor.execute(_LOGS_SQL, [case_ids])
            for case_id, text in cursor.fetchall():
                logged[case_id] = [(pk, Event(seq, fromisoformat(on), kind, data))
                                   for pk, seq, on, kind, data in json.loads(text)]
        return
    # The payload as text, decoded here: JSONField's converter per row cost more than the decoding.
    for pk, case_id, seq, on, kind, text in (CaseEvent.objects.filter(case_id__in=case_ids).order_by("case_id", "seq")
                                             .values_list("pk", "case_id", "seq", "on", "type",
                                                          Cast("payload", TextField()))):
        data = json.loads(text)
        data.pop("on", None)  # the envelope, which the columns hold
        data.pop("type", None)
        logged[case_id].append((pk, Event(seq, on, kind, data)))


def _drop_voided(case_ids: list[int], logged: dict[int, list[tuple[int, Event]]]) -> None:
    """Take the events marked void out of these cases' logs (the cases with voids: one query for them all, none
    when there are none, as on nearly every sweep)."""
    if not case_ids:
        return
    voided = voided_event_ids(case_ids)
    for case_id in case_ids:
        logged[case_id] = [(pk, event) for pk, event in logged[case_id] if pk not in voided]


# The payload without the envelope (`on` and `type`), which the columns hold.
_LOGS_SQL = """SELECT case_id, json_agg(json_build_array(id, seq, "on", type, payload - 'on' - 'type')
ORDER BY seq)::text FROM cases_caseevent WHERE case_id = ANY(%s) GROUP BY case_id"""


def _update_rows(model: type[Obligation] | type[Case], rows: list[Any], fields: list[str]) -> None:
    """Save the changed rows' `fields`: one UPDATE statement by id, sent for every row at once (executemany).
    Django's bulk_update builds a CASE WHEN per field and row, which took half the sweep's CPU time."""
    if not rows:
        return
    meta = model._meta
    by_name = {name: f for f in meta.concrete_fields for name in (f.name, f.attname)}
    columns = [by_name[name] for name in fields]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(meta.db_table)} SET {', '.join(f'{quote(str(f.column))} = %s' for f in columns)} "
           f"WHERE {quote(str(meta.pk.column))} = %s")
    params = [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in columns] + [row.pk] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
