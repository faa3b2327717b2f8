"""Screenshots of the main pages for the user guides (docs/guide/).

Every run takes them (so the guide's pages are known to render); they are written into docs/guide/ only
with SAFEGUARD_GUIDE_SCREENSHOTS=1, e.g.
    SAFEGUARD_GUIDE_SCREENSHOTS=1 .venv/bin/pytest tests/e2e/test_guide_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import Pages
from web_scenarios import Org, countersign_case, overdue_police_check_case, settled_case

pytestmark = pytest.mark.e2e

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"


def test_guide_screenshots(pages: Pages, org: Org, tmp_path: Path) -> None:
    target = GUIDE if os.environ.get("SAFEGUARD_GUIDE_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    overdue_police_check_case()
    settled_case()
    countersign_case()
    page = pages.page

    def shot(name: str, *, full: bool = False) -> None:
        page.screenshot(path=str(target / f"{name}.png"), full_page=full)

    pages.open("/sign-in/")
    shot("sign-in")
    pages.sign_in("priya")
    pages.open(f"/caseload/?scope=team-{org.team.pk}")
    shot("caseload")
    pages.open("/cases/X100001/")
    shot("case", full=True)
    pages.open("/cases/X100001/record/")
    shot("record-menu")
    pages.open("/cases/X100001/record/contact/?kind=home_visit")
    shot("record-contact", full=True)
    page.get_by_role("button", name="Save").click()
    # The refused form's page, loaded: a screenshot taken while the browser is still navigating can fail.
    page.locator(".govuk-error-summary").wait_for()
    shot("record-errors")
    page.get_by_role("button", name="Sign out").click()
    pages.sign_in("mo")
    pages.open("/team/")
    shot("team", full=True)
    pages.open("/cases/X100003/record/countersigned/")
    shot("countersign", full=True)
    assert sorted(p.name for p in target.glob("*.png")) == sorted(
        f"{n}.png" for n in ("sign-in", "caseload", "case", "record-menu", "record-contact", "record-errors", "team",
                             "countersign"))
