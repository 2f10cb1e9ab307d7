"""Importing a spreadsheet of status changes: every row is checked first, then the new ones are written in one go.

The file is an Excel workbook or a CSV (see ``spreadsheets``) with one row per change. Its columns are named
by their keys (``code``, ``status`` ...) or by the German headers of the template (``Nummer``, ``Bewertung``
...), in any order and case; statuses and kinds of source by their keys or their German or English labels;
dates as 2026-10-01 or 01.10.2026, or as date cells.

What happens to each row is decided before anything is written, with the rule the save uses
(``Pledge.current_change``): it becomes the pledge's current status, or it only extends the history because a
rating with a later effective date stays current, or it repeats a change on record (``find_identical``) and is
skipped. A row that cannot be recorded is refused, naming its line, its column as the file names it, and what
is accepted. All or nothing: while any row is refused, nothing is written; skipped rows do not block the
rest, so importing the same file again records nothing and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlalchemy.orm import Session

from tracker import clock
from tracker.formulas import spreadsheet_csv
from tracker.models import Programme
from tracker.services import spreadsheets
from tracker.services.audit_log import record_event
from tracker.services.auth import Actor, require
from tracker.services.change_preview import Effect, preview_change
from tracker.services.errors import InvalidInput, RowError, RowErrors
from tracker.services.inputs import SourceInput, StatusChangeInput, parse_sheet_date
from tracker.services.pledges import find_pledge
from tracker.services.programmes import find_programme
from tracker.services.status_changes import (
    BulkItem,
    ValidChange,
    append_changes,
    check_items,
    validate_change,
)
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import BROKEN_REASON_LABELS, SOURCE_KIND_LABELS, STATUS_LABELS, SourceKind, Status


@dataclass(frozen=True)
class SheetColumn:
    key: str  # the column's name in English, as the CSV files of earlier versions name it
    german: str  # its header in the template
    required: bool = True  # files of earlier versions lack the optional columns; their cells then count as empty


STATUS_SHEET_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("code", "Nummer"),
    SheetColumn("status", "Bewertung"),
    SheetColumn("date", "Stichtag"),
    SheetColumn("rationale", "Begründung"),
    SheetColumn("source_url", "Adresse der Quelle"),
    SheetColumn("source_title", "Titel der Quelle"),
    SheetColumn("source_kind", "Art der Quelle"),
    SheetColumn("broken_reason", "Grund des Bruchs", required=False),
    SheetColumn("broken_reason_text", "Anderer Grund", required=False),
)
# The columns every file names; the optional ones (the reason of a broken pledge) may be left out.
STATUS_CSV_COLUMNS: tuple[str, ...] = tuple(column.key for column in STATUS_SHEET_COLUMNS if column.required)
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(column.key for column in STATUS_SHEET_COLUMNS if not column.required)
GERMAN_HEADERS: dict[str, str] = {column.key: column.german for column in STATUS_SHEET_COLUMNS}
ACCEPTED_COLUMNS = (
    f"{', '.join(STATUS_CSV_COLUMNS)} (or the German headers: "
    f"{', '.join(GERMAN_HEADERS[key] for key in STATUS_CSV_COLUMNS)}); optional: "
    + ", ".join(f"{key} ({GERMAN_HEADERS[key]})" for key in OPTIONAL_COLUMNS)
)

# The code of the template's example row: the programme parser numbers measures from 1 (``<area>-<k>``,
# ``<goal>-<k>``, k >= 1), so no measure can have it, and a file that still holds it is answered with a
# note to delete the row rather than with "no such measure".
TEMPLATE_EXAMPLE_CODE = "0-0"

# The field keys of a status change's checks, and the column they are about.
_FIELD_COLUMNS = {
    "status": "status",
    "rationale": "rationale",
    "date": "date",
    "code": "code",
    "sources": "source_url",
    "source.url": "source_url",
    "source.title": "source_title",
    "source.kind": "source_kind",
    "broken_reason": "broken_reason",
    "broken_reason_text": "broken_reason_text",
}


@dataclass(frozen=True)
class StatusRow:
    """One data row of the file, cells stripped of surrounding spaces and otherwise verbatim."""

    line: int  # the line of the file (the row of the sheet) where the row starts; the header is line 1
    code: str
    status: str
    date: str
    rationale: str
    source_url: str
    source_title: str
    source_kind: str
    broken_reason: str = ""
    broken_reason_text: str = ""


@dataclass(frozen=True)
class StatusSheet:
    """A status spreadsheet as read: its rows, the problems of rows it could not read, and how it was read."""

    rows: tuple[StatusRow, ...]
    problems: tuple[RowError, ...]
    headers: dict[str, str]  # column key -> its header as the file writes it
    file_format: str  # "csv" or "xlsx"
    converted_from: str | None  # "windows-1252" when a CSV was not UTF-8


class RowOutcome(StrEnum):
    """What a row does to its pledge."""

    CURRENT = "current"  # recorded, and its status becomes the pledge's current (public) status
    HISTORY = "history"  # recorded in the history; a rating with a later effective date stays current
    ALREADY_RECORDED = "already_recorded"  # the same change is on record: skipped


_OUTCOMES = {
    Effect.NEW_CURRENT: RowOutcome.CURRENT,
    Effect.HISTORY_ONLY: RowOutcome.HISTORY,
    Effect.ALREADY_RECORDED: RowOutcome.ALREADY_RECORDED,
}


@dataclass(frozen=True)
class PlannedRow:
    """A row that can be imported, and what it does."""

    line: int
    code: str
    outcome: RowOutcome
    status: str  # the status the row records
    effective_date: dt.date
    status_before: str  # the pledge's current status now
    status_after: str  # its current status after the import
    current_date: dt.date | None  # the effective date of the rating that is current after the import
    recorded_as: int | None  # ALREADY_RECORDED: the number of the change on record
    rationale: str
    source_url: str
    source_title: str
    source_kind: str
    broken_reason: str | None = None


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file does, row by row, and every problem of the rows that are refused.

    ``written`` is True once the new rows are recorded (``import_statuses``), False for a preview.
    """

    rows: tuple[PlannedRow, ...]
    errors: tuple[RowError, ...]
    file_format: str
    converted_from: str | None
    written: bool = False

    @property
    def new(self) -> tuple[PlannedRow, ...]:
        """The rows that are (or would be) recorded."""
        return tuple(row for row in self.rows if row.outcome is not RowOutcome.ALREADY_RECORDED)

    @property
    def skipped(self) -> tuple[PlannedRow, ...]:
        """The rows that repeat a change on record."""
        return tuple(row for row in self.rows if row.outcome is RowOutcome.ALREADY_RECORDED)

    @property
    def refused(self) -> int:
        """How many rows (lines) of the file are refused."""
        return len({error.line for error in self.errors})

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- the template


