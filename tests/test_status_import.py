"""Importing a spreadsheet of status changes: Excel and CSV as German offices make them, every problem named by
line and column, rows on record skipped, and a preview that says what each row does to the public status."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from sqlalchemy import select

from tests.helpers import EDITOR, HERNE, TODAY, add_account, count, make_change, stored, stored_scalars
from tracker import services
from tracker.models import AuditEvent, Evidence, Pledge, Programme, StatusChange
from tracker.services import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    STATUS_CSV_COLUMNS,
    InvalidInput,
    PermissionDenied,
    RowErrors,
    RowOutcome,
    import_statuses,
    preview_status_import,
    read_status_sheet,
    status_template_csv,
    status_template_xlsx,
)
from tracker.services import spreadsheets as spreadsheet_io

HEADER = ",".join(STATUS_CSV_COLUMNS)
GERMAN = ["Nummer", "Bewertung", "Stichtag", "Begründung", "Adresse der Quelle", "Titel der Quelle", "Art der Quelle"]
REASON_COLUMNS = ["Grund des Bruchs", "Anderer Grund"]  # optional: files of earlier versions lack them
RATIONALE = "Der Rat hat am 15.01.2026 die Finanzierung beschlossen."  # as in helpers.make_change
URL = "https://www.herne.de/rat/2026-01-15"


def row(
    code: str,
    status: str = "in_progress",
    date: str = "2026-01-15",
    rationale: str = RATIONALE,
    url: str = URL,
    title: str = "Ratsbeschluss",
    kind: str = "council",
) -> list[str]:
    return [code, status, date, rationale, url, title, kind]


def csv_file(rows: list[list[str]], header: list[str] | tuple[str, ...] = STATUS_CSV_COLUMNS, **fmt) -> bytes:
    encoding = fmt.pop("encoding", "utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=fmt.pop("lineterminator", "\n"), **fmt)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_file(rows: list[list], header: list[str] = GERMAN) -> bytes:
    """A workbook as Excel saves it: the header in row 1, a row per change, date cells where given."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def imports_audited() -> list[AuditEvent]:
    return stored_scalars(select(AuditEvent).where(AuditEvent.action == "statuses.import"))


def problems(error: pytest.ExceptionInfo[RowErrors]) -> set[tuple[str, str]]:
    return {(e.row, e.field) for e in error.value.errors}


def programme_id(slug: str) -> int:
    [found] = stored_scalars(select(Programme.id).where(Programme.slug == slug))
    return found


def herne_codes(herne: str, n: int) -> list[str]:
    stmt = select(Pledge.code).where(Pledge.programme_id == programme_id(herne)).order_by(Pledge.position).limit(n)
    return stored_scalars(stmt)


def current(code: str) -> tuple[str, dt.date | None]:
    [(status, date)] = stored(select(Pledge.current_status, Pledge.status_date).where(Pledge.code == code))
    return status, date


def preview(herne: str, data: bytes, name: str = "upload.csv") -> services.ImportPlan:
    return preview_status_import(herne, data, EDITOR, source=name, today=TODAY)


# --------------------------------------------------------------------------- formats


def test_one_bad_row_refuses_the_whole_file_and_the_fixed_file_imports_every_row(herne):
    codes = herne_codes(herne, 60)
    assert len(set(codes)) == 60
    rows = [row(code) for code in codes]  # file line = index + 2
    rows[55][1] = "erledigt"
    with pytest.raises(RowErrors) as error:
        import_statuses(herne, csv_file(rows), EDITOR, source="herne.csv", today=TODAY)
    [problem] = error.value.errors
    assert (problem.row, problem.field) == ("line 57", "status")
    assert "'erledigt'" in problem.message and "accepted: not_rated, in_progress" in problem.message
    assert "In Arbeit" in problem.message and "In the works" in problem.message  # the labels are accepted too
    assert "line 57, status" in str(error.value)
    assert count(StatusChange) == 0 and count(Evidence) == 0
    assert imports_audited() == []

    rows[55][1] = "kept"
    plan = import_statuses(herne, csv_file(rows), EDITOR, source="herne.csv", today=TODAY)
    assert plan.ok and plan.written and len(plan.new) == 60 and plan.skipped == ()
    assert [r.line for r in plan.rows] == list(range(2, 62))
    assert count(StatusChange) == 60 and count(Evidence) == 60
    now = dict(stored(select(Pledge.code, Pledge.current_status).where(Pledge.code.in_(codes))))
    assert now == {code: "kept" if i == 55 else "in_progress" for i, code in enumerate(codes)}
    assert services.status_counts(herne)["not_rated"] == 262 - 60
    [event] = imports_audited()
    assert event.actor == "anna" and event.programme_id == programme_id(herne)
    detail = json.loads(event.detail)
    assert detail == {"channel": "cli", "source": "herne.csv", "rows": 60, "codes": codes, "skipped": []}
    assert count(AuditEvent, AuditEvent.action == "status.change") == 60


