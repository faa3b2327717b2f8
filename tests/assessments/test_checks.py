"""Sufficiency and contradiction checks on cases modelled on inspection examples (pure: no database)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from assessment_cases import HOUSEHOLD_EVENTS, NORFOLK_EVENTS, NORFOLK_THIN, facts_of

from safeguard.assessments.checks import Context, contradictions, event_for, problems, rule8_gaps, sufficiency
from safeguard.policy.facts import Event
from safeguard.policy.rules.assessment import missing_from_assessment

NORFOLK_DAY = date(2023, 1, 30)
HOUSEHOLD_DAY = date(2024, 3, 15)


def norfolk() -> Context:
    return Context(facts=facts_of(NORFOLK_EVENTS), on=NORFOLK_DAY, by="PO2")


def household() -> Context:
    return Context(facts=facts_of(HOUSEHOLD_EVENTS), on=HOUSEHOLD_DAY, by="PS1")


def texts(findings: list[Any]) -> list[str]:
    return [f.text for f in findings]


def test_norfolk_thin_assessment_names_the_former_partner_the_child_the_assault_and_the_axe() -> None:
    found = {f.code: f for f in sufficiency(NORFOLK_THIN, norfolk())}
    assert found["person:EX1"].text == "EX1, ex-partner and a known victim, is not considered"
    assert found["person:CH1"].text == "CH1, child aged 8, is not considered"
    assert found["person:EX1"].rule8 and found["person:CH1"].rule8
    assert found["history"].text == (
        "One previous domestic offence is not analysed (Previous offence (14 June 2018): Assault on his former "
        "partner in front of their child (victim: ex-partner; violent, domestic))")
    # The axe affray was against neighbours (not domestic): rule 8 does not ask about it, the form does.
    weapon = found["feature:1:weapon"]
    assert "axe" in weapon.text and weapon.text.startswith("A weapon on record is not analysed") and not weapon.rule8
    assert {"categories", "risk_factors", "plan", "dash"} <= set(found)


def test_norfolk_sufficient_reassessment_leaves_nothing_out() -> None:
    content = {
        "rosh": "high", "rosh_rationale": "Violence to a former partner in front of their child; axe threats.",
        "sara_partner": "high", "sara_others": "medium", "dash_yes": 9,
        "people": {"EX1": {"judgement": "high"}, "CH1": {"judgement": "medium"}},
        "categories": ["physical", "violent_threatening"],
        "history": {"seq:0": "Assaulted his former partner in front of their child in 2018.",
                    "seq:1": "Threatened neighbours with an axe while drunk: access to weapons when drinking."},
        "risk_factors": [{"factor": "Alcohol misuse", "evidence": "Both offences while drunk"}],
        "plan": [{"action": "Refer to alcohol treatment", "owner": "PO2", "due_on": "2023-02-28"}],
        "summary": "Reassessment.",
    }
    assert sufficiency(content, norfolk()) == []
    assert contradictions(content, norfolk()) == []
    assert problems(content, norfolk()) == []


def test_household_case_reports_exactly_what_is_missing_in_the_issue_s_words() -> None:
    content = {"rosh": "medium", "rosh_rationale": "x", "sara_partner": "medium", "sara_others": "low",
               "people": {"P2": {"judgement": "high"}}}
    found = texts(sufficiency(content, household()))
    assert "X1, ex-partner and victim of the 2015 offence, is not considered" in found
    assert "K1, partner's child aged 5, lives with them, is not considered" in found
    assert "Police information returned on 12 March 2024 is not used" in found
    assert ("One domestic police incident is not analysed (Domestic police call-out (10 February 2024): "
            "strangulation, threats to kill, children present; victim P2)") in found


def test_two_previous_domestic_offences_are_counted_in_words() -> None:
    events = [*NORFOLK_EVENTS[:1],
              {"on": "2023-01-09", "type": "previous_offence", "offence_on": "2020-01-01",
               "description": "Harassment of a former partner", "victim_relationship": "ex_partner",
               "violent": False, "domestic": True}, *NORFOLK_EVENTS[1:]]
    ctx = Context(facts=facts_of(events), on=NORFOLK_DAY, by="PO2")
    found = {f.code: f for f in sufficiency({"summary": "Drink."}, ctx)}
    assert found["history"].text.startswith("Two previous domestic offences are not analysed (")
    assert found["history"].rule8  # nothing in the analysis speaks of them: rule 8 agrees


def test_every_rule8_gap_is_reported_by_the_form() -> None:
    """The form and the engine agree: whatever rule 8 finds missing, the form reports and marks as rule 8's."""
    for ctx, content in ((norfolk(), NORFOLK_THIN), (household(), {"rosh": "low"}), (household(), {})):
        engine = rule8_gaps(content, ctx)
        form = sufficiency(content, ctx)
        assert engine
        for gap in engine:
            if gap.kind == "person":
                assert any(f.code == f"person:{gap.subject}" and f.rule8 for f in form)
            elif gap.kind == "check":
                assert any(f.code == f"check:{gap.events[0]}" and f.rule8 for f in form)
            elif gap.kind == "history":
                assert any(f.code == "history" and f.rule8 for f in form)
            else:
                assert any(f.code == f"level:{gap.subject}" and f.rule8 for f in form)