TEMPLATE_SHEET = "Bewertungen"
TEMPLATE_NOTES_SHEET = "Erläuterung"
TEMPLATE_ROWS = 500  # rows of the template's sheet that offer the dropdowns and keep codes as text

_EXAMPLE = (
    TEMPLATE_EXAMPLE_CODE,
    STATUS_LABELS[Status.IN_PROGRESS]["de"],
    dt.date(2026, 1, 15),
    "Beispielzeile, bitte löschen: Der Rat hat am 15.01.2026 beschlossen, alle Schulen mit WLAN auszustatten.",
    "https://www.example.org/ratsbeschluss-2026-01-15",
    "Ratsbeschluss vom 15.01.2026",
    SOURCE_KIND_LABELS[SourceKind.COUNCIL]["de"],
    "",
    "",
)
_NOTES = (
    ("Nummer", "code", "Die Nummer der Maßnahme, wie der Tracker sie zeigt, z. B. 8.2-4 oder 13.5b-1."),
    (
        "Bewertung",
        "status",
        "Die neue Bewertung: " + ", ".join(labels["de"] for labels in STATUS_LABELS.values()) + ".",
    ),
    (
        "Stichtag",
        "date",
        "Ab wann die Bewertung gilt: 01.10.2026 oder 2026-10-01 (auch als Datumszelle); leer bedeutet heute.",
    ),
    ("Begründung", "rationale", "Warum die Maßnahme so bewertet wird; öffentlich sichtbar."),
    ("Adresse der Quelle", "source_url", "Die Internetadresse der Quelle, beginnend mit https:// oder http://."),
    ("Titel der Quelle", "source_title", "Wie die Quelle heißt, z. B. Ratsbeschluss vom 15.01.2026."),
    (
        "Art der Quelle",
        "source_kind",
        "Eine von: " + ", ".join(labels["de"] for labels in SOURCE_KIND_LABELS.values()) + "; leer bedeutet Sonstiges.",
    ),
    (
        "Grund des Bruchs",
        "broken_reason",
        "Nur bei der Bewertung Gebrochen, dort Pflicht: "
        + ", ".join(labels["de"] for labels in BROKEN_REASON_LABELS.values())
        + ".",
    ),
    ("Anderer Grund", "broken_reason_text", "Nur beim Grund „Anderer Grund“, dort Pflicht: welcher Grund."),
)
_NOTES_TEXT = (
    f"Eine Zeile pro Bewertung. Die Beispielzeile (Nummer {TEMPLATE_EXAMPLE_CODE}) bitte löschen.",
    "Jede Maßnahme darf einmal pro Datei vorkommen. Zeilen, die genau so schon erfasst sind, werden übersprungen.",
    "Bewertungen und Arten der Quelle gehen auch auf Englisch oder als Schlüssel (z. B. in_progress); "
    "Groß- und Kleinschreibung ist egal.",
    "Als Excel-Datei (.xlsx) oder als CSV (UTF-8 oder Windows-1252, Komma oder Semikolon) hochladen.",
)


