"""Caseload points, team capacity and allocation options, read from the records (queries, no writes).

The arithmetic is in safeguard.workforce.weighting and the ranking in safeguard.workforce.allocation;
this module gathers their inputs: per case, the facts the weighting reads; per practitioner, their
grade, hours and the points of the cases they hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from safeguard.cases.models import Case, Control, LinkedPerson
from safeguard.oversight.service import active_policy
from safeguard.policy.calendar import add_months
from safeguard.policy.facts import CHILD_RELATIONSHIPS
from safeguard.practice.models import MappaRecord, Marac
from safeguard.workforce.allocation import Candidate, CaseNeed, Option, rank
from safeguard.workforce.models import Staff, SupervisionSession, Team
from safeguard.workforce.weighting import Capacity, CaseLoad, Weight, Workload, available_points, weigh, workload_from


def workload() -> Workload:
    """The workload settings in force (defaults with SAFEGUARD_WORKLOAD applied)."""
    return workload_from(getattr(settings, "SAFEGUARD_WORKLOAD", None))


def held_cases(staff: Iterable[Staff] | QuerySet[Staff]) -> QuerySet[Case]:
    """The cases these practitioners hold now: under supervision, not archived."""
    return Case.objects.filter(practitioner__in=staff, ended_on=None, archived_at=None)


def with_load_facts(cases: QuerySet[Case], day: date) -> QuerySet[Case]:
    """Annotate what the weighting reads: children, MARAC, controls in force, the latest MAPPA level."""
    adult_from = add_months(day, -18 * 12)
    child = LinkedPerson.objects.filter(case_id=OuterRef("pk")).filter(
        Q(born__gt=adult_from) | Q(born=None, relationship__in=CHILD_RELATIONSHIPS) | ~Q(pregnant_since=None))
    controls = Control.objects.filter(case_id=OuterRef("pk"), imposed_on__lte=day).filter(
        Q(until=None) | Q(until__gte=day))
    mappa = MappaRecord.objects.filter(case_id=OuterRef("pk"), on__lte=day).order_by("-on", "-id").values("level")[:1]
    return cases.annotate(
        load_children=Exists(child),
        load_marac=Exists(Marac.objects.filter(case_id=OuterRef("pk"), on__lte=day)),
        load_controls=Exists(controls),
        load_mappa=Subquery(mappa),
    )


def load_of(case: Case) -> CaseLoad:
    """The weighting's facts of a case annotated by with_load_facts."""
    return CaseLoad(
        rosh=case.rosh or None, sara_partner=case.sara_partner or None, sara_others=case.sara_others or None,
        domestic_abuse=case.da_since is not None, children=bool(getattr(case, "load_children", False)),
        marac=bool(getattr(case, "load_marac", False)), controls=bool(getattr(case, "load_controls", False)),
        mappa_level=getattr(case, "load_mappa", None),
    )


def case_weight(case: Case, day: date, settings_: Workload | None = None) -> Weight:
    annotated = with_load_facts(Case.objects.filter(pk=case.pk), day).get()
    return weigh(load_of(annotated), settings_ or workload())


@dataclass(frozen=True)
class StaffCapacity:
    staff: Staff
    cases: int
    capacity: Capacity
    high_risk_da: int  # cases that are domestic abuse with RoSH high or very high
    last_supervision: date | None

    @property
    def percent(self) -> float | None:
        return self.capacity.percent


def capacities(staff: Iterable[Staff], day: date, settings_: Workload | None = None) -> list[StaffCapacity]:
    """Each practitioner's points held, points available and capacity percentage (order as given)."""
    load = settings_ or workload()
    members = list(staff)
    used: dict[int, int] = defaultdict(int)
    counts: dict[int, int] = defaultdict(int)
    high: dict[int, int] = defaultdict(int)
    for case in with_load_facts(held_cases(members), day):
        assert case.practitioner_id is not None
        used[case.practitioner_id] += weigh(load_of(case), load).points
        counts[case.practitioner_id] += 1
        if case.da_since is not None and case.rosh in {"high", "very_high"}:
            high[case.practitioner_id] += 1
    last: dict[int, date] = {}
    for practitioner_id, held_on in (SupervisionSession.objects.filter(practitioner__in=members, held_on__lte=day)
                                     .order_by("held_on").values_list("practitioner_id", "held_on")):
        last[practitioner_id] = held_on
    return [StaffCapacity(s, counts[s.pk], Capacity(used[s.pk], available_points(s.grade, float(s.contracted_hours),
                                                                                 load)),
                          high[s.pk], last.get(s.pk)) for s in members]


def team_capacity(team: Team, day: date, settings_: Workload | None = None) -> list[StaffCapacity]:
    staff = Staff.objects.filter(team=team, active=True).order_by("grade", "name", "code")
    return capacities(staff, day, settings_)


def need_of(case: Case, day: date, settings_: Workload | None = None) -> tuple[CaseNeed, Weight]:
    annotated = with_load_facts(Case.objects.filter(pk=case.pk), day).get()
    facts = load_of(annotated)
    weight = weigh(facts, settings_ or workload())
    return CaseNeed(case.ref, weight.points, facts.domestic_abuse, facts.rosh, facts.children), weight


def allocation_options(case: Case, team: Team, day: date, *, include_spo: bool = False,
                       settings_: Workload | None = None) -> tuple[CaseNeed, Weight, list[Option]]:
    """The team's practitioners ranked for this case (its current holder left out), with the case's points.

    Rules 9 and 10's settings (unfit grades, months qualified) come from the policy in force.
    """
    load = settings_ or workload()
    need, weight = need_of(case, day, load)
    staff = Staff.objects.filter(team=team, active=True)
    if not include_spo:
        staff = staff.exclude(grade="SPO")
    if case.practitioner_id is not None:
        staff = staff.exclude(pk=case.practitioner_id)
    candidates = [Candidate(c.staff.code, c.staff.name, c.staff.grade, c.staff.qualified_on, c.staff.da_trained,
                            c.capacity) for c in capacities(staff, day, load)]
    policy = active_policy()
    fit = policy.rule_settings("allocation-fit", day)
    countersign = policy.rule_settings("countersign-inexperienced", day)
    options = rank(need, candidates, day, unfit_grades=fit["unfit_grades"],
                   qualified_months=countersign["qualified_months"], over_percent=load.over_capacity_percent)
    return need, weight, options
