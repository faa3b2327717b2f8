"""Where and when a measure counts: a scope (the whole country, a region, a delivery unit, a team or one
practitioner) and a period (from and to, both inclusive, either open)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q


class ScopeError(ValueError):
    """A scope that names no region, unit, team or practitioner, or more than one."""


@dataclass(frozen=True)
class Scope:
    """One level of the organisation (at most one field set; none set means the whole country).

    Cases belong to a delivery unit (and so to its region) directly; they belong to a team and a
    practitioner through the practitioner who holds them now.
    """

    region: int | None = None
    unit: int | None = None
    team: int | None = None
    practitioner: int | None = None
    label: str = "England and Wales"

    def __post_init__(self) -> None:
        if sum(v is not None for v in (self.region, self.unit, self.team, self.practitioner)) > 1:
            raise ScopeError("choose one of region, delivery unit, team or practitioner")

    def cases_q(self, prefix: str = "") -> Q:
        """A filter on cases, or on rows that reach the case through `prefix` (for example "case__")."""
        if self.region is not None:
            return Q(**{f"{prefix}unit__region_id": self.region})
        if self.unit is not None:
            return Q(**{f"{prefix}unit_id": self.unit})
        if self.team is not None:
            return Q(**{f"{prefix}practitioner__team_id": self.team})
        if self.practitioner is not None:
            return Q(**{f"{prefix}practitioner_id": self.practitioner})
        return Q()

    def as_dict(self) -> dict[str, Any]:
        for level in ("region", "unit", "team", "practitioner"):
            if getattr(self, level) is not None:
                return {"level": level, "id": getattr(self, level), "label": self.label}
        return {"level": "country", "id": None, "label": self.label}


COUNTRY = Scope()


@dataclass(frozen=True)
class Period:
    """From and to, both inclusive; None leaves that end open."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ScopeError(f"the period starts ({self.start}) after it ends ({self.end})")

    def q(self, field: str) -> Q:
        """Rows whose date `field` falls in the period."""
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{field}__lte": self.end})
        return q

    def as_dict(self) -> dict[str, str | None]:
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None}


ALL_TIME = Period()
DEFAULT_MONTHS = 12


def default_start(as_of: date) -> date:
    """The first day of the month eleven months before `as_of`'s: twelve months including this one."""
    first = as_of.replace(day=1)
    for _ in range(DEFAULT_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def default_period(as_of: date) -> Period:
    """The period a dashboard shows unless asked otherwise: the twelve months to `as_of` (default_start)."""
    return Period(default_start(as_of), as_of)


def resolve_scope(*, region: str | None = None, pdu: str | None = None, team: str | None = None,
                  practitioner: str | None = None) -> Scope:
    """The scope named on the command line: a region or delivery unit by name, a team by name (or
    "Unit/Team" when two units have a team of that name), a practitioner by staff code."""
    from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team

    given = [(k, v) for k, v in (("region", region), ("pdu", pdu), ("team", team), ("practitioner", practitioner))
             if v]
    if len(given) > 1:
        raise ScopeError("choose one of --region, --pdu, --team or --practitioner")
    if not given:
        return COUNTRY
    level, name = given[0]
    if level == "region":
        found = Region.objects.filter(name=name).first()
        if found is None:
            raise ScopeError(f"no region called {name!r}")
        return Scope(region=found.pk, label=found.name)
    if level == "pdu":
        unit = DeliveryUnit.objects.filter(name=name).first()
        if unit is None:
            raise ScopeError(f"no probation delivery unit called {name!r}")
        return Scope(unit=unit.pk, label=unit.name)
    if level == "team":
        unit_name, _, team_name = name.rpartition("/")
        teams = Team.objects.filter(name=team_name).select_related("unit")
        if unit_name:
            teams = teams.filter(unit__name=unit_name)
        found_teams = list(teams[:2])
        if not found_teams:
            raise ScopeError(f"no team called {name!r}")
        if len(found_teams) > 1:
            raise ScopeError(f"more than one unit has a team called {name!r}: give it as 'Unit/Team'")
        return Scope(team=found_teams[0].pk, label=str(found_teams[0]))
    staff = Staff.objects.filter(code=name).first()
    if staff is None:
        raise ScopeError(f"no practitioner with staff code {name!r}")
    return Scope(practitioner=staff.pk, label=f"{staff.name or staff.code} ({staff.code})")


def default_scope(user: Any) -> Scope | None:
    """The scope a signed-in user's measures open on, following their role as safeguard.accounts.access does
    for cases: a practitioner their own cases, an SPO their team, a head of unit their unit, quality
    assurance their region; None for roles that see no cases (partner agencies, administrators). The
    cases behind a number are still listed through `Case.objects.visible_to(user)`."""
    from safeguard.accounts.access import role_of

    role = role_of(user)
    staff = getattr(user, "staff", None) if role else None
    if role == "practitioner" and staff is not None:
        return Scope(practitioner=staff.pk, label=f"{staff.name or staff.code} ({staff.code})")
    if role == "spo" and staff is not None and staff.team_id is not None:
        return Scope(team=staff.team_id, label=str(staff.team))
    unit = user.profile.unit if role in {"head", "qa"} else None
    if role == "head" and unit is not None:
        return Scope(unit=unit.pk, label=unit.name)
    if role == "qa" and unit is not None:
        return Scope(region=unit.region_id, label=unit.region.name)
    return None