def status_template_xlsx() -> bytes:
    """The template as an Excel workbook: German headers, the example row, dropdowns for the status and the
    kind of source, codes kept as text; a second sheet explains the columns."""
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    spreadsheets.fill_table(sheet, list(GERMAN_HEADERS.values()), [_EXAMPLE], max_width=40)
    sheet.column_dimensions["D"].width = 60
    last = TEMPLATE_ROWS + 1
    for row in range(2, last + 1):  # typed codes such as 1-1 stay text instead of becoming a date
        sheet.cell(row, 1).number_format = "@"
        sheet.cell(row, 3).number_format = spreadsheets.DATE_FORMAT
    for column, labels, what in (
        ("B", STATUS_LABELS, "Bewertung"),
        ("G", SOURCE_KIND_LABELS, "Art der Quelle"),
        ("H", BROKEN_REASON_LABELS, "Grund des Bruchs"),
    ):
        choices = ",".join(names["de"] for names in labels.values())
        validation = DataValidation(
            type="list",
            formula1=f'"{choices}"',
            allow_blank=True,
            showErrorMessage=False,  # other spellings (English, keys) are accepted too; the import checks them
            promptTitle=what,
            prompt="Bitte aus der Liste wählen.",
        )
        validation.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(validation)
    sheet.auto_filter.ref = None
    notes = workbook.create_sheet(TEMPLATE_NOTES_SHEET)
    spreadsheets.fill_table(notes, ["Spalte", "Auch möglich", "Was hineingehört"], _NOTES, max_width=100)
    notes.auto_filter.ref = None
    notes.append([])
    for text in _NOTES_TEXT:
        notes.append([text])
    return spreadsheets.workbook_bytes(workbook)


def status_template_csv() -> bytes:
    """The template as a CSV for German Excel: semicolons, a byte order mark, German headers and labels."""
    return spreadsheet_csv(list(GERMAN_HEADERS.values()), [_EXAMPLE]).encode("utf-8")


