"""Review by a second person: the one rule for every row that the public sees only once someone approved it.

With review on (setting ``TRACKER_REVIEW``: ``auto`` = on once more than one enabled account exists, ``on``,
``off``), what staff record is *proposed* (``tracker.statuses.ReviewState``): staff see it, the public does
not. A reviewer (role ``reviewer`` or ``admin``) who is not its author approves it, or returns it with a
reason; its author then proposes anew (the new row ``revises`` the returned one) or withdraws it. Nothing is
deleted. With review off, what staff record is approved at once, without a reviewer.

Each kind of reviewed row (a status change, a checkability flag, a translation ...) registers a ``ReviewKind``
here (``register``): its model, how a row reads on the staff page "Zu prüfen" (``ProposalView``) and what
approving it means for the pledge. The staff page and ``tracker review`` show and decide every registered kind
through the use cases at the end of this module; service modules that record rows call ``new_review`` (the
review columns of a new row), ``decide`` and ``withdraw`` in their own unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from tracker import clock, settings
from tracker.models import Evidence, Pledge, Programme, StatusChange, User
from tracker.services.actor import Actor
from tracker.services.audit_log import record_event
from tracker.services.auth import require
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied, ReviewRefused
from tracker.services.inputs import MAX_RATIONALE, check_text
from tracker.services.programmes import find_programme
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import ReviewState, Role

REVIEW_MODES: tuple[str, ...] = ("auto", "on", "off")
OPEN: tuple[str, ...] = (ReviewState.PROPOSED,)
# What an author sees of their own rows on the staff page: waiting, and returned with the reviewer's reason.
AUTHOR_VIEW: tuple[str, ...] = (ReviewState.PROPOSED, ReviewState.RETURNED)


# ---------------------------------------------------------------------------------------------------- the rule


def is_public(model) -> ColumnElement[bool]:
    """The rows of a ``Reviewed`` model that the public sees: approved ones (every public query applies it)."""
    return model.review_state == ReviewState.APPROVED


def published_at(model) -> ColumnElement:
    """When a public row of a ``Reviewed`` model became public: its approval by a reviewer, or its recording when
    nobody had to approve it (the order of "the latest changes", of the feeds, and "last updated")."""
    return func.coalesce(model.reviewed_at, model.recorded_at)


def public_evidence() -> ColumnElement[bool]:
    """The sources the public sees: those added on their own, and those of approved status changes."""
    approved = select(StatusChange.id).where(is_public(StatusChange))
    return or_(Evidence.status_change_id.is_(None), Evidence.status_change_id.in_(approved))


def review_mode() -> str:
    """The setting ``TRACKER_REVIEW`` (auto, on or off); an unknown value is refused with what is accepted."""
    value = settings.get("TRACKER_REVIEW").lower()
    if value not in REVIEW_MODES:
        raise InvalidInput("TRACKER_REVIEW", "unknown_choice", value=value, accepted=", ".join(REVIEW_MODES))
    return value


def review_is_on(session: Session) -> bool:
    """Whether what staff record now needs a second person's approval before the public sees it."""
    mode = review_mode()
    if mode == "auto":
        return enabled_accounts(session) > 1
    return mode == "on"


def enabled_accounts(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.disabled.is_(False))) or 0


def account_of(actor: Actor) -> str | None:
    """Who an actor is for the review rule: its account (login name, or e-mail address for single sign-on);
    None for the operator at the terminal."""
    return None if actor.is_operator else actor.name


def new_review(session: Session, actor: Actor) -> dict:
    """The review columns (``tracker.models.Reviewed``) of a row ``actor`` records now: proposed with review on,
    approved at once (without a reviewer) with review off."""
    state = ReviewState.PROPOSED if review_is_on(session) else ReviewState.APPROVED
    return {"review_state": state.value, "author_account": account_of(actor)}


def decide(session: Session, row, actor: Actor, *, approve: bool, note: str | None) -> Actor:
    """Approve or return the proposed ``row`` (any ``Reviewed`` row) as ``actor``; the actor as checked now.

    Refused when the row is not proposed (``not_proposed``), when the actor is neither reviewer nor admin
    (``reviewer_only``), when it is the row's author (``own_proposal``), and when returning without a reason.
    The caller applies what approval means for its kind in the same unit of work, and audits it.
    """
    current = require(session, actor, Role.REVIEWER)
    if row.review_state != ReviewState.PROPOSED:
        raise ReviewRefused("not_proposed", state=row.review_state)
    if row.author_account == account_of(current):
        raise PermissionDenied("own_proposal")
    text = (note or "").strip()
    if not approve and not text:
        raise InvalidInput("review_note", "return_needs_reason")
    row.review_note = check_text(text, "review_note", MAX_RATIONALE, multiline=True) if text else None
    row.review_state = (ReviewState.APPROVED if approve else ReviewState.RETURNED).value
    row.reviewed_by = current.signature
    row.reviewer_account = account_of(current)
    row.reviewed_at = clock.now_utc()
    return current


