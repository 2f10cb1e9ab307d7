"""Review by a second person: with review on, a recorded change is a proposal that the public does not see until a
reviewer who is not its author approves it; returned changes never become public; review off publishes at once."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from sqlalchemy import select

from tests.helpers import ADMIN, TODAY, add_account, make_change, stored
from tracker import clock, services
from tracker.edition import live
from tracker.models import StatusChange

pytestmark = pytest.mark.review  # review in its default mode, auto (tests/conftest.py turns it off elsewhere)


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


def test_the_cli_lists_approves_and_returns_proposals(team):
    from tests.helpers import run_cli

    first = propose(team)
    second = propose(team, code="1-1")
    listed = run_cli("review", "list")
    assert listed.exit_code == 0, listed.stderr
    assert f"s{first.change_id}\tproposed\t8.2-4: kept" in listed.stdout and "Review is on" in listed.stdout
    refused = run_cli("review", "approve", f"s{first.change_id}", "--as", "anna")
    assert refused.exit_code == 1 and "Only a reviewer or an admin" in refused.stderr
    done = run_cli("review", "approve", f"s{first.change_id}", "--as", "rita")
    assert done.exit_code == 0, done.stderr
    assert public_status() == ("kept", [1])
    no_reason = run_cli("review", "return", f"s{second.change_id}", "--as", "rita", "--reason", " ")
    assert no_reason.exit_code == 1 and "reason: say why it is returned" in no_reason.stderr
    run_cli("review", "return", f"s{second.change_id}", "--as", "rita", "--reason", "Quelle fehlt.")
    listed = run_cli("review", "list", "--returned", "--as", "anna")
    assert "returned by Rita Prüfer: Quelle fehlt." in listed.stdout
    unknown = run_cli("review", "approve", "x9", "--as", "rita")
    assert unknown.exit_code == 1 and "No proposal 'x9'" in unknown.stderr
    assert public_status("1-1") == ("not_rated", [])


def test_the_cli_sets_the_reviewer_role(herne):
    from tests.helpers import run_cli

    add_account("anna")
    assert run_cli("user", "set-role", "anna", "reviewer").stdout.strip() == "Account anna now has the role reviewer."


def review_page_text(app) -> str:
    """What a reader sees of the page: its text, headings and the links' labels."""
    from tests.test_staff_pages import page_text

    links = [link.proto.label for link in app.get("page_link")]
    return "\n".join([page_text(app), *(h.value for h in app.subheader), *links])


@pytest.fixture
def team_page(app_env, herne):
    """The team of ``team`` with passwords, to sign in on the dashboard."""
    services.add_user(ADMIN, "anna", "ein langes passwort", "editor", "Anna Schmidt")
    services.add_user(ADMIN, "rita", "ein langes passwort", "reviewer", "Rita Prüfer")
    return {"anna": services.account_actor("anna"), "rita": services.account_actor("rita")}


def test_the_review_page_shows_a_proposal_beside_the_public_state_and_approves_it(team_page):
    from tests.helpers import open_app
    from tests.test_staff_pages import sign_in

    recorded = propose(team_page)
    app = sign_in(open_app("views/review.py"), "rita", "ein langes passwort")
    text = review_page_text(app)
    assert "Zu prüfen" in text and "Wartet auf Ihre Prüfung" in text
    assert "1 Vorschlag wartet auf Prüfung" in text  # the backlog line of every staff page
    assert "Vorgeschlagen von Anna Schmidt" in text and "Jetzt öffentlich" in text
    assert "Der Rat hat am 15.01.2026 die Finanzierung beschlossen." in [t.value for t in app.text]
    next(b for b in app.button if b.label == "Zurückgeben").click().run()
    assert "Begründung: bitte begründen" in review_page_text(app)  # no reason: refused, in German
    next(b for b in app.button if b.label == "Freigeben").click().run()
    assert not app.exception, app.exception
    assert "Freigegeben." in review_page_text(app) and "Nichts wartet auf Ihre Prüfung." in review_page_text(app)
    assert public_status() == ("kept", [1])
    view = services.pledge_view("hak-herne-2025", "8.2-4")
    assert (view.history[0].author, view.history[0].reviewed_by) == ("Anna Schmidt", "Rita Prüfer")
    assert recorded.change_id


