"""`safeguard import-extract` on hostile and broken files (issue 33, finding 9): a file that is not a zip, a
workbook carrying an XML entity attack, a CSV that is not UTF-8, a row that cannot be read, a case ref or unit
name outside the rules. Each exits 2 with a message naming the file (and row and column), never a traceback,
and writes nothing. Run through the command's main function on real files made here."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import Any

import pytest
from test_api_extract import GOOD, write_csvs, write_workbook

from safeguard.cases.models import Case
from safeguard.cli import main
from safeguard.workforce.models import DeliveryUnit

pytestmark = pytest.mark.django_db

SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
         b'<c r="A1" t="inlineStr"><is><t>case_ref</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>%s'
         b"</t></is></c></row></sheetData></worksheet>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>' + SHEET % b"&secret;")
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                     for n in range(1, 10))
          + b"]>" + SHEET % b"&lol9;")


def refused(capsys: Any, argv: list[str], *expected: str) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for text in expected:
        assert text in err
    assert not Case.objects.exists()
    return err


def workbook(tmp_path: Path, replace: dict[str, bytes] | None = None) -> Path:
    plain = write_workbook(tmp_path / "plain.xlsx", GOOD)
    if not replace:
        return plain
    path = tmp_path / "extract.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            target.writestr(item, replace.get(item.filename, source.read(item)))
    return path


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "extract.xlsx"
    path.write_text("case_ref,born\nX1,1990-01-01\n")
    refused(capsys, ["import-extract", str(path)], "extract.xlsx: not an .xlsx workbook")


def test_a_damaged_workbook_is_refused(tmp_path: Path, capsys: Any) -> None:
    path = workbook(tmp_path, {"xl/workbook.xml": b"<workbook><sheets><sheet"})
    refused(capsys, ["import-extract", str(path)], "extract.xlsx: not a readable .xlsx workbook")


@pytest.mark.parametrize("attack", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_a_workbook_with_an_xml_entity_attack_is_refused_unread(tmp_path: Path, capsys: Any, attack: bytes) -> None:
    path = workbook(tmp_path, {"xl/worksheets/sheet1.xml": attack})
    err = refused(capsys, ["import-extract", str(path), "--dry-run"],
                  "extract.xlsx: xl/worksheets/sheet1.xml: XML with a document type declaration")
    assert "root:" not in err


def test_a_csv_that_is_not_utf8_is_refused(tmp_path: Path, capsys: Any) -> None:
    folder = write_csvs(tmp_path / "x", GOOD)
    (folder / "cases.csv").write_bytes("case_ref,pdu\nX700001,Nörth City\n".encode("latin-1"))
    refused(capsys, ["import-extract", str(folder)], "cases.csv: byte 22: not UTF-8 text")


def test_a_row_that_cannot_be_read_is_refused_naming_its_line(tmp_path: Path, capsys: Any) -> None:
    folder = write_csvs(tmp_path / "x", GOOD)
    (folder / "contacts.csv").write_text('case_ref,on,kind,outcome\nX700001,2022-03-08,"' + "x" * 200_000 + "\n")
    refused(capsys, ["import-extract", str(folder)], "contacts.csv: line 2: not a readable CSV row")


@pytest.mark.parametrize(("column", "value", "message"), [
    ("case_ref", "Y1/../../x", "column 'case_ref': expected a case ref"),
    ("pdu", "<img src=x onerror=alert(1)>", "column 'pdu': expected a name without '<', '>'"),
    ("pdu", "North\x1bCity", "column 'pdu': expected a name without '<', '>' or control characters"),
    ("gender", "g" * 41, "column 'gender': expected text of at most 40 characters"),
])
def test_a_row_outside_the_rules_is_reported_with_its_sheet_row_and_column(
        tmp_path: Path, capsys: Any, column: str, value: str, message: str) -> None:
    sheets = copy.deepcopy(GOOD)
    sheets["cases"][1][sheets["cases"][0].index(column)] = value
    refused(capsys, ["import-extract", str(write_csvs(tmp_path / "x", sheets))], "cases row 2", message)
    assert not DeliveryUnit.objects.exists()


def test_offence_text_over_the_limit_is_a_row_error(tmp_path: Path, capsys: Any) -> None:
    sheets = copy.deepcopy(GOOD)
    sheets["sentences"][1][4] = "o" * 10_001
    refused(capsys, ["import-extract", str(write_csvs(tmp_path / "x", sheets))], "sentences row 2",
            "field 'description': expected text of at most 10,000 characters")
