"""Charts drawn on the server with matplotlib (Agg, no pyplot state) as inline SVG, each with its data table.

Every chart is a `Chart`: the SVG (with role="img", a <title> and a <desc> that says what the chart shows in
words), a caption, and the table of the numbers it draws, so the numbers are there for screen readers, for
copying and for anyone who cannot read a chart. Text in the SVG stays text (svg.fonttype "none").
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import matplotlib
from django.core.cache import cache

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

# GOV.UK Frontend colours: blue for the measure, black for the national figure, grey for the grid.
BLUE = "#1d70b8"
BLACK = "#0b0c0c"
GREY = "#b1b4b6"
MID_GREY = "#505a5f"
CONCERN_COLOURS = {"immediate": "#d4351c", "serious": "#f47738", "watch": "#ffdd00", "none": "#00703c"}
# Charts are laid out with matplotlib's own DejaVu Sans (always there, and wider than the fonts a browser picks,
# so labels still fit); the SVG then asks the browser for the service's sans-serif fonts.
FONT = ["DejaVu Sans"]
SVG_FONTS = "arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    svg: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    caption: str = ""


def percent(value: float | None, places: int = 0) -> str:
    if value is None:
        return "no cases"
    return f"{value * 100:.{places}f}%"


def _svg(fig: Figure, chart_id: str, title: str, desc: str) -> str:
    """The figure as an inline <svg> element: sized by its container, named by its <title> and <desc>."""
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": chart_id}):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = out.getvalue()
    text = text[text.index("<svg"):]  # no XML declaration or DOCTYPE inside HTML
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    # matplotlib's ids (clip paths, glyphs) must be unique on a page that holds several charts.
    ids = set(re.findall(r'id="([^"]+)"', text))
    for old in sorted(ids, key=len, reverse=True):
        text = text.replace(f'id="{old}"', f'id="{chart_id}-{old}"').replace(f"url(#{old})", f"url(#{chart_id}-{old})")
        text = text.replace(f'xlink:href="#{old}"', f'xlink:href="#{chart_id}-{old}"')
    text = text.replace("'DejaVu Sans'", SVG_FONTS)
    # matplotlib's one inline style rule would need a CSP nonce: the same rule is in app.scss (svg.app-chart).
    text = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>\s*", "", text, flags=re.S)
    text = re.sub(r"<style[^>]*>.*?</style>\s*", "", text, flags=re.S)
    opening = re.match(r"<svg[^>]*>", text)
    assert opening is not None
    view_box = re.search(r'viewBox="([^"]+)"', opening.group(0))
    attrs = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
             f'viewBox="{view_box.group(1) if view_box else ""}" width="100%" role="img" class="app-chart" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" data-chart="{chart_id}">'
             f'<title id="{chart_id}-title">{html.escape(title)}</title>'
             f'<desc id="{chart_id}-desc">{html.escape(desc)}</desc>')
    return attrs + text[opening.end():]


# Bump when a change to this module changes what the charts look like: drawn charts are kept for a day.
DRAWING = 1


def _kept(draw: Callable[..., Chart]) -> Callable[..., Chart]:
    """Keep a chart drawn from the same arguments for a day, in Django's cache (shared by the web processes).
    Drawing is most of a dashboard's time (about 0.1 s a chart at any scale), and a country's or a region's
    numbers, and so its charts, change once a day (safeguard.ops.measure_cache)."""

    @functools.wraps(draw)
    def kept(*args: Any, **kwargs: Any) -> Chart:
        called = repr((draw.__name__, args, sorted(kwargs.items())))
        key = f"chart:v{DRAWING}:{hashlib.sha256(called.encode()).hexdigest()}"
        found = cache.get(key)
        if isinstance(found, Chart):
            return found
        chart = draw(*args, **kwargs)
        cache.set(key, chart, 24 * 3600)
        return chart

    return kept


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=72)
    fig.set_facecolor("white")
    return fig


def _style(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=BLACK, labelsize=11)
    ax.grid(axis="x", color=GREY, linewidth=0.6)
    ax.set_axisbelow(True)


def _wrap(text: str, width: int = 34) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


@_kept
def measures_chart(rows: list[dict[str, Any]], *, chart_id: str, scope_label: str, period_words: str) -> Chart:
    """A horizontal bar for each proportion measure, with the national inspection figure marked on its bar."""
    shown = [r for r in rows if r["value_is"] == "proportion" and r["trend"]]
    with matplotlib.rc_context({"font.family": FONT}):
        fig = _figure(6.4, 0.36 * len(shown) + 1.2)
        ax = fig.add_subplot()
        names = [_wrap(r["title"]) for r in shown]
        values = [(r["value"] or 0) * 100 for r in shown]
        positions = list(range(len(shown)))[::-1]
        bars = ax.barh(positions, values, color=BLUE, height=0.6, label=f"{scope_label}")
        for bar, row in zip(bars, shown, strict=True):
            ax.text(min(bar.get_width() + 1.5, 101), bar.get_y() + bar.get_height() / 2,
                    percent(row["value"]) if row["denominator"] else "no cases", va="center", fontsize=10,
                    color=BLACK)
        marked = False
        for pos, row in zip(positions, shown, strict=True):
            if row["reference"]:
                x = row["reference"]["value"] * 100
                ax.plot([x, x], [pos - 0.42, pos + 0.42], color=BLACK, linewidth=2.5,
                        label=None if marked else "Latest national inspection figure")
                marked = True
        ax.set_yticks(positions, names)
        ax.set_xlim(0, 112)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:.0f}%"))
        _style(ax)
        ax.legend(loc="lower center", bbox_to_anchor=(0.4, 1.0), ncol=2, frameon=False, fontsize=10)
    title = f"Inspection measures for {scope_label}, {period_words}"
    described = "; ".join(
        f"{r['title']}: {percent(r['value'])}"
        + (f" (national figure {percent(r['reference']['value'])})" if r["reference"] else "") for r in shown)
    desc = f"Bar chart. {described}."
    chart = Chart(chart_id, title, desc, _svg(fig, chart_id, title, desc), caption="The numbers in the chart")
    chart.headers = ["Measure", "This scope", "National figure"]
    chart.rows = [[r["title"], f"{percent(r['value'], 1)} ({r['numerator']} of {r['denominator']})",
                   f"{percent(r['reference']['value'])} ({r['reference']['year']})" if r["reference"]
                   else "None published"] for r in shown]
    return chart


@_kept
def concern_chart(rows: list[dict[str, Any]], *, chart_id: str, scope_label: str, as_of: date) -> Chart:
    """The caseload on the day by concern level."""
    levels = [r for r in rows if r["id"].startswith("concern-")]
    with matplotlib.rc_context({"font.family": FONT}):
        fig = _figure(6.4, 2.4)
        ax = fig.add_subplot()
        names = [r["title"].replace("Cases at concern level ", "").capitalize() for r in levels]
        counts = [r["numerator"] for r in levels]
        positions = list(range(len(levels)))[::-1]
        bars = ax.barh(positions, counts, color=[CONCERN_COLOURS.get(r["id"][8:], BLUE) for r in levels],
                       edgecolor=BLACK, linewidth=0.6, height=0.6)
        top = max(counts + [1])
        for bar, count in zip(bars, counts, strict=True):
            ax.text(bar.get_width() + top * 0.02, bar.get_y() + bar.get_height() / 2, str(count), va="center",
                    fontsize=10, color=BLACK)
        ax.set_yticks(positions, names)
        ax.set_xlim(0, top * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _style(ax)
    day = f"{as_of.day} {as_of:%B %Y}"
    title = f"Cases by concern level for {scope_label} on {day}"
    described = "; ".join(f"{n}: {c} case{'s' if c != 1 else ''}" for n, c in zip(names, counts, strict=True))
    desc = f"Bar chart. {described}."
    chart = Chart(chart_id, title, desc, _svg(fig, chart_id, title, desc), caption="The numbers in the chart")
    total = levels[0]["denominator"] if levels else 0
    chart.headers = ["Concern level", "Cases", "Share of the caseload"]
    chart.rows = [[n, c, percent(c / total if total else None)] for n, c in zip(names, counts, strict=True)]
    return chart


@_kept
def trend_chart(title_of_measure: str, points: list[dict[str, Any]], reference: dict[str, Any] | None, *,
                chart_id: str, scope_label: str) -> Chart:
    """A measure month by month, with the latest national inspection figure as a dashed line."""
    with matplotlib.rc_context({"font.family": FONT}):
        fig = _figure(6.4, 3.2)
        ax = fig.add_subplot()
        months = [p["label"] for p in points]
        xs = list(range(len(points)))
        ys = [p["value"] * 100 if p["value"] is not None else float("nan") for p in points]
        ax.plot(xs, ys, color=BLUE, linewidth=2.5, marker="o", markersize=6, label=scope_label)
        for x, p in zip(xs, points, strict=True):
            if p["value"] is not None:
                ax.annotate(percent(p["value"]), (x, p["value"] * 100), textcoords="offset points", xytext=(0, 8),
                            ha="center", fontsize=9, color=BLACK)
        if reference:
            ax.axhline(reference["value"] * 100, color=BLACK, linestyle="--", linewidth=1.8,
                       label=f"National inspection figure: {percent(reference['value'])} ({reference['year']})")
        ax.set_ylim(0, 110)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: f"{y:.0f}%"))
        step = max(1, len(xs) // 12)
        ax.set_xticks(xs[::step], months[::step], rotation=0 if len(xs) <= 6 else 45,
                      ha="center" if len(xs) <= 6 else "right")
        _style(ax)
        ax.grid(axis="y", color=GREY, linewidth=0.6)
        ax.grid(axis="x", visible=False)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=10)
    title = f"{title_of_measure} for {scope_label}, month by month"
    words = "; ".join(f"{p['label']}: {percent(p['value'])}" for p in points)
    if reference:
        words += f". National inspection figure {percent(reference['value'])} ({reference['year']})"
    desc = f"Line chart. {words}."
    chart = Chart(chart_id, title, desc, _svg(fig, chart_id, title, desc), caption="The numbers in the chart")
    chart.headers = ["Month", "Met", "Counted", "Value"]
    chart.rows = [[p["label"], p["numerator"], p["denominator"], percent(p["value"], 1)] for p in points]
    return chart
