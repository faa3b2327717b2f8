"""Rules 21 and 24: non-compliance and the Probation Reset two-thirds point."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, make_events
from safeguard.policy.obligations import Obligation
from safeguard.policy.policyfile import load_policy
from safeguard.policy.rules.compliance import fraction_point

POLICY = load_policy()
VICTIM = {"ref": "V1", "relationship": "ex_partner", "victim": True, "born": "1990-01-01"}
OFFENCE = {"description": "assault", "victims": ["V1"], "domestic": True}


def case(*events: tuple[date, str, dict[str, Any]]) -> CaseFacts:
    return CaseFacts(ref="X1", events=make_events(events))


def raised(facts: CaseFacts, day: date, rule_id: str) -> list[Obligation]:
    return [o for o in evaluate(facts, day, POLICY).obligations if o.rule == rule_id]


def contact(on: date, outcome: str) -> tuple[date, str, dict[str, Any]]:
    return (on, "contact", {"kind": "office", "outcome": outcome, "by": "P1"})


def test_non_compliance_second_absence_in_twelve_months_then_enforcement() -> None:
    facts = case(
        contact(date(2020, 6, 10), "failed_to_attend"),
        contact(date(2020, 12, 1), "acceptable_absence"),
        contact(date(2021, 3, 31), "unacceptable_absence"),
        (date(2021, 4, 9), "manager_decision", {"by": "S1", "about": "enforcement_decision", "decision": "wait"}),
        (date(2021, 4, 12), "enforcement", {"action": "warning", "reason": "second missed appointment"}),
        (date(2021, 6, 1), "programme_left", {"programme": "bbr", "reason": "non_attendance"}),
    )
    assert raised(facts, date(2021, 3, 30), "non-compliance") == []  # one absence (and an acceptable one)
    [obligation] = raised(facts, date(2021, 3, 31), "non-compliance")
    assert obligation.kind == "enforcement_decision"
    assert (obligation.opened, obligation.due) == (date(2021, 3, 31), date(2021, 4, 9))  # Easter excluded
    assert obligation.reason == (
        "Non-compliance: 2 missed appointments (failed to attend or unacceptable absence) in the 12 months to "
        "31 March 2021. Record an enforcement decision (warning, breach action, recall or no action, with "
        "reasons) by 9 April 2021")
    assert obligation.status_on(date(2021, 4, 9)) == "due"
    [not_enforcement] = raised(facts, date(2021, 4, 9), "non-compliance")  # a manager decision is not one
    assert not_enforcement.status_on(date(2021, 4, 10)) == "overdue"
    [done] = raised(facts, date(2021, 4, 12), "non-compliance")
    assert done.status_on(date(2021, 4, 12)) == "done"
    done, left = raised(facts, date(2021, 6, 1), "non-compliance")
    assert "the case left Building Better Relationships on 1 June 2021 for not attending" in left.reason
    assert (left.opened, left.due) == (date(2021, 6, 1), date(2021, 6, 8))


def test_non_compliance_not_raised_for_absences_more_than_twelve_months_apart() -> None:
    facts = case(contact(date(2020, 3, 1), "unacceptable_absence"), contact(date(2021, 3, 2), "failed_to_attend"))
    assert raised(facts, date(2021, 4, 1), "non-compliance") == []


def test_reset_exemption_manager_decision_about_contact_by_the_two_thirds_point() -> None:
    facts = case(
        (date(2021, 2, 20), "person_added", VICTIM),
        (date(2021, 3, 1), "sentenced", {"order": "community_order", "months": 12, "requirements": [],
                                         "offence": OFFENCE}),
        (date(2021, 10, 20), "manager_decision", {"by": "S1", "about": "home_visit", "decision": "not needed"}),
        (date(2021, 11, 3), "manager_decision", {"by": "S1", "about": "contact",
                                                 "decision": "Contact continues monthly: victim still at risk"}),
    )
    assert raised(facts, date(2021, 10, 3), "reset-exemption") == []  # opens 4 weeks before the point
    [obligation] = raised(facts, date(2021, 10, 4), "reset-exemption")
    assert obligation.kind == "review"
    assert (obligation.opened, obligation.due) == (date(2021, 10, 4), date(2021, 11, 1))
    assert obligation.reason == (
        "The 12-month community order that began on 1 March 2021 reaches two-thirds on 1 November 2021, when "
        "reporting stops under Probation Reset unless a manager decides otherwise: domestic abuse is not itself "
        "an exemption, so review the case and record a manager decision about contact by 1 November 2021")
    [wrong] = raised(facts, date(2021, 11, 2), "reset-exemption")  # a decision about home visits
    assert wrong.status_on(date(2021, 11, 1)) == "due"
    assert wrong.status_on(date(2021, 11, 2)) == "overdue"
    [done] = raised(facts, date(2021, 11, 3), "reset-exemption")
    assert done.status_on(date(2021, 11, 3)) == "done"


def test_reset_exemption_licence_point_with_part_months_and_none_for_custody() -> None:
    facts = case(
        (date(2020, 2, 20), "person_added", VICTIM),
        (date(2020, 3, 1), "sentenced", {"order": "custody", "months": 20, "offence": OFFENCE}),
        (date(2021, 1, 15), "released", {"licence": "standard", "months": 10, "conditions": []}),
    )
    [obligation] = raised(facts, date(2021, 8, 1), "reset-exemption")
    # 10 months x 2/3 = 6 months and two-thirds of the next month (31 days): 15 July + 20 days.
    assert obligation.due == date(2021, 8, 4) == fraction_point(date(2021, 1, 15), 10, 2, 3)
    assert obligation.opened == date(2021, 7, 7)
    assert "10-month licence that began on 15 January 2021" in obligation.reason
