"""Rule 8's test of whether previous abuse was analysed: whole words, not fragments of them."""

from __future__ import annotations

from datetime import date

from safeguard.policy.facts import CaseFacts, make_events
from safeguard.policy.rules.assessment import missing_from_assessment

HISTORY = "previous domestic abuse event is on record and not analysed"


def gaps_for(analysis: str, sources: list[str] | None = None) -> list[str]:
    facts = CaseFacts(ref="X1", events=make_events([
        (date(2020, 1, 1), "previous_offence", {"description": "affray with an axe in front of a child",
                                                "victim_relationship": "partner", "domestic": True}),
        (date(2021, 3, 1), "assessed", {"rosh": "high", "sara_partner": "high", "sara_others": "medium",
                                        "sources": sources or [], "analysis": analysis}),
    ]))
    return [g for g in missing_from_assessment(facts, facts.events[-1]) if HISTORY in g]


def test_a_word_inside_another_word_does_not_count() -> None:
    assert gaps_for("He lives with the children at weekends.") != []
    assert gaps_for("Compassionate about his kids.") != []  # "past" inside "compassionate"


def test_naming_the_offence_or_the_history_counts() -> None:
    assert gaps_for("The 2020 affray, when he threatened her with an axe, shows escalation.") == []
    assert gaps_for("His past behaviour towards partners is analysed below.") == []
    assert gaps_for("", sources=["previous_assessments"]) == []


def test_generic_words_from_the_description_do_not_count() -> None:
    assert gaps_for("He says the child is settled.") != []
