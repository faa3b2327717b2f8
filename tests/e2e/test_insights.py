"""Issue 8 and 12 in a real browser: the dashboard, a drill-down and the exports (the downloaded files are opened
and checked), the case audit, and new information on the case page confirmed and dismissed; axe-core finds no
serious or critical problems on any of the new pages."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from browser import Pages
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "insights_web"))

from insights_pages import FORMULA_NAME, People, make_people, news_case  # noqa: E402

from safeguard.cases.models import Case  # noqa: E402
from safeguard.signals_web.models import SignalDecision  # noqa: E402

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(transactional_db: None) -> People:
    found = make_people()
    news_case()
    return found


def download(page: Any, link: Any) -> bytes:
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    return Path(path).read_bytes()


def test_an_spo_reads_the_dashboard_drills_down_and_downloads_it(pages: Pages, people: People) -> None:
    page = pages.page
    pages.sign_in("mo")
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Inspection measures")).to_be_visible()
    expect(page.locator('svg[role="img"]')).to_have_count(6)  # the summary, four trends and the concern levels
    expect(page.get_by_test_id("chart-measures-table")).to_contain_text("Police checks made where required")
    row = page.locator('tr[data-measure="police-checks"]')
    expect(row.locator('[data-part="numerator"]')).to_have_text(re.compile(r"^\s*3"))
    assert pages.serious_accessibility_problems() == []

    # Click through to the cases behind the "not met" number.
    row.locator('[data-part="not_met"] a').click()
    expect(page.get_by_role("heading", name="Cases counted but not met")).to_be_visible()
    listed = page.locator('[data-testid="cases"] tr[data-case]')
    expect(listed).to_have_count(2)
    assert sorted(listed.evaluate_all("rows => rows.map(r => r.dataset.case)")) == ["X100001", "X100009"]
    assert pages.serious_accessibility_problems() == []

    # The list as a spreadsheet: the name a spreadsheet would run is quoted.
    body = download(page, page.get_by_test_id("exports").get_by_role("link", name=re.compile("^CSV")))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    names = {r[0]: r[1] for r in rows if len(r) > 1 and r[0].startswith("X")}
    assert names == {"X100001": "Daniel Hughes", "X100009": "'" + FORMULA_NAME}

    page.get_by_role("link", name=re.compile("^Back to police checks")).click()
    expect(page.get_by_role("heading", name="Police checks made where required")).to_be_visible()
    expect(page.get_by_test_id("chart-trend-police-checks")).to_contain_text("National inspection figure")
    assert pages.serious_accessibility_problems() == []

    page.get_by_role("link", name="Back to all measures").click()
    workbook = load_workbook(io.BytesIO(download(page, page.get_by_test_id("exports").get_by_role(
        "link", name=re.compile("^Excel")))))
    sheet = workbook["Measures"]
    found = {r[2]: r for r in sheet.iter_rows(values_only=True) if r and len(r) > 5 and r[2] == "police-checks"}
    assert found["police-checks"][3:5] == (3, 5)  # Daniel's, the formula case's overdue; three came back
    pdf = PdfReader(io.BytesIO(download(page, page.get_by_test_id("exports").get_by_role(
        "link", name=re.compile("^PDF")))))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Inspection measures: North City A (North City)" in text and "Police checks made where required" in text

    # Another scope and period, chosen on the page.
    page.get_by_label("Count for").select_option(label="Priya Shah (P1)")
    page.get_by_label("From").fill("")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Priya Shah (P1)").first).to_be_visible()
    assert "scope=practitioner-" in page.url


def test_quality_assurance_audits_a_sample_of_cases(pages: Pages, people: People) -> None:
    page = pages.page
    pages.sign_in("quinn")
    page.get_by_role("link", name="Case audit").click()
    expect(page.get_by_role("heading", name="Case audit")).to_be_visible()
    assert pages.serious_accessibility_problems() == []
    page.get_by_label("How many cases").fill("2")
    page.get_by_label("Seed (optional)").fill("8")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_test_id("seed")).to_have_text("8")
    expect(page.get_by_test_id("reproduced")).to_contain_text("Yes")
    assert pages.serious_accessibility_problems() == []
    page.locator('[data-testid="sample-cases"] tr[data-case] a').first.click()
    for question in ("assessment", "planning", "delivery"):
        page.locator(f'input[name="{question}"][value="partly"]').check()
    page.get_by_label("Why (optional)").first.fill("The assessment named the victim but not her children.")
    assert pages.serious_accessibility_problems() == []
    page.get_by_role("button", name="Save and see the comparison").click()
    expect(page.locator('[data-testid="agreement"] tr[data-question="assessment"] [data-col="answered"]')) \
        .to_have_text("1")
    assert pages.serious_accessibility_problems() == []


def test_new_information_is_confirmed_and_dismissed(pages: Pages, people: People) -> None:
    page = pages.page
    pages.sign_in("priya")
    pages.open("/cases/X100005/")
    panel = page.get_by_test_id("new-information")
    expect(panel).to_contain_text("Record non-fatal strangulation?")
    expect(panel.locator("mark", has_text="hands round her neck")).to_be_visible()
    assert pages.serious_accessibility_problems() == []

    # Confirm: the police incident form opens pre-filled; saving records it.
    card = panel.locator('[data-testid="suggestion"][data-kind="strangulation"]')
    card.get_by_role("link", name=re.compile("^Yes, record it")).click()
    expect(page.get_by_role("heading", name="Record a police incident")).to_be_visible()
    expect(page.get_by_label("Strangulation")).to_be_checked()
    expect(page.get_by_test_id("suggestion-evidence")).to_contain_text("hands round her neck")
    assert pages.serious_accessibility_problems() == []
    page.get_by_label("Call-out").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("saved")).to_contain_text("recorded")
    expect(page.get_by_test_id("timeline")).to_contain_text("Strangulation")
    expect(page.locator('[data-testid="suggestion"][data-kind="strangulation"]')).to_have_count(0)
    expect(page.get_by_test_id("open-obligations")).to_contain_text("MARAC")  # its obligations follow
    case = Case.objects.get(ref="X100005")
    confirmed = SignalDecision.objects.get(kind="strangulation")
    assert confirmed.decision == "confirmed" and confirmed.recorded_event is not None
    assert confirmed.recorded_event.payload["features"] == ["strangulation"]

    # Dismiss: say why; the reason is kept and the case does not change.
    version = Case.objects.get(pk=case.pk).version
    page.get_by_test_id("new-information").locator("summary", has_text="more").click()  # beyond the first three
    page.locator('[data-testid="suggestion"][data-kind="arrest"]').get_by_role(
        "link", name=re.compile("^Dismiss")).click()
    expect(page.get_by_role("heading", name="Dismiss this suggestion")).to_be_visible()
    page.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert pages.serious_accessibility_problems() == []
    page.get_by_label("It is already recorded on the case").check()
    page.get_by_label(re.compile("^More detail")).fill("The arrest in March is already on the record.")
    page.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_test_id("saved")).to_contain_text("Suggestion dismissed")
    expect(page.locator('[data-testid="suggestion"][data-kind="arrest"]')).to_have_count(0)
    dismissed = SignalDecision.objects.get(kind="arrest")
    assert (dismissed.decision, dismissed.reason, dismissed.reason_text) == (
        "dismissed", "already_recorded", "The arrest in March is already on the record.")
    assert dismissed.decided_by.username == "priya"
    assert Case.objects.get(pk=case.pk).version == version
