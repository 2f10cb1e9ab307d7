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
from tracker.models import User
from tracker.services.audit import record_event
from tracker.services.errors import InvalidInput, NotFound, TrackerError
from tracker.statuses import ROLES, Role

MAX_FAILED_ATTEMPTS = 5
LOCK_DURATION = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("a password nobody has")


class PermissionDenied(TrackerError):
    """The actor may not do this; nothing was written."""


class SignInFailed(TrackerError):
    """Wrong name or password, a disabled or a locked account: deliberately one message for all."""

    def __init__(self) -> None:
        super().__init__(
            f"Sign-in failed: the name or password is wrong, or the account is locked. After "
            f"{MAX_FAILED_ATTEMPTS} failed attempts an account is locked for "
            f"{int(LOCK_DURATION.total_seconds() // 60)} minutes."
        )


@dataclass(frozen=True)
class Actor:
    """Someone who writes: a signed-in account, a single-sign-on user, or the operator at the CLI."""

    name: str
    role: str
    channel: str = "app"  # app, sso or cli

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def require(actor: Actor | None, role: str = Role.EDITOR) -> Actor:
    """The actor, if it may act with ``role`` (admins may do everything editors may)."""
    if actor is None or not actor.name:
        raise PermissionDenied("Sign in to make changes.")
    if actor.role not in ROLES:
        raise PermissionDenied(f"Unknown role {actor.role!r}.")
    if role == Role.ADMIN and not actor.is_admin:
        raise PermissionDenied("Only an admin may do this.")
    return actor


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise InvalidInput("name", "1 to 100 characters without spaces, e.g. anna.schmidt")
    return name


def _check_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password or "") <= MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            "password", f"must have {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters; a few words work well"
        )
    return password


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput("role", f"unknown role {role!r}; accepted: {', '.join(ROLES)}")
    return role


def find_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"No account named {name!r}.")
    return user


def add_user(session: Session, actor: Actor, name: str, password: str, role: str) -> User:
    require(actor, Role.ADMIN)
    name, role = _check_name(name), _check_role(role)
    _check_password(password)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise InvalidInput("name", f"an account named {name!r} exists already")
    user = User(name=name, password_hash=_hasher.hash(password), role=role, created_at=clock.now_utc())
    session.add(user)
    record_event(session, actor, "account.add", detail={"account": name, "role": role})
    session.flush()
    return user


def disable_user(session: Session, actor: Actor, name: str) -> None:
    require(actor, Role.ADMIN)
    user = find_user(session, name)
    user.disabled = True
    record_event(session, actor, "account.disable", detail={"account": name})


def set_password(session: Session, actor: Actor, name: str, password: str) -> None:
    """Admins set anyone's password; everyone may set their own. Also lifts a lock."""
    if actor is None or actor.name != name:
        require(actor, Role.ADMIN)
    user = find_user(session, name)
    user.password_hash = _hasher.hash(_check_password(password))
    user.failed_attempts = 0
    user.locked_until = None
    record_event(session, actor, "account.password", detail={"account": name})


def list_users(session: Session, actor: Actor) -> list[User]:
    require(actor, Role.ADMIN)
    return list(session.scalars(select(User).order_by(User.name)))


def authenticate(session: Session, name: str, password: str, now: dt.datetime | None = None) -> Actor:
    """Check a name and password; count failures and lock the account after too many.

    The caller commits, also when this raises: the failure count must be kept.
    """
    now = now or clock.now_utc()
    user = session.scalar(select(User).where(User.name == (name or "").strip()))
    if user is None:
        _verify(_DUMMY_HASH, password)  # the same work as for a real account: timing reveals nothing
        raise SignInFailed()
    if user.disabled or (user.locked_until is not None and clock.as_utc(user.locked_until) > now):
        raise SignInFailed()
    if not _verify(user.password_hash, password):
        session.execute(update(User).where(User.id == user.id).values(failed_attempts=User.failed_attempts + 1))
        session.refresh(user)
        if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
            user.locked_until = now + LOCK_DURATION
            user.failed_attempts = 0
        raise SignInFailed()
    user.failed_attempts = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return Actor(user.name, user.role, "app")


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
        raise PermissionDenied("This account is not allowed to edit the tracker.")
    return Actor(address, roles[address], "sso")
