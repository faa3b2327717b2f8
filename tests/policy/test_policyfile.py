"""Policy files: every setting overridable by a region from an effective date, versions recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from safeguard.policy.engine import catalogue, evaluate
from safeguard.policy.facts import CaseFacts, make_events
from safeguard.policy.policyfile import PolicyError, load_default_policy, load_policy

REGIONAL = """
[policy]
name = "North region"

[[changes]]
version = "north-2021.1"
effective_from = "2021-06-07"
[changes.rules.police-check-at-start]
deadline_working_days = 2
"""


def sentenced_on(day: date) -> CaseFacts:
    return CaseFacts(ref="X1", events=make_events([
        (day, "person_added", {"ref": "V1", "relationship": "partner", "victim": True}),
        (day, "sentenced", {"order": "community_order", "offence": {"victims": ["V1"], "domestic": True}}),
    ]))


def police_check(facts: CaseFacts, day: date, policy_text: str | None, tmp_path: Path):  # type: ignore[no-untyped-def]
    policy = load_default_policy()
    if policy_text is not None:
        path = tmp_path / "region.toml"
        path.write_text(policy_text)
        policy = load_policy(path)
    return next(o for o in evaluate(facts, day, policy).obligations if o.rule == "police-check-at-start")


def test_every_rule_has_its_settings_in_the_default_policy() -> None:
    settings = load_default_policy().settings_on(date(2025, 1, 1))["rules"]
    assert {spec.id for spec in catalogue()} == set(settings)
    assert all(settings[spec.id] for spec in catalogue())


def test_a_regional_change_applies_from_its_effective_date_and_is_recorded(tmp_path: Path) -> None:
    before = police_check(sentenced_on(date(2021, 6, 1)), date(2021, 6, 30), REGIONAL, tmp_path)
    assert before.due == date(2021, 6, 8) and before.policy_version == "default-2026.1"
    after = police_check(sentenced_on(date(2021, 6, 8)), date(2021, 6, 30), REGIONAL, tmp_path)
    assert after.due == date(2021, 6, 10) and after.policy_version == "north-2021.1"
    default = police_check(sentenced_on(date(2021, 6, 8)), date(2021, 6, 30), None, tmp_path)
    assert default.due == date(2021, 6, 15)


@pytest.mark.parametrize(("text", "message"), [
    ("[[changes]]\nversion='x'\neffective_from='2021-01-01'\n[changes.rules.home-visit]\ndeadline_days=3\n",
     "unknown setting 'rules.home-visit.deadline_days'"),
    ("[[changes]]\nversion='x'\neffective_from='2021-01-01'\n[changes.rules.home-visit]\n"
     "deadline_working_days='ten'\n", "setting 'rules.home-visit.deadline_working_days' must be int"),
    ("[[changes]]\nversion='x'\n[changes.rules.home-visit]\ndeadline_working_days=3\n",
     "needs 'version' and 'effective_from'"),
    ("[[changes]]\nversion='x'\neffective_from='soon'\n", "effective_from must be a date"),
    ("this is not toml", "not valid TOML"),
])
def test_a_bad_policy_file_is_refused_with_where_and_what(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=message) as caught:
        load_policy(path)
    assert str(path) in str(caught.value)


def test_docs_policy_md_is_generated_from_the_catalogue() -> None:
    from safeguard.policy.catalogue import policy_markdown

    docs = Path(__file__).parents[2] / "docs" / "policy.md"
    assert docs.read_text() == policy_markdown(load_default_policy()), "run `make docs` to regenerate docs/policy.md"
    for spec in catalogue():
        assert f"`{spec.id}`" in docs.read_text()
