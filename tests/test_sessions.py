"""Staff sessions in the database: how long they live, what ends them, what the table keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.helpers import ADMIN, stored_scalars
from tracker import services
from tracker.clock import as_utc
from tracker.models import StaffSession

PASSWORD = "korrekt pferd batterie"
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def erika(engine):
    services.add_user(ADMIN, "erika", PASSWORD, "editor")
    return "erika"


def test_a_session_resolves_to_its_account_and_the_table_keeps_no_token(erika):
    started = services.start_session("erika", PASSWORD, NOON)
    assert services.resolve_session(started.token, NOON) == services.Actor("erika", "editor", "app")
    assert started.expires_at == NOON + dt.timedelta(hours=12)
    [stored_id] = stored_scalars(select(StaffSession.id))
    assert started.token not in stored_id and len(started.token) >= 40
    forged = ("y" if started.token.startswith("x") else "x") + started.token[1:]  # one character off
    assert services.resolve_session(forged, NOON) is None
    assert services.resolve_session("", NOON) is None and services.resolve_session(None, NOON) is None


def test_idle_for_thirty_minutes_ends_a_session_but_activity_keeps_it(erika):
    token = services.start_session("erika", PASSWORD, NOON).token
    for minutes in (29, 58, 87):  # a request every 29 minutes keeps it going
        assert services.resolve_session(token, NOON + dt.timedelta(minutes=minutes)) is not None
    assert services.resolve_session(token, NOON + dt.timedelta(minutes=87 + 30)) is None


def test_twelve_hours_end_a_session_however_active(erika):
    token = services.start_session("erika", PASSWORD, NOON).token
    moment = NOON
    while moment < NOON + dt.timedelta(hours=12) - dt.timedelta(minutes=20):
        moment += dt.timedelta(minutes=20)
        assert services.resolve_session(token, moment) is not None
    assert services.resolve_session(token, NOON + dt.timedelta(hours=12)) is None


def test_sign_out_revokes_the_session(erika):
    token = services.start_session("erika", PASSWORD, NOON).token
    other = services.start_session("erika", PASSWORD, NOON).token  # a second browser
    services.end_session(token, NOON)
    assert services.resolve_session(token, NOON) is None
    assert services.resolve_session(other, NOON) is not None  # signing out here keeps the other browser in


@pytest.mark.parametrize("ending", ["disable", "new password", "own new password"])
def test_disabling_or_a_new_password_ends_every_session_of_the_account(erika, ending):
    tokens = [services.start_session("erika", PASSWORD, NOON).token for _ in range(2)]
    if ending == "disable":
        services.disable_user(ADMIN, "erika")
    elif ending == "new password":
        services.set_password(ADMIN, "erika", "ein ganz neues passwort")
    else:
        services.set_password(services.Actor("erika", "editor"), "erika", "ein ganz neues passwort")
    assert [services.resolve_session(t) for t in tokens] == [None, None]
    if ending != "disable":
        assert services.resolve_session(services.start_session("erika", "ein ganz neues passwort").token)


def test_a_disabled_account_is_refused_even_with_a_session_left_open(erika, engine):
    token = services.start_session("erika", PASSWORD).token
    with engine.begin() as connection:  # disabled by hand in the database, without revoking its sessions
        connection.exec_driver_sql("UPDATE app_user SET disabled = true WHERE name = 'erika'")
    assert services.resolve_session(token) is None


def test_a_wrong_password_opens_no_session(erika):
    with pytest.raises(services.SignInFailed):
        services.start_session("erika", "falsches passwort")
    assert stored_scalars(select(StaffSession.id)) == []


def test_last_seen_is_written_at_most_once_a_minute(erika):
    token = services.start_session("erika", PASSWORD, NOON).token
    services.resolve_session(token, NOON + dt.timedelta(seconds=30))
    assert as_utc(stored_scalars(select(StaffSession.last_seen_at))[0]) == NOON
    services.resolve_session(token, NOON + dt.timedelta(seconds=90))
    assert as_utc(stored_scalars(select(StaffSession.last_seen_at))[0]) == NOON + dt.timedelta(seconds=90)
