"""Readable differences between versions of an assessment."""

from __future__ import annotations

from safeguard.assessments.diff import diff_contents, word_diff


def test_word_diff_marks_removed_and_added_words() -> None:
    assert word_diff("No concerns about children.", "Concerns about children in the home.") == (
        "[-No concerns-] {+Concerns+} about [-children.-] {+children in the home.+}")


def test_levels_people_plan_and_text_changes_read_as_sentences() -> None:
    old = {"rosh": "medium", "sara_partner": "low", "people": {"EX1": {"judgement": ""}},
           "risk_factors": [{"factor": "Alcohol", "evidence": "Drunk at offence"}],
           "plan": [{"action": "Alcohol referral", "owner": "PO2", "due_on": "2023-02-28"}],
           "summary": "Offence linked to alcohol.", "dash_yes": None}
    new = {"rosh": "high", "rosh_rationale": "Axe threats and violence to a former partner.",
           "sara_partner": "high", "people": {"EX1": {"judgement": "high", "note": "Lives nearby"}},
           "categories": ["physical"],
           "risk_factors": [{"factor": "Alcohol", "evidence": "Drunk at offence"},
                            {"factor": "Weapon use", "evidence": "Axe, 2019"}],
           "plan": [], "summary": "Offence linked to alcohol and to violence.", "dash_yes": 9,
           "sources": ["check:12", "previous_assessments"]}
    lines = diff_contents(old, new, people={"EX1": "EX1, ex-partner"}, sources={"check:12": "Police, 1 March 2023"})
    assert lines == [
        "RoSH level: Medium → High",
        "SARA level for partners: Low → High",
        "RoSH rationale added: Axe threats and violence to a former partner.",
        "DASH yes count: not recorded → 9",
        "EX1, ex-partner: not recorded → High risk to this person",
        "EX1, ex-partner: note added: Lives nearby",
        "Nature of abuse: added Physical abuse",
        "Added risk factor: Weapon use (evidence: Axe, 2019)",
        "Added source: Police, 1 March 2023",
        "Added source: Previous assessments and reviews",
        "Removed plan action: Alcohol referral, by PO2, due 2023-02-28",
        "Summary changed: Offence linked to [-alcohol.-] {+alcohol and to violence.+}",
    ]


def test_identical_versions_have_no_difference_and_a_first_version_lists_everything() -> None:
    content = {"rosh": "low", "summary": "x"}
    assert diff_contents(content, dict(content)) == []
    assert diff_contents(None, content) == ["RoSH level: not recorded → Low", "Summary added: x"]
