"""Rules 19-20: control checks and breach response."""

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


def raised(facts: CaseFacts, day: date, rule_id: str, kind: str | None = None) -> list[Obligation]:
    return [o for o in evaluate(facts, day, POLICY).obligations
            if o.rule == rule_id and (kind is None or o.kind == kind)]


def test_control_check_in_ten_working_days_then_every_three_months() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        (date(2021, 3, 1), "person_added", {"ref": "V2", "relationship": "other_family", "born": "1960-01-01"}),
        (date(2021, 3, 25), "control_imposed", {"control": "restraining_order", "protects": ["V1"],
                                                "until": "2022-03-25"}),
        (date(2021, 4, 8), "victim_contact", {"ref": "V2", "by": "practitioner"}),  # not the protected person
        (date(2021, 4, 9), "check_returned", {"agency": "childrens_services", "callouts": 0,
                                              "known_to_childrens_services": False, "summary": ""}),
        (date(2021, 4, 14), "check_returned", {"agency": "police", "callouts": 2,
                                               "known_to_childrens_services": False, "summary": "no breaches"}),
        (date(2021, 7, 1), "victim_contact", {"ref": "V1", "by": "practitioner", "safety_plan": True}),
    )
    [first] = raised(facts, date(2021, 3, 25), "control-check")
    assert first.kind == "control_check"
    assert (first.opened, first.due) == (date(2021, 3, 25), date(2021, 4, 12))  # 10 working days, Easter excluded
    assert first.reason == (
        "The restraining order protecting V1 was imposed on 25 March 2021: check with the police and V1 that it "
        "is being kept to, by 12 April 2021 (it is in force until 25 March 2022)")
    assert first.status_on(date(2021, 4, 12)) == "due"
    [wrong] = raised(facts, date(2021, 4, 13), "control-check")
    assert wrong.status_on(date(2021, 4, 13)) == "overdue"
    done, second = raised(facts, date(2021, 4, 14), "control-check")
    assert done.status_on(date(2021, 4, 14)) == "done"
    assert (second.opened, second.due) == (date(2021, 4, 14), date(2021, 7, 14))
    assert second.status_on(date(2021, 4, 14)) == "due"
    _, met, third = raised(facts, date(2021, 7, 1), "control-check")
    assert met.closed_on == date(2021, 7, 1)
    assert (third.opened, third.due) == (date(2021, 7, 1), date(2021, 10, 1))
    assert third.status_on(date(2021, 10, 2)) == "overdue"


def test_control_check_stops_when_the_control_ends_before_the_next_check() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        (date(2021, 3, 1), "control_imposed", {"control": "non_molestation_order", "protects": ["V1"],
                                               "until": "2021-05-01"}),
        (date(2021, 3, 5), "victim_contact", {"ref": "V1", "by": "idva"}),
    )
    [only] = raised(facts, date(2021, 6, 1), "control-check")
    assert only.status_on(date(2021, 6, 1)) == "done"


def test_breach_response_raised_immediate_then_discharged() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        (date(2021, 3, 1), "control_imposed", {"control": "restraining_order", "protects": ["V1"]}),
        (date(2021, 3, 2), "check_requested", {"agency": "police"}),  # before the breach: does not count
        (date(2021, 3, 3), "enforcement", {"action": "warning", "reason": "missed appointment"}),  # nor this
        (date(2021, 4, 1), "control_breached", {"control": "restraining_order", "protects": "V1",
                                                "reported_by": "victim"}),
        (date(2021, 4, 6), "information_received", {"source": "victim", "text": "he came to the house"}),
        (date(2021, 4, 7), "enforcement", {"action": "breach_action", "reason": "breach of restraining order"}),
        (date(2021, 4, 8), "check_requested", {"agency": "police", "about": ["V1"]}),
    )
    check, enforcement = raised(facts, date(2021, 4, 1), "breach-response")
    assert (check.kind, enforcement.kind) == ("control_check", "enforcement_decision")
    for obligation in (check, enforcement):
        assert obligation.opened == date(2021, 4, 1)
        assert obligation.due == date(2021, 4, 6)  # 1 working day after Thursday 1 April: Easter in between
        assert obligation.immediate is True
        assert obligation.status_on(date(2021, 4, 6)) == "due"
    assert enforcement.reason == (
        "The restraining order protecting V1 was breached on 1 April 2021 (reported by the victim): record an "
        "enforcement decision and tell the police today (by 6 April 2021 at the latest)")
    assert evaluate(facts, date(2021, 4, 1), POLICY).concern == "immediate"  # open, though not yet overdue

    check, enforcement = raised(facts, date(2021, 4, 6), "breach-response")
    assert check.status_on(date(2021, 4, 6)) == "due"  # information from the victim is not from the police

    check, enforcement = raised(facts, date(2021, 4, 7), "breach-response")
    assert enforcement.status_on(date(2021, 4, 7)) == "done"
    assert check.status_on(date(2021, 4, 7)) == "overdue"
    assert evaluate(facts, date(2021, 4, 7), POLICY).concern == "immediate"  # the police not yet told

    check, enforcement = raised(facts, date(2021, 4, 8), "breach-response")
    assert check.status_on(date(2021, 4, 8)) == "done"
    assert check.closed_on == date(2021, 4, 8)
    assert evaluate(facts, date(2021, 4, 8), POLICY).concern != "immediate"


def test_breach_response_names_the_control_imposed_when_the_breach_report_does_not() -> None:
    facts = case(
        (date(2021, 3, 1), "control_imposed", {"control": "exclusion_requirement", "protects": ["V1"]}),
        (date(2021, 5, 4), "control_breached", {"reported_by": "police"}),
        (date(2021, 5, 5), "information_received", {"source": "police", "text": "arrested at the address"}),
    )
    check, enforcement = raised(facts, date(2021, 5, 5), "breach-response")
    assert check.reason.startswith("The exclusion requirement protecting V1 was breached on 4 May 2021 "
                                   "(reported by the police)")
    assert check.status_on(date(2021, 5, 5)) == "done"
    assert enforcement.status_on(date(2021, 5, 5)) == "due"
