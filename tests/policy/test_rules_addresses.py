"""Rule 6: proposed and new addresses are checked, and refused where a known victim lives there or nearby."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, make_events
from safeguard.policy.obligations import Obligation
from safeguard.policy.policyfile import load_policy

POLICY = load_policy()
VICTIM = {"ref": "V1", "relationship": "ex_partner", "victim": True, "born": "1990-01-01"}
PARTNER = {"ref": "P2", "relationship": "partner", "born": "1992-07-07"}


def case(*events: tuple[date, str, dict[str, Any]]) -> CaseFacts:
    return CaseFacts(ref="X1", events=make_events(events))


def raised(facts: CaseFacts, day: date, rule_id: str = "address-check") -> list[Obligation]:
    return [o for o in evaluate(facts, day, POLICY).obligations if o.rule == rule_id]


def returned(on: date, agency: str) -> tuple[date, str, dict[str, Any]]:
    return (on, "check_returned", {"agency": agency, "callouts": 0, "known_to_childrens_services": False,
                                   "summary": "nothing known"})


def visit(on: date, outcome: str = "attended", kind: str = "home_visit") -> tuple[date, str, dict[str, Any]]:
    return (on, "contact", {"kind": kind, "outcome": outcome, "by": "P1"})


def test_address_check_curfew_due_by_court_date_then_discharged_by_checks_and_home_visit() -> None:
    facts = case(
        (date(2021, 2, 1), "person_added", VICTIM),
        (date(2021, 3, 1), "court_report_requested", {"court_date": "2021-03-19", "report": "standard",
                                                      "curfew_proposed": True}),
        (date(2021, 3, 2), "person_added", PARTNER),
        (date(2021, 3, 2), "address_proposed", {"address": "A1", "purpose": "curfew", "occupants": ["P2"],
                                                "victims_nearby": []}),
        (date(2021, 3, 3), "check_requested", {"agency": "police", "about": ["V1"]}),
        returned(date(2021, 3, 5), "police"),  # about V1 only: does not cover P2
        (date(2021, 3, 8), "check_requested", {"agency": "police", "about": ["P2"]}),
        returned(date(2021, 3, 10), "police"),
        (date(2021, 3, 11), "check_requested", {"agency": "childrens_services"}),
        returned(date(2021, 3, 12), "childrens_services"),
        visit(date(2021, 3, 15), outcome="failed_to_attend"),
        visit(date(2021, 3, 16), kind="office"),
        visit(date(2021, 3, 22)),
    )
    [obligation] = raised(facts, date(2021, 3, 2))
    assert (obligation.kind, obligation.key) == ("address_check", "address-check:3")
    assert (obligation.opened, obligation.due) == (date(2021, 3, 2), date(2021, 3, 19))  # the court date
    assert not obligation.overdue_at_once and not obligation.immediate
    assert obligation.reason == (
        "Address A1 was proposed for curfew on 2 March 2021 (living there: P2): get police and children's "
        "services checks on everyone living there and visit the address by 19 March 2021")
    [checked] = raised(facts, date(2021, 3, 19))  # both checks back, but no attended home visit yet
    assert checked.status_on(date(2021, 3, 19)) == "due"
    assert checked.status_on(date(2021, 3, 20)) == "overdue"
    [done] = raised(facts, date(2021, 3, 22))
    assert (done.status_on(date(2021, 3, 22)), done.closed_on, done.closed_by) == ("done", date(2021, 3, 22), 12)


def test_address_check_not_met_by_a_police_check_about_someone_else() -> None:
    facts = case(
        (date(2021, 3, 1), "address_proposed", {"address": "A1", "purpose": "residence", "occupants": ["P2"]}),
        (date(2021, 3, 2), "check_requested", {"agency": "police", "about": ["P9"]}),
        returned(date(2021, 3, 3), "police"),
        returned(date(2021, 3, 3), "childrens_services"),
        visit(date(2021, 3, 4)),
    )
    [obligation] = raised(facts, date(2021, 3, 10))
    assert obligation.due == date(2021, 3, 8)  # 5 working days when no court date applies
    assert obligation.status_on(date(2021, 3, 10)) == "overdue"


def test_address_check_known_victim_nearby_is_overdue_at_once_and_immediate_until_refused() -> None:
    facts = case(
        (date(2021, 2, 1), "person_added", VICTIM),
        (date(2021, 5, 28), "address_proposed", {"address": "A2", "purpose": "release", "occupants": [],
                                                 "victims_nearby": ["V1"]}),
        returned(date(2021, 6, 1), "police"),
        returned(date(2021, 6, 1), "childrens_services"),
        visit(date(2021, 6, 2)),
        (date(2021, 6, 3), "manager_decision", {"by": "S1", "about": "address_check",
                                                "decision": "Refused: V1 lives in the same street"}),
    )
    [obligation] = raised(facts, date(2021, 5, 28))
    # Friday 28 May 2021 + 5 working days skips the spring bank holiday (31 May).
    assert (obligation.opened, obligation.due) == (date(2021, 5, 28), date(2021, 6, 7))
    assert obligation.overdue_at_once and obligation.immediate
    assert obligation.status_on(date(2021, 5, 28)) == "overdue"
    assert obligation.reason == (
        "Address A2 was proposed for release on 28 May 2021, but V1 (a known victim) lives nearby: the address is "
        "not safe. Tell your manager today and record the refusal as a manager decision and find another address")
    assert evaluate(facts, date(2021, 5, 28), POLICY).concern == "immediate"
    [checked] = raised(facts, date(2021, 6, 2))  # checks and a visit do not make a victim's street safe
    assert checked.status_on(date(2021, 6, 2)) == "overdue"
    assert evaluate(facts, date(2021, 6, 2), POLICY).concern == "immediate"
    [refused] = raised(facts, date(2021, 6, 3))
    assert (refused.status_on(date(2021, 6, 3)), refused.closed_by) == ("done", 5)
    assert evaluate(facts, date(2021, 6, 3), POLICY).concern != "immediate"


def test_address_check_move_in_with_victim_stays_immediate_until_moved_away_and_replaced_address_is_waived() -> None:
    facts = case(
        (date(2021, 2, 1), "person_added", VICTIM),
        (date(2021, 3, 1), "address_proposed", {"address": "A1", "purpose": "residence", "occupants": []}),
        (date(2021, 3, 3), "moved", {"address": "A3", "occupants": ["V1"]}),
        (date(2021, 3, 10), "moved", {"address": "A4", "occupants": []}),  # no occupants: no new check
    )
    proposal, moved_in = raised(facts, date(2021, 3, 3))
    assert (proposal.key, proposal.status_on(date(2021, 3, 3)), proposal.closed_note) == (
        "address-check:1", "waived", "Superseded: A3 on 3 March 2021")
    assert (moved_in.key, moved_in.status_on(date(2021, 3, 3))) == ("address-check:2", "overdue")
    assert moved_in.immediate
    assert "V1 (a known victim) lives there" in moved_in.reason
    _, moved_away = raised(facts, date(2021, 3, 10))
    assert (moved_away.status_on(date(2021, 3, 10)), moved_away.closed_on) == ("done", date(2021, 3, 10))


def test_address_check_victim_identified_while_open_is_immediate_but_an_approved_address_stays_done() -> None:
    checks = [returned(date(2021, 3, 2), "police"), returned(date(2021, 3, 2), "childrens_services"),
              visit(date(2021, 3, 3))]
    incident = (date(2021, 4, 1), "police_incident", {"kind": "callout", "victim": "P2", "domestic": True})
    approved = case(
        (date(2021, 3, 1), "person_added", PARTNER),
        (date(2021, 3, 1), "moved", {"address": "A1", "occupants": ["P2"]}),
        *checks,
        incident,
    )
    [done] = raised(approved, date(2021, 4, 1))
    assert (done.status_on(date(2021, 4, 1)), done.closed_on, done.immediate) == ("done", date(2021, 3, 3), False)
    still_open = case(
        (date(2021, 3, 1), "person_added", PARTNER),
        (date(2021, 3, 1), "moved", {"address": "A1", "occupants": ["P2"]}),
        (date(2021, 3, 2), "police_incident", {"kind": "callout", "victim": "P2", "domestic": True}),
        returned(date(2021, 3, 3), "police"), returned(date(2021, 3, 3), "childrens_services"),
        visit(date(2021, 3, 4)),
    )
    [unsafe] = raised(still_open, date(2021, 3, 4))  # known as a victim before the checks were complete
    assert (unsafe.status_on(date(2021, 3, 4)), unsafe.immediate) == ("overdue", True)
    assert unsafe.reason == (
        "The case moved to A1 on 1 March 2021, but P2 (a known victim) lives there: the address is not safe. Tell "
        "your manager today and record a manager decision on what is being done (a move, enforcement or recall)")
