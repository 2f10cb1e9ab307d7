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
from tracker.services.audit_log import record_event
from tracker.services.auth import Actor, require
from tracker.services.errors import InvalidInput, RowError, RowErrors
from tracker.services.inputs import SourceInput, StatusChangeInput, parse_date
from tracker.services.programmes import find_programme
from tracker.services.status_changes import BulkItem, ValidChange, append_changes, check_items
from tracker.services.unit_of_work import unit_of_work
from tracker.textfiles import NotUtf8, decode_utf8

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

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ACCEPTED = ", ".join(STATUS_CSV_COLUMNS)
# The field keys of a status change's checks, and the column the person sees in the file.
_FIELD_COLUMNS = {
    "sources": "source_url",
    "source.url": "source_url",
    "source.title": "source_title",
    "source.kind": "source_kind",
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
        raise InvalidInput(source, "file_too_large", megabytes=MAX_UPLOAD_BYTES // (1024 * 1024), max=MAX_UPLOAD_BYTES)
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
                raise InvalidInput(source, "too_many_rows", max=MAX_ROWS)
            problem = _check_cells(cells, header, line)
            if problem:
                errors.append(problem)
                continue
            values = {name: _clean(cells[i]) for name, i in positions.items()}
            nul = [name for name in STATUS_CSV_COLUMNS if "\x00" in values[name]]
            if nul:
                errors.extend(RowError(name, "nul_byte", line=line) for name in nul)
                continue
            rows.append(StatusRow(line=line, **values))
    except csv.Error as error:
        errors.append(RowError("file", "not_csv", {"reason": str(error), "delimiter": delimiter}, line=consumed + 1))
    if errors:
        raise RowErrors(errors)
    if not rows:
        raise RowErrors([RowError("file", "no_rows", {"accepted": _ACCEPTED}, line=2)])
    return rows


def plan_status_import(programme: str | None, rows: list[StatusRow], today: dt.date | None = None) -> ImportPlan:
    """What importing ``rows`` would change, or every problem of every row; nothing is written."""
    with unit_of_work() as session:
        plan, _items, _valid = _plan(session, find_programme(session, programme), rows, today or clock.today())
        return plan


def import_statuses(
    programme: str | None,
    data: bytes,
    actor: Actor,
    *,
    source: str = "upload",
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportPlan:
    """Import a status CSV in one transaction: all rows or none.

    Any problem raises ``RowErrors`` (or ``InvalidInput`` for a file that is too large) and writes
    nothing; with ``dry_run`` the plan is returned and nothing is written either.
    """
    require(actor)
    today = today or clock.today()
    rows = parse_status_csv(data, source)
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        plan, items, valid = _plan(session, prog, rows, today)
        if not plan.ok:
            raise RowErrors(plan.errors)
        if dry_run:
            return plan
        append_changes(session, prog, items, valid, actor)
        record_event(
            session,
            actor,
            "statuses.import",
            prog.id,
            detail={"source": source, "rows": len(items), "codes": [item.code for item in items]},
        )
    return plan


# --------------------------------------------------------------------------- reading the file


def _decode(data: bytes) -> str:
    try:
        return decode_utf8(data)
    except NotUtf8 as error:
        if error.utf16:
            raise RowErrors([RowError("file", "utf16", line=1)]) from None
        raise RowErrors([RowError("file", "not_utf8", {"byte": f"{error.byte:02x}"}, line=error.line)]) from None


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
        raise RowErrors([RowError("header", "header_empty", {"accepted": _ACCEPTED}, line=1)])
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:  # an empty column (spreadsheets sometimes add one at the end): its cells must stay empty
            continue
        if name not in STATUS_CSV_COLUMNS:
            errors.append(RowError(header[i].strip(), "unknown_column", {"accepted": _ACCEPTED}, line=1))
        elif name in positions:
            errors.append(RowError(name, "column_twice", line=1))
        else:
            positions[name] = i
    errors.extend(
        RowError(name, "column_missing", {"accepted": _ACCEPTED}, line=1)
        for name in STATUS_CSV_COLUMNS
        if name not in positions
    )
    if errors:
        raise RowErrors(errors)
    return positions


def _check_cells(cells: list[str], header: list[str], line: int) -> RowError | None:
    if len(cells) != len(header):
        return RowError("cells", "cell_count", {"cells": len(cells), "columns": len(header)}, line=line)
    unnamed = [i + 1 for i, name in enumerate(header) if not name.strip() and cells[i].strip()]
    if unnamed:
        return RowError("cells", "unnamed_cell", {"column": unnamed[0], "accepted": _ACCEPTED}, line=line)
    return None


def _clean(cell: str) -> str:
    """Surrounding spaces removed and line breaks made ``\\n``; nothing else changes (no formulas, no quotes)."""
    return _LINE_BREAK.sub("\n", cell).strip()


# --------------------------------------------------------------------------- checking against the database


def _plan(
    session: Session, programme: Programme, rows: list[StatusRow], today: dt.date
) -> tuple[ImportPlan, list[BulkItem], list[ValidChange]]:
    """The plan of the import, its items and their checked changes (each row is checked once)."""
    errors: list[RowError] = []
    items: list[BulkItem] = []
    for row in rows:
        if not row.code:
            errors.append(RowError("code", "code_empty", line=row.line))
            continue
        effective = None
        if row.date:
            try:
                effective = parse_date(row.date, "date")
            except InvalidInput as error:
                errors.append(RowError("date", error.code, error.params, line=row.line))
        has_source = row.source_url or row.source_title or row.source_kind
        sources = [SourceInput(row.source_url, row.source_title, row.source_kind or "other")] if has_source else []
        items.append(
            BulkItem(row.code, StatusChangeInput(row.status, row.rationale, sources, effective), line=row.line)
        )
    item_errors, valid = check_items(session, programme, items, today)
    errors.extend(_column_error(e) for e in item_errors)
    if errors:
        errors.sort(key=lambda e: (e.line or 0, _column_index(e.field)))
        return ImportPlan(changes=[], errors=errors), items, []

    current = dict(
        session.execute(select(Pledge.code, Pledge.current_status).where(Pledge.programme_id == programme.id)).all()
    )
    changes = []
    for item, change in zip(items, valid, strict=True):
        [source] = change.sources
        changes.append(
            PlannedChange(
                line=item.line,
                code=item.code,
                old_status=current[item.code],
                new_status=change.status,
                effective_date=change.effective_date,
                rationale=change.rationale,
                source_url=source.url,
                source_title=source.title,
                source_kind=source.kind,
            )
        )
    return ImportPlan(changes=changes, errors=[]), items, valid


def _column_error(error: RowError) -> RowError:
    """The error with the field named as the column the person sees in the file."""
    column = _FIELD_COLUMNS.get(error.field, error.field)
    code = "source_missing" if error.field == "sources" else error.code
    return RowError(column, code, {} if code == "source_missing" else error.params, line=error.line)


def _column_index(column: str) -> int:
    return STATUS_CSV_COLUMNS.index(column) if column in STATUS_CSV_COLUMNS else len(STATUS_CSV_COLUMNS)
