"""The case records as rows in memory, which the projection rules (actions.projections) read and write, and
writing them back.

A projection works on plain rows (dicts keyed by the models' attnames) so that one set of rules serves the three
ways events are recorded: one event on a stored case (record_event), every event of a new case (timeline
import, actions.bulk) and thousands of new cases at once (the synthetic loader, scale.bulk). Each of them
decides how rows get their ids and how they reach the database:

- the synthetic loader numbers rows itself (after locking the tables) and COPYs them (scale.bulk);
- record_event and the import give new rows *provisional* ids (above any real id, so "newest" comparisons
  still hold) and `Store.flush` inserts them with bulk_create, replacing provisional ids by the real ones in
  the rows that point to them; rows read from the database, or already written, are compared with their
  snapshot and the changed fields are UPDATEd.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import psycopg
from django.db import connection, models
from django.db.models.signals import post_save
from django.utils import timezone

from safeguard.limits import check_row

Row = dict[str, Any]
# Provisional ids start here: higher than any real id, so a new row sorts after the stored ones, as it will.
PROVISIONAL = 1 << 60
# Marks many-to-many rows linking to rows with provisional ids, to be put in set_order when the ids are known.
UNORDERED = "_unordered"


def set_order(ids: list[int]) -> list[int]:
    """`ids` in the order Django's related manager inserts them (the iteration order of a set difference), so
    the link tables' rows come out as `.set()` writes them."""
    found: set[int] = set()
    for i in ids:
        found.add(i)
    return list(found.difference(()))


