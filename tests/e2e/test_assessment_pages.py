"""The risk assessment pages in a real browser (Debian's Chromium): a PSO drafts an assessment on a case with
children, sees what it leaves out, submits; it is not final; an SPO returns it, the PSO resubmits, the SPO
countersigns; the versions and their differences show, and the plan's action is on the case page. axe-core
finds no serious problems on any of them."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browser import Pages

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "assessments"))

from assessment_cases import HOUSEHOLD_EVENTS, Team_, build_case, make_team  # noqa: E402

from safeguard.assessments.models import RiskAssessment  # noqa: E402
from safeguard.oversight.service import today  # noqa: E402

pytestmark = pytest.mark.e2e

REF = "X910001"
WAITING = "Submitted: waiting for a senior probation officer to countersign"


@pytest.fixture
def team(transactional_db: None) -> Team_:
    made = make_team()
    build_case(REF, HOUSEHOLD_EVENTS, {"P2": "Amy Stone", "K1": "Lily Stone", "X1": "Jo Reed"})
    return made


def switch_to(pages: Pages, username: str) -> None:
    pages.page.context.clear_cookies()
    pages.sign_in(username)


def axe(pages: Pages, found: dict[str, list[str]], name: str) -> None:
    found[name] = pages.serious_accessibility_problems()


def test_pso_drafts_submits_spo_returns_then_countersigns_and_versions_show(pages: Pages, team: Team_) -> None:
    page: Any = pages.page
    page.set_default_timeout(60_000)  # a long journey on a shared machine
    problems: dict[str, list[str]] = {}
    pages.sign_in("ps1")
    pages.open(f"/cases/{REF}/assessments/")
    axe(pages, problems, "list")
    page.get_by_role("button", name="Start a new assessment").click()
    page.wait_for_url("**/edit/")
    axe(pages, problems, "edit")
    # Partner and child judged; the ex-partner X1 (the 2015 victim) left out on purpose.
    page.locator("#person-P2-judgement").select_option("high")
    page.locator("#person-K1-judgement").select_option("high")
    page.locator("#rosh-high").check()
    page.get_by_label("Why this RoSH level").fill("Strangulation and threats to kill in February, child present.")
    page.get_by_label("SARA summary level: partners").select_option("high")
    page.get_by_label("SARA summary level: others").select_option("medium")
    page.locator("#plan-0-action").fill("Home visit with the police")
    page.locator("#plan-0-owner").fill("PS1")
    page.locator("#plan-0-due_on").fill((today() + timedelta(days=7)).isoformat())
    page.get_by_label("Your analysis of the risk, in your own words").fill("Escalating abuse of his partner.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/assessments/*/")
    gaps = page.get_by_test_id("gaps")
    assert "X1 (Jo Reed), ex-partner and victim of the 2015 offence, is not considered" in gaps.inner_text()
    assert "Police information returned on 12 March 2024 is not used" in gaps.inner_text()
    assert page.get_by_test_id("status").inner_text() == "Draft"
    axe(pages, problems, "detail (draft)")
    page.get_by_role("button", name="Submit", exact=True).click()
    page.wait_for_load_state()
    # Rule 9: a PSO on a case with a child in the household: submitted, but not final.
    assert page.get_by_test_id("status").inner_text() == WAITING
    assert page.get_by_role("button", name="Countersign").count() == 0
    assessment = RiskAssessment.objects.get(case__ref=REF)
    assert (assessment.status, assessment.final_on) == ("awaiting_countersignature", None)
    detail = page.url

    switch_to(pages, "spo1")
    pages.open(detail.removeprefix(pages.site))
    axe(pages, problems, "detail (awaiting countersignature)")
    page.get_by_role("link", name="Return for changes").click()
    axe(pages, problems, "return")
    page.get_by_role("button", name="Return for changes").click()  # no reason: refused, with an error
    assert page.get_by_text("Say what must change").is_visible()
    axe(pages, problems, "return with error")
    page.get_by_label("What must change?").fill("Consider X1, the victim of the 2015 offence.")
    page.get_by_role("button", name="Return for changes").click()
    page.wait_for_url(detail)
    assert page.get_by_test_id("status").inner_text() == "Returned for changes"

    switch_to(pages, "ps1")
    pages.open(detail.removeprefix(pages.site) + "edit/")
    page.locator("#person-X1-judgement").select_option("medium")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_url(detail)
    assert page.get_by_test_id("status").inner_text() == WAITING

    switch_to(pages, "spo1")
    pages.open(detail.removeprefix(pages.site))
    page.get_by_role("button", name="Countersign").click()
    page.wait_for_url(detail)
    assert page.get_by_test_id("status").inner_text() == "Final"
    axe(pages, problems, "detail (final)")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.countersigned_by.code) == ("final", "SPO1")
    # Every version is listed; the first save's difference shows the levels chosen...
    page.get_by_role("link", name="What changed in version 2", exact=True).click()
    page.wait_for_url("**/versions/2/")
    changes = page.get_by_test_id("changes").inner_text()
    assert "RoSH level: not recorded → High" in changes
    axe(pages, problems, "version")
    # ...and the save after the return shows X1 now considered.
    later = max(v.number for v in assessment.versions.all() if v.change == "saved")
    pages.open(detail.removeprefix(pages.site) + f"versions/{later}/")
    assert "Medium risk to this person" in page.get_by_test_id("changes").inner_text()
    # The plan's action is on the case page's Risk section, with its due date and a way to mark it done.
    pages.open(f"/cases/{REF}/")
    plan = page.get_by_test_id("risk-plan-actions")
    assert "Home visit with the police" in plan.inner_text()
    assert plan.get_by_role("button", name="Mark done").count() == 1
    axe(pages, problems, "case page with plan actions")
    assert problems == {name: [] for name in problems}
