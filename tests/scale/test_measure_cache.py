"""The dashboards' measures (issue 11): the obligation measures counted together in one query give each measure's
own numbers, and the daily cache of the country's and regions' figures (safeguard.ops.measure_cache)."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))

from web_scenarios import countersign_case, make_org, outsider_case, overdue_police_check_case, settled_case  # noqa: E402

from safeguard.cases.models import Case  # noqa: E402
from safeguard.insights.measures import MEASURES, compute_all, count_all  # noqa: E402
from safeguard.insights.scope import ALL_TIME, COUNTRY, Period, Scope  # noqa: E402
from safeguard.ops import measure_cache  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases() -> list[Case]:
    make_org()
    return [overdue_police_check_case(), settled_case(), countersign_case()]


def test_counting_together_gives_each_measures_own_numbers(cases: list[Case]) -> None:
    day = date.today()
    unit = Scope(unit=cases[0].unit_id, label="unit")
    for scope, period in ((COUNTRY, ALL_TIME), (unit, Period(start=day - timedelta(days=30), end=day))):
        one_by_one = {m.id: m.counter.count(scope, period, day) for m in MEASURES}
        assert count_all(scope, period, day) == one_by_one
    assert any(r.denominator for r in count_all(COUNTRY, ALL_TIME, day).values())


def test_the_sweep_keeps_the_countrys_figures_for_the_day(cases: list[Case]) -> None:
    day = date.today()
    unit = Scope(unit=cases[0].unit_id, label="unit")
    assert measure_cache.cached(COUNTRY, ALL_TIME, day) is None  # nothing until the sweep has run
    assert measure_cache.fill(day) >= 1
    morning = compute_all(COUNTRY, ALL_TIME, day)
    assert morning == count_all(COUNTRY, ALL_TIME, day)
    # A new case (with an overdue police check): the country's figures stay the morning's, the unit's change.
    unit_before = compute_all(unit, ALL_TIME, day)
    outsider_case()
    assert compute_all(COUNTRY, ALL_TIME, day) == morning
    assert compute_all(unit, ALL_TIME, day) == count_all(unit, ALL_TIME, day) != unit_before
    assert count_all(COUNTRY, ALL_TIME, day) != morning
    # Another day, or another period, is counted live; refilling refreshes the day.
    assert measure_cache.cached(COUNTRY, ALL_TIME, day + timedelta(days=1)) is None
    assert measure_cache.cached(COUNTRY, Period(start=day - timedelta(days=7), end=day), day) is None
    measure_cache.fill(day)
    assert compute_all(COUNTRY, ALL_TIME, day) == count_all(COUNTRY, ALL_TIME, day)
