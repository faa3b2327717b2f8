"""Cases for the assessment tests, modelled on inspection examples, as pure facts and as stored cases.

The stored cases go in through the importer (so through record_event, like every real change), with the
team's users made here so the workflow runs as the pages would run it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User

from safeguard.actions import ensure_unit, name_people
from safeguard.cases.models import Case
from safeguard.policy.facts import CaseFacts, StaffMember, make_events
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document
from safeguard.workforce.models import Staff, Team
from sign_ins import PASSWORD  # noqa: F401  (re-exported to the assessment tests)
from sign_ins import make_user as _user

UNIT = "Coastal East"
STAFF = [
    {"ref": "PO2", "grade": "PO", "qualified_on": "2022-09-01", "da_trained": False},
    {"ref": "PO1", "grade": "PO", "qualified_on": "2012-07-01", "da_trained": True},
    {"ref": "PS1", "grade": "PSO", "qualified_on": None, "da_trained": False},
    {"ref": "SPO1", "grade": "SPO", "qualified_on": "2008-09-01", "da_trained": True},
]

# HM Inspectorate of Probation, Norfolk and Suffolk CRC (2019): the paperwork left out violence to a former
# partner in front of their child, and threats with an axe. (tests/replay/04 tells the whole story.)
NORFOLK_EVENTS: list[dict[str, Any]] = [
    {"on": "2023-01-09", "type": "previous_offence", "offence_on": "2018-06-14",
     "description": "Assault on his former partner in front of their child", "victim_relationship": "ex_partner",
     "violent": True, "domestic": True},
    {"on": "2023-01-09", "type": "previous_offence", "offence_on": "2019-08-30",
     "description": "Affray: threatened neighbours with an axe while drunk", "victim_relationship": "acquaintance",
     "violent": True, "domestic": False},
    {"on": "2023-01-09", "type": "person_added", "ref": "EX1", "relationship": "ex_partner", "born": "1987-02-02",
     "gender": "female", "lives_with_case": False, "victim": True},
    {"on": "2023-01-09", "type": "person_added", "ref": "CH1", "relationship": "child", "born": "2014-09-09",
     "gender": "male", "lives_with_case": False, "victim": False},
    {"on": "2023-01-09", "type": "sentenced", "order": "community_order", "months": 18,
     "requirements": [{"type": "rar", "days": 25}],
     "offence": {"description": "Criminal damage to a neighbour's car while drunk", "victims": [],
                 "domestic": False}},
    {"on": "2023-01-11", "type": "allocated", "practitioner": "PO2"},
]

# The thin assessment of 30 January 2023, as the inspectors found it.
NORFOLK_THIN: dict[str, Any] = {
    "rosh": "medium", "rosh_rationale": "Offence linked to alcohol.", "sara_partner": "low", "sara_others": "low",
    "summary": "Offence linked to alcohol. Not currently in a relationship. No concerns about children.",
}

# A household case: a 2015 domestic assault on an ex-partner, a new partner and her child living with him,
# a police incident with strangulation and threats to kill, police information returned on 12 March 2024.
HOUSEHOLD_EVENTS: list[dict[str, Any]] = [
    {"on": "2015-05-01", "type": "person_added", "ref": "X1", "relationship": "ex_partner", "born": "1985-03-03",
     "gender": "female", "victim": True},
    {"on": "2015-05-04", "type": "sentenced", "order": "suspended_sentence_order", "months": 12,
     "offence": {"description": "Assault occasioning actual bodily harm", "victims": ["X1"], "domestic": True}},
    {"on": "2016-05-04", "type": "supervision_ended", "reason": "completed"},
    {"on": "2024-02-01", "type": "person_added", "ref": "P2", "relationship": "partner", "born": "1992-07-07",
     "gender": "female", "lives_with_case": True},
    {"on": "2024-02-01", "type": "person_added", "ref": "K1", "relationship": "partners_child", "born": "2019-01-01",
     "gender": "female", "lives_with_case": True},
    {"on": "2024-02-10", "type": "police_incident", "kind": "callout", "victim": "P2", "domestic": True,
     "features": ["strangulation", "threats_to_kill", "children_present"]},
    {"on": "2024-03-01", "type": "sentenced", "order": "community_order", "months": 24,
     "offence": {"description": "Assault by beating", "victims": ["P2"], "domestic": True}},
    {"on": "2024-03-01", "type": "allocated", "practitioner": "PS1"},
    {"on": "2024-03-01", "type": "registered", "code": "ADVP"},
    {"on": "2024-03-04", "type": "check_requested", "agency": "police"},
    {"on": "2024-03-12", "type": "check_returned", "agency": "police", "callouts": 4,
     "known_to_childrens_services": True, "summary": "Four domestic call-outs; threats to kill in February"},
]

# The household case assessed on 15 March 2024, leaving nothing out.
DAY = date(2024, 3, 15)

SUFFICIENT: dict[str, Any] = {
    "rosh": "high", "rosh_rationale": "Strangulation and threats to kill in February, children present.",
    "sara_partner": "high", "sara_others": "medium", "dash_yes": 12,
    "people": {"P2": {"judgement": "high"}, "K1": {"judgement": "high"}, "X1": {"judgement": "medium"}},
    "categories": ["physical", "violent_threatening", "controlling_coercive"],
    "history": {"seq:6": "Strangled P2 with K1 present; threatened to kill her."},
    "sources": ["check:11", "previous_assessments"],
    "risk_factors": [{"factor": "Strangulation", "evidence": "Police call-out, 10 February 2024"}],
    "plan": [{"action": "Home visit with the police", "owner": "PS1", "due_on": "2024-03-22", "person": "P2"},
             {"action": "Children's services check on K1", "owner": "PS1", "due_on": "2024-03-20"}],
    "summary": "Escalating abuse of his partner with her child in the home.",
}


def facts_of(events: list[dict[str, Any]]) -> CaseFacts:
    """The engine's snapshot of a list of timeline events (no database)."""
    rows = [(date.fromisoformat(e["on"][:10]), e["type"], {k: v for k, v in e.items() if k not in {"on", "type"}})
            for e in events]
    staff = {s["ref"]: StaffMember(s["ref"], s["grade"],
                                   date.fromisoformat(s["qualified_on"]) if s["qualified_on"] else None,
                                   s["da_trained"]) for s in STAFF}
    return CaseFacts(ref="X1", events=make_events(rows), staff=staff)