# --------------------------------------------------------------------------- reading the file


def read_status_sheet(data: bytes, name: str = "upload") -> StatusSheet:
    """The rows of a status spreadsheet (``name`` is its file name); ``RowErrors`` for a file that cannot be
    read or a header that does not name the columns, ``InvalidInput`` for a file over the limits."""
    sheet = spreadsheets.read_sheet(data, name, _is_column, ACCEPTED_COLUMNS)
    positions = _check_header(sheet.header)
    headers = {key: sheet.header[i] for key, i in positions.items()}
    rows = tuple(StatusRow(row.line, **{key: row.cells[i] for key, i in positions.items()}) for row in sheet.rows)
    if not rows and not sheet.problems:
        raise RowErrors([RowError("file", "no_rows", {"accepted": ACCEPTED_COLUMNS}, line=2)])
    return StatusSheet(rows, sheet.problems, headers, sheet.file_format, sheet.converted_from)


def _column_key(header: str) -> str | None:
    name = " ".join(header.split()).casefold()
    for column in STATUS_SHEET_COLUMNS:
        if name in (column.key, column.german.casefold()):
            return column.key
    return None


def _is_column(header: str) -> bool:
    return _column_key(header) is not None


def _check_header(header: tuple[str, ...]) -> dict[str, int]:
    """The position of each column; ``RowErrors`` for unknown, repeated or missing columns."""
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    german = False
    for i, name in enumerate(header):
        if not name:  # an empty column (spreadsheets sometimes add one at the end): its cells must stay empty
            continue
        key = _column_key(name)
        if key is None:
            errors.append(RowError(name, "unknown_column", {"accepted": ACCEPTED_COLUMNS}, line=1))
        elif key in positions:
            errors.append(RowError(name, "column_twice", line=1))
        else:
            positions[key] = i
            german = german or " ".join(name.split()).casefold() != key  # named by its German header
    errors.extend(
        RowError(GERMAN_HEADERS[key] if german else key, "column_missing", {"accepted": ACCEPTED_COLUMNS}, line=1)
        for key in STATUS_CSV_COLUMNS
        if key not in positions
    )
    if errors:
        raise RowErrors(errors)
    return positions


# --------------------------------------------------------------------------- checking against the database


def preview_status_import(
    programme: str | None, data: bytes, actor: Actor, *, source: str = "upload", today: dt.date | None = None
) -> ImportPlan:
    """What importing the file would do, row by row, and every problem of every row; nothing is written.

    A file that cannot be read at all (or whose header is wrong) raises ``RowErrors``; problems of rows are in
    the plan's ``errors``.
    """
    with unit_of_work() as session:
        require(session, actor)
        sheet = read_status_sheet(data, source)
        plan, _items = _plan(session, find_programme(session, programme), sheet, today or clock.today())
        return plan


def import_statuses(
    programme: str | None, data: bytes, actor: Actor, *, source: str = "upload", today: dt.date | None = None
) -> ImportPlan:
    """Import a status spreadsheet in one transaction: every new row, or none.

    Any refused row raises ``RowErrors`` (or ``InvalidInput`` for a file over the limits) and writes nothing.
    Rows already on record are skipped; when every row is, nothing is written and the plan says so
    (``new`` is empty).
    """
    today = today or clock.today()
    with unit_of_work() as session:
        actor = require(session, actor)
        sheet = read_status_sheet(data, source)
        prog = find_programme(session, programme)
        plan, items = _plan(session, prog, sheet, today)
        if not plan.ok:
            raise RowErrors(list(plan.errors))
        if not plan.new:
            return plan
        new = [items[row.line] for row in plan.new]
        append_changes(session, prog, [item for item, _ in new], [change for _, change in new], actor, batch="import")
        record_event(
            session,
            actor,
            "statuses.import",
            prog.id,
            detail={
                "source": source,
                "rows": len(new),
                "codes": [row.code for row in plan.new],
                "skipped": [row.code for row in plan.skipped],
            },
        )
    return replace(plan, written=True)


