"""In a real browser: the programme queue and waiting list, a course, booking someone onto it, the register;
axe-core finds no serious or critical problem on the queue, referral, course and form pages."""

from __future__ import annotations

from datetime import date

import pytest
from browser import Pages
from iv_scenarios import Org, da_case

from safeguard.interventions import service
from safeguard.interventions.models import Enrolment
from safeguard.practice.models import Referral

pytestmark = pytest.mark.e2e


def test_queue_course_booking_and_register(pages: Pages, org: Org) -> None:
    waiting = service.refer(da_case("X940001", name="Dan Dale"), "toolkit", user=org.priya, on=date(2024, 1, 8))
    service.change_status(waiting, "assessed_suitable", user=org.priya, on=date(2024, 1, 9))
    da_case("X940002", name="Eli East")  # eligible, not referred
    starts = date.today()  # session 1 today: the place booked today was held on the day
    cohort = service.create_cohort("toolkit", org.unit, capacity=6, starts_on=starts, sessions=3,
                                   location="Mill Street", user=org.mo)
    problems = {}
    pages.sign_in("mo")

    pages.open("/interventions/")
    page = pages.page
    assert page.get_by_role("heading", name="Programme queue").is_visible()
    waiting_list = page.get_by_test_id("waiting-list")
    assert "Dan Dale" in waiting_list.inner_text() and "Assessed as suitable" in waiting_list.inner_text()
    assert "Eli East" in page.get_by_test_id("gap-not_referred").inner_text()
    problems["queue"] = pages.serious_accessibility_problems()

    waiting_list.get_by_role("link", name="Dan Dale").click()
    assert page.get_by_test_id("status").inner_text() == "Assessed as suitable"
    problems["referral"] = pages.serious_accessibility_problems()

    pages.open("/interventions/")
    page.get_by_test_id("courses").get_by_role("link", name="Structured one-to-one toolkit work").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Structured one-to-one toolkit work")
    problems["course"] = pages.serious_accessibility_problems()

    page.get_by_test_id("book").click()
    page.get_by_role("button", name="Book the place").click()  # nobody chosen: the error summary
    assert page.get_by_text("There is a problem").is_visible()
    problems["booking with an error"] = pages.serious_accessibility_problems()
    page.get_by_label("Dan Dale (X940001)", exact=False).check()
    page.get_by_role("button", name="Book the place").click()
    page.wait_for_url(f"**/interventions/courses/{cohort.pk}/")
    assert page.get_by_text("Booked Dan Dale onto the course").is_visible()
    assert "Dan Dale" in page.get_by_test_id("places").inner_text()
    assert Referral.objects.get(pk=waiting.pk).status == "scheduled"

    page.get_by_role("link", name="Take the register for session 1").click()
    problems["register"] = pages.serious_accessibility_problems()
    page.get_by_label("Attended").check()
    page.get_by_role("button", name="Save the register").click()
    page.wait_for_url(f"**/interventions/courses/{cohort.pk}/")
    assert Enrolment.objects.get(referral=waiting).attendance.get().outcome == "attended"

    pages.open("/interventions/courses/new/")
    problems["course set-up"] = pages.serious_accessibility_problems()
    assert problems == {name: [] for name in problems}
