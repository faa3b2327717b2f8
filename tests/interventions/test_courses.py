"""Courses: places and capacity, starting, attendance per session, completion, and cancellation with the list
of who is affected (each gets a programme_cancelled event by the provider, so rule 16 asks for a new start)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from iv_scenarios import Org, da_case

from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case, CaseEvent
from safeguard.interventions import service
from safeguard.interventions.models import Cohort, Enrolment
from safeguard.interventions.queries import attendance, cohorts_for
from safeguard.oversight.models import OPEN, Obligation
from safeguard.practice.models import Referral

START = date(2024, 3, 4)  # a Monday


def ready(case: Case, org: Org, intervention: str = "bbr") -> Referral:
    referral = service.refer(case, intervention, user=org.priya, on=date(2024, 1, 15))
    return service.change_status(referral, "assessed_suitable", user=org.priya, on=date(2024, 1, 29))


def course(org: Org, capacity: int = 2, intervention: str = "bbr") -> Cohort:
    return service.create_cohort(intervention, org.unit, capacity=capacity, starts_on=START, sessions=4,
                                 location="Probation office, Mill Street", user=org.hana)


def test_a_course_has_its_sessions_weekly_from_the_start(org: Org) -> None:
    cohort = course(org)
    assert [(s.number, s.on) for s in cohort.sessions.all()] == [
        (1, date(2024, 3, 4)), (2, date(2024, 3, 11)), (3, date(2024, 3, 18)), (4, date(2024, 3, 25))]
    assert (cohort.name, cohort.programme, cohort.state) == ("Building Better Relationships", "bbr", "planned")
    default = service.create_cohort("building_choices_high", org.unit, capacity=8, starts_on=START, user=org.mo)
    assert default.sessions.count() == 36
    assert AuditEntry.objects.filter(action="cohort.created", object_id=str(cohort.pk)).exists()


def test_only_managers_set_up_courses(org: Org) -> None:
    with pytest.raises(PermissionDenied, match="Only a head of delivery unit or senior probation officer"):
        service.create_cohort("bbr", org.unit, capacity=2, starts_on=START, user=org.priya)


def test_booking_fills_places_and_a_full_course_is_refused(org: Org) -> None:
    cohort = course(org, capacity=2)
    a, b, c = (ready(da_case(ref), org) for ref in ("X400001", "X400002", "X400003"))
    service.book(a, cohort, user=org.mo, on=date(2024, 2, 5))
    service.book(b, cohort, user=org.mo, on=date(2024, 2, 5))
    with pytest.raises(service.InterventionError, match=r"is full \(2 of 2 places taken\)"):
        service.book(c, cohort, user=org.mo, on=date(2024, 2, 5))
    c.refresh_from_db()
    assert c.status == "assessed_suitable"
    row = cohorts_for([org.unit.pk]).get(pk=cohort.pk)
    assert (row.taken, row.capacity, row.session_count) == (2, 2, 4)
    # Withdrawing frees the place.
    service.change_status(b, "withdrawn", user=org.priya, on=date(2024, 2, 6), reason="declined")
    assert Enrolment.objects.get(referral=b).outcome == "withdrawn"
    assert service.book(c, cohort, user=org.mo, on=date(2024, 2, 6)).status == "scheduled"


def test_booking_checks_the_course_matches_the_referral(org: Org) -> None:
    cohort = course(org, intervention="building_choices_high")
    referral = ready(da_case("X400004"), org)
    with pytest.raises(service.InterventionError, match="the referral is for the bbr programme"):
        service.book(referral, cohort, user=org.mo, on=date(2024, 2, 5))


def test_start_attendance_and_completion(org: Org) -> None:
    cohort = course(org, capacity=3)
    a, b = (ready(da_case(ref), org) for ref in ("X400005", "X400006"))
    for r in (a, b):
        service.book(r, cohort, user=org.mo, on=date(2024, 2, 5))
    started = service.start_cohort(cohort, user=org.mo, on=START)
    assert {r.status for r in started} == {"on_programme"}
    assert CaseEvent.objects.filter(type="programme_started", on=START).count() == 2
    assert cohort.state == "running"
    s1, s2, s3, _s4 = cohort.sessions.all()
    service.record_attendance(s1, a, "attended", user=org.mo)
    service.record_attendance(s2, a, "attended", user=org.priya)
    service.record_attendance(s2, a, "acceptable_absence", user=org.priya)  # corrected: one record per session
    # An unacceptable absence is a missed appointment on the case (rule 21): the register cannot take it back.
    service.record_attendance(s1, b, "unacceptable_absence", user=org.mo)
    with pytest.raises(service.InterventionError, match="already on X400006's record as an unacceptable absence"):
        service.record_attendance(s1, b, "attended", user=org.mo)
    assert CaseEvent.objects.filter(case=b.case, type="contact", payload__outcome="unacceptable_absence").count() == 1
    service.record_attendance(s3, a, "attended", user=org.priya)
    service.change_status(b, "left", user=org.priya, on=date(2024, 3, 12), reason="deselected")
    rows = {p.enrolment.referral_id: p for p in attendance(cohort, date(2024, 3, 20))}
    # a: sessions 1-3 held by 20 March; attended 2, one acceptable absence.
    assert (rows[a.pk].held, rows[a.pk].attended, rows[a.pk].acceptable, rows[a.pk].unacceptable) == (3, 2, 1, 0)
    # b: held a place until leaving on 12 March: sessions 1 and 2; missed 1, session 2 not recorded.
    assert (rows[b.pk].held, rows[b.pk].unacceptable, rows[b.pk].not_recorded) == (2, 1, 1)
    assert rows[b.pk].enrolment.outcome == "left"
    with pytest.raises(service.InterventionError, match="did not hold a place"):
        service.record_attendance(s3, b, "attended", user=org.mo)
    done = service.complete_cohort(cohort, user=org.mo, on=date(2024, 3, 25))
    assert [r.pk for r in done] == [a.pk]
    a.refresh_from_db()
    assert (a.status, a.completed_on) == ("completed", date(2024, 3, 25))
    assert Enrolment.objects.get(referral=a).outcome == "completed"
    assert cohort.state == "completed"


def test_attendance_for_a_session_not_yet_held_is_refused(org: Org) -> None:
    cohort = service.create_cohort("bbr", org.unit, capacity=2, starts_on=date(2999, 1, 1), sessions=1, user=org.mo)
    referral = ready(da_case("X400007"), org)
    service.book(referral, cohort, user=org.mo, on=date(2024, 2, 5))
    with pytest.raises(service.InterventionError, match="has not happened yet"):
        service.record_attendance(cohort.sessions.get(), referral, "attended", user=org.mo)


def test_a_course_cannot_complete_with_places_never_started(org: Org) -> None:
    cohort = course(org)
    referral = ready(da_case("X400008"), org)
    service.book(referral, cohort, user=org.mo, on=date(2024, 2, 5))
    with pytest.raises(service.InterventionError, match=r"never started \(X400008\)"):
        service.complete_cohort(cohort, user=org.mo, on=date(2024, 3, 25))


def test_cancelling_a_course_lists_who_is_affected_and_each_gets_a_provider_cancellation(org: Org) -> None:
    cohort = course(org, capacity=3)
    started = ready(da_case("X400009", name="Adam Ash"), org)
    booked = ready(da_case("X400010", name="Ben Birch"), org)
    waiting = ready(da_case("X400011", name="Carl Cole"), org)
    for r in (started, booked):
        service.book(r, cohort, user=org.mo, on=date(2024, 2, 5))
    service.change_status(started, "on_programme", user=org.priya, on=START)
    service.change_status(waiting, "awaiting_allocation", user=org.mo, on=date(2024, 2, 5))

    affected = service.cancel_cohort(cohort, reason="facilitators", user=org.hana, on=date(2024, 3, 6))

    assert [(a.case_ref, a.case_name, a.was, a.practitioner) for a in affected] == [
        ("X400009", "Adam Ash", "on_programme", "Priya Shah"), ("X400010", "Ben Birch", "scheduled", "Priya Shah")]
    cohort.refresh_from_db()
    assert (cohort.state, cohort.cancelled_on, cohort.cancel_reason) == ("cancelled", date(2024, 3, 6),
                                                                         "facilitators")
    for r in (started, booked):
        r.refresh_from_db()
        assert (r.status, r.cancelled_on, r.cancelled_by) == ("awaiting_allocation", date(2024, 3, 6), "provider")
        event = CaseEvent.objects.get(case_id=r.case_id, type="programme_cancelled")
        assert event.payload == {"on": "2024-03-06", "type": "programme_cancelled", "programme": "bbr",
                                 "by": "provider"}
        assert Enrolment.objects.get(referral=r).outcome == "cancelled"
        # Rule 16: a cancelled course asks for a new start at once.
        reopened = Obligation.objects.get(case_id=r.case_id, kind="intervention_start", status__in=OPEN)
        assert "cancelled by the provider on 6 March 2024" in reopened.reason
    waiting.refresh_from_db()
    assert waiting.status == "awaiting_allocation" and waiting.cancelled_on is None
    audit = AuditEntry.objects.get(action="cohort.cancelled")
    assert audit.detail == {"kind": "facilitators", "count": 2, "refs": ["X400009", "X400010"]}
    with pytest.raises(service.InterventionError, match="already cancelled"):
        service.cancel_cohort(cohort, reason="other", user=org.hana)
    with pytest.raises(service.InterventionError, match=r"cancelled: choose another"):
        service.book(waiting, cohort, user=org.mo, on=date(2024, 3, 7))


def test_practitioners_cannot_cancel_a_course(org: Org) -> None:
    cohort = course(org)
    with pytest.raises(PermissionDenied):
        service.cancel_cohort(cohort, reason="venue", user=org.priya)
    with pytest.raises(service.InterventionError, match="needs a reason"):
        service.cancel_cohort(cohort, reason="", user=org.mo)


def test_suitability_exclusions_are_noted_ended_and_audited(org: Org) -> None:
    case = da_case("X400012")
    factor = service.note_exclusion(case, "insufficient_english", user=org.priya, on=date(2024, 1, 20))
    assert service.active_exclusions(case, date(2024, 2, 1)) == ["insufficient_english"]
    with pytest.raises(service.InterventionError, match="already noted"):
        service.note_exclusion(case, "insufficient_english", user=org.priya, on=date(2024, 1, 21))
    service.end_exclusion(factor, user=org.priya, on=date(2024, 2, 10))
    assert service.active_exclusions(case, date(2024, 2, 1)) == ["insufficient_english"]
    assert service.active_exclusions(case, date(2024, 2, 10)) == []
    assert AuditEntry.objects.filter(action__startswith="suitability.", case_ref=case.ref).count() == 2
    with pytest.raises(PermissionDenied):
        service.note_exclusion(case, "active_psychosis", user=org.olu)
