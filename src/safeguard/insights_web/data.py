"""What the insights pages and their exports show, assembled from safeguard.insights (no counting here).

The same functions feed the page, the CSV, the XLSX and the PDF, so an export always holds the numbers on
the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from safeguard.cases.models import Case
from safeguard.insights.dashboard import PARTS, Part, cases_behind, overview, rows_behind, trend
from safeguard.insights.measures import Measure, measure
from safeguard.insights_web import charts
from safeguard.insights_web.choosing import Selection, scope_of
from safeguard.oversight.models import Obligation
from safeguard.practice.models import Referral

# The trends a dashboard opens with: the measures inspectors have published a national figure for most often.
HEADLINE_TRENDS = ("police-checks", "childrens-checks", "assessments-sufficient", "home-visits")
PART_WORDS = {
    "numerator": "met (the numerator)",
    "denominator": "counted (the denominator)",
    "not_met": "counted but not met",
    "left_out": "left out (excluded, or too early to judge)",
}


def _label(day: date) -> str:
    return f"{day:%b %Y}"


def trend_points(measure_id: str, sel: Selection) -> list[dict[str, Any]]:
    months = sel.trend_months()
    points = trend(measure_id, months[0], months[-1], scope=sel.scope, as_of=sel.as_of)
    return [{"month": p.month, "label": _label(p.month), **p.result.as_dict()} for p in points]


def trend_chart(m: Measure, sel: Selection, chart_id: str) -> charts.Chart:
    reference = m.reference.as_dict() if m.reference else None
    return charts.trend_chart(m.title, trend_points(m.id, sel), reference, chart_id=chart_id,
                              scope_label=sel.scope.label)


def trend_table(m: Measure, sel: Selection) -> charts.Chart:
    """A trend's data table without drawing it (for spreadsheets)."""
    points = trend_points(m.id, sel)
    return charts.Chart(f"table-{m.id}", f"{m.title} for {sel.scope.label}, month by month", "", "",
                        headers=["Month", "Met", "Counted", "Value"],
                        rows=[[p["label"], p["numerator"], p["denominator"], charts.percent(p["value"], 1)]
                              for p in points])


def dashboard(sel: Selection, *, trends: tuple[str, ...] = HEADLINE_TRENDS, draw: bool = True) -> dict[str, Any]:
    """The dashboard's numbers, and (unless `draw` is false, for spreadsheets) its charts."""
    rows = overview(sel.scope, sel.period, sel.as_of)
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for row in rows:
        row["not_met"] = row["denominator"] - row["numerator"] if row["value_is"] == "proportion" else None
        if not groups or groups[-1][0] != row["group"]:
            groups.append((row["group"], []))
        groups[-1][1].append(row)
    if not draw:
        return {"rows": rows, "groups": groups,
                "trend_charts": [(measure(mid), trend_table(measure(mid), sel)) for mid in trends]}
    return {
        "rows": rows,
        "groups": groups,
        "measures_chart": charts.measures_chart(rows, chart_id="chart-measures", scope_label=sel.scope.label,
                                                period_words=sel.period_words),
        "concern_chart": charts.concern_chart(rows, chart_id="chart-concern", scope_label=sel.scope.label,
                                              as_of=sel.as_of),
        "trend_charts": [(measure(mid), trend_chart(measure(mid), sel, f"chart-trend-{mid}")) for mid in trends],
    }


def draw_the_days_dashboards(day: date) -> int:
    """Draw the country's and every region's dashboard for `day` as their pages first ask for them (the twelve
    months to `day`), so that the charts are kept (charts._kept) before anyone opens them: the daily job's last
    step, after their figures are cached. Returns how many dashboards were drawn."""
    from safeguard.insights.scope import COUNTRY, default_period
    from safeguard.workforce.models import Region

    scopes = [COUNTRY, *(scope_of("region", row) for row in Region.objects.order_by("pk"))]
    for scope in scopes:
        dashboard(Selection(scope=scope, scope_value="", period=default_period(day), as_of=day))
    return len(scopes)


def measure_page(m: Measure, sel: Selection, *, draw: bool = True) -> dict[str, Any]:
    result = m.count(sel.scope, sel.period, sel.as_of)
    counts = {"numerator": result.numerator, "denominator": result.denominator, "value": result.value,
              "not_met": result.denominator - result.numerator if m.value_is == "proportion" else None}
    return {
        "measure": m,
        "result": counts,
        "reference": m.reference.as_dict() if m.reference else None,
        "trend_chart": None if m.counter.snapshot or not draw else trend_chart(m, sel, f"chart-trend-{m.id}"),
    }


# -- the cases behind a number ------------------------------------------------------------------------------
@dataclass
class CaseRow:
    case: Case
    counted: list[str]  # what the measure counted on this case, in words


def _day(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _describe(row: Any) -> str:
    from safeguard.web import labels

    if isinstance(row, Obligation):
        state = {"done": f"done on {_day(row.closed_on)}", "waived": f"waived on {_day(row.closed_on)}",
                 "withdrawn": "withdrawn"}.get(row.status, row.status)
        return f"{labels.obligation_label(row.kind)}: opened {_day(row.opened)}, due {_day(row.due)}, {state}"
    if isinstance(row, Referral):
        words = f"{labels.value_label(row.programme)}: referred {_day(row.referred_on)}"
        for name, verb in (("started_on", "started"), ("completed_on", "completed"), ("left_on", "left"),
                           ("cancelled_on", "cancelled")):
            if getattr(row, name, None):
                words += f", {verb} {_day(getattr(row, name))}"
        return words
    return ""


PAGE_LIMIT = 500  # cases listed on a page; the exports hold them all


def cases_behind_number(m: Measure, part: Part, sel: Selection, user: Any, *, limit: int | None = None
                        ) -> dict[str, Any]:
    """The cases behind one part of a measure, as far as the user may see them (Case.objects.visible_to), in
    case-reference order; the first `limit` of them when given."""
    if part not in PARTS:
        raise KeyError(part)
    behind = cases_behind(m.id, part, scope=sel.scope, period=sel.period, as_of=sel.as_of)
    visible: QuerySet[Case] = Case.objects.visible_to(user).filter(pk__in=behind.values("pk")).select_related(
        "practitioner", "unit").order_by("ref")
    seen = visible.count()
    cases = list(visible[:limit] if limit is not None else visible)
    rows = rows_behind(m.id, part, scope=sel.scope, period=sel.period, as_of=sel.as_of)
    counted: dict[int, list[str]] = {}
    if rows.model is not Case:
        case_field = m.counter.case_field
        for row in rows.filter(**{f"{case_field}__in": [c.pk for c in cases]}).order_by("pk"):
            counted.setdefault(getattr(row, case_field), []).append(_describe(row))
    return {
        "measure": m,
        "part": part,
        "part_words": PART_WORDS[part],
        "total": behind.count(),
        "seen": seen,
        "cases": [CaseRow(c, counted.get(c.pk, [])) for c in cases],
    }
