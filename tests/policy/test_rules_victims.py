"""Rules 17, 18, 22: MARAC referral, victim safety, disclosure."""

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


def incident(on: date, features: list[str] | None = None, domestic: bool = True) -> tuple[date, str, dict[str, Any]]:
    return (on, "police_incident", {"kind": "callout", "victim": "V1", "domestic": domestic,
                                    "features": features or []})


def test_marac_referral_third_incident_in_twelve_months_then_referred() -> None:
    facts = case(
        (date(2020, 5, 1), "person_added", VICTIM),
        incident(date(2020, 6, 10)),
        incident(date(2021, 1, 15)),
        incident(date(2021, 3, 31)),
        (date(2021, 4, 7), "note", {"by": "P1", "text": "discussed with the police"}),
        (date(2021, 4, 7), "manager_decision", {"by": "S1", "about": "contact", "decision": "weekly"}),
        (date(2021, 4, 8), "marac_referred", {"reason": "three call-outs"}),
    )
    assert raised(facts, date(2021, 3, 30), "marac-referral") == []  # two incidents are not enough
    [obligation] = raised(facts, date(2021, 3, 31), "marac-referral")
    assert obligation.kind == "marac_referral"
    assert obligation.opened == date(2021, 3, 31)
    assert obligation.due == date(2021, 4, 6)  # 2 working days across Good Friday and Easter Monday
    assert obligation.critical is True
    assert obligation.reason == (
        "MARAC referral criteria are met: 3 domestic police incidents in the 12 months to 31 March 2021. "
        "Refer to MARAC by 6 April 2021, or record a manager decision with the reasons not to")
    assert obligation.status_on(date(2021, 4, 6)) == "due"
    [wrong] = raised(facts, date(2021, 4, 7), "marac-referral")  # a note and a decision about contact
    assert wrong.status_on(date(2021, 4, 7)) == "overdue"
    [done] = raised(facts, date(2021, 4, 8), "marac-referral")
    assert done.status_on(date(2021, 4, 8)) == "done"


def test_marac_referral_high_risk_feature_and_dash_and_waiver() -> None:
    facts = case(
        (date(2021, 2, 1), "person_added", VICTIM),
        incident(date(2021, 3, 1), ["strangulation", "violence"]),
        (date(2021, 3, 2), "marac_referred", {"reason": "non-fatal strangulation"}),
        (date(2021, 5, 3), "assessed", {"by": "P1", "rosh": "high", "sara_partner": "high", "sara_others": "low",
                                        "dash_yes": 15}),
        (date(2021, 5, 4), "manager_decision", {"by": "S1", "about": "marac_referral",
                                                "decision": "Heard at MARAC in March; actions still in place"}),
    )
    first, second = raised(facts, date(2021, 5, 4), "marac-referral")
    assert "the domestic police incident of 1 March 2021 involved strangulation" in first.reason
    assert first.status_on(date(2021, 5, 4)) == "done"
    assert "the DASH risk checklist of 3 May 2021 has 15 yes answers" in second.reason
    assert second.due == date(2021, 5, 5)
    assert second.status_on(date(2021, 5, 4)) == "waived"
    assert second.closed_note == "Heard at MARAC in March; actions still in place (S1)"


def test_marac_referral_not_for_non_domestic_incidents() -> None:
    facts = case(
        incident(date(2021, 1, 5), domestic=False),
        incident(date(2021, 2, 5), domestic=False),
        incident(date(2021, 3, 5), ["weapon"], domestic=False),
    )
    assert raised(facts, date(2021, 4, 1), "marac-referral") == []


def test_victim_safety_raised_for_high_rosh_then_after_each_review() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", {**VICTIM, "relationship": "partner", "lives_with_case": True}),
        (date(2021, 3, 1), "sentenced", {"order": "community_order", "months": 24, "requirements": [],
                                         "offence": {"description": "assault", "victims": ["V1"],
                                                     "domestic": True}}),
        (date(2021, 3, 22), "assessed", {"by": "P1", "rosh": "high", "sara_partner": "high",
                                         "sara_others": "low"}),
        (date(2021, 4, 6), "victim_contact", {"ref": "V1", "by": "practitioner", "safety_plan": False}),
        (date(2021, 4, 9), "victim_contact", {"ref": "V1", "by": "idva", "safety_plan": True}),
        (date(2021, 7, 1), "reviewed", {"by": "P1", "rosh": "high"}),
    )
    assert raised(facts, date(2021, 3, 21), "victim-safety") == []  # RoSH not yet high, no programme
    [obligation] = raised(facts, date(2021, 3, 22), "victim-safety")
    assert obligation.kind == "victim_safety"
    assert (obligation.opened, obligation.due) == (date(2021, 3, 22), date(2021, 4, 7))  # Easter excluded
    assert obligation.reason == (
        "V1 (current partner, a known victim) needs safety contact from a partner link worker, victim liaison officer "
        "or IDVA because the risk of serious harm is high: make sure they are contacted and have a safety plan "
        "by 7 April 2021")
    [practitioner_only] = raised(facts, date(2021, 4, 8), "victim-safety")
    assert practitioner_only.status_on(date(2021, 4, 8)) == "overdue"
    [done] = raised(facts, date(2021, 4, 9), "victim-safety")
    assert done.status_on(date(2021, 4, 9)) == "done"
    first, after_review = raised(facts, date(2021, 7, 1), "victim-safety")
    assert first.status_on(date(2021, 7, 1)) == "done"
    assert (after_review.opened, after_review.due) == (date(2021, 7, 1), date(2021, 7, 15))
    assert "the review of 1 July 2021" in after_review.reason
    assert after_review.status_on(date(2021, 7, 16)) == "overdue"