def test_excel_workbook_with_german_headers_dates_and_labels_imports(herne):
    data = xlsx_file(
        [
            ["8.2-4", "In Arbeit", "15.01.2026", "Leihgeräte.", URL, "Ratsbeschluss", "Ratsvorlage oder -beschluss"],
            ["1-1", "UMGESETZT", dt.date(2026, 5, 2), "In Kraft.", "https://herne.de/2", "B", "mitteilung der stadt"],
            [None, None, None, None, None, None, None],  # an empty row in between is skipped
            ["1-2", "broken", dt.datetime(2026, 3, 10), "Abgelehnt.", "https://www.waz.de/3", "WAZ", "Press",
             "kein geld im  HAUSHALT"],
            ["2-1", "compromise", "1.2.2026", "Kleiner als versprochen.", "https://herne.de/4", "Haushalt", None],
            ["2-2", " teilweise  umgesetzt ", "2026-02-01", "-nur zum Teil", "https://herne.de/5", "+Titel", "PARTY"],
        ],
        [*GERMAN, "Grund des Bruchs"],
    )  # fmt: skip
    sheet = read_status_sheet(data, "bewertungen.xlsx")
    assert sheet.file_format == "xlsx" and sheet.converted_from is None
    assert [r.line for r in sheet.rows] == [2, 3, 5, 6, 7]  # the sheet's row numbers

    plan = import_statuses(herne, data, EDITOR, source="bewertungen.xlsx", today=TODAY)
    assert len(plan.new) == 5
    saved = stored(
        select(Pledge.code, StatusChange.status, StatusChange.effective_date, StatusChange.rationale, Evidence.kind)
        .join(Pledge, Pledge.id == StatusChange.pledge_id)
        .join(Evidence, Evidence.status_change_id == StatusChange.id)
    )
    assert {code: tuple(rest) for code, *rest in saved} == {
        "8.2-4": ("in_progress", dt.date(2026, 1, 15), "Leihgeräte.", "council"),
        "1-1": ("kept", dt.date(2026, 5, 2), "In Kraft.", "city"),
        "1-2": ("broken", dt.date(2026, 3, 10), "Abgelehnt.", "press"),
        "2-1": ("partially_kept", dt.date(2026, 2, 1), "Kleiner als versprochen.", "other"),
        "2-2": ("partially_kept", dt.date(2026, 2, 1), "-nur zum Teil", "party"),
    }
    assert stored_scalars(select(StatusChange.broken_reason).where(StatusChange.status == "broken")) == ["no_budget"]


