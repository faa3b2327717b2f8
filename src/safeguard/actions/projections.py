"""How each logged event updates the queryable records. Called only by record_event, inside its transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from safeguard.cases.models import (
    Address,
    AddressProposal,
    Case,
    CaseEvent,
    Control,
    ControlBreach,
    CourtReport,
    LinkedPerson,
    PreviousOffence,
    Registration,
    Requirement,
    Residence,
    Sentence,
)
from safeguard.interventions.lifecycle import EVENT_STATUS
from safeguard.interventions.records import follow_event
from safeguard.practice.models import (
    AgencyCheck,
    Assessment,
    Contact,
    Disclosure,
    Enforcement,
    InformationReceived,
    ManagerDecision,
    MappaRecord,
    Marac,
    Note,
    PoliceIncident,
    Referral,
    Review,
    VictimContact,
)
from safeguard.workforce.models import Staff

# Case fields that projections may change (saved by record_event).
PROJECTED_CASE_FIELDS = ("practitioner", "rosh", "sara_partner", "sara_others", "ended_on")

Projector = Callable[[Case, CaseEvent, dict[str, Any]], None]
PROJECTORS: dict[str, Projector] = {}


def projects(*types: str) -> Callable[[Projector], Projector]:
    def register(fn: Projector) -> Projector:
        for t in types:
            PROJECTORS[t] = fn
        return fn

    return register


def project(case: Case, event: CaseEvent) -> None:
    data = {k: v for k, v in event.payload.items() if k not in {"on", "type"}}
    PROJECTORS[event.type](case, event, data)


def _person(case: Case, ref: str | None) -> LinkedPerson | None:
    return LinkedPerson.objects.get(case=case, ref=ref) if ref else None


def _people(case: Case, refs: list[str] | None) -> list[LinkedPerson]:
    return list(LinkedPerson.objects.filter(case=case, ref__in=refs or []))


# Staff rows record_event's validation has just read (StaffCodes), so projecting the event need not read them again.
_KNOWN_STAFF: ContextVar[Mapping[str, Staff]] = ContextVar("known_staff", default={})  # noqa: B039 (never mutated)


@contextmanager
def known_staff(rows: Mapping[str, Staff]) -> Iterator[None]:
    token = _KNOWN_STAFF.set(rows)
    try:
        yield
    finally:
        _KNOWN_STAFF.reset(token)


def _staff(ref: str | None) -> Staff | None:
    if not ref:
        return None
    known = _KNOWN_STAFF.get().get(ref)
    return known if known is not None else Staff.objects.filter(code=ref).first()


def _address(case: Case, ref: str | None) -> Address | None:
    return _known_address(case, ref) if ref else None


def _known_address(case: Case, ref: str) -> Address:
    return Address.objects.get_or_create(case=case, ref=ref)[0]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# -- sentence and supervision ------------------------------------------------------------------
@projects("court_report_requested")
def _court_report(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    CourtReport.objects.create(case=case, requested_on=event.on, court_date=date.fromisoformat(d["court_date"]),
                               report=d.get("report") or "", curfew_proposed=bool(d.get("curfew_proposed")))


@projects("sentenced", "released")
def _sentence(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    offence = d.get("offence") or {}
    sentence = Sentence.objects.create(
        case=case, kind="order" if event.type == "sentenced" else "licence",
        order_type=d.get("order") or d.get("licence") or "", start_on=event.on, months=d.get("months"),
        offence_description=offence.get("description") or "", offence_domestic=offence.get("domestic"),
        address=_address(case, d.get("address")),
    )
    sentence.victims.set(_people(case, offence.get("victims")))
    for item in d.get("requirements") or d.get("conditions") or []:
        requirement = Requirement.objects.create(
            sentence=sentence, type=item["type"], programme=item.get("programme") or "", days=item.get("days"),
            hours=item.get("hours"), address=_address(case, item.get("address")),
            electronic_monitoring=item.get("electronic_monitoring"),
        )
        requirement.protects.set(_people(case, item.get("protects")))
    case.ended_on = None


@projects("allocated", "transferred")
def _allocated(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    case.practitioner = _staff(d["practitioner"])


@projects("supervision_ended")
def _ended(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    case.ended_on = event.on


@projects("previous_offence")
def _previous_offence(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    PreviousOffence.objects.create(case=case, recorded_on=event.on, offence_on=_date(d.get("offence_on")),
                                   description=d.get("description") or "",
                                   victim_relationship=d.get("victim_relationship") or "",
                                   violent=d.get("violent"), domestic=d.get("domestic"))


@projects("registered")
def _registered(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    if not Registration.objects.filter(case=case, code=d["code"], deregistered_on=None).exists():
        Registration.objects.create(case=case, code=d["code"], registered_on=event.on)


@projects("deregistered")
def _deregistered(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    Registration.objects.filter(case=case, code=d["code"], deregistered_on=None).update(deregistered_on=event.on)


# -- people, relationships and homes ------------------------------------------------------------
@projects("person_added")
def _person_added(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    LinkedPerson.objects.create(
        case=case, ref=d["ref"], relationship=d["relationship"], born=_date(d.get("born")),
        gender=d.get("gender") or "", lives_with_case=bool(d.get("lives_with_case")), victim=bool(d.get("victim")),
        current_partner=d["relationship"] == "partner", added_on=event.on,
    )


@projects("relationship_started", "relationship_ended")
def _relationship(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    LinkedPerson.objects.filter(case=case, ref=d["ref"]).update(
        current_partner=event.type == "relationship_started")


@projects("address_proposed")
def _address_proposed(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    proposal = AddressProposal.objects.create(case=case, address=_known_address(case, d["address"]),
                                              purpose=d["purpose"], proposed_on=event.on)
    proposal.occupants.set(_people(case, d.get("occupants")))
    proposal.victims_nearby.set(_people(case, d.get("victims_nearby")))


@projects("moved")
def _moved(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    Residence.objects.filter(case=case, to_on=None).update(to_on=event.on)
    residence = Residence.objects.create(case=case, address=_known_address(case, d["address"]), from_on=event.on)
    occupants = _people(case, d.get("occupants"))
    residence.occupants.set(occupants)
    LinkedPerson.objects.filter(case=case).update(lives_with_case=False)
    LinkedPerson.objects.filter(pk__in=[p.pk for p in occupants]).update(lives_with_case=True)


@projects("pregnancy")
def _pregnancy(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    LinkedPerson.objects.filter(case=case, ref=d["ref"]).update(pregnant_since=event.on)


@projects("child_born")
def _child_born(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    parents = _people(case, d.get("parents"))
    LinkedPerson.objects.create(case=case, ref=d["ref"], relationship="child", born=event.on, added_on=event.on,
                                lives_with_case=any(p.lives_with_case for p in parents))
    LinkedPerson.objects.filter(pk__in=[p.pk for p in parents]).update(pregnant_since=None)


@projects("child_protection")
def _child_protection(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    LinkedPerson.objects.filter(case=case, ref=d["ref"]).update(child_protection=d["status"])


# -- other agencies ------------------------------------------------------------------------------
@projects("check_requested")
def _check_requested(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    check = AgencyCheck.objects.create(case=case, agency=d["agency"], requested_on=event.on)
    check.about.set(_people(case, d.get("about")))


@projects("check_returned")
def _check_returned(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    check = AgencyCheck.objects.filter(case=case, agency=d["agency"], returned_on=None).order_by("-id").first()
    if check is None:
        check = AgencyCheck(case=case, agency=d["agency"])
    check.returned_on = event.on
    check.callouts = d.get("callouts")
    check.known_to_childrens_services = d.get("known_to_childrens_services")
    check.summary = d.get("summary") or ""
    check.save()


@projects("police_incident")
def _police_incident(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    PoliceIncident.objects.create(case=case, on=event.on, event=event, kind=d["kind"],
                                  victim=_person(case, d.get("victim")), domestic=bool(d.get("domestic")),
                                  features=d.get("features") or [])


@projects("control_imposed")
def _control_imposed(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    control = Control.objects.create(case=case, control=d["control"], imposed_on=event.on,
                                     until=_date(d.get("until")))
    control.protects.set(_people(case, d.get("protects")))


@projects("control_breached")
def _control_breached(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    controls = Control.objects.filter(case=case).order_by("-imposed_on", "-id")
    if d.get("control"):
        controls = controls.filter(control=d["control"])
    ControlBreach.objects.create(case=case, control=controls.first(), on=event.on,
                                 protects=_person(case, d.get("protects")), reported_by=d.get("reported_by") or "")


@projects("marac_referred", "marac_heard")
def _marac(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    Marac.objects.create(case=case, on=event.on, event=event, stage=event.type.removeprefix("marac_"),
                         text=d.get("reason") or d.get("actions") or "")


@projects("mappa")
def _mappa(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    MappaRecord.objects.create(case=case, on=event.on, event=event, category=d["category"], level=d["level"])


@projects("victim_contact")
def _victim_contact(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    person = _person(case, d["ref"])
    assert person is not None
    VictimContact.objects.create(case=case, on=event.on, event=event, person=person, by=d["by"],
                                 safety_plan=bool(d.get("safety_plan")))


@projects("disclosure")
def _disclosure(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    Disclosure.objects.create(case=case, on=event.on, event=event, scheme=d["scheme"], to=_person(case, d.get("to")))


@projects("information_received")
def _information(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    InformationReceived.objects.create(case=case, on=event.on, event=event, source=d["source"],
                                       text=d.get("text") or "")


# -- probation practice -------------------------------------------------------------------------
def _set_levels(case: Case, d: dict[str, Any]) -> None:
    for name in ("rosh", "sara_partner", "sara_others"):
        if d.get(name):
            setattr(case, name, d[name])


@projects("assessed")
def _assessed(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    assessment = Assessment.objects.create(
        case=case, on=event.on, event=event, by=_staff(d.get("by")), rosh=d.get("rosh") or "",
        sara_partner=d.get("sara_partner") or "", sara_others=d.get("sara_others") or "",
        dash_yes=d.get("dash_yes"), sources=d.get("sources") or [], analysis=d.get("analysis") or "",
    )
    assessment.victims_considered.set(_people(case, d.get("victims_considered")))
    _set_levels(case, d)


@projects("countersigned")
def _countersigned(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    Assessment.objects.filter(case=case, countersigned_on=None).update(countersigned_by=_staff(d["by"]),
                                                                       countersigned_on=event.on)


@projects("contact")
def _contact(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    Contact.objects.create(case=case, on=event.on, event=event, kind=d["kind"], outcome=d["outcome"],
                           by=_staff(d.get("by")))


@projects("reviewed")
def _reviewed(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    Review.objects.create(case=case, on=event.on, event=event, by=_staff(d.get("by")), rosh=d.get("rosh") or "",
                          sara_partner=d.get("sara_partner") or "", sara_others=d.get("sara_others") or "",
                          sources=d.get("sources") or [], analysis=d.get("analysis") or "")
    _set_levels(case, d)


@projects("referred")
def _referred(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    referral = Referral.objects.create(case=case, programme=d["programme"], referred_on=event.on,
                                       status=EVENT_STATUS["referred"])
    follow_event(referral, event, "")


@projects("programme_started", "programme_completed", "programme_cancelled", "programme_left")
def _programme(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    """Events are facts: applied to the latest referral for the programme even out of the lifecycle's order
    (timelines may go straight from `referred` to `programme_started`); the service checks the order."""
    referral = Referral.objects.filter(case=case, programme=d["programme"]).order_by("-referred_on", "-id").first()
    if referral is None:
        referral = Referral(case=case, programme=d["programme"], referred_on=event.on, status="")
    from_status = referral.status
    stage = event.type.removeprefix("programme_")
    referral.status = EVENT_STATUS[event.type]
    if stage == "started":
        referral.started_on = event.on
    elif stage == "completed":
        referral.completed_on = event.on
    elif stage == "cancelled":
        referral.cancelled_on = event.on
        referral.cancelled_by = d.get("by") or ""
    else:
        referral.left_on = event.on
        referral.left_reason = d.get("reason") or ""
    referral.save()
    follow_event(referral, event, from_status)


@projects("enforcement")
def _enforcement(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    Enforcement.objects.create(case=case, on=event.on, event=event, action=d["action"], reason=d.get("reason") or "")


@projects("manager_decision")
def _manager_decision(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    ManagerDecision.objects.create(case=case, on=event.on, event=event, by=_staff(d.get("by")), about=d["about"],
                                   decision=d.get("decision") or "")


@projects("note")
def _note(case: Case, event: CaseEvent, d: dict[str, Any]) -> None:
    Note.objects.create(case=case, on=event.on, event=event, by=_staff(d.get("by")), text=d.get("text") or "")
