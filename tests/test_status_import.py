"""Importing a spreadsheet of status changes: all rows or none, every problem named by line and column."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

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
    import_statuses,
    parse_status_csv,
    plan_status_import,
    status_csv_template,
)

HEADER = ",".join(STATUS_CSV_COLUMNS)


def row(
    code: str,
    status: str = "in_progress",
    date: str = "2026-01-15",
    rationale: str = "Der Rat hat am 15.01.2026 die Finanzierung beschlossen.",
    url: str = "https://www.herne.de/rat/2026-01-15",
    title: str = "Ratsbeschluss",
    kind: str = "council",
) -> list[str]:
    return [code, status, date, rationale, url, title, kind]


def csv_file(rows: list[list[str]], header: list[str] | tuple[str, ...] = STATUS_CSV_COLUMNS, **fmt) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=fmt.pop("lineterminator", "\n"), **fmt)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


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
    assert "line 57, status" in str(error.value)
    assert count(StatusChange) == 0 and count(Evidence) == 0
    assert imports_audited() == []

    rows[55][1] = "kept"
    plan = import_statuses(herne, csv_file(rows), EDITOR, source="herne.csv", today=TODAY)
    assert plan.ok and len(plan.changes) == 60
    assert [c.line for c in plan.changes] == list(range(2, 62))
    assert count(StatusChange) == 60 and count(Evidence) == 60
    current = dict(stored(select(Pledge.code, Pledge.current_status).where(Pledge.code.in_(codes))))
    assert current == {code: "kept" if i == 55 else "in_progress" for i, code in enumerate(codes)}
    assert services.status_counts(herne)["not_rated"] == 262 - 60
    [event] = imports_audited()
    assert event.actor == "anna" and event.programme_id == programme_id(herne)
    detail = json.loads(event.detail)
    assert detail == {"channel": "app", "source": "herne.csv", "rows": 60, "codes": codes}
    assert count(AuditEvent, AuditEvent.action == "status.change") == 60


def test_german_excel_file_with_bom_semicolons_crlf_and_formula_like_cells(herne):
    data = (
        "\ufeff Rationale ;CODE;Status;date;Source_URL;source_title;source_kind\r\n"
        '"Beschlossen; mit Auflagen.\r\nZweiter Absatz.";8.2-4;in_progress;2026-01-15;'
        "https://www.herne.de/rat/1;Ratsbeschluss;council\r\n"
        "\r\n"
        ";;;;;;\r\n"
        '"=HYPERLINK(""http://x"")";1-1;Kept;;https://www.waz.de/herne/2;@Ratsinfo;\r\n'
        "-1 Stelle gestrichen;1-2;broken;2026-03-10;https://www.herne.de/3;+ Haushalt 2026;press\r\n"
    ).encode("utf-8")
    rows = parse_status_csv(data, "export.csv")
    assert [(r.line, r.code) for r in rows] == [(2, "8.2-4"), (6, "1-1"), (7, "1-2")]
    assert rows[0].rationale == "Beschlossen; mit Auflagen.\nZweiter Absatz."

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


@pytest.mark.parametrize(
    ("header", "body"),
    [
        (HEADER, '8.2-4,kept,2026-01-15,"Ja, beschlossen; sagt der Rat",https://x.de/a,"Titel, mit Komma",press'),
        (HEADER.replace(",", ";"), '8.2-4;kept;2026-01-15;Ja, beschlossen, sagt der Rat;https://x.de/a;"T;1";press'),
        (HEADER.replace(",", "\t"), "8.2-4\tkept\t2026-01-15\tJa, beschlossen; sagt der Rat\thttps://x.de/a\tT\tpress"),
        ('"' + HEADER.replace(",", '";"') + '"', '"8.2-4";"kept";"2026-01-15";"Ja";"https://x.de/a";"T";"press"'),
    ],
    ids=["comma", "semicolon", "tab", "semicolon-quoted-header"],
)
def test_the_delimiter_is_the_one_that_splits_the_header_into_known_columns(header, body):
    [parsed] = parse_status_csv(f"{header}\n{body}\n".encode())
    assert (parsed.line, parsed.code, parsed.status, parsed.source_url, parsed.source_kind) == (
        2,
        "8.2-4",
        "kept",
        "https://x.de/a",
        "press",
    )


def test_dry_run_returns_the_plan_and_writes_nothing(herne):
    services.record_status_change(herne, "1-1", make_change("kept", "2026-05-02"), EDITOR, today=TODAY)
    data = csv_file([row("1-1", "broken", "2026-06-01"), row("8.2-4", "IN_PROGRESS", "", kind="")])
    plan = import_statuses(herne, data, EDITOR, dry_run=True, today=TODAY)
    assert plan.ok and plan.errors == []
    first, second = plan.changes
    assert (first.line, first.code, first.old_status, first.new_status, first.effective_date) == (
        2,
        "1-1",
        "kept",
        "broken",
        dt.date(2026, 6, 1),
    )
    assert (second.old_status, second.new_status, second.effective_date, second.source_kind) == (
        "not_rated",
        "in_progress",
        TODAY,
        "other",
    )
    assert (second.source_url, second.source_title) == ("https://www.herne.de/rat/2026-01-15", "Ratsbeschluss")
    assert count(StatusChange) == 1 and imports_audited() == []
    assert services.pledge_view(herne, "8.2-4").status == "not_rated"
    assert services.pledge_view(herne, "1-1").status == "kept"


def test_every_problem_of_every_row_is_reported_with_line_and_column(herne):
    rows = [
        row("8.2-44"),  # line 2
        row("1-1", date="15.01.2026"),  # 3
        row("1-2", url="ftp://herne.de/x"),  # 4
        row("2-1", title=" "),  # 5
        row("3-1", kind="blog"),  # 6
        row("3-2", rationale=""),  # 7
        row("4-1", date="2099-01-01"),  # 8
        row("4-2", status="done"),  # 9
        row("5-1"),  # 10
        row("5-1"),  # 11
        row("5-2", url="", title="", kind=""),  # 12
        row("", status="kept"),  # 13
        row("8.2-4"),  # 14: fine
    ]
    with pytest.raises(RowErrors) as error:
        import_statuses(herne, csv_file(rows), EDITOR, today=TODAY)
    assert problems(error) == {
        ("line 2", "code"),
        ("line 3", "date"),
        ("line 4", "source_url"),
        ("line 5", "source_title"),
        ("line 6", "source_kind"),
        ("line 7", "rationale"),
        ("line 8", "date"),
        ("line 9", "status"),
        ("line 11", "code"),
        ("line 12", "source_url"),
        ("line 13", "code"),
    }
    assert [e.row for e in error.value.errors] == sorted((e.row for e in error.value.errors), key=lambda r: int(r[5:]))
    messages = {(e.row, e.field): e.message for e in error.value.errors}
    assert "did you mean 8.2-4" in messages["line 2", "code"]
    assert "YYYY-MM-DD" in messages["line 3", "date"]
    assert "https://" in messages["line 4", "source_url"]
    assert "must not be empty" in messages["line 5", "source_title"]
    assert "accepted: council, press, city, party, other" in messages["line 6", "source_kind"]
    assert "2025-09-14 to 2026-11-25" in messages["line 8", "date"]
    assert "listed twice (also line 10)" in messages["line 11", "code"]
    assert "source_url" in messages["line 12", "source_url"]
    assert count(StatusChange) == 0


def test_plan_collects_errors_without_raising(herne):
    rows = parse_status_csv(csv_file([row("1-1", status="done"), row("1-2")]))
    plan = plan_status_import(herne, rows, TODAY)
    assert not plan.ok and plan.changes == []
    assert [(e.row, e.field) for e in plan.errors] == [("line 2", "status")]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([c for c in STATUS_CSV_COLUMNS if c != "source_title"], {("line 1", "source_title")}),
        ([*STATUS_CSV_COLUMNS, "Kommentar"], {("line 1", "Kommentar")}),
        (["code", "status", "datum", *STATUS_CSV_COLUMNS[3:]], {("line 1", "datum"), ("line 1", "date")}),
        ([*STATUS_CSV_COLUMNS, "status"], {("line 1", "status")}),
    ],
    ids=["missing", "unknown", "misspelt", "twice"],
)
def test_header_problems_name_the_column_and_list_the_accepted_ones(header, expected):
    with pytest.raises(RowErrors) as error:
        parse_status_csv(csv_file([["x"] * len(header)], header))
    assert problems(error) == expected
    if expected != {("line 1", "status")}:
        assert all(", ".join(STATUS_CSV_COLUMNS) in e.message for e in error.value.errors)


def test_empty_file_and_header_only_are_refused():
    with pytest.raises(RowErrors, match="line 1, header: is empty"):
        parse_status_csv(b"")
    with pytest.raises(RowErrors, match="line 2, file: has no rows"):
        parse_status_csv(HEADER.encode() + b"\r\n\r\n")


def test_rows_with_too_many_or_too_few_cells_and_unclosed_quotes_name_their_line():
    data = (
        f"{HEADER}\n"
        "8.2-4,kept,,Ja,https://x.de,T,press\n"  # 2: fine
        "1-1,kept,,Ja, sagt der Rat,https://x.de,T,press\n"  # 3: unquoted comma
        "1-2,kept\n"  # 4
        ",,,,,,\n"  # 5: empty, skipped
        '2-1,kept,,"Ja\nüber zwei Zeilen",https://x.de,T\n'  # 6-7: one cell short
    ).encode()
    with pytest.raises(RowErrors) as error:
        parse_status_csv(data)
    assert problems(error) == {("line 3", "cells"), ("line 4", "cells"), ("line 6", "cells")}
    assert "has 8 cells but the header has 7" in str(error.value)

    unclosed = f'{HEADER}\n8.2-4,kept,,Ja,https://x.de,T,press\n1-1,kept,,"Ja,https://x.de,T,press\n'.encode()
    with pytest.raises(RowErrors) as error:
        parse_status_csv(unclosed)
    assert problems(error) == {("line 3", "file")} and "double quotes" in str(error.value)


def test_a_byte_that_is_not_utf8_is_reported_with_its_line():
    data = f"{HEADER}\n".encode() + "8.2-4,kept,,Ja,https://x.de,T,\r\n1-1,kept,,Bürgerbüro,https://x.de,T,\n".encode(
        "cp1252"
    )
    with pytest.raises(RowErrors) as error:
        parse_status_csv(data)
    [problem] = error.value.errors
    assert (problem.row, problem.field) == ("line 3", "file")
    assert "not UTF-8" in problem.message and "'CSV UTF-8'" in problem.message
    with pytest.raises(RowErrors, match="UTF-16"):
        parse_status_csv(HEADER.encode("utf-16"))


def test_files_over_the_limits_are_refused_saying_the_limit():
    big = csv_file([row("8.2-4", rationale="x" * 4000)] * (MAX_UPLOAD_BYTES // 4000 + 1))
    assert len(big) > MAX_UPLOAD_BYTES
    with pytest.raises(InvalidInput) as error:
        parse_status_csv(big, "big.csv")
    assert error.value.field == "big.csv" and "2 MB" in error.value.message
    many = csv_file([row("8.2-4")] * (MAX_ROWS + 1))
    assert len(many) <= MAX_UPLOAD_BYTES
    with pytest.raises(InvalidInput, match=f"more than {MAX_ROWS} rows"):
        parse_status_csv(many)
    assert len(parse_status_csv(csv_file([row("8.2-4")] * MAX_ROWS))) == MAX_ROWS


def test_template_is_a_valid_file_with_one_example_row(herne):
    template = status_csv_template()
    assert template.splitlines()[0] == HEADER
    [example] = parse_status_csv(template.encode())
    assert (example.code, example.status, example.source_kind) == ("8.2-4", "in_progress", "council")
    assert example.source_url.startswith("https://")
    plan = plan_status_import(herne, [example], TODAY)
    assert plan.ok and plan.changes[0].old_status == "not_rated"


def test_import_requires_a_signed_in_actor(herne):
    with pytest.raises(PermissionDenied):
        import_statuses(herne, csv_file([row("8.2-4")]), None, today=TODAY)
    with pytest.raises(PermissionDenied):
        import_statuses(herne, csv_file([row("8.2-4")]), services.Actor("x", "guest"), today=TODAY)
    assert count(StatusChange) == 0 and imports_audited() == []


def test_cli_dry_run_then_import_then_an_error(tracker_cli, tmp_path):
    tracker_cli("import-programme", str(HERNE), check=True)
    path = tmp_path / "statuses.csv"
    path.write_bytes(csv_file([row("8.2-4"), row("1-1", "kept", "2026-05-02")], delimiter=";"))

    add_account("anna", "Anna Schmidt")
    dry = tracker_cli("import-statuses", str(path), "--as", "anna", "--dry-run", check=True).stdout
    assert "line 2: 8.2-4 not_rated -> in_progress (2026-01-15)" in dry
    assert "line 3: 1-1 not_rated -> kept (2026-05-02)" in dry
    assert "Dry run: nothing was written." in dry
    assert "Status: not_rated" in tracker_cli("show", "8.2-4", check=True).stdout

    done = tracker_cli("import-statuses", str(path), "--as", "anna", check=True).stdout
    assert f"Imported 2 status changes from {path}." in done
    shown = tracker_cli("show", "8.2-4", check=True).stdout
    assert "Status: in_progress since 2026-01-15" in shown and "recorded by Anna Schmidt" in shown
    assert "[council] Ratsbeschluss <https://www.herne.de/rat/2026-01-15>" in shown

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([row("2-1"), row("2-2", "erledigt"), row("2-3", url="www.herne.de")]))
    result = tracker_cli("import-statuses", str(bad), "--as", "anna", "-p", "hak-herne-2025")
    assert result.returncode == 1
    assert "line 3, status" in result.stderr and "'erledigt'" in result.stderr
    assert "line 4, source_url" in result.stderr and "nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Status: not_rated" in tracker_cli("show", "2-1", check=True).stdout

    missing = tracker_cli("import-statuses", str(tmp_path / "nope.csv"), "--as", "anna")
    assert missing.returncode == 1 and "is not a file" in missing.stderr and "Traceback" not in missing.stderr


def test_empty_unnamed_columns_are_ignored_but_values_in_them_and_nul_bytes_are_not():
    data = (
        f"{HEADER};\r\n".replace(",", ";")
        + "8.2-4;kept;;Ja;https://x.de;T;press;\r\n"
        + "1-1;kept;;Ja;https://x.de;T;press;vergessen\r\n"
        + "1-2;kept;;J\x00a;https://x.de;T;press;\r\n"
    ).encode()
    with pytest.raises(RowErrors) as error:
        parse_status_csv(data)
    assert problems(error) == {("line 3", "cells"), ("line 4", "rationale")}
    assert "column 8 has a value but no name" in str(error.value) and "NUL" in str(error.value)
    [parsed] = parse_status_csv(data.split(b"\r\n1-1")[0])
    assert (parsed.code, parsed.rationale) == ("8.2-4", "Ja")
