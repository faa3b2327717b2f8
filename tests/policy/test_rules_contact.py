"""Rules 11 and 12: home visits, and face-to-face contact often enough."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, make_events
from safeguard.policy.obligations import Obligation
from safeguard.policy.policyfile import load_policy

POLICY = load_policy()
VICTIM = {"ref": "V1", "relationship": "ex_partner", "victim": True, "born": "1990-01-01"}
PARTNER_AT_HOME = {"ref": "P2", "relationship": "partner", "born": "1992-07-07", "lives_with_case": True}
SENTENCED = {"order": "community_order", "months": 24}


def case(*events: tuple[date, str, dict[str, Any]]) -> CaseFacts:
    return CaseFacts(ref="X1", events=make_events(events))


def raised(facts: CaseFacts, day: date, rule_id: str) -> list[Obligation]:
    return [o for o in evaluate(facts, day, POLICY).obligations if o.rule == rule_id]


def contact(on: date, kind: str = "office", outcome: str = "attended") -> tuple[date, str, dict[str, Any]]:
    return (on, "contact", {"kind": kind, "outcome": outcome, "by": "P1"})


def rescored(on: date, rosh: str) -> tuple[date, str, dict[str, Any]]:
    return (on, "reviewed", {"by": "P1", "rosh": rosh, "sources": [], "analysis": "rescored"})


def test_home_visit_when_living_with_a_partner_then_every_three_months_while_rosh_high() -> None:
    facts = case(
        (date(2021, 2, 20), "person_added", VICTIM),
        (date(2021, 3, 12), "person_added", PARTNER_AT_HOME),  # before supervision: not yet a trigger
        (date(2021, 3, 15), "sentenced", SENTENCED),
        rescored(date(2021, 3, 22), "high"),
        contact(date(2021, 3, 25)),  # an office visit is not a home visit
        contact(date(2021, 4, 1), kind="home_visit", outcome="failed_to_attend"),
        contact(date(2021, 4, 16), kind="home_visit"),
        rescored(date(2021, 5, 10), "medium"),
        contact(date(2021, 7, 12), kind="home_visit"),
    )
    [obligation] = raised(facts, date(2021, 3, 15), "home-visit")
    assert raised(facts, date(2021, 3, 14), "home-visit") == []
    assert (obligation.kind, obligation.key) == ("home_visit", "home-visit:2")
    # 20 working days from 15 March 2021 skip Good Friday and Easter Monday.
    assert (obligation.opened, obligation.due) == (date(2021, 3, 15), date(2021, 4, 14))
    assert obligation.reason == (
        "The case was sentenced on 15 March 2021 and lives with P2 on a domestic abuse case: make a home visit by "
        "14 April 2021")
    [missed] = raised(facts, date(2021, 4, 15), "home-visit")
    assert missed.status_on(date(2021, 4, 15)) == "overdue"
    done, repeat = raised(facts, date(2021, 4, 16), "home-visit")
    assert (done.status_on(date(2021, 4, 16)), done.closed_by) == ("done", 6)
    assert (repeat.key, repeat.opened, repeat.due) == ("home-visit:6", date(2021, 4, 16), date(2021, 7, 16))
    assert repeat.reason == (
        "RoSH is high and the case lives with P2: the last home visit was on 16 April 2021, visit again by "
        "16 July 2021")
    done, repeat_done = raised(facts, date(2021, 7, 12), "home-visit")  # RoSH now medium: no further repeat
    assert repeat_done.key == "home-visit:6"
    assert (repeat_done.status_on(date(2021, 7, 12)), repeat_done.closed_by) == ("done", 8)


def test_home_visit_not_raised_alone_or_in_custody_but_raised_when_household_recorded_late() -> None:
    start: list[tuple[date, str, dict[str, Any]]] = [(date(2021, 2, 20), "person_added", VICTIM),
                                                     (date(2021, 3, 15), "sentenced", SENTENCED)]
    assert raised(case(*start), date(2021, 6, 1), "home-visit") == []
    late_household = case(*start, (date(2021, 3, 17), "person_added", PARTNER_AT_HOME))  # recorded late
    [recorded_late] = raised(late_household, date(2021, 3, 17), "home-visit")
    assert (recorded_late.key, recorded_late.due) == ("home-visit:2", date(2021, 4, 16))
    assert "recorded as living with P2 on 17 March 2021" in recorded_late.reason
    custody = case(
        (date(2021, 2, 20), "person_added", PARTNER_AT_HOME | {"victim": True}),
        (date(2021, 3, 15), "sentenced", {"order": "custody", "months": 12}),
    )
    assert raised(custody, date(2021, 6, 1), "home-visit") == []


def test_contact_frequency_weekly_for_twelve_weeks_then_fortnightly_then_monthly() -> None:
    weekly = [contact(date(2021, 3, 9) + timedelta(weeks=n)) for n in range(11)]  # 9 March .. 18 May
    facts = case(
        (date(2021, 2, 20), "person_added", VICTIM),
        (date(2021, 3, 1), "sentenced", SENTENCED),
        contact(date(2021, 3, 4), kind="phone"),
        contact(date(2021, 3, 5), kind="public_place"),
        (date(2021, 3, 20), "assessed", {"by": "P1", "rosh": "medium", "sara_partner": "medium",
                                         "sara_others": "low"}),
        *weekly,
        contact(date(2021, 5, 24), kind="video"),
        contact(date(2021, 6, 1), kind="home_visit", outcome="failed_to_attend"),
        rescored(date(2021, 6, 2), "low"),
        contact(date(2021, 6, 7), kind="three_way"),
    )
    [first] = raised(facts, date(2021, 3, 1), "contact-frequency")
    assert (first.kind, first.key, first.opened, first.due) == ("contact", "contact-frequency:1", date(2021, 3, 1),
                                                                date(2021, 3, 8))
    assert first.reason == (
        "Face-to-face contact is required weekly for the first 12 weeks from the start on 1 March 2021; "
        "supervision started on 1 March 2021: see the person in the office, at home, by video or in a three-way "
        "meeting by 8 March 2021 (phone calls and meetings in public places do not count)")
    [phone_only] = raised(facts, date(2021, 3, 8), "contact-frequency")  # phone and café meetings do not count
    assert phone_only.status_on(date(2021, 3, 9)) == "overdue"
    late, second = raised(facts, date(2021, 3, 9), "contact-frequency")
    assert (late.status_on(date(2021, 3, 9)), late.closed_on) == ("done", date(2021, 3, 9))
    assert (second.key, second.opened, second.due) == ("contact-frequency:5", date(2021, 3, 9), date(2021, 3, 16))

    # 24 May 2021 is the end of the first 12 weeks: the next period is fortnightly (RoSH medium).
    *_, fortnightly = raised(facts, date(2021, 5, 24), "contact-frequency")
    assert (fortnightly.opened, fortnightly.due) == (date(2021, 5, 24), date(2021, 6, 7))
    assert "fortnightly while RoSH is medium or above" in fortnightly.reason
    *_, met, monthly = raised(facts, date(2021, 6, 7), "contact-frequency")  # a missed home visit does not count
    assert (met.status_on(date(2021, 6, 7)), met.key) == ("done", fortnightly.key)
    assert (monthly.opened, monthly.due) == (date(2021, 6, 7), date(2021, 7, 5))
    assert "every 4 weeks with RoSH low" in monthly.reason


def test_contact_frequency_stops_in_custody_and_restarts_weekly_on_release() -> None:
    facts = case(
        (date(2021, 2, 20), "person_added", VICTIM),
        (date(2021, 3, 1), "sentenced", SENTENCED),
        (date(2021, 3, 4), "enforcement", {"action": "recall", "reason": "breach"}),
        (date(2021, 9, 1), "released", {"licence": "standard", "months": 6}),
    )
    [recalled] = raised(facts, date(2021, 8, 31), "contact-frequency")
    assert (recalled.status_on(date(2021, 8, 31)), recalled.closed_note) == ("waived", "In custody from 4 March 2021")
    _, after_release = raised(facts, date(2021, 9, 1), "contact-frequency")
    assert (after_release.key, after_release.due) == ("contact-frequency:3", date(2021, 9, 8))


def test_contact_frequency_contact_on_the_start_day_counts_but_two_on_one_day_count_once() -> None:
    facts = case(
        (date(2021, 2, 20), "person_added", VICTIM),
        (date(2021, 3, 1), "sentenced", SENTENCED),
        contact(date(2021, 3, 1)),
        contact(date(2021, 3, 1), kind="video"),
    )
    first, second = raised(facts, date(2021, 3, 1), "contact-frequency")
    assert (first.key, first.status_on(date(2021, 3, 1))) == ("contact-frequency:1", "done")
    assert (second.key, second.opened, second.due) == ("contact-frequency:2", date(2021, 3, 1), date(2021, 3, 8))
    assert second.status_on(date(2021, 3, 1)) == "due"
