"""Spreadsheet safety for exported cells: nothing we write is run as a formula when opened."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading apostrophe keeps them text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def spreadsheet_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A table as CSV the way German spreadsheet programs open it by a double click: separated by semicolons,
    with a byte order mark (so that Excel reads UTF-8 umlauts), every cell text that cannot run as a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_formula("" if cell is None else str(cell)) for cell in row])
    return out.getvalue()
