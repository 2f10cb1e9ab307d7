"""Spreadsheets in and out: a CSV or Excel file read into rows of text cells, a table written for Excel.

Reading takes what campaign staff save from Excel or LibreOffice: an Excel workbook (``.xlsx``, its first
sheet, values only: a formula counts with the value Excel saved for it), or CSV in UTF-8 with or without a
byte order mark or in Windows-1252 (German Excel's "CSV (Trennzeichen-getrennt)"), comma-, semicolon- or
tab-separated, CRLF or LF line ends, quoted cells that may hold delimiters and line breaks. Cells are text
only: nothing in them is evaluated, a cell starting with ``=`` stays exactly that text. Lines are counted
as the person sees them: the physical line of a CSV file, the row number of a sheet.

Writing makes what German Excel opens without a dialog: an ``.xlsx`` with date cells, a bold frozen header row
with filters and fitting column widths, a cell that a spreadsheet would run as a formula kept as text (the
CSV for Excel, with ``;`` and a byte order mark, is ``tracker.formulas.spreadsheet_csv``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tracker.formulas import is_formula_like
from tracker.services.errors import InvalidInput, RowError, RowErrors
from tracker.textfiles import NotUtf8, decode_spreadsheet

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # an .xlsx is a zip: what its parts may unpack to (no zip bombs)
MAX_SHEET_LINES = 20 * MAX_ROWS  # rows of a sheet read at most, empty ones included

XLSX = "xlsx"
CSV = "csv"
DELIMITERS = (",", ";", "\t")  # tried in this order; the one that splits the header into known columns wins
DATE_FORMAT = "DD.MM.YYYY"  # how dates are shown in the workbooks we write

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SheetRow:
    line: int  # the file's line (CSV) or the sheet's row number (xlsx) where the row starts; the header is 1
    cells: tuple[str, ...]  # one per header cell, surrounding spaces removed, line breaks as "\n"


@dataclass(frozen=True)
class Sheet:
    """A spreadsheet as rows of text: its header, its non-empty rows, and the problems of the rows it could
    not take (a wrong number of cells, a value in an unnamed column, broken quoting)."""

    header: tuple[str, ...]  # the cells of the first line as written (spaces around removed)
    rows: tuple[SheetRow, ...]
    problems: tuple[RowError, ...]
    file_format: str  # CSV or XLSX
    converted_from: str | None = None  # the encoding a CSV was converted from ("windows-1252"), None for UTF-8


def read_sheet(data: bytes, name: str, is_known_column: Callable[[str], bool], accepted_columns: str) -> Sheet:
    """The rows of a CSV or Excel file; ``name`` (its file name) tells an ``.xlsx`` apart, as do its bytes.

    ``is_known_column`` picks a CSV's delimiter (the one whose header cells are known columns) and
    ``accepted_columns`` is what the errors list. Too large a file or too many rows raise ``InvalidInput``
    naming the limit; an unreadable file or an empty header ``RowErrors``.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(name, "file_too_large", megabytes=MAX_UPLOAD_BYTES // (1024 * 1024), max=MAX_UPLOAD_BYTES)
    if data.startswith(_OLE_MAGIC):
        raise RowErrors([RowError("file", "old_excel", line=1)])
    if data.startswith(_ZIP_MAGIC) or name.lower().endswith(".xlsx"):
        return _collect(_xlsx_lines(data, name), XLSX, None, accepted_columns, name)
    text, converted_from = _decode(data)
    # A cell may be as long as the file (Python's csv module stops at 128 KiB and would call the rest broken);
    # what is too long for its column is then said by that column's check, naming the line.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_UPLOAD_BYTES))
    delimiter = _detect_delimiter(_LINE_BREAK.split(text, maxsplit=1)[0], is_known_column)
    return _collect(_csv_lines(text, delimiter), CSV, converted_from, accepted_columns, name)


# --------------------------------------------------------------------------- the rows of a file


class _Broken(Exception):
    """The rest of the file cannot be read; ``problem`` says where and why."""

    def __init__(self, problem: RowError):
        self.problem = problem


def _collect(
    lines: Iterator[tuple[int, list[str]]], file_format: str, converted_from: str | None, accepted: str, source: str
) -> Sheet:
    """The header and the non-empty rows of ``lines`` (each with its line number), every problem collected."""
    rows: list[SheetRow] = []
    problems: list[RowError] = []
    header: tuple[str, ...] = ()
    count = 0  # non-empty data rows
    try:
        first = next(lines, None)
        header = tuple(_clean(cell) for cell in first[1]) if first else ()
        if file_format == XLSX:  # a sheet's rows end where their last value is, or where formatting ends
            while header and not header[-1]:
                header = header[:-1]
        if any(header):
            for line, cells in lines:
                if all(not cell.strip() for cell in cells):
                    continue
                count += 1
                if count > MAX_ROWS:
                    raise InvalidInput(source, "too_many_rows", max=MAX_ROWS)
                if file_format == XLSX:
                    cells = cells + [""] * (len(header) - len(cells))
                problem = _check_cells(cells, header, line, accepted, strict_width=file_format == CSV)
                if problem:
                    problems.append(problem)
                    continue
                row = SheetRow(line, tuple(_clean(cell) for cell in cells[: len(header)]))
                nul = [header[i] for i, cell in enumerate(row.cells) if "\x00" in cell]
                if nul:
                    problems.extend(RowError(column, "nul_byte", line=line) for column in nul)
                    continue
                rows.append(row)
    except _Broken as broken:
        problems.append(broken.problem)
    if not any(header):
        raise RowErrors(problems or [RowError("header", "header_empty", {"accepted": accepted}, line=1)])
    return Sheet(header, tuple(rows), tuple(problems), file_format, converted_from)


def _check_cells(
    cells: list[str], header: tuple[str, ...], line: int, accepted: str, *, strict_width: bool
) -> RowError | None:
    """A row's problem of shape: (in a CSV) another number of cells than the header has, or a value in a
    column without a name."""
    if strict_width and len(cells) != len(header):
        return RowError("cells", "cell_count", {"cells": len(cells), "columns": len(header)}, line=line)
    unnamed = [i + 1 for i, cell in enumerate(cells) if cell.strip() and (i >= len(header) or not header[i])]
    if unnamed:
        return RowError("cells", "unnamed_cell", {"column": unnamed[0], "accepted": accepted}, line=line)
    return None


def _clean(cell: str) -> str:
    """Surrounding spaces removed and line breaks made ``\\n``; nothing else changes (no formulas, no quotes)."""
    return _LINE_BREAK.sub("\n", cell).strip()


# --------------------------------------------------------------------------- CSV


def _decode(data: bytes) -> tuple[str, str | None]:
    try:
        return decode_spreadsheet(data)
    except NotUtf8 as error:
        if error.utf16:
            raise RowErrors([RowError("file", "utf16", line=1)]) from None
        raise RowErrors([RowError("file", "not_utf8", {"byte": f"{error.byte:02x}"}, line=error.line)]) from None


def _detect_delimiter(header_line: str, is_known_column: Callable[[str], bool]) -> str:
    """The delimiter that splits the header into the most known column names (a tie keeps the earlier one).

    ``code;status;...`` read with ``,`` is one unknown column and with ``;`` seven known ones. When no
    delimiter finds a known column, a header with ``;`` and without ``,`` is taken as ``;``-separated,
    so that the error lists the columns as the person wrote them.
    """
    best, best_known = ",", 0
    for delimiter in DELIMITERS:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = len({cell.strip().casefold() for cell in cells if is_known_column(cell)})
        if known > best_known:
            best, best_known = delimiter, known
    if best_known == 0 and ";" in header_line and "," not in header_line:
        return ";"
    return best


def _csv_lines(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    consumed = 0  # physical lines read so far: the next row starts on the line after
    try:
        for cells in reader:
            line, consumed = consumed + 1, reader.line_num
            yield line, cells
    except csv.Error as error:
        raise _Broken(
            RowError("file", "not_csv", {"reason": str(error), "delimiter": delimiter}, line=consumed + 1)
        ) from None


# --------------------------------------------------------------------------- Excel


def _xlsx_lines(data: bytes, source: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of the workbook's first sheet, numbered as the sheet numbers them."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise InvalidInput(source, "xlsx_too_large", megabytes=MAX_UNPACKED_BYTES // (1024 * 1024))
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InvalidInput:
        raise
    except Exception as error:  # noqa: BLE001 - zipfile, XML and openpyxl raise many kinds; all mean: unreadable
        raise RowErrors([_not_xlsx(error, 1)]) from None
    line = 0
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                values = next(rows, None)
            except Exception as error:  # noqa: BLE001 - a part of the sheet that cannot be read
                raise _Broken(_not_xlsx(error, line + 1)) from None
            if values is None:
                return
            line += 1
            if line > MAX_SHEET_LINES:
                raise InvalidInput(source, "too_many_rows", max=MAX_ROWS)
            yield line, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _not_xlsx(error: Exception, line: int) -> RowError:
    return RowError("file", "not_xlsx", {"reason": str(error) or type(error).__name__}, line=line)


def _cell_text(value: Any) -> str:
    """A cell's value as text: dates as YYYY-MM-DD, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- writing


def new_workbook():
    """An empty workbook (its first sheet is ``.active``)."""
    import openpyxl

    return openpyxl.Workbook()


def fill_table(sheet, header: Sequence[str], rows: Iterable[Sequence[Any]], *, max_width: int = 60) -> None:
    """Write a table on ``sheet``: a bold, frozen header row with filters, date cells shown as DD.MM.YYYY,
    text that looks like a formula kept as text, column widths fitting the content (at most ``max_width``,
    longer text wraps)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [len(name) for name in header]
    wrapped = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        sheet.append(list(row))
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            set_cell(cell, value)
            width = _shown_width(value)
            widths[cell.column - 1] = max(widths[cell.column - 1], width)
            if width > max_width or (isinstance(value, str) and "\n" in value):
                cell.alignment = wrapped
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, max_width)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{sheet.max_row}"


def set_cell(cell, value: Any) -> None:
    """Give ``cell`` (whose value is set) the format its value needs: a date format, or text kept as text."""
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str) and is_formula_like(value):
        cell.value = value
        cell.data_type = "s"  # openpyxl would store it as a formula
        cell.quotePrefix = True  # Excel's own mark for "text, even if it looks like a formula"


def _shown_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return len(DATE_FORMAT)
    return max((len(part) for part in str(value).split("\n")), default=0)


def workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
