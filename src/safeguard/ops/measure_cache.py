"""A per-day cache of the dashboard measures for the widest scopes (issue 11, ADR 0005 decision 5).

The country's and each region's measures for all time are aggregations over every case: they grow with the
service (about a second at 5,000 cases, tens of seconds at 250,000). They change only when obligations do, and a
national or regional dashboard is a daily view, so the daily sweep computes them once after it has brought every
case up to date (`fill`), and `insights.measures.compute_all` answers from the cache for the rest of that day.

What is cached, and for how long:
- only the country and regions, and only for all time (the command line's default period) and the dashboard's
  default period (the twelve months to the day, safeguard.insights.scope.default_start), keyed by the
  scope, the period and the day: narrower scopes (a unit, a team, a practitioner) and other periods are
  always counted live, so a practitioner's or a manager's own figures show a change at once;
- the same scopes' trends (each measure month by month, as the dashboard and measure pages draw them) over
  those twelve months only: a country's trends, counted live, took 9 s at 250,000 cases (the slowest 4.5 s), so
  the dashboard, which draws four, took 3 s with its table cached; then their dashboards are drawn, so their
  charts are kept (safeguard.insights_web.charts) before the day's first visitor;
- an entry serves its day only (and expires after two days): tomorrow's dashboards wait for tomorrow's sweep, or
  are counted live until it runs;
- `fill` overwrites, so running the sweep again (after a policy change or a bulk import) refreshes the day.
Stored in Django's cache (the database cache table by default, so every web process sees the same figures).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.cache import cache

if TYPE_CHECKING:
    from safeguard.insights.dashboard import Point
    from safeguard.insights.measures import Result
    from safeguard.insights.scope import Period, Scope

TIMEOUT = 2 * 24 * 3600


def periods(day: date) -> list[Period]:
    """The periods kept for `day`: all time, and the twelve months the dashboard opens on."""
    from safeguard.insights.scope import ALL_TIME, default_period

    return [ALL_TIME, default_period(day)]


def _where(scope: Scope) -> str | None:
    """The scope's name in a cache key, or None for the narrower scopes, which are never cached."""
    if scope.unit is not None or scope.team is not None or scope.practitioner is not None:
        return None
    return f"region-{scope.region}" if scope.region is not None else "country"


def _key(scope: Scope, period: Period, day: date) -> str | None:
    """The cache key for a scope's measures over `period` on `day`, or None when they are not cached."""
    where = _where(scope)
    if where is None or period not in periods(day):
        return None
    return f"measures:v2:{where}:{period.start or ''}:{period.end or ''}:{day.isoformat()}"


def _trend_key(measure_id: str, scope: Scope, start: date, end: date, day: date) -> str | None:
    """The cache key for a measure's trend from `start`'s month to `end`'s, read on `day`, or None when it is not
    cached: only the country's and regions', over the twelve months to `day` (the dashboard's default period)."""
    from safeguard.insights.scope import default_start

    where = _where(scope)
    if where is None or start.replace(day=1) != default_start(day) or end.replace(day=1) != day.replace(day=1) \
            or end > day:
        return None
    return f"trend:v1:{measure_id}:{where}:{day.isoformat()}"


def cached(scope: Scope, period: Period, day: date) -> dict[str, Result] | None:
    """The sweep's figures for this scope, period and day, when they are cached ones and the sweep has run today."""
    key = _key(scope, period, day)
    if key is None:
        return None
    found = cache.get(key)
    return found if isinstance(found, dict) else None


def cached_trend(measure_id: str, scope: Scope, start: date, end: date, day: date) -> list[Point] | None:
    """The sweep's trend of this measure for this scope, when the months and day are cached ones and the sweep
    has run today."""
    key = _trend_key(measure_id, scope, start, end, day)
    if key is None:
        return None
    found = cache.get(key)
    return found if isinstance(found, list) else None


def fill(day: date) -> int:
    """Count the country's and every region's measures for `day`, over each cached period, and their trends over
    the twelve months to `day`, keep them for the day, and draw their dashboards' charts. Returns how many figure
    sets and trends were stored. Called by the daily sweep after it finishes."""
    from safeguard.insights.dashboard import count_trend
    from safeguard.insights.measures import MEASURES, count_all
    from safeguard.insights.scope import COUNTRY, Scope, default_start
    from safeguard.insights_web.data import draw_the_days_dashboards
    from safeguard.ops.routers import reporting
    from safeguard.workforce.models import Region

    scopes = [COUNTRY, *(Scope(region=pk, label=name) for pk, name in Region.objects.values_list("pk", "name"))]
    stored = 0
    with reporting():
        for scope in scopes:
            for period in periods(day):
                key = _key(scope, period, day)
                assert key is not None
                cache.set(key, count_all(scope, period, day), TIMEOUT)
                stored += 1
            for m in MEASURES:
                if m.counter.snapshot:  # no trend: today's concern and allocation only
                    continue
                trend_key = _trend_key(m.id, scope, default_start(day), day, day)
                assert trend_key is not None
                cache.set(trend_key, count_trend(m.id, default_start(day), day, scope=scope, as_of=day), TIMEOUT)
                stored += 1
    draw_the_days_dashboards(day)  # their charts, drawn once here rather than by the day's first visitor
    return stored
