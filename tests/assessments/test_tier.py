"""The tier from the national tiering rules (ministryofjustice/hmpps-tier) for the inputs Safeguard holds.

Test names follow the national service's steps: MAPPA and RoSH, domestic abuse, stalking, child protection,
and the provisional status.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from assessment_cases import HOUSEHOLD_EVENTS, facts_of

from safeguard.assessments.tier import (
    TIER_EVENT_TYPES,
    TierInputs,
    calculate,
    inputs_from_facts,
    mappa_rosh_step,
    tier_of,
)
from safeguard.demo.synth import generate

REPLAY = sorted(Path(__file__).parents[1].joinpath("replay").glob("*.json"))


def inputs(**kw: object) -> TierInputs:
    base: dict[str, object] = {"active": True, "rosh": None, "mappa_category": None, "domestic_abuse_register": False,
                               "child_protection_register": False, "stalking_register": False}
    base.update(kw)
    return TierInputs(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("rosh", "mappa", "tier"), [
    ("very_high", 1, "A"), ("high", 2, "C"), ("medium", 3, "D"), ("low", 1, "E"), (None, 4, "E"),
    ("very_high", None, "C"), ("high", None, "D"), ("medium", None, None), ("low", None, None), (None, None, None),
])
def test_mappa_and_rosh_step(rosh: str | None, mappa: int | None, tier: str | None) -> None:
    assert mappa_rosh_step(rosh, mappa).tier == tier


def test_domestic_abuse_register_gives_e_stalking_and_child_protection_give_f() -> None:
    assert calculate(inputs(domestic_abuse_register=True)).tier == "E"
    assert calculate(inputs(stalking_register=True)).tier == "F"
    assert calculate(inputs(child_protection_register=True)).tier == "F"
    assert calculate(inputs(domestic_abuse_register=True, child_protection_register=True)).tier == "E"
    assert calculate(inputs()).tier == "G"


def test_the_highest_step_wins() -> None:
    result = calculate(inputs(rosh="high", domestic_abuse_register=True, child_protection_register=True))
    assert result.tier == "D"
    assert result.explanation[:4] == ("Not MAPPA, with RoSH high: tier D",
                                      "Domestic abuse register (ADVP or REG30): tier E",
                                      "No stalking register", "Child protection register (RCPR): tier F")


def test_provisional_while_reoffending_predictors_are_unavailable_unless_tier_a() -> None:
    result = calculate(inputs(rosh="high", domestic_abuse_register=True))
    assert result.provisional and result.label == "D (provisional)"
    assert any("reoffending predictors" in line for line in result.explanation)
    top = calculate(inputs(rosh="very_high", mappa_category=2))
    assert (top.tier, top.provisional) == ("A", False)
    assert not calculate(inputs(rosh="high", predictors_available=True)).provisional


def test_provisional_when_rosh_is_missing() -> None:
    result = calculate(inputs(rosh=None, domestic_abuse_register=True, predictors_available=True))
    assert result.provisional and "Provisional: RoSH has not been assessed" in result.explanation


def test_stalking_not_held_is_said_and_makes_a_low_tier_provisional() -> None:
    result = calculate(inputs(stalking_register=None, rosh="medium", predictors_available=True))
    assert result.tier == "G" and result.provisional
    assert result.steps[2].name == "Stalking" and result.steps[2].tier is None
    assert result.explanation[2].startswith("Stalking: could not be assessed.")
    assert "Provisional: a stalking register, not held in Safeguard, would give tier F" in result.explanation


def test_stalking_step_reads_the_case_record_and_says_it_could_not_be_assessed() -> None:
    # The timeline format has no stalking register code and no stalking protection order: whatever the case
    # holds, the step is not assessed, and stalking incidents on record are named so someone checks nDelius.
    events = [*HOUSEHOLD_EVENTS,
              {"on": "2024-03-13", "type": "police_incident", "kind": "callout", "victim": "P2", "domestic": True,
               "features": ["stalking"]},
              {"on": "2024-03-14", "type": "police_incident", "kind": "intelligence", "domestic": True,
               "features": ["stalking", "coercive_control"]},
              {"on": "2024-03-14", "type": "control_imposed", "control": "restraining_order", "protects": ["P2"],
               "until": "2026-03-14"}]
    facts = facts_of(events)
    held = inputs_from_facts(facts, date(2024, 3, 14))
    assert (held.stalking_register, held.stalking_incidents) == (None, 2)
    result = tier_of(facts, date(2024, 3, 14))
    stalking = next(s for s in result.steps if s.name == "Stalking")
    assert stalking.tier is None
    assert stalking.reason == ("Stalking: could not be assessed. The national rules read a stalking register, and "
                               "Safeguard's record has no stalking register code or stalking protection order; "
                               "2 police incidents on record include stalking: check the national "
                               "case-management system for a stalking register")
    assert stalking.reason in result.explanation
    before = next(s for s in tier_of(facts, date(2024, 3, 12)).steps if s.name == "Stalking")
    assert before.reason.endswith("no stalking register code or stalking protection order")


def test_no_current_sentence_has_no_tier() -> None:
    assert calculate(inputs(active=False, rosh="very_high")).tier == "NA"


def test_inputs_from_the_case_record() -> None:
    events = [*HOUSEHOLD_EVENTS,
              {"on": "2024-03-20", "type": "assessed", "by": "PS1", "rosh": "very_high", "sara_partner": "high",
               "sara_others": "high", "victims_considered": ["P2", "K1", "X1"], "sources": ["police"],
               "analysis": "x"},
              {"on": "2024-03-21", "type": "registered", "code": "RCPR"},
              {"on": "2024-03-22", "type": "mappa", "category": 2, "level": 2}]
    facts = facts_of(events)
    before = inputs_from_facts(facts, date(2024, 3, 20))
    assert (before.rosh, before.mappa_category, before.domestic_abuse_register, before.child_protection_register) == (
        "very_high", None, True, False)
    assert tier_of(facts, date(2024, 3, 20)).label == "C (provisional)"
    after = tier_of(facts, date(2024, 3, 22))
    assert (after.tier, after.provisional) == ("A", False)
    ended = facts_of([*events, {"on": "2024-04-01", "type": "supervision_ended", "reason": "completed"}])
    assert tier_of(ended, date(2024, 4, 1)).tier == "NA"


# Every input the tier reads, each changing on its own day, with other events between them.
EVERY_INPUT = [*HOUSEHOLD_EVENTS,
               {"on": "2024-03-14", "type": "police_incident", "kind": "callout", "victim": "P2", "domestic": True,
                "features": ["stalking"]},
               {"on": "2024-03-15", "type": "registered", "code": "RHRH"},
               {"on": "2024-03-16", "type": "contact", "kind": "office", "outcome": "attended", "by": "PO1"},
               {"on": "2024-03-17", "type": "registered", "code": "MAPP"},
               {"on": "2024-03-18", "type": "mappa", "category": 1, "level": 1},
               {"on": "2024-03-20", "type": "reviewed", "by": "PO1", "rosh": "very_high", "reason": "new_partner"},
               {"on": "2024-03-22", "type": "registered", "code": "RCPR"},
               {"on": "2024-03-25", "type": "deregistered", "code": "MAPP"},
               {"on": "2024-03-26", "type": "deregistered", "code": "ADVP"},
               {"on": "2024-03-28", "type": "supervision_ended", "reason": "completed"},
               {"on": "2024-04-02", "type": "note", "text": "Left the area"},
               {"on": "2024-04-05", "type": "released", "licence_months": 6}]


def test_the_tier_reads_only_its_event_types() -> None:
    """The case page builds the tier from the events of TIER_EVENT_TYPES alone: leaving out every other event
    gives the same inputs, on every day an event is dated, of synthetic and replay cases and of one case in which
    every input changes."""
    _, synthetic = generate(300, 7, date(2026, 3, 1))
    documents = [c.timeline["events"] for c in synthetic]
    documents += [json.loads(path.read_text())["events"] for path in REPLAY] + [EVERY_INPUT]
    seen: set[TierInputs] = set()
    for events in documents:
        facts = facts_of(events)
        only = replace(facts, events=tuple(e for e in facts.events if e.type in TIER_EVENT_TYPES))
        days = sorted({e.on for e in facts.events})
        for day in [*days, days[-1] + timedelta(days=1)]:
            expected = inputs_from_facts(facts, day)
            assert inputs_from_facts(only, day) == expected, (events[0], day)
            seen.add(expected)
    assert {i.mappa_category for i in seen} >= {None, 0, 1} and {i.stalking_incidents for i in seen} >= {0, 1}
    assert {i.rosh for i in seen} >= {None, "medium", "high", "very_high"} and {i.active for i in seen} == {True,
                                                                                                           False}