class Table:
    """The rows of one model (or many-to-many table), with ids from `ids` (default: counting from next_id)."""

    def __init__(self, model: type[models.Model], now: datetime, ids: Iterator[int] | None = None, name: str = ""):
        self.model = model
        self.name = name
        self.fields = list(model._meta.concrete_fields)
        self.columns = [str(f.column) for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        # As a new model instance would have them; auto_now(_add) fields get the batch's time.
        self.defaults = {f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                         else f.get_default() for f in self.fields}
        self.rows: list[Row] = []  # new rows, not written yet
        self.stored: list[tuple[Row, Row]] = []  # rows in the database, with their values as written (Store)
        self.next_id = 1
        self._ids = ids

    def add(self, **values: Any) -> Row:
        row = dict(self.defaults)
        row.update(values)
        if self.model._meta.pk.attname not in values:
            if self._ids is not None:
                row[self.model._meta.pk.attname] = next(self._ids)
            else:
                row[self.model._meta.pk.attname] = self.next_id
                self.next_id += 1
        self.rows.append(row)
        return row


@lru_cache(maxsize=1)
def schema() -> dict[str, type[models.Model]]:
    """The tables the projections (and the bulk loader) write, by short name."""
    from safeguard.audit.models import AuditEntry
    from safeguard.cases import models as cases
    from safeguard.interventions.models import ReferralTransition
    from safeguard.oversight.models import Obligation
    from safeguard.practice import models as practice

    found: dict[str, type[models.Model]] = {
        "case": cases.Case, "event": cases.CaseEvent, "person": cases.LinkedPerson, "address": cases.Address,
        "residence": cases.Residence, "proposal": cases.AddressProposal, "sentence": cases.Sentence,
        "requirement": cases.Requirement, "court_report": cases.CourtReport,
        "previous_offence": cases.PreviousOffence, "registration": cases.Registration, "control": cases.Control,
        "breach": cases.ControlBreach, "check": practice.AgencyCheck, "incident": practice.PoliceIncident,
        "contact": practice.Contact, "assessment": practice.Assessment, "review": practice.Review,
        "referral": practice.Referral, "transition": ReferralTransition, "enforcement": practice.Enforcement,
        "decision": practice.ManagerDecision, "note": practice.Note, "marac": practice.Marac,
        "mappa": practice.MappaRecord, "victim_contact": practice.VictimContact,
        "disclosure": practice.Disclosure, "information": practice.InformationReceived,
        "obligation": Obligation, "audit": AuditEntry,
    }
    m2m: dict[str, Any] = {
        "residence_occupants": cases.Residence.occupants, "proposal_occupants": cases.AddressProposal.occupants,
        "proposal_victims_nearby": cases.AddressProposal.victims_nearby, "sentence_victims": cases.Sentence.victims,
        "requirement_protects": cases.Requirement.protects, "control_protects": cases.Control.protects,
        "check_about": practice.AgencyCheck.about,
        "assessment_victims": practice.Assessment.victims_considered,
    }
    for name, descriptor in m2m.items():
        found[name] = descriptor.through
    return found


@lru_cache(maxsize=1)
def m2m_columns() -> dict[str, tuple[str, str]]:
    """(source id attname, target id attname) of each auto-created many-to-many table."""
    found = {}
    for name, model in schema().items():
        if model._meta.auto_created:
            fks = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
            found[name] = (fks[0].attname, fks[1].attname)
    return found


# The order in which tables are written (a row's foreign keys point to rows written before it).
TABLE_ORDER = (
    "case", "event", "person", "address", "residence", "residence_occupants", "proposal", "proposal_occupants",
    "proposal_victims_nearby", "sentence", "sentence_victims", "requirement", "requirement_protects",
    "court_report", "previous_offence", "registration", "control", "control_protects", "breach", "check",
    "check_about", "incident", "contact", "assessment", "assessment_victims", "review", "referral", "transition",
    "enforcement", "decision", "note", "marac", "mappa", "victim_contact", "disclosure", "information",
    "obligation", "audit",
)

# A case's rows the projections look up, with the table and (for dicts) the key they are found by.
COLLECTIONS: dict[str, tuple[str, str | None]] = {
    "people": ("person", "ref"), "addresses": ("address", "ref"), "residences": ("residence", None),
    "registrations": ("registration", None), "checks": ("check", None), "controls": ("control", None),
    "assessments": ("assessment", None), "referrals": ("referral", None),
}


class CaseState:
    """What the projections of one case look up as they go. A new case's collections start empty; a stored
    case's (`load`) are read from the database when a projection first asks for them."""

    def __init__(self, case: Row, load: Callable[[str], Any] | None = None):
        self.case = case
        self.stored = load is not None
        self._load = load
        self._found: dict[str, Any] = {}

    def _get(self, name: str) -> Any:
        if name not in self._found:
            if self._load is not None:
                self._found[name] = self._load(name)
            else:
                self._found[name] = {} if COLLECTIONS[name][1] else []
        return self._found[name]

    @property
    def people(self) -> dict[str, Row]:
        return self._get("people")  # type: ignore[no-any-return]

    @property
    def addresses(self) -> dict[str, Row]:
        return self._get("addresses")  # type: ignore[no-any-return]

    @property
    def residences(self) -> list[Row]:
        return self._get("residences")  # type: ignore[no-any-return]

    @property
    def registrations(self) -> list[Row]:
        return self._get("registrations")  # type: ignore[no-any-return]

    @property
    def checks(self) -> list[Row]:
        return self._get("checks")  # type: ignore[no-any-return]

    @property
    def controls(self) -> list[Row]:
        return self._get("controls")  # type: ignore[no-any-return]

    @property
    def assessments(self) -> list[Row]:
        return self._get("assessments")  # type: ignore[no-any-return]

    @property
    def referrals(self) -> list[Row]:
        return self._get("referrals")  # type: ignore[no-any-return]


class Tables(dict[str, Table]):
    """A store's tables, made when first written (a single event touches one or two)."""

    def __init__(self, now: datetime, ids: Iterator[int]):
        super().__init__()
        self.now = now
        self.ids = ids

    def __missing__(self, name: str) -> Table:
        table = self[name] = Table(schema()[name], self.now, self.ids, name)
        return table


Saved = tuple[type[models.Model], Row, bool]  # a row written by a flush: its model, values, and whether created


class Store:
    """New and changed rows of one case, written to the database by `flush` in its caller's transaction."""

    def __init__(self, case_id: int | None = None):
        self.tables = Tables(timezone.now(), itertools.count(PROVISIONAL))
        self.case_id = case_id
        self.real: dict[int, int] = {}  # provisional id -> the id the database gave

    def state(self, case: Row) -> CaseState:
        """The case's state: read from the database as needed when the store was made for a stored case."""
        return CaseState(case, self._load if self.case_id is not None else None)

    def _load(self, name: str) -> Any:
        table_name, key = COLLECTIONS[name]
        table = self.tables[table_name]
        rows = list(table.model._default_manager.filter(case_id=self.case_id).order_by("pk").values(*table.attnames))
        table.stored.extend((row, dict(row)) for row in rows)
        return {row[key]: row for row in rows} if key else rows

    def flush(self, only: tuple[str, ...] = TABLE_ORDER) -> list[Saved]:
        """Insert the new rows (in TABLE_ORDER, with their real ids; `only` those of these tables, whose rows point
        to none of the others' new rows) and update the changed ones. Returns what was written, for `send_saved`
        (post_save receivers expect to see what Model.save would have left)."""
        saved: list[Saved] = []
        tables = [self.tables[name] for name in TABLE_ORDER
                  if name in only and name in self.tables and self.tables[name].rows]
        for table in tables:  # no pre_save here (bulk_create, COPY): the same check as every save, on both databases
            for row in table.rows:
                check_row(table.model, row)
        if connection.vendor == "postgresql":
            saved += self._copy(tables)
        else:
            for table in tables:
                saved += self._insert(table)
        saved += self._update()
        return saved

    def _copy(self, tables: list[Table]) -> list[Saved]:
        """PostgreSQL: ids for every new row from the tables' sequences (one query), then the rows (write_rows)."""
        if not tables:
            return []
        with connection.cursor() as cursor:
            cursor.execute("SELECT t.name, nextval(pg_get_serial_sequence(t.name, 'id')) FROM "
                           "unnest(%s::text[], %s::int[]) AS t(name, n) CROSS JOIN LATERAL generate_series(1, t.n)",
                           [[t.model._meta.db_table for t in tables], [len(t.rows) for t in tables]])
            given: dict[str, list[int]] = defaultdict(list)
            for name, new_id in cursor.fetchall():
                given[name].append(new_id)
            for table in tables:
                for row, new_id in zip(table.rows, sorted(given[table.model._meta.db_table]), strict=True):
                    self.real[row["id"]] = new_id
                    row["id"] = new_id
            saved: list[Saved] = []
            for table in tables:
                self._resolve(table)
            write_rows(cursor, tables)
            for table in tables:
                for row in table.rows:
                    table.stored.append((row, dict(row)))
                    saved.append((table.model, row, True))
                table.rows = []
        return saved

    def _resolve(self, table: Table) -> None:
        """Replace provisional ids in the rows' foreign keys by the real ones (and order link rows by them)."""
        relations = [f.attname for f in table.fields if f.is_relation]
        for row in table.rows:
            for name in relations:
                value = row[name]
                if value is not None and value >= PROVISIONAL:
                    row[name] = self.real[value]
        if any(UNORDERED in row for row in table.rows):
            table.rows = _linked_in_order(table.rows, m2m_columns()[table.name])

    def _insert(self, table: Table) -> list[Saved]:
        pk = table.model._meta.pk.attname
        auto = [f.attname for f in table.fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        instances = []
        self._resolve(table)
        for row in table.rows:
            instances.append(table.model(**{a: row[a] for a in table.attnames if a != pk}))
        table.model._default_manager.bulk_create(instances, batch_size=500)
        saved: list[Saved] = []
        for row, instance in zip(table.rows, instances, strict=True):
            self.real[row[pk]] = instance.pk
            row[pk] = instance.pk
            for name in auto:  # as bulk_create set them
                row[name] = getattr(instance, name)
            table.stored.append((row, dict(row)))
            saved.append((table.model, row, True))
        table.rows = []
        return saved

    def _update(self) -> list[Saved]:
        # Rows changed the same way are updated together (a move sets lives_with_case on several people).
        groups: dict[tuple[str, tuple[str, ...], str], list[Row]] = defaultdict(list)
        changes: dict[tuple[str, tuple[str, ...], str], dict[str, Any]] = {}
        for name, table in self.tables.items():
            for row, written in table.stored:
                changed = {k: v for k, v in row.items() if written[k] != v}
                if changed:
                    key = (name, tuple(changed), repr(tuple(changed.values())))
                    groups[key].append(row)
                    changes[key] = changed
                    written.update(changed)
        saved: list[Saved] = []
        for key, rows in groups.items():
            table = self.tables[key[0]]
            values = dict(changes[key])
            check_row(table.model, values)
            for f in table.fields:  # as Model.save would
                if getattr(f, "auto_now", False):
                    values[f.attname] = timezone.now()
            table.model._default_manager.filter(pk__in=[r["id"] for r in rows]).update(**values)
            saved += [(table.model, row, False) for row in rows]
        return saved


# Tables with at most this many new rows are written by one INSERT statement among others (write_rows).
FEW_ROWS = 20


def write_rows(cursor: Any, tables: list[Table]) -> None:
    """Write the tables' new rows, with their ids (PostgreSQL): tables with many rows by COPY; those with few (most
    tables a flush writes: an event's contact, its check) by INSERTs sent together as one query, where a COPY
    each would cost two round trips. Only a query without parameters may hold several statements, so their
    values are bound here, by psycopg's client-side quoting; the new ids make every such text new, so psycopg
    never tries to prepare one (settings.SAFEGUARD_PG_PREPARED)."""
    statements: list[str] = []
    params: list[Any] = []
    for table in tables:
        if len(table.rows) > FEW_ROWS:
            copy_rows(cursor, table)
            continue
        jsons = {i for i, f in enumerate(table.fields) if isinstance(f, models.JSONField)}
        placeholders = "(" + ", ".join(["%s"] * len(table.fields)) + ")"
        statements.append(f"INSERT INTO {connection.ops.quote_name(table.model._meta.db_table)} "
                          f"({', '.join(connection.ops.quote_name(c) for c in table.columns)}) VALUES "
                          + ", ".join([placeholders] * len(table.rows)))
        for row in table.rows:
            params += [json.dumps(row[a]) if i in jsons and row[a] is not None else row[a]
                       for i, a in enumerate(table.attnames)]
    if statements:
        cursor.execute(psycopg.ClientCursor(cursor.cursor.connection).mogrify("; ".join(statements), params))


def copy_rows(cursor: Any, table: Table, *, with_ids: bool = True) -> None:
    """COPY the table's new rows (PostgreSQL): every column, or all but the id (the sequence gives it)."""
    fields = [(i, f) for i, f in enumerate(table.fields) if with_ids or not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(table.columns[i]) for i, _ in fields)
    jsons = {i for i, f in fields if isinstance(f, models.JSONField)}
    attnames = [(i, table.attnames[i]) for i, _ in fields]
    with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table.model._meta.db_table)} ({columns}) FROM STDIN"
                            ) as copy:
        for row in table.rows:
            copy.write_row([json.dumps(row[a]) if i in jsons and row[a] is not None else row[a] for i, a in attnames])


