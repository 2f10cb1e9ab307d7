"""Who may write: staff actors, roles, local accounts with argon2id, sign-in with lockout.

Every write service takes an ``Actor`` and calls ``require`` before touching anything, so that
hiding a page in the app is never the only protection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import StaffSession, User
from tracker.services.audit_log import record_event
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied, SignInFailed
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import ROLES, Role

MAX_FAILED_ATTEMPTS = 5
LOCK_DURATION = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("a password nobody has")


@dataclass(frozen=True)
class Actor:
    """Someone who writes: a signed-in account, a single-sign-on user, or the operator at the CLI."""

    name: str
    role: str
    channel: str = "app"  # app, sso or cli
    display_name: str = ""  # the person's full name; the login name is never shown publicly

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def signature(self) -> str:
        """The name that signs what this actor records, publicly: the full name when one is set."""
        return self.display_name or self.name


@dataclass(frozen=True)
class Account:
    """A staff account as the account list shows it (never its password hash)."""

    name: str
    role: str
    disabled: bool


def require(actor: Actor | None, role: str = Role.EDITOR) -> Actor:
    """The actor, if it may act with ``role`` (admins may do everything editors may)."""
    if actor is None or not actor.name:
        raise PermissionDenied("sign_in_required")
    if actor.role not in ROLES:
        raise PermissionDenied("actor_role_unknown", role=actor.role)
    if role == Role.ADMIN and not actor.is_admin:
        raise PermissionDenied("admin_only")
    return actor


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise InvalidInput("name", "account_name")
    return name


def _check_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password or "") <= MAX_PASSWORD_LENGTH:
        raise InvalidInput("password", "password_length", min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)
    return password


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput("role", "unknown_choice", value=role, accepted=", ".join(ROLES))
    return role


def _find_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound("no_account", name=name)
    return user


def add_user(actor: Actor, name: str, password: str, role: str) -> Account:
    require(actor, Role.ADMIN)
    name, role = _check_name(name), _check_role(role)
    _check_password(password)
    with unit_of_work() as session:
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise InvalidInput("name", "account_exists", name=name)
        session.add(User(name=name, password_hash=_hasher.hash(password), role=role, created_at=clock.now_utc()))
        record_event(session, actor, "account.add", detail={"account": name, "role": role})
    return Account(name, role, False)


def disable_user(actor: Actor, name: str) -> None:
    require(actor, Role.ADMIN)
    with unit_of_work() as session:
        user = _find_user(session, name)
        user.disabled = True
        _revoke_sessions(session, user)
        record_event(session, actor, "account.disable", detail={"account": name})


def set_password(actor: Actor, name: str, password: str) -> None:
    """Admins set anyone's password; everyone may set their own. Also lifts a lock."""
    if actor is None or actor.name != name:
        require(actor, Role.ADMIN)
    _check_password(password)
    with unit_of_work() as session:
        user = _find_user(session, name)
        user.password_hash = _hasher.hash(password)
        user.failed_attempts = 0
        user.locked_until = None
        _revoke_sessions(session, user)
        record_event(session, actor, "account.password", detail={"account": name})


def _revoke_sessions(session: Session, user: User) -> None:
    """End every open session of an account (a new password, a disabled account): at its next request,
    each signed-in browser of the account shows the sign-in again."""
    session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=clock.now_utc())
    )


def list_users(actor: Actor) -> list[Account]:
    require(actor, Role.ADMIN)
    with unit_of_work() as session:
        return [Account(u.name, u.role, u.disabled) for u in session.scalars(select(User).order_by(User.name))]


def authenticate(name: str, password: str, now: dt.datetime | None = None) -> Actor:
    """Check a name and password; count failures and lock the account after too many.

    The failure count is committed before ``SignInFailed`` is raised, so it is kept.
    """
    with unit_of_work() as session:
        actor = _check_credentials(session, name, password, now or clock.now_utc())
    if actor is None:
        raise SignInFailed(
            "sign_in_failed", attempts=MAX_FAILED_ATTEMPTS, minutes=int(LOCK_DURATION.total_seconds() // 60)
        )
    return actor


def _check_credentials(session: Session, name: str, password: str, now: dt.datetime) -> Actor | None:
    """The actor for a right name and password, or None (after counting the failure against the account)."""
    user = session.scalar(select(User).where(User.name == (name or "").strip()))
    if user is None:
        _verify(_DUMMY_HASH, password)  # the same work as for a real account: timing reveals nothing
        return None
    if user.disabled or (user.locked_until is not None and clock.as_utc(user.locked_until) > now):
        return None
    if not _verify(user.password_hash, password):
        session.execute(update(User).where(User.id == user.id).values(failed_attempts=User.failed_attempts + 1))
        session.refresh(user)
        if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
            user.locked_until = now + LOCK_DURATION
            user.failed_attempts = 0
        return None
    user.failed_attempts = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return Actor(user.name, user.role, "app", user.display_name)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def sso_actor(email: str | None, allowed: dict[str, str]) -> Actor:
    """The actor for a single-sign-on user: only e-mail addresses listed in ``allowed`` get a role."""
    address = (email or "").strip().lower()
    roles = {k.strip().lower(): v for k, v in allowed.items()}
    if not address or roles.get(address) not in ROLES:
        raise PermissionDenied("sso_not_allowed")
    return Actor(address, roles[address], "sso")
