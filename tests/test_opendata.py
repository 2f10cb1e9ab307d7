"""Open data: the JSON export validates against the published schema and survives a restore unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import jsonschema
import openpyxl
import pytest

from tests.helpers import ADMIN, EDITOR, HERNE, HERNE_SLUG, ROOT, TODAY, make_change
from tracker import db, services


def rate_some(herne: str) -> None:
    services.record_status_change(herne, "8.2-4", make_change("in_progress", "2026-01-15"), EDITOR, today=TODAY)
    services.record_status_change(
        herne,
        "8.2-4",
        make_change(
            "kept",
            "2026-06-30",
            rationale="Leihgeräte sind ausgegeben.",
            sources=[
                services.SourceInput(
                    "https://www.waz.de/herne/leihgeraete", "WAZ: Leihgeräte", "press", dt.date(2026, 6, 30)
                ),
                services.SourceInput("https://www.herne.de/schulen", "Stadt Herne", "city"),
            ],
        ),
        EDITOR,
        today=TODAY,
    )
    services.record_status_change(
        herne,
        "8.2-4",
        make_change("kept", "2026-06-30", corrects_sequence=2, rationale='=HYPERLINK("http://evil") Datum korrigiert'),
        EDITOR,
        today=TODAY,
    )
    services.record_status_change(herne, "13.5b-1", make_change("broken", "2026-03-01"), EDITOR, today=TODAY)


def test_published_schema_is_the_one_the_tracker_uses():
    assert json.loads((ROOT / "docs" / "pledge-tracker.schema.json").read_text()) == services.export_schema()


def test_export_validates_and_holds_history_and_sources(herne):
    rate_some(herne)
    data = services.export_programme(herne)
    jsonschema.Draft202012Validator(services.export_schema()).validate(data)
    assert data["programme"]["slug"] == "hak-herne-2025" and len(data["pledges"]) == 262
    pledge = next(p for p in data["pledges"] if p["code"] == "8.2-4")
    assert (pledge["area"], pledge["goal"], pledge["status"], pledge["status_date"]) == (8, "8.2", "kept", "2026-06-30")
    assert [c["sequence"] for c in pledge["history"]] == [3, 2, 1]  # newest first
    assert pledge["history"][0]["corrects"] == 2
    assert [s["kind"] for s in pledge["history"][1]["sources"]] == ["press", "city"]
    assert [p["code"] for p in data["pledges"][:3]] == ["1-1", "1-2", "1-3"]


def test_export_restore_export_is_identical(herne, tmp_path, monkeypatch):
    rate_some(herne)
    first = services.export_json(herne)
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")

    empty_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", empty_url)  # from here on, the services use the empty database
    try:
        services.upgrade_schema()
        assert services.list_programmes() == []
        restored = services.restore_programme(services.load_export(path), ADMIN)
        assert restored.slug == HERNE_SLUG
        assert services.export_json(None) == first
    finally:
        db.get_engine(empty_url).dispose()


def test_restore_refuses_an_invalid_file_naming_the_place(tmp_path):
    path = tmp_path / "broken.json"
    data = {"format": "pledge-tracker/1", "programme": {}, "areas": [], "pledges": [{"code": 1}]}
    path.write_text(json.dumps(data))
    with pytest.raises(services.InvalidInput) as error:
        services.load_export(path)
    assert "broken.json" in str(error.value) and "schema.json" in str(error.value)


def test_csv_has_one_row_per_pledge_and_neutralises_formulas(herne):
    rate_some(herne)
    rows = list(csv.DictReader(io.StringIO(services.export_csv(herne))))
    assert len(rows) == 262
    row = next(r for r in rows if r["code"] == "8.2-4")
    assert row["status"] == "kept" and row["changes"] == "3"
    assert row["last_rationale"].startswith("'=HYPERLINK")
    assert "https://www.waz.de/herne/leihgeraete" in row["source_urls"]


GERMAN_COLUMNS = [
    "Nummer", "Bereich", "Titel des Bereichs", "Ziel", "Titel des Ziels", "Gruppe", "Maßnahme", "Bewertung",
    "Stichtag", "Anzahl der Bewertungen", "Letzte Begründung", "Quellen", "Nicht mehr im Programm seit",
    "Grund des Bruchs", "Frist", "Überprüfbar",
    "Geprüft von", "Geprüft am",
    "Maßnahme (Englisch)", "Maßnahme (Türkisch)", "Maßnahme (Arabisch)", "Maßnahme (Ukrainisch)",
]  # fmt: skip


def test_excel_workbook_export_has_german_headers_and_labels_date_cells_and_a_frozen_filtered_header(herne):
    rate_some(herne)
    workbook = openpyxl.load_workbook(io.BytesIO(services.export_xlsx(herne)))
    sheet = workbook.active
    assert (sheet.title, sheet.max_row, sheet.freeze_panes, sheet.auto_filter.ref) == (
        "Maßnahmen",
        263,
        "A2",
        "A1:V263",  # reason, deadline, checkable; who approved the latest rating and when; four translations
    )
    assert [c.value for c in sheet[1]] == GERMAN_COLUMNS and all(c.font.bold for c in sheet[1])
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    kept = rows["8.2-4"]
    assert [kept[i].value for i in (0, 1, 3, 7, 9)] == ["8.2-4", 8, "8.2", "Umgesetzt", 3]
    assert kept[8].is_date and kept[8].value.date() == dt.date(2026, 6, 30) and kept[8].number_format == "DD.MM.YYYY"
    assert rows["1-1"][7].value == "Noch nicht bewertet" and rows["1-1"][8].value is None
    rationale = kept[10]  # formula-like text stays text: stored as a string, marked as text for Excel
    assert (rationale.value, rationale.data_type, rationale.quotePrefix) == (
        '=HYPERLINK("http://evil") Datum korrigiert',
        "s",
        True,
    )
    widths = {column: sheet.column_dimensions[column].width for column in "ABGH"}
    assert widths["A"] < 12 and widths["G"] == 60 and 10 < widths["H"] < 25  # fits; long texts capped and wrapped
    assert kept[6].alignment.wrap_text and not kept[0].alignment.wrap_text


def test_excel_csv_export_has_a_bom_semicolons_german_headers_labels_and_dates(herne):
    rate_some(herne)
    data = services.export_excel_csv(herne)
    assert data.startswith(b"\xef\xbb\xbfNummer;Bereich;Titel des Bereichs;")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == GERMAN_COLUMNS and len(rows) == 263
    kept = next(r for r in rows if r[0] == "8.2-4")
    assert (kept[7], kept[8], kept[9]) == ("Umgesetzt", "30.06.2026", "3")
    assert kept[10] == '\'=HYPERLINK("http://evil") Datum korrigiert'
    assert next(r for r in rows if r[0] == "13.5b-1")[7:9] == ["Gebrochen", "01.03.2026"]
    assert data.count(b"\r\n") == 263


def test_cli_export_for_excel_writes_both_spreadsheet_files_beside_the_unchanged_csv(tracker_cli, tmp_path):
    tracker_cli("import-programme", str(HERNE), check=True)
    output = tmp_path / "herne.csv"
    result = tracker_cli("export", "--format", "csv", "--excel", "--output", str(output), check=True)
    written = [tmp_path / "herne.csv", tmp_path / "herne-excel.csv", tmp_path / "herne.xlsx"]
    assert result.stderr.splitlines() == [f"Wrote {path}" for path in written]
    assert output.read_text(encoding="utf-8") == tracker_cli("export", "--format", "csv", check=True).stdout
    assert (tmp_path / "herne-excel.csv").read_bytes().startswith(b"\xef\xbb\xbfNummer;")
    assert openpyxl.load_workbook(tmp_path / "herne.xlsx").active["A1"].value == "Nummer"

    for args in (("--excel",), ("--format", "json", "--excel", "-o", str(tmp_path / "x.json"))):
        refused = tracker_cli("export", *args)
        assert refused.returncode == 1 and "use it with --format csv --output FILE.csv" in refused.stderr
    missing = tracker_cli("export", "-f", "csv", "-o", str(tmp_path / "no" / "such" / "dir.csv"))
    assert missing.returncode == 1 and "cannot write" in missing.stderr and "Traceback" not in missing.stderr
