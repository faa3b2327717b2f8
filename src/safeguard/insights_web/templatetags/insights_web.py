"""Filters for the insights pages: percentages, and reading the agreement table's cells."""

from __future__ import annotations

from typing import Any

from django import template

from safeguard.insights_web.charts import percent

register = template.Library()


@register.filter
def pct(value: float | None, places: int = 1) -> str:
    return percent(value, places) if value is not None else "–"


@register.filter
def cross(row: Any, key: str) -> int:
    """An agreement row's count of cases where the auditor answered, and Safeguard computed, "auditor:computed"."""
    auditor, _, computed = key.partition(":")
    return int(row.cell(auditor, computed))


@register.filter
def value_of(result: dict[str, Any], value_is: str) -> str:
    if result.get("value") is None:
        return "No cases"
    if value_is == "average":
        return f"{result['value']:.1f}"
    return percent(result["value"], 1)


@register.filter
def verdict_tag(answer: str) -> str:
    return {"yes": "govuk-tag--green", "partly": "govuk-tag--yellow", "no": "govuk-tag--red"}.get(answer,
                                                                                                   "govuk-tag--grey")
