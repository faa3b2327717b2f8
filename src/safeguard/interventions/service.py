"""The actions for interventions: refer, move a referral through its lifecycle, run courses.

Every change is checked against the lifecycle table (safeguard.interventions.lifecycle): a change it
does not allow raises IllegalTransition, one the user's role may not make raises TransitionNotPermitted.
Changes that are timeline events go through safeguard.actions.record_event (so the policy engine sees
them and obligations follow); the rest are written here with who and when, and audited.

`user=None` means the system itself (an import, a test, a management command): the role check is
skipped, the lifecycle is not. Pages always pass the signed-in user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.access import role_of
from safeguard.actions import record_event
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case
from safeguard.interventions import catalogue, lifecycle
from safeguard.interventions.lifecycle import START, SYSTEM, Transition, TransitionError, TransitionNotPermitted
from safeguard.interventions.models import (
    Attendance,
    Cohort,
    Enrolment,
    ReferralTransition,
    Session,
    SuitabilityFactor,
)
from safeguard.practice.models import Referral
from safeguard.workforce.models import DeliveryUnit


class InterventionError(TransitionError):
    """A course or place change that cannot be made (course full, wrong programme, cancelled course...)."""


def today() -> date:
    return timezone.localdate()


def _day(on: date | None) -> date:
    day = on or today()
    if day > today():
        raise InterventionError(f"{day.isoformat()} is in the future: record what has happened, on the day it did")
    return day


def _check_case(user: Any, case: Case) -> None:
    if user is not None and not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied(f"Case {case.ref} is not one you can see")


def _allowed(user: Any, case: Case, from_status: str, to_status: str, reason: str = "") -> Transition:
    """The lifecycle's transition, checked for the user's role (unless the system is acting) and reason."""
    _check_case(user, case)
    return lifecycle.check(from_status, to_status, SYSTEM if user is None else role_of(user), reason)


def _check_cohort(user: Any, cohort: Cohort, what: str) -> None:
    """Courses are run for a delivery unit: its SPOs and head manage them (for everyone on them)."""
    _require_role(user, lifecycle.PLACES, what)
    profile = getattr(user, "profile", None)
    if user is not None and profile is not None and profile.unit_id not in (None, cohort.unit_id):
        raise PermissionDenied(f"The course is run by another delivery unit: you cannot {what}")


def _require_role(user: Any, roles: frozenset[str], what: str) -> None:
    if user is not None and role_of(user) not in roles:
        who = " or ".join(lifecycle.ROLE_LABELS.get(r, r) for r in sorted(roles))
        raise PermissionDenied(f"Only a {who} can {what}")


# -- referrals ------------------------------------------------------------------------------------------
@transaction.atomic
def refer(case: Case, intervention_code: str, *, user: Any = None, on: date | None = None,
          source: str = "web") -> Referral:
    """Refer the case to an intervention: a `referred` event (rule 15 is met; rule 16 starts counting)."""
    chosen = catalogue.intervention(intervention_code)
    _allowed(user, case, START, "referred")
    live = (Referral.objects.filter(case=case, programme=chosen.programme).exclude(status__in=lifecycle.TERMINAL)
            .order_by("-referred_on", "-id").first())
    if live is not None:
        raise InterventionError(f"{case.ref} already has a {lifecycle.status(live.status).label.lower()} referral to "
                                f"this programme (referred {live.referred_on:%d %B %Y}): carry that one on, or close "
                                "it first")
    event = record_event(case, {"on": _day(on).isoformat(), "type": "referred", "programme": chosen.programme},
                         user=user, source=source)
    referral = ReferralTransition.objects.select_related("referral").get(event=event).referral
    referral.intervention = chosen.code
    referral.save(update_fields=["intervention"])
    return referral


@transaction.atomic
def change_status(referral: Referral, to_status: str, *, user: Any = None, on: date | None = None,
                  reason: str = "", note: str = "", cohort: Cohort | None = None, intervention: str = "",
                  source: str = "web") -> Referral:
    """Move a referral to `to_status` as the lifecycle allows, and record it.

    `reason` is required where the transition lists reasons (leaving, not suitable, withdrawn, who cancelled);
    `cohort` is the course for "scheduled" (not needed for one-to-one interventions); `intervention` may set
    the catalogue entry when the referral is assessed suitable (Building Choices: which intensity).
    """
    return _change(referral, to_status, user=user, checked=False, on=on, reason=reason, note=note, cohort=cohort,
                   intervention=intervention, source=source)


def _change(referral: Referral, to_status: str, *, user: Any, checked: bool, on: date | None = None,
            reason: str = "", note: str = "", cohort: Cohort | None = None, intervention: str = "",
            source: str = "web") -> Referral:
    """change_status; with `checked`, the caller has already decided the user may act (a whole course)."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    case = referral.case
    if checked:
        transition = lifecycle.check(referral.status, to_status, SYSTEM, reason)
    else:
        transition = _allowed(user, case, referral.status, to_status, reason)
    day = _day(on)
    if intervention:
        chosen = catalogue.intervention(intervention)
        if chosen.programme != referral.programme:
            raise InterventionError(f"{chosen.name} is not a form of the {referral.programme} programme this referral "
                                    "is for: make a new referral")
        referral.intervention = chosen.code
        referral.save(update_fields=["intervention"])
    if to_status == "scheduled":
        _book(referral, cohort, day)
    if transition.event is not None:
        event: dict[str, Any] = {"on": day.isoformat(), "type": transition.event, "programme": referral.programme}
        if transition.reasons:
            event[transition.reason_field] = reason
        logged = record_event(case, event, user=user, source=source)
        if note:
            ReferralTransition.objects.filter(event=logged).update(note=note)
    else:
        ReferralTransition.objects.create(referral=referral, from_status=referral.status, to_status=to_status, on=day,
                                          reason=reason, note=note, by=user if _is_user(user) else None)
        write_audit("referral.status_changed", user=user, case_ref=case.ref, object_type="referral",
                    object_id=str(referral.pk),
                    detail={"from_status": referral.status, "to_status": to_status, "kind": reason or None})
        Referral.objects.filter(pk=referral.pk).update(status=to_status)
        if to_status in lifecycle.TERMINAL:
            Enrolment.objects.filter(referral=referral, outcome="").update(outcome="withdrawn", ended_on=day)
        if to_status == "assessed_not_suitable":
            _not_suitable_decision(referral, user, day, reason, note, source)
    referral.refresh_from_db()
    return referral


