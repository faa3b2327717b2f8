"""The interventions forms through the Django test client: course set-up, booking, a session's register, a
referral's next step, the SPO's decision after "not suitable", suitability exclusions. Each bad answer gets a
GOV.UK error against its field and changes nothing; each good one goes through the service (and record_event)."""

from __future__ import annotations

from datetime import date

from iv_scenarios import Org, da_case, signed_in

from safeguard.cases.models import CaseEvent
from safeguard.interventions import service
from safeguard.interventions.models import Attendance, Cohort, Enrolment, SuitabilityFactor
from safeguard.oversight.models import Obligation
from safeguard.practice.models import Referral


def _date(name: str, day: date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _suitable(org: Org, ref: str, name: str, intervention: str = "toolkit") -> Referral:
    referral = service.refer(da_case(ref, name=name), intervention, user=org.priya, on=date(2024, 1, 8))
    return service.change_status(referral, "assessed_suitable", user=org.priya, on=date(2024, 1, 9))


def test_set_up_a_course_with_weekly_sessions(org: Org) -> None:
    client = signed_in(org.mo)
    assert client.get("/interventions/courses/new/").status_code == 200
    response = client.post("/interventions/courses/new/", {"intervention": "bbr", "location": "Mill Street",
                                                           "capacity": "8", "sessions": "3",
                                                           **_date("starts_on", date(2030, 3, 4))})
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/interventions/courses/{cohort.pk}/"
    assert (cohort.intervention, cohort.capacity, cohort.location, cohort.unit) == ("bbr", 8, "Mill Street", org.unit)
    assert [s.on for s in cohort.sessions.all()] == [date(2030, 3, 4), date(2030, 3, 11), date(2030, 3, 18)]
    assert cohort.created_by == org.mo


def test_course_set_up_errors_are_per_field_and_nothing_is_saved(org: Org) -> None:
    response = signed_in(org.mo).post("/interventions/courses/new/", {
        "intervention": "bbr", "capacity": "0", "sessions": "many", "starts_on_day": "31", "starts_on_month": "2",
        "starts_on_year": "2030"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and '<a href="#capacity">Places must be at least 1</a>' in html
    assert '<a href="#starts_on_day">Start date must be a real date</a>' in html
    assert "Number of sessions must be a whole number" in html
    assert 'id="capacity-error"' in html and "govuk-form-group--error" in html
    assert html.count('value="0"') >= 1  # the answer is kept
    assert not Cohort.objects.exists()


def test_only_managers_set_up_courses(org: Org) -> None:
    assert signed_in(org.priya).get("/interventions/courses/new/").status_code == 403


def test_book_a_waiting_referral_onto_a_course_and_a_full_course_refuses(org: Org) -> None:
    cohort = service.create_cohort("toolkit", org.unit, capacity=1, starts_on=date(2024, 3, 4), sessions=2,
                                   user=org.mo)
    first = _suitable(org, "X920001", "Ali Avon")
    second = _suitable(org, "X920002", "Bo Birch")
    client = signed_in(org.mo)
    page = client.get(f"/interventions/courses/{cohort.pk}/book/").content.decode()
    assert "Ali Avon (X920001)" in page and "Bo Birch (X920002)" in page
    done = client.post(f"/interventions/courses/{cohort.pk}/book/", {"referral": str(first.pk),
                                                                     **_date("on", date(2024, 2, 1))})
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.status == "scheduled" and Enrolment.objects.get(referral=first).enrolled_on == date(2024, 2, 1)
    full = client.post(f"/interventions/courses/{cohort.pk}/book/", {"referral": str(second.pk)})
    assert full.status_code == 400
    assert "is full (1 of 1 places taken)" in full.content.decode()
    second.refresh_from_db()
    assert second.status == "assessed_suitable" and not Enrolment.objects.filter(referral=second).exists()
    missing = client.post(f"/interventions/courses/{cohort.pk}/book/", {})
    assert missing.status_code == 400 and '<a href="#referral">Select who to book</a>' in missing.content.decode()
    assert signed_in(org.priya).get(f"/interventions/courses/{cohort.pk}/book/").status_code == 403


def test_register_records_attendance_and_an_unacceptable_absence_reaches_rule_21(org: Org) -> None:
    cohort = service.create_cohort("toolkit", org.unit, capacity=4, starts_on=date(2024, 3, 4), sessions=3,
                                   user=org.mo)
    referral = _suitable(org, "X920003", "Cy Cole")
    service.book(referral, cohort, user=org.mo, on=date(2024, 2, 1))
    service.change_status(referral, "on_programme", user=org.priya, on=date(2024, 3, 4))
    place = Enrolment.objects.get(referral=referral)
    client = signed_in(org.mo)
    page = client.get(f"/interventions/courses/{cohort.pk}/sessions/1/")
    assert page.status_code == 200 and "Cy Cole (X920003)" in page.content.decode()
    assert client.post(f"/interventions/courses/{cohort.pk}/sessions/1/",
                       {f"place_{place.pk}": "attended"}).status_code == 302
    assert not Obligation.objects.filter(case=referral.case, kind="enforcement_decision").exists()
    for number in (2, 3):
        response = client.post(f"/interventions/courses/{cohort.pk}/sessions/{number}/",
                               {f"place_{place.pk}": "unacceptable_absence"})
        assert response.status_code == 302
    outcomes = dict(Attendance.objects.filter(enrolment=place).values_list("session__number", "outcome"))
    assert outcomes == {1: "attended", 2: "unacceptable_absence", 3: "unacceptable_absence"}
    missed = CaseEvent.objects.filter(case=referral.case, type="contact")
    assert [(e.on, e.payload["outcome"]) for e in missed] == [(date(2024, 3, 11), "unacceptable_absence"),
                                                              (date(2024, 3, 18), "unacceptable_absence")]
    enforcement = Obligation.objects.get(case=referral.case, kind="enforcement_decision")
    assert "2 missed appointments" in enforcement.reason
    # Saving the same register again records no second missed appointment; changing it away is refused.
    client.post(f"/interventions/courses/{cohort.pk}/sessions/3/", {f"place_{place.pk}": "unacceptable_absence"})
    assert missed.count() == 2
    refused = client.post(f"/interventions/courses/{cohort.pk}/sessions/3/",
                          {f"place_{place.pk}": "acceptable_absence"})
    assert refused.status_code == 400 and "already on X920003" in refused.content.decode()
    assert Attendance.objects.get(enrolment=place, session__number=3).outcome == "unacceptable_absence"


def test_register_refuses_a_bad_answer_and_saves_nothing(org: Org) -> None:
    cohort = service.create_cohort("toolkit", org.unit, capacity=4, starts_on=date(2024, 3, 4), sessions=1,
                                   user=org.mo)
    referral = _suitable(org, "X920004", "Di Dunn")
    service.book(referral, cohort, user=org.mo, on=date(2024, 2, 1))
    place = Enrolment.objects.get(referral=referral)
    response = signed_in(org.mo).post(f"/interventions/courses/{cohort.pk}/sessions/1/",
                                      {f"place_{place.pk}": "asleep"})
    assert response.status_code == 400
    assert "Select whether Di Dunn (X920004) attended" in response.content.decode()
    assert not Attendance.objects.exists()


def test_start_and_complete_through_the_step_pages(org: Org) -> None:
    referral = _suitable(org, "X920005", "Ed Eve")
    service.change_status(referral, "scheduled", user=org.mo, on=date(2024, 2, 1))  # one-to-one: no course
    client = signed_in(org.priya)
    page = client.get(f"/interventions/referrals/{referral.pk}/on_programme/")
    assert page.status_code == 200 and "He attended the first session" in page.content.decode()
    bad = client.post(f"/interventions/referrals/{referral.pk}/on_programme/",
                      {"on_day": "1", "on_month": "1", "on_year": "2999"})
    assert bad.status_code == 400 and "Date must be today or in the past" in bad.content.decode()
    referral.refresh_from_db()
    assert referral.status == "scheduled"
    assert client.post(f"/interventions/referrals/{referral.pk}/on_programme/",
                       _date("on", date(2024, 2, 5))).status_code == 302
    assert client.post(f"/interventions/referrals/{referral.pk}/completed/",
                       _date("on", date(2024, 5, 6))).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "completed"
    types = list(CaseEvent.objects.filter(case=referral.case, type__startswith="programme_").values_list("type", "on"))
    assert types == [("programme_started", date(2024, 2, 5)), ("programme_completed", date(2024, 5, 6))]
    # A step that is not open from the current status is not a page.
    assert client.get(f"/interventions/referrals/{referral.pk}/on_programme/").status_code == 404


def test_leaving_needs_a_reason(org: Org) -> None:
    referral = _suitable(org, "X920006", "Flo Fox")
    service.change_status(referral, "scheduled", user=org.mo, on=date(2024, 2, 1))
    service.change_status(referral, "on_programme", user=org.priya, on=date(2024, 2, 5))
    response = signed_in(org.priya).post(f"/interventions/referrals/{referral.pk}/left/", {})
    assert response.status_code == 400 and '<a href="#reason">Select reason</a>' in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "on_programme"


def test_not_suitable_by_an_spo_stops_rule_16_and_by_a_practitioner_waits_for_the_spo(org: Org) -> None:
    by_spo = service.refer(da_case("X920007"), "bbr", user=org.priya, on=date(2024, 1, 8))
    signed_in(org.mo).post(f"/interventions/referrals/{by_spo.pk}/assessed_not_suitable/",
                           {"reason": "categorical_denial", "note": "Toolkit work instead"})
    start = Obligation.objects.get(case=by_spo.case, kind="intervention_start")
    assert start.status == "waived"
    decision = CaseEvent.objects.get(case=by_spo.case, type="manager_decision")
    assert decision.payload["about"] == "intervention_start" and decision.payload["by"] == "S1"
    assert "categorical denial" in decision.payload["decision"]

    by_practitioner = service.refer(da_case("X920008"), "bbr", user=org.priya, on=date(2024, 1, 8))
    client = signed_in(org.priya)
    client.post(f"/interventions/referrals/{by_practitioner.pk}/assessed_not_suitable/", {"reason": "other"})
    assert Obligation.objects.get(case=by_practitioner.case, kind="intervention_start").status == "overdue"
    page = client.get(f"/interventions/referrals/{by_practitioner.pk}/").content.decode()
    assert 'data-testid="rule16-open"' in page
    assert client.get(f"/interventions/referrals/{by_practitioner.pk}/decision/").status_code == 403
    spo = signed_in(org.mo)
    empty = spo.post(f"/interventions/referrals/{by_practitioner.pk}/decision/", {"decision": " "})
    assert empty.status_code == 400 and "Enter the decision and the reasons for it" in empty.content.decode()
    assert spo.post(f"/interventions/referrals/{by_practitioner.pk}/decision/",
                    {"decision": "Drive instead, through MARAC"}).status_code == 302
    assert Obligation.objects.get(case=by_practitioner.case, kind="intervention_start").status == "waived"


def test_note_and_lift_a_suitability_exclusion(org: Org) -> None:
    case = da_case("X920009")
    client = signed_in(org.priya)
    assert client.post("/interventions/cases/X920009/exclusions/", {"code": "insufficient_english",
                                                                    **_date("on", date(2024, 2, 1))}).status_code == 302
    factor = SuitabilityFactor.objects.get(case=case)
    assert (factor.code, factor.noted_on, factor.noted_by) == ("insufficient_english", date(2024, 2, 1), org.priya)
    again = client.post("/interventions/cases/X920009/exclusions/", {"code": "insufficient_english"})
    assert again.status_code == 400 and "already noted on X920009" in again.content.decode()
    assert SuitabilityFactor.objects.count() == 1
    early = client.post(f"/interventions/cases/X920009/exclusions/{factor.pk}/lift/", _date("on", date(2024, 1, 1)))
    assert early.status_code == 400 and "Date lifted must be on or after 1 February 2024" in early.content.decode()
    assert client.post(f"/interventions/cases/X920009/exclusions/{factor.pk}/lift/",
                       _date("on", date(2024, 4, 1))).status_code == 302
    factor.refresh_from_db()
    assert factor.ended_on == date(2024, 4, 1) and factor.ended_by == org.priya
    assert signed_in(org.hana).get("/interventions/cases/X920009/exclusions/").status_code == 403
    assert signed_in(org.olu).get("/interventions/cases/X920009/exclusions/").status_code == 404
