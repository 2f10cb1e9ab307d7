"""Review by a second person: with review on, a recorded change is a proposal that the public does not see until a
reviewer who is not its author approves it; returned changes never become public; review off publishes at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.helpers import ADMIN, TODAY, add_account, make_change, stored
from tracker import services
from tracker.models import StatusChange


@pytest.fixture
def team(herne):
    """Two accounts (so review is on in the default mode "auto"): an editor and a reviewer."""
    return {
        "anna": add_account("anna", "Anna Schmidt", "editor"),
        "rita": add_account("rita", "Rita Prüfer", "reviewer"),
    }


def propose(team, code="8.2-4", status="kept", **overrides):
    return services.record_status_change(
        "hak-herne-2025", code, make_change(status, **overrides), team["anna"], today=TODAY
    )


def public_status(code="8.2-4"):
    view = services.pledge_view("hak-herne-2025", code)
    return view.status, [c.sequence for c in view.history]


def test_with_one_account_review_is_off_and_a_change_is_public_at_once(herne):
    anna = add_account("anna", "Anna Schmidt", "editor")
    recorded = services.record_status_change(herne, "8.2-4", make_change("kept"), anna, today=TODAY)
    assert not recorded.proposed and recorded.sequence == 1
    assert public_status() == ("kept", [1])
    assert services.review_mode_now() == services.ReviewMode("auto", False)


def test_with_two_accounts_a_change_is_a_proposal_the_public_does_not_see(team):
    assert services.review_mode_now() == services.ReviewMode("auto", True)
    recorded = propose(team)
    assert recorded.proposed and recorded.sequence is None
    assert recorded.current_status == "not_rated"
    assert public_status() == ("not_rated", [])
    assert services.status_counts("hak-herne-2025")["kept"] == 0
    [waiting] = services.list_proposals("hak-herne-2025", team["rita"])
    assert (waiting.kind, waiting.pledge, waiting.value, waiting.author) == (
        "status_change",
        "8.2-4",
        "kept",
        "Anna Schmidt",
    )
    assert waiting.public_value == "not_rated" and waiting.ref == f"s{recorded.change_id}"
    backlog = services.review_backlog("hak-herne-2025", team["rita"])
    assert backlog.count == 1 and backlog.oldest == waiting.recorded_at


def test_a_reviewer_approves_and_the_change_gets_the_next_sequence_with_both_names(team):
    services.record_status_change(  # approved before review was on? no: the operator's change is a proposal too
        "hak-herne-2025", "8.2-4", make_change("in_progress", "2026-01-10"), ADMIN, today=TODAY
    )
    first = services.list_proposals("hak-herne-2025", team["rita"])[0]
    services.approve_proposal("hak-herne-2025", "status_change", first.id, team["rita"])
    recorded = propose(team, date="2026-02-01")
    services.approve_proposal("hak-herne-2025", "status_change", recorded.change_id, team["rita"], note="Geprüft.")
    assert public_status() == ("kept", [2, 1])
    [row] = stored(select(StatusChange).where(StatusChange.id == recorded.change_id))
    change = row[0]
    assert (change.sequence, change.review_state, change.author, change.reviewed_by) == (
        2,
        "approved",
        "Anna Schmidt",
        "Rita Prüfer",
    )
    assert change.reviewed_at is not None and change.review_note == "Geprüft."
    assert services.review_backlog("hak-herne-2025", team["rita"]).count == 0


def test_nobody_approves_their_own_proposal_and_editors_approve_nothing(team):
    rita_own = services.record_status_change("hak-herne-2025", "1-1", make_change("kept"), team["rita"], today=TODAY)
    with pytest.raises(services.PermissionDenied) as error:
        services.approve_proposal("hak-herne-2025", "status_change", rita_own.change_id, team["rita"])
    assert error.value.code == "own_proposal"
    anna_own = propose(team)
    with pytest.raises(services.PermissionDenied) as error:
        services.approve_proposal("hak-herne-2025", "status_change", rita_own.change_id, team["anna"])
    assert error.value.code == "reviewer_only"
    assert public_status("1-1") == ("not_rated", []) and public_status() == ("not_rated", [])
    services.approve_proposal("hak-herne-2025", "status_change", anna_own.change_id, team["rita"])
    with pytest.raises(services.ReviewRefused) as error:
        services.approve_proposal("hak-herne-2025", "status_change", anna_own.change_id, team["rita"])
    assert error.value.code == "not_proposed"


def test_a_returned_change_never_becomes_public_and_its_author_proposes_anew_or_withdraws(team):
    recorded = propose(team)
    with pytest.raises(services.InvalidInput) as error:
        services.return_proposal("hak-herne-2025", "status_change", recorded.change_id, team["rita"], "  ")
    assert error.value.code == "return_needs_reason"
    services.return_proposal("hak-herne-2025", "status_change", recorded.change_id, team["rita"], "Quelle fehlt.")
    assert public_status() == ("not_rated", [])
    [mine] = services.list_proposals("hak-herne-2025", team["anna"], states=("returned",), mine=True)
    assert (mine.state, mine.review_note, mine.reviewed_by) == ("returned", "Quelle fehlt.", "Rita Prüfer")
    with pytest.raises(services.PermissionDenied) as error:  # only its author proposes it anew
        services.record_status_change(
            "hak-herne-2025", "8.2-4", make_change("kept"), team["rita"], today=TODAY, revises=recorded.change_id
        )
    assert error.value.code == "not_your_proposal"
    again = services.record_status_change(
        "hak-herne-2025",
        "8.2-4",
        make_change("kept", rationale="Mit Quelle."),
        team["anna"],
        today=TODAY,
        revises=recorded.change_id,
    )
    assert again.proposed
    [waiting] = services.list_proposals("hak-herne-2025", team["rita"])
    assert waiting.revises_id == recorded.change_id
    with pytest.raises(services.PermissionDenied):
        services.withdraw_proposal("hak-herne-2025", "status_change", again.change_id, team["rita"])
    services.withdraw_proposal("hak-herne-2025", "status_change", again.change_id, team["anna"])
    assert services.list_proposals("hak-herne-2025", team["rita"]) == []
    assert public_status() == ("not_rated", [])
    states = sorted(r[0] for r in stored(select(StatusChange.review_state)))
    assert states == ["returned", "withdrawn"]  # nothing deleted


def test_a_double_submit_does_not_make_two_proposals(team):
    propose(team)
    with pytest.raises(services.AlreadyRecorded) as error:
        propose(team)
    assert error.value.code == "already_proposed"
    assert len(services.list_proposals("hak-herne-2025", team["rita"])) == 1


def test_a_bulk_save_is_approved_together(team):
    items = [services.BulkItem(code, make_change("kept")) for code in ("1-1", "1-2", "8.2-4")]
    recorded = services.record_status_changes("hak-herne-2025", items, team["anna"], today=TODAY)
    assert all(r.proposed for r in recorded)
    waiting = services.list_proposals("hak-herne-2025", team["rita"])
    assert len({w.batch for w in waiting}) == 1 and waiting[0].batch is not None
    single = propose(team, code="8.1-1")
    assert services.approve_batch("hak-herne-2025", "status_change", recorded[1].change_id, team["rita"]) == 3
    assert [public_status(c)[0] for c in ("1-1", "1-2", "8.2-4", "8.1-1")] == ["kept", "kept", "kept", "not_rated"]
    assert [w.id for w in services.list_proposals("hak-herne-2025", team["rita"])] == [single.change_id]


def test_review_off_publishes_at_once_with_two_accounts(team, monkeypatch):
    monkeypatch.setenv("TRACKER_REVIEW", "off")
    assert not propose(team).proposed
    assert public_status() == ("kept", [1])


def test_review_on_with_the_operator_alone(herne, monkeypatch):
    monkeypatch.setenv("TRACKER_REVIEW", "on")
    recorded = services.record_status_change(herne, "8.2-4", make_change("kept"), ADMIN, today=TODAY)
    assert recorded.proposed
    with pytest.raises(services.PermissionDenied) as error:  # the operator proposed it: the operator cannot approve
        services.approve_proposal(herne, "status_change", recorded.change_id, ADMIN)
    assert error.value.code == "own_proposal"
    rita = add_account("rita", "Rita Prüfer", "reviewer")
    services.approve_proposal(herne, "status_change", recorded.change_id, rita)
    assert public_status() == ("kept", [1])


def test_an_unknown_review_setting_is_refused_with_what_is_accepted(herne, monkeypatch):
    monkeypatch.setenv("TRACKER_REVIEW", "sometimes")
    with pytest.raises(services.InvalidInput) as error:
        services.review_mode_now()
    assert "auto, on, off" in str(error.value)