def _not_suitable_decision(referral: Referral, user: Any, day: date, reason: str, note: str, source: str) -> None:
    """An SPO's "not suitable" is also their manager decision about rule 16 (`intervention_start`): the timeline
    has no event for a suitability assessment, so this is how rule 16 learns to stop asking for a start. A
    practitioner's "not suitable" leaves rule 16 open until an SPO records that decision (never in the SPO's name
    by anyone else: see accounts.access.MANAGER_EVENTS)."""
    staff = getattr(user, "staff", None) if user is not None else None
    if role_of(user) != "spo" or staff is None:
        return
    name = (catalogue.intervention(referral.intervention).name if referral.intervention
            else catalogue.default_for_programme(referral.programme).name)
    decision = f"Assessed not suitable for {name} ({reason.replace('_', ' ')})" + (f": {note}" if note else "")
    record_event(referral.case, {"on": day.isoformat(), "type": "manager_decision", "by": staff.code,
                                 "about": "intervention_start", "decision": decision}, user=user, source=source)


def rule16_open(referral: Referral) -> bool:
    """Whether the case still has rule 16's `intervention_start` open (after "not suitable": waiting for an SPO)."""
    from safeguard.oversight.models import OPEN, Obligation

    return Obligation.objects.filter(case_id=referral.case_id, kind="intervention_start", status__in=OPEN).exists()