def test_semicolon_csv_with_bom_german_headers_and_labels_crlf_and_formula_like_cells(herne):
    data = (
        "\ufeff Begründung ;NUMMER;Bewertung;stichtag;Adresse der Quelle;Titel der Quelle;Art der Quelle;"
        "Grund des Bruchs;Anderer Grund\r\n"
        '"Beschlossen; mit Auflagen.\r\nZweiter Absatz.";8.2-4;In Arbeit;15.01.2026;'
        "https://www.herne.de/rat/1;Ratsbeschluss;Ratsvorlage oder -beschluss;;\r\n"
        "\r\n"
        ";;;;;;;;\r\n"
        '"=HYPERLINK(""http://x"")";1-1;Kept;;https://www.waz.de/herne/2;@Ratsinfo;;;\r\n'
        "-1 Stelle gestrichen;1-2;gebrochen;10.03.2026;https://www.herne.de/3;+ Haushalt 2026;Presse;"
        "Anderer Grund;Der Kämmerer hat die Stelle gestrichen.\r\n"
    ).encode("utf-8")
    sheet = read_status_sheet(data, "export.csv")
    assert [(r.line, r.code) for r in sheet.rows] == [(2, "8.2-4"), (6, "1-1"), (7, "1-2")]
    assert sheet.rows[0].rationale == "Beschlossen; mit Auflagen.\nZweiter Absatz."
    assert sheet.headers["rationale"] == "Begründung" and sheet.headers["code"] == "NUMMER"

    import_statuses(herne, data, EDITOR, today=TODAY)
    saved = stored(
        select(
            Pledge.code,
            StatusChange.status,
            StatusChange.effective_date,
            StatusChange.rationale,
            Evidence.title,
            Evidence.kind,
        )
        .join(Pledge, Pledge.id == StatusChange.pledge_id)
        .join(Evidence, Evidence.status_change_id == StatusChange.id)
    )
    assert len(saved) == count(StatusChange) == 3  # one source per change
    assert {code: tuple(rest) for code, *rest in saved} == {
        "8.2-4": (
            "in_progress",
            dt.date(2026, 1, 15),
            "Beschlossen; mit Auflagen.\nZweiter Absatz.",
            "Ratsbeschluss",
            "council",
        ),
        "1-1": ("kept", TODAY, '=HYPERLINK("http://x")', "@Ratsinfo", "other"),
        "1-2": ("broken", dt.date(2026, 3, 10), "-1 Stelle gestrichen", "+ Haushalt 2026", "press"),
    }
    assert stored(
        select(StatusChange.broken_reason, StatusChange.broken_reason_text).where(StatusChange.status == "broken")
    ) == [("other", "Der Kämmerer hat die Stelle gestrichen.")]


