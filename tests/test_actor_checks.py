"""The services check the actor against the database at every write (and every staff-only read): an unknown,
disabled or demoted account, or a single-sign-on address taken off the list, gets nothing done, whatever
role the actor claims; the open browser of a disabled account saves nothing."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.helpers import ADMIN, HERNE, TODAY, make_change, open_app, stored
from tests.test_staff_pages import page_text, sign_in
from tracker import services
from tracker.models import AuditEvent, Base
from tracker.services import Actor, auth

PASSWORD = "korrekt pferd batterie"
BACKUP = Path("backup.json")  # a backup of the test database (the fixture ``accounts`` writes one)
TIP_ID = 1  # the hint from the public the fixture ``accounts`` sends
STATUS_CSV = (
    b"code,status,date,rationale,source_url,source_title,source_kind\n"
    b"8.2-4,kept,2026-01-15,Beschlossen.,https://www.herne.de/x,Beschluss,council\n"
)

# Every use case that takes an actor: what it does when called as ``actor`` on the programme ``slug``.
CALLS = {
    "add_user": lambda a, slug: services.add_user(a, "mallory", PASSWORD, "admin"),
    "set_display_name": lambda a, slug: services.set_display_name(a, "erika", "Mallory"),
    "disable_user": lambda a, slug: services.disable_user(a, "bert"),
    "set_role": lambda a, slug: services.set_role(a, "erika", "admin"),
    "set_password": lambda a, slug: services.set_password(a, "bert", "ein gestohlenes passwort"),
    "list_users": lambda a, slug: services.list_users(a),
    "list_events": lambda a, slug: services.list_events(a),
    "audit_span": lambda a, slug: services.audit_span(a),
    "record_status_change": lambda a, slug: services.record_status_change(slug, "1-1", make_change(), a, today=TODAY),
    "record_status_changes": lambda a, slug: services.record_status_changes(
        slug, [services.BulkItem("1-2", make_change())], a, today=TODAY
    ),
    "add_evidence": lambda a, slug: services.add_evidence(slug, "1-1", services.SourceInput("https://a.de", "A"), a),
    "set_success_criterion": lambda a, slug: services.set_success_criterion(slug, "1-1", "Satzung beschlossen", a),
    "preview_status_import": lambda a, slug: services.preview_status_import(slug, STATUS_CSV, a, today=TODAY),
    "import_statuses": lambda a, slug: services.import_statuses(slug, STATUS_CSV, a, today=TODAY),
    "import_programme": lambda a, slug: services.import_programme(
        HERNE.read_bytes(), services.load_metadata(HERNE.with_suffix(".toml")), HERNE.name, a
    ),
    "import_programme_file": lambda a, slug: services.import_programme_file(HERNE, a),
    "restore_programme": lambda a, slug: services.restore_programme(services.export_programme(slug), a),
    "generate_demo_data": lambda a, slug: services.generate_demo_data(a, 1, 10, 5),
    "remove_demo_data": lambda a, slug: services.remove_demo_data(a),
    "write_backup": lambda a, slug: services.write_backup(BACKUP, a),
    "restore_backup": lambda a, slug: services.restore_backup(BACKUP, a, replace=True),
    "create_round": lambda a, slug: services.create_round(slug, 5, ("erika", "bert"), a),
    "list_rounds": lambda a, slug: services.list_rounds(slug, a),
    "rater_view": lambda a, slug: services.rater_view(slug, 1, a),
    "rate_items": lambda a, slug: services.rate_items(slug, 1, {"1-1": "kept"}, a),
    "round_result": lambda a, slug: services.round_result(slug, 1, a),
    "settle_disagreement": lambda a, slug: services.settle_disagreement(slug, 1, "1-1", make_change(), a, TODAY),
    "close_round": lambda a, slug: services.close_round(slug, 1, "x", a),
    "list_tips": lambda a, slug: services.list_tips(slug, "open", a),
    "accept_tip_as_source": lambda a, slug: services.accept_tip_as_source(slug, TIP_ID, "Ratsbeschluss", a),
    "accept_tip_as_change": lambda a, slug: services.accept_tip_as_change(slug, TIP_ID, make_change(), a, today=TODAY),
    "reject_tip": lambda a, slug: services.reject_tip(slug, TIP_ID, "Keine Quelle", a),
    "list_proposals": lambda a, slug: services.list_proposals(slug, a),
    "review_backlog": lambda a, slug: services.review_backlog(slug, a),
    "approve_proposal": lambda a, slug: services.approve_proposal(slug, "status_change", 1, a),
    "approve_batch": lambda a, slug: services.approve_batch(slug, "status_change", 1, a),
    "return_proposal": lambda a, slug: services.return_proposal(slug, "status_change", 1, a, "Quelle fehlt."),
    "withdraw_proposal": lambda a, slug: services.withdraw_proposal(slug, "status_change", 1, a),
    "propose_translation": lambda a, slug: services.propose_translation(slug, "8.2-4", "en", "Loan devices", a),
    "measure_translations": lambda a, slug: services.measure_translations(slug, "8.2-4", a),
    "record_checkability": lambda a, slug: services.record_checkability(slug, "1-1", False, "Zu vage.", a),
    "due_for_rating": lambda a, slug: services.due_for_rating(slug, a, today=TODAY),
}
ADMIN_ONLY = {
    "add_user", "set_display_name", "set_role", "disable_user", "set_password", "list_users", "list_events",
    "audit_span", "import_programme", "import_programme_file", "restore_programme", "generate_demo_data",
    "remove_demo_data", "write_backup", "restore_backup",
    "create_round", "close_round",
}  # fmt: skip


def test_every_use_case_that_takes_an_actor_is_checked_here():
    takes_actor = {
        name
        for name in services.__all__
        if inspect.isfunction(getattr(services, name))
        and "actor" in inspect.signature(getattr(services, name)).parameters
    }
    assert takes_actor == set(CALLS)


@pytest.fixture
def accounts(herne, tmp_path, monkeypatch):
    # Two accounts would turn review on (TRACKER_REVIEW=auto); these tests are about who may write at all, so
    # what they record is public at once (review has its own actor checks in tests/test_review.py).
    monkeypatch.setenv("TRACKER_REVIEW", "off")
    services.add_user(ADMIN, "erika", PASSWORD, "editor")
    services.add_user(ADMIN, "bert", PASSWORD, "admin")
    monkeypatch.setattr(sys.modules[__name__], "BACKUP", tmp_path / "backup.json")
    services.submit_tip(herne, "1-1", services.TipInput("Hinweis", "https://a.de"), session_key="s", address=None)
    services.write_backup(BACKUP, ADMIN)  # for the calls of restore_backup
    return herne


def everything() -> dict[str, int]:
    """How many rows each table has."""
    return {t.name: stored(select(func.count()).select_from(t))[0][0] for t in Base.metadata.sorted_tables}


def set_by_hand(sql: str) -> None:
    """A change made in the database directly (no use case, so no session is revoked)."""
    from tracker import db

    with db.get_engine().begin() as connection:
        connection.exec_driver_sql(sql)


@pytest.mark.parametrize(
    ("claim", "code"),
    [
        (Actor("nobody", "admin", "app"), "account_unknown"),  # no account at all
        (Actor("nobody", "admin", "cli", account=True), "account_unknown"),  # --as an account that is gone
        (Actor("someone@else.de", "admin", "sso", "Mallory"), "sso_not_allowed"),  # not on the allow list
        (Actor("", "admin", "app"), "sign_in_required"),
        (Actor("erika", "admin", "web"), "sign_in_required"),  # a channel nobody uses
    ],
    ids=["app", "cli-account", "sso", "no-name", "channel"],
)
def test_an_unknown_actor_can_do_nothing_whatever_role_it_claims(accounts, claim, code):
    before = everything()
    refused = []
    for name, call in CALLS.items():
        with pytest.raises(services.PermissionDenied) as error:
            call(claim, accounts)
        assert error.value.code == code, name
        refused.append(name)
    print(f"\n{len(refused)} use cases called as {claim.name or '(no name)'!r} ({claim.channel}): all refused")
    assert everything() == before


def test_the_role_of_the_account_counts_not_the_role_claimed(accounts):
    erika = Actor("erika", "admin", "app")  # erika is an editor
    for name, call in CALLS.items():
        if name in ADMIN_ONLY:
            with pytest.raises(services.PermissionDenied, match="Only an admin"):
                call(erika, accounts)
    services.record_status_change(accounts, "1-1", make_change(), erika, today=TODAY)
    [event] = services.list_events(ADMIN, action="status.change")
    assert (event.actor, event.channel) == ("erika", "app")


def test_a_demoted_admin_cannot_add_accounts_or_read_the_audit_trail(accounts):
    bert = services.start_session("bert", PASSWORD).actor
    services.add_user(bert, "lotte", PASSWORD, "editor")  # while an admin
    set_by_hand("UPDATE app_user SET role = 'editor' WHERE name = 'bert'")
    for name in ("add_user", "disable_user", "list_events", "list_users", "set_display_name"):
        with pytest.raises(services.PermissionDenied, match="Only an admin"):
            CALLS[name](bert, accounts)
    assert [a.name for a in services.list_users(ADMIN)] == ["bert", "erika", "lotte"]
    services.set_password(bert, "bert", "mein neues passwort")  # his own password: still his


@pytest.mark.parametrize("how", ["disable_user", "by hand"])
def test_a_disabled_accounts_actor_writes_nothing(accounts, how):
    erika = services.start_session("erika", PASSWORD).actor  # what her open browser holds
    cli = services.account_actor("erika")  # tracker set-status --as erika, started before the disable
    services.record_status_change(accounts, "1-1", make_change(), erika, today=TODAY)
    if how == "disable_user":
        services.disable_user(ADMIN, "erika")
    else:  # without revoking her sessions
        set_by_hand("UPDATE app_user SET disabled = true WHERE name = 'erika'")
    before = everything()
    for actor in (erika, cli):
        for name in ("record_status_change", "add_evidence", "set_success_criterion", "import_statuses"):
            with pytest.raises(services.PermissionDenied) as error:
                CALLS[name](actor, accounts)
            assert error.value.code == "account_disabled"
    assert everything() == before


def test_a_deleted_account_writes_nothing(accounts):
    erika = services.start_session("erika", PASSWORD).actor
    set_by_hand("DELETE FROM app_user WHERE name = 'erika'")
    with pytest.raises(services.PermissionDenied, match="no account named 'erika'"):
        CALLS["record_status_change"](erika, accounts)


def test_changes_are_signed_with_the_accounts_name_of_the_moment(accounts):
    erika = services.start_session("erika", PASSWORD).actor
    services.set_display_name(ADMIN, "erika", "Erika Muster")
    services.record_status_change(accounts, "1-1", make_change(), erika, today=TODAY)
    assert services.pledge_view(accounts, "1-1").history[0].author == "Erika Muster"


def test_single_sign_on_users_are_checked_against_the_allow_list_of_the_moment(accounts, monkeypatch):
    allowed = {"presse@hak-herne.de": "admin"}
    monkeypatch.setitem(auth._sso, "allow_list", lambda: allowed)
    pia = services.sso_actor("presse@hak-herne.de", allowed, "Pia Presse")
    services.add_user(pia, "lotte", PASSWORD, "editor")
    allowed["presse@hak-herne.de"] = "editor"  # the list now makes her an editor
    with pytest.raises(services.PermissionDenied, match="Only an admin"):
        services.add_user(pia, "mallory", PASSWORD, "admin")
    services.record_status_change(accounts, "1-1", make_change(), pia, today=TODAY)
    del allowed["presse@hak-herne.de"]  # and then takes her off
    with pytest.raises(services.PermissionDenied) as error:
        services.record_status_change(accounts, "1-2", make_change(), pia, today=TODAY)
    assert error.value.code == "sso_not_allowed"
    assert services.pledge_view(accounts, "1-1").history[0].author == "Pia Presse"
    assert services.pledge_view(accounts, "1-2").history == ()


@pytest.fixture
def staff(app_env, accounts):
    return accounts


def fill_rating(app) -> None:
    next(s for s in app.selectbox if s.label == "Neue Bewertung").set_value("kept")
    next(t for t in app.text_area if t.label.startswith("Begründung")).input("Der Rat hat es beschlossen.")
    next(t for t in app.text_input if t.label == "Adresse der Quelle").input("https://www.herne.de/ogs")
    next(t for t in app.text_input if t.label == "Titel der Quelle").input("Ratsbeschluss")


@pytest.mark.parametrize("how", ["disable_user", "by hand"])
def test_the_open_page_of_a_disabled_account_saves_nothing(staff, how):
    app = sign_in(open_app("views/edit.py", pledge="2-2"), "erika")
    fill_rating(app)
    if how == "disable_user":
        services.disable_user(ADMIN, "erika")
    else:
        set_by_hand("UPDATE app_user SET disabled = true WHERE name = 'erika'")
    events = stored(select(func.count()).select_from(AuditEvent))
    next(b for b in app.button if b.label == "Bewertung speichern").click().run()
    assert not app.exception, app.exception
    assert "Anmeldung für die Redaktion" in page_text(app)
    assert services.pledge_view(staff, "2-2").history == ()
    assert stored(select(func.count()).select_from(AuditEvent)) == events


def test_the_open_audit_page_of_a_demoted_admin_shows_nothing_more(staff):
    app = sign_in(open_app("views/audit.py"), "bert")
    assert app.dataframe
    set_by_hand("UPDATE app_user SET role = 'editor' WHERE name = 'bert'")
    app.run()
    assert "nur für Admins" in page_text(app) and not app.dataframe
