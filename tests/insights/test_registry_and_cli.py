"""The registry of measures (definitions as data), docs/measures.md generated from it, and `safeguard metrics`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from insights_cases import AS_OF, allocated, build, partner, police_returned, sentenced

from safeguard.cli import main
from safeguard.insights.docs import measures_markdown
from safeguard.insights.measures import MEASURES
from safeguard.policy.engine import catalogue

# The measures issue 8 asks for, by the id each has in the registry.
ASKED_FOR = {
    "domestic abuse identified": "da-identified",
    "police checks made where required": "police-checks",
    "and before sentence": "police-checks-before-sentence",
    "children's-services checks where required": "childrens-checks",
    "assessments sufficient": "assessments-sufficient",
    "home visits done where required": "home-visits",
    "scheduled reviews on time": "scheduled-reviews-on-time",
    "triggered reviews on time": "triggered-reviews-on-time",
    "referred to an intervention where eligible": "intervention-referrals",
    "started within 12 weeks": "interventions-started-12-weeks",
    "completed": "interventions-completed",
    "MARAC referral where criteria met": "marac-referrals",
    "controls verified": "controls-verified",
    "breaches acted on within a working day": "breaches-acted-on",
    "cases at each concern level (immediate)": "concern-immediate",
    "cases at each concern level (serious)": "concern-serious",
    "cases at each concern level (watch)": "concern-watch",
    "cases at each concern level (none)": "concern-none",
    "caseload": "caseload",
    "capacity": "caseload-per-fte",
}


def test_every_measure_asked_for_is_in_the_registry_with_a_written_definition() -> None:
    ids = [m.id for m in MEASURES]
    assert len(ids) == len(set(ids)), "measure ids are unique"
    assert set(ASKED_FOR.values()) <= set(ids)
    for m in MEASURES:
        for text in (m.title, m.counts, m.numerator, m.denominator, m.exclusions, m.period):
            assert text.strip(), f"{m.id}: every part of the definition is written down"
        assert m.value_is in {"proportion", "average"}


def test_measures_name_rules_that_exist_in_the_policy() -> None:
    rules = {spec.id for spec in catalogue()}
    for m in MEASURES:
        assert set(m.rules) <= rules, f"{m.id} names a rule the policy does not have: {set(m.rules) - rules}"


def test_reference_figures_are_proportions_with_a_source() -> None:
    references = {m.id: m.reference for m in MEASURES if m.reference is not None}
    for ref in references.values():
        assert 0 < ref.value < 1 and ref.year and ref.finding and ref.source
    # The figures the inspectorate published, as cited in the policy and the seed reports.
    assert {k: (r.value, r.year) for k, r in references.items() if k in {
        "assessments-sufficient", "home-visits", "scheduled-reviews-on-time", "police-checks", "childrens-checks",
        "intervention-referrals"}} == {
        "assessments-sufficient": (0.28, "2023"), "home-visits": (0.19, "2018"),
        "scheduled-reviews-on-time": (0.32, "2018"), "police-checks": (0.49, "2022-23"),
        "childrens-checks": (0.55, "2022-23"), "intervention-referrals": (0.27, "2018"),
    }


def test_docs_measures_md_is_generated_from_the_registry() -> None:
    docs = Path(__file__).parents[2] / "docs" / "measures.md"
    assert docs.read_text() == measures_markdown(), \
        "run `safeguard metrics --definitions -o docs/measures.md` to regenerate docs/measures.md"
    for m in MEASURES:
        assert f"`{m.id}`" in docs.read_text()


@pytest.mark.django_db
def test_metrics_json_prints_every_measure(org: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    # Two DA cases sentenced on 1 February in North City: N1 (PO1) with its police check back on time, N2 (PO2)
    # without; and S1 in South Town (PSO1), back on time.
    build("N1", [partner("2021-02-01"), sentenced("2021-02-01"), allocated("2021-02-01", "PO1"),
                 police_returned("2021-02-04")])
    build("N2", [partner("2021-02-01"), sentenced("2021-02-01"), allocated("2021-02-01", "PO2")])
    build("S1", [partner("2021-02-01"), sentenced("2021-02-01"), allocated("2021-02-01", "PSO1"),
                 police_returned("2021-02-04")], pdu="South Town")
    assert main(["metrics", "--json", "--as-of", AS_OF.isoformat()]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == [m.id for m in MEASURES]
    for numbers in printed.values():
        assert set(numbers) == {"numerator", "denominator", "value"}
    # Country: N1 and S1 met of 3
    assert printed["police-checks"] == {"numerator": 2, "denominator": 3, "value": 0.6667}

    assert main(["metrics", "--pdu", "North City", "--from", "2021-02-01", "--to", "2021-02-28",
                 "--as-of", AS_OF.isoformat(), "--json"]) == 0
    # North City in February: N1 met of N1, N2
    assert json.loads(capsys.readouterr().out)["police-checks"] == {"numerator": 1, "denominator": 2, "value": 0.5}
    assert main(["metrics", "--team", "Team C", "--as-of", AS_OF.isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["police-checks"] == {"numerator": 1, "denominator": 1, "value": 1.0}
    assert main(["metrics", "--practitioner", "PO2", "--as-of", AS_OF.isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["police-checks"] == {"numerator": 0, "denominator": 1, "value": 0.0}
    assert main(["metrics", "--region", "South", "--as-of", AS_OF.isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["caseload"] == {"numerator": 1, "denominator": 1, "value": 1.0}


@pytest.mark.django_db
def test_metrics_table_and_errors(org: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    build("N2", [partner("2021-02-01"), sentenced("2021-02-01"), allocated("2021-02-01", "PO2")])
    assert main(["metrics", "--pdu", "North City", "--as-of", AS_OF.isoformat()]) == 0
    table = capsys.readouterr().out
    assert "North City" in table and "Police checks made where required" in table and "49% (2022-23)" in table
    assert main(["metrics", "--pdu", "Nowhere"]) == 2
    assert "no probation delivery unit called 'Nowhere'" in capsys.readouterr().err
    assert main(["metrics", "--from", "2021-03-01", "--to", "2021-02-01"]) == 2
    assert "starts" in capsys.readouterr().err
    assert main(["metrics", "--as-of", "31/03/2021"]) == 2
    assert "--as-of: expected a date" in capsys.readouterr().err


def test_metrics_definitions_writes_the_docs(tmp_path: Path) -> None:
    target = tmp_path / "measures.md"
    assert main(["metrics", "--definitions", "-o", str(target)]) == 0
    assert target.read_text() == measures_markdown()
