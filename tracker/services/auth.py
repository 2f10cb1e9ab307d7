"""Who may write: staff actors, roles, local accounts with argon2id passwords.

Every write service (and every staff-only read) takes an ``Actor`` and calls ``require`` in its own unit of
work before touching anything: the actor is a claim (held in a browser's session, built by the CLI), and
``require`` checks it against the database as it is at that moment, so that hiding a page in the app is never
the only protection, and a disabled, deleted or demoted account writes nothing more. Signing in is in
``tracker.services.sign_in``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import StaffSession, User
from tracker.services.actor import Actor
from tracker.services.audit_log import record_event
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied
from tracker.services.inputs import check_characters, check_text
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import ROLES, Role

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MAX_DISPLAY_NAME = 200  # the public signature of a change (StatusChange.author holds 200 characters)
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@dataclass(frozen=True)
class Account:
    """A staff account as the account list shows it (never its password hash)."""

    name: str
    role: str
    disabled: bool
    display_name: str = ""


SsoAllowList = Callable[[], Mapping[str, str]]
_sso: dict[str, SsoAllowList] = {"allow_list": dict}  # no front end with single sign-on: nobody is allowed


def use_sso_allow_list(allow_list: SsoAllowList) -> None:
    """Where the front end that offers single sign-on keeps its allow list (e-mail address -> role), read
    again at every check of an ``sso`` actor: an address taken off the list writes nothing more."""
    _sso["allow_list"] = allow_list


def require(session: Session, actor: Actor | None, role: str = Role.EDITOR) -> Actor:
    """The actor as it stands now, if it may act with ``role`` (admins may do everything reviewers may, and
    reviewers everything editors may).

    The one rule of every write and of every staff-only read, checked in the caller's unit of work:
    - ``app`` (a signed-in account) and an account at the CLI (``--as``): the account must exist and be
      enabled, and its role *now* counts, not the role the actor claims (a demoted admin is an editor);
    - ``sso``: the e-mail address must be on the single-sign-on allow list now, with the role listed there;
    - the operator at the CLI acts with the role it claims: whoever runs ``tracker`` reaches the database.
    The actor returned carries the current role and full name; the caller signs and audits with it.
    """
    if actor is None or not actor.name:
        raise PermissionDenied("sign_in_required")
    current = _current(session, actor)
    if current.role not in ROLES:
        raise PermissionDenied("actor_role_unknown", role=current.role)
    if role == Role.ADMIN and not current.is_admin:
        raise PermissionDenied("admin_only")
    if role == Role.REVIEWER and current.role not in (Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("reviewer_only")
    return current


def _current(session: Session, actor: Actor) -> Actor:
    if actor.is_operator:
        return actor
    if actor.channel == "sso":
        return sso_actor(actor.name, _sso["allow_list"](), actor.display_name)
    if actor.channel not in ("app", "cli"):
        raise PermissionDenied("sign_in_required")
    user = session.scalar(select(User).where(User.name == actor.name))
    if user is None:
        raise PermissionDenied("account_unknown", name=actor.name)
    if user.disabled:
        raise PermissionDenied("account_disabled", name=user.name)
    return Actor(user.name, user.role, actor.channel, user.display_name, actor.account)


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
    with unit_of_work() as session:
        actor = require(session, actor, Role.ADMIN)
        name, role = _check_name(name), _check_role(role)
        display_name = _check_display_name(display_name)
        _check_password(password)
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise InvalidInput("name", "account_exists", name=name)
        session.add(
            User(
                name=name,
                display_name=display_name,
                password_hash=hash_password(password),
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
    with unit_of_work() as session:
        actor = require(session, actor, Role.ADMIN)
        display_name = _check_display_name(display_name, required=True)
        user = _find_user(session, name)
        previous = user.display_name
        if previous == display_name:
            return
        user.display_name = display_name
        record_event(
            session, actor, "account.display_name", detail={"account": name, "from": previous, "to": display_name}
        )


def set_role(actor: Actor, name: str, role: str) -> Account:
    """Give an account another role (admins only). It applies at the account's next request: every write and
    every staff page checks the role the account has *now*, so a demoted admin's open pages lose the admin's
    rights without signing in again."""
    role = _check_role(role)
    with unit_of_work() as session:
        actor = require(session, actor, Role.ADMIN)
        user = _find_user(session, name)
        previous = user.role
        if previous != role:
            user.role = role
            record_event(session, actor, "account.role", detail={"account": name, "from": previous, "to": role})
        return Account(user.name, user.role, user.disabled, user.display_name)


def disable_user(actor: Actor, name: str) -> None:
    with unit_of_work() as session:
        actor = require(session, actor, Role.ADMIN)
        user = _find_user(session, name)
        user.disabled = True
        _revoke_sessions(session, user)
        record_event(session, actor, "account.disable", detail={"account": name})


def set_password(actor: Actor, name: str, password: str) -> None:
    """Admins set anyone's password; every account may set its own. Also lifts a lock.

    Every session of the account ends, the one of a person who changes their own password included: each of
    its browsers shows the sign-in at its next request (whoever knew the old password is out, and the owner
    signs in again with the new one). No page of the app changes passwords; ``tracker user set-password`` does.
    """
    with unit_of_work() as session:
        current = require(session, actor)
        if not (current.name == name and (current.channel == "app" or current.account)):  # not their own
            current = require(session, actor, Role.ADMIN)
        _check_password(password)
        user = _find_user(session, name)
        user.password_hash = hash_password(password)
        user.failed_attempts = 0
        user.locked_until = None
        _revoke_sessions(session, user)
        record_event(session, current, "account.password", detail={"account": name})


def _revoke_sessions(session: Session, user: User) -> None:
    """End every open session of an account (a new password, a disabled account): at its next request,
    each signed-in browser of the account shows the sign-in again."""
    session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=clock.now_utc())
    )


def list_users(actor: Actor) -> list[Account]:
    with unit_of_work() as session:
        require(session, actor, Role.ADMIN)
        return [
            Account(u.name, u.role, u.disabled, u.display_name)
            for u in session.scalars(select(User).order_by(User.name))
        ]


def account_actor(name: str, channel: str = "cli") -> Actor:
    """The actor of an existing, enabled account, as whom someone at ``channel`` records changes
    (``tracker set-status --as NAME``): its role, and its full name as the public signature. Every service
    checks the account again when it writes."""
    with unit_of_work() as session:
        user = session.scalar(select(User).where(User.name == (name or "").strip()))
        if user is None:
            raise NotFound("no_account", name=name)
        if user.disabled:
            raise PermissionDenied("account_disabled", name=user.name)
        return Actor(user.name, user.role, channel, user.display_name, account=True)


def public_names(session: Session) -> dict[str, str]:
    """Login name -> full name of every account that has one: what a public page shows for a change or a
    source signed with a login name (recorded before the full name was set, or by a session that lacked it)."""
    rows = session.execute(select(User.name, User.display_name).where(User.display_name != ""))
    return {name: display_name for name, display_name in rows}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (one argon2 hash computation, right or wrong)."""
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def sso_actor(email: str | None, allowed: Mapping[str, str], full_name: str | None = None) -> Actor:
    """The actor for a single-sign-on user: only e-mail addresses listed in ``allowed`` get a role. What
    they record is signed with the identity provider's ``full_name``, never with the e-mail address."""
    address = (email or "").strip().lower()
    roles = {k.strip().lower(): v for k, v in allowed.items()}
    if not address or roles.get(address) not in ROLES:
        raise PermissionDenied("sso_not_allowed")
    name = " ".join((full_name or "").split())[:200] or address.split("@", 1)[0]
    return Actor(address, roles[address], "sso", name)
