"""Caseload weighting and capacity: pure arithmetic over a few facts per case, with the numbers as settings.

A case's points are its tier's points plus the points of each domestic-abuse complexity that applies to
it. The tier is read from RoSH (and MAPPA level 2 or 3, which puts a case in the top tier), as the
national tiering service's letter is: A very high (or MAPPA managed), B high, C medium, D low. A case
not yet assessed is weighted as the setting `unassessed` says (by default as medium: the work of
assessing it is real).

A practitioner's available points are their grade's full-time points scaled by contracted hours; their
capacity is the points they hold as a percentage of the points available.

Every number can be changed in Django settings (`SAFEGUARD_WORKLOAD`, a dict with any of the fields of
`Workload`; a dict field is merged key by key). No Django imports here: safeguard.workforce.capacity
reads the settings and the records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

TIER_MEANINGS = {"A": "RoSH very high, or managed at MAPPA level 2 or 3", "B": "RoSH high", "C": "RoSH medium",
                 "D": "RoSH low", "unassessed": "RoSH not yet assessed"}
COMPLEXITY_MEANINGS = {
    "domestic_abuse": "a domestic abuse case",
    "sara_high": "SARA high (risk to partners or to others)",
    "children": "a child under 18 on the case, or a pregnancy",
    "marac": "known to MARAC",
    "controls": "an external control in force (restraining order, exclusion, no-contact condition)",
}


@dataclass(frozen=True)
class Workload:
    tier_points: dict[str, int] = field(default_factory=lambda: {"A": 12, "B": 9, "C": 6, "D": 3, "unassessed": 6})
    complexity_points: dict[str, int] = field(default_factory=lambda: {
        "domestic_abuse": 2, "sara_high": 2, "children": 2, "marac": 1, "controls": 1})
    grade_points: dict[str, int] = field(default_factory=lambda: {"PO": 200, "PQiP": 100, "PSO": 200, "SPO": 40})
    full_time_hours: float = 37.0
    over_capacity_percent: float = 100.0

    def tier_meaning(self, tier: str) -> str:
        return TIER_MEANINGS.get(tier, tier)


DEFAULT_WORKLOAD = Workload()


def workload_from(overrides: Mapping[str, Any] | None) -> Workload:
    """The default workload settings with `overrides` applied; an unknown name is an error, not ignored."""
    if not overrides:
        return DEFAULT_WORKLOAD
    known = {f.name for f in fields(Workload)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"SAFEGUARD_WORKLOAD: unknown settings {sorted(unknown)}; known ones are {sorted(known)}")
    changes: dict[str, Any] = {}
    for name, value in overrides.items():
        current = getattr(DEFAULT_WORKLOAD, name)
        if isinstance(current, dict):
            if not isinstance(value, Mapping):
                raise ValueError(f"SAFEGUARD_WORKLOAD[{name!r}] must be a mapping")
            extra = set(value) - set(current)
            if name != "grade_points" and extra:
                raise ValueError(f"SAFEGUARD_WORKLOAD[{name!r}]: unknown keys {sorted(extra)}")
            changes[name] = {**current, **value}
        else:
            changes[name] = float(value)
    return replace(DEFAULT_WORKLOAD, **changes)


@dataclass(frozen=True)
class CaseLoad:
    """What the weighting reads of a case."""

    rosh: str | None = None
    sara_partner: str | None = None
    sara_others: str | None = None
    domestic_abuse: bool = False
    children: bool = False
    marac: bool = False
    controls: bool = False
    mappa_level: int | None = None


def tier_of(case: CaseLoad) -> str:
    if case.rosh == "very_high" or (case.mappa_level or 0) >= 2:
        return "A"
    return {"high": "B", "medium": "C", "low": "D"}.get(case.rosh or "", "unassessed")


@dataclass(frozen=True)
class Weight:
    tier: str
    parts: tuple[tuple[str, int], ...]  # (what, points), the tier first

    @property
    def points(self) -> int:
        return sum(p for _, p in self.parts)

    @property
    def explanation(self) -> str:
        return " + ".join(f"{what} {p}" for what, p in self.parts) + f" = {self.points} points"


def weigh(case: CaseLoad, workload: Workload = DEFAULT_WORKLOAD) -> Weight:
    """The case's points, with the part each fact contributes."""
    tier = tier_of(case)
    parts: list[tuple[str, int]] = [(f"tier {tier}", workload.tier_points[tier])]
    applies = {
        "domestic_abuse": case.domestic_abuse,
        "sara_high": case.domestic_abuse and "high" in (case.sara_partner, case.sara_others),
        "children": case.domestic_abuse and case.children,
        "marac": case.domestic_abuse and case.marac,
        "controls": case.domestic_abuse and case.controls,
    }
    parts += [(name.replace("_", " "), workload.complexity_points[name])
              for name, on in applies.items() if on and workload.complexity_points.get(name)]
    return Weight(tier, tuple(parts))


def available_points(grade: str, contracted_hours: float, workload: Workload = DEFAULT_WORKLOAD) -> float:
    """Points a practitioner of this grade can hold on these contracted hours."""
    return workload.grade_points.get(grade, 0) * float(contracted_hours) / workload.full_time_hours


@dataclass(frozen=True)
class Capacity:
    used: int
    available: float

    @property
    def percent(self) -> float | None:
        """Points held as a percentage of points available (None when nothing is available)."""
        return None if self.available <= 0 else 100.0 * self.used / self.available

    def percent_after(self, extra: int) -> float | None:
        return Capacity(self.used + extra, self.available).percent

    def over(self, limit: float = 100.0, extra: int = 0) -> bool:
        pct = self.percent_after(extra)
        return pct is None or pct > limit


def percent_text(value: float | None) -> str:
    """A percentage for people: whole numbers, halves rounded up (66.5 -> "67%")."""
    if value is None:
        return "no hours"
    return f"{Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"
