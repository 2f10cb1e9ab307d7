"""Hints from the public ("Hinweis geben"): anyone may send one about a measure; staff accept it (as a source of
the measure, or as a rating that goes through review like any other) or reject it with a reason.

Sending needs no account. What keeps the queue usable: a hint's text, address and e-mail are checked like
every other input; a field people never see (``TipInput.website``, the honeypot) makes a bot's hint vanish
without a word (it is answered like any other); and a browser session may send ``SESSION_LIMIT`` hints per
``SESSION_WINDOW``, a client address (``sign_in.address_key``) ``ADDRESS_LIMIT`` per ``ADDRESS_WINDOW``,
counted in the table itself so that every process and replica counts the same. A refusal says when the next
hint is accepted.

The e-mail address (for a reply) is for staff only and is deleted, in the same transaction, when the hint is
closed; so is the key of the client address. The hint's text is kept as it came and shown as text only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import Evidence, Pledge, Programme, Tip
from tracker.services.audit_log import record_event
from tracker.services.auth import Actor, require
from tracker.services.errors import InvalidInput, NotFound, TooManyTips
from tracker.services.inputs import (
    Problems,
    SourceInput,
    StatusChangeInput,
    check_author,
    check_characters,
    check_source,
    check_text,
    check_url,
    shown,
)
from tracker.services.pledges import find_pledge
from tracker.services.programmes import find_programme
from tracker.services.sign_in import address_key
from tracker.services.status_changes import _append, validate_change
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import TipState

MAX_TIP_TEXT = 2000
MAX_EMAIL = 320  # Tip.email
MAX_REASON = 2000
SESSION_LIMIT = 3  # hints per browser session ...
SESSION_WINDOW = dt.timedelta(minutes=10)  # ... within this time
ADDRESS_LIMIT = 10  # hints per client address ...
ADDRESS_WINDOW = dt.timedelta(hours=1)  # ... within this time
# A plausible address: something, one @, a host with a dot; no spaces. Whether it exists, only a reply tells.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


@dataclass(frozen=True)
class TipInput:
    """A hint as the form sends it. ``website`` is the honeypot: hidden from people, filled only by bots."""

    text: str
    source_url: str = ""
    email: str = ""
    website: str = ""


@dataclass(frozen=True)
class TipReceipt:
    """What the sender is told: the measure, and when (also for a hint that was silently dropped)."""

    code: str
    submitted_at: dt.datetime


@dataclass(frozen=True)
class TipView:
    """A hint as staff see it (the e-mail address only while it is open)."""

    id: int
    code: str
    pledge_text: str
    text: str
    source_url: str | None
    email: str | None
    submitted_at: dt.datetime
    state: str
    closed_by: str | None
    closed_at: dt.datetime | None
    close_reason: str | None
    evidence_id: int | None
    status_change_id: int | None


@dataclass(frozen=True)
class TipCounts:
    open: int
    accepted: int
    rejected: int

    @property
    def total(self) -> int:
        return self.open + self.accepted + self.rejected


def check_email(value: str) -> str | None:
    """The address without surrounding spaces, None when empty, ``InvalidInput`` when it is not plausible."""
    email = (value or "").strip()
    if not email:
        return None
    if len(email) > MAX_EMAIL:
        raise InvalidInput("tip.email", "too_long", length=len(email), max=MAX_EMAIL)
    check_characters(email, "tip.email")
    if not _EMAIL.fullmatch(email):
        raise InvalidInput("tip.email", "not_email", value=shown(email))
    return email


def check_tip(tip: TipInput) -> tuple[str, str | None, str | None]:
    """The checked text, source address and e-mail; ``InvalidInput`` names the first field that is wrong."""
    problems = Problems()
    text = problems.check(check_text, tip.text, "tip.text", MAX_TIP_TEXT, multiline=True)
    url = problems.check(check_url, tip.source_url, None, "tip.source_url") if (tip.source_url or "").strip() else None
    email = problems.check(check_email, tip.email)
    if problems.found:
        raise problems.found[0]
    return text, url, email


def submit_tip(
    programme: str | None,
    code: str,
    tip: TipInput,
    *,
    session_key: str,
    address: str | None,
    now: dt.datetime | None = None,
) -> TipReceipt:
    """Store a hint from the public about the measure ``code`` (no account: anyone may). ``session_key``
    names the sender's browser session, ``address`` its client address (None when not known: then only the
    session's limit applies). A filled honeypot stores nothing and answers the same; over a limit,
    ``TooManyTips`` says when the next hint is accepted."""
    now = clock.as_utc(now or clock.now_utc())
    text, url, email = check_tip(tip)
    sender = address_key(address) or ""
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        pledge = find_pledge(session, prog, code)
        if (tip.website or "").strip():
            return TipReceipt(pledge.code, now)
        _check_limit(session, Tip.session_key == session_key[:64], SESSION_LIMIT, SESSION_WINDOW, now, "session")
        if sender:
            _check_limit(session, Tip.sender == sender, ADDRESS_LIMIT, ADDRESS_WINDOW, now, "address")
        session.add(
            Tip(
                programme_id=prog.id,
                pledge_id=pledge.id,
                text=text,
                source_url=url,
                email=email,
                submitted_at=now,
                sender=sender,
                session_key=session_key[:64],
                state=TipState.OPEN,
            )
        )
        return TipReceipt(pledge.code, now)


def _check_limit(session: Session, whose, limit: int, window: dt.timedelta, now: dt.datetime, kind: str) -> None:
    """``TooManyTips`` when ``limit`` hints matching ``whose`` came within ``window`` before ``now``."""
    times = session.scalars(
        select(Tip.submitted_at)
        .where(whose, Tip.submitted_at > now - window)
        .order_by(Tip.submitted_at.desc())
        .limit(limit)
    ).all()
    if len(times) >= limit:
        again = clock.as_utc(times[-1]) + window  # when the oldest of the last ``limit`` leaves the window
        raise TooManyTips(f"tips_per_{kind}", max=limit, minutes=int(window.total_seconds() // 60), again=again)


def list_tips(programme: str | None, state: str | None, actor: Actor) -> list[TipView]:
    """The hints of ``programme`` in ``state`` (None: all), newest first: for staff only."""
    with unit_of_work() as session:
        require(session, actor)
        prog = find_programme(session, programme)
        stmt = (
            select(Tip, Pledge.code, Pledge.text)
            .join(Pledge, Pledge.id == Tip.pledge_id)
            .where(Tip.programme_id == prog.id)
            .order_by(Tip.submitted_at.desc(), Tip.id.desc())
        )
        if state is not None:
            stmt = stmt.where(Tip.state == state)
        return [_view(tip, code, text) for tip, code, text in session.execute(stmt)]


def _view(tip: Tip, code: str, pledge_text: str) -> TipView:
    return TipView(
        tip.id,
        code,
        pledge_text,
        tip.text,
        tip.source_url,
        tip.email,
        clock.as_utc(tip.submitted_at),
        tip.state,
        tip.closed_by,
        clock.as_utc(tip.closed_at) if tip.closed_at else None,
        tip.close_reason,
        tip.evidence_id,
        tip.status_change_id,
    )


def tip_counts(programme: str | None) -> TipCounts:
    """How many hints are open, accepted and rejected (public: the method page shows them)."""
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        counts = dict(
            session.execute(
                select(Tip.state, func.count()).where(Tip.programme_id == prog.id).group_by(Tip.state)
            ).all()
        )
    return TipCounts(*(int(counts.get(state, 0)) for state in (TipState.OPEN, TipState.ACCEPTED, TipState.REJECTED)))


def accept_tip_as_source(
    programme: str | None,
    tip_id: int,
    title: str,
    actor: Actor,
    kind: str = "other",
    published_on: dt.date | None = None,
    today: dt.date | None = None,
) -> TipView:
    """Accept a hint by adding its web address as a source of its measure, with ``title``; close it."""
    with unit_of_work() as session:
        actor = require(session, actor)
        prog = find_programme(session, programme)
        tip = _open_tip(session, prog, tip_id)
        if not tip.source_url:
            raise InvalidInput("tip.source_url", "tip_without_source", tip=tip.id)
        source = check_source(SourceInput(tip.source_url, title, kind, published_on), 1, today or clock.today())
        evidence = Evidence(
            programme_id=prog.id,
            pledge_id=tip.pledge_id,
            url=source.url,
            title=source.title,
            kind=source.kind,
            published_on=source.published_on,
            added_by=check_author(actor.signature),
            added_at=clock.now_utc(),
        )
        session.add(evidence)
        session.flush()
        tip.evidence_id = evidence.id
        record_event(
            session, actor, "evidence.add", prog.id, tip.pledge.code, {"url": source.url, "title": source.title}
        )
        return _close(session, prog, tip, actor, TipState.ACCEPTED, None, {"evidence": evidence.id})


def accept_tip_as_change(
    programme: str | None, tip_id: int, change: StatusChangeInput, actor: Actor, today: dt.date | None = None
) -> TipView:
    """Accept a hint by recording ``change`` for its measure (a proposal when review is on: it goes through
    review like any other rating); close it. The caller puts the hint's address among the change's sources."""
    today = today or clock.today()
    with unit_of_work() as session:
        actor = require(session, actor)
        prog = find_programme(session, programme)
        tip = _open_tip(session, prog, tip_id)
        pledge = find_pledge(session, prog, tip.pledge.code)
        valid = validate_change(prog, change, today)
        recorded = _append(session, prog, pledge, valid, actor, None)
        tip.status_change_id = recorded.change_id
        detail = {"status_change": recorded.change_id, "proposed": recorded.proposed}
        return _close(session, prog, tip, actor, TipState.ACCEPTED, None, detail)


def reject_tip(programme: str | None, tip_id: int, reason: str, actor: Actor) -> TipView:
    """Reject a hint; the reason is required (staff see it in the closed hints)."""
    with unit_of_work() as session:
        actor = require(session, actor)
        reason = check_text(reason, "tip.reason", MAX_REASON, multiline=True)
        prog = find_programme(session, programme)
        tip = _open_tip(session, prog, tip_id)
        return _close(session, prog, tip, actor, TipState.REJECTED, reason, {})


def _open_tip(session: Session, programme: Programme, tip_id: int) -> Tip:
    tip = session.get(Tip, tip_id)
    if tip is None or tip.programme_id != programme.id:
        raise NotFound("no_tip", tip=tip_id, programme=programme.slug)
    if tip.state != TipState.OPEN:
        at = clock.as_utc(tip.closed_at) if tip.closed_at else None
        raise InvalidInput("tip", "tip_closed", tip=tip.id, state=tip.state, by=tip.closed_by or "?", at=at)
    return tip


def _close(
    session: Session, programme: Programme, tip: Tip, actor: Actor, state: str, reason: str | None, detail: dict
) -> TipView:
    """Close ``tip``: its e-mail address and sender key are deleted with it (in the caller's transaction)."""
    tip.state = state
    tip.closed_by = check_author(actor.signature)
    tip.closed_at = clock.now_utc()
    tip.close_reason = reason
    tip.email = None
    tip.sender = ""
    session.flush()
    code = tip.pledge.code
    record_event(
        session,
        actor,
        "tip.accept" if state == TipState.ACCEPTED else "tip.reject",
        programme.id,
        code,
        {"tip": tip.id, **detail, "reason": reason},
    )
    return _view(tip, code, tip.pledge.text)
