"""A small world for the partner-agency and victims tests (tests/agencies, tests/victims): two delivery units,
users in every role, a case in each unit with requests to both agencies, a victim's record with a refuge
address marked never disclose, a MARAC referral and hearing, a control and a breach, MAPPA, and a new
partner awaiting a Clare's Law decision. Imported by their conftests (tests/ is on sys.path)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User

from safeguard.accounts.models import Profile
from safeguard.actions import create_case, name_people, record_event
from safeguard.agencies import actions as agency_actions
from safeguard.agencies.models import AgencyRequest, DisclosureConsideration, MaracReferral
from safeguard.cases.models import Case, Control, LinkedPerson
from safeguard.victims import actions as victim_actions
from safeguard.victims.models import ContactDetail, VictimRecord
from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team

START = date(2026, 1, 5)  # a Monday; the world is built on this day
REFUGE = "Refuge House, 7 Hidden Lane, Northtown NT1 9ZZ"
VICTIM_PHONE = "07700 900123"
SECRETS = {
    "other area's case": "Zebedee Otherarea",
    "other area's question": "OTHER-AREA-QUESTION",
    "other agency's question": "CSC-ONLY-QUESTION",
    "draft question": "DRAFT-QUESTION-NOT-SENT",
    "control terms": "SECRET-TERMS-OF-ORDER",
    "breach description": "BREACH-DETAIL-TEXT",
    "MARAC reasons": "MARAC-JUDGEMENT-REASON",
    "MARAC outcome": "MARAC-OUTCOME-TEXT",
    "victim phone": VICTIM_PHONE,
    "safety plan": "SAFETY-PLAN-TEXT",
    "assessment analysis": "ASSESSMENT-ANALYSIS-TEXT",
    "refuge": REFUGE,
}


@dataclass
class World:
    unit: DeliveryUnit
    other_unit: DeliveryUnit
    case: Case
    other_case: Case
    users: dict[str, User]
    police_request: AgencyRequest
    csc_request: AgencyRequest
    draft: AgencyRequest
    other_request: AgencyRequest
    victim: VictimRecord
    refuge: ContactDetail
    marac: MaracReferral
    control: Control
    consideration: DisclosureConsideration
    extra: dict[str, Any] = field(default_factory=dict)


def make_user(username: str, role: str, unit: DeliveryUnit | None, staff: Staff | None = None) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.gov.uk")
    Profile.objects.create(user=user, role=role, unit=unit)
    if staff is not None:
        staff.user = user
        staff.save(update_fields=["user"])
    return user


def _events(case: Case, events: list[dict[str, Any]]) -> None:
    for i, event in enumerate(events):  # evaluated once, after the last
        record_event(case, {"on": START.isoformat(), **event}, evaluate=i == len(events) - 1)


def build_world() -> World:
    region = Region.objects.create(name="North")
    unit = DeliveryUnit.objects.create(name="North City", region=region)
    other_unit = DeliveryUnit.objects.create(name="South Town", region=region)
    team = Team.objects.create(name="Team A", unit=unit)
    other_team = Team.objects.create(name="Team B", unit=other_unit)
    p1 = Staff.objects.create(code="P1", name="Pat Officer", grade="PO", team=team, da_trained=True,
                              qualified_on=date(2015, 1, 1))
    s1 = Staff.objects.create(code="S1", name="Sam Senior", grade="SPO", team=team, da_trained=True,
                              qualified_on=date(2009, 9, 1))
    p2 = Staff.objects.create(code="P2", name="Pip Other", grade="PO", team=other_team, da_trained=True,
                              qualified_on=date(2015, 1, 1))
    users = {
        "pp": make_user("pp", "practitioner", unit, p1),
        "spo": make_user("spo", "spo", unit, s1),
        "other_pp": make_user("other_pp", "practitioner", other_unit, p2),
        "head": make_user("head", "head", unit),
        "qa": make_user("qa", "qa", unit),
        "police": make_user("police", "police", unit),
        "csc": make_user("csc", "csc", unit),
        "police_b": make_user("police_b", "police", other_unit),
        "victim_worker": make_user("victim_worker", "victim_worker", unit),
        "victim_worker_b": make_user("victim_worker_b", "victim_worker", other_unit),
        "admin": make_user("admin", "admin", None),
    }
    pp = users["pp"]

    case = create_case("X100001", unit, born=date(1985, 2, 3), gender="male", name="Adam Northcase")
    _events(case, [
        {"type": "person_added", "ref": "V1", "relationship": "ex_partner", "victim": True, "born": "1990-01-01"},
        {"type": "person_added", "ref": "C1", "relationship": "child", "born": "2018-05-05"},
        {"type": "sentenced", "order": "community_order", "months": 24,
         "offence": {"description": "assault", "victims": ["V1"], "domestic": True}},
        {"type": "allocated", "practitioner": "P1"},
        {"type": "registered", "code": "ADVP"},
        {"type": "police_incident", "kind": "callout", "victim": "V1", "domestic": True,
         "features": ["strangulation"]},
        {"type": "assessed", "by": "P1", "rosh": "high", "sara_partner": "high", "sara_others": "medium",
         "dash_yes": 16, "analysis": "ASSESSMENT-ANALYSIS-TEXT"},
        {"type": "person_added", "ref": "N1", "relationship": "partner", "born": "1992-03-03"},
        {"type": "relationship_started", "ref": "N1"},
    ])
    name_people(case, {"V1": "Vera Victim", "C1": "Cara Child", "N1": "Nina Newpartner"})

    victim = next(r for r in victim_actions.ensure_records(case) if r.person.ref == "V1")
    refuge = victim_actions.add_detail(victim, kind="address", value=REFUGE, never_disclose=True,
                                       note="Refuge: never to the perpetrator", user=users["victim_worker"])
    victim_actions.add_detail(victim, kind="phone", value=VICTIM_PHONE, never_disclose=False, user=pp)
    victim_actions.add_worker(victim, role="idva", name="Ida Adviser", organisation="North IDVA service",
                              phone="0161 496 0000", user=users["victim_worker"])
    victim_actions.record_safety_contact(victim, by="idva", safety_plan=True, plan="SAFETY-PLAN-TEXT",
                                         user=users["victim_worker"])

    v1, c1 = LinkedPerson.objects.get(case=case, ref="V1"), LinkedPerson.objects.get(case=case, ref="C1")
    police_request = agency_actions.draft_request(
        case, agency="police", about=[v1], addresses="12 Oak Road, Northtown",
        question=f"Any call-outs? The victim has moved to {REFUGE.upper()}.", user=pp)
    agency_actions.send_request(police_request, user=pp)
    csc_request = agency_actions.draft_request(case, agency="childrens_services", about=[c1],
                                               question="CSC-ONLY-QUESTION", user=pp)
    agency_actions.send_request(csc_request, user=pp)
    draft = agency_actions.draft_request(case, agency="police", about=[], question="DRAFT-QUESTION-NOT-SENT",
                                         user=pp)

    marac = agency_actions.refer_to_marac(case, dash_yes=16, escalation=False, incidents=1, judgement=True,
                                          reasons=f"MARAC-JUDGEMENT-REASON; she is at {REFUGE}", user=pp)
    agency_actions.record_hearing(marac, heard_on=START, outcome="MARAC-OUTCOME-TEXT",
                                  actions=[("Police marker on the refuge", "police", None),
                                           ("Home visit with police", "probation", date(2026, 1, 9))],
                                  register_imar=True, user=pp)
    agency_actions.record_mappa(case, category=1, level=2, register=True, user=pp)
    control = agency_actions.impose_control(case, control="restraining_order", protects=[v1], until=date(2027, 1, 1),
                                            terms="SECRET-TERMS-OF-ORDER", made_by="North Crown Court",
                                            reference="RO-1", user=pp)
    agency_actions.report_breach(case, control="restraining_order", occurred_on=START,
                                 description=f"BREACH-DETAIL-TEXT: he was seen outside {REFUGE}",
                                 reported_by="police", user=users["police"])
    consideration = DisclosureConsideration.objects.get(case=case)
    # Free text with the refuge address typed into it: every renderer must withhold it (safeguard.victims.redaction).
    record_event(case, {"on": START.isoformat(), "type": "note", "by": "P1",
                        "text": f"Vera rang: she is staying at {REFUGE} for now."})
    record_event(case, {"on": START.isoformat(), "type": "information_received", "source": "victim",
                        "text": f"New address given: {REFUGE.lower()}"})

    other_case = create_case("X200002", other_unit, born=date(1980, 6, 6), gender="male", name="Zebedee Otherarea")
    _events(other_case, [
        {"type": "person_added", "ref": "V2", "relationship": "partner", "victim": True, "born": "1981-01-01"},
        {"type": "sentenced", "order": "community_order", "months": 12,
         "offence": {"description": "assault", "victims": ["V2"], "domestic": True}},
        {"type": "allocated", "practitioner": "P2"},
    ])
    other_request = agency_actions.draft_request(other_case, agency="police", about=[],
                                                 question="OTHER-AREA-QUESTION", user=users["other_pp"])
    agency_actions.send_request(other_request, user=users["other_pp"])
    for request in (police_request, csc_request, draft, other_request):
        request.refresh_from_db()
    return World(unit=unit, other_unit=other_unit, case=case, other_case=other_case, users=users,
                 police_request=police_request, csc_request=csc_request, draft=draft, other_request=other_request,
                 victim=victim, refuge=refuge, marac=marac, control=control, consideration=consideration)
