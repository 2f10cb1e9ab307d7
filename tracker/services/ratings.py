"""Recording status changes and evidence: the only writes to a pledge's history."""

from __future__ import annotations

import datetime as dt
import difflib

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from tracker import clock
from tracker.models import Evidence, Pledge, Programme, StatusChange
from tracker.services.errors import Conflict, InvalidInput, NotFound
from tracker.services.inputs import (
    MAX_AUTHOR,
    MAX_RATIONALE,
    StatusChangeInput,
    check_effective_date,
    check_source,
    check_status,
    check_text,
)


def find_pledge(session: Session, programme: Programme, code: str) -> Pledge:
    """The pledge with ``code`` in ``programme``; an unknown code suggests the closest codes."""
    code = code.strip()
    pledge = session.scalar(
        select(Pledge)
        .where(Pledge.programme_id == programme.id, Pledge.code == code)
        .options(selectinload(Pledge.changes).selectinload(StatusChange.sources))
    )
    if pledge is None:
        raise NotFound(f"No pledge with code {code!r} in {programme.slug}.", suggest_codes(session, programme, code))
    return pledge


def suggest_codes(session: Session, programme: Programme, code: str, limit: int = 5) -> list[str]:
    codes = list(session.scalars(select(Pledge.code).where(Pledge.programme_id == programme.id)))
    close = difflib.get_close_matches(code, codes, n=limit, cutoff=0.5)
    if not close:  # "8.2" or "8.2-" : the pledges of that goal or area
        prefix = code.rstrip("-") + "-"
        close = [c for c in codes if c.startswith(prefix)][:limit]
    return close


def latest_change(pledge: Pledge) -> StatusChange | None:
    """The change that determines the current status: latest effective date, then latest recorded."""
    if not pledge.changes:
        return None
    return max(pledge.changes, key=lambda c: (c.effective_date, c.sequence))


def change_summary(change: StatusChange) -> dict:
    return {
        "sequence": change.sequence,
        "status": change.status,
        "effective_date": change.effective_date.isoformat(),
        "author": change.author,
        "recorded_at": clock.as_utc(change.recorded_at).isoformat(),
        "rationale": change.rationale,
    }


def record_status_change(
    session: Session,
    programme: Programme,
    code: str,
    change: StatusChangeInput,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> StatusChange:
    """Append a status change with its sources and update the pledge's current status.

    ``expected_version`` is the pledge version the person saw; if someone recorded a change since,
    this raises ``Conflict`` with the other change and writes nothing. Without it, the change is
    checked against the state read in this transaction, so a change committed concurrently by
    someone else still makes this one fail loudly instead of silently winning or losing.
    """
    today = today or clock.today()
    pledge = find_pledge(session, programme, code)
    status = check_status(change.status)
    rationale = check_text(change.rationale, "rationale", MAX_RATIONALE)
    author = check_text(change.author, "author", MAX_AUTHOR)
    effective = check_effective_date(change.effective_date or today, programme.election_date, today)
    if not change.sources:
        raise InvalidInput("sources", "at least one source (an http(s) URL with a title) is required")
    sources = [check_source(s, i, today) for i, s in enumerate(change.sources, start=1)]
    if expected_version is not None and pledge.version != expected_version:
        raise _conflict(pledge)
    corrects_id = None
    if change.corrects_sequence is not None:
        target = next((c for c in pledge.changes if c.sequence == change.corrects_sequence), None)
        if target is None:
            known = ", ".join(str(c.sequence) for c in pledge.changes) or "none"
            raise InvalidInput("corrects", f"pledge {code} has no change #{change.corrects_sequence}; it has: {known}")
        corrects_id = target.id

    recorded_at = clock.now_utc()
    new = StatusChange(
        programme_id=programme.id,
        pledge_id=pledge.id,
        sequence=max((c.sequence for c in pledge.changes), default=0) + 1,
        status=status,
        effective_date=effective,
        rationale=rationale,
        author=author,
        recorded_at=recorded_at,
        corrects_id=corrects_id,
    )
    current = max([*pledge.changes, new], key=lambda c: (c.effective_date, c.sequence))
    claimed = session.execute(
        update(Pledge)
        .where(Pledge.id == pledge.id, Pledge.version == pledge.version)
        .values(current_status=current.status, status_date=current.effective_date, version=Pledge.version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        session.rollback()
        raise _conflict(find_pledge(session, programme, code))
    session.add(new)
    for source in sources:
        new.sources.append(_evidence(programme, pledge, source, author, recorded_at))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise _conflict(find_pledge(session, programme, code)) from None
    session.expire(pledge)
    return new


def _evidence(programme: Programme, pledge: Pledge, source, author: str, added_at: dt.datetime) -> Evidence:
    return Evidence(
        programme_id=programme.id,
        pledge=pledge,
        url=source.url,
        title=source.title,
        kind=source.kind,
        published_on=source.published_on,
        added_by=author,
        added_at=added_at,
    )


def _conflict(pledge: Pledge) -> Conflict:
    latest = max(pledge.changes, key=lambda c: c.sequence, default=None)
    other = change_summary(latest) if latest else None
    detail = (
        f" The latest change (#{other['sequence']}) by {other['author']} at {other['recorded_at']} set it to "
        f"{other['status']}."
        if other
        else ""
    )
    return Conflict(
        f"Pledge {pledge.code} was changed by someone else since you opened it; nothing was saved.{detail} "
        "Review the current state and record your change again.",
        other,
    )
