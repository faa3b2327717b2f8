"""The measures' quicker counts (issue 11) give the numbers their rows give: each measure counted by `count`
(the obligation measures through one grouped query, the others grouped by their two flags) against the rows
behind it (the drill-down's `rows`) counted one by one, over synthetic cases with every kind of outcome; and
the dashboard's whole set is a fixed number of queries (not one per case), and none once the sweep has cached
the country's figures for the period the dashboard opens on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.cases.models import Case
from safeguard.demo.synth import generate, load
from safeguard.insights.dashboard import overview
from safeguard.insights.measures import MEASURES, Caseload, count_all
from safeguard.insights.scope import ALL_TIME, COUNTRY, Period, Scope
from safeguard.insights_web.choosing import default_start
from safeguard.ops import measure_cache

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 22)
# All 22 measures: the obligation measures in one query, the others one each (caseload per FTE two).
COUNT_ALL_QUERIES = 15


@pytest.fixture
def synthetic() -> list[Case]:
    org, cases = generate(12, seed=11, as_of=AS_OF)
    summary = load(org, cases, AS_OF)
    assert not summary.errors
    return list(Case.objects.all())


def by_rows(counter: object, scope: Scope, period: Period, day: date) -> tuple[int, int]:
    """A measure's numerator and denominator from its rows, counted here one by one."""
    rows = list(counter.rows(scope, period, day).values("counted", "met"))  # type: ignore[attr-defined]
    return sum(1 for r in rows if r["counted"] and r["met"]), sum(1 for r in rows if r["counted"])


def test_each_measure_counts_what_its_rows_show(synthetic: list[Case]) -> None:
    unit = Scope(unit=synthetic[0].unit_id, label="unit")
    half_year = Period(start=AS_OF - timedelta(days=182), end=AS_OF)
    seen = 0
    for scope, period, day in ((COUNTRY, ALL_TIME, AS_OF), (unit, half_year, AS_OF),
                               (COUNTRY, ALL_TIME, AS_OF - timedelta(days=60))):
        for m in MEASURES:
            if isinstance(m.counter, Caseload):  # an average: cases over practitioners, not counted/met rows
                continue
            result = m.counter.count(scope, period, day)
            assert (result.numerator, result.denominator) == by_rows(m.counter, scope, period, day), m.id
            seen += bool(result.denominator)
    assert seen >= 40  # the synthetic cases reach most measures (48 of 57 figures)


def test_the_whole_set_is_a_fixed_number_of_queries(synthetic: list[Case]) -> None:
    with CaptureQueriesContext(connection) as queries:
        count_all(COUNTRY, ALL_TIME, AS_OF)
    assert len(queries) <= COUNT_ALL_QUERIES, "\n".join(q["sql"][:120] for q in queries.captured_queries)


def test_the_dashboard_opens_on_the_sweeps_figures(synthetic: list[Case]) -> None:
    twelve_months = Period(default_start(AS_OF), AS_OF)  # what the dashboard page shows unless asked otherwise
    cache.clear()  # another test's sweep may have cached figures for the day
    live = overview(COUNTRY, twelve_months, AS_OF)
    measure_cache.fill(AS_OF)
    try:
        with CaptureQueriesContext(connection) as queries:
            assert overview(COUNTRY, twelve_months, AS_OF) == live
    finally:
        cache.clear()  # the cache outlives the test's transaction
    assert not [q for q in queries.captured_queries if "oversight_obligation" in q["sql"] or "cases_case" in q["sql"]]
