"""Which scope and period an insights page shows: read from the query string, checked against the levels of the
organisation the user may open (safeguard.accounts.access.insight_scopes), defaulting to the user's own
(safeguard.insights.scope.default_scope) over the last 12 months."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from safeguard.accounts.access import insight_scopes
from safeguard.insights.dashboard import month_starts
from safeguard.insights.measures import today
from safeguard.insights.scope import Period, Scope, ScopeError, default_scope, default_start

LEVELS = (("region", "Region"), ("unit", "Probation delivery unit"), ("team", "Team"),
          ("practitioner", "Practitioner"))
MAX_TREND_MONTHS = 36


@dataclass(frozen=True)
class ScopeChoice:
    value: str  # "<level>-<id>", as in the query string
    label: str
    level: str


@dataclass
class Selection:
    """What a page counts over, and what its chooser shows."""

    scope: Scope
    scope_value: str
    period: Period
    as_of: date
    start_text: str = ""
    end_text: str = ""
    options: list[tuple[str, list[ScopeChoice]]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def query(self, **extra: str) -> str:
        """The query string that reproduces this selection (for links, drill-downs and exports)."""
        return urlencode({"scope": self.scope_value, "from": self.start_text, "to": self.end_text, **extra})

    @property
    def period_words(self) -> str:
        start, end = self.period.start, self.period.end
        if start is None and end is None:
            return "all time"
        if start is None:
            return f"up to {_long(end)}"
        if end is None:
            return f"from {_long(start)}"
        return f"{_long(start)} to {_long(end)}"

    def trend_months(self) -> list[date]:
        """The months a trend is drawn over: the period's, or the last 12 when it is open; at most 36."""
        end = min(self.period.end or self.as_of, self.as_of)
        start = self.period.start or default_start(self.as_of)
        if start > end:
            start = end
        return month_starts(start, end)[-MAX_TREND_MONTHS:]

    def as_dict(self) -> dict[str, Any]:
        return {"scope": self.scope.label, **self.period.as_dict(), "as_of": self.as_of.isoformat()}


def _long(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _staff_label(staff: Any) -> str:
    return f"{staff.name or staff.code} ({staff.code})"


def scope_options(user: Any) -> list[tuple[str, list[ScopeChoice]]]:
    """The chooser's options, grouped by level, broadest first."""
    allowed = insight_scopes(user)
    groups: list[tuple[str, list[ScopeChoice]]] = []
    for level, title in LEVELS:
        rows = allowed[level]
        if level == "unit":
            rows = rows.select_related("region")
        elif level == "team":
            rows = rows.select_related("unit")
        elif level == "practitioner":
            rows = rows.filter(active=True)
        choices = [ScopeChoice(f"{level}-{row.pk}", _staff_label(row) if level == "practitioner" else str(row), level)
                   for row in rows.order_by("name", "pk")]
        if choices:
            groups.append((title, choices))
    return groups


def scope_from_value(user: Any, value: str) -> Scope | None:
    """The scope `value` ("team-5") names, when the user may open it."""
    level, _, raw = value.partition("-")
    if level not in dict(LEVELS) or not raw.isdigit():
        return None
    row = insight_scopes(user)[level].filter(pk=int(raw)).first()
    return None if row is None else scope_of(level, row)


def scope_of(level: str, row: Any) -> Scope:
    """The scope of a region, unit, team or practitioner row, labelled as the pages (and their charts) name it."""
    return Scope(**{level: row.pk}, label=_staff_label(row) if level == "practitioner" else str(row))


def _value_of(scope: Scope) -> str:
    shown = scope.as_dict()
    return f"{shown['level']}-{shown['id']}"


def _date(params: Any, name: str, errors: list[tuple[str, str]], label: str) -> tuple[date | None, bool]:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None, True
    try:
        return date.fromisoformat(raw), True
    except ValueError:
        errors.append((f"#period-{name}", f"{label} must be a real date, like 2025-04-01"))
        return None, False


def choose(request: HttpRequest, *, as_of: date | None = None) -> Selection:
    """The scope and period the request asks for. PermissionDenied when the user may open no measures, or asks
    for a level of the organisation that is not theirs."""
    user = request.user
    options = scope_options(user)
    if not options:
        raise PermissionDenied("Inspection measures are for practitioners, senior probation officers, heads of unit "
                               "and quality assurance")
    params = request.GET
    day = as_of or today()
    wanted = params.get("scope", "")
    if wanted:
        scope = scope_from_value(user, wanted)
        if scope is None:
            raise PermissionDenied("You cannot see measures for that part of the organisation")
    else:
        own = default_scope(user)
        scope = own if own is not None and scope_from_value(user, _value_of(own)) is not None else None
        if scope is None:
            scope = scope_from_value(user, options[0][1][0].value)
    assert scope is not None
    errors: list[tuple[str, str]] = []
    start: date | None
    end: date | None
    if "from" not in params and "to" not in params:
        start, end = default_start(day), day
    else:
        start, start_ok = _date(params, "from", errors, "The start of the period")
        end, end_ok = _date(params, "to", errors, "The end of the period")
        if not (start_ok and end_ok):
            start, end = default_start(day), day
    try:
        period = Period(start, end)
    except ScopeError:
        errors.append(("#period-from", "The start of the period must be on or before its end"))
        start, end = default_start(day), day
        period = Period(start, end)
    return Selection(scope=scope, scope_value=_value_of(scope), period=period, as_of=day,
                     start_text=start.isoformat() if start else "", end_text=end.isoformat() if end else "",
                     options=options, errors=errors)
