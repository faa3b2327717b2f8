"""Exports of any dashboard: CSV that a spreadsheet will not run as formulas, XLSX (opened with openpyxl) and PDF
(read back with pypdf), holding the numbers on the screen; each export is in the audit log."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from insights_pages import FORMULA_NAME, People
from openpyxl import load_workbook
from pypdf import PdfReader

from safeguard.audit.models import AuditEntry
from safeguard.insights.measures import MEASURES, compute_all, today
from safeguard.insights.scope import Period, Scope
from safeguard.insights_web.choosing import default_start
from safeguard.insights_web.exports import Export, Table, formula_safe, to_csv, to_xlsx

pytestmark = pytest.mark.django_db

CASES = "/insights/cases/export.{}?measure=police-checks&part=not_met"


def expected_for(people: People) -> dict[str, object]:
    day = today()
    team = people.org.team
    return compute_all(Scope(team=team.pk, label=str(team)), Period(default_start(day), day), day)


def csv_rows(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")'])
def test_cells_a_spreadsheet_would_run_are_quoted(value: str) -> None:
    assert formula_safe(value) == "'" + value
    for safe in ("Daniel", "1-2", "a=b", 5, -5, None):
        assert formula_safe(safe) == safe


def test_the_cases_csv_quotes_a_name_beginning_with_equals(clients: dict[str, Client], people: People) -> None:
    response = clients["mo"].get(CASES.format("csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="safeguard-police-checks-cases-not_met')
    rows = csv_rows(response.content)
    header = rows.index(["Case reference", "Name", "Practitioner", "Delivery unit", "Concern", "What was counted"])
    cases = {r[0]: r for r in rows[header + 1:] if len(r) > 1}
    assert set(cases) == {"X100001", "X100009"}
    assert cases["X100009"][1] == "'" + FORMULA_NAME
    assert cases["X100001"][1] == "Daniel Hughes"
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row)


def test_a_note_or_team_name_beginning_with_a_formula_character_is_quoted_in_every_section() -> None:
    export = Export("=title", [("Scope", "-team")], [Table("@t", ["=h"], [["=note", 3, "+x"]])], notes=["=n"])
    rows = csv_rows(to_csv(export))
    assert rows[0] == ["'=title"] and rows[1] == ["Scope", "'-team"]
    assert ["'=h"] in rows and ["'=note", "3", "'+x"] in rows and ["'=n"] in rows


def test_the_dashboard_csv_holds_every_measures_numbers(clients: dict[str, Client], people: People) -> None:
    rows = csv_rows(clients["mo"].get("/insights/export.csv").content)
    assert rows[0] == ["Inspection measures: North City A (North City)"]
    header = rows.index(["Group", "Measure", "Measure id", "Met (numerator)", "Counted (denominator)", "Percentage",
                         "Average per practitioner", "National figure", "National figure year"])
    found = {r[2]: r for r in rows[header + 1:header + 1 + len(MEASURES)]}
    expected = expected_for(people)
    for m in MEASURES:
        assert found[m.id][3] == str(expected[m.id].numerator)  # type: ignore[attr-defined]
        assert float(found[m.id][4]) == float(expected[m.id].denominator)  # type: ignore[attr-defined]
    assert found["police-checks"][5] == "50.0%" and found["police-checks"][7] == "49.0%"


def test_the_xlsx_opens_and_holds_the_numbers_and_the_names_as_text(clients: dict[str, Client],
                                                                    people: People) -> None:
    response = clients["mo"].get("/insights/export.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Measures"
    sheet = book["Measures"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[:2] == ["Group", "Measure"])
    found = {r[2]: r for r in rows[header + 1:header + 1 + len(MEASURES)]}
    expected = expected_for(people)
    for m in MEASURES:
        assert found[m.id][3] == expected[m.id].numerator  # type: ignore[attr-defined]
    assert found["police-checks"][5] == 0.5
    percent_cell = sheet.cell(row=header + 1 + [m.id for m in MEASURES].index("police-checks") + 1, column=6)
    assert percent_cell.number_format == "0.0%"
    assert any(name.startswith("Trend") for name in book.sheetnames)

    cases = load_workbook(io.BytesIO(clients["mo"].get(CASES.format("xlsx")).content))["Cases"]
    name_cells = [row[1] for row in cases.iter_rows() if row[0].value == "X100009"]
    assert len(name_cells) == 1
    cell = name_cells[0]
    assert cell.value == FORMULA_NAME and cell.data_type == "s" and cell.quotePrefix  # text, never a formula


def test_no_xlsx_cell_is_a_formula() -> None:
    book = load_workbook(io.BytesIO(to_xlsx(Export("=x", [("a", "=b")], [Table("t", ["=h"], [["=1+1", 2]])]))))
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)


def test_the_pdf_reads_back_with_the_numbers_and_charts(clients: dict[str, Client], people: People) -> None:
    response = clients["mo"].get("/insights/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Inspection measures: North City A (North City)" in text
    assert "Police checks made where required" in text
    assert "Inspection measures for North City A (North City)" in text  # the chart's heading
    expected = expected_for(people)
    assert f"police-checks {expected['police-checks'].numerator} {expected['police-checks'].denominator} 50.0%" \
        in text  # type: ignore[attr-defined]
    assert len(reader.pages) >= 2


def test_the_cases_pdf_lists_the_cases(clients: dict[str, Client], people: People) -> None:
    reader = PdfReader(io.BytesIO(clients["mo"].get(CASES.format("pdf")).content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "X100001" in text and "Daniel Hughes" in text and "X100009" in text


def test_each_export_is_audited_without_personal_details(clients: dict[str, Client], people: People) -> None:
    clients["mo"].get(CASES.format("csv"))
    entry = AuditEntry.objects.filter(action="insights.exported").last()
    assert entry is not None and entry.user == people.users["mo"]
    assert entry.detail == {"format": "csv", "scope": f"team-{people.org.team.pk}", "rows": 2, "kind": "not_met"}
    assert entry.object_id == "police-checks"
