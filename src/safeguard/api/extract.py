"""Importing a spreadsheet extract from another case-management system, mapped onto the same actions.

The extract is an .xlsx workbook with up to four sheets, or a folder of .csv files with the same names:

    cases       case_ref, born, gender, pdu, practitioner, allocated_on
    sentences   case_ref, sentenced_on, order, months, offence, domestic
    registers   case_ref, code, registered_on, deregistered_on
    contacts    case_ref, on, kind, outcome, by

The first row of each sheet names its columns (in any order; other columns are ignored). Each row becomes
timeline events (`allocated`, `sentenced`, `registered` / `deregistered`, `contact`), validated and recorded
by record_event exactly as events from a timeline file or the API; a case that does not exist yet is created
from its `cases` row. Per case, events are applied in date order.

A dry run does everything in a transaction that is rolled back, and reports each row's outcome. A real run
first does the dry run and writes nothing unless every row is good (`--skip-bad-rows` imports the good rows
and reports the others).
"""

from __future__ import annotations

import csv
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from safeguard.limits import NAME_MAX, Refused, case_ref_problem, name_problem, text_problem
from safeguard.timeline.validate import TimelineError

SHEETS: dict[str, tuple[str, ...]] = {
    "cases": ("case_ref", "born", "gender", "pdu", "practitioner", "allocated_on"),
    "sentences": ("case_ref", "sentenced_on", "order", "months", "offence", "domestic"),
    "registers": ("case_ref", "code", "registered_on", "deregistered_on"),
    "contacts": ("case_ref", "on", "kind", "outcome", "by"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "cases": ("case_ref",),
    "sentences": ("case_ref", "sentenced_on", "order"),
    "registers": ("case_ref", "code", "registered_on"),
    "contacts": ("case_ref", "on", "kind", "outcome"),
}
ORDER = {"cases": 0, "sentences": 1, "registers": 2, "contacts": 3}
# A workbook unpacks to at most this many bytes (a few hundred thousand rows): more is refused unread, as a
# "zip bomb" would be.
XLSX_UNPACKED_MAX = 200 * 1024 * 1024
# The columns that name things stored in short columns (the rest are dates, codes and free text, which the
# timeline validator holds to its own limits).
COLUMN_LIMITS = {"gender": 40, "practitioner": 40, "by": 40}


class ExtractError(ValueError):
    """The extract cannot be read at all (no such file, no known sheet, a sheet without its columns)."""


@dataclass
class RowResult:
    sheet: str
    row: int  # the spreadsheet's row number (the header is row 1)
    case_ref: str
    ok: bool = True
    message: str = ""
    events: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "case": self.case_ref, "ok": self.ok,
                "message": self.message, "events": self.events}


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "written": self.written, "rows": len(self.rows),
                "errors": [r.as_dict() for r in self.errors], "cases_created": self.created,
                "events": sum(len(r.events) for r in self.rows if r.ok)}


# -- reading ---------------------------------------------------------------------------------------------------
def read_extract(path: str | Path) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """{sheet: [(row number, {column: text})]} from an .xlsx workbook or a folder of .csv files."""
    path = Path(path)
    if path.is_dir():
        tables = {name: _read_csv(path / f"{name}.csv") for name in SHEETS if (path / f"{name}.csv").exists()}
    elif path.suffix.lower() == ".xlsx" and path.exists():
        tables = _read_xlsx(path)
    else:
        raise ExtractError(f"{path}: expected an .xlsx workbook or a folder of .csv files")
    if not tables:
        raise ExtractError(f"{path}: no sheet named {', '.join(SHEETS)}")
    out: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for name, rows in tables.items():
        if not rows:
            continue
        header = [_cell(c).lower() for c in rows[0]]
        missing = [c for c in REQUIRED[name] if c not in header]
        if missing:
            raise ExtractError(f"{path}: sheet '{name}' has no column {', '.join(missing)} (its first row must name "
                               f"the columns: {', '.join(SHEETS[name])})")
        out[name] = [(number, {h: _cell(v) for h, v in zip(header, row, strict=False) if h in SHEETS[name]})
                     for number, row in enumerate(rows[1:], start=2) if any(_cell(v) for v in row)]
    return out


