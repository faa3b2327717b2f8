"""A deterministic synthetic probation delivery unit: the same seed and date always give the same data.

`generate` is pure (a random.Random per seed, no Django): an organisation (region, delivery units, teams,
staff) and an iterator of synthetic cases, each a valid timeline document plus display names. `load`
writes them through the actions (record_event with source "synth"), one transaction per case, and then
evaluates each case once as of the chosen date.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from safeguard.demo import names
from safeguard.demo.domestic_abuse import domestic_abuse_story
from safeguard.demo.other_cases import other_story
from safeguard.demo.story import QUALITY_WEIGHTS, Story, Worker
from safeguard.timeline.schema import FORMAT

if TYPE_CHECKING:
    from safeguard.cases.models import Case

DA_SHARE = 0.3
LEAD_CASELOAD = 40
HISTORY_DAYS = 540  # supervision starts spread over the ~18 months before the as-of date
GRADE_WEIGHTS = {"PO": 3, "PQiP": 2, "PSO": 2}
TRAINED = {"SPO": 0.9, "PO": 0.7, "PQiP": 0.4, "PSO": 0.3}


@dataclass(frozen=True)
class StaffSpec:
    ref: str
    name: str
    grade: str
    qualified_on: date | None
    da_trained: bool
    unit: str
    team: str

    def worker(self) -> Worker:
        return Worker(ref=self.ref, grade=self.grade, da_trained=self.da_trained, qualified_on=self.qualified_on)

    def timeline(self) -> dict[str, Any]:
        return {"ref": self.ref, "grade": self.grade, "da_trained": self.da_trained,
                "qualified_on": self.qualified_on.isoformat() if self.qualified_on else None}


@dataclass(frozen=True)
class Organisation:
    region: str
    units: tuple[str, ...]
    teams: tuple[tuple[str, str], ...]  # (unit, team)
    staff: tuple[StaffSpec, ...]
    lead: str  # the PO whose caseload the demo practitioner signs in to
    unit_regions: tuple[tuple[str, str], ...] = ()  # (unit, region) when units are in several regions

    def region_of(self, unit: str) -> str:
        return self._regions.get(unit, self.region)

    # Indexes (a national organisation has thousands of staff); same answers as a scan in staff order.
    @cached_property
    def _regions(self) -> dict[str, str]:
        return dict(self.unit_regions)

    @cached_property
    def _by_ref(self) -> dict[str, StaffSpec]:
        found: dict[str, StaffSpec] = {}
        for s in self.staff:
            found.setdefault(s.ref, s)
        return found

    @cached_property
    def _position(self) -> dict[str, int]:
        return {s.ref: i for i, s in reversed(list(enumerate(self.staff)))}

    @cached_property
    def _teams(self) -> dict[tuple[str, str], list[StaffSpec]]:
        teams: dict[tuple[str, str], list[StaffSpec]] = {}
        for s in self.staff:
            teams.setdefault((s.unit, s.team), []).append(s)
        return teams

    def member(self, ref: str) -> StaffSpec:
        return self._by_ref[ref]

    def team_of(self, member: StaffSpec) -> list[StaffSpec]:
        return list(self._teams.get((member.unit, member.team), []))

    def spo_of(self, member: StaffSpec) -> StaffSpec:
        return next(s for s in self._teams[(member.unit, member.team)] if s.grade == "SPO")

    def staff_in_order(self, refs: set[str]) -> list[StaffSpec]:
        """The members with these refs, in the organisation's order."""
        return [self.staff[i] for i in sorted(self._position[r] for r in refs if r in self._position)]

    def practitioners(self) -> list[StaffSpec]:
        return [s for s in self.staff if s.grade != "SPO"]


@dataclass(frozen=True)
class SyntheticCase:
    timeline: dict[str, Any]  # a valid safeguard-timeline/1 document
    name: str
    people: dict[str, str]  # person ref -> synthetic name
    practitioner: str
    domestic_abuse: bool
    quality: str

    @property
    def ref(self) -> str:
        return str(self.timeline["case"]["ref"])


