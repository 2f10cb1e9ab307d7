"""Accounts, roles, sign-in with lockout, permissions checked in the services, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.conftest import ADMIN, EDITOR, make_change
from tracker import services
from tracker.models import StatusChange, User
from tracker.services import Actor

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
PASSWORD = "korrekt pferd batterie"


@pytest.fixture
def accounts(session, herne):
    services.add_user(session, ADMIN, "erika", PASSWORD, "editor")
    services.add_user(session, ADMIN, "bert", PASSWORD, "admin")
    session.commit()


def test_passwords_are_stored_as_argon2id_hashes(session, accounts):
    stored = session.scalar(select(User.password_hash).where(User.name == "erika"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_gives_the_accounts_role(session, accounts):
    assert services.authenticate(session, "erika", PASSWORD, NOW) == Actor("erika", "editor", "app")
    assert services.authenticate(session, "bert", PASSWORD, NOW).is_admin


def test_five_failures_lock_the_account_for_15_minutes_with_one_message_for_all(session, accounts):
    messages = set()
    for _ in range(5):
        with pytest.raises(services.SignInFailed) as error:
            services.authenticate(session, "erika", "wrong password!", NOW)
        session.commit()
        messages.add(str(error.value))
    with pytest.raises(services.SignInFailed) as locked:  # the right password no longer helps
        services.authenticate(session, "erika", PASSWORD, NOW + dt.timedelta(minutes=14))
    with pytest.raises(services.SignInFailed) as unknown:
        services.authenticate(session, "nobody", PASSWORD, NOW)
    messages |= {str(locked.value), str(unknown.value)}
    assert len(messages) == 1  # nothing tells whether the name exists or the account is locked
    assert services.authenticate(session, "erika", PASSWORD, NOW + dt.timedelta(minutes=16)).name == "erika"


def test_disabled_account_cannot_sign_in(session, accounts):
    services.disable_user(session, ADMIN, "erika")
    session.commit()
    with pytest.raises(services.SignInFailed):
        services.authenticate(session, "erika", PASSWORD, NOW)


def test_set_password_lifts_the_lock(session, accounts):
    for _ in range(5):
        with pytest.raises(services.SignInFailed):
            services.authenticate(session, "erika", "nope nope nope", NOW)
        session.commit()
    services.set_password(session, ADMIN, "erika", "ein neues langes passwort")
    session.commit()
    assert services.authenticate(session, "erika", "ein neues langes passwort", NOW).name == "erika"


@pytest.mark.parametrize(
    ("call", "role_needed"),
    [
        (lambda s, a, p: services.add_user(s, a, "neu", PASSWORD, "editor"), "admin"),
        (lambda s, a, p: services.disable_user(s, a, "bert"), "admin"),
        (lambda s, a, p: services.set_password(s, a, "bert", PASSWORD), "admin"),
        (lambda s, a, p: services.list_events(s, a), "admin"),
        (lambda s, a, p: services.record_status_change(s, p, "1-1", make_change(), a, today=TODAY), "editor"),
        (lambda s, a, p: services.add_evidence(s, p, "1-1", services.SourceInput("https://a.de", "A"), a), "editor"),
        (lambda s, a, p: services.set_success_criterion(s, p, "1-1", "Satzung beschlossen", a), "editor"),
    ],
)
def test_permissions_are_checked_in_the_services(session, herne, accounts, call, role_needed):
    with pytest.raises(services.PermissionDenied):
        call(session, None, herne)
    if role_needed == "admin":
        with pytest.raises(services.PermissionDenied, match="admin"):
            call(session, EDITOR, herne)
    else:
        call(session, EDITOR, herne)


def test_editor_may_change_only_their_own_password(session, accounts):
    services.set_password(session, Actor("erika", "editor"), "erika", "mein eigenes passwort")
    with pytest.raises(services.PermissionDenied):
        services.set_password(session, Actor("erika", "editor"), "bert", "fremdes passwort!!")


def test_bad_account_input_says_what_is_accepted(session, accounts):
    with pytest.raises(services.InvalidInput, match="10 to 200 characters"):
        services.add_user(session, ADMIN, "kurz", "kurz", "editor")
    with pytest.raises(services.InvalidInput, match="accepted: editor, admin"):
        services.add_user(session, ADMIN, "x", PASSWORD, "boss")
    with pytest.raises(services.InvalidInput, match="exists already"):
        services.add_user(session, ADMIN, "erika", PASSWORD, "editor")


def test_every_write_is_in_the_audit_trail(session, herne, accounts):
    services.record_status_change(session, herne, "1-1", make_change("kept"), EDITOR, today=TODAY)
    services.add_evidence(session, herne, "1-2", services.SourceInput("https://waz.de/x", "WAZ"), EDITOR)
    services.set_success_criterion(session, herne, "1-3", "Genossenschaft gegründet", EDITOR)
    session.commit()
    rows = services.list_events(session, ADMIN)
    actions = [(r.action, r.actor, r.pledge) for r in rows]
    assert ("status.change", "anna", "1-1") in actions
    assert ("evidence.add", "anna", "1-2") in actions
    assert ("pledge.success_criterion", "anna", "1-3") in actions
    assert ("account.add", "admin", None) in actions
    assert ("programme.import", "admin", None) in actions
    change = next(r for r in rows if r.action == "status.change")
    assert change.detail["status"] == "kept" and change.detail["previous_status"] == "not_rated"
    assert [r.pledge for r in services.list_events(session, ADMIN, pledge="1-2")] == ["1-2"]
    assert {r.actor for r in services.list_events(session, ADMIN, person="anna")} == {"anna"}
    assert services.list_events(session, ADMIN, since=TODAY + dt.timedelta(days=400)) == []
    assert "status.change" in services.audit_csv(rows)


def test_success_criterion_shows_on_the_pledge(session, herne):
    services.set_success_criterion(session, herne, "1-1", "Satzung vom Rat beschlossen", EDITOR)
    session.commit()
    assert services.find_pledge(session, herne, "1-1").success_criterion == "Satzung vom Rat beschlossen"


def test_bulk_save_is_all_or_nothing(session, herne):
    good = [services.BulkItem(c, make_change("in_progress")) for c in ("1-1", "1-2", "1-3")]
    bad = [*good, services.BulkItem("1-4", make_change("in_progress", rationale=" "))]
    with pytest.raises(services.RowErrors) as error:
        services.record_status_changes(session, herne, bad, EDITOR, today=TODAY)
    assert [(e.row, e.field) for e in error.value.errors] == [("1-4", "rationale")]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(StatusChange)) == 0
    services.record_status_changes(session, herne, good, EDITOR, today=TODAY)
    session.commit()
    assert services.status_counts(session, herne)["in_progress"] == 3


def test_sso_maps_only_listed_addresses(session):
    allowed = {"Presse@HAK-Herne.de": "editor"}
    assert services.sso_actor("presse@hak-herne.de", allowed) == Actor("presse@hak-herne.de", "editor", "sso")
    with pytest.raises(services.PermissionDenied):
        services.sso_actor("someone@else.de", allowed)


def test_cli_user_commands_take_the_password_from_stdin_not_an_argument(tracker_cli, session):
    session.close()
    tracker_cli("init", check=True)
    result = tracker_cli("user", "add", "carla", "--role", "editor", "--password-stdin", input=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert "carla\teditor\tactive" in tracker_cli("user", "list", check=True).stdout
    assert tracker_cli("user", "add", "dora", "--password", PASSWORD).returncode != 0  # no such option
    short = tracker_cli("user", "set-password", "carla", "--password-stdin", input="kurz\n")
    assert short.returncode == 1 and "10 to 200 characters" in short.stderr
    tracker_cli("user", "disable", "carla", check=True)
    assert "carla\teditor\tdisabled" in tracker_cli("user", "list", check=True).stdout
