"""Rules 15-16: intervention referral and start."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, make_events
from safeguard.policy.obligations import Obligation
from safeguard.policy.policyfile import load_policy

POLICY = load_policy()
VICTIM = {"ref": "V1", "relationship": "partner", "victim": True, "born": "1990-01-01"}


def case(*events: tuple[date, str, dict[str, Any]]) -> CaseFacts:
    return CaseFacts(ref="X1", events=make_events(events))


def raised(facts: CaseFacts, day: date, rule_id: str) -> list[Obligation]:
    return [o for o in evaluate(facts, day, POLICY).obligations if o.rule == rule_id]


def sentence(on: date, requirements: list[dict[str, Any]]) -> tuple[date, str, dict[str, Any]]:
    return (on, "sentenced", {"order": "community_order", "months": 24, "requirements": requirements,
                              "offence": {"description": "assault", "victims": ["V1"], "domestic": True}})


def test_intervention_referral_court_requirement_due_in_five_working_days_then_referred() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        sentence(date(2021, 3, 30), [{"type": "accredited_programme", "programme": "bbr"}]),
        (date(2021, 4, 7), "programme_started", {"programme": "bbr"}),  # not a referral
        (date(2021, 4, 12), "referred", {"programme": "bbr"}),
    )
    [obligation] = raised(facts, date(2021, 3, 30), "intervention-referral")
    assert obligation.kind == "intervention_referral"
    assert obligation.opened == date(2021, 3, 30)
    # 5 working days across Good Friday (2 April) and Easter Monday (5 April) 2021.
    assert obligation.due == date(2021, 4, 8)
    assert obligation.reason == ("The court imposed a requirement to attend Building Better Relationships "
                                 "(30 March 2021): make the referral by 8 April 2021")
    assert obligation.status_on(date(2021, 4, 8)) == "due"
    [later] = raised(facts, date(2021, 4, 9), "intervention-referral")
    assert later.status_on(date(2021, 4, 9)) == "overdue"
    [done] = raised(facts, date(2021, 4, 12), "intervention-referral")
    assert done.status_on(date(2021, 4, 12)) == "done"
    assert done.closed_on == date(2021, 4, 12)


def test_intervention_referral_from_sara_medium_assessment_and_not_again_once_referred() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        sentence(date(2021, 3, 1), [{"type": "rar", "days": 20}]),
        (date(2021, 3, 15), "assessed", {"by": "P1", "rosh": "medium", "sara_partner": "medium",
                                         "sara_others": "low"}),
        (date(2021, 4, 14), "referred", {"programme": "bbr"}),
        (date(2021, 6, 1), "reviewed", {"by": "P1", "sara_partner": "high"}),
    )
    assert raised(facts, date(2021, 3, 14), "intervention-referral") == []
    [obligation] = raised(facts, date(2021, 4, 13), "intervention-referral")
    assert obligation.opened == date(2021, 3, 15)
    assert obligation.due == date(2021, 4, 14)  # 20 working days, Easter 2021 excluded
    assert "rates SARA at medium risk to partners" in obligation.reason
    [done] = raised(facts, date(2021, 6, 30), "intervention-referral")
    assert done.status_on(date(2021, 6, 30)) == "done"


def test_intervention_referral_not_for_low_sara_without_requirement() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        sentence(date(2021, 3, 1), []),
        (date(2021, 3, 15), "assessed", {"by": "P1", "rosh": "low", "sara_partner": "low", "sara_others": "low"}),
    )
    assert raised(facts, date(2021, 6, 1), "intervention-referral") == []


def test_intervention_start_twelve_weeks_then_reopened_at_once_by_cancellation() -> None:
    facts = case(
        (date(2021, 2, 1), "referred", {"programme": "bbr"}),
        (date(2021, 2, 8), "referred", {"programme": "bbr"}),  # a second referral is not a start
        (date(2021, 4, 27), "programme_started", {"programme": "bbr"}),
        (date(2021, 6, 4), "programme_cancelled", {"programme": "bbr", "by": "provider"}),
        (date(2021, 6, 21), "programme_started", {"programme": "bbr"}),
    )
    [waiting] = raised(facts, date(2021, 2, 8), "intervention-start")
    assert waiting.kind == "intervention_start"
    assert (waiting.opened, waiting.due) == (date(2021, 2, 1), date(2021, 4, 26))  # 12 weeks
    assert waiting.status_on(date(2021, 4, 26)) == "due"
    [late] = raised(facts, date(2021, 4, 26), "intervention-start")
    assert late.status_on(date(2021, 4, 27)) == "overdue"
    [started] = raised(facts, date(2021, 4, 27), "intervention-start")
    assert started.status_on(date(2021, 4, 27)) == "done"

    first, reopened = raised(facts, date(2021, 6, 7), "intervention-start")
    assert first.status_on(date(2021, 6, 7)) == "done"
    # "At once": due the working day of the cancellation (Friday 4 June), overdue from Monday.
    assert (reopened.opened, reopened.due) == (date(2021, 6, 4), date(2021, 6, 4))
    assert reopened.status_on(date(2021, 6, 4)) == "due"
    assert reopened.status_on(date(2021, 6, 7)) == "overdue"
    assert reopened.reason.startswith("Building Better Relationships was cancelled by the provider on 4 June 2021")
    _, restarted = raised(facts, date(2021, 6, 21), "intervention-start")
    assert restarted.status_on(date(2021, 6, 21)) == "done"
    assert restarted.closed_on == date(2021, 6, 21)


def test_intervention_start_cancelled_on_a_bank_holiday_is_due_the_next_working_day() -> None:
    facts = case(
        (date(2021, 3, 1), "referred", {"programme": "bbr"}),
        (date(2021, 4, 2), "programme_cancelled", {"programme": "bbr", "by": "provider"}),
    )
    [obligation] = raised(facts, date(2021, 4, 2), "intervention-start")
    # Brought forward from 24 May (12 weeks) to Tuesday 6 April, after Good Friday and Easter Monday.
    assert (obligation.opened, obligation.due) == (date(2021, 3, 1), date(2021, 4, 6))
    assert obligation.status_on(date(2021, 4, 7)) == "overdue"


def test_intervention_start_stops_at_a_manager_decision_after_not_suitable_and_follows_a_new_referral() -> None:
    decision = "Assessed not suitable for Building Better Relationships (denies the abuse): toolkit work instead"
    facts = case(
        (date(2021, 3, 1), "referred", {"programme": "bbr"}),
        (date(2021, 3, 22), "manager_decision", {"by": "S1", "about": "intervention_start", "decision": decision}),
        (date(2021, 4, 6), "referred", {"programme": "toolkit"}),
    )
    [waived] = raised(facts, date(2021, 3, 30), "intervention-start")
    assert waived.status_on(date(2021, 3, 30)) == "waived"
    assert waived.closed_on == date(2021, 3, 22) and waived.closed_as == "waived"
    assert waived.closed_note == f"{decision} (S1)"
    # Nothing is asked for any more: no longer overdue on the old 12-week date.
    assert waived.status_on(date(2021, 6, 1)) == "waived"
    old, new = raised(facts, date(2021, 4, 6), "intervention-start")
    assert old.closed_as == "waived"
    assert (new.opened, new.due, new.status_on(date(2021, 4, 6))) == (date(2021, 4, 6), date(2021, 6, 29), "due")
    assert new.reason.startswith("Referred to structured one-to-one toolkit work on 6 April 2021")


def test_intervention_start_ignores_a_manager_decision_about_something_else() -> None:
    facts = case(
        (date(2021, 3, 1), "referred", {"programme": "bbr"}),
        (date(2021, 3, 22), "manager_decision", {"by": "S1", "about": "contact", "decision": "Fortnightly"}),
    )
    [still] = raised(facts, date(2021, 6, 1), "intervention-start")
    assert still.status_on(date(2021, 6, 1)) == "overdue"
