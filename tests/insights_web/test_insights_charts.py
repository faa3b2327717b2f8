"""The dashboard and measure pages draw SVG charts on the server, each named (title, desc) and with a data table
beside it holding the same numbers the measures compute; trends carry the national figure as a reference line."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from insights_pages import People, tables

from safeguard.insights.dashboard import trend
from safeguard.insights.measures import MEASURES, compute_all, measure, today
from safeguard.insights.scope import Period, Scope, default_start
from safeguard.insights_web.charts import percent

pytestmark = pytest.mark.django_db


def team_a(people: People) -> Scope:
    return Scope(team=people.org.team.pk, label=str(people.org.team))


def svgs(page: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(r'<svg [^>]*data-chart="([^"]+)".*?</svg>', page, re.S)}


def test_the_dashboard_charts_are_named_svg_with_their_numbers_in_a_table(mo: Client, people: People) -> None:
    page = mo.get("/insights/").content.decode()
    charts = svgs(page)
    assert set(charts) >= {"chart-measures", "chart-concern", "chart-trend-police-checks",
                           "chart-trend-assessments-sufficient"}
    for chart_id, svg in charts.items():
        opening = svg[:svg.index(">") + 1]
        assert 'role="img"' in opening and f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in opening
        assert f'<title id="{chart_id}-title">' in svg and f'<desc id="{chart_id}-desc">' in svg
        assert "<?xml" not in svg and "<!DOCTYPE" not in svg
        assert f'{chart_id}-table' in page  # its data table is beside it
    # Every id on the page is unique, though the page holds six charts.
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_the_measures_chart_table_holds_the_computed_numbers(mo: Client, people: People) -> None:
    day = today()
    expected = compute_all(team_a(people), Period(default_start(day), day), day)
    found = tables(mo.get("/insights/").content.decode())
    rows = {r[0]: r for r in found["chart-measures-table"][1:]}
    drawn = [m for m in MEASURES if m.value_is == "proportion" and not m.counter.snapshot]
    assert list(rows) == [m.title for m in drawn]
    for m in drawn:
        result = expected[m.id]
        assert rows[m.title][1] == f"{percent(result.value, 1)} ({result.numerator} of {result.denominator})"
        assert rows[m.title][2] == (f"{percent(m.reference.value)} ({m.reference.year})" if m.reference
                                    else "None published")
    # Team A: Daniel's and the formula case's checks are overdue; Liam's and Ryan's came back.
    assert (expected["police-checks"].numerator, expected["police-checks"].denominator) == (2, 4)
    assert rows["Police checks made where required"][1] == "50.0% (2 of 4)"


def test_the_every_measure_table_matches_every_measure(mo: Client, people: People) -> None:
    day = today()
    expected = compute_all(team_a(people), Period(default_start(day), day), day)
    page = mo.get("/insights/").content.decode()
    for m in MEASURES:
        row = re.search(rf'<tr class="govuk-table__row" data-measure="{m.id}">(.*?)</tr>', page, re.S)
        assert row is not None, m.id
        cells = re.findall(r'data-part="(\w+)">(?:<a [^>]*>)?([^<]*)', row.group(1))
        shown = dict(cells)
        assert int(shown["numerator"]) == expected[m.id].numerator
        assert float(shown["denominator"]) == float(expected[m.id].denominator)


def test_the_concern_chart_counts_todays_caseload(mo: Client, people: People) -> None:
    day = today()
    expected = compute_all(team_a(people), Period(default_start(day), day), day)
    rows = tables(mo.get("/insights/").content.decode())["chart-concern-table"][1:]
    assert [(r[0], int(r[1])) for r in rows] == [
        (level.capitalize(), expected[f"concern-{level}"].numerator)
        for level in ("immediate", "serious", "watch", "none")]


def test_a_trend_is_drawn_month_by_month_with_the_national_reference_line(mo: Client, people: People) -> None:
    day = today()
    page = mo.get("/insights/measure/?measure=police-checks").content.decode()
    months = trend("police-checks", default_start(day), day, scope=team_a(people), as_of=day)
    rows = tables(page)["chart-trend-police-checks-table"][1:]
    assert len(rows) == 12
    assert [(r[1], r[2], r[3]) for r in rows] == [(str(p.result.numerator), str(p.result.denominator),
                                                  percent(p.result.value, 1)) for p in months]
    svg = svgs(page)["chart-trend-police-checks"]
    reference = measure("police-checks").reference
    assert reference is not None
    assert f"National inspection figure: {percent(reference.value)} ({reference.year})" in svg  # the legend
    assert "stroke-dasharray" in svg  # the dashed reference line
    assert f"{percent(reference.value)} ({reference.year})" in page


def test_a_measure_without_a_national_figure_has_no_reference_line(mo: Client, people: People) -> None:
    page = mo.get("/insights/measure/?measure=marac-referrals").content.decode()
    assert "National inspection figure" not in svgs(page)["chart-trend-marac-referrals"]
    assert "None published" in page


def test_a_snapshot_measure_says_it_has_no_history(mo: Client, people: People) -> None:
    page = mo.get("/insights/measure/?measure=caseload").content.decode()
    assert "no monthly history" in page and not svgs(page)


def test_the_period_chosen_is_the_period_counted(mo: Client, people: People) -> None:
    start, end = default_start(today()), today()
    response = mo.get(f"/insights/?from={start.isoformat()}&to={end.isoformat()}")
    assert response.status_code == 200
    everything = mo.get("/insights/?from=&to=")
    assert everything.context["sel"].period == Period(None, None)
    assert "all time" in everything.content.decode()


@pytest.fixture
def mo(clients: dict[str, Client]) -> Client:
    return clients["mo"]


def test_a_chart_drawn_from_the_same_numbers_is_kept_and_different_numbers_are_drawn(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache
    from matplotlib.figure import Figure

    from safeguard.insights_web import charts

    drawn: list[str] = []
    save = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda fig, *a, **k: drawn.append("svg") or save(fig, *a, **k))
    points = [{"label": "Oct 2026", "numerator": 3, "denominator": 4, "value": 0.75},
              {"label": "Nov 2026", "numerator": 1, "denominator": 4, "value": 0.25}]
    cache.clear()
    try:
        first = charts.trend_chart("Police checks", points, None, chart_id="chart-t", scope_label="Team A")
        again = charts.trend_chart("Police checks", points, None, chart_id="chart-t", scope_label="Team A")
        assert len(drawn) == 1 and again == first and "75%" in first.desc
        changed = [*points[:1], {**points[1], "numerator": 2, "value": 0.5}]
        other = charts.trend_chart("Police checks", changed, None, chart_id="chart-t", scope_label="Team A")
        assert len(drawn) == 2 and other.svg != first.svg and "50%" in other.desc
        charts.trend_chart("Police checks", points, None, chart_id="chart-t", scope_label="Team B")
        assert len(drawn) == 3  # another scope's chart names it: drawn for it
    finally:
        cache.clear()


def test_after_the_daily_job_a_regions_dashboard_draws_nothing(clients: dict[str, Client],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache
    from matplotlib.figure import Figure

    from safeguard.ops.measure_cache import fill

    drawn: list[str] = []
    save = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda fig, *a, **k: drawn.append("svg") or save(fig, *a, **k))
    cache.clear()
    try:
        fill(today())
        before = len(drawn)
        assert before >= 6  # the country's and the region's six charts, drawn by the job
        page = clients["quinn"].get("/insights/")  # quality assurance: their region's dashboard
        assert page.status_code == 200 and len(svgs(page.content.decode())) == 6
        assert len(drawn) == before
    finally:
        cache.clear()
