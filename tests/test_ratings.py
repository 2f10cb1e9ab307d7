"""Status rules: what a change must carry, how the current status follows from the history, conflicts."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import EDITOR, make_change
from tracker import db, services
from tracker.models import StatusChange
from tracker.services import Actor

TODAY = dt.date(2026, 11, 25)


def test_new_pledges_start_not_rated(session, herne):
    assert services.status_counts(session, herne) == {
        "not_rated": 262,
        "in_progress": 0,
        "stalled": 0,
        "partially_kept": 0,
        "kept": 0,
        "broken": 0,
    }


def test_change_sets_current_status_and_keeps_its_sources(session, herne):
    services.record_status_change(session, herne, "8.2-4", make_change("in_progress"), EDITOR, today=TODAY)
    session.commit()
    pledge = services.find_pledge(session, herne, "8.2-4")
    assert (pledge.current_status, pledge.status_date) == ("in_progress", dt.date(2026, 1, 15))
    [change] = pledge.changes
    assert change.author == "anna" and change.recorded_at is not None
    assert [(s.url, s.title, s.kind) for s in change.sources] == [
        ("https://www.herne.de/rat/2026-01-15", "Ratsbeschluss", "council")
    ]


def test_current_status_is_latest_by_effective_date_not_by_recording(session, herne):
    services.record_status_change(session, herne, "1-1", make_change("kept", "2026-06-01"), EDITOR, today=TODAY)
    services.record_status_change(session, herne, "1-1", make_change("in_progress", "2026-02-01"), EDITOR, today=TODAY)
    session.commit()
    pledge = services.find_pledge(session, herne, "1-1")
    assert (pledge.current_status, pledge.status_date) == ("kept", dt.date(2026, 6, 1))
    assert len(pledge.changes) == 2


@pytest.mark.parametrize(
    ("overrides", "field", "accepted"),
    [
        ({"status": "done"}, "status", "kept"),
        ({"rationale": "  "}, "rationale", "must not be empty"),
        ({"sources": []}, "sources", "http(s) URL"),
        ({"sources": [services.SourceInput("javascript:alert(1)", "x")]}, "source 1 URL", "https://"),
        ({"sources": [services.SourceInput("www.herne.de", "x")]}, "source 1 URL", "https://"),
        ({"sources": [services.SourceInput("https://herne.de", " ")]}, "source 1 title", "must not be empty"),
        ({"sources": [services.SourceInput("https://herne.de", "x", "blog")]}, "source 1 kind", "council"),
        ({"effective_date": dt.date(2026, 11, 26)}, "date", "2025-09-14 to 2026-11-25"),
        ({"effective_date": dt.date(2025, 9, 13)}, "date", "before the election"),
    ],
)
def test_invalid_change_is_refused_with_field_and_accepted_values(session, herne, overrides, field, accepted):
    with pytest.raises(services.InvalidInput) as error:
        services.record_status_change(session, herne, "1-1", make_change(**overrides), EDITOR, today=TODAY)
    assert error.value.field == field
    assert accepted in str(error.value)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(StatusChange)) == 0


def test_unknown_code_suggests_close_codes(session, herne):
    with pytest.raises(services.NotFound) as error:
        services.record_status_change(session, herne, "8.2-44", make_change(), EDITOR, today=TODAY)
    assert "8.2-4" in error.value.suggestions
    assert "Did you mean" in str(error.value)


def test_stale_version_is_a_conflict_naming_the_other_change(session, herne):
    seen = services.find_pledge(session, herne, "2-1").version
    services.record_status_change(session, herne, "2-1", make_change("stalled"), Actor("ben", "editor"), today=TODAY)
    session.commit()
    with pytest.raises(services.Conflict) as error:
        services.record_status_change(
            session, herne, "2-1", make_change("kept"), EDITOR, expected_version=seen, today=TODAY
        )
    assert "ben" in str(error.value) and error.value.latest_change["status"] == "stalled"
    pledge = services.find_pledge(session, herne, "2-1")
    assert [c.status for c in pledge.changes] == ["stalled"]


def test_two_editors_who_saw_the_same_version_do_not_overwrite_each_other(engine, herne):
    """Both opened the pledge at version 0: the first save wins, the second gets a conflict."""
    with db.session_scope(engine) as first, db.session_scope(engine) as second:
        prog_a, prog_b = services.get_programme(first), services.get_programme(second)
        seen_a = services.find_pledge(first, prog_a, "3-2").version
        seen_b = services.find_pledge(second, prog_b, "3-2").version
        services.record_status_change(
            first, prog_a, "3-2", make_change("kept"), Actor("anna", "editor"), expected_version=seen_a, today=TODAY
        )
        first.commit()
        with pytest.raises(services.Conflict, match="anna"):
            services.record_status_change(
                second,
                prog_b,
                "3-2",
                make_change("broken"),
                Actor("ben", "editor"),
                expected_version=seen_b,
                today=TODAY,
            )
    with db.session_scope(engine) as check:
        pledge = services.find_pledge(check, services.get_programme(check), "3-2")
        assert [(c.status, c.author) for c in pledge.changes] == [("kept", "anna")]
        assert pledge.current_status == "kept"


def test_simultaneous_changes_are_all_kept_or_refused_never_lost(engine, herne):
    """Four writers at the same moment: each change is either in the history or reported as a conflict."""
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def write(author: str) -> None:
        with db.session_scope(engine) as session:
            programme = services.get_programme(session)
            services.find_pledge(session, programme, "4-1")
            barrier.wait()
            try:
                services.record_status_change(
                    session, programme, "4-1", make_change("in_progress"), Actor(author, "editor"), today=TODAY
                )
                session.commit()
                outcomes.append(author)
            except services.Conflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(f"editor{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = sorted(o for o in outcomes if o != "conflict")
    assert len(outcomes) == 4 and saved
    with db.session_scope(engine) as check:
        pledge = services.find_pledge(check, services.get_programme(check), "4-1")
        assert sorted(c.author for c in pledge.changes) == saved
        assert [c.sequence for c in pledge.changes] == list(range(1, len(saved) + 1))
        assert pledge.version == len(saved)


def test_correction_is_a_new_change_that_names_the_corrected_one(session, herne):
    services.record_status_change(session, herne, "5-1", make_change("kept"), EDITOR, today=TODAY)
    services.record_status_change(
        session, herne, "5-1", make_change("in_progress", corrects_sequence=1), EDITOR, today=TODAY
    )
    session.commit()
    pledge = services.find_pledge(session, herne, "5-1")
    assert [c.sequence for c in pledge.changes] == [1, 2]
    assert pledge.changes[1].corrects.sequence == 1
    assert pledge.current_status == "in_progress"
    with pytest.raises(services.InvalidInput, match="no change #7"):
        services.record_status_change(session, herne, "5-1", make_change(corrects_sequence=7), EDITOR, today=TODAY)


def test_as_of_counts_follow_the_history(session, herne):
    services.record_status_change(session, herne, "1-1", make_change("in_progress", "2026-01-10"), EDITOR, today=TODAY)
    services.record_status_change(session, herne, "1-1", make_change("kept", "2026-09-01"), EDITOR, today=TODAY)
    services.record_status_change(session, herne, "1-2", make_change("broken", "2026-03-01"), EDITOR, today=TODAY)
    session.commit()
    before = services.status_counts(session, herne, dt.date(2026, 1, 9))
    assert before["not_rated"] == 262
    spring = services.status_counts(session, herne, dt.date(2026, 3, 1))
    assert (spring["in_progress"], spring["broken"], spring["not_rated"]) == (1, 1, 260)
    now = services.status_counts(session, herne)
    assert (now["kept"], now["broken"], now["in_progress"]) == (1, 1, 0)
    assert services.status_counts(session, herne, TODAY) == now
    area_one = {r.status: r.count for r in services.area_status_counts(session, herne) if r.area_number == 1}
    assert area_one == {"not_rated": 2, "kept": 1, "broken": 1}
