"""Bulk loading of synthetic cases: the same database content as `demo.synth.load`, written in bulk.

`load` (the slow path) sends every event through `record_event`: validation, a locked case row, the
projections, an outbox entry, an audit entry and (at the end) one evaluation, several queries per event.
`bulk_load` does the same work in memory for a batch of cases and then writes each table once:

- every event is validated with the same `validate_event` against the refs known so far;
- the event log, the case rows and every projection (contacts, assessments, people, referrals and their
  transitions, …) are built as rows with ids taken from the tables' sequences, by the projectors in
  `BulkProjector`, which mirror `safeguard.actions.projections` one for one;
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

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from safeguard.audit.chain import GENESIS, entry_hash, event_digest
from safeguard.demo.synth import LoadSummary, Organisation, SyntheticCase, load_organisation
from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, Event, StaffMember
from safeguard.timeline.validate import Refs, TimelineError, parse_on, validate_event

BATCH = 2000
STAFF_FIELDS = ("by", "practitioner")

Row = dict[str, Any]


# -- rows and tables ---------------------------------------------------------------------------------
class Table:
    """The rows of one model (or many-to-many table) for one batch, with ids from its sequence."""

    def __init__(self, model: type[models.Model], now: datetime):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [str(f.column) for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        # As a new model instance would have them; auto_now(_add) fields get the batch's time.
        self.defaults = {f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                         else f.get_default() for f in self.fields}
        self.rows: list[Row] = []
        self.next_id = 1

    def add(self, **values: Any) -> Row:
        row = dict(self.defaults)
        row.update(values)
        if self.model._meta.pk.attname not in values:
            row[self.model._meta.pk.attname] = self.next_id
            self.next_id += 1
        self.rows.append(row)
        return row


def _models() -> dict[str, type[models.Model]]:
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


def _m2m_columns(through: type[models.Model]) -> tuple[str, str]:
    """(source id attname, target id attname) of an auto-created many-to-many table."""
    fks = [f for f in through._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    return fks[0].attname, fks[1].attname


# The order in which tables are written (a row's foreign keys point to rows written before it).
TABLE_ORDER = (
    "case", "event", "person", "address", "residence", "residence_occupants", "proposal", "proposal_occupants",
    "proposal_victims_nearby", "sentence", "sentence_victims", "requirement", "requirement_protects",
    "court_report", "previous_offence", "registration", "control", "control_protects", "breach", "check",
    "check_about", "incident", "contact", "assessment", "assessment_victims", "review", "referral", "transition",
    "enforcement", "decision", "note", "marac", "mappa", "victim_contact", "disclosure", "information",
    "obligation", "audit",
)


# -- the projections, in memory ------------------------------------------------------------------------
@dataclass
class CaseState:
    """What the projections of one case look up as they go (the rows are also in the batch's tables)."""

    case: Row
    people: dict[str, Row] = field(default_factory=dict)
    addresses: dict[str, Row] = field(default_factory=dict)
    residences: list[Row] = field(default_factory=list)
    registrations: list[Row] = field(default_factory=list)
    checks: list[Row] = field(default_factory=list)
    controls: list[Row] = field(default_factory=list)
    assessments: list[Row] = field(default_factory=list)
    referrals: list[Row] = field(default_factory=list)


class BulkProjector:
    """safeguard.actions.projections, one method per projector, writing rows instead of saving models."""

    def __init__(self, tables: dict[str, Table], staff_ids: dict[str, int]):
        self.t = tables
        self.staff_ids = staff_ids
        self._m2m = {name: _m2m_columns(tables[name].model) for name in tables if "_" in name
                     and tables[name].model._meta.auto_created}

    def project(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        handler = getattr(self, "_" + event["type"], None)
        if handler is None:
            raise NotImplementedError(f"the bulk loader has no projection for {event['type']!r} events")
        handler(state, event, d)

    # helpers
    def _link(self, table: str, source: Row, targets: list[Row]) -> None:
        left, right = self._m2m[table]
        target_ids: set[int] = set()
        for target in targets:
            target_ids.add(target["id"])
        # In the order Django's related manager inserts them (the iteration order of a set difference).
        for target_id in target_ids.difference(()):
            self.t[table].add(**{left: source["id"], right: target_id})

    @staticmethod
    def _people(state: CaseState, refs: list[str] | None) -> list[Row]:
        wanted = set(refs or [])
        return [p for p in state.people.values() if p["ref"] in wanted]

    @staticmethod
    def _person(state: CaseState, ref: str | None) -> Row | None:
        if not ref:
            return None
        return state.people[ref]  # LinkedPerson.objects.get: validation guarantees it exists

    def _staff(self, ref: str | None) -> int | None:
        return self.staff_ids.get(ref) if ref else None

    def _address(self, state: CaseState, ref: str | None) -> int | None:
        return self._known_address(state, ref)["id"] if ref else None

    def _known_address(self, state: CaseState, ref: str) -> Row:
        if ref not in state.addresses:
            state.addresses[ref] = self.t["address"].add(case_id=state.case["id"], ref=ref)
        return state.addresses[ref]

    @staticmethod
    def _date(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    def _record(self, table: str, state: CaseState, event: Row, **values: Any) -> Row:
        return self.t[table].add(case_id=state.case["id"], on=event["on"], event_id=event["id"], **values)

    # sentence and supervision
    def _court_report_requested(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self.t["court_report"].add(case_id=state.case["id"], requested_on=event["on"],
                                   court_date=date.fromisoformat(d["court_date"]), report=d.get("report") or "",
                                   curfew_proposed=bool(d.get("curfew_proposed")))

    def _sentenced(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        offence = d.get("offence") or {}
        sentence = self.t["sentence"].add(
            case_id=state.case["id"], kind="order" if event["type"] == "sentenced" else "licence",
            order_type=d.get("order") or d.get("licence") or "", start_on=event["on"], months=d.get("months"),
            offence_description=offence.get("description") or "", offence_domestic=offence.get("domestic"),
            address_id=self._address(state, d.get("address")))
        self._link("sentence_victims", sentence, self._people(state, offence.get("victims")))
        for item in d.get("requirements") or d.get("conditions") or []:
            requirement = self.t["requirement"].add(
                sentence_id=sentence["id"], type=item["type"], programme=item.get("programme") or "",
                days=item.get("days"), hours=item.get("hours"), address_id=self._address(state, item.get("address")),
                electronic_monitoring=item.get("electronic_monitoring"))
            self._link("requirement_protects", requirement, self._people(state, item.get("protects")))
        state.case["ended_on"] = None

    _released = _sentenced

    def _allocated(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        state.case["practitioner_id"] = self._staff(d["practitioner"])

    _transferred = _allocated

    def _supervision_ended(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        state.case["ended_on"] = event["on"]

    def _previous_offence(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self.t["previous_offence"].add(case_id=state.case["id"], recorded_on=event["on"],
                                       offence_on=self._date(d.get("offence_on")),
                                       description=d.get("description") or "",
                                       victim_relationship=d.get("victim_relationship") or "",
                                       violent=d.get("violent"), domestic=d.get("domestic"))

    def _registered(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        if not any(r["code"] == d["code"] and r["deregistered_on"] is None for r in state.registrations):
            state.registrations.append(self.t["registration"].add(case_id=state.case["id"], code=d["code"],
                                                                  registered_on=event["on"]))

    def _deregistered(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        for r in state.registrations:
            if r["code"] == d["code"] and r["deregistered_on"] is None:
                r["deregistered_on"] = event["on"]

    # people, relationships and homes
    def _person_added(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        state.people[d["ref"]] = self.t["person"].add(
            case_id=state.case["id"], ref=d["ref"], relationship=d["relationship"], born=self._date(d.get("born")),
            gender=d.get("gender") or "", lives_with_case=bool(d.get("lives_with_case")),
            victim=bool(d.get("victim")), current_partner=d["relationship"] == "partner", added_on=event["on"])

    def _relationship_started(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        person = state.people.get(d["ref"])
        if person is not None:
            person["current_partner"] = event["type"] == "relationship_started"

    _relationship_ended = _relationship_started

    def _address_proposed(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        proposal = self.t["proposal"].add(case_id=state.case["id"],
                                          address_id=self._known_address(state, d["address"])["id"],
                                          purpose=d["purpose"], proposed_on=event["on"])
        self._link("proposal_occupants", proposal, self._people(state, d.get("occupants")))
        self._link("proposal_victims_nearby", proposal, self._people(state, d.get("victims_nearby")))

    def _moved(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        for r in state.residences:
            if r["to_on"] is None:
                r["to_on"] = event["on"]
        residence = self.t["residence"].add(case_id=state.case["id"],
                                            address_id=self._known_address(state, d["address"])["id"],
                                            from_on=event["on"])
        state.residences.append(residence)
        occupants = self._people(state, d.get("occupants"))
        self._link("residence_occupants", residence, occupants)
        for person in state.people.values():
            person["lives_with_case"] = False
        for person in occupants:
            person["lives_with_case"] = True

    def _pregnancy(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        if d["ref"] in state.people:
            state.people[d["ref"]]["pregnant_since"] = event["on"]

    def _child_born(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        parents = self._people(state, d.get("parents"))
        state.people[d["ref"]] = self.t["person"].add(
            case_id=state.case["id"], ref=d["ref"], relationship="child", born=event["on"], added_on=event["on"],
            lives_with_case=any(p["lives_with_case"] for p in parents))
        for parent in parents:
            parent["pregnant_since"] = None

    def _child_protection(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        if d["ref"] in state.people:
            state.people[d["ref"]]["child_protection"] = d["status"]

    # other agencies
    def _check_requested(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        check = self.t["check"].add(case_id=state.case["id"], agency=d["agency"], requested_on=event["on"])
        state.checks.append(check)
        self._link("check_about", check, self._people(state, d.get("about")))

    def _check_returned(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        open_checks = [c for c in state.checks if c["agency"] == d["agency"] and c["returned_on"] is None]
        if open_checks:
            check = max(open_checks, key=lambda c: c["id"])
        else:
            check = self.t["check"].add(case_id=state.case["id"], agency=d["agency"])
            state.checks.append(check)
        check.update(returned_on=event["on"], callouts=d.get("callouts"),
                     known_to_childrens_services=d.get("known_to_childrens_services"), summary=d.get("summary") or "")

    def _police_incident(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        victim = self._person(state, d.get("victim"))
        self._record("incident", state, event, kind=d["kind"], victim_id=victim["id"] if victim else None,
                     domestic=bool(d.get("domestic")), features=d.get("features") or [])

    def _control_imposed(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        control = self.t["control"].add(case_id=state.case["id"], control=d["control"], imposed_on=event["on"],
                                        until=self._date(d.get("until")))
        state.controls.append(control)
        self._link("control_protects", control, self._people(state, d.get("protects")))

    def _control_breached(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        controls = [c for c in state.controls if not d.get("control") or c["control"] == d["control"]]
        control = max(controls, key=lambda c: (c["imposed_on"], c["id"])) if controls else None
        protects = self._person(state, d.get("protects"))
        self.t["breach"].add(case_id=state.case["id"], control_id=control["id"] if control else None,
                             on=event["on"], protects_id=protects["id"] if protects else None,
                             reported_by=d.get("reported_by") or "")

    def _marac_referred(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("marac", state, event, stage=event["type"].removeprefix("marac_"),
                     text=d.get("reason") or d.get("actions") or "")

    _marac_heard = _marac_referred

    def _mappa(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("mappa", state, event, category=d["category"], level=d["level"])

    def _victim_contact(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        person = self._person(state, d["ref"])
        assert person is not None
        self._record("victim_contact", state, event, person_id=person["id"], by=d["by"],
                     safety_plan=bool(d.get("safety_plan")))

    def _disclosure(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        to = self._person(state, d.get("to"))
        self._record("disclosure", state, event, scheme=d["scheme"], to_id=to["id"] if to else None)

    def _information_received(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("information", state, event, source=d["source"], text=d.get("text") or "")

    # probation practice
    @staticmethod
    def _set_levels(state: CaseState, d: dict[str, Any]) -> None:
        for name in ("rosh", "sara_partner", "sara_others"):
            if d.get(name):
                state.case[name] = d[name]

    def _assessed(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        assessment = self._record(
            "assessment", state, event, by_id=self._staff(d.get("by")), rosh=d.get("rosh") or "",
            sara_partner=d.get("sara_partner") or "", sara_others=d.get("sara_others") or "",
            dash_yes=d.get("dash_yes"), sources=d.get("sources") or [], analysis=d.get("analysis") or "")
        state.assessments.append(assessment)
        self._link("assessment_victims", assessment, self._people(state, d.get("victims_considered")))
        self._set_levels(state, d)

    def _countersigned(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        for a in state.assessments:
            if a["countersigned_on"] is None:
                a["countersigned_by_id"] = self._staff(d["by"])
                a["countersigned_on"] = event["on"]

    def _contact(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("contact", state, event, kind=d["kind"], outcome=d["outcome"], by_id=self._staff(d.get("by")))

    def _reviewed(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("review", state, event, by_id=self._staff(d.get("by")), rosh=d.get("rosh") or "",
                     sara_partner=d.get("sara_partner") or "", sara_others=d.get("sara_others") or "",
                     sources=d.get("sources") or [], analysis=d.get("analysis") or "")
        self._set_levels(state, d)

    def _transition(self, referral: Row, event: Row, from_status: str) -> None:
        data = event["payload"]
        self.t["transition"].add(referral_id=referral["id"], from_status=from_status, to_status=referral["status"],
                                 on=event["on"], reason=str(data.get("reason") or data.get("by") or ""),
                                 event_id=event["id"], by_id=None, recorded_at=event["recorded_at"])
        # interventions.records.follow_event also ends the referral's place on a course: a referral made by
        # this loader has none.

    def _referred(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        from safeguard.interventions.lifecycle import EVENT_STATUS

        referral = self.t["referral"].add(case_id=state.case["id"], programme=d["programme"],
                                          referred_on=event["on"], status=EVENT_STATUS["referred"])
        state.referrals.append(referral)
        self._transition(referral, event, "")

    def _programme_started(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        from safeguard.interventions.lifecycle import EVENT_STATUS

        mine = [r for r in state.referrals if r["programme"] == d["programme"]]
        if mine:
            referral = max(mine, key=lambda r: (r["referred_on"], r["id"]))
        else:
            referral = self.t["referral"].add(case_id=state.case["id"], programme=d["programme"],
                                              referred_on=event["on"], status="")
            state.referrals.append(referral)
        from_status = referral["status"]
        stage = event["type"].removeprefix("programme_")
        referral["status"] = EVENT_STATUS[event["type"]]
        if stage == "started":
            referral["started_on"] = event["on"]
        elif stage == "completed":
            referral["completed_on"] = event["on"]
        elif stage == "cancelled":
            referral["cancelled_on"] = event["on"]
            referral["cancelled_by"] = d.get("by") or ""
        else:
            referral["left_on"] = event["on"]
            referral["left_reason"] = d.get("reason") or ""
        self._transition(referral, event, from_status)

    _programme_completed = _programme_cancelled = _programme_left = _programme_started

    def _enforcement(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("enforcement", state, event, action=d["action"], reason=d.get("reason") or "")

    def _manager_decision(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("decision", state, event, by_id=self._staff(d.get("by")), about=d["about"],
                     decision=d.get("decision") or "")

    def _note(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("note", state, event, by_id=self._staff(d.get("by")), text=d.get("text") or "")


def projected_types() -> set[str]:
    """The event types BulkProjector projects (tests check these are every type record_event projects)."""
    from safeguard.timeline.schema import EVENTS

    return {t for t in EVENTS if callable(getattr(BulkProjector, "_" + t, None))}


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
    schema = _models()
    summary = LoadSummary()
    for chunk in _chunks(cases, batch):
        existing = set(Case.objects.filter(ref__in=[c.ref for c in chunk], archived_at=None)
                       .values_list("ref", flat=True))
        with transaction.atomic():
            now = timezone.now()
            tables = {name: Table(model, now) for name, model in schema.items()}
            _reserve_ids(tables)
            projector = BulkProjector(tables, staffing.ids)
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
    analyze(schema)
    return summary


def analyze(schema: dict[str, type[models.Model]]) -> None:
    """Refresh the planner's statistics of the tables just loaded. Without them PostgreSQL plans as if
    the tables were nearly empty (until autovacuum gets round to them), and the measures' EXISTS
    subqueries took seconds instead of milliseconds (docs/adr/0005-scale-indexes-and-caching.md)."""
    with connection.cursor() as cursor:
        for model in schema.values():
            cursor.execute(f"ANALYZE {_quote(model._meta.db_table)}")


def _build_case(synthetic: SyntheticCase, as_of: date, tables: dict[str, Table], projector: BulkProjector,
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
        validate_event(dict(event), refs, source=source, where="event")
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
    for found in result.obligations:  # oversight.service.reconcile, for a case with none stored yet
        tables["obligation"].add(
            case_id=case["id"], key=found.key, rule=found.rule, kind=found.kind, policy_version=found.policy_version,
            opened=found.opened, due=found.due, status=found.status_on(as_of), reason=found.reason,
            closed_on=found.closed_on, closed_by_id=seq_ids.get(found.closed_by) if found.closed_by is not None
            else None, closed_note=found.closed_note, immediate=found.immediate, critical=found.critical,
            overdue_at_once=found.overdue_at_once)
    open_now = result.open()
    case.update(concern=result.concern, next_due=min(o.due for o in open_now) if open_now else None,
                evaluated_on=as_of, wake_on=result.wake_on, da_since=facts.da_since)
    summary.cases.append(case["ref"])
    summary.events += len(facts_events)
    summary.concern[result.concern] += 1
    for obligation in open_now:
        summary.open_obligations[obligation.kind] += 1
        summary.overdue += obligation.status_on(as_of) == "overdue"


# -- writing -------------------------------------------------------------------------------------------
def chain_audit(audit: Table) -> None:
    """Give the batch's audit entries their places in the chain, as write_audit would one by one (the
    chain's lock is held until the batch's transaction ends)."""
    from safeguard.audit.log import _lock_chain
    from safeguard.audit.models import AuditEntry

    if not audit.rows:
        return
    _lock_chain("default")
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (head[0], head[1]) if head else (0, GENESIS)
    for row in audit.rows:
        seq += 1
        row.update(seq=seq, prev_hash=prev_hash, user_id=None, ip=None)
        row["hash"] = prev_hash = entry_hash(row)


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
            db_table = table.model._meta.db_table
            columns = ", ".join(_quote(c) for c in table.columns)
            if connection.vendor == "postgresql":
                jsons = {i for i, f in enumerate(table.fields) if isinstance(f, models.JSONField)}
                with cursor.cursor.copy(f"COPY {_quote(db_table)} ({columns}) FROM STDIN") as copy:
                    for row in table.rows:
                        copy.write_row([json.dumps(row[a]) if i in jsons and row[a] is not None else row[a]
                                        for i, a in enumerate(table.attnames)])
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                prepared = [[f.get_db_prep_save(row[f.attname], connection) for f in table.fields]
                            for row in table.rows]
                cursor.executemany(f"INSERT INTO {_quote(db_table)} ({columns}) VALUES ({marks})", prepared)


__all__ = ["BATCH", "bulk_load", "projected_types", "write_tables"]