def _linked_in_order(rows: list[Row], columns: tuple[str, str]) -> list[Row]:
    """Each source's links (added together, in the targets' order) in set_order of their real target ids."""
    left, right = columns
    ordered: list[Row] = []
    start = 0
    while start < len(rows):
        end = start + 1
        while end < len(rows) and rows[end][left] == rows[start][left] and UNORDERED in rows[start]:
            end += 1
        group = rows[start:end]
        by_target = {row[right]: row for row in group}
        ordered += [by_target[i] for i in set_order([row[right] for row in group])] if UNORDERED in group[0] \
            else group
        start = end
    return ordered


@dataclass(frozen=True)
class Recording:
    """What the code that wrote some rows knows, given to their post_save receivers (as `recording`) so they need
    not read it back. `event_id`: the event whose recording wrote the rows of models other than CaseEvent (None:
    not one event). `answers_waiting`: for a case recorded whole in one go (the import), by the seq of each
    assessment or review among the rows, the agencies that may have answered since the last event naming them as
    sources (None: not known, so the receivers look)."""

    event_id: int | None = None
    answers_waiting: Mapping[int, frozenset[str]] | None = None


def send_saved(saved: list[Saved], case: Any = None, recording: Recording | None = None) -> None:
    """post_save for the written rows of models with receivers (agencies.receivers follows AgencyChecks and
    CaseEvents), as Model.save sends it, with `recording` (see Recording) as an extra argument. `case`: the Case
    the rows belong to (saves the receivers a read)."""
    for model, row, created in saved:
        if not post_save.has_listeners(model):
            continue
        instance = model(**{a: row[a] for a in (f.attname for f in model._meta.concrete_fields)})
        instance._state.adding = False
        instance._state.db = "default"
        if case is not None and getattr(instance, "case_id", None) == case.pk:
            instance.case = case  # type: ignore[attr-defined]
        post_save.send(sender=model, instance=instance, created=created, update_fields=None, raw=False,
                       using="default", recording=recording)


__all__ = ["PROVISIONAL", "TABLE_ORDER", "CaseState", "Recording", "Row", "Store", "Table", "m2m_columns", "schema",
           "send_saved"]