@transaction.atomic
def close_start_after_not_suitable(referral: Referral, *, user: Any, decision: str,
                                   on: date | None = None) -> None:
    """An SPO records the manager decision that stops rule 16 after a practitioner's "not suitable"."""
    staff = getattr(user, "staff", None)
    if role_of(user) != "spo" or staff is None:
        raise PermissionDenied("Only a senior probation officer can record this decision")
    _check_case(user, referral.case)
    if referral.status != "assessed_not_suitable":
        raise InterventionError("This decision is for a referral assessed as not suitable")
    if not decision.strip():
        raise InterventionError("Enter the decision and the reasons for it")
    record_event(referral.case, {"on": _day(on).isoformat(), "type": "manager_decision", "by": staff.code,
                                 "about": "intervention_start", "decision": decision.strip()}, user=user)


def _is_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _book(referral: Referral, cohort: Cohort | None, day: date) -> None:
    chosen = catalogue.intervention(referral.intervention) if referral.intervention else None
    if cohort is None:
        delivery = (chosen or catalogue.default_for_programme(referral.programme)).delivery
        if delivery == "one_to_one":
            return
        raise InterventionError("Booking a place needs a course: choose one with a free place")
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.state not in {"planned", "running"}:
        raise InterventionError(f"The {cohort.name} course starting {cohort.starts_on:%d %B %Y} is {cohort.state}: "
                                "choose another")
    if cohort.programme != referral.programme:
        raise InterventionError(f"The course is {cohort.name}, but the referral is for the {referral.programme} "
                                "programme")
    if chosen is not None and chosen.code != cohort.intervention:
        raise InterventionError(f"The referral is for {chosen.name}, but the course is {cohort.name}")
    taken = Enrolment.objects.filter(cohort=cohort, outcome="").count()
    if taken >= cohort.capacity:
        raise InterventionError(f"The {cohort.name} course starting {cohort.starts_on:%d %B %Y} is full "
                                f"({taken} of {cohort.capacity} places taken)")
    Enrolment.objects.create(cohort=cohort, referral=referral, enrolled_on=day)
    if not referral.intervention:
        referral.intervention = cohort.intervention
        referral.save(update_fields=["intervention"])


# -- suitability exclusions --------------------------------------------------------------------------
@transaction.atomic
def note_exclusion(case: Case, code: str, *, user: Any = None, on: date | None = None,
                   note: str = "") -> SuitabilityFactor:
    catalogue.exclusion(code)
    _check_case(user, case)
    _require_role(user, lifecycle.PRACTICE, "note a suitability exclusion")
    if SuitabilityFactor.objects.filter(case=case, code=code, ended_on=None).exists():
        raise InterventionError(f"'{catalogue.exclusion(code).label}' is already noted on {case.ref}")
    factor = SuitabilityFactor.objects.create(case=case, code=code, noted_on=_day(on), note=note,
                                              noted_by=user if _is_user(user) else None)
    write_audit("suitability.noted", user=user, case_ref=case.ref, object_type="suitability_factor",
                object_id=str(factor.pk), detail={"code": code})
    return factor


@transaction.atomic
def end_exclusion(factor: SuitabilityFactor, *, user: Any = None, on: date | None = None) -> SuitabilityFactor:
    _check_case(user, factor.case)
    _require_role(user, lifecycle.PRACTICE, "end a suitability exclusion")
    factor.ended_on = _day(on)
    factor.ended_by = user if _is_user(user) else None
    factor.save(update_fields=["ended_on", "ended_by"])
    write_audit("suitability.ended", user=user, case_ref=factor.case.ref, object_type="suitability_factor",
                object_id=str(factor.pk), detail={"code": factor.code})
    return factor


