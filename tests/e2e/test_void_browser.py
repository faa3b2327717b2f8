"""Issue 33, finding 3, in a real browser: the SPO marks a far-future event as entered in error from the case
timeline (reason required, confirmed), it stays struck through with who and why, and the pages have no serious
accessibility problems."""

from __future__ import annotations

import pytest
from browser import Pages
from web_scenarios import Org, legacy_far_future_event, settled_case

pytestmark = pytest.mark.e2e


def test_the_spo_marks_an_event_as_entered_in_error(pages: Pages, org: Org) -> None:
    bad = legacy_far_future_event(settled_case())
    pages.sign_in("mo")
    pages.open("/cases/X100002/")
    pages.page.locator(f"#event-{bad.seq}").get_by_role("link", name="Mark as entered in error").click()
    page = pages.page
    assert page.get_by_role("heading", name="Mark an event as entered in error").is_visible()
    assert pages.serious_accessibility_problems() == []
    page.get_by_role("button", name="Mark as entered in error").click()  # no reason
    assert page.get_by_text("There is a problem").is_visible()
    assert page.locator("#reason-error").inner_text().endswith("Give the reason the event was entered in error")
    assert pages.serious_accessibility_problems() == []
    page.get_by_label("Why was this event entered in error?").fill("The integration sent the wrong year")
    page.get_by_role("button", name="Mark as entered in error").click()
    item = page.locator(f"#event-{bad.seq}")
    assert "Entered in error" in item.inner_text()
    assert "Marked as entered in error by Mo Khan" in item.inner_text()
    assert "The integration sent the wrong year" in item.inner_text()
    assert item.locator("s").count() >= 2  # the title and date are struck through
    assert pages.serious_accessibility_problems() == []