def test_windows_1252_csv_is_converted_and_says_so(herne):
    data = csv_file(
        [row("8.2-4", "Umgesetzt", "01.10.2026", rationale="Bürgerbüro öffnet; Größe: 30 m² – „endlich“")],
        GERMAN,
        delimiter=";",
        lineterminator="\r\n",
        encoding="cp1252",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    plan = preview(herne, data)
    assert plan.converted_from == "windows-1252"
    [planned] = plan.rows
    assert planned.rationale == "Bürgerbüro öffnet; Größe: 30 m² – „endlich“"
    import_statuses(herne, data, EDITOR, today=TODAY)
    assert services.pledge_view(herne, "8.2-4").history[0].rationale == "Bürgerbüro öffnet; Größe: 30 m² – „endlich“"
    assert read_status_sheet(csv_file([row("1-1")], delimiter=";")).converted_from is None


@pytest.mark.parametrize(
    ("header", "body"),
    [
        (HEADER, '8.2-4,kept,2026-01-15,"Ja, beschlossen; sagt der Rat",https://x.de/a,"Titel, mit Komma",press'),
        (HEADER.replace(",", ";"), '8.2-4;kept;2026-01-15;Ja, beschlossen, sagt der Rat;https://x.de/a;"T;1";press'),
        (HEADER.replace(",", "\t"), "8.2-4\tkept\t2026-01-15\tJa, beschlossen; sagt der Rat\thttps://x.de/a\tT\tpress"),
        ('"' + HEADER.replace(",", '";"') + '"', '"8.2-4";"kept";"2026-01-15";"Ja";"https://x.de/a";"T";"press"'),
        (";".join(GERMAN), "8.2-4;kept;2026-01-15;Ja, beschlossen, sagt der Rat;https://x.de/a;T;press"),
    ],
    ids=["comma", "semicolon", "tab", "semicolon-quoted-header", "german-semicolon"],
)
def test_the_delimiter_is_the_one_that_splits_the_header_into_known_columns(header, body):
    [parsed] = read_status_sheet(f"{header}\n{body}\n".encode()).rows
    assert (parsed.line, parsed.code, parsed.status, parsed.source_url, parsed.source_kind) == (
        2,
        "8.2-4",
        "kept",
        "https://x.de/a",
        "press",
    )


# --------------------------------------------------------------------------- duplicates


def test_the_same_file_imported_twice_records_nothing_the_second_time(herne):
    data = xlsx_file([row("8.2-4", "In Arbeit", "15.01.2026"), row("1-1", "umgesetzt", "02.05.2026")])
    first = import_statuses(herne, data, EDITOR, source="a.xlsx", today=TODAY)
    assert (len(first.new), len(first.skipped)) == (2, 0)

    again = preview(herne, data, "a.xlsx")
    assert again.ok and again.new == () and [r.outcome for r in again.rows] == [RowOutcome.ALREADY_RECORDED] * 2
    assert [r.recorded_as for r in again.rows] == [1, 1]
    second = import_statuses(herne, data, EDITOR, source="a.xlsx", today=TODAY)
    assert not second.written and second.new == () and len(second.skipped) == 2
    assert count(StatusChange) == 2 and len(imports_audited()) == 1

    # One row more: the new one is recorded, the two on record are skipped and do not block it.
    grown = xlsx_file([row("8.2-4", "In Arbeit", "15.01.2026"), row("1-1", "umgesetzt", "02.05.2026"), row("1-2")])
    third = import_statuses(herne, grown, EDITOR, source="b.xlsx", today=TODAY)
    assert [r.code for r in third.new] == ["1-2"] and [r.code for r in third.skipped] == ["8.2-4", "1-1"]
    assert count(StatusChange) == 3
    assert json.loads(imports_audited()[-1].detail)["skipped"] == ["8.2-4", "1-1"]


def test_a_row_repeated_in_the_same_file_is_refused_as_listed_twice(herne):
    data = csv_file([row("8.2-4"), row("1-1"), row("8.2-4")])
    plan = preview(herne, data)
    [problem] = plan.errors
    assert (problem.row, problem.field, problem.code) == ("line 4", "code", "listed_twice")
    assert "also line 2" in problem.message
    assert (len(plan.new), len(plan.skipped), plan.refused) == (2, 0, 1)
    with pytest.raises(RowErrors):
        import_statuses(herne, data, EDITOR, today=TODAY)
    assert count(StatusChange) == 0


# --------------------------------------------------------------------------- the template


@pytest.mark.parametrize("template", [status_template_xlsx, status_template_csv], ids=["xlsx", "csv"])
def test_the_template_imported_untouched_answers_with_a_note_about_the_example_row(herne, template):
    name = f"vorlage.{template.__name__.rsplit('_', 1)[1]}"
    plan = preview(herne, template(), name)
    [problem] = plan.errors
    assert (problem.row, problem.field, problem.code) == ("line 2", "Nummer", "template_example")
    assert problem.message == "the example row of the template (0-0) was left in; delete it"
    assert (len(plan.new), plan.refused) == (0, 1)
    with pytest.raises(RowErrors):
        import_statuses(herne, template(), EDITOR, source=name, today=TODAY)
    assert count(StatusChange) == 0


def test_the_template_with_rows_added_is_still_checked_and_without_its_example_imports(herne):
    workbook = openpyxl.load_workbook(io.BytesIO(status_template_xlsx()))
    sheet = workbook["Bewertungen"]
    assert [c.value for c in sheet[1]] == [*GERMAN, *REASON_COLUMNS]
    typed = [
        ["8.2-4", "Erledigt", dt.date(2026, 3, 1), "Beschlossen.", URL, "Ratsbeschluss", "Presse"],
        ["1-1", "Umgesetzt", dt.date(2026, 3, 1), "Beschlossen.", URL, "Ratsbeschluss", "Presse"],
    ]
    for number, values in enumerate(typed, start=3):  # typed below the example row, as a person would
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column, value)
    out = io.BytesIO()
    workbook.save(out)
    plan = preview(herne, out.getvalue(), "vorlage.xlsx")
    assert [(e.row, e.field, e.code) for e in plan.errors] == [
        ("line 2", "Nummer", "template_example"),
        ("line 3", "Bewertung", "unknown_status"),
    ]
    assert [r.code for r in plan.new] == ["1-1"]

    sheet.delete_rows(2, 2)  # the example row and the bad one
    out = io.BytesIO()
    workbook.save(out)
    assert [r.code for r in import_statuses(herne, out.getvalue(), EDITOR, today=TODAY).new] == ["1-1"]


