"""Open data: the JSON export validates against the published schema and survives a restore unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import jsonschema
import pytest

from tests.helpers import ADMIN, EDITOR, HERNE_SLUG, ROOT, TODAY, make_change
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
