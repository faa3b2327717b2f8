"""A per-day cache of the dashboard measures for the widest scopes (issue 11, ADR 0005 decision 5).

The country's and each region's measures for all time are aggregations over every case: they grow with the
service (about a second at 5,000 cases, tens of seconds at 250,000). They change only when obligations do, and a
national or regional dashboard is a daily view, so the daily sweep computes them once after it has brought every
case up to date (`fill`), and `insights.measures.compute_all` answers from the cache for the rest of that day.

What is cached, and for how long:
- only the country and regions, only all time (the default period), keyed by the day: narrower scopes (a unit, a
  team, a practitioner) and other periods are always counted live, so a practitioner's or a manager's own
  figures show a change at once;
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
    from safeguard.insights.measures import Result
    from safeguard.insights.scope import Period, Scope

TIMEOUT = 2 * 24 * 3600


def _key(scope: Scope, day: date) -> str | None:
    """The cache key for a scope's all-time measures on `day`, or None when the scope is not cached."""
    if scope.unit is not None or scope.team is not None or scope.practitioner is not None:
        return None
    return f"measures:v1:{'region-' + str(scope.region) if scope.region is not None else 'country'}:{day.isoformat()}"


def cached(scope: Scope, period: Period, day: date) -> dict[str, Result] | None:
    """The sweep's figures for this scope and day, when it is a cached one and the sweep has run today."""
    from safeguard.insights.scope import ALL_TIME

    key = _key(scope, day)
    if key is None or period != ALL_TIME:
        return None
    found = cache.get(key)
    return found if isinstance(found, dict) else None


def fill(day: date) -> int:
    """Count the country's and every region's measures for `day` and keep them for the day. Returns how many
    scopes were stored. Called by the daily sweep after it finishes."""
    from safeguard.insights.measures import count_all
    from safeguard.insights.scope import ALL_TIME, COUNTRY, Scope
    from safeguard.ops.routers import reporting
    from safeguard.workforce.models import Region

    scopes = [COUNTRY, *(Scope(region=pk, label=name) for pk, name in Region.objects.values_list("pk", "name"))]
    stored = 0
    with reporting():
        for scope in scopes:
            key = _key(scope, day)
            assert key is not None
            cache.set(key, count_all(scope, ALL_TIME, day), TIMEOUT)
            stored += 1
    return stored