def test_the_templates_offer_dropdowns_german_headers_and_an_explanation():
    workbook = openpyxl.load_workbook(io.BytesIO(status_template_xlsx()))
    assert workbook.sheetnames == ["Bewertungen", "Erläuterung"]
    sheet = workbook["Bewertungen"]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {
        "B2": '"Noch nicht bewertet,In Arbeit,Blockiert,Teilweise umgesetzt,Umgesetzt,Gebrochen"',
        "G2": '"Ratsvorlage oder -beschluss,Presse,Mitteilung der Stadt,Partei,Sonstiges"',
        "H2": '"Keine Mehrheit im Rat,Nicht vorrangig behandelt,Position geändert,Nicht in kommunaler Zuständigkeit,'
        'Kein Geld im Haushalt,Anderer Grund"',
    }
    assert sheet["A3"].number_format == "@"  # a typed 1-1 stays a code, not the first of January
    assert sheet["C2"].is_date and sheet["C2"].number_format == "DD.MM.YYYY"
    notes = [row[0] for row in workbook["Erläuterung"].iter_rows(values_only=True)]
    assert notes[1:10] == [*GERMAN, *REASON_COLUMNS]

    text = status_template_csv()
    assert text.startswith(b"\xef\xbb\xbf" + ";".join([*GERMAN, *REASON_COLUMNS]).encode() + b"\r\n")
    assert b";In Arbeit;15.01.2026;" in text


# --------------------------------------------------------------------------- the preview tells the truth


def test_a_back_dated_row_names_the_status_that_stays_and_the_date_of_the_newer_rating(herne):
    services.record_status_change(herne, "1-1", make_change("kept", "2026-09-20"), EDITOR, today=TODAY)
    services.record_status_change(herne, "1-2", make_change("kept", "2026-03-01"), EDITOR, today=TODAY)
    data = csv_file(
        [
            row("1-1", "In Arbeit", "01.06.2026", rationale="Erst in Arbeit."),  # before the rating of 20.09.
            row("1-2", "In Arbeit", "01.03.2026", rationale="Am selben Tag korrigiert."),  # same day: recorded later
            row("8.2-4", "In Arbeit", "01.06.2026"),  # first rating
        ],
        delimiter=";",
    )
    back, same_day, first = preview(herne, data).rows
    assert (back.outcome, back.status_before, back.status_after, back.current_date) == (
        RowOutcome.HISTORY,
        "kept",
        "kept",
        dt.date(2026, 9, 20),
    )
    assert (same_day.outcome, same_day.status_after, same_day.current_date) == (
        RowOutcome.CURRENT,
        "in_progress",
        dt.date(2026, 3, 1),
    )
    assert (first.outcome, first.status_before, first.status_after) == (RowOutcome.CURRENT, "not_rated", "in_progress")

    import_statuses(herne, data, EDITOR, today=TODAY)  # and the save does what the preview said
    assert current("1-1") == ("kept", dt.date(2026, 9, 20))
    assert current("1-2") == ("in_progress", dt.date(2026, 3, 1))
    assert current("8.2-4") == ("in_progress", dt.date(2026, 6, 1))


# --------------------------------------------------------------------------- problems


