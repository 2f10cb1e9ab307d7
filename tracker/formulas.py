"""Spreadsheet safety for exported cells: nothing we write is run as a formula when opened."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: str) -> bool:
    """Whether a spreadsheet would take ``value`` for a formula: it starts with = + - @ or a tab or CR."""
    return value.startswith(FORMULA_PREFIXES)


def neutralise_formula(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading apostrophe keeps them text (in CSV;
    a workbook marks such a cell as text instead, see ``tracker.services.spreadsheets.set_cell``)."""
    return "'" + value if is_formula_like(value) else value
