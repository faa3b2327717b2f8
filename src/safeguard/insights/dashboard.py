"""Data for dashboards (pure functions, no pages): a measure month by month, and the cases behind any number.

Pages must still scope what they show to the user: `cases_behind(...)` returns a case queryset, so a view
chains `.visible_to(request.user)` (safeguard.accounts.access) before listing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.db.models.functions import TruncMonth

from safeguard.cases.models import Case, CaseQuerySet
from safeguard.insights.measures import MEASURES, Result, compute_all, measure, tally, today
from safeguard.insights.scope import ALL_TIME, COUNTRY, Period, Scope

Part = Literal["numerator", "denominator", "not_met", "left_out"]
PARTS: dict[str, Q] = {
    "numerator": Q(counted=True, met=True),
    "denominator": Q(counted=True),
    "not_met": Q(counted=True, met=False),
    "left_out": Q(counted=False),  # excluded, or pending (too early to judge)
}


class NoTrend(ValueError):
    """A snapshot measure (concern levels, caseload) has no history to draw a trend from."""


@dataclass(frozen=True)
class Point:
    """One month of a trend: the measure over the work that fell in that month."""

    month: date  # the first day of the month
    result: Result

    def as_dict(self) -> dict[str, Any]:
        return {"month": self.month.isoformat()[:7], **self.result.as_dict()}


def overview(scope: Scope = COUNTRY, period: Period = ALL_TIME, as_of: date | None = None) -> list[dict[str, Any]]:
    """Every measure with its numbers, its national reference and whether it can be drawn as a trend: the
    data behind a dashboard's summary table (compute_all: a fixed number of aggregate queries, or the
    country's and regions' figures the daily sweep cached)."""
    results = compute_all(scope, period, as_of)
    return [{"id": m.id, "title": m.title, "group": m.group, "value_is": m.value_is, **results[m.id].as_dict(),
             "reference": m.reference.as_dict() if m.reference else None, "trend": not m.counter.snapshot}
            for m in MEASURES]


def month_starts(start: date, end: date) -> list[date]:
    """The first day of every month from `start`'s to `end`'s, inclusive."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def trend(measure_id: str, start: date, end: date, *, scope: Scope = COUNTRY, as_of: date | None = None
          ) -> list[Point]:
    """The measure for each month from `start`'s to `end`'s: each month is the period, read as of `as_of`
    (default today), so a month's point is the outcome so far of the work that became required in it. The
    country's and regions' trends over the dashboard's twelve months come from the daily sweep's cache
    (safeguard.ops.measure_cache) once it has run that day; count_trend counts them live."""
    from safeguard.ops.measure_cache import cached_trend

    day = as_of or today()
    found = cached_trend(measure_id, scope, start, end, day)
    return found if found is not None else count_trend(measure_id, start, end, scope=scope, as_of=day)


def count_trend(measure_id: str, start: date, end: date, *, scope: Scope = COUNTRY, as_of: date | None = None
                ) -> list[Point]:
    """trend without the daily cache.

    Measures over obligations and referrals are one query grouped by month (the database truncates the
    row's date to its month); measures over cases supervised in a period are one query per month. Snapshot
    measures raise NoTrend: the stored concern and allocation are today's only.
    """
    m = measure(measure_id)
    counter = m.counter
    day = as_of or today()
    months = month_starts(start, end)
    if counter.snapshot:
        raise NoTrend(f"{measure_id} is a snapshot of the caseload on one day; it has no monthly history")
    if counter.period_field is None:
        return [Point(first, counter.count(scope, Period(first, month_end(first)), day)) for first in months]
    period = Period(months[0], month_end(months[-1]))
    by_month = tally(counter.rows(scope, period, day).annotate(month=TruncMonth(counter.period_field)), "month")
    found = {_as_date(month): result for (month,), result in by_month.items()}
    return [Point(first, found.get(first, Result(0, 0))) for first in months]


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def rows_behind(measure_id: str, part: Part = "numerator", *, scope: Scope = COUNTRY, period: Period = ALL_TIME,
                as_of: date | None = None) -> QuerySet[Any]:
    """The rows a measure counted (obligations, referrals or cases, as the measure counts), limited to one
    part: the numerator, the denominator, those counted but not met, or those left out (excluded or
    pending). Each row carries the measure's `counted` and `met` columns."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    counter = measure(measure_id).counter
    return counter.rows(scope, period, as_of or today()).filter(PARTS[part])


def cases_behind(measure_id: str, part: Part = "numerator", *, scope: Scope = COUNTRY, period: Period = ALL_TIME,
                 as_of: date | None = None) -> CaseQuerySet:
    """The cases behind a number: every case with a row in that part of the measure (a case with two
    obligations in the denominator is listed once)."""
    counter = measure(measure_id).counter
    rows = rows_behind(measure_id, part, scope=scope, period=period, as_of=as_of)
    return Case.objects.filter(pk__in=rows.values(counter.case_field)).order_by("ref")