def withdraw(session: Session, row, actor: Actor) -> Actor:
    """Withdraw a proposed or returned row: only its author may; the actor as checked now."""
    current = require(session, actor)
    if row.review_state not in AUTHOR_VIEW:
        raise ReviewRefused("not_withdrawable", state=row.review_state)
    if row.author_account != account_of(current):
        raise PermissionDenied("not_your_proposal")
    row.review_state = ReviewState.WITHDRAWN.value
    return current


# ------------------------------------------------------------------------------------------------ the registry


@dataclass(frozen=True)
class ProposalSource:
    url: str
    title: str
    kind: str
    published_on: dt.date | None


@dataclass(frozen=True)
class ProposalView:
    """One reviewed row as the staff page "Zu prüfen" and ``tracker review list`` show it: what is proposed,
    beside what the public sees now.

    ``value`` is what is proposed as a key (a status, "checkable"/"not_checkable", a language ...), ``text``
    its words (a rationale, a reason, a translation), ``public_value`` and ``public_text`` the same of the
    current public state. ``batch`` is shared by the proposals of one import or bulk save (None when alone).
    """

    kind: str
    id: int
    pledge: str  # the pledge's code
    summary: str  # what is proposed, in one line (English, for the CLI)
    author: str
    recorded_at: dt.datetime
    state: str
    review_note: str | None
    author_account: str | None = None
    reviewed_by: str | None = None
    reviewed_at: dt.datetime | None = None
    value: str = ""
    text: str = ""
    effective_date: dt.date | None = None
    sources: tuple[ProposalSource, ...] = ()
    public_value: str = ""
    public_text: str = ""
    public_date: dt.date | None = None
    public_sources: tuple[ProposalSource, ...] = ()
    pledge_text: str = ""
    batch: str | None = None
    revises_id: int | None = None

    @property
    def ref(self) -> str:
        """How a person names it at the CLI: the kind's prefix and the id (``s12``)."""
        return f"{KINDS[self.kind].prefix}{self.id}"


def review_columns(row) -> dict:
    """The part of a ``ProposalView`` that every kind of reviewed row (``models.Reviewed``) fills alike: when
    it was recorded, where its review stands and who reviewed it."""
    return {
        "recorded_at": clock.as_utc(row.recorded_at),
        "state": row.review_state,
        "review_note": row.review_note,
        "author_account": row.author_account,
        "reviewed_by": row.reviewed_by,
        "reviewed_at": clock.as_utc(row.reviewed_at) if row.reviewed_at else None,
    }


@dataclass(frozen=True)
class ReviewKind:
    """A kind of reviewed row: ``model`` (a ``Reviewed`` model with ``programme_id`` and ``pledge_id``),
    ``prefix`` (a letter naming its ids at the CLI), ``view`` (a row -> its ``ProposalView``) and ``approve``
    (applies what approval means for the pledge, after ``decide``; returns what the audit event adds) and
    ``batches`` (the open rows of a programme that were recorded together, by one import or bulk save: id -> a
    key shared by the rows of one batch)."""

    name: str
    model: type
    prefix: str
    view: Callable[[Session, object], ProposalView]
    approve: Callable[[Session, object, Actor], dict]
    batches: Callable[[Session, Programme], dict[int, str]] | None = None


KINDS: dict[str, ReviewKind] = {}


def register(kind: ReviewKind) -> None:
    """Make a kind of reviewed row known to the staff page and the CLI (each service module registers its own)."""
    KINDS[kind.name] = kind


def parse_ref(ref: str) -> tuple[str, int]:
    """``s12`` (or ``12``, a status change) -> (kind, id); ``NotFound`` naming the accepted form otherwise."""
    text = (ref or "").strip().lower()
    for kind in KINDS.values():
        if text.startswith(kind.prefix) and text[len(kind.prefix) :].isdigit():
            return kind.name, int(text[len(kind.prefix) :])
    if text.isdigit() and "status_change" in KINDS:
        return "status_change", int(text)
    raise NotFound("no_proposal", ref=ref, accepted=", ".join(f"{k.prefix}ID" for k in KINDS.values()))


def _kind(name: str) -> ReviewKind:
    if name not in KINDS:
        raise InvalidInput("kind", "unknown_choice", value=name, accepted=", ".join(KINDS))
    return KINDS[name]


def _row(session: Session, programme: Programme, kind: ReviewKind, row_id: int):
    row = session.get(kind.model, row_id)
    if row is None or row.programme_id != programme.id:
        raise NotFound("no_proposal", ref=f"{kind.prefix}{row_id}", accepted=f"{kind.prefix}ID")
    return row


def _code(session: Session, row) -> str | None:
    """The code of the pledge a reviewed row belongs to (what the audit trail names)."""
    return session.scalar(select(Pledge.code).where(Pledge.id == row.pledge_id))


def _approve(session: Session, programme: Programme, kind: ReviewKind, row, actor: Actor, note: str | None) -> None:
    with session.no_autoflush:  # the row is approved and numbered (by ``kind.approve``) before it is written
        current = decide(session, row, actor, approve=True, note=note)
        detail = kind.approve(session, row, current)
    session.flush()
    record_event(
        session,
        current,
        "review.approve",
        programme.id,
        _code(session, row),
        {"kind": kind.name, "id": row.id, **detail},
    )


