"""Status rules: what a change must carry, how the current status follows from the history, conflicts."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from tests.helpers import EDITOR, TODAY, count, make_change
from tracker import services
from tracker.models import StatusChange
from tracker.services import Actor


def by_sequence(view: services.PledgeView) -> list[services.ChangeView]:
    """A pledge's changes in recording order (the view lists them newest effective date first)."""
    return sorted(view.history, key=lambda change: change.sequence)


def test_new_pledges_start_not_rated(herne):
    assert services.status_counts(herne) == {
        "not_rated": 262,
        "in_progress": 0,
        "stalled": 0,
        "partially_kept": 0,
        "kept": 0,
        "broken": 0,
    }


def test_change_sets_current_status_and_keeps_its_sources(herne):
    recorded = services.record_status_change(herne, "8.2-4", make_change("in_progress"), EDITOR, today=TODAY)
    assert (recorded.current_status, recorded.status_date) == ("in_progress", dt.date(2026, 1, 15))
    view = services.pledge_view(herne, "8.2-4")
    assert (view.status, view.status_date) == ("in_progress", dt.date(2026, 1, 15))
    [change] = view.history
    assert change.author == "anna" and change.recorded_at is not None
    assert [(s.url, s.title, s.kind) for s in change.sources] == [
        ("https://www.herne.de/rat/2026-01-15", "Ratsbeschluss", "council")
    ]


def test_current_status_is_latest_by_effective_date_not_by_recording(herne):
    services.record_status_change(herne, "1-1", make_change("kept", "2026-06-01"), EDITOR, today=TODAY)
    services.record_status_change(herne, "1-1", make_change("in_progress", "2026-02-01"), EDITOR, today=TODAY)
    view = services.pledge_view(herne, "1-1")
    assert (view.status, view.status_date) == ("kept", dt.date(2026, 6, 1))
    assert len(view.history) == 2


@pytest.mark.parametrize(
    ("overrides", "field", "index", "field_name", "accepted"),
    [
        ({"status": "done"}, "status", None, "status", "kept"),
        ({"rationale": "  "}, "rationale", None, "rationale", "must not be empty"),
        ({"sources": []}, "sources", None, "sources", "http(s) URL"),
        ({"sources": [services.SourceInput("javascript:alert(1)", "x")]}, "source.url", 1, "source 1 URL", "https://"),
        ({"sources": [services.SourceInput("www.herne.de", "x")]}, "source.url", 1, "source 1 URL", "https://"),
        (
            {"sources": [services.SourceInput("https://herne.de", " ")]},
            "source.title",
            1,
            "source 1 title",
            "must not be empty",
        ),
        (
            {"sources": [services.SourceInput("https://herne.de", "x", "blog")]},
            "source.kind",
            1,
            "source 1 kind",
            "council",
        ),
        ({"effective_date": dt.date(2026, 11, 26)}, "date", None, "date", "2025-09-14 to 2026-11-25"),
        ({"effective_date": dt.date(2025, 9, 13)}, "date", None, "date", "before the election"),
    ],
)
def test_invalid_change_is_refused_with_field_and_accepted_values(herne, overrides, field, index, field_name, accepted):
    with pytest.raises(services.InvalidInput) as error:
        services.record_status_change(herne, "1-1", make_change(**overrides), EDITOR, today=TODAY)
    assert (error.value.field, error.value.index) == (field, index)
    assert str(error.value) == f"{field_name}: {error.value.message}"
    assert accepted in str(error.value)
    assert count(StatusChange) == 0


def test_unknown_code_suggests_close_codes(herne):
    with pytest.raises(services.NotFound) as error:
        services.record_status_change(herne, "8.2-44", make_change(), EDITOR, today=TODAY)
    assert "8.2-4" in error.value.suggestions
    assert "Did you mean" in str(error.value)


def test_stale_version_is_a_conflict_naming_the_other_change(herne):
    seen = services.pledge_view(herne, "2-1").version
    services.record_status_change(herne, "2-1", make_change("stalled"), Actor("ben", "editor", "cli"), today=TODAY)
    with pytest.raises(services.Conflict) as error:
        services.record_status_change(herne, "2-1", make_change("kept"), EDITOR, expected_version=seen, today=TODAY)
    assert "ben" in str(error.value) and error.value.last_recorded["status"] == "stalled"
    view = services.pledge_view(herne, "2-1")
    assert [c.status for c in by_sequence(view)] == ["stalled"]


def test_two_editors_who_saw_the_same_version_do_not_overwrite_each_other(herne):
    """Both opened the pledge at version 0: the first save wins, the second gets a conflict."""
    seen_a = services.pledge_view(None, "3-2").version
    seen_b = services.pledge_view(None, "3-2").version
    services.record_status_change(
        None, "3-2", make_change("kept"), Actor("anna", "editor", "cli"), expected_version=seen_a, today=TODAY
    )
    with pytest.raises(services.Conflict, match="anna"):
        services.record_status_change(
            None, "3-2", make_change("broken"), Actor("ben", "editor", "cli"), expected_version=seen_b, today=TODAY
        )
    view = services.pledge_view(None, "3-2")
    assert [(c.status, c.author) for c in by_sequence(view)] == [("kept", "anna")]
    assert view.status == "kept"


