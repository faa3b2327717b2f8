"""Reading interventions: waiting times, the waiting list, who should have an intervention and has not,
courses with their places, and a case's eligibility. Plain queries over the stored records.

Waiting time, worked the same way everywhere:
- `waited_days`: from the referral to the first start (programme_started), in calendar days;
- `waiting_days`: for those still waiting (statuses marked `waiting` in the lifecycle), from when the
  current wait began to `today`: the referral date, or, for someone whose course was cancelled after
  they had started, the cancellation date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from safeguard.cases.models import Case
from safeguard.interventions import lifecycle
from safeguard.interventions.catalogue import intervention
from safeguard.interventions.eligibility import Eligibility, explain_all
from safeguard.interventions.models import Cohort, Enrolment, ReferralTransition
from safeguard.interventions.service import active_exclusions
from safeguard.oversight.models import OPEN, Obligation
from safeguard.oversight.service import facts_for
from safeguard.policy.rules.interventions import programme_name
from safeguard.practice.models import Referral


def intervention_name(referral: Referral) -> str:
    if referral.intervention:
        return intervention(referral.intervention).name
    return programme_name(referral.programme)


@dataclass(frozen=True)
class Wait:
    referral: Referral
    first_started_on: date | None
    waiting_since: date | None

    @property
    def case(self) -> Case:
        return self.referral.case

    @property
    def status(self) -> lifecycle.Status:
        return lifecycle.status(self.referral.status) if self.referral.status in lifecycle.STATUS_CODES else \
            lifecycle.Status(self.referral.status, self.referral.status.replace("_", " ").capitalize(), "")

    @property
    def name(self) -> str:
        return intervention_name(self.referral)

    @property
    def waited_days(self) -> int | None:
        if self.first_started_on is None:
            return None
        return (self.first_started_on - self.referral.referred_on).days

    def waiting_days(self, today: date) -> int | None:
        return None if self.waiting_since is None else (today - self.waiting_since).days

    def waiting_weeks(self, today: date) -> int | None:
        days = self.waiting_days(today)
        return None if days is None else days // 7


def wait_of(referral: Referral) -> Wait:
    """The waiting figures of one referral (its transitions prefetched or not)."""
    history = sorted(referral.transitions.all(), key=lambda t: (t.on, t.pk))
    starts = [t.on for t in history if t.to_status == "on_programme"]
    first = min(starts) if starts else referral.started_on
    since: date | None = None
    if referral.status in lifecycle.WAITING:
        since = referral.referred_on
        if first is not None:
            stopped = [t.on for t in history if t.from_status == "on_programme" and t.to_status in lifecycle.WAITING]
            since = max(stopped) if stopped else (referral.cancelled_on or referral.referred_on)
    return Wait(referral, first, since)


def _with_history(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("case", "case__practitioner").prefetch_related(
        Prefetch("transitions", queryset=ReferralTransition.objects.order_by("on", "id")))


def live_cases(user: Any) -> QuerySet[Case]:
    """Cases the user may see that are still under supervision."""
    return Case.objects.visible_to(user).filter(ended_on=None)


def waits(referrals: Iterable[Referral]) -> list[Wait]:
    return [wait_of(r) for r in referrals]


def waiting_list(user: Any, today: date) -> list[Wait]:
    """Referrals still waiting to start, on cases the user can see, longest wait first."""
    referrals = _with_history(Referral.objects.filter(case__in=live_cases(user), status__in=lifecycle.WAITING))
    found = waits(referrals)
    return sorted(found, key=lambda w: (-(w.waiting_days(today) or 0), w.referral.pk))


def referral_for(user: Any, pk: int) -> Referral | None:
    return _with_history(Referral.objects.filter(case__in=Case.objects.visible_to(user), pk=pk)).first()


# -- people who should have an intervention and do not ------------------------------------------------------
GAP_REASONS = {
    "not_referred": "Eligible but not referred",
    "waiting": "Referred and waiting to start",
    "cancelled": "Course or place cancelled, no new start",
    "left": "Left the programme, nothing since",
    "not_suitable": "Assessed not suitable, nothing else arranged",
}


@dataclass(frozen=True)
class Gap:
    case: Case
    reason: str  # a key of GAP_REASONS
    since: date
    detail: str
    referral: Referral | None = None
    overdue: bool = False

    def days(self, today: date) -> int:
        return (today - self.since).days


def gaps(user: Any, today: date) -> dict[str, list[Gap]]:
    """People on supervision who should have an intervention and do not, by reason, longest first.

    `not_referred`: rule 15's `intervention_referral` obligation is open (eligible by SARA or by the court's
    requirement, no referral). The rest go by the case's latest referral: still waiting to start (`waiting`),
    waiting again after a course or place was cancelled (`cancelled`), left the programme (`left`), or found
    not suitable (`not_suitable`). A case appears once, under the first reason that applies.
    """
    cases = live_cases(user)
    found: dict[str, list[Gap]] = {key: [] for key in GAP_REASONS}
    seen: set[int] = set()
    obligations = (Obligation.objects.filter(case__in=cases, kind="intervention_referral", status__in=OPEN)
                   .select_related("case", "case__practitioner").order_by("opened", "id"))
    for o in obligations:
        if o.case_id in seen:
            continue
        seen.add(o.case_id)
        found["not_referred"].append(Gap(o.case, "not_referred", o.opened, o.reason, overdue=o.status == "overdue"))
    latest = Referral.objects.filter(case=OuterRef("case_id")).order_by("-referred_on", "-id").values("pk")[:1]
    referrals = (Referral.objects.filter(case__in=cases).filter(pk=Subquery(latest))
                 .exclude(case_id__in=seen).select_related("case", "case__practitioner"))
    for r in referrals:
        name = intervention_name(r)
        if r.status in lifecycle.WAITING and r.cancelled_on is not None:
            by = f" by the {r.cancelled_by}" if r.cancelled_by else ""
            found["cancelled"].append(Gap(r.case, "cancelled", r.cancelled_on, f"{name} cancelled{by}", r))
        elif r.status in lifecycle.WAITING:
            found["waiting"].append(Gap(r.case, "waiting", r.referred_on,
                                        f"{name}: {lifecycle.status(r.status).label.lower()}", r))
        elif r.status == "left":
            why = (r.left_reason or "no reason recorded").replace("_", " ")
            found["left"].append(Gap(r.case, "left", r.left_on or r.referred_on, f"Left {name} ({why})", r))
        elif r.status == "assessed_not_suitable":
            last = r.transitions.filter(to_status="assessed_not_suitable").order_by("-on", "-id").first()
            why = last.reason.replace("_", " ") if last is not None and last.reason else "no reason recorded"
            found["not_suitable"].append(Gap(r.case, "not_suitable", last.on if last else r.referred_on,
                                             f"Not suitable for {name} ({why})", r))
    for rows in found.values():
        rows.sort(key=lambda g: (g.since, g.case.ref))
    return found


# -- courses -------------------------------------------------------------------------------------------------
def cohorts_for(units: Iterable[int], *, include_closed: bool = False) -> QuerySet[Cohort]:
    """Courses in these delivery units with `taken` (places held) and `session_count` annotated."""
    rows = Cohort.objects.filter(unit_id__in=list(units)).select_related("unit")
    if not include_closed:
        rows = rows.filter(state__in=["planned", "running"])
    return rows.annotate(taken=Count("enrolments", filter=Q(enrolments__outcome=""), distinct=True),
                         session_count=Count("sessions", distinct=True)).order_by("starts_on", "id")


def units_of(user: Any) -> list[int]:
    """The delivery units whose courses a user sees: their own, and those of the cases they can see."""
    units = set(Case.objects.visible_to(user).values_list("unit_id", flat=True).distinct())
    profile = getattr(user, "profile", None)
    if profile is not None and profile.unit_id is not None:
        units.add(profile.unit_id)
    return sorted(units)


@dataclass(frozen=True)
class PlaceAttendance:
    enrolment: Enrolment
    attended: int
    acceptable: int
    unacceptable: int
    held: int  # sessions held so far while the place was held

    @property
    def not_recorded(self) -> int:
        return self.held - self.attended - self.acceptable - self.unacceptable


def attendance(cohort: Cohort, today: date) -> list[PlaceAttendance]:
    """Each place on the course (held now or before) with its attendance so far."""
    sessions = list(cohort.sessions.filter(on__lte=today).values_list("on", flat=True))
    rows = []
    places = (Enrolment.objects.filter(cohort=cohort).select_related("referral__case")
              .prefetch_related("attendance").order_by("enrolled_on", "id"))
    for place in places:
        end = place.ended_on or today
        held = sum(1 for on in sessions if place.enrolled_on <= on <= end)
        outcomes = [a.outcome for a in place.attendance.all()]
        rows.append(PlaceAttendance(place, outcomes.count("attended"), outcomes.count("acceptable_absence"),
                                    outcomes.count("unacceptable_absence"), held))
    return rows


# -- eligibility ------------------------------------------------------------------------------------------------
def case_eligibility(case: Case, day: date) -> list[Eligibility]:
    """The case's eligibility for every intervention, from its event log and the exclusions noted on it."""
    return explain_all(facts_for(case), day, active_exclusions(case, day))