def active_exclusions(case: Case, day: date | None = None) -> list[str]:
    day = day or today()
    factors = SuitabilityFactor.objects.filter(case=case, noted_on__lte=day).exclude(ended_on__lte=day)
    return sorted(set(factors.values_list("code", flat=True)))


# -- courses ----------------------------------------------------------------------------------------------
@transaction.atomic
def create_cohort(intervention_code: str, unit: DeliveryUnit, *, capacity: int, starts_on: date,
                  sessions: int | list[date] | None = None, every_days: int = 7, location: str = "",
                  user: Any = None) -> Cohort:
    """A course with its sessions: `sessions` dates, or that many sessions every `every_days` days from the
    start (by default the intervention's usual number)."""
    chosen = catalogue.intervention(intervention_code)
    _require_role(user, lifecycle.PLACES, "set up a course")
    profile = getattr(user, "profile", None)
    if profile is not None and profile.unit_id not in (None, unit.pk):
        raise PermissionDenied("You can set up courses only for your own delivery unit")
    if capacity < 1:
        raise InterventionError("A course needs at least one place")
    if isinstance(sessions, list):
        dates = sorted(sessions)
    else:
        count = chosen.sessions if sessions is None else sessions
        dates = [starts_on + timedelta(days=every_days * n) for n in range(count)]
    if dates and dates[0] < starts_on:
        raise InterventionError("A session cannot be before the course starts")
    cohort = Cohort.objects.create(intervention=chosen.code, unit=unit, location=location, capacity=capacity,
                                   starts_on=starts_on, created_by=user if _is_user(user) else None)
    Session.objects.bulk_create([Session(cohort=cohort, number=n, on=d) for n, d in enumerate(dates, start=1)])
    write_audit("cohort.created", user=user, object_type="cohort", object_id=str(cohort.pk),
                detail={"kind": chosen.code, "unit": str(unit.pk), "count": capacity})
    return cohort


def book(referral: Referral, cohort: Cohort, *, user: Any = None, on: date | None = None) -> Referral:
    """Give the referral a place on the course (to 'scheduled'), if the course has one free."""
    return change_status(referral, "scheduled", user=user, on=on, cohort=cohort)


def _active(cohort: Cohort) -> list[Enrolment]:
    return list(Enrolment.objects.filter(cohort=cohort, outcome="").select_related("referral__case__practitioner"))


@transaction.atomic
def start_cohort(cohort: Cohort, *, user: Any = None, on: date | None = None) -> list[Referral]:
    """The course has begun: record `programme_started` for everyone booked onto it who has not started."""
    _check_cohort(user, cohort, "start a course")
    started = [_change(e.referral, "on_programme", user=user, checked=True, on=on)
               for e in _active(cohort) if e.referral.status == "scheduled"]
    Cohort.objects.filter(pk=cohort.pk).update(state="running")
    cohort.refresh_from_db()
    return started


@transaction.atomic
def complete_cohort(cohort: Cohort, *, user: Any = None, on: date | None = None) -> list[Referral]:
    """The course has ended: everyone still on it completed it. Record anyone who left first (change_status
    to 'left'); a place booked but never started must be started or cancelled before the course can end."""
    _check_cohort(user, cohort, "complete a course")
    active = _active(cohort)
    never = [e.referral.case.ref for e in active if e.referral.status != "on_programme"]
    if never:
        raise InterventionError(f"Some places on the course never started ({', '.join(never)}): record their start, "
                                "or cancel their place, before completing the course")
    done = [_change(e.referral, "completed", user=user, checked=True, on=on) for e in active]
    Cohort.objects.filter(pk=cohort.pk).update(state="completed")
    cohort.refresh_from_db()
    return done


@dataclass(frozen=True)
class Affected:
    """Someone whose place a course cancellation took away."""

    case_ref: str
    case_name: str
    referral_id: int
    was: str  # their status before: scheduled or on_programme
    practitioner: str


