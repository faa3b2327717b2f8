"""Rule 25: review (and new-area checks) after a transfer."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, StaffMember, make_events
from safeguard.policy.obligations import Obligation
from safeguard.policy.policyfile import load_policy

POLICY = load_policy()
STAFF = {s.ref: s for s in (StaffMember("P1", "PO", date(2015, 9, 1), True),
                            StaffMember("P2", "PO", date(2012, 9, 1), True),
                            StaffMember("S1", "SPO", date(2009, 9, 1), True))}


def case(*events: tuple[date, str, dict[str, Any]]) -> CaseFacts:
    return CaseFacts(ref="X1", events=make_events(events), staff=STAFF)


def raised(facts: CaseFacts, day: date, rule_id: str) -> list[Obligation]:
    return [o for o in evaluate(facts, day, POLICY).obligations if o.rule == rule_id]


def by_kind(obligations: list[Obligation]) -> dict[str, Obligation]:
    return {o.kind: o for o in obligations}


def returned(on: date, agency: str) -> tuple[date, str, dict[str, Any]]:
    return (on, "check_returned", {"agency": agency, "callouts": 0, "known_to_childrens_services": False,
                                   "summary": ""})


def test_transfer_review_by_the_new_practitioner_and_new_area_checks() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", {"ref": "V1", "relationship": "partner", "victim": True}),
        (date(2021, 3, 1), "allocated", {"practitioner": "P1"}),
        returned(date(2021, 3, 30), "police"),  # before the transfer: the old area's information
        (date(2021, 3, 31), "transferred", {"practitioner": "P2", "area_changed": True}),
        (date(2021, 4, 1), "reviewed", {"by": "P1"}),  # the old practitioner's review does not count
        returned(date(2021, 4, 8), "police"),
        (date(2021, 4, 12), "reviewed", {"by": "S1"}),  # nor a manager's
        (date(2021, 4, 19), "reviewed", {"by": "P2"}),
    )
    found = by_kind(raised(facts, date(2021, 3, 31), "transfer-review"))
    review = found["review"]
    assert (review.opened, review.due) == (date(2021, 3, 31), date(2021, 4, 16))  # 10 working days, Easter
    assert review.reason == (
        "The case was transferred to P2 on 31 March 2021: P2 must read the whole record and review the risk "
        "assessment and risk management plan by 16 April 2021")
    police, childrens = found["police_check"], found["childrens_services_check"]
    assert police.due == childrens.due == date(2021, 4, 9)  # 5 working days, Easter excluded
    assert police.critical and childrens.critical
    assert police.status_on(date(2021, 4, 1)) == "due"  # the return of 30 March was before the transfer
    assert childrens.reason == ("The case moved to a new area on 31 March 2021: request a children's services "
                                "safeguarding check from the new area by 9 April 2021")

    found = by_kind(raised(facts, date(2021, 4, 12), "transfer-review"))
    assert found["police_check"].status_on(date(2021, 4, 12)) == "done"
    assert found["police_check"].closed_on == date(2021, 4, 8)
    assert found["childrens_services_check"].status_on(date(2021, 4, 12)) == "overdue"
    assert found["review"].status_on(date(2021, 4, 12)) == "due"
    assert found["review"].status_on(date(2021, 4, 17)) == "overdue"

    found = by_kind(raised(facts, date(2021, 4, 19), "transfer-review"))
    assert found["review"].status_on(date(2021, 4, 19)) == "done"
    assert found["review"].closed_on == date(2021, 4, 19)


def test_transfer_review_without_area_change_asks_only_for_the_review() -> None:
    facts = case(
        (date(2021, 3, 1), "allocated", {"practitioner": "P1"}),
        (date(2021, 3, 1), "transferred", {"practitioner": "P1", "area_changed": False}),  # same practitioner
        (date(2021, 5, 4), "transferred", {"practitioner": "P2", "area_changed": False}),
    )
    [review] = raised(facts, date(2021, 5, 4), "transfer-review")
    assert review.kind == "review"
    assert review.due == date(2021, 5, 18)
