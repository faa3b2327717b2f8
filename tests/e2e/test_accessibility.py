"""axe-core (npm, injected into the page) finds no serious or critical problems on any page type."""

from __future__ import annotations

import pytest
from browser import Pages
from web_scenarios import Org, countersign_case, overdue_police_check_case, settled_case

pytestmark = pytest.mark.e2e

PAGES = {
    "caseload": "/caseload/",
    "case": "/cases/X100002/",
    "record menu": "/cases/X100002/record/",
    "contact form": "/cases/X100002/record/contact/",
    "sentence form": "/cases/X100002/record/sentenced/",
    "assessment form": "/cases/X100002/record/assessed/",
    "move form": "/cases/X100002/record/moved/",
}


@pytest.fixture
def cases(org: Org) -> None:
    overdue_police_check_case()
    settled_case()
    countersign_case()


def test_signed_out_pages(pages: Pages, org: Org) -> None:
    pages.open("/sign-in/")
    assert pages.serious_accessibility_problems() == []
    pages.page.get_by_role("button", name="Sign in").click()  # the error summary
    assert pages.page.get_by_text("There is a problem").is_visible()
    assert pages.serious_accessibility_problems() == []


def test_practitioner_pages(pages: Pages, cases: None) -> None:
    pages.sign_in("priya")
    problems = {}
    for name, path in PAGES.items():
        pages.open(path)
        problems[name] = pages.serious_accessibility_problems()
    pages.open("/cases/X100002/record/contact/")
    pages.page.get_by_role("button", name="Save").click()  # every question unanswered: errors everywhere
    problems["form with errors"] = pages.serious_accessibility_problems()
    pages.open("/cases/X999999/")
    problems["not found"] = pages.serious_accessibility_problems()
    assert problems == {name: [] for name in problems}


def test_manager_pages(pages: Pages, cases: None) -> None:
    pages.sign_in("mo")
    problems = {}
    for name, path in {"team": "/team/", "countersign form": "/cases/X100003/record/countersigned/"}.items():
        pages.open(path)
        problems[name] = pages.serious_accessibility_problems()
    assert problems == {name: [] for name in problems}


def test_pages_work_without_javascript(browser: object, site: str, cases: None) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site + "/sign-in/")
    page.get_by_label("Username").fill("priya")
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Concern").select_option("serious")
    page.get_by_role("button", name="Apply filters").click()
    assert "concern=serious" in page.url
    page.goto(site + "/cases/X100002/record/sentenced/")
    page.get_by_label("Rehabilitation activity requirement (RAR)").check()
    assert page.get_by_label("Days (optional)").is_visible()  # conditional questions are all shown
    context.close()