@transaction.atomic
def cancel_cohort(cohort: Cohort, *, reason: str, user: Any = None, on: date | None = None) -> list[Affected]:
    """Cancel the course. Everyone holding a place gets a `programme_cancelled` event by the provider (back on
    the waiting list; rule 16 asks for a new start at once). Returns who was affected."""
    _check_cohort(user, cohort, "cancel a course")
    if reason not in Cohort.CANCEL_REASONS:
        raise InterventionError(f"A cancellation needs a reason, one of: {', '.join(Cohort.CANCEL_REASONS)}")
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.state in {"cancelled", "completed"}:
        raise InterventionError(f"The course is already {cohort.state}")
    day = _day(on)
    affected: list[Affected] = []
    for place in _active(cohort):
        referral, case = place.referral, place.referral.case
        affected.append(Affected(case.ref, case.name, referral.pk, referral.status,
                                 str(case.practitioner) if case.practitioner else ""))
        _change(referral, "awaiting_allocation", user=user, checked=True, on=day, reason="provider")
    Cohort.objects.filter(pk=cohort.pk).update(state="cancelled", cancelled_on=day, cancel_reason=reason)
    cohort.refresh_from_db()
    write_audit("cohort.cancelled", user=user, object_type="cohort", object_id=str(cohort.pk),
                detail={"kind": reason, "count": len(affected), "refs": [a.case_ref for a in affected]})
    return affected


@transaction.atomic
def record_attendance(session: Session, referral: Referral, outcome: str, *, user: Any = None) -> Attendance:
    """Whether the person came to a session of the course they hold (or held) a place on."""
    if outcome not in dict(Attendance.OUTCOMES):
        raise InterventionError(f"Attendance is one of: {', '.join(dict(Attendance.OUTCOMES))}")
    try:
        _check_cohort(user, session.cohort, "record attendance")
    except PermissionDenied:
        _check_case(user, referral.case)
        _require_role(user, lifecycle.PRACTICE, "record attendance")
    if session.on > today():
        raise InterventionError(f"Session {session.number} is on {session.on:%d %B %Y}: it has not happened yet")
    place = Enrolment.objects.filter(cohort_id=session.cohort_id, referral=referral).order_by("-id").first()
    if place is None:
        raise InterventionError(f"{referral.case.ref} has no place on this course")
    if session.on < place.enrolled_on or (place.ended_on is not None and session.on > place.ended_on):
        raise InterventionError(f"{referral.case.ref} did not hold a place on the course on {session.on:%d %B %Y}")
    before = Attendance.objects.filter(session=session, enrolment=place).values_list("outcome", flat=True).first()
    if before == "unacceptable_absence" and outcome != before:
        raise InterventionError(f"Session {session.number} is already on {referral.case.ref}'s record as an "
                                "unacceptable absence (a missed appointment for rule 21): it cannot be changed on "
                                "the register; if it was acceptable after all, record that on the case")
    if outcome == "unacceptable_absence" and before != outcome:
        # A missed session is a missed appointment: the timeline's `contact` event (kind `office`, the nearest
        # the timeline has to a group session) is what rule 21 counts.
        record_event(referral.case, {"on": session.on.isoformat(), "type": "contact", "kind": "office",
                                     "outcome": "unacceptable_absence"}, user=user, source="web")
    attendance, _ = Attendance.objects.update_or_create(
        session=session, enrolment=place,
        defaults={"outcome": outcome, "recorded_by": user if _is_user(user) else None})
    write_audit("attendance.recorded", user=user, case_ref=referral.case.ref, object_type="attendance",
                object_id=str(attendance.pk), detail={"outcome": outcome, "seq": session.number})
    return attendance


__all__ = ["Affected", "InterventionError", "TransitionError", "TransitionNotPermitted", "active_exclusions", "book",
           "cancel_cohort", "change_status", "close_start_after_not_suitable", "complete_cohort", "create_cohort",
           "end_exclusion", "note_exclusion", "record_attendance", "refer", "rule16_open", "start_cohort"]
