"""Signing in with a name and a password: a lock per account, a limit per client address, and the same work
for every answer.

Each attempt is counted *before* its password is checked, in a short transaction of its own, by one
conditional UPDATE of the account's row (and one upsert of the address's row): the database serialises
the attempts, so of N simultaneous wrong passwords all N are counted, at most ``MAX_FAILED_ATTEMPTS``
are checked, and the account is locked at the fifth, however many processes or replicas take part. A right
password starts the account's count again and gives the address its attempt back.

Every answer costs exactly one argon2 hash check: a refusal that needs none (an unknown name, a disabled or
locked account, an address over its limit) checks the password against a hash nobody has, so that the time
of the answer tells nothing about the account. The form says the same for every refusal
(``sign_in_failed``); the audit trail keeps the reason.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import SignInAddress, User
from tracker.services.audit_log import record_event
from tracker.services.auth import Actor, hash_password, needs_rehash, verify_password
from tracker.services.errors import SignInFailed
from tracker.services.unit_of_work import unit_of_work

MAX_FAILED_ATTEMPTS = 5  # per account; the fifth in a row locks it
LOCK_DURATION = dt.timedelta(minutes=15)
MAX_ADDRESS_ATTEMPTS = 20  # failed sign-ins per client address (any accounts) ...
ADDRESS_WINDOW = dt.timedelta(minutes=15)  # ... within this time from its first
NAME_TRIED_SHOWN = 40  # how much of a name tried at a failed sign-in the audit trail keeps
# The hash a refused attempt checks its password against: of a random password nobody knows, made with the
# hasher's parameters (tests/test_accounts.py keeps them in step), so that checking it costs what checking a real
# one does. Written out rather than computed at import, which cost every `tracker` command 0.17 s.
DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$iHUsYbu+QFKavSMrg1x9MQ$8iN/ej+WjLOSovQM525fUETJkdovxCzQ9afZvO8Bcz0"

# What runs in the transaction of a successful sign-in, with the account's row (opening a staff session).
OnSuccess = Callable[[Session, User, Actor], None]


@dataclass(frozen=True)
class _Admission:
    """What counting an attempt found: the account's id and hash when the password is to be checked, else
    the reason of the refusal; ``detail`` goes into the audit trail."""

    user_id: int | None
    password_hash: str
    refusal: str | None = None
    detail: dict = field(default_factory=dict)


def authenticate(
    name: str,
    password: str,
    now: dt.datetime | None = None,
    address: str | None = None,
    on_success: OnSuccess | None = None,
) -> Actor:
    """The actor for a right name and password; else ``SignInFailed``, after counting the attempt against
    the account and the client ``address`` (None: not known, as at the CLI) and recording it in the audit
    trail. ``on_success`` runs in the transaction that clears the account's count, which also makes sure the
    password is still the one just checked (it cannot have been changed in between)."""
    now = clock.as_utc(now or clock.now_utc())
    name = (name or "").strip()
    network = address_key(address)
    with unit_of_work() as session:
        admission = _admit(session, name, network, now)
    right = verify_password(admission.password_hash, password)  # one hash check, whatever the answer
    with unit_of_work() as session:
        actor = _succeed(session, admission, network, password, on_success) if right else None
        if actor is None:
            reason = admission.refusal or ("account_changed" if right else "wrong_password")
            _record_failure(session, name, password, network, reason, admission.detail)
    if actor is None:
        raise SignInFailed(
            "sign_in_failed", attempts=MAX_FAILED_ATTEMPTS, minutes=int(LOCK_DURATION.total_seconds() // 60)
        )
    return actor


def address_key(address: str | None) -> str | None:
    """What the limit counts per: an IPv4 address, the /64 network of an IPv6 address (one subscriber has a
    whole /64), anything else as given (shortened); None when the address is not known."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return address.strip()[:100]
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _admit(session: Session, name: str, network: str | None, now: dt.datetime) -> _Admission:
    """Count the attempt, atomically, and say whether its password is to be checked."""
    if network is not None and _count_address(session, network, now) > MAX_ADDRESS_ATTEMPTS:
        return _Admission(None, DUMMY_HASH, "address_limited")
    attempt = User.failed_attempts + 1
    locks = attempt >= MAX_FAILED_ATTEMPTS
    counted = session.execute(
        update(User)
        .where(
            User.name == name,
            User.disabled.is_(False),
            or_(User.locked_until.is_(None), User.locked_until <= now),
        )
        .values(
            failed_attempts=case((locks, 0), else_=attempt),
            locked_until=case((locks, now + LOCK_DURATION), else_=None),
        )
        .returning(User.id, User.password_hash, User.failed_attempts, User.locked_until)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if counted is not None:
        locked_until = clock.as_utc(counted.locked_until) if counted.locked_until is not None else None
        attempts = MAX_FAILED_ATTEMPTS if locked_until else counted.failed_attempts
        detail = {"attempts": attempts, "locked_until": locked_until}
        return _Admission(counted.id, counted.password_hash, detail=detail)
    user = session.execute(select(User.disabled, User.locked_until).where(User.name == name)).one_or_none()
    if user is None:
        return _Admission(None, DUMMY_HASH, "unknown_account")
    if user.disabled:
        return _Admission(None, DUMMY_HASH, "disabled")
    return _Admission(None, DUMMY_HASH, "locked", {"locked_until": clock.as_utc(user.locked_until)})


def _count_address(session: Session, network: str, now: dt.datetime) -> int:
    """One more attempt from ``network`` in its current window (a window that has passed is dropped first);
    the attempts counted in the window, this one included."""
    session.execute(delete(SignInAddress).where(SignInAddress.window_start <= now - ADDRESS_WINDOW))
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    counted = session.execute(
        dialect.insert(SignInAddress)
        .values(address=network, window_start=now, attempts=1)
        .on_conflict_do_update(index_elements=[SignInAddress.address], set_={"attempts": SignInAddress.attempts + 1})
        .returning(SignInAddress.attempts)
    )
    return counted.scalar_one()


def _succeed(
    session: Session, admission: _Admission, network: str | None, password: str, on_success: OnSuccess | None
) -> Actor | None:
    """Clear the account's count and lock, give the address its attempt back, run ``on_success``; None when the
    account was disabled or given a new password while the password was being checked (``account_changed``)."""
    if admission.user_id is None:
        return None
    user = session.scalar(
        select(User).where(
            User.id == admission.user_id, User.password_hash == admission.password_hash, User.disabled.is_(False)
        )
    )
    if user is None:
        return None
    user.failed_attempts = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if network is not None:
        session.execute(
            update(SignInAddress)
            .where(SignInAddress.address == network, SignInAddress.attempts > 0)
            .values(attempts=SignInAddress.attempts - 1)
        )
    actor = Actor(user.name, user.role, "app", user.display_name)
    if on_success is not None:
        on_success(session, user, actor)
    return actor


def _record_failure(
    session: Session, name: str, password: str, network: str | None, reason: str, details: dict
) -> None:
    """A failed sign-in in the audit trail: the name tried (shortened), the reason, the client address; never
    the password. A name that holds the password (typed into the wrong field) is not kept at all."""
    tried = " ".join((name or "").split())
    withheld = bool(password) and (tried == password or (len(password) >= 4 and password in tried))
    if withheld:
        tried = "?"
    elif len(tried) > NAME_TRIED_SHOWN:
        tried = tried[: NAME_TRIED_SHOWN - 1] + "…"
    detail = {"reason": reason, **({"name_withheld": True} if withheld else {})}
    detail.update({k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in details.items()})
    if network is not None:
        detail["address"] = network
    record_event(
        session, Actor(tried, "", "app"), "sign_in.failed", detail={k: v for k, v in detail.items() if v is not None}
    )
