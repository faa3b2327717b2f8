"""Rule 23: register reviews."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, make_events
from safeguard.policy.obligations import Obligation
from safeguard.policy.policyfile import load_policy

POLICY = load_policy()


def case(*events: tuple[date, str, dict[str, Any]]) -> CaseFacts:
    return CaseFacts(ref="X1", events=make_events(events))


def raised(facts: CaseFacts, day: date, rule_id: str) -> list[Obligation]:
    return [o for o in evaluate(facts, day, POLICY).obligations if o.rule == rule_id]


def test_register_review_every_three_months_until_deregistered() -> None:
    facts = case(
        (date(2021, 1, 29), "registered", {"code": "ADVP"}),
        (date(2021, 1, 29), "registered", {"code": "REG24"}),  # not a register with a review period here
        (date(2021, 4, 30), "assessed", {"by": "P1", "rosh": "medium", "sara_partner": "medium",
                                         "sara_others": "low"}),  # an assessment is not a review
        (date(2021, 5, 4), "reviewed", {"by": "P1"}),
        (date(2021, 6, 1), "deregistered", {"code": "ADVP"}),
        (date(2021, 9, 1), "reviewed", {"by": "P1"}),
    )
    [obligation] = raised(facts, date(2021, 1, 29), "register-review")
    assert obligation.kind == "registration_review"
    assert (obligation.opened, obligation.due) == (date(2021, 1, 29), date(2021, 4, 29))
    assert obligation.reason == (
        "The ADVP (domestic abuse perpetrator) register (registered on 29 January 2021) is due for review by "
        "29 April 2021: review whether it is still needed and whether the risk management plan still fits")
    assert obligation.status_on(date(2021, 4, 29)) == "due"
    [wrong] = raised(facts, date(2021, 4, 30), "register-review")
    assert wrong.status_on(date(2021, 4, 30)) == "overdue"
    done, following = raised(facts, date(2021, 5, 4), "register-review")
    assert done.status_on(date(2021, 5, 4)) == "done"
    assert (following.opened, following.due) == (date(2021, 5, 4), date(2021, 8, 4))
    assert "(last reviewed on 4 May 2021)" in following.reason
    _, ended = raised(facts, date(2021, 10, 1), "register-review")  # deregistering ends the series
    assert ended.status_on(date(2021, 10, 1)) == "done"
    assert (ended.closed_on, ended.closed_note) == (date(2021, 6, 1), "Deregistered")


def test_register_review_one_series_per_register() -> None:
    facts = case(
        (date(2021, 3, 1), "registered", {"code": "IMAR"}),
        (date(2021, 3, 10), "registered", {"code": "RCPR"}),
        (date(2021, 4, 1), "registered", {"code": "IMAR"}),  # already active: same series
    )
    imar, rcpr = raised(facts, date(2021, 5, 1), "register-review")
    assert imar.due == date(2021, 6, 1)
    assert rcpr.due == date(2021, 6, 10)
    assert "RCPR (child protection)" in rcpr.reason
