"""Recording status changes and evidence: the only writes to a pledge's history."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from tracker import clock
from tracker.models import Evidence, Pledge, Programme, StatusChange
from tracker.services.audit import record_event
from tracker.services.auth import Actor, require
from tracker.services.errors import Conflict, InvalidInput, NotFound, RowError, RowErrors
from tracker.services.inputs import (
    MAX_RATIONALE,
    SourceInput,
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


@dataclass(frozen=True)
class ValidChange:
    status: str
    rationale: str
    effective_date: dt.date
    sources: list[SourceInput]
    corrects_sequence: int | None


def validate_change(programme: Programme, change: StatusChangeInput, today: dt.date) -> ValidChange:
    """Check every field of a change without touching the database; ``InvalidInput`` names the field."""
    status = check_status(change.status)
    rationale = check_text(change.rationale, "rationale", MAX_RATIONALE)
    effective = check_effective_date(change.effective_date or today, programme.election_date, today)
    if not change.sources:
        raise InvalidInput("sources", "at least one source (an http(s) URL with a title) is required")
    sources = [check_source(s, i, today) for i, s in enumerate(change.sources, start=1)]
    return ValidChange(status, rationale, effective, sources, change.corrects_sequence)


def record_status_change(
    session: Session,
    programme: Programme,
    code: str,
    change: StatusChangeInput,
    actor: Actor,
    *,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> StatusChange:
    """Append a status change with its sources, update the pledge's current status, audit it.

    ``expected_version`` is the pledge version the person saw; if someone recorded a change since,
    this raises ``Conflict`` with the other change and writes nothing. Without it, the change is
    checked against the state read in this transaction, so a change committed concurrently by
    someone else still makes this one fail loudly instead of silently winning or losing.
    """
    require(actor)
    today = today or clock.today()
    pledge = find_pledge(session, programme, code)
    valid = validate_change(programme, change, today)
    if expected_version is not None and pledge.version != expected_version:
        raise _conflict(pledge)
    corrects_id = None
    if valid.corrects_sequence is not None:
        target = next((c for c in pledge.changes if c.sequence == valid.corrects_sequence), None)
        if target is None:
            known = ", ".join(str(c.sequence) for c in pledge.changes) or "none"
            raise InvalidInput("corrects", f"pledge {code} has no change #{valid.corrects_sequence}; it has: {known}")
        corrects_id = target.id

    recorded_at = clock.now_utc()
    previous = pledge.current_status
    new = StatusChange(
        programme_id=programme.id,
        pledge_id=pledge.id,
        sequence=max((c.sequence for c in pledge.changes), default=0) + 1,
        status=valid.status,
        effective_date=valid.effective_date,
        rationale=valid.rationale,
        author=actor.name,
        recorded_at=recorded_at,
        corrects_id=corrects_id,
    )
    current = max([*pledge.changes, new], key=lambda c: (c.effective_date, c.sequence))
    _claim(session, programme, pledge, current_status=current.status, status_date=current.effective_date)
    session.add(new)
    for source in valid.sources:
        new.sources.append(_evidence(programme, pledge, source, actor.name, recorded_at))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise _conflict(find_pledge(session, programme, code)) from None
    record_event(
        session,
        actor,
        "status.change",
        programme.id,
        pledge.code,
        {
            "sequence": new.sequence,
            "status": new.status,
            "previous_status": previous,
            "effective_date": new.effective_date,
            "corrects": valid.corrects_sequence,
            "sources": [s.url for s in valid.sources],
        },
    )
    session.expire(pledge)
    return new


def _claim(session: Session, programme: Programme, pledge: Pledge, **values) -> None:
    """Update the pledge only if nobody changed it since it was read (optimistic lock), else Conflict."""
    claimed = session.execute(
        update(Pledge)
        .where(Pledge.id == pledge.id, Pledge.version == pledge.version)
        .values(version=Pledge.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        code = pledge.code
        session.rollback()
        raise _conflict(find_pledge(session, programme, code))


@dataclass(frozen=True)
class BulkItem:
    code: str
    change: StatusChangeInput
    expected_version: int | None = None
    label: str = ""  # how errors name the item, e.g. "line 57" (default: the code)


def record_status_changes(
    session: Session, programme: Programme, items: list[BulkItem], actor: Actor, today: dt.date | None = None
) -> list[StatusChange]:
    """Record many changes in the caller's transaction: all are checked first, then all are written.

    Any invalid item raises ``RowErrors`` listing every problem, and nothing is written.
    """
    require(actor)
    today = today or clock.today()
    errors = check_items(session, programme, items, today)
    if errors:
        raise RowErrors(errors)
    return [
        record_status_change(
            session, programme, item.code, item.change, actor, expected_version=item.expected_version, today=today
        )
        for item in items
    ]


def check_items(session: Session, programme: Programme, items: list[BulkItem], today: dt.date) -> list[RowError]:
    """Every problem of every item (unknown code, invalid field, a code listed twice), without writing."""
    errors: list[RowError] = []
    codes = set(session.scalars(select(Pledge.code).where(Pledge.programme_id == programme.id)))
    seen: dict[str, str] = {}
    for item in items:
        label = item.label or item.code
        if item.code not in codes:
            close = suggest_codes(session, programme, item.code)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            errors.append(RowError(label, "code", f"no pledge {item.code!r} in {programme.slug}{hint}"))
            continue
        if item.code in seen:
            errors.append(RowError(label, "code", f"{item.code} is listed twice (also {seen[item.code]})"))
        seen[item.code] = label
        try:
            validate_change(programme, item.change, today)
        except InvalidInput as error:
            errors.append(RowError(label, error.field, error.message))
    return errors


def add_evidence(
    session: Session, programme: Programme, code: str, source: SourceInput, actor: Actor, today: dt.date | None = None
) -> Evidence:
    """Add a source to a pledge without changing its status."""
    require(actor)
    pledge = find_pledge(session, programme, code)
    valid = check_source(source, 1, today or clock.today())
    evidence = _evidence(programme, pledge, valid, actor.name, clock.now_utc())
    session.add(evidence)
    record_event(session, actor, "evidence.add", programme.id, pledge.code, {"url": valid.url, "title": valid.title})
    session.flush()
    return evidence


def set_success_criterion(
    session: Session,
    programme: Programme,
    code: str,
    text: str | None,
    actor: Actor,
    expected_version: int | None = None,
) -> None:
    """Set (or with empty text, clear) what would count as kept for a pledge."""
    require(actor)
    pledge = find_pledge(session, programme, code)
    value = (text or "").strip() or None
    if value and len(value) > MAX_RATIONALE:
        raise InvalidInput("success criterion", f"is {len(value)} characters long; at most {MAX_RATIONALE}")
    if expected_version is not None and pledge.version != expected_version:
        raise _conflict(pledge)
    previous = pledge.success_criterion
    if previous == value:
        return
    _claim(session, programme, pledge, success_criterion=value)
    record_event(session, actor, "pledge.success_criterion", programme.id, pledge.code, {"from": previous, "to": value})
    session.expire(pledge)


def _evidence(programme: Programme, pledge: Pledge, source, author: str, added_at: dt.datetime) -> Evidence:
    return Evidence(
        programme_id=programme.id,
        pledge_id=pledge.id,
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