# -- generating -------------------------------------------------------------------------------------
def build_organisation(rng: random.Random, cases: int, as_of: date) -> Organisation:
    region = rng.choice(names.REGIONS)
    unit_count = 1 if cases <= 200 else 2
    units: list[str] = []
    while len(units) < unit_count:
        candidate = names.place(rng)
        if candidate not in units:
            units.append(candidate)
    team_count = min(6, max(3, round(cases / 60)))
    words = rng.sample(names.TEAM_WORDS, team_count)
    teams = tuple((units[i % unit_count], f"{words[i]} team") for i in range(team_count))
    staff: list[StaffSpec] = []
    used_names: set[str] = set()
    for unit, team in teams:
        prefix = unit[:3].upper()
        grades = ["SPO"] + ["PO"] * rng.randint(2, 3) + ["PQiP"] * rng.randint(1, 2) + ["PSO"] * rng.randint(1, 2)
        for grade in grades:
            number = sum(1 for s in staff if s.grade == grade and s.unit == unit) + 1
            gender = rng.choice(("male", "female"))
            name = names.full_name(rng, gender)
            while name in used_names:
                name = names.full_name(rng, gender)
            used_names.add(name)
            staff.append(StaffSpec(ref=f"{prefix}-{grade}-{number:02d}", name=name, grade=grade,
                                   qualified_on=_qualified(rng, grade, as_of),
                                   da_trained=rng.random() < TRAINED[grade], unit=unit, team=team))
    # The demo practitioner: an experienced, DA-trained PO in the first team.
    lead_index = next(i for i, s in enumerate(staff) if s.grade == "PO")
    lead = staff[lead_index]
    staff[lead_index] = StaffSpec(ref=lead.ref, name=lead.name, grade="PO",
                                  qualified_on=as_of - timedelta(days=rng.randint(4 * 365, 12 * 365)),
                                  da_trained=True, unit=lead.unit, team=lead.team)
    return Organisation(region=f"{region} region", units=tuple(units), teams=teams, staff=tuple(staff),
                        lead=lead.ref)


def _qualified(rng: random.Random, grade: str, as_of: date) -> date | None:
    if grade == "SPO":
        return as_of - timedelta(days=rng.randint(8 * 365, 25 * 365))
    if grade == "PO":  # some newly qualified: under 12 months is "inexperienced" in the policy
        years = rng.choice((0.5, 0.8, 2, 3, 5, 8, 12, 18))
        return as_of - timedelta(days=int(years * 365))
    return None  # PQiP and PSO are not qualified probation officers


def generate(cases: int, seed: int, as_of: date) -> tuple[Organisation, Iterator[SyntheticCase]]:
    """The organisation and (lazily) the cases. Same arguments, same data."""
    rng = random.Random(f"safeguard-synth:{seed}")
    org = build_organisation(rng, cases, as_of)
    refs = _case_refs(rng, cases)
    da = set(rng.sample(range(cases), round(cases * DA_SHARE)))
    holders = _allocate(rng, org, cases, da)
    return org, (_case(org, seed, i, refs[i], i in da, holders[i], as_of) for i in range(cases))


def _case_refs(rng: random.Random, count: int) -> list[str]:
    refs: list[str] = []
    seen: set[str] = set()
    while len(refs) < count:
        ref = f"{rng.choice('DEHKMNRTX')}{rng.randint(100000, 999999)}"
        if ref not in seen:
            seen.add(ref)
            refs.append(ref)
    return refs


def _allocate(rng: random.Random, org: Organisation, cases: int, da: set[int]) -> list[str]:
    """Who holds each case: the demo practitioner a full caseload with several DA cases, the rest by grade."""
    lead_count = min(cases, LEAD_CASELOAD, max(6, round(cases * 0.135)))
    da_list, other = sorted(da), [i for i in range(cases) if i not in da]
    lead_da = rng.sample(da_list, min(len(da_list), max(2, round(lead_count * 0.35)), lead_count))
    lead_other = rng.sample(other, min(len(other), lead_count - len(lead_da)))
    lead_cases = set(lead_da) | set(lead_other)
    others = [s for s in org.practitioners() if s.ref != org.lead]
    weights = [GRADE_WEIGHTS[s.grade] for s in others]
    return [org.lead if i in lead_cases else rng.choices(others, weights)[0].ref for i in range(cases)]


