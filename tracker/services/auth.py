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
from tracker.services.inputs import check_characters, check_text
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import ROLES, Role

MAX_FAILED_ATTEMPTS = 5
LOCK_DURATION = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MAX_DISPLAY_NAME = 200  # the public signature of a change (StatusChange.author holds 200 characters)
NAME_TRIED_SHOWN = 40  # how much of a name tried at a failed sign-in the audit trail keeps
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
    display_name: str = ""


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
    return check_characters(name, "name")


def _check_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password or "") <= MAX_PASSWORD_LENGTH:
        raise InvalidInput("password", "password_length", min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)
    return password


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput("role", "unknown_choice", value=role, accepted=", ".join(ROLES))
    return role


def _check_display_name(display_name: str | None, required: bool = False) -> str:
    """The person's full name with its spaces normalised; "" (none) unless ``required``."""
    value = " ".join((display_name or "").split())
    if not value:
        if required:
            raise InvalidInput("display_name", "empty")
        return ""
    return check_text(value, "display_name", MAX_DISPLAY_NAME)


def _find_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound("no_account", name=name)
    return user


def add_user(actor: Actor, name: str, password: str, role: str, display_name: str = "") -> Account:
    require(actor, Role.ADMIN)
    name, role = _check_name(name), _check_role(role)
    display_name = _check_display_name(display_name)
    _check_password(password)
    with unit_of_work() as session:
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise InvalidInput("name", "account_exists", name=name)
        session.add(
            User(
                name=name,
                display_name=display_name,
                password_hash=_hasher.hash(password),
                role=role,
                created_at=clock.now_utc(),
            )
        )
        record_event(
            session, actor, "account.add", detail={"account": name, "role": role, "display_name": display_name}
        )
    return Account(name, role, False, display_name)


def set_display_name(actor: Actor, name: str, display_name: str) -> None:
    """Set the full name an account signs its changes with, publicly (admins only)."""
    require(actor, Role.ADMIN)
    display_name = _check_display_name(display_name, required=True)
    with unit_of_work() as session:
        user = _find_user(session, name)
        previous = user.display_name
        if previous == display_name:
            return
        user.display_name = display_name
        record_event(
            session, actor, "account.display_name", detail={"account": name, "from": previous, "to": display_name}
        )


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
        return [
            Account(u.name, u.role, u.disabled, u.display_name)
            for u in session.scalars(select(User).order_by(User.name))
        ]


def account_actor(name: str, channel: str = "cli") -> Actor:
    """The actor of an existing, enabled account, as whom someone at ``channel`` records changes
    (``tracker set-status --as NAME``): its role, and its full name as the public signature."""
    with unit_of_work() as session:
        user = session.scalar(select(User).where(User.name == (name or "").strip()))
        if user is None:
            raise NotFound("no_account", name=name)
        if user.disabled:
            raise PermissionDenied("account_disabled", name=user.name)
        return Actor(user.name, user.role, channel, user.display_name)


def public_names(session: Session) -> dict[str, str]:
    """Login name -> full name of every account that has one: what a public page shows for a change or a
    source signed with a login name (recorded before the full name was set, or by a session that lacked it)."""
    rows = session.execute(select(User.name, User.display_name).where(User.display_name != ""))
    return {name: display_name for name, display_name in rows}


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
    """The actor for a right name and password, or None (after counting the failure against the account
    and recording it in the audit trail, with the reason that the sign-in form never tells)."""
    user = session.scalar(select(User).where(User.name == (name or "").strip()))
    if user is None:
        _verify(_DUMMY_HASH, password)  # the same work as for a real account: timing reveals nothing
        _record_failure(session, name, password, "unknown_account")
        return None
    if user.disabled:
        _record_failure(session, name, password, "disabled")
        return None
    if user.locked_until is not None and clock.as_utc(user.locked_until) > now:
        _record_failure(session, name, password, "locked", locked_until=clock.as_utc(user.locked_until))
        return None
    if not _verify(user.password_hash, password):
        session.execute(update(User).where(User.id == user.id).values(failed_attempts=User.failed_attempts + 1))
        session.refresh(user)
        attempts, locked_until = user.failed_attempts, None
        if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
            user.locked_until = locked_until = now + LOCK_DURATION
            user.failed_attempts = 0
        _record_failure(session, name, password, "wrong_password", attempts=attempts, locked_until=locked_until)
        return None
    user.failed_attempts = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return Actor(user.name, user.role, "app", user.display_name)


def _record_failure(session: Session, name: str, password: str, reason: str, **detail: object) -> None:
    """A failed sign-in in the audit trail: the name tried (shortened), the reason; never the password.

    A name that holds the password (typed into the wrong field) is not kept at all.
    """
    tried = " ".join((name or "").split())
    withheld = bool(password) and (tried == password or (len(password) >= 4 and password in tried))
    if withheld:
        tried = "?"
    elif len(tried) > NAME_TRIED_SHOWN:
        tried = tried[: NAME_TRIED_SHOWN - 1] + "…"
    detail = {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in detail.items() if v is not None}
    record_event(
        session,
        Actor(tried, "", "app"),
        "sign_in.failed",
        detail={"reason": reason, **({"name_withheld": True} if withheld else {}), **detail},
    )


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def sso_actor(email: str | None, allowed: dict[str, str], full_name: str | None = None) -> Actor:
    """The actor for a single-sign-on user: only e-mail addresses listed in ``allowed`` get a role. What
    they record is signed with the identity provider's ``full_name``, never with the e-mail address."""
    address = (email or "").strip().lower()
    roles = {k.strip().lower(): v for k, v in allowed.items()}
    if not address or roles.get(address) not in ROLES:
        raise PermissionDenied("sso_not_allowed")
    name = " ".join((full_name or "").split())[:200] or address.split("@", 1)[0]
    return Actor(address, roles[address], "sso", name)