def _plan(
    session: Session, programme: Programme, sheet: StatusSheet, today: dt.date
) -> tuple[ImportPlan, dict[int, tuple[BulkItem, ValidChange]]]:
    """The plan of the import, and the item and checked change of each row that can be imported, by line."""
    headers = sheet.headers
    errors: list[RowError] = list(sheet.problems)
    items: list[BulkItem] = []
    for row in sheet.rows:
        if not row.code:
            errors.append(RowError(headers["code"], "code_empty", line=row.line))
            continue
        if row.code == TEMPLATE_EXAMPLE_CODE:
            errors.append(RowError(headers["code"], "template_example", {"code": row.code}, line=row.line))
            continue
        effective = None
        if row.date:
            try:
                effective = parse_sheet_date(row.date, "date")
            except InvalidInput as error:
                errors.append(RowError(headers["date"], error.code, error.params, line=row.line))
        has_source = row.source_url or row.source_title or row.source_kind
        sources = [SourceInput(row.source_url, row.source_title, row.source_kind or "other")] if has_source else []
        change = StatusChangeInput(
            row.status,
            row.rationale,
            sources,
            effective,
            broken_reason=row.broken_reason or None,
            broken_reason_text=row.broken_reason_text or None,
        )
        items.append(BulkItem(row.code, change, line=row.line))
    item_errors, _valid = check_items(session, programme, items, today)
    # A change on record already is not a problem of an import: the row is skipped (see below).
    errors.extend(_column_error(e, headers) for e in item_errors if e.code != "already_recorded")
    refused = {error.line for error in errors}

    planned: list[PlannedRow] = []
    checked: dict[int, tuple[BulkItem, ValidChange]] = {}
    for item in items:
        if item.line in refused:
            continue
        change = validate_change(programme, item.change, today)  # passes: check_items found no problem
        planned.append(_planned_row(find_pledge(session, programme, item.code), item, change))
        checked[item.line] = (item, change)
    errors.sort(key=lambda e: (e.line or 0, _column_index(e.field, headers)))
    return ImportPlan(tuple(planned), tuple(errors), sheet.file_format, sheet.converted_from), checked


def _planned_row(pledge, item: BulkItem, change: ValidChange) -> PlannedRow:
    """What the row does to ``pledge``: the preview of the one-decision page, by the rule the save applies."""
    [source] = change.sources
    preview = preview_change(pledge, change.status, change.effective_date, change)
    outcome = _OUTCOMES[preview.effect]
    recorded_as = preview.identical.sequence if preview.identical is not None else None
    return PlannedRow(
        line=item.line,
        code=item.code,
        outcome=outcome,
        status=change.status,
        effective_date=change.effective_date,
        status_before=pledge.current_status,
        status_after=preview.public_status,
        current_date=preview.public_date,
        recorded_as=recorded_as,
        rationale=change.rationale,
        source_url=source.url,
        source_title=source.title,
        source_kind=source.kind,
        broken_reason=change.broken_reason,
    )


def _column_error(error: RowError, headers: dict[str, str]) -> RowError:
    """The error with the field named as the file names its column."""
    key = _FIELD_COLUMNS.get(error.field, error.field)
    column = headers.get(key) or _missing_column_name(key, headers)
    if error.field == "sources":
        params = {"url": headers["source_url"], "title": headers["source_title"]}
        return RowError(column, "source_missing", params, line=error.line)
    return RowError(column, error.code, error.params, line=error.line)


def _missing_column_name(key: str, headers: dict[str, str]) -> str:
    """An optional column the file lacks, named as the file would name it: by its German header in a file with
    German headers."""
    german = any(" ".join(name.split()).casefold() != k for k, name in headers.items())
    return GERMAN_HEADERS.get(key, key) if german else key


def _column_index(column: str, headers: dict[str, str]) -> int:
    names = list(headers.values())
    return names.index(column) if column in names else len(names)
