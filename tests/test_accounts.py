"""Accounts, roles, sign-in with lockout, permissions checked in the services, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.helpers import ADMIN, EDITOR, TODAY, add_account, count, make_change, stored_scalars
from tracker import services
from tracker.models import AuditEvent, StatusChange, User
from tracker.services import Actor
from tracker.services.auth import needs_rehash, verify_password
from tracker.services.sign_in import DUMMY_HASH

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
PASSWORD = "korrekt pferd batterie"


@pytest.fixture
def accounts(herne):
    services.add_user(ADMIN, "erika", PASSWORD, "editor")
    services.add_user(ADMIN, "bert", PASSWORD, "admin")


def test_passwords_are_stored_as_argon2id_hashes(accounts):
    [password_hash] = stored_scalars(select(User.password_hash).where(User.name == "erika"))
    assert password_hash.startswith("$argon2id$") and PASSWORD not in password_hash


def test_a_refused_name_costs_the_same_hash_check_as_a_real_account():
    """The hash an unknown, disabled or locked name is checked against has the parameters real passwords are
    hashed with (so its check takes as long), and no password anyone could type matches it."""
    assert DUMMY_HASH.startswith("$argon2id$") and not needs_rehash(DUMMY_HASH)
    assert not verify_password(DUMMY_HASH, "a password nobody has") and not verify_password(DUMMY_HASH, "")


def test_sign_in_gives_the_accounts_role(accounts):
    assert services.authenticate("erika", PASSWORD, NOW) == Actor("erika", "editor", "app")
    assert services.authenticate("bert", PASSWORD, NOW).is_admin


def test_five_failures_lock_the_account_for_15_minutes_with_one_message_for_all(accounts):
    messages = set()
    for _ in range(5):
        with pytest.raises(services.SignInFailed) as error:
            services.authenticate("erika", "wrong password!", NOW)
        messages.add(str(error.value))
    with pytest.raises(services.SignInFailed) as locked:  # the right password no longer helps
        services.authenticate("erika", PASSWORD, NOW + dt.timedelta(minutes=14))
    with pytest.raises(services.SignInFailed) as unknown:
        services.authenticate("nobody", PASSWORD, NOW)
    messages |= {str(locked.value), str(unknown.value)}
    assert len(messages) == 1  # nothing tells whether the name exists or the account is locked
    assert services.authenticate("erika", PASSWORD, NOW + dt.timedelta(minutes=16)).name == "erika"


def test_disabled_account_cannot_sign_in(accounts):
    services.disable_user(ADMIN, "erika")
    with pytest.raises(services.SignInFailed):
        services.authenticate("erika", PASSWORD, NOW)


def test_set_password_lifts_the_lock(accounts):
    for _ in range(5):
        with pytest.raises(services.SignInFailed):
            services.authenticate("erika", "nope nope nope", NOW)
    services.set_password(ADMIN, "erika", "ein neues langes passwort")
    assert services.authenticate("erika", "ein neues langes passwort", NOW).name == "erika"


@pytest.mark.parametrize(
    ("call", "role_needed"),
    [
        (lambda a, p: services.add_user(a, "neu", PASSWORD, "editor"), "admin"),
        (lambda a, p: services.disable_user(a, "bert"), "admin"),
        (lambda a, p: services.set_password(a, "bert", PASSWORD), "admin"),
        (lambda a, p: services.list_events(a), "admin"),
        (lambda a, p: services.record_status_change(p, "1-1", make_change(), a, today=TODAY), "editor"),
        (lambda a, p: services.add_evidence(p, "1-1", services.SourceInput("https://a.de", "A"), a), "editor"),
        (lambda a, p: services.set_success_criterion(p, "1-1", "Satzung beschlossen", a), "editor"),
    ],
)
def test_permissions_are_checked_in_the_services(herne, accounts, call, role_needed):
    with pytest.raises(services.PermissionDenied):
        call(None, herne)
    if role_needed == "admin":
        with pytest.raises(services.PermissionDenied, match="admin"):
            call(EDITOR, herne)
    else:
        call(EDITOR, herne)


def test_editor_may_change_only_their_own_password(accounts):
    services.set_password(Actor("erika", "editor"), "erika", "mein eigenes passwort")
    with pytest.raises(services.PermissionDenied):
        services.set_password(Actor("erika", "editor"), "bert", "fremdes passwort!!")


def test_bad_account_input_says_what_is_accepted(accounts):
    with pytest.raises(services.InvalidInput, match="10 to 200 characters") as short:
        services.add_user(ADMIN, "kurz", "kurz", "editor")
    assert short.value.field == "password"
    with pytest.raises(services.InvalidInput, match="accepted: editor, reviewer, admin") as role:
        services.add_user(ADMIN, "x", PASSWORD, "boss")
    assert role.value.field == "role"
    with pytest.raises(services.InvalidInput, match="exists already") as taken:
        services.add_user(ADMIN, "erika", PASSWORD, "editor")
    assert taken.value.field == "name"


def test_every_write_is_in_the_audit_trail(herne, accounts):
    services.record_status_change(herne, "1-1", make_change("kept"), EDITOR, today=TODAY)
    services.add_evidence(herne, "1-2", services.SourceInput("https://waz.de/x", "WAZ"), EDITOR)
    services.set_success_criterion(herne, "1-3", "Genossenschaft gegründet", EDITOR)
    rows = services.list_events(ADMIN)
    actions = [(r.action, r.actor, r.pledge) for r in rows]
    assert ("status.change", "anna", "1-1") in actions
    assert ("evidence.add", "anna", "1-2") in actions
    assert ("pledge.success_criterion", "anna", "1-3") in actions
    assert ("account.add", "admin", None) in actions
    assert ("programme.import", "admin", None) in actions
    change = next(r for r in rows if r.action == "status.change")
    assert change.detail["status"] == "kept" and change.detail["previous_status"] == "not_rated"
    assert [r.pledge for r in services.list_events(ADMIN, pledge="1-2")] == ["1-2"]
    assert {r.actor for r in services.list_events(ADMIN, person="anna")} == {"anna"}
    assert services.list_events(ADMIN, since=TODAY + dt.timedelta(days=400)) == []
    assert [r.action for r in services.list_events(ADMIN, action="evidence.add")] == ["evidence.add"]


def test_success_criterion_shows_on_the_pledge(herne):
    services.set_success_criterion(herne, "1-1", "Satzung vom Rat beschlossen", EDITOR)
    assert services.pledge_view(herne, "1-1").success_criterion == "Satzung vom Rat beschlossen"


def test_bulk_save_is_all_or_nothing(herne):
    good = [services.BulkItem(c, make_change("in_progress")) for c in ("1-1", "1-2", "1-3")]
    bad = [*good, services.BulkItem("1-4", make_change("in_progress", rationale=" "))]
    with pytest.raises(services.RowErrors) as error:
        services.record_status_changes(herne, bad, EDITOR, today=TODAY)
    assert [(e.row, e.field) for e in error.value.errors] == [("1-4", "rationale")]
    assert count(StatusChange) == 0
    services.record_status_changes(herne, good, EDITOR, today=TODAY)
    assert services.status_counts(herne)["in_progress"] == 3


def test_sso_maps_only_listed_addresses():
    allowed = {"Presse@HAK-Herne.de": "editor"}
    actor = services.sso_actor("presse@hak-herne.de", allowed, "Pia Presse")
    assert actor == Actor("presse@hak-herne.de", "editor", "sso", "Pia Presse")
    assert actor.signature == "Pia Presse"  # the public signature is the name, never the address
    assert services.sso_actor("presse@hak-herne.de", allowed).signature == "presse"
    with pytest.raises(services.PermissionDenied):
        services.sso_actor("someone@else.de", allowed)


def test_cli_user_commands_take_the_password_from_stdin_not_an_argument(tracker_cli, engine):
    tracker_cli("init", check=True)
    result = tracker_cli("user", "add", "carla", "--role", "editor", "--password-stdin", input=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert "carla\teditor\tactive\t(no full name)" in tracker_cli("user", "list", check=True).stdout
    assert tracker_cli("user", "add", "dora", "--password", PASSWORD).returncode != 0  # no such option
    short = tracker_cli("user", "set-password", "carla", "--password-stdin", input="kurz\n")
    assert short.returncode == 1 and "10 to 200 characters" in short.stderr
    tracker_cli("user", "disable", "carla", check=True)
    assert "carla\teditor\tdisabled\t(no full name)" in tracker_cli("user", "list", check=True).stdout


SET_STATUS = [
    "set-status", "8.2-4", "kept", "--rationale", "Der Rat hat die Leihgeräte beschlossen.",
    "--source-url", "https://www.herne.de/rat/2026-10-01", "--source-title", "Ratsbeschluss", "--date", "2026-01-15",
]  # fmt: skip


def test_cli_records_only_as_an_existing_enabled_account(herne, tracker_cli, tmp_path):
    add_account("bernd", "Bernd Beispiel")
    services.disable_user(ADMIN, "bernd")
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text(
        "code,status,date,rationale,source_url,source_title,source_kind\n"
        "8.2-4,kept,2026-01-15,Beschlossen.,https://www.herne.de/x,Beschluss,council\n",
        encoding="utf-8",
    )
    events = count(AuditEvent)
    for name, says in (("nobody", "No account named 'nobody'"), ("bernd", "The account 'bernd' is disabled")):
        for command in ([*SET_STATUS, "--as", name], ["import-statuses", str(csv_path), "--as", name]):
            result = tracker_cli(*command)
            assert result.returncode == 2, (command, result.stderr)
            assert says in result.stderr and 'tracker user add NAME --display-name "First Last"' in result.stderr
            assert "Traceback" not in result.stderr
    assert count(StatusChange) == 0 and count(AuditEvent) == events
    assert "--author" not in tracker_cli("set-status", "--help").stdout


def test_a_change_made_at_the_cli_is_signed_publicly_with_the_accounts_full_name(herne, tracker_cli):
    add_account("anna", "Anna Schmidt")
    tracker_cli(*SET_STATUS, "--as", "anna", check=True)
    [change] = services.pledge_view(herne, "8.2-4").history
    assert change.author == "Anna Schmidt" and change.sources[0].added_by == "Anna Schmidt"
    assert "recorded by Anna Schmidt" in tracker_cli("show", "8.2-4", check=True).stdout
    assert services.overview(herne).recent[0].author == "Anna Schmidt"
    [event] = services.list_events(ADMIN, action="status.change")
    assert (event.actor, event.channel) == ("anna", "cli")  # the audit trail names the account


def test_public_pages_and_exports_never_show_a_login_name_that_has_a_full_name(herne):
    # signed with the login name: recorded before the full name was set (or by a session without it)
    services.add_user(ADMIN, "erika", PASSWORD, "editor")
    erika = Actor("erika", "editor")
    services.record_status_change(herne, "1-1", make_change("kept"), erika, today=TODAY)
    services.add_evidence(herne, "1-2", services.SourceInput("https://waz.de/x", "WAZ"), erika)
    assert services.pledge_view(herne, "1-1").history[0].author == "erika"
    services.set_display_name(ADMIN, "erika", "Erika Muster")
    assert services.pledge_view(herne, "1-1").history[0].author == "Erika Muster"
    assert services.pledge_view(herne, "1-2").evidence[0].added_by == "Erika Muster"
    assert services.overview(herne).recent[0].author == "Erika Muster"
    exported = services.export_json(herne)
    assert "Erika Muster" in exported and '"erika"' not in exported


def test_user_set_name_is_for_admins_audited_and_listed(herne, tracker_cli):
    created = tracker_cli(
        "user", "add", "erika", "--display-name", " Erika  Muster ", "--password-stdin", input=PASSWORD + "\n"
    )
    assert "Account erika (Erika Muster) created" in created.stdout, created.stderr
    assert "erika\teditor\tactive\tErika Muster" in tracker_cli("user", "list", check=True).stdout
    assert "now signs as Erika Mustermann" in tracker_cli("user", "set-name", "erika", "Erika Mustermann").stdout
    assert "erika\teditor\tactive\tErika Mustermann" in tracker_cli("user", "list", check=True).stdout
    empty = tracker_cli("user", "set-name", "erika", "  ")
    assert empty.returncode == 1 and "display name: must not be empty" in empty.stderr
    [event] = services.list_events(ADMIN, action="account.display_name")
    assert event.detail == {"account": "erika", "from": "Erika Muster", "to": "Erika Mustermann"}
    assert event.channel == "cli"
    with pytest.raises(services.PermissionDenied):
        services.set_display_name(EDITOR, "erika", "Jemand Anderes")
    with pytest.raises(services.NotFound):
        services.set_display_name(ADMIN, "nobody", "Niemand")
    assert services.authenticate("erika", PASSWORD, NOW).signature == "Erika Mustermann"


def test_user_set_role_demotes_an_admin_at_her_next_request_and_is_audited(herne, tracker_cli):
    tracker_cli("user", "add", "bert", "--role", "admin", "--password-stdin", input=PASSWORD + "\n", check=True)
    bert = services.start_session("bert", PASSWORD).actor  # what his open browser holds
    services.add_user(bert, "lotte", PASSWORD, "editor")  # while an admin

    demoted = tracker_cli("user", "set-role", "bert", "editor")
    assert demoted.returncode == 0 and "Account bert now has the role editor." in demoted.stdout, demoted.stderr
    assert "bert\teditor\tactive" in tracker_cli("user", "list", check=True).stdout
    with pytest.raises(services.PermissionDenied, match="Only an admin"):  # his open page, no new sign-in
        services.add_user(bert, "mallory", PASSWORD, "admin")
    services.record_status_change(herne, "1-1", make_change(), bert, today=TODAY)  # an editor still

    unknown = tracker_cli("user", "set-role", "bert", "chef")
    assert unknown.returncode == 1 and "role" in unknown.stderr and "editor, reviewer, admin" in unknown.stderr
    assert tracker_cli("user", "set-role", "nobody", "admin").returncode == 1
    with pytest.raises(services.PermissionDenied):
        services.set_role(bert, "bert", "admin")  # no one promotes himself
    [event] = services.list_events(ADMIN, action="account.role")
    assert (event.detail, event.channel) == ({"account": "bert", "from": "admin", "to": "editor"}, "cli")
