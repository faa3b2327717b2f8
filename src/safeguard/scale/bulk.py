"""Bulk loading of synthetic cases: the same database content as `demo.synth.load`, written in bulk.

`load` (the slow path) sends every event through `record_event`: validation, a locked case row, the
projections, an outbox entry, an audit entry and (at the end) one evaluation, several queries per event.
`bulk_load` does the same work in memory for a batch of cases and then writes each table once:

- every event is validated with the same `validate_event` against the refs known so far;
- the event log, the case rows and every projection (contacts, assessments, people, referrals and their
  transitions, …) are built as rows with ids taken from the tables' sequences, by the projection rules
  record_event uses (`safeguard.actions.projections.Projector`);
- each case is evaluated by the pure policy engine (`policy.engine.evaluate`) as of the chosen day, and
  its obligations written as `oversight.service.reconcile` would write them for a new case;
- PostgreSQL gets the rows with COPY (psycopg's copy API), SQLite with batched executemany.

- the audit entries (case created, one per event with the event's digest, people named) are chained in
  the same order, so `safeguard audit verify` checks a bulk-loaded database as any other.

What the bulk path does not write: an outbox entry per event (synthetic data is not news to other
systems). tests/scale/test_bulk_equivalence.py loads the same cases both ways and compares every table
both write (the audit log without its times and hashes, which cover the times).

It is a loader: it expects no other writer to add rows to these tables while it runs (on PostgreSQL each
batch takes an EXCLUSIVE lock on the tables it writes, so readers carry on and writers wait).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from safeguard.actions.bulk import chain_audit
from safeguard.actions.projections import Projector
from safeguard.actions.rows import TABLE_ORDER, CaseState, Table, copy_rows, schema
from safeguard.audit.chain import event_digest
from safeguard.demo.synth import LoadSummary, Organisation, SyntheticCase, load_organisation
from safeguard.oversight.service import FIELDS, STAFF_FIELDS, obligation_values, obligations_digest, stored_values
from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, Event, StaffMember
from safeguard.timeline.validate import Refs, TimelineError, parse_on, validate_event

BATCH = 2000


# -- the loader ----------------------------------------------------------------------------------------
@dataclass
class Staffing:
    ids: dict[str, int]
    members: dict[str, StaffMember]


def _staffing() -> Staffing:
    from safeguard.workforce.models import Staff

    ids: dict[str, int] = {}
    members: dict[str, StaffMember] = {}
    for pk, code, grade, qualified_on, da_trained in Staff.objects.values_list("pk", "code", "grade",
                                                                                 "qualified_on", "da_trained"):
        ids[code] = pk
        members[code] = StaffMember(ref=code, grade=grade, qualified_on=qualified_on, da_trained=da_trained)
    return Staffing(ids, members)


def _chunks(items: Iterable[SyntheticCase], size: int) -> Iterator[list[SyntheticCase]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def bulk_load(org: Organisation, cases: Iterable[SyntheticCase], as_of: date, *, batch: int = BATCH,
              on_batch: Callable[[int], None] | None = None) -> LoadSummary:
    """Write the organisation and every case in bulk: the same records as `demo.synth.load` (see above).
    A case that already exists, or fails validation, is reported in the summary's errors and leaves nothing
    behind (the rest of its batch is loaded). `on_batch(n)` is called after each batch of n cases."""
    from safeguard.cases.models import Case
    from safeguard.oversight.service import active_policy
    from safeguard.workforce.models import DeliveryUnit

    load_organisation(org)
    staffing = _staffing()
    policy = active_policy()
    unit_ids = dict(DeliveryUnit.objects.values_list("name", "pk"))
    tables_schema = schema()
    summary = LoadSummary()
    for chunk in _chunks(cases, batch):
        existing = set(Case.objects.filter(ref__in=[c.ref for c in chunk], archived_at=None)
                       .values_list("ref", flat=True))
        with transaction.atomic():
            now = timezone.now()
            tables = {name: Table(model, now) for name, model in tables_schema.items()}
            _reserve_ids(tables)
            projector = Projector(tables, staffing.ids.get)
            for synthetic in chunk:
                if synthetic.ref in existing:
                    summary.errors.append(f"case {synthetic.ref} already exists (synthetic data with this seed was "
                                          "loaded before)")
                    continue
                marks = {name: len(table.rows) for name, table in tables.items()}
                try:
                    _build_case(synthetic, as_of, tables, projector, staffing, unit_ids, policy, summary)
                except TimelineError as exc:
                    for name, table in tables.items():
                        del table.rows[marks[name]:]
                    summary.errors.append(str(exc))
                    continue
            chain_audit(tables["audit"])
            write_tables(tables)
        if on_batch is not None:
            on_batch(len(chunk))
    analyze(tables_schema)
    return summary


def analyze(loaded: dict[str, type[models.Model]]) -> None:
    """Refresh the planner's statistics of the tables just loaded. Without them PostgreSQL plans as if
    the tables were nearly empty (until autovacuum gets round to them), and the measures' EXISTS
    subqueries took seconds instead of milliseconds (docs/adr/0005-scale-indexes-and-caching.md).
    Outside a transaction, PostgreSQL's tables are vacuumed too: until their visibility map is set, the
    planner prices index-only scans (the measures' partial index on sentence and release events) as heap
    reads and passes them over."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in loaded.values():
            cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {_quote(model._meta.db_table)}")


def _build_case(synthetic: SyntheticCase, as_of: date, tables: dict[str, Table], projector: Projector,
                staffing: Staffing, unit_ids: dict[str, int], policy: Any, summary: LoadSummary) -> None:
    info = synthetic.timeline["case"]
    source = f"case {info['ref']}"
    if info["pdu"] not in unit_ids:
        raise TimelineError(source, "case", f"no delivery unit {info['pdu']!r}")
    case = tables["case"].add(ref=info["ref"], unit_id=unit_ids[info["pdu"]], born=date.fromisoformat(info["born"]),
                              gender=info["gender"] or "", name=synthetic.name)
    state = CaseState(case)
    audit = tables["audit"]
    # The audit entries record_event and the case actions write, in their order; chained when written.
    audit.add(action="case.created", case_ref=case["ref"], object_type="case", object_id=str(case["id"]), detail={})
    refs = Refs(people=set(), staff=set(staffing.ids), last_on=None)
    facts_events: list[Event] = []
    seq_ids: dict[int, int] = {}
    for seq, event in enumerate(synthetic.timeline["events"], start=1):
        validate_event(dict(event), refs, source=source, where="event", today=as_of)
        day = parse_on(event["on"])
        payload = dict(event)
        row = tables["event"].add(case_id=case["id"], seq=seq, on=day, type=event["type"], payload=payload,
                                  recorded_by_id=None, source="synth")
        data = {k: v for k, v in payload.items() if k not in {"on", "type"}}
        projector.project(state, row, data)
        seq_ids[seq] = row["id"]
        facts_events.append(Event(seq=seq, on=day, type=event["type"], data=data))
        audit.add(action=f"event.{event['type']}", case_ref=case["ref"], object_type="case_event",
                  object_id=str(row["id"]), detail={"seq": seq, "source": "synth", "sha256": event_digest(row)})
    case["version"] = 1 + len(facts_events)
    for ref, name in synthetic.people.items():  # actions.name_people
        if ref in state.people:
            state.people[ref]["name"] = name
    audit.add(action="case.people_named", case_ref=case["ref"], object_type="case", object_id=str(case["id"]),
              detail={"refs": sorted(synthetic.people)})
    # oversight.service.evaluate_case, with the facts from memory instead of the event log.
    codes = {e.data[f] for e in facts_events for f in STAFF_FIELDS if isinstance(e.data.get(f), str)}
    facts = CaseFacts(ref=case["ref"], events=tuple(facts_events),
                      staff={c: staffing.members[c] for c in codes if c in staffing.members},
                      born=case["born"], gender=case["gender"] or None)
    result = evaluate(facts, as_of, policy)
    # oversight.service.evaluate_many, for a case with no obligations stored yet.
    found_rows = [(found.key, obligation_values(found, as_of)) for found in result.obligations]
    for key, values in found_rows:
        tables["obligation"].add(case_id=case["id"], key=key,
                                 **dict(zip(FIELDS, stored_values(values, seq_ids), strict=True)))
    open_now = result.open()
    case.update(concern=result.concern, next_due=min(o.due for o in open_now) if open_now else None,
                evaluated_on=as_of, wake_on=result.wake_on, da_since=facts.da_since,
                obligations_digest=obligations_digest(found_rows))
    summary.cases.append(case["ref"])
    summary.events += len(facts_events)
    summary.concern[result.concern] += 1
    for obligation in open_now:
        summary.open_obligations[obligation.kind] += 1
        summary.overdue += obligation.status_on(as_of) == "overdue"


# -- writing -------------------------------------------------------------------------------------------
def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _reserve_ids(tables: dict[str, Table]) -> None:
    """Start each table's ids after the highest in use (PostgreSQL: locked against other writers first)."""
    with connection.cursor() as cursor:
        for table in tables.values():
            name = table.model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {_quote(name)} IN EXCLUSIVE MODE")
                cursor.execute(f"SELECT COALESCE(MAX(id), 0), nextval(pg_get_serial_sequence(%s, 'id')) "
                               f"FROM {_quote(name)}", [name])
                highest, following = cursor.fetchone()
                table.next_id = max(highest + 1, following)
            else:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_quote(name)}")
                highest = cursor.fetchone()[0]
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [name])
                found = cursor.fetchone()
                table.next_id = max(highest, found[0] if found else 0) + 1


def write_tables(tables: dict[str, Table]) -> None:
    """Write every table's rows (in TABLE_ORDER): COPY on PostgreSQL, executemany elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the next id each sequence gives is the one after this batch's
            for table in tables.values():
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                               [table.model._meta.db_table, table.next_id])
        for name in TABLE_ORDER:
            table = tables[name]
            if not table.rows:
                continue
            if connection.vendor == "postgresql":
                copy_rows(cursor, table)
            else:
                db_table = table.model._meta.db_table
                columns = ", ".join(_quote(c) for c in table.columns)
                marks = ", ".join(["%s"] * len(table.columns))
                prepared = [[f.get_db_prep_save(row[f.attname], connection) for f in table.fields]
                            for row in table.rows]
                cursor.executemany(f"INSERT INTO {_quote(db_table)} ({columns}) VALUES ({marks})", prepared)


__all__ = ["BATCH", "bulk_load", "write_tables"]
