"""The interventions pages through the Django test client: the queue and waiting list, a referral's next steps,
a case's eligibility and referral, a course and its cancellation; and who may see them."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from iv_scenarios import Org, da_case, make_user, signed_in

from safeguard.cases.models import CaseEvent
from safeguard.interventions import service
from safeguard.practice.models import Referral


def test_queue_shows_the_waiting_list_gaps_and_courses(org: Org) -> None:
    waiting = service.refer(da_case("X900001", name="Dan Dale"), "toolkit", user=org.priya, on=date(2024, 1, 8))
    da_case("X900002", name="Eli East")  # eligible, not referred
    service.create_cohort("bbr", org.unit, capacity=6, starts_on=date(2030, 3, 4), sessions=3,
                          location="Mill Street", user=org.mo)
    page = signed_in(org.priya).get("/interventions/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Programme queue" in html and 'class="govuk-table"' in html
    assert 'data-testid="waiting-list"' in html and "Dan Dale" in html
    assert f'href="/interventions/referrals/{waiting.pk}/"' in html
    assert 'data-testid="gap-not_referred"' in html and "Eli East" in html
    assert "Mill Street" in html and "0 of 6" in html


def test_queue_is_scoped_to_visible_cases_and_closed_to_partner_agencies(org: Org) -> None:
    service.refer(da_case("X900003", name="Finn Ford"), "toolkit", user=org.priya, on=date(2024, 1, 8))
    assert "Finn Ford" not in signed_in(org.olu).get("/interventions/").content.decode()
    police = make_user("pc", "police", None, org.unit)
    assert signed_in(police).get("/interventions/").status_code == 403
    assert signed_in(org.olu).get("/interventions/cases/X900003/").status_code == 404


def test_referral_page_offers_the_role_s_next_steps_with_hints_and_records_one(org: Org) -> None:
    referral = service.refer(da_case("X900004"), "building_choices_moderate", user=org.priya, on=date(2024, 1, 8))
    client = signed_in(org.priya)
    page = client.get(f"/interventions/referrals/{referral.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    for step in ("assessed_suitable", "suitable_not_ready", "assessed_not_suitable", "withdrawn"):
        assert f'data-testid="step-{step}"' in html
    assert "The programme team found him suitable and ready" in html  # the hint text
    done = client.post(f"/interventions/referrals/{referral.pk}/",
                       {"to_status": "assessed_suitable", "on": "2024-01-22", "intervention": "building_choices_high",
                        "note": "Facilitator's assessment"})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.intervention) == ("assessed_suitable", "building_choices_high")
    after = client.get(f"/interventions/referrals/{referral.pk}/").content.decode()
    assert "Recorded: assessed as suitable" in after and "Facilitator&#x27;s assessment" in after
    # A practitioner cannot book a place: the step is not offered, and posting it is refused with the reason.
    assert 'data-testid="step-scheduled"' not in after
    refused = client.post(f"/interventions/referrals/{referral.pk}/", {"to_status": "scheduled"})
    assert refused.status_code == 400
    assert "Only a head of delivery unit or senior probation officer can" in refused.content.decode()


def test_an_illegal_transition_posted_to_the_page_shows_the_lifecycle_error(org: Org) -> None:
    referral = service.refer(da_case("X900005"), "toolkit", user=org.priya, on=date(2024, 1, 8))
    response = signed_in(org.mo).post(f"/interventions/referrals/{referral.pk}/", {"to_status": "completed"})
    assert response.status_code == 400
    assert "A referral cannot go from &#x27;referred&#x27;" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "referred"


def test_case_page_explains_eligibility_and_refers(org: Org) -> None:
    sentenced = timezone.localdate() - timedelta(days=30)  # the page judges eligibility as of today
    case = da_case("X900006", name="Gus Gale", on=sentenced.isoformat(),
                   assessed_on=(sentenced + timedelta(days=5)).isoformat())
    client = signed_in(org.priya)
    page = client.get("/interventions/cases/X900006/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="eligibility-bbr"' in html and "Eligible for Building Better Relationships" in html
    assert f"the sentence of {sentenced.day} {sentenced:%B %Y} requires Building Better Relationships" in html
    response = client.post("/interventions/cases/X900006/", {"intervention": "bbr"})
    referral = Referral.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == f"/interventions/referrals/{referral.pk}/"
    assert CaseEvent.objects.filter(case=case, type="referred", recorded_by=org.priya).exists()


def test_course_page_cancels_and_lists_who_is_affected(org: Org) -> None:
    cohort = service.create_cohort("toolkit", org.unit, capacity=4, starts_on=date(2024, 3, 4), sessions=2,
                                   user=org.mo)
    referral = service.refer(da_case("X900007", name="Hal Hunt"), "toolkit", user=org.priya, on=date(2024, 1, 8))
    service.change_status(referral, "assessed_suitable", user=org.priya, on=date(2024, 1, 9))
    service.book(referral, cohort, user=org.mo, on=date(2024, 1, 10))
    assert signed_in(org.priya).get(f"/interventions/courses/{cohort.pk}/").status_code == 200
    assert signed_in(org.priya).post(f"/interventions/courses/{cohort.pk}/", {"reason": "venue"}).status_code == 403
    response = signed_in(org.hana).post(f"/interventions/courses/{cohort.pk}/", {"reason": "venue"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="affected-list"' in html and "Hal Hunt" in html and "X900007" in html
    assert "1 person lost their place" in html
    referral.refresh_from_db()
    assert referral.status == "awaiting_allocation" and referral.cancelled_by == "provider"


def test_pages_need_signing_in(org: Org) -> None:
    from django.test import Client

    response = Client().get("/interventions/")
    assert response.status_code == 302 and "sign-in" in response["Location"]
