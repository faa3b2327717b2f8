"""In a real browser: team capacity, recording a supervision session from it, and an allocation recommendation;
axe-core finds no serious or critical problem on the capacity, supervision and allocation pages."""

from __future__ import annotations

from datetime import date

import pytest
from browser import Pages
from iv_scenarios import Org, da_case

from safeguard.workforce.models import SupervisionSession

pytestmark = pytest.mark.e2e


def test_capacity_supervision_and_allocation(pages: Pages, org: Org) -> None:
    da_case("X950001", name="Gil Gray", practitioner="P1")
    problems = {}
    pages.sign_in("mo")
    pages.open("/workforce/capacity/")
    page = pages.page
    assert page.get_by_role("heading", name="North City A: capacity").is_visible()
    assert "8 of 200" in page.get_by_test_id("staff-P1").inner_text()
    problems["capacity"] = pages.serious_accessibility_problems()

    page.get_by_test_id("record-supervision").click()
    page.get_by_role("button", name="Record the session").click()  # nothing answered: errors on each question
    assert page.get_by_text("There is a problem").is_visible()
    assert page.get_by_role("link", name="Select the practitioner").is_visible()
    problems["supervision with errors"] = pages.serious_accessibility_problems()
    page.get_by_label("Practitioner").select_option(label="Priya Shah (PO)")
    held = date.today()
    page.get_by_label("Day").first.fill(str(held.day))
    page.get_by_label("Month").first.fill(str(held.month))
    page.get_by_label("Year").first.fill(str(held.year))
    page.get_by_label("Gil Gray (X950001)", exact=False).check()
    page.get_by_label("Decisions").fill("Agreed a home visit this week.")
    page.get_by_role("button", name="Record the session").click()
    page.wait_for_url("**/workforce/capacity/**")
    assert page.get_by_text("Supervision with Priya Shah").is_visible()
    assert "cases discussed: X950001" in page.get_by_test_id("oversight").inner_text()
    assert SupervisionSession.objects.get().cases_discussed.get().ref == "X950001"
    problems["capacity after supervision"] = pages.serious_accessibility_problems()

    page.get_by_test_id("allocate-links").get_by_role("link", name="Gil Gray").click()
    assert page.get_by_test_id("advice").inner_text().startswith("Recommended:")
    problems["allocation"] = pages.serious_accessibility_problems()
    assert problems == {name: [] for name in problems}
