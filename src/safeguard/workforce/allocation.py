"""Allocation recommendation: practitioners ranked by fit for the case, then by capacity after taking it.

Pure Python, consistent with policy rules 9 and 10 (safeguard.policy.rules.oversight) and read from the
same settings:

- a domestic abuse case with RoSH high or very high held by a grade in `unfit_grades` (PSO) or by someone
  not trained in domestic abuse raises rule 10 (`allocation_review`): such a practitioner is `unfit` and
  always ranks below everyone who is not, so is recommended only when nobody else is there at all;
- a domestic abuse case with RoSH high or very high, or with children involved, given to someone
  inexperienced (PSO or PQiP, not trained in domestic abuse, or qualified under `qualified_months`)
  raises rule 9 (`countersignature`): such a practitioner `needs_countersignature` and ranks below those
  who `fit`;
- within each group, those who stay within capacity after taking the case come first, then the lowest
  capacity after the allocation.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from safeguard.policy.calendar import long_date
from safeguard.policy.facts import HIGH_ROSH, StaffMember
from safeguard.workforce.weighting import Capacity, percent_text

FIT = "fit"
NEEDS_COUNTERSIGNATURE = "needs_countersignature"
UNFIT = "unfit"
FIT_ORDER = {FIT: 0, NEEDS_COUNTERSIGNATURE: 1, UNFIT: 2}
FIT_LABELS = {FIT: "Fits", NEEDS_COUNTERSIGNATURE: "Fits with an SPO countersignature",
              UNFIT: "Does not fit (rule 10)"}
GRADE_NAMES = {"PO": "probation officer", "PQiP": "PQiP (probation officer in training)",
               "PSO": "probation services officer", "SPO": "senior probation officer"}


@dataclass(frozen=True)
class Candidate:
    ref: str
    name: str
    grade: str
    qualified_on: date | None
    da_trained: bool
    capacity: Capacity


@dataclass(frozen=True)
class CaseNeed:
    ref: str
    points: int
    domestic_abuse: bool
    rosh: str | None
    children: bool

    @property
    def high_risk_da(self) -> bool:
        return self.domestic_abuse and self.rosh in HIGH_ROSH


@dataclass(frozen=True)
class Option:
    candidate: Candidate
    fit: str
    reasons: tuple[str, ...]
    capacity_now: float | None
    capacity_after: float | None
    over_after: bool
    rank: int = 0

    @property
    def fit_label(self) -> str:
        return FIT_LABELS[self.fit]

    @property
    def capacity_text(self) -> str:
        return f"{percent_text(self.capacity_now)} now, {percent_text(self.capacity_after)} after"


def _years(qualified_on: date, day: date) -> int:
    return day.year - qualified_on.year - ((day.month, day.day) < (qualified_on.month, qualified_on.day))


def _who(c: Candidate, day: date) -> str:
    words = [GRADE_NAMES.get(c.grade, c.grade)]
    words.append("trained in domestic abuse" if c.da_trained else "not trained in domestic abuse")
    if c.qualified_on is not None:
        years = _years(c.qualified_on, day)
        words.append(f"qualified {long_date(c.qualified_on)} ({years} year{'s' if years != 1 else ''})")
    elif c.grade not in {"PSO", "PQiP"}:
        words.append("qualification date not recorded")
    return ", ".join(words)


def assess(need: CaseNeed, c: Candidate, day: date, *, unfit_grades: Collection[str] = ("PSO",),
           qualified_months: int = 12, over_percent: float = 100.0) -> Option:
    """How well one practitioner fits the case, and their capacity before and after taking it, with reasons."""
    member = StaffMember(c.ref, c.grade, c.qualified_on, c.da_trained)
    reasons = [_who(c, day)]
    risky = need.domestic_abuse and (need.high_risk_da or need.children)
    what = "RoSH " + str(need.rosh).replace("_", " ") if need.high_risk_da else "children involved"
    fit = FIT
    if need.high_risk_da and (c.grade in unfit_grades or not c.da_trained):
        fit = UNFIT
        lacks = f"a {c.grade}" if c.grade in unfit_grades else "someone not trained in domestic abuse"
        reasons.append(f"Rule 10: a domestic abuse case with {what} should not be held by {lacks}; if nobody else "
                       "can take it, record a manager decision with reasons")
    elif risky and member.is_inexperienced_on(day, qualified_months):
        fit = NEEDS_COUNTERSIGNATURE
        if c.grade in {"PSO", "PQiP"}:
            why = f"a {c.grade}"
        elif not c.da_trained:
            why = "not trained in domestic abuse"
        elif c.qualified_on is None:
            why = "qualification date not recorded"
        else:
            why = f"qualified under {qualified_months} months"
        reasons.append(f"Rule 9: {why}, so an SPO must countersign their work on a domestic abuse case with {what}")
    elif need.high_risk_da:
        reasons.append(f"Qualified, experienced and trained in domestic abuse: fits a case with {what}")
    elif risky:
        reasons.append(f"Experienced enough for a domestic abuse case with {what} without countersigning")
    else:
        reasons.append("Any grade may hold this case")
    now = c.capacity.percent
    after = c.capacity.percent_after(need.points)
    over = c.capacity.over(over_percent, need.points)
    reasons.append(f"Capacity {percent_text(now)} now, {percent_text(after)} after this case (+{need.points} points; "
                   f"{c.capacity.used + need.points} of {c.capacity.available:g} available)"
                   + (": over capacity" if over else ""))
    return Option(c, fit, tuple(reasons), now, after, over)


def rank(need: CaseNeed, candidates: Iterable[Candidate], day: date, *, unfit_grades: Collection[str] = ("PSO",),
         qualified_months: int = 12, over_percent: float = 100.0) -> list[Option]:
    """Every candidate assessed and ranked: fit first, then within capacity, then the lowest capacity after."""
    options = [assess(need, c, day, unfit_grades=unfit_grades, qualified_months=qualified_months,
                      over_percent=over_percent) for c in candidates]

    def key(o: Option) -> tuple[int, bool, float, str]:
        after = o.capacity_after if o.capacity_after is not None else float("inf")
        return (FIT_ORDER[o.fit], o.over_after, after, o.candidate.ref)

    ordered = sorted(options, key=key)
    return [Option(o.candidate, o.fit, o.reasons, o.capacity_now, o.capacity_after, o.over_after, n)
            for n, o in enumerate(ordered, start=1)]


def advice(options: list[Option]) -> str:
    """One sentence on the recommendation as a whole."""
    if not options:
        return "Nobody in the team can be considered: ask the head of unit about another team."
    best = options[0]
    name = best.candidate.name or best.candidate.ref
    if best.fit == UNFIT:
        return (f"Nobody who fits this case is available. If it goes to {name}, policy rule 10 will ask for a "
                "transfer or a manager decision with reasons.")
    tail = " (over capacity: consider rebalancing the team's cases)" if best.over_after else ""
    if best.fit == NEEDS_COUNTERSIGNATURE:
        return f"Recommended: {name}, with an SPO countersigning their work (rule 9){tail}."
    return f"Recommended: {name}{tail}."
