"""Rules 2, 4 and 5: police and children's services checks before sentence, for children, and chased."""

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


def seq(facts: CaseFacts, type_: str, on: date) -> int:
    return next(e.seq for e in facts.events if e.type == type_ and e.on == on)


def returned(on: date, agency: str) -> tuple[date, str, dict[str, Any]]:
    return (on, "check_returned", {"agency": agency, "callouts": 0, "known_to_childrens_services": False,
                                   "summary": "nothing known"})


def report(on: date, court: date, curfew: bool = False) -> tuple[date, str, dict[str, Any]]:
    return (on, "court_report_requested", {"court_date": court.isoformat(), "report": "standard",
                                           "curfew_proposed": curfew})


def test_police_check_before_sentence_raised_then_discharged_by_returned_check() -> None:
    facts = case(
        (date(2021, 2, 20), "person_added", VICTIM),
        report(date(2021, 3, 1), court=date(2021, 3, 22)),
        returned(date(2021, 3, 10), "childrens_services"),
        returned(date(2021, 3, 24), "police"),
    )
    [obligation] = raised(facts, date(2021, 3, 1), "police-check-before-sentence")
    assert (obligation.kind, obligation.key) == ("police_check", "police-check-before-sentence:1")
    assert (obligation.opened, obligation.due) == (date(2021, 3, 1), date(2021, 3, 22))  # the court date
    assert obligation.critical
    assert obligation.reason == (
        "A pre-sentence report was requested on 1 March 2021 for court on 22 March 2021 and this is a domestic "
        "abuse case: get police domestic-abuse information back by 22 March 2021 so the court has it")
    [still_open] = raised(facts, date(2021, 3, 22), "police-check-before-sentence")  # children's check: no
    assert still_open.status_on(date(2021, 3, 22)) == "due"
    assert still_open.status_on(date(2021, 3, 23)) == "overdue"
    [done] = raised(facts, date(2021, 3, 24), "police-check-before-sentence")
    assert (done.status_on(date(2021, 3, 24)), done.closed_on, done.closed_by) == ("done", date(2021, 3, 24), 3)


def test_police_check_before_sentence_curfew_on_any_case_but_not_other_reports() -> None:
    facts = case(
        report(date(2021, 3, 1), court=date(2021, 3, 15)),
        report(date(2021, 4, 1), court=date(2021, 4, 20), curfew=True),
    )
    [curfew] = raised(facts, date(2021, 4, 1), "police-check-before-sentence")  # not a DA case: curfew only
    assert (curfew.key, curfew.opened, curfew.due) == ("police-check-before-sentence:1", date(2021, 4, 1),
                                                       date(2021, 4, 20))
    assert "a curfew is proposed" in curfew.reason


def test_childrens_check_raised_for_a_child_and_a_pregnancy_then_discharged() -> None:
    facts = case(
        (date(2021, 3, 26), "person_added", VICTIM),
        (date(2021, 3, 26), "person_added", {"ref": "C1", "relationship": "child", "born": "2015-06-01"}),
        (date(2021, 4, 6), "check_returned", {"agency": "police", "callouts": 2}),
        (date(2021, 4, 7), "person_added", {"ref": "C2", "relationship": "partners_child", "born": "2017-01-09"}),
        returned(date(2021, 4, 8), "childrens_services"),
        (date(2021, 6, 1), "person_added", {"ref": "P2", "relationship": "partner", "born": "1995-02-02"}),
        (date(2021, 6, 1), "pregnancy", {"ref": "P2"}),
    )
    [obligation] = raised(facts, date(2021, 3, 26), "childrens-check")
    assert (obligation.kind, obligation.key) == ("childrens_services_check", "childrens-check:1")
    # 5 working days from Friday 26 March 2021 skip Good Friday (2 April) and Easter Monday (5 April).
    assert (obligation.opened, obligation.due) == (date(2021, 3, 26), date(2021, 4, 6))
    assert obligation.critical
    assert obligation.reason == (
        "Domestic abuse case with a child involved: C1 (child, aged 5) was linked to the case on 26 March 2021. "
        "Ask children's services whether the family is known to them by 6 April 2021")
    [after_police] = raised(facts, date(2021, 4, 7), "childrens-check")  # a police check is not one; C2 covered
    assert after_police.key == "childrens-check:1"
    assert after_police.status_on(date(2021, 4, 7)) == "overdue"
    [done] = raised(facts, date(2021, 4, 8), "childrens-check")
    assert (done.status_on(date(2021, 4, 8)), done.closed_on) == ("done", date(2021, 4, 8))
    first, pregnancy = raised(facts, date(2021, 6, 1), "childrens-check")
    assert first.key == "childrens-check:1"
    assert (pregnancy.key, pregnancy.opened, pregnancy.due) == ("childrens-check:6", date(2021, 6, 1),
                                                                date(2021, 6, 8))
    assert pregnancy.status_on(date(2021, 6, 1)) == "due"
    assert "P2 is pregnant (recorded 1 June 2021)" in pregnancy.reason


def test_childrens_check_not_raised_without_domestic_abuse_or_after_a_recent_check() -> None:
    child = {"ref": "C1", "relationship": "child", "born": "2015-06-01"}
    assert raised(case((date(2021, 3, 1), "person_added", child)), date(2021, 5, 1), "childrens-check") == []
    recent = case(
        (date(2021, 3, 1), "person_added", child),
        returned(date(2021, 3, 10), "childrens_services"),
        (date(2021, 4, 1), "person_added", VICTIM),
    )
    assert raised(recent, date(2021, 4, 1), "childrens-check") == []  # returned after C1 was linked, 3 weeks ago


def test_check_chase_raised_for_unreturned_request_then_discharged_by_that_agency() -> None:
    facts = case(
        (date(2021, 3, 29), "check_requested", {"agency": "police"}),
        (date(2021, 3, 29), "check_requested", {"agency": "childrens_services", "about": ["C1"]}),
        (date(2021, 4, 12), "check_requested", {"agency": "police"}),
        returned(date(2021, 4, 13), "childrens_services"),
        returned(date(2021, 4, 16), "police"),
    )
    childrens, police = raised(facts, date(2021, 3, 29), "check-chase")  # same due date: sorted by kind
    assert (police.kind, police.key) == ("police_check", "check-chase:0")
    assert (childrens.kind, childrens.key) == ("childrens_services_check", "check-chase:1")
    # 10 working days from Monday 29 March 2021, skipping the Easter bank holidays.
    assert (police.opened, police.due) == (date(2021, 3, 29), date(2021, 4, 14))
    assert police.critical
    assert police.reason == (
        "Police domestic-abuse information was requested on 29 March 2021 and has not come back: chase it, and "
        "tell your manager if it is not back by 14 April 2021")
    by_key = {o.key: o for o in raised(facts, date(2021, 4, 15), "check-chase")}
    assert sorted(by_key) == ["check-chase:0", "check-chase:1"]  # the second police request is not a new chase
    assert by_key["check-chase:0"].status_on(date(2021, 4, 15)) == "overdue"  # children's return is not police
    assert by_key["check-chase:1"].status_on(date(2021, 4, 15)) == "done"
    assert by_key["check-chase:1"].closed_on == date(2021, 4, 13)
    evaluation = evaluate(facts, date(2021, 4, 15), POLICY)
    assert evaluation.concern == "serious"
    [done] = [o for o in raised(facts, date(2021, 4, 16), "check-chase") if o.key == "check-chase:0"]
    assert (done.status_on(date(2021, 4, 16)), done.closed_by) == ("done", 4)