@pytest.mark.parametrize("save_what_was_read", [True, False], ids=["expected_version", "version_read_in_the_save"])
def test_simultaneous_changes_are_all_kept_or_refused_never_lost(herne, save_what_was_read):
    """Four writers at the same moment: each change is either in the history or reported as a conflict.

    With the version each writer read, exactly one can win; without it, each save checks the version it
    reads itself, and every change that loses the race still fails loudly instead of vanishing.
    """
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def write(author: str) -> None:
        seen = services.pledge_view(None, "4-1").version
        barrier.wait()
        try:
            services.record_status_change(
                None,
                "4-1",
                make_change("in_progress", rationale=f"Bewertung von {author}"),
                Actor(author, "editor", "cli"),
                expected_version=seen if save_what_was_read else None,
                today=TODAY,
            )
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
    if save_what_was_read:
        assert len(saved) == 1  # all four saw version 0; only one save can claim it
    view = services.pledge_view(None, "4-1")
    assert sorted(c.author for c in view.history) == saved
    assert [c.sequence for c in by_sequence(view)] == list(range(1, len(saved) + 1))
    assert view.version == len(saved)
    assert count(StatusChange) == len(saved)


def test_the_same_change_saved_twice_is_recorded_once_and_the_second_save_names_the_first(herne):
    actor = Actor("redaktion", "editor", "cli", display_name="Erika Muster")
    first = services.record_status_change(
        None, "4-1", make_change("in_progress"), actor, expected_version=0, today=TODAY
    )
    for version in (0, 1, None):  # the same form sent again, after a reload, or from the command line
        with pytest.raises(services.AlreadyRecorded) as refused:
            services.record_status_change(
                None, "4-1", make_change("in_progress"), actor, expected_version=version, today=TODAY
            )
        assert refused.value.sequence == first.sequence
        assert refused.value.params["author"] == "Erika Muster"
    assert count(StatusChange) == 1
    # another rationale or another source is a new change
    services.record_status_change(
        None, "4-1", make_change("in_progress", rationale="Zweiter Beschluss"), actor, today=TODAY
    )
    assert count(StatusChange) == 2


def test_simultaneous_identical_saves_record_one_change(herne):
    """A double click sends the same form twice at the same moment: one change, the other told it exists."""
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def write() -> None:
        barrier.wait()
        try:
            services.record_status_change(
                None,
                "4-1",
                make_change("in_progress"),
                Actor("redaktion", "editor", "cli"),
                expected_version=0,
                today=TODAY,
            )
            outcomes.append("saved")
        except services.AlreadyRecorded:
            outcomes.append("already recorded")

    threads = [threading.Thread(target=write) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already recorded", "already recorded", "saved"]
    assert count(StatusChange) == 1


def test_correction_is_a_new_change_that_names_the_corrected_one(herne):
    services.record_status_change(herne, "5-1", make_change("kept"), EDITOR, today=TODAY)
    services.record_status_change(herne, "5-1", make_change("in_progress", corrects_sequence=1), EDITOR, today=TODAY)
    view = services.pledge_view(herne, "5-1")
    changes = by_sequence(view)
    assert [c.sequence for c in changes] == [1, 2]
    assert changes[1].corrects == 1
    assert view.status == "in_progress"
    with pytest.raises(services.InvalidInput, match="no change #7"):
        services.record_status_change(herne, "5-1", make_change(corrects_sequence=7), EDITOR, today=TODAY)
    assert count(StatusChange) == 2


def test_as_of_counts_follow_the_history(herne):
    services.record_status_change(herne, "1-1", make_change("in_progress", "2026-01-10"), EDITOR, today=TODAY)
    services.record_status_change(herne, "1-1", make_change("kept", "2026-09-01"), EDITOR, today=TODAY)
    services.record_status_change(herne, "1-2", make_change("broken", "2026-03-01"), EDITOR, today=TODAY)
    before = services.status_counts(herne, dt.date(2026, 1, 9))
    assert before["not_rated"] == 262
    spring = services.status_counts(herne, dt.date(2026, 3, 1))
    assert (spring["in_progress"], spring["broken"], spring["not_rated"]) == (1, 1, 260)
    now = services.status_counts(herne)
    assert (now["kept"], now["broken"], now["in_progress"]) == (1, 1, 0)
    assert services.status_counts(herne, TODAY) == now
    area_one = {r.status: r.count for r in services.area_status_counts(herne) if r.area_number == 1}
    assert area_one == {"not_rated": 2, "kept": 1, "broken": 1}