def test_an_editor_sees_the_reason_of_a_returned_proposal_and_withdraws_it(team_page):
    from tests.helpers import open_app
    from tests.test_staff_pages import sign_in

    recorded = propose(team_page)
    services.return_proposal("hak-herne-2025", "status_change", recorded.change_id, team_page["rita"], "Quelle?")
    app = sign_in(open_app("views/review.py"), "anna", "ein langes passwort")
    text = review_page_text(app)
    assert "Zurückgegeben von Rita Prüfer: Quelle?" in text and "Wartet auf Ihre Prüfung" not in text
    assert not any(b.label == "Freigeben" for b in app.button)
    next(b for b in app.button if b.label == "Zurückziehen").click().run()
    assert "Zurückgezogen." in review_page_text(app) and "keinen wartenden oder zurückgegebenen" in review_page_text(
        app
    )


def test_a_returned_or_waiting_change_reaches_no_public_place(team):
    """Statistics, the overview, the measure page, the exports, the published edition and its feeds."""
    from tracker.edition import live

    services.record_status_change(  # an approved rating, to compare with
        "hak-herne-2025", "1-1", make_change("in_progress", "2026-01-10"), ADMIN, today=TODAY
    )
    services.approve_batch("hak-herne-2025", "status_change", 1, team["rita"])
    secret = "Geheimer Entwurf: nur die Redaktion sieht das."
    waiting = propose(team, code="1-1", status="kept", rationale=secret, date="2026-02-01")
    returned = propose(team, status="broken", rationale=secret + " (zurück)")
    services.return_proposal("hak-herne-2025", "status_change", returned.change_id, team["rita"], "Nein.")
    assert waiting.proposed

    assert services.status_counts("hak-herne-2025")["kept"] == 0
    assert services.status_counts("hak-herne-2025", as_of=TODAY)["kept"] == 0  # the history, read by date
    assert services.status_counts("hak-herne-2025", as_of=TODAY)["broken"] == 0
    assert [(r.code, r.status) for r in services.overview("hak-herne-2025").recent] == [("1-1", "in_progress")]
    assert public_status("1-1") == ("in_progress", [1]) and public_status() == ("not_rated", [])
    for exported in (services.export_json("hak-herne-2025"), services.export_csv("hak-herne-2025")):
        assert "Geheimer Entwurf" not in exported and "https://www.herne.de/rat/2026-01-15" in exported
    feeds = [
        live.feed("hak-herne-2025", language, name, "https://example.org").content
        for language in ("de", "en")
        for name in ("all.atom", "measure-1-1.atom", "measure-8.2-4.atom")
    ]
    assert not any(b"Geheimer Entwurf" in feed for feed in feeds) and any(b"2026-01-15" in feed for feed in feeds)
    [edition] = services.edition_part("hak-herne-2025", pledge="1-1").pledges
    assert [(c.sequence, c.status, c.reviewed_by) for c in edition.history] == [(1, "in_progress", "Rita Prüfer")]
    [edition] = services.edition_part("hak-herne-2025", pledge="8.2-4").pledges
    assert edition.history == () and edition.status == "not_rated"


def test_a_change_approved_last_is_the_newest_in_the_latest_changes_and_the_feeds(team, monkeypatch):
    """A change is dated when it became public: one proposed on 1 November and approved on 3 November comes before
    one proposed and approved on 2 November, on the overview, in "last updated" and in the programme's feed."""

    def at(day: int) -> dt.datetime:
        moment = dt.datetime(2026, 11, day, 10, 0, tzinfo=dt.UTC)
        monkeypatch.setattr(clock, "now_utc", lambda: moment)
        return moment

    at(1)
    older = propose(team, "8.2-4", date="2026-10-30")
    at(2)
    newer = propose(team, "1-1", status="in_progress", date="2026-10-31")
    services.approve_proposal("hak-herne-2025", "status_change", newer.change_id, team["rita"])
    approved = at(3)
    services.approve_proposal("hak-herne-2025", "status_change", older.change_id, team["rita"])

    overview = services.overview("hak-herne-2025")
    assert [change.code for change in overview.recent] == ["8.2-4", "1-1"]
    assert overview.last_update == approved
    document = live.feed("hak-herne-2025", "de", "all.atom", "https://tracker.example").content
    feed = feedparser.parse(document)
    assert [entry.id.rsplit(":", 1)[1] for entry in feed.entries] == ["hak-herne-2025/8.2-4/1", "hak-herne-2025/1-1/1"]
    assert feed.entries[0].published == feed.entries[0].updated == "2026-11-03T10:00:00+00:00"
    assert feed.feed.updated == "2026-11-03T10:00:00+00:00"