def _case(org: Organisation, seed: int, index: int, ref: str, da: bool, holder_ref: str,
          as_of: date) -> SyntheticCase:
    # Each case has its own generator, so one case's story never shifts another's.
    rng = random.Random(f"safeguard-synth:{seed}:case:{index}")
    holder = org.member(holder_ref)
    gender = "male" if rng.random() < (0.92 if da else 0.82) else "female"
    surname = rng.choice(names.SURNAMES)
    born = as_of - timedelta(days=rng.randint(19 * 365, 60 * 365))
    quality = rng.choices(list(QUALITY_WEIGHTS), list(QUALITY_WEIGHTS.values()))[0]
    team = org.team_of(holder)
    story = Story(rng=rng, as_of=as_of, quality=quality, holder=holder.worker(), spo=org.spo_of(holder).worker(),
                  colleagues=[s.worker() for s in team if s.grade != "SPO"], surname=surname, gender=gender)
    start = as_of - timedelta(days=rng.randint(20, HISTORY_DAYS))
    (domestic_abuse_story if da else other_story)(story, start)
    events = story.timeline_events()
    used = {holder.ref} | {e[k] for e in events for k in ("by", "practitioner") if k in e}
    timeline = {
        "format": FORMAT,
        "case": {"ref": ref, "born": born.isoformat(), "gender": gender, "pdu": holder.unit},
        "staff": [s.timeline() for s in org.staff_in_order(used)],
        "events": events,
        "checkpoints": [as_of.isoformat()],
    }
    return SyntheticCase(timeline=timeline, name=names.full_name(rng, gender, surname), people=dict(story.people),
                         practitioner=holder.ref, domestic_abuse=da, quality=quality)


# -- a national service -----------------------------------------------------------------------------
# The twelve probation regions of England and Wales; delivery units and people are synthetic.
NATIONAL_REGIONS = ("North East", "North West", "Yorkshire and the Humber", "Greater Manchester", "East Midlands",
                    "West Midlands", "East of England", "Kent, Surrey and Sussex", "London", "South West",
                    "South Central", "Wales")
CASES_PER_UNIT = 2500  # about 100 delivery units for 250,000 cases
CASES_PER_TEAM = 240   # an SPO and about six practitioners holding about 40 cases each


def generate_national(cases: int, seed: int, as_of: date) -> tuple[Organisation, Iterator[SyntheticCase]]:
    """A national service: up to twelve regions, about one delivery unit per 2,500 cases (about 100 for
    250,000), teams of an SPO and six or so practitioners, 30% domestic abuse. The case stories are the
    demo's (`_case`); only the organisation and the allocation are national. Same arguments, same data."""
    rng = random.Random(f"safeguard-synth-national:{seed}")
    org = build_national_organisation(rng, cases, as_of)
    refs = _case_refs(rng, cases)
    da = set(rng.sample(range(cases), round(cases * DA_SHARE)))
    practitioners: dict[str, list[StaffSpec]] = {}
    for s in org.practitioners():
        practitioners.setdefault(s.unit, []).append(s)
    weights = {unit: [GRADE_WEIGHTS[s.grade] for s in members] for unit, members in practitioners.items()}
    units = list(org.units)
    holders = []
    for _ in range(cases):
        unit = rng.choice(units)
        holders.append(rng.choices(practitioners[unit], weights[unit])[0].ref)
    return org, (_case(org, seed, i, refs[i], i in da, holders[i], as_of) for i in range(cases))


