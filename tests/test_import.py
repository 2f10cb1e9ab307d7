"""Importing the programme: first time, again unchanged, a revised text, and bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests.helpers import ADMIN, EDITOR, HERNE, TODAY, count, make_change, stored
from tracker import services
from tracker.models import Area, AuditEvent, Goal, Pledge, Programme, StatusChange
from tracker.programme import ProgrammeParseError

ORIGINAL = HERNE.read_bytes()


def reimport(data: bytes, on_removed: str = "refuse") -> services.ImportReport:
    metadata = services.load_metadata(HERNE.with_suffix(".toml"))
    return services.import_programme(data, metadata, HERNE.name, ADMIN, on_removed, TODAY)


def statuses_by_sequence(view: services.PledgeView) -> list[str]:
    return [c.status for c in sorted(view.history, key=lambda c: c.sequence)]


def test_first_import_loads_the_whole_programme(herne):
    assert (count(Area), count(Goal), count(Pledge)) == (17, 68, 262)
    programme = services.get_programme(herne)
    assert (programme.party, programme.municipality, programme.election_date) == (
        "HAK",
        "Herne",
        dt.date(2025, 9, 14),
    )
    assert (programme.term_start, programme.term_end) == (dt.date(2025, 11, 1), dt.date(2030, 10, 31))
    assert programme.printed_title == "Unsere Ziele für Herne"
    assert programme.preamble.splitlines()[0] == "Wahlprogramm des HAK"
    pledge = services.pledge_view(herne, "13.5b-1")
    assert pledge.text == "Housing-First-Projekte fördern (Wohnung vor Beratung – nicht umgekehrt)."
    assert pledge.goal_title == "Obdachlosigkeit wirksam bekämpfen"
    assert services.pledge_view(herne, "14.1-1").area_short_title == "Umwelt & Stadtbild"


def test_importing_the_same_file_again_changes_nothing(herne):
    services.record_status_change(herne, "1-1", make_change(), EDITOR, today=TODAY)
    before = services.export_json(herne)
    versions = dict(stored(select(Pledge.code, Pledge.version)))
    report = reimport(ORIGINAL)
    assert report.is_noop and report.unchanged == 262
    assert services.export_json(herne) == before
    assert dict(stored(select(Pledge.code, Pledge.version))) == versions


def test_revised_text_reports_added_changed_and_removed(herne):
    text = ORIGINAL.decode()
    text = text.replace("- Leerstände aktiv vermitteln.\n", "- Leerstände aktiv und schnell vermitteln.\n")
    text = text.replace("- Wohnbaugenossenschaften fördern.\n", "")  # 1-3 goes; 1-4 becomes 1-3
    text = text.replace(
        "- Mobile Sammelstellen in Stadtteilen einrichten.\n",
        "- Mobile Sammelstellen in Stadtteilen einrichten.\n- Müllsheriffs einsetzen.\n",
    )
    services.record_status_change(herne, "14.3-4", make_change("kept"), EDITOR, today=TODAY)
    report = reimport(text.encode())
    assert report.changed == ["1-2"]
    assert report.removed == ["1-3"]
    assert report.added == ["14.3-4"]
    assert report.renumbered == ["1-4 -> 1-3", "14.3-4 -> 14.3-5"]
    assert services.pledge_view(herne, "1-2").text == "Leerstände aktiv und schnell vermitteln."
    assert count(Pledge) == 262
    # the rated measure moved to 14.3-5 and took its history along; the new 14.3-4 starts unrated
    moved = services.pledge_view(herne, "14.3-5")
    assert moved.text.startswith("Aufklärungskampagnen") and statuses_by_sequence(moved) == ["kept"]
    assert services.pledge_view(herne, "14.3-4").status == "not_rated"


def test_removed_pledge_with_history_is_refused_unless_retired(herne):
    services.record_status_change(herne, "17.3-3", make_change("kept"), EDITOR, today=TODAY)
    shorter = (
        ORIGINAL.decode()
        .replace("- Beteiligung von Jugendlichen bei der Gestaltung von Freizeiträumen und -angeboten.", "")
        .encode()
    )
    with pytest.raises(services.ImportRefused, match="17.3-3"):
        reimport(shorter)
    assert count(Pledge) == 262
    assert count(Pledge, Pledge.retired_on.is_not(None)) == 0
    assert count(AuditEvent, AuditEvent.action == "programme.import") == 1  # only the first import

    report = reimport(shorter, on_removed="retire")
    assert report.retired == ["17.3-3"]
    pledge = services.pledge_view(herne, "17.3-3")
    assert pledge.retired_on == TODAY and statuses_by_sequence(pledge) == ["kept"]
    assert sum(services.status_counts(herne).values()) == 261

    back = reimport(ORIGINAL)  # the measure comes back: it is current again, history intact
    assert back.changed == ["17.3-3"]
    assert services.pledge_view(herne, "17.3-3").retired_on is None
    assert count(StatusChange) == 1


def test_unplaceable_line_stops_the_import_before_anything_is_written(engine):
    lines = ORIGINAL.decode().splitlines(keepends=True)
    lines.insert(11, "Dieser Satz gehört nirgendwohin.\n")
    with pytest.raises(ProgrammeParseError) as error:
        reimport("".join(lines).encode())
    assert error.value.line_no == 12 and "Dieser Satz gehört nirgendwohin." in str(error.value)
    assert count(Programme) == 0 and count(Pledge) == 0


def test_programmes_are_scoped(herne, tmp_path):
    other_text = tmp_path / "spd-bochum-2025.txt"
    other_text.write_text("Titel\n1. Wohnen\n- Mehr Wohnungen bauen.\n", encoding="utf-8")
    other_text.with_suffix(".toml").write_text(
        'slug = "spd-bochum-2025"\ntitle = "Bochum"\nparty = "SPD"\nmunicipality = "Bochum"\n'
        "election_date = 2025-09-14\nterm_start = 2025-11-01\nterm_end = 2030-10-31\n",
        encoding="utf-8",
    )
    services.import_programme_file(other_text, ADMIN)
    bochum = services.get_programme("spd-bochum-2025").slug
    assert bochum == "spd-bochum-2025"
    services.record_status_change(bochum, "1-1", make_change("kept"), EDITOR, today=TODAY)
    assert services.pledge_view(bochum, "1-1").status == "kept"
    assert services.pledge_view(herne, "1-1").status == "not_rated"
    assert services.status_counts(herne)["kept"] == 0
    assert sum(services.status_counts(bochum).values()) == 1
    assert len(json.loads(services.export_json(bochum))["pledges"]) == 1
    with pytest.raises(services.InvalidInput, match="hak-herne-2025, spd-bochum-2025"):
        services.get_programme()


def test_bad_metadata_names_file_and_field(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('slug = "x-1"\ntitle = "T"\nparty = "P"\nmunicipality = "M"\nelection_date = "soon"\n')
    with pytest.raises(services.InvalidInput) as error:
        services.load_metadata(path)
    assert "x.toml" in str(error.value) and "election_date" in str(error.value)
