"""Test data for the web and browser tests: a team, its staff and users, and cases built as timelines.

Cases go in through the importer (so through record_event, like every real change); event dates are
relative to today because the live app evaluates obligations as of today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User

from safeguard.actions import ensure_unit
from safeguard.cases.models import Case, CaseEvent
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document
from safeguard.workforce.models import Staff, Team
from sign_ins import PASSWORD, make_user  # noqa: F401  (PASSWORD: re-exported to the web tests)

UNIT = "North City"


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


@dataclass
class Org:
    practitioner: User  # Priya Shah, PO, DA-trained: holds the DA cases
    pso: User  # Sam Green, PSO, not DA-trained: his assessments need countersigning
    spo: User  # Mo Khan, SPO of team A
    outsider: User  # Olu Ade, PO in another team
    team: Team
    other_team: Team




def make_org() -> Org:
    unit = ensure_unit(UNIT)
    team = Team.objects.create(name="North City A", unit=unit)
    other_team = Team.objects.create(name="North City B", unit=unit)
    people = {
        "P1": ("Priya Shah", "PO", date(2015, 9, 1), True, team),
        "P2": ("Sam Green", "PSO", None, False, team),
        "S1": ("Mo Khan", "SPO", date(2008, 9, 1), True, team),
        "P9": ("Olu Ade", "PO", date(2016, 9, 1), True, other_team),
    }
    staff = {code: Staff.objects.create(code=code, name=name, grade=grade, qualified_on=qualified, da_trained=trained,
                                        team=t)
             for code, (name, grade, qualified, trained, t) in people.items()}
    return Org(
        practitioner=make_user("priya", "practitioner", staff["P1"], unit),
        pso=make_user("sam", "practitioner", staff["P2"], unit),
        spo=make_user("mo", "spo", staff["S1"], unit),
        outsider=make_user("olu", "practitioner", staff["P9"], unit),
        team=team, other_team=other_team,
    )


def build_case(ref: str, name: str, events: list[dict[str, Any]]) -> Case:
    doc = {
        "format": "safeguard-timeline/1",
        "case": {"ref": ref, "born": "1986-03-14", "gender": "male", "pdu": UNIT},
        "staff": [{"ref": code, "grade": grade} for code, grade in
                  (("P1", "PO"), ("P2", "PSO"), ("S1", "SPO"), ("P9", "PO"))],
        "events": events,
    }
    case = import_timeline(validate_document(doc, f"{ref}.json"))
    Case.objects.filter(pk=case.pk).update(name=name)
    case.refresh_from_db()
    return case


def sentenced_da_case(practitioner: str, days: int) -> list[dict[str, Any]]:
    """A DA community order `days` ago with a known victim (an ex-partner), allocated the next day."""
    return [
        {"on": ago(days + 2), "type": "person_added", "ref": "V1", "relationship": "ex_partner", "victim": True,
         "born": "1990-05-01", "gender": "female", "lives_with_case": False},
        {"on": ago(days), "type": "sentenced", "order": "community_order", "months": 24,
         "requirements": [{"type": "rar", "days": 20}],
         "offence": {"description": "Assault by beating", "victims": ["V1"], "domestic": True}},
        {"on": ago(days - 1), "type": "allocated", "practitioner": practitioner},
        {"on": ago(days - 1), "type": "registered", "code": "ADVP"},
    ]


def overdue_police_check_case() -> Case:
    """Scenario 1: sentenced three weeks ago, no police check requested: the police check is overdue."""
    return build_case("X100001", "Daniel Hughes", sentenced_da_case("P1", 21))


def legacy_far_future_event(case: Case) -> CaseEvent:
    """A note dated 2099-01-01 as a request before issue 33's fix left it in the log (record_event wrote such an
    event then; now it refuses it), locking the case: every later event's date "goes backwards"."""
    seq = case.events.count() + 1
    return CaseEvent.objects.create(case=case, seq=seq, on=date(2099, 1, 1), type="note", source="api",
                                    payload={"on": "2099-01-01", "type": "note", "by": "P1",
                                             "text": "typed the wrong year"})


def settled_case() -> Case:
    """Scenario 2's starting point: checks back and assessed; then he moves in with a new partner."""
    return build_case("X100002", "Liam Carter", [
        *sentenced_da_case("P1", 40),
        {"on": ago(38), "type": "check_requested", "agency": "police"},
        {"on": ago(33), "type": "check_returned", "agency": "police", "callouts": 2,
         "known_to_childrens_services": False, "summary": "Two domestic call-outs to the ex-partner's address"},
        {"on": ago(30), "type": "assessed", "by": "P1", "rosh": "medium", "sara_partner": "medium",
         "sara_others": "low", "victims_considered": ["V1"], "sources": ["police", "previous_assessments"],
         "analysis": "Controlling behaviour towards his ex-partner."},
        {"on": ago(7), "type": "contact", "kind": "office", "outcome": "attended", "by": "P1"},
    ])


def countersign_case() -> Case:
    """Scenario 3: a PSO who is not DA-trained assessed a high-RoSH case: an SPO must countersign."""
    return build_case("X100003", "Ryan Walsh", [
        *sentenced_da_case("P2", 12),
        {"on": ago(9), "type": "check_requested", "agency": "police"},
        {"on": ago(4), "type": "check_returned", "agency": "police", "callouts": 4,
         "known_to_childrens_services": False, "summary": "Four call-outs, one with a weapon"},
        {"on": ago(3), "type": "assessed", "by": "P2", "rosh": "high", "sara_partner": "high", "sara_others": "low",
         "victims_considered": ["V1"], "sources": ["police"], "analysis": "Escalating violence."},
    ])


def outsider_case() -> Case:
    """A case held in the other team: none of team A may see it."""
    return build_case("X200001", "Kieran Moss", sentenced_da_case("P9", 10))