# -- stored cases and users ---------------------------------------------------------------------------------


@dataclass
class Team_:
    team: Team
    po: User  # PO1, experienced and trained
    new_po: User  # PO2, qualified 2022, not trained
    pso: User  # PS1
    spo: User  # SPO1
    outsider: User  # a PO in another team

    def victim_worker(self) -> User:
        """A victim-facing worker in the unit (made on first use): the only role that adds never-disclose details."""
        found = User.objects.filter(username="vw1").first()
        return found or _user("vw1", "victim_worker", None, self.team.unit)




def make_team() -> Team_:
    unit = ensure_unit(UNIT)
    team = Team.objects.create(name="Coastal East A", unit=unit)
    other = Team.objects.create(name="Coastal East B", unit=unit)
    made = {}
    for member in STAFF:
        qualified = date.fromisoformat(member["qualified_on"]) if member["qualified_on"] else None
        made[member["ref"]] = Staff.objects.create(code=member["ref"], name=f"Staff {member['ref']}",
                                                   grade=member["grade"], qualified_on=qualified,
                                                   da_trained=member["da_trained"], team=team)
    stranger = Staff.objects.create(code="PO9", name="Staff PO9", grade="PO", qualified_on=date(2010, 1, 1),
                                    da_trained=True, team=other)
    return Team_(team=team, po=_user("po1", "practitioner", made["PO1"], unit),
                 new_po=_user("po2", "practitioner", made["PO2"], unit),
                 pso=_user("ps1", "practitioner", made["PS1"], unit),
                 spo=_user("spo1", "spo", made["SPO1"], unit),
                 outsider=_user("po9", "practitioner", stranger, unit))


def build_case(ref: str, events: list[dict[str, Any]], names: dict[str, str] | None = None,
               name: str = "Dean Harper") -> Case:
    doc = {"format": "safeguard-timeline/1",
           "case": {"ref": ref, "born": "1984-12-01", "gender": "male", "pdu": UNIT},
           "staff": [{k: v for k, v in s.items()} for s in STAFF], "events": copy.deepcopy(events)}
    case = import_timeline(validate_document(doc, f"{ref}.json"), as_of=date.fromisoformat(events[-1]["on"][:10]))
    Case.objects.filter(pk=case.pk).update(name=name)
    case.refresh_from_db()
    if names:
        name_people(case, names)
    return case
