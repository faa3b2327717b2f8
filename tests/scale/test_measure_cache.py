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


def test_the_sweep_keeps_the_countrys_and_regions_trends_for_the_day(cases: list[Case]) -> None:
    from django.core.cache import cache

    from safeguard.insights.dashboard import NoTrend, count_trend, trend
    from safeguard.insights.scope import default_start

    day, measure = date.today(), "police-checks"
    start = default_start(day)
    region = Scope(region=cases[0].unit.region_id, label="region")
    unit = Scope(unit=cases[0].unit_id, label="unit")
    cache.clear()  # another test's sweep may have cached figures for the day; the cache outlives a test
    try:
        assert measure_cache.cached_trend(measure, COUNTRY, start, day, day) is None  # nothing until the sweep
        measure_cache.fill(day)
        morning = {scope: trend(measure, start, day, scope=scope, as_of=day) for scope in (COUNTRY, region)}
        assert all(morning[s] == count_trend(measure, start, day, scope=s, as_of=day) for s in morning)
        # The dashboard asks from the first of each month: the same months, the same cached trend.
        assert measure_cache.cached_trend(measure, COUNTRY, start, day.replace(day=1), day) == morning[COUNTRY]
        # A new overdue police check: the country's and region's trends stay the morning's; a unit's is live.
        outsider_case()
        for scope in (COUNTRY, region):
            assert trend(measure, start, day, scope=scope, as_of=day) == morning[scope]
            assert count_trend(measure, start, day, scope=scope, as_of=day) != morning[scope]
        assert measure_cache.cached_trend(measure, unit, start, day, day) is None
        assert trend(measure, start, day, scope=unit, as_of=day) == count_trend(measure, start, day, scope=unit,
                                                                                as_of=day)
        # Other months, or another day, are counted live; a snapshot measure still has no trend.
        assert measure_cache.cached_trend(measure, COUNTRY, start - timedelta(days=1), day, day) is None
        assert measure_cache.cached_trend(measure, COUNTRY, start, day, day + timedelta(days=1)) is None
        snapshot = next(m.id for m in MEASURES if m.counter.snapshot)
        with pytest.raises(NoTrend):
            trend(snapshot, start, day, scope=COUNTRY, as_of=day)
        # Refilling refreshes the day.
        measure_cache.fill(day)
        assert trend(measure, start, day, scope=COUNTRY, as_of=day) == count_trend(measure, start, day,
                                                                                  scope=COUNTRY, as_of=day)
    finally:
        cache.clear()
