"""Importing the programme: first time, again unchanged, a revised text, and bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from tests.conftest import ADMIN, EDITOR, HERNE, make_change
from tracker import services
from tracker.models import Area, Goal, Pledge, Programme, StatusChange
from tracker.programme import ProgrammeParseError

TODAY = dt.date(2026, 11, 25)
ORIGINAL = HERNE.read_bytes()


def reimport(session, data: bytes, on_removed: str = "refuse"):
    metadata = services.load_metadata(HERNE.with_suffix(".toml"))
    return services.import_programme(session, data, metadata, HERNE.name, ADMIN, on_removed, TODAY)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_first_import_loads_the_whole_programme(session, herne):
    assert (count(session, Area), count(session, Goal), count(session, Pledge)) == (17, 68, 262)
    assert (herne.party, herne.municipality, herne.election_date) == ("HAK", "Herne", dt.date(2025, 9, 14))
    assert (herne.term_start, herne.term_end) == (dt.date(2025, 11, 1), dt.date(2030, 10, 31))
    assert herne.printed_title == "Unsere Ziele für Herne"
    assert herne.preamble.splitlines()[0] == "Wahlprogramm des HAK"
    pledge = services.find_pledge(session, herne, "13.5b-1")
    assert pledge.text == "Housing-First-Projekte fördern (Wohnung vor Beratung – nicht umgekehrt)."
    assert pledge.goal.title == "Obdachlosigkeit wirksam bekämpfen"
    assert services.find_pledge(session, herne, "14.1-1").area.short_title == "Umwelt & Stadtbild"


def test_importing_the_same_file_again_changes_nothing(session, herne):
    services.record_status_change(session, herne, "1-1", make_change(), EDITOR, today=TODAY)
    session.commit()
    before = services.export_json(session, herne)
    versions = dict(session.execute(select(Pledge.code, Pledge.version)).all())
    report = reimport(session, ORIGINAL)
    session.commit()
    assert report.is_noop and report.unchanged == 262
    assert services.export_json(session, herne) == before
    assert dict(session.execute(select(Pledge.code, Pledge.version)).all()) == versions


def test_revised_text_reports_added_changed_and_removed(session, herne):
    text = ORIGINAL.decode()
    text = text.replace("- Leerstände aktiv vermitteln.\n", "- Leerstände aktiv und schnell vermitteln.\n")
    text = text.replace("- Wohnbaugenossenschaften fördern.\n", "")  # 1-3 goes; 1-4 becomes 1-3
    text = text.replace(
        "- Mobile Sammelstellen in Stadtteilen einrichten.\n",
        "- Mobile Sammelstellen in Stadtteilen einrichten.\n- Müllsheriffs einsetzen.\n",
    )
    services.record_status_change(session, herne, "14.3-4", make_change("kept"), EDITOR, today=TODAY)
    session.commit()
    report = reimport(session, text.encode())
    session.commit()
    assert report.changed == ["1-2"]
    assert report.removed == ["1-3"]
    assert report.added == ["14.3-4"]
    assert report.renumbered == ["1-4 -> 1-3", "14.3-4 -> 14.3-5"]
    assert services.find_pledge(session, herne, "1-2").text == "Leerstände aktiv und schnell vermitteln."
    assert count(session, Pledge) == 262
    # the rated measure moved to 14.3-5 and took its history along; the new 14.3-4 starts unrated
    moved = services.find_pledge(session, herne, "14.3-5")
    assert moved.text.startswith("Aufklärungskampagnen") and [c.status for c in moved.changes] == ["kept"]
    assert services.find_pledge(session, herne, "14.3-4").current_status == "not_rated"


def test_removed_pledge_with_history_is_refused_unless_retired(session, herne):
    services.record_status_change(session, herne, "17.3-3", make_change("kept"), EDITOR, today=TODAY)
    session.commit()
    shorter = (
        ORIGINAL.decode()
        .replace("- Beteiligung von Jugendlichen bei der Gestaltung von Freizeiträumen und -angeboten.", "")
        .encode()
    )
    with pytest.raises(services.ImportRefused, match="17.3-3"):
        reimport(session, shorter)
    session.rollback()
    assert count(session, Pledge) == 262

    report = reimport(session, shorter, on_removed="retire")
    session.commit()
    assert report.retired == ["17.3-3"]
    pledge = services.find_pledge(session, herne, "17.3-3")
    assert pledge.retired_on == TODAY and [c.status for c in pledge.changes] == ["kept"]
    assert sum(services.status_counts(session, herne).values()) == 261

    back = reimport(session, ORIGINAL)  # the measure comes back: it is current again, history intact
    session.commit()
    assert back.changed == ["17.3-3"]
    assert services.find_pledge(session, herne, "17.3-3").retired_on is None
    assert count(session, StatusChange) == 1


def test_unplaceable_line_stops_the_import_before_anything_is_written(session):
    lines = ORIGINAL.decode().splitlines(keepends=True)
    lines.insert(11, "Dieser Satz gehört nirgendwohin.\n")
    with pytest.raises(ProgrammeParseError) as error:
        reimport(session, "".join(lines).encode())
    assert error.value.line_no == 12 and "Dieser Satz gehört nirgendwohin." in str(error.value)
    session.rollback()
    assert count(session, Programme) == 0 and count(session, Pledge) == 0


def test_programmes_are_scoped(session, herne, tmp_path):
    other_text = tmp_path / "spd-bochum-2025.txt"
    other_text.write_text("Titel\n1. Wohnen\n- Mehr Wohnungen bauen.\n", encoding="utf-8")
    other_text.with_suffix(".toml").write_text(
        'slug = "spd-bochum-2025"\ntitle = "Bochum"\nparty = "SPD"\nmunicipality = "Bochum"\n'
        "election_date = 2025-09-14\nterm_start = 2025-11-01\nterm_end = 2030-10-31\n",
        encoding="utf-8",
    )
    services.import_programme_file(session, other_text, ADMIN)
    session.commit()
    bochum = services.get_programme(session, "spd-bochum-2025")
    services.record_status_change(session, bochum, "1-1", make_change("kept"), EDITOR, today=TODAY)
    session.commit()
    assert services.find_pledge(session, bochum, "1-1").current_status == "kept"
    assert services.find_pledge(session, herne, "1-1").current_status == "not_rated"
    assert services.status_counts(session, herne)["kept"] == 0
    assert sum(services.status_counts(session, bochum).values()) == 1
    assert len(json.loads(services.export_json(session, bochum))["pledges"]) == 1
    with pytest.raises(services.InvalidInput, match="hak-herne-2025, spd-bochum-2025"):
        services.get_programme(session)


def test_bad_metadata_names_file_and_field(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('slug = "x-1"\ntitle = "T"\nparty = "P"\nmunicipality = "M"\nelection_date = "soon"\n')
    with pytest.raises(services.InvalidInput) as error:
        services.load_metadata(path)
    assert "x.toml" in str(error.value) and "election_date" in str(error.value)