def test_every_problem_of_every_row_is_reported_at_once_with_line_and_column_as_the_file_names_it(herne):
    rows = [
        row("8.2-44"),  # line 2
        row("1-1", date="15/01/2026"),  # 3
        row("1-2", url="ftp://herne.de/x"),  # 4
        row("2-1", title=" "),  # 5
        row("3-1", kind="blog"),  # 6
        row("3-2", rationale=""),  # 7
        row("4-1", date="01.01.2099"),  # 8
        row("4-2", status="done"),  # 9
        row("5-1"),  # 10
        row("5-1"),  # 11
        row("5-2", url="", title="", kind=""),  # 12
        row("", status="kept"),  # 13
        row("8.2-4"),  # 14: fine
        [*row("6-1"), "zu viel"],  # 15: one cell too many
        row("7-1", date="31.02.2026"),  # 16
        row("7-2", status="done", rationale=" ", url="ftp://x", kind="blog"),  # 17: every problem of the row
    ]
    header = [f" {name.upper()} " for name in GERMAN]
    with pytest.raises(RowErrors) as error:
        import_statuses(herne, csv_file(rows, header, delimiter=";"), EDITOR, today=TODAY)
    assert problems(error) == {
        ("line 2", "NUMMER"),
        ("line 3", "STICHTAG"),
        ("line 4", "ADRESSE DER QUELLE"),
        ("line 5", "TITEL DER QUELLE"),
        ("line 6", "ART DER QUELLE"),
        ("line 7", "BEGRÜNDUNG"),
        ("line 8", "STICHTAG"),
        ("line 9", "BEWERTUNG"),
        ("line 11", "NUMMER"),
        ("line 12", "ADRESSE DER QUELLE"),
        ("line 13", "NUMMER"),
        ("line 15", "cells"),
        ("line 16", "STICHTAG"),
        ("line 17", "BEWERTUNG"),
        ("line 17", "BEGRÜNDUNG"),
        ("line 17", "ADRESSE DER QUELLE"),
        ("line 17", "ART DER QUELLE"),
    }
    assert [e.row for e in error.value.errors] == sorted((e.row for e in error.value.errors), key=lambda r: int(r[5:]))
    messages = {(e.row, e.field): e.message for e in error.value.errors}
    assert "did you mean 8.2-4" in messages["line 2", "NUMMER"]
    assert "01.10.2026 (DD.MM.YYYY), 2026-10-01 (YYYY-MM-DD)" in messages["line 3", "STICHTAG"]
    assert "https://" in messages["line 4", "ADRESSE DER QUELLE"]
    assert "must not be empty" in messages["line 5", "TITEL DER QUELLE"]
    assert "accepted: council, press, city, party, other; Ratsvorlage" in messages["line 6", "ART DER QUELLE"]
    assert "2025-09-14 to 2026-11-25" in messages["line 8", "STICHTAG"]
    assert "listed twice (also line 10)" in messages["line 11", "NUMMER"]
    assert "ADRESSE DER QUELLE (http:// or https://) and TITEL DER QUELLE" in messages["line 12", "ADRESSE DER QUELLE"]
    assert "has 8 cells but the header has 7" in messages["line 15", "cells"]
    assert "'31.02.2026' is not a date" in messages["line 16", "STICHTAG"]
    assert count(StatusChange) == 0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([c for c in STATUS_CSV_COLUMNS if c != "source_title"], {("line 1", "source_title")}),
        ([c for c in GERMAN if c != "Titel der Quelle"], {("line 1", "Titel der Quelle")}),
        ([*STATUS_CSV_COLUMNS, "Kommentar"], {("line 1", "Kommentar")}),
        (["code", "status", "datum", *STATUS_CSV_COLUMNS[3:]], {("line 1", "datum"), ("line 1", "date")}),
        ([*STATUS_CSV_COLUMNS, "Bewertung"], {("line 1", "Bewertung")}),
    ],
    ids=["missing", "missing-german", "unknown", "misspelt", "twice"],
)
def test_header_problems_name_the_column_and_list_the_accepted_ones(header, expected):
    with pytest.raises(RowErrors) as error:
        read_status_sheet(csv_file([["x"] * len(header)], header))
    assert problems(error) == expected
    if expected != {("line 1", "Bewertung")}:
        assert all(", ".join(STATUS_CSV_COLUMNS) in e.message for e in error.value.errors)
        assert all(", ".join(GERMAN) in e.message for e in error.value.errors)


def test_empty_file_and_header_only_are_refused():
    with pytest.raises(RowErrors, match="line 1, header: is empty"):
        read_status_sheet(b"")
    with pytest.raises(RowErrors, match="line 2, file: has no rows"):
        read_status_sheet(HEADER.encode() + b"\r\n\r\n")
    with pytest.raises(RowErrors, match="line 2, file: has no rows"):
        read_status_sheet(xlsx_file([]), "leer.xlsx")


def test_rows_with_too_many_or_too_few_cells_and_unclosed_quotes_name_their_line():
    data = (
        f"{HEADER}\n"
        "8.2-4,kept,,Ja,https://x.de,T,press\n"  # 2: fine
        "1-1,kept,,Ja, sagt der Rat,https://x.de,T,press\n"  # 3: unquoted comma
        "1-2,kept\n"  # 4
        ",,,,,,\n"  # 5: empty, skipped
        '2-1,kept,,"Ja\nüber zwei Zeilen",https://x.de,T\n'  # 6-7: one cell short
    ).encode()
    sheet = read_status_sheet(data)
    assert {(e.row, e.field) for e in sheet.problems} == {("line 3", "cells"), ("line 4", "cells"), ("line 6", "cells")}
    assert [r.line for r in sheet.rows] == [2]

    unclosed = f'{HEADER}\n8.2-4,kept,,Ja,https://x.de,T,press\n1-1,kept,,"Ja,https://x.de,T,press\n'.encode()
    sheet = read_status_sheet(unclosed)
    assert {(e.row, e.field) for e in sheet.problems} == {("line 3", "file")}
    assert "double quotes" in sheet.problems[0].message and [r.line for r in sheet.rows] == [2]


