"""Importing a spreadsheet (CSV) of status changes: every row is checked first, then all are written in one go.

The file is what campaign staff export from Excel or LibreOffice: UTF-8 with or without a byte order mark,
comma- or semicolon-separated (a German locale writes ``;``), CRLF or LF line ends, quoted cells that may
hold delimiters and line breaks. Cells are text only: nothing in them is evaluated, a cell starting with
``=`` stays exactly that text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import Pledge, Programme
from tracker.services.audit import record_event
from tracker.services.auth import Actor, require
from tracker.services.errors import InvalidInput, RowError, RowErrors
from tracker.services.inputs import SourceInput, StatusChangeInput, parse_date
from tracker.services.ratings import BulkItem, check_items, record_status_changes, validate_change

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

STATUS_CSV_COLUMNS: tuple[str, ...] = (
    "code",
    "status",
    "date",
    "rationale",
    "source_url",
    "source_title",
    "source_kind",
)
DELIMITERS = (",", ";", "\t")  # tried in this order; the one that splits the header into known columns wins

_UTF8_BOM = b"\xef\xbb\xbf"
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ACCEPTED = ", ".join(STATUS_CSV_COLUMNS)
# What the checks of a status change call a field, and the column the person sees in the file.
_FIELD_COLUMNS = {
    "sources": "source_url",
    "source 1 URL": "source_url",
    "source 1 title": "source_title",
    "source 1 kind": "source_kind",
}


@dataclass(frozen=True)
class StatusRow:
    """One data row of the file, cells stripped of surrounding spaces and otherwise verbatim."""

    line: int  # the physical line of the file where the row starts; the header is line 1
    code: str
    status: str
    date: str
    rationale: str
    source_url: str
    source_title: str
    source_kind: str


@dataclass(frozen=True)
class PlannedChange:
    line: int
    code: str
    old_status: str
    new_status: str
    effective_date: dt.date
    rationale: str
    source_url: str
    source_title: str
    source_kind: str


@dataclass
class ImportPlan:
    changes: list[PlannedChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def status_csv_template() -> str:
    """The header and one example row: a file to download, fill in and import."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(STATUS_CSV_COLUMNS)
    writer.writerow(
        [
            "8.2-4",
            "in_progress",
            "2026-01-15",
            "Der Rat hat am 15.01.2026 beschlossen, Schülerinnen und Schüler mit Leihgeräten auszustatten.",
            "https://www.herne.de/rat/2026-01-15",
            "Ratsbeschluss vom 15.01.2026",
            "council",
        ]
    )
    return out.getvalue()


def parse_status_csv(data: bytes, source: str = "upload") -> list[StatusRow]:
    """The rows of a status CSV; ``RowErrors`` names the line (and column) of every problem in the file.

    Too large a file or too many rows raise ``InvalidInput`` naming the limit. Nothing is checked
    against the database here; see :func:`plan_status_import`.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            source,
            f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB ({MAX_UPLOAD_BYTES} bytes), "
            "the most one import accepts; split it into several files",
        )
    text = _decode(data)
    header_line = _LINE_BREAK.split(text, maxsplit=1)[0]
    delimiter = _detect_delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[StatusRow] = []
    errors: list[RowError] = []
    consumed = 0  # physical lines read so far: the next row starts on the line after
    count = 0  # data rows (not counting empty ones)
    try:
        header = next(reader, [])
        positions = _check_header(header)
        consumed = reader.line_num
        for cells in reader:
            line, consumed = consumed + 1, reader.line_num
            if all(not cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise InvalidInput(
                    source, f"the file has more than {MAX_ROWS} rows, the most one import accepts; split it"
                )
            problem = _check_cells(cells, header)
            if problem:
                errors.append(RowError(f"line {line}", "cells", problem))
                continue
            values = {name: _clean(cells[i]) for name, i in positions.items()}
            nul = [name for name in STATUS_CSV_COLUMNS if "\x00" in values[name]]
            if nul:
                errors.extend(RowError(f"line {line}", name, "contains a NUL byte (0x00); remove it") for name in nul)
                continue
            rows.append(StatusRow(line=line, **values))
    except csv.Error as error:
        errors.append(
            RowError(
                f"line {consumed + 1}",
                "file",
                f"is not valid CSV from here on ({error}); a cell that holds the delimiter {delimiter!r}, a line "
                'break or a double quote must be enclosed in double quotes, with its own quotes doubled ("")',
            )
        )
    if errors:
        raise RowErrors(errors)
    if not rows:
        raise RowErrors([RowError("line 2", "file", f"has no rows below the header; one row per change: {_ACCEPTED}")])
    return rows


def plan_status_import(session: Session, programme: Programme, rows: list[StatusRow], today: dt.date) -> ImportPlan:
    """What importing ``rows`` would change, or every problem of every row; nothing is written."""
    plan, _items = _plan(session, programme, rows, today)
    return plan


def import_statuses(
    session: Session,
    programme: Programme,
    data: bytes,
    actor: Actor,
    *,
    source: str = "upload",
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportPlan:
    """Import a status CSV in the caller's transaction (the caller commits): all rows or none.

    Any problem raises ``RowErrors`` (or ``InvalidInput`` for a file that is too large) and writes
    nothing; with ``dry_run`` the plan is returned and nothing is written either.
    """
    require(actor)
    today = today or clock.today()
    rows = parse_status_csv(data, source)
    plan, items = _plan(session, programme, rows, today)
    if not plan.ok:
        raise RowErrors(plan.errors)
    if dry_run:
        return plan
    record_status_changes(session, programme, items, actor, today)
    record_event(
        session,
        actor,
        "statuses.import",
        programme.id,
        detail={"source": source, "rows": len(items), "codes": [item.code for item in items]},
    )
    session.flush()
    return plan


# --------------------------------------------------------------------------- reading the file


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RowErrors([RowError("line 1", "file", "is UTF-16 encoded, not UTF-8; save the file as 'CSV UTF-8'")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = len(_LINE_BREAK_BYTES.findall(data, 0, error.start)) + 1
        raise RowErrors(
            [
                RowError(
                    f"line {line}",
                    "file",
                    f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as 'CSV UTF-8' "
                    "(Excel: Save as > CSV UTF-8; LibreOffice: character set Unicode (UTF-8))",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


def _detect_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most known column names (a tie keeps the earlier one).

    ``code;status;...`` read with ``,`` is one unknown column and with ``;`` seven known ones. When no
    delimiter finds a known column, a header with ``;`` and without ``,`` is taken as ``;``-separated,
    so that the error lists the columns as the person wrote them.
    """
    best, best_known = ",", 0
    for delimiter in DELIMITERS:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = len({c.strip().lower() for c in cells} & set(STATUS_CSV_COLUMNS))
        if known > best_known:
            best, best_known = delimiter, known
    if best_known == 0 and ";" in header_line and "," not in header_line:
        return ";"
    return best


