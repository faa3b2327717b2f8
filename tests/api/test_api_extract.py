"""Importing a spreadsheet extract from another case-management system: a dry-run preview with per-row errors,
then the rows recorded through the same actions as timelines and the API."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from safeguard.api.extract import ExtractError, import_extract
from safeguard.cases.models import Case, Registration
from safeguard.cli import main
from safeguard.oversight.models import Obligation
from safeguard.workforce.models import Staff

pytestmark = pytest.mark.django_db

GOOD = {
    "cases": [["case_ref", "born", "gender", "pdu", "practitioner", "allocated_on", "surname (ignored)"],
              ["X700001", "1990-02-03", "male", "North City", "P1", "2022-03-02", "Smith"]],
    "sentences": [["case_ref", "sentenced_on", "order", "months", "offence", "domestic"],
                  ["X700001", "2022-03-01", "community_order", "18", "Assault by beating", "yes"]],
    "registers": [["case_ref", "code", "registered_on", "deregistered_on"],
                  ["X700001", "ADVP", "2022-03-04", ""], ["X700001", "RMRH", "2022-03-04", "2022-05-01"]],
    "contacts": [["case_ref", "on", "kind", "outcome", "by"],
                 ["X700001", "2022-03-08", "office", "attended", "P1"],
                 ["X700001", "2022-03-15", "home_visit", "failed_to_attend", "P1"]],
}


def write_csvs(folder: Path, sheets: dict[str, list[list[str]]]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return folder


@pytest.fixture
def staff(db: Any) -> None:
    Staff.objects.create(code="P1", grade="PO", da_trained=True)


def test_a_dry_run_previews_and_writes_nothing(tmp_path: Path, staff: None) -> None:
    report = import_extract(write_csvs(tmp_path / "x", GOOD), dry_run=True)
    assert report.dry_run and not report.written and report.errors == []
    assert report.created == ["X700001"]
    assert report.as_dict()["events"] == 7
    assert not Case.objects.exists()


def test_an_import_records_every_row_through_the_actions(tmp_path: Path, staff: None) -> None:
    report = import_extract(write_csvs(tmp_path / "x", GOOD))
    assert report.written and report.errors == []
    case = Case.objects.get(ref="X700001")
    assert case.practitioner.code == "P1" and str(case.born) == "1990-02-03" and case.unit.name == "North City"
    assert [e.type for e in case.events.order_by("seq")] == ["sentenced", "allocated", "registered", "registered",
                                                             "contact", "contact", "deregistered"]
    assert {e.source for e in case.events.all()} == {"import"}
    assert Registration.objects.filter(case=case, code="RMRH").get().deregistered_on is not None
    assert Obligation.objects.filter(case=case).exists()  # evaluated once the rows were in


def test_bad_rows_are_reported_one_by_one_and_stop_the_import(tmp_path: Path, staff: None) -> None:
    sheets = {k: [list(r) for r in v] for k, v in GOOD.items()}
    sheets["contacts"].append(["X700001", "2022-03-20", "office", "late", "P1"])
    sheets["contacts"].append(["X700001", "20/03/2022", "office", "attended", "P1"])
    sheets["registers"].append(["X799999", "ADVP", "2022-03-04", ""])
    sheets["sentences"].append(["X700001", "2022-03-01", "community_order", "many", "", ""])
    report = import_extract(write_csvs(tmp_path / "x", sheets))
    assert not report.written and not Case.objects.exists()
    errors = {(r.sheet, r.row): r.message for r in report.errors}
    assert set(errors) == {("contacts", 4), ("contacts", 5), ("registers", 4), ("sentences", 3)}
    assert "field 'outcome'" in errors[("contacts", 4)] and "late" in errors[("contacts", 4)]
    assert "column 'on'" in errors[("contacts", 5)]
    assert "no case X799999" in errors[("registers", 4)]
    assert "column 'months'" in errors[("sentences", 3)]
    partial = import_extract(write_csvs(tmp_path / "x", sheets), skip_bad_rows=True)
    assert partial.written and len(partial.errors) == 4
    assert Case.objects.get(ref="X700001").events.count() == 7


def write_workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name.capitalize())
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_an_xlsx_workbook_and_the_cli(tmp_path: Path, staff: None, capsys: Any) -> None:
    path = write_workbook(tmp_path / "extract.xlsx", GOOD)
    assert main(["import-extract", str(path), "--dry-run", "--json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["dry_run"] and preview["events"] == 7 and preview["errors"] == []
    assert not Case.objects.exists()
    assert main(["import-extract", str(path)]) == 0
    assert Case.objects.get(ref="X700001").events.count() == 7
    assert main(["import-extract", str(tmp_path / "missing.xlsx")]) == 2


def test_an_unreadable_extract_is_refused(tmp_path: Path, db: Any) -> None:
    with pytest.raises(ExtractError):
        import_extract(tmp_path)
    write_csvs(tmp_path / "y", {"contacts": [["case", "on"], ["X1", "2022-01-01"]]})
    with pytest.raises(ExtractError, match="no column case_ref"):
        import_extract(tmp_path / "y")


def test_a_row_dated_after_today_is_refused_and_stops_the_import(tmp_path: Path, staff: None) -> None:
    """Issue 33, finding 3: a spreadsheet cannot lock a case with a far-future date either."""
    sheets = {k: [list(r) for r in v] for k, v in GOOD.items()}
    sheets["contacts"].append(["X700001", "2099-01-01", "office", "attended", "P1"])
    report = import_extract(write_csvs(tmp_path / "x", sheets))
    assert not report.written and not Case.objects.exists()
    [error] = report.errors
    assert (error.sheet, error.row) == ("contacts", 4)
    assert "field 'on': must not be after today" in error.message and "2099-01-01" in error.message
