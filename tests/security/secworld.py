"""The security tests' world: the partner world (tests/partner_world.py: two units, users in every role, a case
in each, partner requests, a victim's record, MARAC, a control) plus a submitted risk assessment with an open
risk-plan action, a draft assessment with two versions, a case note that raises a suggestion (new information to
record), a programme referral booked on a course, an audit sample, and a third case in the same team that the
tests restrict. Every object a URL names has a real instance here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User

from partner_world import START, World, build_world, make_user
from safeguard.accounts.models import ROLE_CHOICES
from safeguard.actions import create_case, record_event
from safeguard.assessments import service as assessments
from safeguard.assessments.models import PlanAction, RiskAssessment
from safeguard.cases.models import Case
from safeguard.insights.scope import Period, resolve_scope
from safeguard.insights_web import casesample
from safeguard.insights_web.models import AuditSample
from safeguard.interventions import service as interventions
from safeguard.interventions.models import Cohort, SuitabilityFactor
from safeguard.practice.models import Referral
from safeguard.signals_web import service as signals
from safeguard.workforce.models import Staff

# The roles the matrix covers: every role in ROLE_CHOICES (a role added later joins automatically), staff of the
# second delivery unit (South Town: a practitioner there sees none of North City's cases), and anonymous.
OTHER_UNIT = "other_unit"
ROLES = [role for role, _ in ROLE_CHOICES] + [OTHER_UNIT, "anonymous"]
# The user who plays each role (partner_world's users, keyed by their role).
PLAYERS = {"practitioner": "pp", "spo": "spo", "head": "head", "qa": "qa", "police": "police", "csc": "csc",
           "victim_worker": "victim_worker", "admin": "admin", OTHER_UNIT: "other_pp"}


@dataclass
class SecurityWorld:
    partner: World
    assessment: RiskAssessment  # a draft with two versions
    plan_action: PlanAction  # open, from the submitted assessment before it
    suggestion: signals.Suggestion  # open, raised by a case note
    referral: Referral
    cohort: Cohort
    sample: AuditSample
    exclusion: SuitabilityFactor
    third: Case  # same team as partner.case: restricted in the restriction tests
    colleague: User  # a second practitioner in the team (excluded in the restriction tests)

    @property
    def users(self) -> dict[str, User]:
        return self.partner.users

    def player(self, role: str) -> User | None:
        if role == "anonymous":
            return None
        name = PLAYERS.get(role)
        if name is None:  # a role added since: a user in the first unit
            name = f"role_{role}"
            if name not in self.users:
                self.users[name] = make_user(name, role, self.partner.unit)
        return self.users[name]


def build_security_world() -> SecurityWorld:
    world = build_world()
    pp, spo, qa = (world.users[k] for k in ("pp", "spo", "qa"))
    case = world.case
    case.refresh_from_db()
    plan_action = _submitted_plan_action(case, pp)
    suggestion = _suggestion(case)
    assessment = assessments.start_assessment(case, pp, on=START)
    content = assessment.content()
    content["rosh_rationale"] = "SECOND-VERSION-RATIONALE"
    assessments.save_draft(assessment, content, pp, on=START)
    referral = interventions.refer(case, "bbr", user=pp, on=START)
    cohort = interventions.create_cohort("bbr", world.unit, capacity=6, starts_on=START + timedelta(days=21),
                                         sessions=3, location="North City office", user=spo)
    exclusion = interventions.note_exclusion(case, "learning_needs", user=pp,
                                             on=START)
    team = Staff.objects.get(code="P1").team
    colleague_staff = Staff.objects.create(code="P3", name="Colin Colleague", grade="PO", team=team, da_trained=True,
                                           qualified_on=date(2016, 1, 1))
    colleague = make_user("colleague", "practitioner", world.unit, colleague_staff)
    world.users["colleague"] = colleague
    third = create_case("X300003", world.unit, born=date(1979, 4, 4), gender="male", name="Ivor Restricted")
    events: list[dict[str, Any]] = [
        {"type": "person_added", "ref": "V3", "relationship": "ex_partner", "victim": True, "born": "1982-02-02"},
        {"type": "sentenced", "order": "community_order", "months": 12,
         "offence": {"description": "assault", "victims": ["V3"], "domestic": True}},
        {"type": "allocated", "practitioner": "P1"},
    ]
    for i, event in enumerate(events):
        record_event(third, {"on": START.isoformat(), **event}, evaluate=i == 2)
    year = Period(START - timedelta(days=365), START)
    sample = casesample.draw_sample(qa, resolve_scope(pdu=world.unit.name), year, size=2, seed=7, as_of=START)
    return SecurityWorld(partner=world, assessment=assessment, plan_action=plan_action, suggestion=suggestion,
                         referral=referral, cohort=cohort, sample=sample, exclusion=exclusion, third=third,
                         colleague=colleague)



def _submitted_plan_action(case: Case, user: User) -> PlanAction:
    """An assessment submitted (final: its author is experienced) with a one-action risk management plan."""
    assessment = assessments.start_assessment(case, user, on=START)
    content = assessment.content()
    content.update({"rosh": "high", "rosh_rationale": "Strangulation of V1.", "sara_partner": "high",
                    "sara_others": "medium", "plan": [{"action": "Home visit with the police", "owner": "P1",
                                                       "due_on": (START + timedelta(days=14)).isoformat(),
                                                       "person": "V1"}]})
    assessments.save_draft(assessment, content, user, on=START)
    assessments.submit(assessment, user, on=START)
    return PlanAction.objects.get(case=case, status="open")


def _suggestion(case: Case) -> signals.Suggestion:
    """A case note saying the police were called: the suggestion to record a police incident."""
    event = record_event(case, {"on": START.isoformat(), "type": "note", "by": "P1",
                                "text": "He told me the police were called to his flat at the weekend."})
    found = signals.find_open(case, event.seq, "police_callout")
    assert found is not None, "the note raised no police call-out suggestion"
    return found
