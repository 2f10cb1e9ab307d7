"""Spreadsheet safety for exported cells: nothing we write is run as a formula when opened."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: str) -> bool:
    """Whether a spreadsheet would take ``value`` for a formula: it starts with = + - @ or a tab or CR."""
    return value.startswith(FORMULA_PREFIXES)


def neutralise_formula(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading apostrophe keeps them text (in CSV;
    a workbook marks such a cell as text instead, see ``tracker.services.spreadsheets.set_cell``)."""
    return "'" + value if is_formula_like(value) else value


def spreadsheet_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A table as CSV the way German spreadsheet programs open it by a double click: separated by semicolons,
    with a byte order mark (so that Excel reads UTF-8 umlauts), dates as 01.10.2026, every cell text that
    cannot run as a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(cell) for cell in row])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return neutralise_formula(str(value))
