"""Caseload weighting and capacity arithmetic, worked by hand."""

from __future__ import annotations

import pytest

from safeguard.workforce.weighting import (
    DEFAULT_WORKLOAD,
    Capacity,
    CaseLoad,
    available_points,
    percent_text,
    tier_of,
    weigh,
    workload_from,
)


@pytest.mark.parametrize(("case", "tier"), [
    (CaseLoad(rosh="very_high"), "A"),
    (CaseLoad(rosh="medium", mappa_level=2), "A"),
    (CaseLoad(rosh="medium", mappa_level=1), "C"),
    (CaseLoad(rosh="high"), "B"),
    (CaseLoad(rosh="medium"), "C"),
    (CaseLoad(rosh="low"), "D"),
    (CaseLoad(), "unassessed"),
])
def test_tier_follows_rosh_and_mappa(case: CaseLoad, tier: str) -> None:
    assert tier_of(case) == tier


def test_points_are_the_tier_plus_each_domestic_abuse_complexity() -> None:
    complex_case = CaseLoad(rosh="high", sara_partner="high", sara_others="low", domestic_abuse=True, children=True,
                            marac=True, controls=True)
    weight = weigh(complex_case)
    # tier B 9 + domestic abuse 2 + SARA high 2 + children 2 + MARAC 1 + controls 1 = 17
    assert weight.points == 17
    assert weight.explanation == ("tier B 9 + domestic abuse 2 + sara high 2 + children 2 + marac 1 + controls 1 "
                                  "= 17 points")
    # The same facts on a case that is not domestic abuse weigh its tier only.
    assert weigh(CaseLoad(rosh="high", sara_partner="high", children=True, marac=True)).points == 9
    # Not yet assessed: weighted as medium (6) + domestic abuse 2.
    assert weigh(CaseLoad(domestic_abuse=True)).points == 8
    assert weigh(CaseLoad(rosh="very_high", domestic_abuse=True, sara_others="high")).points == 12 + 2 + 2


def test_available_points_scale_with_grade_and_contracted_hours() -> None:
    assert available_points("PO", 37) == 200
    assert available_points("PO", 18.5) == 100
    assert available_points("PQiP", 37) == 100
    assert available_points("PSO", 22.2) == pytest.approx(120)
    assert available_points("SPO", 37) == 40
    assert available_points("XX", 37) == 0


def test_capacity_percent_before_and_after() -> None:
    capacity = Capacity(used=150, available=200)
    assert capacity.percent == 75
    assert capacity.percent_after(12) == 81  # 162 / 200
    assert not capacity.over(100, 12)
    assert capacity.over(100, 51)  # 201 / 200
    assert not capacity.over(100, 50)  # exactly 100% is full, not over
    part_time = Capacity(used=45, available=available_points("PO", 18.5))
    assert part_time.percent == 45
    assert percent_text(part_time.percent_after(8)) == "53%"
    nobody = Capacity(used=0, available=0)
    assert nobody.percent is None and nobody.over() and percent_text(None) == "no hours"


def test_settings_override_the_defaults_and_unknown_names_are_errors() -> None:
    load = workload_from({"tier_points": {"B": 10}, "grade_points": {"PSO": 180, "TPO": 150}, "full_time_hours": 36})
    assert load.tier_points == {**DEFAULT_WORKLOAD.tier_points, "B": 10}
    assert weigh(CaseLoad(rosh="high", domestic_abuse=True), load).points == 12
    assert available_points("PSO", 36, load) == 180
    assert available_points("TPO", 18, load) == 75
    assert workload_from(None) is DEFAULT_WORKLOAD
    with pytest.raises(ValueError, match="unknown settings"):
        workload_from({"tiers": {}})
    with pytest.raises(ValueError, match="unknown keys"):
        workload_from({"complexity_points": {"weather": 3}})
