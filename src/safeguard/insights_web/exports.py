"""Exports of any insights page: CSV, XLSX and PDF, from the same tables the page shows.

CSV is formula-safe (as Primero's exports are): a text cell that starts with = + - @, a tab or a carriage
return is prefixed with a single quote, so a spreadsheet shows it as text instead of running it (a case name
"=HYPERLINK(...)" stays a name). In XLSX such a cell is written as a string cell with Excel's quote-prefix
style, never as a formula. The PDF is drawn by WeasyPrint from an HTML page that holds the same charts (SVG)
and tables, with every outside fetch refused.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from safeguard.csvsafe import FORMULA_STARTS, formula_safe

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


@dataclass
class Table:
    """One table of an export: a sheet in XLSX, a section in CSV, a table in the PDF."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    percent_columns: frozenset[int] = frozenset()  # columns holding proportions (0 to 1)


@dataclass
class Export:
    title: str
    about: list[tuple[str, str]]  # (what, value): scope, period, the day it was read
    tables: list[Table]
    charts: list[Any] = field(default_factory=list)  # charts.Chart, for the PDF
    notes: list[str] = field(default_factory=list)
    made_at: datetime = field(default_factory=timezone.now)

    @property
    def row_count(self) -> int:
        return sum(len(t.rows) for t in self.tables)


def _cell_text(value: Any, percent: bool) -> Any:
    if value is None:
        return ""
    if percent and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    return value


def to_csv(export: Export) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([formula_safe(export.title)])
    for what, value in export.about:
        writer.writerow([formula_safe(what), formula_safe(value)])
    for table in export.tables:
        writer.writerow([])
        writer.writerow([formula_safe(table.title)])
        writer.writerow([formula_safe(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([formula_safe(_cell_text(v, i in table.percent_columns)) for i, v in enumerate(row)])
    for note in export.notes:
        writer.writerow([])
        writer.writerow([formula_safe(note)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the byte-order mark makes Excel read UTF-8


def _sheet_title(title: str, taken: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, n = base, 2
    while name in taken:
        name = f"{base[:26]} {n}"
        n += 1
    taken.add(name)
    return name


def to_xlsx(export: Export) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    taken: set[str] = set()
    bold = Font(bold=True)

    def put(sheet: Any, row: int, column: int, value: Any, *, percent: bool = False) -> None:
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"  # never a formula, whatever it starts with
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
        else:
            cell.value = value
            if percent and isinstance(value, int | float):
                cell.number_format = "0.0%"

    for table in export.tables:
        sheet = book.create_sheet(_sheet_title(table.title, taken))
        put(sheet, 1, 1, export.title)
        sheet.cell(row=1, column=1).font = bold
        line = 2
        for what, value in export.about:
            put(sheet, line, 1, what)
            put(sheet, line, 2, value)
            line += 1
        line += 1
        for column, header in enumerate(table.headers, start=1):
            put(sheet, line, column, header)
            sheet.cell(row=line, column=column).font = bold
        header_row = line
        for row in table.rows:
            line += 1
            for column, value in enumerate(row, start=1):
                put(sheet, line, column, value, percent=(column - 1) in table.percent_columns)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        for column, header in enumerate(table.headers, start=1):
            longest = max([len(str(header))] + [len(str(r[column - 1])) for r in table.rows if column - 1 < len(r)])
            sheet.column_dimensions[sheet.cell(row=header_row, column=column).column_letter].width = min(
                max(10, longest + 2), 70)
        for note in export.notes:
            line += 2
            put(sheet, line, 1, note)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the PDF export fetches nothing from outside the document ({url[:40]})")


def to_pdf(export: Export) -> bytes:
    from weasyprint import HTML

    page = render_to_string("insights_web/export_pdf.html", {"export": export})
    quiet = logging.getLogger("weasyprint")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # it notes every SVG presentation attribute it reads as CSS
    try:
        pdf = HTML(string=page, url_fetcher=_refuse_fetch).write_pdf()
    finally:
        quiet.setLevel(level)
    assert pdf is not None
    return bytes(pdf)


def render(export: Export, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(export)
    if fmt == "xlsx":
        return to_xlsx(export)
    if fmt == "pdf":
        return to_pdf(export)
    raise KeyError(fmt)