def test_bytes_neither_utf8_nor_windows_1252_and_utf16_are_refused_saying_how_to_save():
    data = f"{HEADER}\n8.2-4,kept,,Ja,https://x.de,T,\r\n".encode() + b"1-1,kept,,B\x81ro,https://x.de,T,\n"
    with pytest.raises(RowErrors) as error:
        read_status_sheet(data)
    [problem] = error.value.errors
    assert (problem.row, problem.field) == ("line 3", "file")
    assert "neither UTF-8 nor Windows-1252" in problem.message and "(.xlsx)" in problem.message
    with pytest.raises(RowErrors, match="UTF-16"):
        read_status_sheet(HEADER.encode("utf-16"))
    broken_bom = b"\xef\xbb\xbf" + HEADER.encode() + "\n8.2-4,kept,,Bürger,https://x.de,T,\n".encode("cp1252")
    with pytest.raises(RowErrors, match="neither UTF-8"):  # marked as UTF-8 but not: no guessing
        read_status_sheet(broken_bom)


def test_files_that_are_not_workbooks_are_refused_saying_what_to_save():
    with pytest.raises(RowErrors, match=r"Excel 97-2003 workbook \(\.xls\)"):
        read_status_sheet(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "alt.xls")
    with pytest.raises(RowErrors, match="cannot be read as an Excel workbook"):
        read_status_sheet(b"PK\x03\x04 kaputt", "kaputt.xlsx")
    with pytest.raises(RowErrors, match="cannot be read as an Excel workbook"):
        read_status_sheet(HEADER.encode(), "falsch.xlsx")


