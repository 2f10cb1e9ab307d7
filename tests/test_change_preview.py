"""The preview of status changes: what saving would do to each pledge's public status, by the saving rule."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import EDITOR, TODAY, count, make_change
from tracker import services
from tracker.models import StatusChange


def item(code: str, status: str = "kept", date: str = "2026-03-01", **overrides) -> services.BulkItem:
    return services.BulkItem(code, make_change(status, date, **overrides))


def preview(herne: str, *items: services.BulkItem) -> list[services.ChangePreview]:
    return services.preview_status_changes(herne, list(items), today=TODAY)


def test_a_change_on_a_new_measure_becomes_its_public_status(herne):
    [seen] = preview(herne, item("2-1"))
    assert (seen.status, seen.new_status, seen.effect, seen.public_status) == (
        "not_rated",
        "kept",
        services.Effect.NEW_CURRENT,
        "kept",
    )
    assert seen.saves and seen.newer is None and seen.identical is None
    assert count(StatusChange) == 0  # a preview writes nothing


def test_a_back_dated_change_names_the_newer_rating_that_keeps_the_status_and_saving_agrees(herne):
    services.record_status_change(herne, "2-1", make_change("kept", "2026-09-20"), EDITOR, today=TODAY)
    [seen] = preview(herne, item("2-1", "in_progress", "2026-05-01"))
    assert seen.effect == services.Effect.HISTORY_ONLY
    assert (seen.status, seen.public_status, seen.public_date) == ("kept", "kept", dt.date(2026, 9, 20))
    assert (seen.newer.sequence, seen.newer.status, seen.newer.effective_date) == (1, "kept", dt.date(2026, 9, 20))
    recorded = services.record_status_change(
        herne, "2-1", make_change("in_progress", "2026-05-01"), EDITOR, today=TODAY
    )
    assert (recorded.current_status, recorded.status_date) == (seen.public_status, seen.public_date)


def test_a_change_on_the_same_day_as_the_current_one_wins_as_recorded_later(herne):
    services.record_status_change(herne, "2-2", make_change("kept", "2026-09-20"), EDITOR, today=TODAY)
    [seen] = preview(herne, item("2-2", "broken", "2026-09-20"))
    assert (seen.effect, seen.public_status) == (services.Effect.NEW_CURRENT, "broken")
    recorded = services.record_status_change(herne, "2-2", make_change("broken", "2026-09-20"), EDITOR, today=TODAY)
    assert recorded.current_status == seen.public_status


def test_an_identical_change_on_record_is_named_and_would_not_be_saved(herne):
    first = services.record_status_change(herne, "2-3", make_change("kept"), EDITOR, today=TODAY)
    [same, other] = preview(herne, item("2-3", "kept", "2026-01-15"), item("2-4", "kept", "2026-01-15"))
    assert same.effect == services.Effect.ALREADY_RECORDED and not same.saves
    assert same.identical.sequence == first.sequence and same.public_status == "kept"
    assert other.effect == services.Effect.NEW_CURRENT


def test_an_incomplete_rationale_still_previews_the_status(herne):
    [seen] = preview(herne, item("2-4", rationale="", sources=[]))
    assert seen.effect == services.Effect.NEW_CURRENT and seen.identical is None


def test_a_change_since_the_version_seen_is_named(herne):
    [before] = preview(herne, item("3-1"))
    services.record_status_change(herne, "3-1", make_change("stalled"), EDITOR, today=TODAY)
    stale = services.BulkItem("3-1", make_change("kept", "2026-03-01"), expected_version=before.version)
    [seen] = preview(herne, stale)
    assert seen.changed_since.status == "stalled" and seen.changed_since.author == "anna"
    assert seen.version == before.version + 1


def test_unknown_codes_and_bad_dates_are_all_named(herne):
    with pytest.raises(services.RowErrors) as refused:
        preview(herne, item("99-1"), item("1-1", date="2030-01-01"))
    assert [(e.pledge, e.field, e.code) for e in refused.value.errors] == [
        ("99-1", "code", "row_no_pledge"),
        ("1-1", "date", "date_in_future"),
    ]


def test_one_decision_is_checked_once_naming_the_field(herne):
    bad = make_change(sources=[services.SourceInput("www.herne.de", "Beschluss")])
    with pytest.raises(services.InvalidInput) as refused:
        services.check_status_change(herne, bad, today=TODAY)
    assert (refused.value.field, refused.value.index) == ("source.url", 1)
    services.check_status_change(herne, make_change(), today=TODAY)  # a valid one passes
