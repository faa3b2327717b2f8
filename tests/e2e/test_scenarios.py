"""The three journeys issue 4 names, in a real browser against a live server."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from browser import Pages
from playwright.sync_api import expect
from web_scenarios import Org, countersign_case, overdue_police_check_case, settled_case

pytestmark = pytest.mark.e2e

OPEN = '[data-testid="open-obligations"] tr[data-kind="{}"]'


def fill_date(page: Any, name: str, day: date) -> None:
    page.locator(f"#{name}_day").fill(str(day.day))
    page.locator(f"#{name}_month").fill(str(day.month))
    page.locator(f"#{name}_year").fill(str(day.year))


def test_a_practitioner_requests_an_overdue_police_check_and_records_the_reply(pages: Pages, org: Org) -> None:
    overdue_police_check_case()
    page = pages.page
    pages.sign_in("priya")

    row = page.locator('tr[data-case="X100001"]')
    expect(row).to_contain_text("Police check")
    expect(row).to_contain_text("Overdue")
    row.get_by_role("link", name="Daniel Hughes").click()

    police = page.locator(OPEN.format("police_check"))
    expect(police).to_contain_text("Overdue")
    police.get_by_role("link", name=re.compile("^Record a check request")).click()
    expect(page.get_by_role("heading", name="Record a check request")).to_be_visible()
    expect(page.get_by_label("Police", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("saved")).to_contain_text("Check request recorded")
    chase = page.locator(OPEN.format("police_check"))
    expect(chase.get_by_role("link", name=re.compile("^Record a check request"))).to_have_count(0)
    chase.get_by_role("link", name=re.compile("^Record information returned from a check")).first.click()
    expect(page.get_by_label("Police", exact=True)).to_be_checked()
    page.get_by_label("Domestic call-outs found (optional)").fill("2")
    page.get_by_label("Summary (optional)").fill("Two domestic call-outs to the victim's address in 2024")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("saved")).to_contain_text("Done: Police check")
    expect(page.locator(OPEN.format("police_check"))).to_have_count(0)
    expect(page.get_by_test_id("checks")).to_contain_text("Returned")


def test_a_practitioner_records_a_move_in_with_a_new_partner_and_her_child(pages: Pages, org: Org) -> None:
    settled_case()
    page = pages.page
    pages.sign_in("priya")
    pages.open("/cases/X100002/")

    def record(action: str) -> None:
        page.get_by_role("link", name="Record something", exact=True).click()
        page.get_by_role("link", name=action).click()

    record("Add a linked person")
    page.get_by_label("Reference for this person").fill("P2")
    page.get_by_label("Relationship to him").select_option("partner")
    fill_date(page, "born", date(1994, 7, 9))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("saved")).to_contain_text("Linked person recorded")

    record("Add a linked person")
    page.get_by_label("Reference for this person").fill("C1")
    page.get_by_label("Relationship to him").select_option("partners_child")
    fill_date(page, "born", date.today() - timedelta(days=4 * 365))
    page.get_by_role("button", name="Save").click()

    record("Record a new relationship")
    page.get_by_label("New partner").select_option("P2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("saved")).to_contain_text("New relationship recorded")

    record("Record a move")
    page.get_by_label("New address reference").fill("A2")
    page.get_by_label(re.compile(r"^P2 \(Partner")).check()
    page.get_by_label(re.compile(r"^C1 \(Partner's child")).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("saved")).to_contain_text("Move recorded")

    for kind in ("review", "police_check", "childrens_services_check", "home_visit", "disclosure_consideration"):
        row = page.locator(OPEN.format(kind)).first
        expect(row).to_be_visible()
        expect(row.get_by_test_id("due")).to_have_text(re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}"))
    expect(page.locator('tr[data-person="C1"] [data-testid="lives-with"]')).to_contain_text("Lives with him")


def test_a_manager_sees_overdue_safeguarding_work_and_countersigns_an_assessment(pages: Pages, org: Org) -> None:
    overdue_police_check_case()
    countersign_case()
    page = pages.page
    pages.sign_in("mo")
    page.get_by_role("link", name="Team", exact=True).click()

    overdue = page.get_by_test_id("overdue-safeguarding")
    expect(overdue.locator('tr[data-case="X100001"][data-kind="police_check"]')).to_contain_text("Overdue")
    queue = page.get_by_test_id("countersigning")
    expect(queue).to_contain_text("Ryan Walsh")
    queue.get_by_role("link", name=re.compile("^Countersign")).click()

    expect(page.get_by_test_id("assessment")).to_contain_text("High")
    expect(page.get_by_test_id("assessment")).to_contain_text("not trained in domestic abuse")
    expect(page.get_by_label("Countersigned by")).to_have_value("S1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("saved")).to_contain_text("Done: Countersignature")

    page.get_by_role("link", name="Team", exact=True).click()
    expect(page.get_by_test_id("countersigning")).to_have_count(0)
    expect(page.get_by_text("Nothing is waiting for countersignature.")).to_be_visible()