def test_files_over_the_limits_are_refused_saying_the_limit(monkeypatch):
    big = csv_file([row("8.2-4", rationale="x" * 4000)] * (MAX_UPLOAD_BYTES // 4000 + 1))
    assert len(big) > MAX_UPLOAD_BYTES
    with pytest.raises(InvalidInput) as error:
        read_status_sheet(big, "big.csv")
    assert error.value.field == "big.csv" and "2 MB" in error.value.message
    many = csv_file([row("8.2-4")] * (MAX_ROWS + 1))
    assert len(many) <= MAX_UPLOAD_BYTES
    with pytest.raises(InvalidInput, match=f"more than {MAX_ROWS} rows"):
        read_status_sheet(many)
    assert len(read_status_sheet(csv_file([row("8.2-4")] * MAX_ROWS)).rows) == MAX_ROWS

    packed = xlsx_file([row("8.2-4", rationale="x" * 3000)] * 20)  # compresses well: a small zip bomb
    monkeypatch.setattr(spreadsheet_io, "MAX_UNPACKED_BYTES", len(packed) * 2)
    with pytest.raises(InvalidInput, match="unpacks to more than"):
        read_status_sheet(packed, "bombe.xlsx")


def test_import_requires_a_signed_in_actor(herne):
    with pytest.raises(PermissionDenied):
        import_statuses(herne, csv_file([row("8.2-4")]), None, today=TODAY)
    with pytest.raises(PermissionDenied):
        preview_status_import(herne, csv_file([row("8.2-4")]), services.Actor("x", "guest"), today=TODAY)
    assert count(StatusChange) == 0 and imports_audited() == []


def test_empty_unnamed_columns_are_ignored_but_values_in_them_and_nul_bytes_are_not():
    data = (
        f"{HEADER};\r\n".replace(",", ";")
        + "8.2-4;kept;;Ja;https://x.de;T;press;\r\n"
        + "1-1;kept;;Ja;https://x.de;T;press;vergessen\r\n"
        + "1-2;kept;;J\x00a;https://x.de;T;press;\r\n"
    ).encode()
    sheet = read_status_sheet(data)
    assert {(e.row, e.field) for e in sheet.problems} == {("line 3", "cells"), ("line 4", "rationale")}
    assert "column 8 has a value but no name" in sheet.problems[0].message and "NUL" in sheet.problems[1].message
    assert [(r.code, r.rationale) for r in sheet.rows] == [("8.2-4", "Ja")]

    workbook = xlsx_file([[*row("8.2-4"), None, None], [*row("1-1"), None, "vergessen"]])
    sheet = read_status_sheet(workbook, "x.xlsx")
    assert [(e.row, e.field, e.params["column"]) for e in sheet.problems] == [("line 3", "cells", 9)]


# --------------------------------------------------------------------------- the command line


def test_cli_dry_run_then_import_then_again_then_an_error(tracker_cli, tmp_path):
    tracker_cli("import-programme", str(HERNE), check=True)
    add_account("anna", "Anna Schmidt")
    earlier = tmp_path / "earlier.csv"
    earlier.write_bytes(csv_file([row("1-1", "kept", "2026-09-20", rationale="Satzung in Kraft.")]))
    tracker_cli("import-statuses", str(earlier), "--as", "anna", check=True)
    path = tmp_path / "bewertungen.xlsx"
    path.write_bytes(
        xlsx_file([row("8.2-4", "In Arbeit", "15.01.2026"), row("1-1", "Teilweise umgesetzt", "01.05.2026")])
    )

    dry = tracker_cli("import-statuses", str(path), "--as", "anna", "--dry-run", check=True).stdout
    assert "line 2: 8.2-4 in_progress as of 2026-01-15: new current status in_progress (was not_rated)" in dry
    assert (
        "line 3: 1-1 partially_kept as of 2026-05-01: added to the history; the current status stays kept "
        "(newer rating as of 2026-09-20)" in dry
    )
    assert "2 new, 0 already recorded (skipped), 0 refused.\nDry run: nothing was written." in dry
    assert "Status: not_rated" in tracker_cli("show", "8.2-4", check=True).stdout

    done = tracker_cli("import-statuses", str(path), "--as", "anna", check=True).stdout
    assert f"Imported 2 status changes from {path}." in done
    shown = tracker_cli("show", "8.2-4", check=True).stdout
    assert "Status: in_progress since 2026-01-15" in shown and "recorded by Anna Schmidt" in shown
    assert "[council] Ratsbeschluss <https://www.herne.de/rat/2026-01-15>" in shown
    assert "Status: kept since 2026-09-20" in tracker_cli("show", "1-1", check=True).stdout

    again = tracker_cli("import-statuses", str(path), "--as", "anna", check=True).stdout
    assert "line 2: 8.2-4 in_progress as of 2026-01-15: already recorded as change #1; skipped" in again
    assert "0 new, 2 already recorded (skipped), 0 refused" in again
    assert f"Nothing imported from {path}: all 2 rows are already recorded." in again

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([row("2-1"), row("2-2", "erledigt"), row("2-3", url="www.herne.de")], encoding="cp1252"))
    result = tracker_cli("import-statuses", str(bad), "--as", "anna", "-p", "hak-herne-2025")
    assert result.returncode == 1
    assert "Note: bad.csv is not UTF-8; it was read as Windows-1252." not in result.stdout  # plain ASCII is UTF-8
    assert "1 new, 0 already recorded (skipped), 2 refused." in result.stdout
    assert "line 3, status" in result.stderr and "'erledigt'" in result.stderr
    assert "line 4, source_url" in result.stderr and "nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Status: not_rated" in tracker_cli("show", "2-1", check=True).stdout

    umlauts = tmp_path / "umlaute.csv"
    umlauts.write_bytes(csv_file([row("2-1", rationale="Bürgerbüro")], delimiter=";", encoding="cp1252"))
    converted = tracker_cli("import-statuses", str(umlauts), "--as", "anna", "--dry-run", check=True).stdout
    assert "Note: umlaute.csv is not UTF-8; it was read as Windows-1252." in converted

    missing = tracker_cli("import-statuses", str(tmp_path / "nope.csv"), "--as", "anna")
    assert missing.returncode == 1 and "is not a file" in missing.stderr and "Traceback" not in missing.stderr


def test_status_names_are_read_as_keys_or_labels_in_any_case():
    from tracker.statuses import source_kind_key, status_key

    assert [status_key(v) for v in ("kept", "Umgesetzt", "KEPT", "  in   arbeit ", "Compromise", "erledigt")] == [
        "kept",
        "kept",
        "kept",
        "in_progress",
        "partially_kept",
        None,
    ]
    assert [source_kind_key(v) for v in ("Presse", "press", "Mitteilung der Stadt", "blog")] == [
        "press",
        "press",
        "city",
        None,
    ]