# ------------------------------------------------------------------------------------------------ use cases


@dataclass(frozen=True)
class Backlog:
    """How many proposals wait for review, and since when the oldest waits."""

    count: int
    oldest: dt.datetime | None


@dataclass(frozen=True)
class ReviewMode:
    """The setting and whether review is on now (what the method page says)."""

    setting: str
    on: bool


def review_mode_now() -> ReviewMode:
    with unit_of_work() as session:
        return ReviewMode(review_mode(), review_is_on(session))


def list_proposals(
    programme: str | None, actor: Actor, *, states: Iterable[str] = OPEN, mine: bool = False
) -> list[ProposalView]:
    """The reviewed rows of every registered kind in ``states`` (oldest first); ``mine``: the actor's own only."""
    wanted = tuple(states)
    with unit_of_work() as session:
        current = require(session, actor)
        prog = find_programme(session, programme)
        views: list[ProposalView] = []
        for kind in KINDS.values():
            batches = kind.batches(session, prog) if kind.batches else {}
            model = kind.model
            stmt = select(model).where(model.programme_id == prog.id, model.review_state.in_(wanted))
            if mine:
                who = account_of(current)
                stmt = stmt.where(model.author_account.is_(None) if who is None else model.author_account == who)
            rows = session.scalars(stmt.order_by(model.id))
            views.extend(replace(kind.view(session, row), batch=batches.get(row.id)) for row in rows)
        return sorted(views, key=lambda v: (v.recorded_at, v.kind, v.id))


def review_backlog(programme: str | None, actor: Actor) -> Backlog:
    """How many proposals of every kind wait, and the time the oldest was recorded."""
    with unit_of_work() as session:
        require(session, actor)
        prog = find_programme(session, programme)
        count, oldest = 0, None
        for kind in KINDS.values():
            model = kind.model
            number, first = session.execute(
                select(func.count(), func.min(model.recorded_at)).where(
                    model.programme_id == prog.id, model.review_state == ReviewState.PROPOSED
                )
            ).one()
            count += number
            if first is not None:
                first = clock.as_utc(first)
                oldest = first if oldest is None else min(oldest, first)
        return Backlog(count, oldest)


def approve_proposal(programme: str | None, kind: str, row_id: int, actor: Actor, note: str | None = None) -> None:
    """Approve one proposal: from now on the public sees it, signed by its author and by the reviewer."""
    with unit_of_work() as session:
        require(session, actor, Role.REVIEWER)  # who asks is checked before anything is looked up
        prog = find_programme(session, programme)
        review_kind = _kind(kind)
        _approve(session, prog, review_kind, _row(session, prog, review_kind, row_id), actor, note)


def approve_batch(programme: str | None, kind: str, row_id: int, actor: Actor) -> int:
    """Approve together every open proposal of the import or bulk save that ``row_id`` belongs to (all or none);
    how many."""
    with unit_of_work() as session:
        require(session, actor, Role.REVIEWER)  # who asks is checked before anything is looked up
        prog = find_programme(session, programme)
        review_kind = _kind(kind)
        row = _row(session, prog, review_kind, row_id)
        batches = review_kind.batches(session, prog) if review_kind.batches else {}
        key = batches.get(row.id)
        ids = sorted(i for i, k in batches.items() if k == key) if key is not None else [row.id]
        rows = [r for r in (_row(session, prog, review_kind, i) for i in ids) if r.review_state == ReviewState.PROPOSED]
        rows = rows or [row]  # (a row no longer open is refused by ``decide``, naming its state)
        for each in rows:
            _approve(session, prog, review_kind, each, actor, None)
        return len(rows)


def return_proposal(programme: str | None, kind: str, row_id: int, actor: Actor, reason: str) -> None:
    """Return a proposal to its author with a reason; the public never sees it."""
    with unit_of_work() as session:
        require(session, actor, Role.REVIEWER)  # who asks is checked before anything is looked up
        prog = find_programme(session, programme)
        review_kind = _kind(kind)
        row = _row(session, prog, review_kind, row_id)
        current = decide(session, row, actor, approve=False, note=reason)
        record_event(
            session,
            current,
            "review.return",
            prog.id,
            _code(session, row),
            {"kind": review_kind.name, "id": row.id, "reason": row.review_note},
        )


def withdraw_proposal(programme: str | None, kind: str, row_id: int, actor: Actor) -> None:
    """Withdraw one's own proposed or returned row (it stays stored, never public)."""
    with unit_of_work() as session:
        require(session, actor)  # who asks is checked before anything is looked up
        prog = find_programme(session, programme)
        review_kind = _kind(kind)
        row = _row(session, prog, review_kind, row_id)
        current = withdraw(session, row, actor)
        record_event(
            session, current, "review.withdraw", prog.id, _code(session, row), {"kind": review_kind.name, "id": row.id}
        )