def _check_header(header: list[str]) -> dict[str, int]:
    """The position of each column; ``RowErrors`` for unknown, repeated or missing columns."""
    names = [cell.strip().lower() for cell in header]
    if not any(names):
        raise RowErrors([RowError("line 1", "header", f"is empty; the first line must name the columns: {_ACCEPTED}")])
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:  # an empty column (spreadsheets sometimes add one at the end): its cells must stay empty
            continue
        if name not in STATUS_CSV_COLUMNS:
            errors.append(RowError("line 1", header[i].strip(), f"unknown column; accepted columns: {_ACCEPTED}"))
        elif name in positions:
            errors.append(RowError("line 1", name, "this column is named twice; name each column once"))
        else:
            positions[name] = i
    errors.extend(
        RowError("line 1", name, f"column missing; the header must name these columns (any order): {_ACCEPTED}")
        for name in STATUS_CSV_COLUMNS
        if name not in positions
    )
    if errors:
        raise RowErrors(errors)
    return positions


def _check_cells(cells: list[str], header: list[str]) -> str | None:
    if len(cells) != len(header):
        return (
            f"has {len(cells)} cells but the header has {len(header)}; each row needs one cell per column "
            "(enclose a cell that holds the delimiter in double quotes)"
        )
    unnamed = [i + 1 for i, name in enumerate(header) if not name.strip() and cells[i].strip()]
    if unnamed:
        return f"column {unnamed[0]} has a value but no name in the header; accepted columns: {_ACCEPTED}"
    return None


def _clean(cell: str) -> str:
    """Surrounding spaces removed and line breaks made ``\\n``; nothing else changes (no formulas, no quotes)."""
    return _LINE_BREAK.sub("\n", cell).strip()


# --------------------------------------------------------------------------- checking against the database


def _plan(
    session: Session, programme: Programme, rows: list[StatusRow], today: dt.date
) -> tuple[ImportPlan, list[BulkItem]]:
    errors: list[RowError] = []
    items: list[BulkItem] = []
    for row in rows:
        label = f"line {row.line}"
        if not row.code:
            errors.append(RowError(label, "code", "is empty; accepted: a pledge code such as 8.2-4"))
            continue
        effective = None
        if row.date:
            try:
                effective = parse_date(row.date, "date")
            except InvalidInput as error:
                errors.append(RowError(label, "date", error.message))
        has_source = row.source_url or row.source_title or row.source_kind
        sources = [SourceInput(row.source_url, row.source_title, row.source_kind or "other")] if has_source else []
        change = StatusChangeInput(row.status, row.rationale, sources, effective)
        items.append(BulkItem(row.code, change, label=label))
    errors.extend(_column_error(e) for e in check_items(session, programme, items, today))
    if errors:
        lines = {f"line {row.line}": row.line for row in rows}
        errors.sort(key=lambda e: (lines.get(e.row, 0), _column_index(e.field)))
        return ImportPlan(changes=[], errors=errors), items

    current = dict(
        session.execute(select(Pledge.code, Pledge.current_status).where(Pledge.programme_id == programme.id)).all()
    )
    changes = []
    for row, item in zip(rows, items, strict=True):
        valid = validate_change(programme, item.change, today)
        [source] = valid.sources
        changes.append(
            PlannedChange(
                line=row.line,
                code=item.code,
                old_status=current[item.code],
                new_status=valid.status,
                effective_date=valid.effective_date,
                rationale=valid.rationale,
                source_url=source.url,
                source_title=source.title,
                source_kind=source.kind,
            )
        )
    return ImportPlan(changes=changes, errors=[]), items


def _column_error(error: RowError) -> RowError:
    """The error with the field named as the column the person sees in the file."""
    column = _FIELD_COLUMNS.get(error.field, error.field)
    if error.field == "sources":
        message = "is empty; every change needs a source: source_url (http:// or https://) and source_title"
    else:
        message = error.message
    return RowError(error.row, column, message)


def _column_index(column: str) -> int:
    return STATUS_CSV_COLUMNS.index(column) if column in STATUS_CSV_COLUMNS else len(STATUS_CSV_COLUMNS)
