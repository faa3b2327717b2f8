"""Test data for the interventions and workforce tests: a delivery unit, its staff and users, and DA cases.

Cases go in through the importer, so through record_event like every real change. Dates are fixed in
the past (waiting times are worked by hand against them); obligations are evaluated as of today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from safeguard.actions import ensure_unit
from safeguard.cases.models import Case
from safeguard.interventions import service
from safeguard.interventions.lifecycle import START, TRANSITIONS, Transition
from safeguard.practice.models import Referral
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document
from safeguard.workforce.models import DeliveryUnit, Staff, Team
from sign_ins import PASSWORD, make_user

UNIT = "North City"
STAFF_GRADES = (("P1", "PO"), ("P2", "PSO"), ("P3", "PQiP"), ("P4", "PO"), ("S1", "SPO"), ("P9", "PO"))


@dataclass
class Org:
    unit: DeliveryUnit
    team: Team
    other_team: Team
    staff: dict[str, Staff]
    priya: User  # practitioner, P1: PO, DA-trained, qualified 2015
    sam: User  # practitioner, P2: PSO, not DA-trained
    mo: User  # SPO of team A (S1)
    hana: User  # head of North City
    olu: User  # practitioner in team B (P9)


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client




def make_org() -> Org:
    unit = ensure_unit(UNIT)
    team = Team.objects.create(name="North City A", unit=unit)
    other = Team.objects.create(name="North City B", unit=unit)
    people = {
        "P1": ("Priya Shah", "PO", date(2015, 9, 1), True, team, 37),
        "P2": ("Sam Green", "PSO", None, False, team, 37),
        "P3": ("Tom Reid", "PQiP", None, True, team, 37),
        "P4": ("Ana Cruz", "PO", date(2012, 9, 1), True, team, 18.5),
        "S1": ("Mo Khan", "SPO", date(2008, 9, 1), True, team, 37),
        "P9": ("Olu Ade", "PO", date(2016, 9, 1), True, other, 37),
    }
    staff = {code: Staff.objects.create(code=code, name=name, grade=grade, qualified_on=qualified, da_trained=trained,
                                        team=t, contracted_hours=hours)
             for code, (name, grade, qualified, trained, t, hours) in people.items()}
    return Org(unit=unit, team=team, other_team=other, staff=staff,
               priya=make_user("priya", "practitioner", staff["P1"], unit),
               sam=make_user("sam", "practitioner", staff["P2"], unit),
               mo=make_user("mo", "spo", staff["S1"], unit),
               hana=make_user("hana", "head", None, unit),
               olu=make_user("olu", "practitioner", staff["P9"], unit))


def build_case(ref: str, events: list[dict[str, Any]], *, name: str = "", gender: str = "male") -> Case:
    doc = {
        "format": "safeguard-timeline/1",
        "case": {"ref": ref, "born": "1986-03-14", "gender": gender, "pdu": UNIT},
        "staff": [{"ref": code, "grade": grade} for code, grade in STAFF_GRADES],
        "events": events,
    }
    case = import_timeline(validate_document(doc, f"{ref}.json"))
    if name:
        Case.objects.filter(pk=case.pk).update(name=name)
        case.refresh_from_db()
    return case


def da_events(*, on: str = "2024-01-02", practitioner: str = "P1", rosh: str = "medium", sara_partner: str = "medium",
              sara_others: str = "low", programme: str | None = "bbr", months: int = 24,
              assessed_on: str = "2024-01-05") -> list[dict[str, Any]]:
    """A DA community order against an ex-partner, allocated, assessed."""
    requirements: list[dict[str, Any]] = [{"type": "rar", "days": 20}]
    if programme:
        requirements.append({"type": "accredited_programme", "programme": programme})
    return [
        {"on": on, "type": "person_added", "ref": "V1", "relationship": "ex_partner", "victim": True,
         "born": "1990-05-01", "gender": "female"},
        {"on": on, "type": "sentenced", "order": "community_order", "months": months, "requirements": requirements,
         "offence": {"description": "Assault by beating", "victims": ["V1"], "domestic": True}},
        {"on": on, "type": "allocated", "practitioner": practitioner},
        {"on": on, "type": "registered", "code": "ADVP"},
        {"on": assessed_on, "type": "assessed", "by": practitioner, "rosh": rosh, "sara_partner": sara_partner,
         "sara_others": sara_others, "victims_considered": ["V1"], "sources": ["previous_assessments"],
         "analysis": "Controlling behaviour."},
    ]


def da_case(ref: str, **kwargs: Any) -> Case:
    name = kwargs.pop("name", "")
    return build_case(ref, da_events(**kwargs), name=name)


def path_to(status: str) -> list[Transition]:
    """The shortest run of transitions from a new referral to `status` (breadth first over the table)."""
    frontier: list[tuple[str, list[Transition]]] = [(START, [])]
    seen = {START}
    while frontier:
        current, path = frontier.pop(0)
        if current == status:
            return path
        for t in TRANSITIONS:
            if t.from_status == current and t.to_status not in seen:
                seen.add(t.to_status)
                frontier.append((t.to_status, [*path, t]))
    raise AssertionError(f"no path to {status}")


def walk(case: Case, transitions: list[Transition], *, intervention: str = "toolkit", on: date | None = None,
         user: Any = None) -> Referral | None:
    """Apply transitions through the service (reasons: each one's first; one-to-one work needs no course)."""
    referral: Referral | None = None
    for t in transitions:
        if t.from_status == START:
            referral = service.refer(case, intervention, user=user, on=on)
        else:
            assert referral is not None
            referral = service.change_status(referral, t.to_status, user=user, on=on,
                                             reason=t.reasons[0] if t.reasons else "")
    return referral
