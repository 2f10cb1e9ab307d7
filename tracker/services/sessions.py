"""Server-side staff sessions: what a signed-in browser's cookie stands for.

A sign-in creates a row in ``staff_session`` and hands back a random token for the cookie; the table keeps
only the token's SHA-256, so a copy of the database signs nobody in. Every request resolves the token
again: a session ends when it is revoked (sign-out, a new password, a disabled account), after
``IDLE_TIMEOUT`` without a request, or ``MAX_AGE`` after the sign-in. Because the state is in the database,
a reload, a second tab or another replica of the app sees the same session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import StaffSession, User
from tracker.services.audit_log import record_event
from tracker.services.auth import Actor
from tracker.services.sign_in import authenticate
from tracker.services.unit_of_work import unit_of_work

IDLE_TIMEOUT = dt.timedelta(minutes=30)
MAX_AGE = dt.timedelta(hours=12)
# ``last_seen_at`` is written at most this often: a page's reruns do not each cost a write.
TOUCH_INTERVAL = dt.timedelta(seconds=60)
TOKEN_BYTES = 32


@dataclass(frozen=True)
class SessionStarted:
    """A new session: ``token`` goes into the cookie (and nowhere else); ``actor`` is who signed in."""

    token: str
    actor: Actor
    expires_at: dt.datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start_session(
    name: str, password: str, now: dt.datetime | None = None, address: str | None = None
) -> SessionStarted:
    """Check the password (failures are counted against the account and the client ``address`` and may lock
    it: ``SignInFailed``), then open a session for the account, in the transaction that confirms the sign-in."""
    now = now or clock.now_utc()
    token = secrets.token_urlsafe(TOKEN_BYTES)

    def open_session(session: Session, user: User, actor: Actor) -> None:
        session.add(
            StaffSession(id=_digest(token), user_id=user.id, created_at=now, last_seen_at=now, expires_at=now + MAX_AGE)
        )
        record_event(session, actor, "session.start")

    actor = authenticate(name, password, now, address, on_success=open_session)
    return SessionStarted(token, actor, now + MAX_AGE)


def resolve_session(token: str | None, now: dt.datetime | None = None) -> Actor | None:
    """The actor a session token stands for, or None when it is unknown, revoked, idle too long, past its
    twelve hours, or its account is disabled. A live session's idle time starts again."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    now = now or clock.now_utc()
    with unit_of_work() as session:
        row = session.get(StaffSession, _digest(token))
        if row is None or not _alive(row, now):
            return None
        user = row.user
        if user.disabled:
            return None
        if now - clock.as_utc(row.last_seen_at) >= TOUCH_INTERVAL:
            row.last_seen_at = now
        return Actor(user.name, user.role, "app", user.display_name)


def _alive(row: StaffSession, now: dt.datetime) -> bool:
    return (
        row.revoked_at is None
        and now < clock.as_utc(row.expires_at)
        and now - clock.as_utc(row.last_seen_at) < IDLE_TIMEOUT
    )


def end_session(token: str | None, now: dt.datetime | None = None) -> None:
    """Sign out: the session is revoked in the database, so its cookie opens nothing any more, anywhere."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return
    now = now or clock.now_utc()
    with unit_of_work() as session:
        row = session.get(StaffSession, _digest(token))
        if row is None or row.revoked_at is not None:
            return
        row.revoked_at = now
        record_event(session, Actor(row.user.name, row.user.role), "session.end")
