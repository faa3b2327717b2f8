"""Rules 9 and 10: countersigning inexperienced practitioners' work, and who holds a high-risk case."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, StaffMember, make_events
from safeguard.policy.obligations import Obligation
from safeguard.policy.policyfile import load_policy

POLICY = load_policy()
VICTIM = {"ref": "V1", "relationship": "ex_partner", "victim": True, "born": "1990-01-01"}
STAFF = {
    "P1": StaffMember("P1", "PSO"),
    "P2": StaffMember("P2", "PSO", da_trained=True),
    "O1": StaffMember("O1", "PO", qualified_on=date(2015, 9, 1), da_trained=True),
    "O2": StaffMember("O2", "PO", qualified_on=date(2020, 12, 1), da_trained=True),
    "S1": StaffMember("S1", "SPO", qualified_on=date(2009, 9, 1), da_trained=True),
}


def case(*events: tuple[date, str, dict[str, Any]]) -> CaseFacts:
    return CaseFacts(ref="X1", events=make_events(events), staff=STAFF)


def raised(facts: CaseFacts, day: date, rule_id: str) -> list[Obligation]:
    return [o for o in evaluate(facts, day, POLICY).obligations if o.rule == rule_id]


def assessed(on: date, by: str, rosh: str) -> tuple[date, str, dict[str, Any]]:
    return (on, "assessed", {"by": by, "rosh": rosh, "sara_partner": "high", "sara_others": "low",
                             "victims_considered": ["V1"], "sources": [], "analysis": "x"})


def test_countersign_inexperienced_high_rosh_assessment_by_pso_needs_an_spo() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        (date(2021, 3, 1), "sentenced", {"order": "community_order", "months": 24}),
        (date(2021, 3, 1), "allocated", {"practitioner": "O1"}),  # experienced: nothing to countersign
        assessed(date(2021, 3, 26), "P1", "high"),
        (date(2021, 3, 30), "countersigned", {"by": "O1"}),  # a PO is not a countersigning grade
        (date(2021, 4, 8), "countersigned", {"by": "S1"}),
    )
    [obligation] = raised(facts, date(2021, 3, 26), "countersign-inexperienced")
    assert (obligation.kind, obligation.key) == ("countersignature", "countersign-inexperienced:3")
    # Friday 26 March 2021 + 5 working days skips Good Friday and Easter Monday.
    assert (obligation.opened, obligation.due) == (date(2021, 3, 26), date(2021, 4, 6))
    assert obligation.reason == (
        "The risk assessment of 26 March 2021 by P1 (PSO, not trained in domestic abuse) on a domestic abuse case "
        "with high RoSH must be countersigned by a senior probation officer by 6 April 2021")
    [not_spo] = raised(facts, date(2021, 4, 7), "countersign-inexperienced")
    assert not_spo.status_on(date(2021, 4, 7)) == "overdue"
    [done] = raised(facts, date(2021, 4, 8), "countersign-inexperienced")
    assert (done.status_on(date(2021, 4, 8)), done.closed_by) == ("done", 5)


def test_countersign_inexperienced_newly_qualified_allocation_with_children() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        (date(2021, 3, 1), "person_added", {"ref": "C1", "relationship": "child", "born": "2016-01-01"}),
        (date(2021, 3, 2), "allocated", {"practitioner": "O2"}),  # qualified 3 months before
        (date(2021, 3, 3), "allocated", {"practitioner": "O1"}),
    )
    [obligation] = raised(facts, date(2021, 3, 3), "countersign-inexperienced")
    assert (obligation.key, obligation.due) == ("countersign-inexperienced:2", date(2021, 3, 9))
    assert "O2 (PO, qualified on 1 December 2020)" in obligation.reason
    assert "with children involved" in obligation.reason
    assert raised(case((date(2021, 3, 1), "person_added", VICTIM), (date(2021, 3, 2), "allocated",
                                                                       {"practitioner": "P1"})),
                  date(2021, 3, 2), "countersign-inexperienced") == []  # RoSH unknown, no children


def test_allocation_fit_high_rosh_case_held_by_pso_until_transferred_to_a_trained_po() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        (date(2021, 3, 1), "allocated", {"practitioner": "P1"}),
        assessed(date(2021, 3, 26), "O1", "very_high"),
        (date(2021, 3, 30), "transferred", {"practitioner": "P2", "area_changed": False}),  # trained, but a PSO
        (date(2021, 4, 9), "transferred", {"practitioner": "O1", "area_changed": False}),
    )
    assert raised(facts, date(2021, 3, 25), "allocation-fit") == []  # RoSH not yet known
    [obligation] = raised(facts, date(2021, 3, 26), "allocation-fit")
    assert (obligation.kind, obligation.key) == ("allocation_review", "allocation-fit:2")
    assert (obligation.opened, obligation.due) == (date(2021, 3, 26), date(2021, 4, 6))
    assert obligation.reason == (
        "This very high RoSH domestic abuse case is held by P1 (PSO, not trained in domestic abuse) from "
        "26 March 2021: transfer it to a qualified probation officer trained in domestic abuse, or record a "
        "manager decision why not, by 6 April 2021")
    [still_unfit] = raised(facts, date(2021, 4, 7), "allocation-fit")
    assert still_unfit.status_on(date(2021, 4, 7)) == "overdue"
    [done] = raised(facts, date(2021, 4, 9), "allocation-fit")
    assert (done.status_on(date(2021, 4, 9)), done.closed_by) == ("done", 4)


def test_allocation_fit_waived_by_a_manager_decision() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        (date(2021, 3, 1), "allocated", {"practitioner": "P2"}),
        assessed(date(2021, 3, 2), "P2", "high"),
        (date(2021, 3, 4), "manager_decision", {"by": "S1", "about": "countersignature", "decision": "seen"}),
        (date(2021, 3, 5), "manager_decision", {"by": "S1", "about": "allocation_review",
                                                "decision": "Co-worked with O1 until the transfer"}),
    )
    [open_] = raised(facts, date(2021, 3, 4), "allocation-fit")  # a decision about something else
    assert open_.status_on(date(2021, 3, 4)) == "due"
    [waived] = raised(facts, date(2021, 3, 5), "allocation-fit")
    assert (waived.status_on(date(2021, 3, 5)), waived.closed_by) == ("waived", 4)
    assert waived.closed_note == "Co-worked with O1 until the transfer (S1)"