def test_the_event_the_form_records_gets_the_same_answer_from_the_policy_engine() -> None:
    ctx = household()
    content = {"rosh": "high", "rosh_rationale": "x", "sara_partner": "high", "sara_others": "medium",
               "people": {"P2": {"judgement": "high"}, "X1": {"judgement": "medium"}, "K1": {"judgement": "high"}},
               "sources": ["check:10"], "history": {"seq:5": "Strangled P2 in front of K1."}}
    event = event_for(content, ctx)
    assert event["victims_considered"] == ["K1", "P2", "X1"] and event["sources"] == ["police"]
    data = {k: v for k, v in event.items() if k not in {"on", "type"}}
    assert missing_from_assessment(ctx.facts, Event(seq=99, on=ctx.on, type="assessed", data=data)) == []
    assert not [f for f in sufficiency(content, ctx) if f.rule8]


def test_rosh_low_with_strangulation_threats_to_kill_and_high_sara_is_contradicted() -> None:
    content = {"rosh": "low", "sara_partner": "high", "sara_others": "low", "people": {"P2": {"judgement": "low"}}}
    found = {f.code: f.text for f in contradictions(content, household())}
    assert found["contradiction:rosh-low-serious-harm"].startswith(
        "RoSH is low, but the record holds strangulation and threats to kill: strangulation and threats to kill "
        "(Domestic police call-out (10 February 2024)")
    assert found["contradiction:sara-high-rosh-low"] == "SARA is high for partners, but RoSH is low"
    assert found["contradiction:household-children"] == (
        "Children live in the household (K1, partner's child aged 5, lives with them), but no child is considered")


def test_rosh_low_with_a_weapon_in_an_old_offence_description_is_contradicted() -> None:
    content = {"rosh": "low", "sara_partner": "low", "sara_others": "low"}
    [finding] = [f for f in contradictions(content, norfolk()) if f.code == "contradiction:rosh-low-serious-harm"]
    assert "a weapon (Previous offence (30 August 2019): Affray: threatened neighbours with an axe" in finding.text


def test_considering_a_child_in_the_household_clears_that_contradiction() -> None:
    content = {"rosh": "high", "sara_partner": "high", "sara_others": "high", "people": {"K1": {"judgement": "high"}}}
    assert "contradiction:household-children" not in {f.code for f in contradictions(content, household())}


def test_dash_at_the_marac_threshold_without_a_referral_is_contradicted_until_planned() -> None:
    content: dict[str, Any] = {"rosh": "high", "sara_partner": "high", "sara_others": "low", "dash_yes": 14,
                               "people": {"K1": {"judgement": "high"}}}
    assert "contradiction:dash-marac" in {f.code for f in contradictions(content, household())}
    assert "contradiction:dash-marac" not in {f.code for f in contradictions({**content, "dash_yes": 13},
                                                                             household())}
    planned = {**content, "plan": [{"action": "Refer to MARAC today", "owner": "PS1", "due_on": "2024-03-16"}]}
    assert "contradiction:dash-marac" not in {f.code for f in contradictions(planned, household())}


def test_submission_problems_levels_rationale_dash_plan_and_unexplained_contradictions() -> None:
    ctx = household()
    assert problems({}, ctx)[:3] == ["Choose the RoSH level", "Choose the SARA level for partners",
                                     "Choose the SARA level for others"]
    content: dict[str, Any] = {"rosh": "low", "sara_partner": "low", "sara_others": "low", "dash_yes": 30,
                               "dash_items": [1, 2], "people": {"K1": {"judgement": "low"}},
                               "plan": [{"action": "Home visit", "due_on": ""},
                                        {"action": "Call", "due_on": "2024-01-01"}]}
    found = problems(content, ctx)
    assert "Give the reason for the RoSH level: it changes from not set to low" in found
    assert "The DASH yes count must be a whole number from 0 to 24" in found
    assert "The DASH yes count (30) does not match the 2 item numbers given" in found
    assert "Plan action 1 needs a due date" in found and "Plan action 2 is due before the assessment date" in found
    assert any(p.startswith("Explain why you hold to this assessment: RoSH is low, but the record holds")
               for p in found)
    explained = copy.deepcopy(content)
    explained.update(dash_yes=2, rosh_rationale="Reasons.", plan=[],
                     explanations={"contradiction:rosh-low-serious-harm": "Police withdrew the allegation.",
                                   "contradiction:sara-high-rosh-low": "n/a"})
    assert problems(explained, ctx) == []


def test_rosh_rationale_is_not_required_when_the_level_is_unchanged() -> None:
    ctx = Context(facts=facts_of(HOUSEHOLD_EVENTS), on=HOUSEHOLD_DAY, by="PS1", rosh_in_force="high")
    content = {"rosh": "high", "sara_partner": "high", "sara_others": "low", "people": {"K1": {"judgement": "high"}}}
    assert problems(content, ctx) == []
    assert problems({**content, "rosh": "very_high"}, ctx) == [
        "Give the reason for the RoSH level: it changes from high to very high"]


def test_rule_9_read_directly_for_the_assessor() -> None:
    from safeguard.assessments.checks import countersignature_needed
    from safeguard.policy.facts import StaffMember

    pso = StaffMember("PS1", "PSO")
    po = StaffMember("PO1", "PO", date(2012, 7, 1), True)
    newly = StaffMember("PO2", "PO", date(2023, 9, 1), True)
    ctx = household()  # a child lives in the household
    assert countersignature_needed(ctx, pso, "low", 12)
    assert countersignature_needed(ctx, newly, "low", 12)
    assert not countersignature_needed(ctx, po, "very_high", 12)
    no_children = Context(facts=facts_of(NORFOLK_EVENTS[:2] + NORFOLK_EVENTS[4:]), on=NORFOLK_DAY)
    assert not countersignature_needed(no_children, pso, "medium", 12)
    assert countersignature_needed(no_children, pso, "high", 12)
