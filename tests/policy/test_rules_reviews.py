"""Rules 13 and 14: scheduled reviews every 16 weeks, and reviews triggered by a change."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, make_events
from safeguard.policy.obligations import Obligation
from safeguard.policy.policyfile import load_policy

POLICY = load_policy()
VICTIM = {"ref": "V1", "relationship": "ex_partner", "victim": True, "born": "1990-01-01"}


def case(*events: tuple[date, str, dict[str, Any]]) -> CaseFacts:
    return CaseFacts(ref="X1", events=make_events(events))


def raised(facts: CaseFacts, day: date, rule_id: str) -> list[Obligation]:
    return [o for o in evaluate(facts, day, POLICY).obligations if o.rule == rule_id]


def by_key(facts: CaseFacts, day: date, rule_id: str) -> dict[str, Obligation]:
    return {o.key: o for o in raised(facts, day, rule_id)}


def reviewed(on: date, **scores: str) -> tuple[date, str, dict[str, Any]]:
    return (on, "reviewed", {"by": "P1", "sources": ["police"], "analysis": "reviewed", **scores})


def returned(on: date, agency: str) -> tuple[date, str, dict[str, Any]]:
    return (on, "check_returned", {"agency": agency, "callouts": 0, "known_to_childrens_services": False,
                                   "summary": "nothing known"})


def test_scheduled_review_every_sixteen_weeks_from_the_last_assessment_or_review() -> None:
    facts = case(
        (date(2021, 2, 20), "person_added", VICTIM),
        (date(2021, 3, 1), "assessed", {"by": "P1", "rosh": "medium", "sara_partner": "medium",
                                        "sara_others": "low"}),
        (date(2021, 6, 1), "note", {"by": "P1", "text": "reviewed the case in supervision"}),
        (date(2021, 6, 10), "manager_decision", {"by": "S1", "about": "review", "decision": "not needed"}),
        reviewed(date(2021, 6, 25)),
    )
    [obligation] = raised(facts, date(2021, 3, 1), "scheduled-review")
    assert (obligation.kind, obligation.key) == ("review", "scheduled-review:1")
    assert (obligation.opened, obligation.due) == (date(2021, 3, 1), date(2021, 6, 21))
    assert obligation.reason == (
        "The last assessment was on 1 March 2021: write a review of the risk and the plan by 21 June 2021 "
        "(every 16 weeks)")
    [not_a_review] = raised(facts, date(2021, 6, 22), "scheduled-review")  # not a note; not waivable by a manager
    assert not_a_review.status_on(date(2021, 6, 21)) == "due"
    assert not_a_review.status_on(date(2021, 6, 22)) == "overdue"
    assert evaluate(facts, date(2021, 6, 22), POLICY).concern == "serious"
    done, following = raised(facts, date(2021, 6, 25), "scheduled-review")
    assert (done.status_on(date(2021, 6, 25)), done.closed_by) == ("done", 4)
    assert (following.key, following.opened, following.due) == ("scheduled-review:4", date(2021, 6, 25),
                                                                date(2021, 10, 15))


def test_scheduled_review_not_raised_on_a_case_that_is_not_a_da_case() -> None:
    facts = case((date(2021, 3, 1), "assessed", {"by": "P1", "rosh": "low", "sara_partner": "low",
                                                 "sara_others": "low"}))
    assert raised(facts, date(2021, 8, 1), "scheduled-review") == []


def test_triggered_review_domestic_incident_next_working_day_critical_until_reviewed() -> None:
    facts = case(
        (date(2021, 2, 20), "person_added", VICTIM),
        (date(2021, 3, 1), "assessed", {"by": "P1", "rosh": "high", "sara_partner": "high", "sara_others": "low"}),
        (date(2021, 4, 1), "police_incident", {"kind": "callout", "victim": "V1", "domestic": True,
                                               "features": ["violence"]}),
        (date(2021, 4, 6), "note", {"by": "P1", "text": "spoke to police"}),
        reviewed(date(2021, 4, 8)),
    )
    [obligation] = raised(facts, date(2021, 4, 1), "triggered-review")
    assert (obligation.kind, obligation.key) == ("review", "triggered-review:2")
    # 1 working day from Thursday 1 April 2021: Good Friday and Easter Monday are bank holidays.
    assert (obligation.opened, obligation.due) == (date(2021, 4, 1), date(2021, 4, 6))
    assert obligation.critical
    assert obligation.reason == (
        "Things have changed: a domestic police callout was recorded on 1 April 2021. Write a review of the risk "
        "and the plan by 6 April 2021")
    [noted] = raised(facts, date(2021, 4, 7), "triggered-review")
    assert noted.status_on(date(2021, 4, 7)) == "overdue"
    assert evaluate(facts, date(2021, 4, 7), POLICY).concern == "immediate"  # high RoSH, critical overdue
    [done] = raised(facts, date(2021, 4, 8), "triggered-review")
    assert (done.status_on(date(2021, 4, 8)), done.closed_by) == ("done", 4)


def test_triggered_review_new_partner_reopens_police_and_childrens_checks() -> None:
    facts = case(
        (date(2021, 2, 20), "person_added", VICTIM),
        (date(2021, 2, 20), "person_added", {"ref": "C1", "relationship": "child", "born": "2014-03-03"}),
        returned(date(2021, 2, 25), "childrens_services"),
        (date(2021, 5, 4), "person_added", {"ref": "P3", "relationship": "acquaintance", "born": "1993-01-01"}),
        (date(2021, 5, 4), "relationship_started", {"ref": "P3"}),
        (date(2021, 5, 5), "information_received", {"source": "unpaid_work", "text": "seemed tired"}),
        (date(2021, 5, 5), "child_protection", {"ref": "C1", "status": "none"}),
        (date(2021, 5, 6), "check_requested", {"agency": "police", "about": ["P3"]}),
        returned(date(2021, 5, 7), "police"),
        (date(2021, 5, 10), "information_received", {"source": "victim", "text": "he has a new partner"}),
        reviewed(date(2021, 5, 12)),
    )
    found = by_key(facts, date(2021, 5, 4), "triggered-review")
    assert sorted(found) == ["triggered-review:4", "triggered-review:4:childrens_services",
                             "triggered-review:4:police"]
    review = found["triggered-review:4"]
    assert (review.opened, review.due, review.critical) == (date(2021, 5, 4), date(2021, 5, 11), False)
    police = found["triggered-review:4:police"]
    assert (police.kind, police.due, police.critical) == ("police_check", date(2021, 5, 11), True)
    assert police.reason == (
        "A new relationship with P3 started on 4 May 2021, bringing in P3: ask the police for domestic-abuse "
        "information about them by 11 May 2021")
    assert found["triggered-review:4:childrens_services"].kind == "childrens_services_check"

    # Unpaid work information and an unchanged child protection status are not triggers.
    found = by_key(facts, date(2021, 5, 12), "triggered-review")
    assert sorted(found) == ["triggered-review:4", "triggered-review:4:childrens_services",
                             "triggered-review:4:police", "triggered-review:9"]
    assert found["triggered-review:4:police"].closed_on == date(2021, 5, 7)
    childrens = found["triggered-review:4:childrens_services"]  # the February check predates P3
    assert childrens.status_on(date(2021, 5, 12)) == "overdue"
    assert found["triggered-review:4"].status_on(date(2021, 5, 11)) == "due"
    assert found["triggered-review:4"].closed_on == date(2021, 5, 12)
    assert found["triggered-review:9"].status_on(date(2021, 5, 12)) == "done"
    assert "information about risk came from victim on 10 May 2021" in found["triggered-review:9"].reason
