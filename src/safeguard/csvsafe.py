"""Spreadsheet-safe cells for every CSV and XLSX export (formula injection, OWASP "CSV injection").

A cell whose text starts with = + - @ tab or carriage return can be run as a formula by Excel, LibreOffice
or Google Sheets when the file is opened (e.g. `=HYPERLINK(...)` leaking data, `=cmd|...` on old Excel).
Every export passes its cells through `formula_safe` (or `cell_text` for CSV writers that want text), which
puts a leading apostrophe before such text: spreadsheets show the text and never run it. Numbers, dates and
booleans are left alone (a negative number is a number, not a formula)."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """The value as a spreadsheet will not run it: text starting with = + - @ tab or CR gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_text(value: Any) -> str:
    """A CSV cell: None as empty, everything else as its text, made formula-safe."""
    text = "" if value is None else str(value)
    return str(formula_safe(text))


__all__ = ["FORMULA_STARTS", "cell_text", "formula_safe"]