def build_national_organisation(rng: random.Random, cases: int, as_of: date) -> Organisation:
    unit_count = max(1, math.ceil(cases / CASES_PER_UNIT))
    region_count = min(len(NATIONAL_REGIONS), unit_count)
    units: list[str] = []
    seen: set[str] = set()
    while len(units) < unit_count:
        candidate = names.place(rng)
        if candidate in seen:  # 144 place names: number the rest
            candidate = f"{candidate} {sum(1 for u in units if u.startswith(candidate)) + 1}"
        seen.add(candidate)
        units.append(candidate)
    unit_regions = tuple((unit, NATIONAL_REGIONS[i % region_count]) for i, unit in enumerate(units))
    teams: list[tuple[str, str]] = []
    staff: list[StaffSpec] = []
    numbers: Counter[tuple[str, str]] = Counter()
    per_unit = cases / unit_count
    for u, unit in enumerate(units):
        team_count = max(1, round(per_unit / CASES_PER_TEAM))
        for t in range(team_count):
            team = f"{names.TEAM_WORDS[t % len(names.TEAM_WORDS)]} team" + (f" {t // len(names.TEAM_WORDS) + 1}"
                                                                            if t >= len(names.TEAM_WORDS) else "")
            teams.append((unit, team))
            grades = ["SPO"] + ["PO"] * rng.randint(2, 4) + ["PQiP"] * rng.randint(1, 2) + ["PSO"] * rng.randint(1, 2)
            for grade in grades:
                numbers[(unit, grade)] += 1
                staff.append(StaffSpec(ref=f"U{u + 1:03d}-{grade}-{numbers[(unit, grade)]:03d}",
                                       name=names.full_name(rng, rng.choice(("male", "female"))), grade=grade,
                                       qualified_on=_qualified(rng, grade, as_of),
                                       da_trained=rng.random() < TRAINED[grade], unit=unit, team=team))
    lead = next(s for s in staff if s.grade == "PO")
    return Organisation(region=unit_regions[0][1], units=tuple(units), teams=tuple(teams), staff=tuple(staff),
                        lead=lead.ref, unit_regions=unit_regions)


# -- loading ----------------------------------------------------------------------------------------
@dataclass
class LoadSummary:
    cases: list[str] = field(default_factory=list)
    events: int = 0
    errors: list[str] = field(default_factory=list)
    concern: Counter[str] = field(default_factory=Counter)
    open_obligations: Counter[str] = field(default_factory=Counter)
    overdue: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"cases": len(self.cases), "events": self.events, "errors": self.errors,
                "concern": dict(sorted(self.concern.items())),
                "open_obligations": dict(sorted(self.open_obligations.items())), "overdue": self.overdue}


def load_organisation(org: Organisation) -> None:
    from safeguard.actions import ensure_staff, ensure_team, ensure_unit

    units = {name: ensure_unit(name, org.region_of(name)) for name in org.units}
    teams = {(unit, team): ensure_team(units[unit], team) for unit, team in org.teams}
    for member in org.staff:
        ensure_staff(member.timeline(), team=teams[(member.unit, member.team)], name=member.name)


def load(org: Organisation, cases: Iterator[SyntheticCase], as_of: date,
         on_case: Callable[[], None] | None = None) -> LoadSummary:
    """Write the organisation and every case through the actions. A case that already exists, or (a bug)
    fails validation, is reported in the summary's errors and leaves nothing behind."""
    from safeguard.timeline.validate import TimelineError

    load_organisation(org)
    summary = LoadSummary()
    for synthetic in cases:
        try:
            load_case(synthetic, as_of, summary)
        except (TimelineError, CaseExists) as exc:
            summary.errors.append(str(exc))
        if on_case is not None:
            on_case()
    return summary


class CaseExists(Exception):
    pass


def load_case(synthetic: SyntheticCase, as_of: date, summary: LoadSummary | None = None) -> Case:
    from django.db import transaction

    from safeguard.actions import create_case, ensure_unit, name_people, record_event
    from safeguard.actions.events import refs_for
    from safeguard.cases.models import Case
    from safeguard.oversight.service import evaluate_case

    info = synthetic.timeline["case"]
    if Case.objects.filter(ref=info["ref"], archived_at=None).exists():
        raise CaseExists(f"case {info['ref']} already exists (synthetic data with this seed was loaded before)")
    with transaction.atomic():
        case = create_case(info["ref"], ensure_unit(info["pdu"]), born=date.fromisoformat(info["born"]),
                           gender=info["gender"], name=synthetic.name)
        refs = refs_for(case)
        for event in synthetic.timeline["events"]:
            record_event(case, event, source="synth", evaluate=False, refs=refs, recorded_on=as_of)
        name_people(case, synthetic.people)
        result = evaluate_case(case, as_of=as_of)
    if summary is not None:
        summary.cases.append(case.ref)
        summary.events += len(synthetic.timeline["events"])
        summary.concern[result.concern] += 1
        for obligation in result.open():
            summary.open_obligations[obligation.kind] += 1
            summary.overdue += obligation.status_on(as_of) == "overdue"
    return case
