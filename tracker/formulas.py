"""Spreadsheet safety for exported cells: nothing we write is run as a formula when opened."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading apostrophe keeps them text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