def test_victim_safety_for_a_new_partner_while_on_a_programme() -> None:
    facts = case(
        (date(2021, 3, 1), "person_added", VICTIM),
        (date(2021, 3, 1), "sentenced", {"order": "community_order", "months": 24,
                                         "requirements": [{"type": "accredited_programme", "programme": "bbr"}],
                                         "offence": {"description": "assault", "victims": ["V1"],
                                                     "domestic": True}}),
        (date(2021, 3, 3), "victim_contact", {"ref": "V1", "by": "partner_link_worker", "safety_plan": True}),
        (date(2021, 5, 4), "person_added", {"ref": "P2", "relationship": "acquaintance", "born": "1992-02-02"}),
        (date(2021, 5, 5), "relationship_started", {"ref": "P2"}),
    )
    v1, p2 = raised(facts, date(2021, 5, 5), "victim-safety")
    assert v1.status_on(date(2021, 5, 5)) == "done"
    assert "because the case is on Building Better Relationships" in v1.reason
    assert p2.reason.startswith("P2 (current partner) needs safety contact")
    assert (p2.opened, p2.due) == (date(2021, 5, 5), date(2021, 5, 19))


def test_disclosure_raised_for_new_relationship_then_disclosed_or_waived() -> None:
    events: list[tuple[date, str, dict[str, Any]]] = [
        (date(2021, 3, 1), "person_added", VICTIM),
        (date(2021, 3, 20), "person_added", {"ref": "P2", "relationship": "acquaintance", "born": "1992-02-02"}),
        (date(2021, 3, 25), "relationship_started", {"ref": "P2"}),
        (date(2021, 4, 12), "disclosure", {"scheme": "right_to_know", "to": "V1"}),  # the wrong person
    ]
    facts = case(*events, (date(2021, 4, 13), "disclosure", {"scheme": "right_to_know", "to": "P2"}))
    [obligation] = raised(facts, date(2021, 3, 25), "disclosure")
    assert obligation.kind == "disclosure_consideration"
    assert (obligation.opened, obligation.due) == (date(2021, 3, 25), date(2021, 4, 12))  # Easter excluded
    assert obligation.reason == (
        "A new relationship with P2 started on 25 March 2021: consider a Right to Know "
        "disclosure with the police and record the decision by 12 April 2021")
    assert obligation.status_on(date(2021, 4, 12)) == "due"
    [wrong] = raised(facts, date(2021, 4, 12), "disclosure")
    assert wrong.status_on(date(2021, 4, 13)) == "overdue"
    [done] = raised(facts, date(2021, 4, 13), "disclosure")
    assert done.status_on(date(2021, 4, 13)) == "done"

    waived_facts = case(*events, (date(2021, 4, 1), "manager_decision", {
        "by": "S1", "about": "disclosure_consideration", "decision": "Police say no disclosure is needed"}))
    [waived] = raised(waived_facts, date(2021, 4, 1), "disclosure")
    assert waived.status_on(date(2021, 4, 1)) == "waived"


def test_disclosure_not_raised_on_a_case_without_domestic_abuse() -> None:
    facts = case(
        (date(2021, 3, 20), "person_added", {"ref": "P2", "relationship": "acquaintance"}),
        (date(2021, 3, 25), "relationship_started", {"ref": "P2"}),
    )
    assert raised(facts, date(2021, 5, 1), "disclosure") == []


def test_victim_safety_referral_counts_for_partner_programmes_not_one_to_one_work() -> None:
    def referred_to(programme: str) -> list[Obligation]:
        facts = case(
            (date(2021, 3, 1), "person_added", VICTIM),
            (date(2021, 3, 1), "sentenced", {"order": "community_order", "months": 24,
                                             "offence": {"description": "assault", "victims": ["V1"],
                                                         "domestic": True}}),
            (date(2021, 3, 10), "referred", {"programme": programme}),
        )
        return raised(facts, date(2021, 3, 10), "victim-safety")

    assert referred_to("toolkit") == []
    (bbr,) = referred_to("bbr")
    assert bbr.opened == date(2021, 3, 10) and "Building Better Relationships" in bbr.reason
