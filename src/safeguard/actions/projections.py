"""How each logged event updates the queryable records: the one set of projection rules.

`Projector` has one method per event type. It works on rows in memory (actions.rows): a case's state (its people,
addresses, checks, …) and tables of new rows. The same rules serve

- record_event, through `project` below: one event on a stored case, whose rows are read when a rule first asks
  for them and written back (new rows inserted, changed rows updated) before record_event goes on;
- the timeline import (actions.bulk): every event of a new case, written in a few bulk inserts;
- the synthetic loader (scale.bulk): thousands of new cases, COPYed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from safeguard.actions.rows import (
    PROVISIONAL,
    UNORDERED,
    CaseState,
    Recording,
    Row,
    Store,
    m2m_columns,
    send_saved,
    set_order,
)
from safeguard.cases.models import Case, CaseEvent
from safeguard.interventions.lifecycle import EVENT_STATUS
from safeguard.interventions.models import Enrolment
from safeguard.interventions.records import PLACE_OUTCOME
from safeguard.workforce.models import Staff

# Case fields that projections may change (saved by record_event), and their attnames in a case row.
PROJECTED_CASE_FIELDS = ("practitioner", "rosh", "sara_partner", "sara_others", "ended_on")
CASE_ROW_FIELDS = ("id", "practitioner_id", "rosh", "sara_partner", "sara_others", "ended_on")
EVENT_ROW_FIELDS = ("id", "case_id", "seq", "on", "type", "payload", "recorded_by_id", "recorded_at", "source")


def case_row(case: Case) -> Row:
    return {name: getattr(case, name) for name in CASE_ROW_FIELDS}


def event_data(payload: Mapping[str, Any]) -> dict[str, Any]:
    """An event's fields other than `on` and `type`: what the rules read."""
    return {k: v for k, v in payload.items() if k not in {"on", "type"}}


# Staff rows record_event's validation has just read (StaffCodes), so projecting the event need not read them again.
_KNOWN_STAFF: ContextVar[Mapping[str, Staff]] = ContextVar("known_staff", default={})  # noqa: B039 (never mutated)


@contextmanager
def known_staff(rows: Mapping[str, Staff]) -> Iterator[None]:
    token = _KNOWN_STAFF.set(rows)
    try:
        yield
    finally:
        _KNOWN_STAFF.reset(token)


def staff_id(code: str) -> int | None:
    """The id of the staff member with this code: from the rows validation read, else from the database."""
    known = _KNOWN_STAFF.get().get(code)
    if known is not None:
        return known.pk
    return Staff.objects.filter(code=code).values_list("pk", flat=True).first()


def project(case: Case, event: CaseEvent) -> None:
    """record_event's projection of `event` (already saved) on `case` (locked): write the rows and set the case's
    PROJECTED_CASE_FIELDS on `case` (record_event saves them)."""
    store = Store(case.pk)
    state = store.state(case_row(case))
    Projector(store.tables, staff_id).project(state, {name: getattr(event, name) for name in EVENT_ROW_FIELDS},
                                              event_data(event.payload))
    send_saved(store.flush(), case, Recording(event_id=event.pk))
    for name in CASE_ROW_FIELDS[1:]:
        setattr(case, name, state.case[name])


class Projector:
    """The projection rules, one method per event type, writing rows to `tables` (a new row's id is given by the
    table). `staff_id(code)` gives a staff member's id."""

    def __init__(self, tables: Mapping[str, Any], staff_id: Callable[[str], int | None]):
        self.t = tables
        self.staff_id = staff_id
        self._m2m = m2m_columns()

    def project(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        handler = getattr(self, "_" + event["type"], None)
        if handler is None:
            raise NotImplementedError(f"no projection for {event['type']!r} events")
        handler(state, event, d)

    # helpers
    def _link(self, table: str, source: Row, targets: list[Row]) -> None:
        left, right = self._m2m[table]
        ids = [target["id"] for target in targets]
        if any(i >= PROVISIONAL for i in ids):  # Store puts them in that order when it knows the real ids
            for target_id in ids:
                self.t[table].add(**{left: source["id"], right: target_id, UNORDERED: True})
            return
        for target_id in set_order(ids):
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
        return self.staff_id(ref) if ref else None

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

    def _transition(self, state: CaseState, referral: Row, event: Row, from_status: str) -> None:
        """The change the event made to the referral, and the end of the referral's place on a course when the
        event ends it (only a stored referral can have one)."""
        data = event["payload"]
        self.t["transition"].add(referral_id=referral["id"], from_status=from_status, to_status=referral["status"],
                                 on=event["on"], reason=str(data.get("reason") or data.get("by") or ""),
                                 event_id=event["id"], by_id=event["recorded_by_id"], recorded_at=event["recorded_at"])
        outcome = PLACE_OUTCOME.get(event["type"])
        if outcome is not None and state.stored and referral["id"] < PROVISIONAL:
            Enrolment.objects.filter(referral_id=referral["id"], outcome="").update(outcome=outcome,
                                                                                    ended_on=event["on"])

    def _referred(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        referral = self.t["referral"].add(case_id=state.case["id"], programme=d["programme"],
                                          referred_on=event["on"], status=EVENT_STATUS["referred"])
        state.referrals.append(referral)
        self._transition(state, referral, event, "")

    def _programme_started(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
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
        self._transition(state, referral, event, from_status)

    _programme_completed = _programme_cancelled = _programme_left = _programme_started

    def _enforcement(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("enforcement", state, event, action=d["action"], reason=d.get("reason") or "")

    def _manager_decision(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("decision", state, event, by_id=self._staff(d.get("by")), about=d["about"],
                     decision=d.get("decision") or "")

    def _note(self, state: CaseState, event: Row, d: dict[str, Any]) -> None:
        self._record("note", state, event, by_id=self._staff(d.get("by")), text=d.get("text") or "")


def projected_types() -> set[str]:
    """The event types the rules project (every type in the timeline schema)."""
    from safeguard.timeline.schema import EVENTS

    return {t for t in EVENTS if callable(getattr(Projector, "_" + t, None))}