def _read_csv(path: Path) -> list[list[Any]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            try:
                return [list(row) for row in reader]
            except csv.Error as exc:
                raise ExtractError(f"{path}: line {reader.line_num}: not a readable CSV row ({exc})") from None
    except UnicodeDecodeError as exc:
        raise ExtractError(f"{path}: byte {exc.start}: not UTF-8 text (save the file as CSV UTF-8)") from None
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read the file: {exc.strerror or exc}") from None


def _check_workbook(path: Path) -> None:
    """Refuse a workbook before openpyxl parses it: not a zip, too big unpacked, or XML with a document type
    declaration (which a real workbook never has, and which is how entity-expansion and external-entity
    attacks are made)."""
    if not zipfile.is_zipfile(path):
        raise ExtractError(f"{path}: not an .xlsx workbook (an .xlsx file is a zip archive; this is not one)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > XLSX_UNPACKED_MAX:
                raise ExtractError(f"{path}: the workbook unpacks to more than {XLSX_UNPACKED_MAX // 2**20} MB")
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    data = archive.read(member)
                    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
                        data = data.decode("utf-16", errors="replace").encode()
                    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                        raise ExtractError(f"{path}: {member.filename}: XML with a document type declaration "
                                           f"(DOCTYPE or ENTITY) is refused")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise ExtractError(f"{path}: not a readable .xlsx workbook ({exc})") from None


def _read_xlsx(path: Path) -> dict[str, list[list[Any]]]:
    from openpyxl import load_workbook

    _check_workbook(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            return {ws.title.lower(): [list(r) for r in ws.iter_rows(values_only=True)]
                    for ws in book.worksheets if ws.title.lower() in SHEETS}
        finally:
            book.close()
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook; all mean the same
        raise ExtractError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# -- mapping rows to timeline events ---------------------------------------------------------------------------
class RowError(ValueError):
    pass


def _day(row: dict[str, str], column: str, required: bool = True) -> str | None:
    value = row.get(column, "")
    if not value:
        if required:
            raise RowError(f"column '{column}': a date (YYYY-MM-DD) is required")
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise RowError(f"column '{column}': expected a date (YYYY-MM-DD), got {value!r}") from None


def _bool(row: dict[str, str], column: str) -> bool | None:
    value = row.get(column, "").lower()
    if not value:
        return None
    if value in {"y", "yes", "true", "1"}:
        return True
    if value in {"n", "no", "false", "0"}:
        return False
    raise RowError(f"column '{column}': expected yes or no, got {row[column]!r}")


def check_row(sheet: str, row: dict[str, str]) -> None:
    """The checks on a row's own text: its case ref, its unit's name, and its short columns' lengths."""
    problem = case_ref_problem(row.get("case_ref", ""))
    if problem:
        raise RowError(f"column 'case_ref': {problem}")
    if sheet == "cases" and row.get("pdu"):
        problem = name_problem(row["pdu"], NAME_MAX)
        if problem:
            raise RowError(f"column 'pdu': {problem}")
    for column, limit in COLUMN_LIMITS.items():
        problem = text_problem(row.get(column, ""), limit)
        if problem:
            raise RowError(f"column '{column}': {problem}")


def events_for(sheet: str, row: dict[str, str]) -> list[dict[str, Any]]:
    """The timeline events one row stands for (validated later by record_event, with the case's refs)."""
    if sheet == "cases":
        if row.get("practitioner"):
            return [{"on": _day(row, "allocated_on"), "type": "allocated", "practitioner": row["practitioner"]}]
        return []
    if sheet == "sentences":
        event: dict[str, Any] = {"on": _day(row, "sentenced_on"), "type": "sentenced", "order": row["order"]}
        if row.get("months"):
            if not row["months"].isdigit():
                raise RowError(f"column 'months': expected a whole number, got {row['months']!r}")
            event["months"] = int(row["months"])
        offence = {k: v for k, v in (("description", row.get("offence") or None),
                                     ("domestic", _bool(row, "domestic"))) if v is not None}
        if offence:
            event["offence"] = offence
        return [event]
    if sheet == "registers":
        events = [{"on": _day(row, "registered_on"), "type": "registered", "code": row["code"]}]
        ended = _day(row, "deregistered_on", required=False)
        if ended:
            events.append({"on": ended, "type": "deregistered", "code": row["code"]})
        return events
    event = {"on": _day(row, "on"), "type": "contact", "kind": row["kind"], "outcome": row["outcome"]}
    if row.get("by"):
        event["by"] = row["by"]
    return [event]


# -- importing -------------------------------------------------------------------------------------------------
class _Rollback(Exception):
    pass


def import_extract(path: str | Path, *, dry_run: bool = False, skip_bad_rows: bool = False,
                   user: Any = None) -> ImportReport:
    """Preview (dry run) or import an extract. Raises ExtractError when it cannot be read at all."""
    tables = read_extract(path)
    preview = _run(tables, user=user, write=False)
    if dry_run or (preview.errors and not skip_bad_rows):
        preview.dry_run = dry_run
        return preview
    report = _run(tables, user=user, write=True)
    report.dry_run = False
    return report


def _run(tables: dict[str, list[tuple[int, dict[str, str]]]], *, user: Any, write: bool) -> ImportReport:
    report = ImportReport(dry_run=not write)
    try:
        with transaction.atomic():
            _apply(tables, report, user)
            if not write:
                raise _Rollback
            report.written = True
    except _Rollback:
        pass
    return report


def _apply(tables: dict[str, list[tuple[int, dict[str, str]]]], report: ImportReport, user: Any) -> None:
    from safeguard.actions import create_case, ensure_unit, record_event
    from safeguard.actions.events import refs_for
    from safeguard.cases.models import Case
    from safeguard.oversight.service import evaluate_case

    pending: dict[str, list[tuple[str, int, int, dict[str, Any], RowResult]]] = defaultdict(list)
    new_cases: dict[str, dict[str, str]] = {}
    for sheet in sorted(tables, key=ORDER.__getitem__):
        for number, row in tables[sheet]:
            result = RowResult(sheet, number, row.get("case_ref", ""))
            report.rows.append(result)
            if not result.case_ref:
                result.ok, result.message = False, "column 'case_ref' is empty"
                continue
            try:
                check_row(sheet, row)
            except RowError as exc:
                result.ok, result.message = False, str(exc)
                continue
            if sheet == "cases" and not Case.objects.filter(ref=result.case_ref, archived_at=None).exists():
                if result.case_ref in new_cases:
                    result.ok, result.message = False, f"case {result.case_ref} is listed twice"
                    continue
                new_cases[result.case_ref] = row
            try:
                for event in events_for(sheet, row):
                    pending[result.case_ref].append((event["on"], ORDER[sheet], number, event, result))
            except RowError as exc:
                result.ok, result.message = False, str(exc)
    for ref in sorted(pending.keys() | new_cases.keys()):
        case = Case.objects.filter(ref=ref, archived_at=None).first()
        if case is None and ref in new_cases:
            row = new_cases[ref]
            try:
                born = _day(row, "born", required=False)
            except RowError as exc:
                _fail_case(pending.get(ref, []), report, ref, str(exc))
                continue
            case = create_case(ref, ensure_unit(row.get("pdu") or "Unassigned"),
                               born=date.fromisoformat(born) if born else None, gender=row.get("gender", ""),
                               user=user)
            report.created.append(ref)
        if case is None:
            _fail_case(pending.get(ref, []), report, ref, f"no case {ref} (add it to the 'cases' sheet)")
            continue
        refs = refs_for(case)
        for _, _, _, event, result in sorted(pending.get(ref, []), key=lambda item: item[:3]):
            if not result.ok:
                continue
            try:
                record_event(case, event, user=user, source="import", evaluate=False, refs=refs)
                result.events.append(event["type"])
            except TimelineError as exc:
                result.ok, result.message = False, f"{exc.where}: {exc.problem}"
            except Refused as exc:  # a value a model refused to store: the row's error, not a crash
                result.ok, result.message = False, f"field '{exc.field}': {exc.problem}"
        evaluate_case(case)


def _fail_case(items: list[Any], report: ImportReport, ref: str, message: str) -> None:
    failed = {id(item[4]) for item in items}
    for result in report.rows:
        if result.case_ref == ref and (id(result) in failed or result.sheet == "cases") and result.ok:
            result.ok, result.message = False, message
