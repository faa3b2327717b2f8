"""Partner-agency and victims' pages in a real browser (Debian's Chromium): a police user answers a request
from their queue; a practitioner reports a breach and sees it escalate; a victim-facing worker adds a
never-disclose address that the practitioner's page does not show; and axe-core finds no serious or critical
problem on the queue, request, MARAC, control and victims pages."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from browser import Pages

from partner_world import START, World, build_world
from safeguard.agencies.models import AgencyRequest, BreachReport
from safeguard.cases.models import CaseEvent
from sign_ins import PASSWORD

pytestmark = pytest.mark.e2e
SECRET_ADDRESS = "Flat 9, 4 Quiet Mews, Northtown NT2 8QQ"


@pytest.fixture
def world(transactional_db: None) -> World:
    # Built on its own dates; the browser then works today, after them (the live server keeps the real clock).
    with time_machine.travel(START.isoformat() + " 10:00", tick=False):
        built = build_world()
    for user in built.users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return built


def sign_in(pages: Pages, username: str) -> None:
    pages.page.context.clear_cookies()  # whoever was signed in before
    pages.page.set_default_timeout(60_000)  # the test machine is shared: be patient, not flaky
    pages.page.set_default_navigation_timeout(60_000)
    pages.open("/sign-in/")
    pages.page.get_by_label("Username").fill(username)
    pages.page.get_by_label("Password").fill(PASSWORD)
    pages.page.get_by_role("button", name="Sign in").click()
    pages.page.wait_for_load_state()


def test_police_answer_a_request_from_their_queue(pages: Pages, world: World) -> None:
    sign_in(pages, "police")
    pages.open("/agencies/queue/")
    pages.page.get_by_role("link", name=world.police_request.ref).first.click()
    page = pages.page
    page.get_by_label("Domestic call-outs found").fill("2")
    page.get_by_label("Dates of the call-outs").fill("03/11/2025\n14/12/2025")
    page.get_by_label("Other information").fill("Bail conditions until May")
    page.get_by_label("Summary of your answer").fill("Two call-outs to the old address")
    page.get_by_role("button", name="Send answer").click()
    page.wait_for_load_state()
    request = AgencyRequest.objects.get(pk=world.police_request.pk)
    assert request.status == "returned" and request.callouts == 2
    assert request.callout_dates == ["2025-11-03", "2025-12-14"]
    assert request.answered_by == world.users["police"]
    event = CaseEvent.objects.filter(case=world.case, type="check_returned").get()
    assert event.payload["callouts"] == 2 and event.recorded_by == world.users["police"]


def test_practitioner_reports_a_breach_and_sees_it_escalate(pages: Pages, world: World) -> None:
    sign_in(pages, "pp")
    pages.open(f"/agencies/breach/?case={world.case.ref}")
    page = pages.page
    page.get_by_label("Case reference (CRN)").fill(world.case.ref)
    page.get_by_label("What happened").fill("He waited outside her work")
    page.get_by_role("button", name="Report the breach").click()
    page.wait_for_load_state()
    report = BreachReport.objects.order_by("-id").first()
    assert report is not None and report.reporter == world.users["pp"], page.content()[:3000]
    assert report.description.unseal() == "He waited outside her work"
    assert page.get_by_text(report.ref).first.is_visible()
    assert page.get_by_text("The practitioner and their manager have been emailed").is_visible()
    pages.open(f"/cases/{world.case.ref}/")
    assert page.locator(".app-concern").first.inner_text().strip() == "Immediate"
    enforcement = page.locator('[data-testid="open-obligations"] tr[data-kind="enforcement_decision"]')
    assert enforcement.count() >= 1


def test_victim_worker_adds_a_never_disclose_address_the_practitioner_cannot_see(pages: Pages, world: World,
                                                                               browser: Any) -> None:
    sign_in(pages, "victim_worker")
    pages.open(f"/victims/{world.victim.pk}/")
    page = pages.page
    page.get_by_text("Add a contact detail").click()  # the form is in a details element
    form = page.locator("form", has=page.get_by_label("Detail"))
    form.get_by_label("Address", exact=True).check()
    form.get_by_label("Detail").fill(SECRET_ADDRESS)
    form.get_by_label("Never disclose", exact=False).check()
    form.get_by_role("button", name="Add").click()
    page.wait_for_load_state()
    assert SECRET_ADDRESS in page.locator("body").inner_text()

    other = browser.new_context()
    practitioner = Pages(other.new_page(), pages.site)
    sign_in(practitioner, "pp")
    for path in (f"/victims/{world.victim.pk}/", f"/cases/{world.case.ref}/",
                 f"/victims/cases/{world.case.ref}/"):
        practitioner.open(path)
        assert "Quiet Mews" not in practitioner.page.content(), path
    other.close()


def test_agency_and_victims_pages_have_no_serious_accessibility_problems(pages: Pages, world: World) -> None:
    problems: dict[str, list[str]] = {}
    sign_in(pages, "police")
    for name, path in {"queue": "/agencies/queue/", "queue item": f"/agencies/queue/{world.police_request.pk}/",
                       "breach": "/agencies/breach/"}.items():
        pages.open(path)
        problems[name] = pages.serious_accessibility_problems()
    sign_in(pages, "pp")
    for name, path in {"request": f"/agencies/requests/{world.police_request.pk}/",
                       "case hub": f"/agencies/cases/{world.case.ref}/",
                       "MARAC": f"/agencies/marac/{world.marac.pk}/",
                       "control": f"/agencies/controls/{world.control.pk}/"}.items():
        pages.open(path)
        problems[name] = pages.serious_accessibility_problems()
    sign_in(pages, "victim_worker")
    for name, path in {"victims list": "/victims/", "victim record": f"/victims/{world.victim.pk}/"}.items():
        pages.open(path)
        problems[name] = pages.serious_accessibility_problems()
    assert problems == {name: [] for name in problems}
