"""Recording status changes, evidence and success criteria of pledges, one by one or many at once.

These are the writes that people make to a pledge's history (restoring an export and generating demo
data write history in bulk too: see ``opendata`` and ``demo``). Each public function is one unit of work.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import AuditEvent, Evidence, Pledge, Programme, StatusChange
from tracker.services.audit_log import record_event
from tracker.services.auth import Actor, require
from tracker.services.errors import (
    AlreadyRecorded,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ReviewRefused,
    RowError,
    RowErrors,
)
from tracker.services.inputs import (
    MAX_RATIONALE,
    Problems,
    SourceInput,
    StatusChangeInput,
    check_author,
    check_broken_reason,
    check_effective_date,
    check_source,
    check_status,
    check_text,
    checked_source,
    shown,
)
from tracker.services.pledges import close_codes, could_be_code, find_pledge
from tracker.services.programmes import find_programme
from tracker.services.review import (
    ProposalSource,
    ProposalView,
    ReviewKind,
    account_of,
    new_review,
    register,
    review_columns,
)
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import ReviewState


@dataclass(frozen=True)
class RecordedChange:
    """A change as saved, and the pledge's current (public) status after it.

    With review on, the change is ``proposed``: it has no sequence yet and the public status is unchanged until
    a reviewer approves it (``tracker.services.review``)."""

    code: str
    sequence: int | None
    status: str
    effective_date: dt.date
    current_status: str
    status_date: dt.date | None
    proposed: bool = False
    change_id: int | None = None


@dataclass(frozen=True)
class ValidChange:
    status: str
    rationale: str
    effective_date: dt.date
    sources: list[SourceInput]
    corrects_sequence: int | None
    broken_reason: str | None = None
    broken_reason_text: str | None = None


@dataclass(frozen=True)
class BulkItem:
    code: str
    change: StatusChangeInput
    expected_version: int | None = None
    line: int | None = None  # the line of a file the item comes from; errors then name it instead of the code


def validate_change(programme: Programme, change: StatusChangeInput, today: dt.date) -> ValidChange:
    """Check every field of a change without touching the database; ``InvalidInput`` names the first field that
    is wrong (``checked_change`` names them all)."""
    valid, problems = checked_change(programme, change, today)
    if valid is None:
        raise problems[0]
    return valid


def checked_change(
    programme: Programme, change: StatusChangeInput, today: dt.date
) -> tuple[ValidChange | None, list[InvalidInput]]:
    """The checked change, or None and the problem of every field that is wrong (each field checked on its own)."""
    problems = Problems()
    status = problems.check(check_status, change.status)
    rationale = problems.check(check_text, change.rationale, "rationale", MAX_RATIONALE, multiline=True)
    effective = problems.check(check_effective_date, change.effective_date or today, programme.election_date, today)
    if not change.sources:
        problems.found.append(InvalidInput("sources", "no_sources"))
    reason = (
        problems.check(check_broken_reason, status, change.broken_reason, change.broken_reason_text)
        if status is not None  # an unknown status is the problem; its reason is not judged against it
        else None
    )
    sources = [checked_source(s, i, today, problems) for i, s in enumerate(change.sources, start=1)]
    if problems.found:
        return None, problems.found
    broken_reason, broken_reason_text = reason
    return (
        ValidChange(status, rationale, effective, sources, change.corrects_sequence, broken_reason, broken_reason_text),
        [],
    )


def next_sequence(pledge: Pledge) -> int:
    """The sequence number the next change of ``pledge`` gets (its history loaded)."""
    return max((c.sequence for c in pledge.changes), default=0) + 1


def check_status_change(programme: str | None, change: StatusChangeInput, today: dt.date | None = None) -> None:
    """Check every field of ``change`` for ``programme`` without saving; ``InvalidInput`` names the first wrong one.

    For a form that applies one change to many pledges: its fields are told once, not once per pledge.
    """
    with unit_of_work() as session:
        validate_change(find_programme(session, programme), change, today or clock.today())


def record_status_change(
    programme: str | None,
    code: str,
    change: StatusChangeInput,
    actor: Actor,
    *,
    expected_version: int | None = None,
    today: dt.date | None = None,
    revises: int | None = None,
) -> RecordedChange:
    """Append a status change with its sources, update the pledge's current status, audit it.

    With review on, the change is a proposal instead: stored with its sources, public only once approved.
    ``revises`` is the id of the author's own returned proposal that this one corrects.

    ``expected_version`` is the pledge version the person saw; if someone recorded a change since,
    this raises ``Conflict`` with the other change and writes nothing. Without it, the change is
    checked against the state read in this transaction, so a change committed concurrently by
    someone else still makes this one fail loudly instead of silently winning or losing.
    """
    today = today or clock.today()
    with unit_of_work() as session:
        actor = require(session, actor)
        prog = find_programme(session, programme)
        pledge = find_pledge(session, prog, code)
        valid = validate_change(prog, change, today)
        revised = _revised(session, pledge, revises, actor) if revises is not None else None
        recorded = _append(session, prog, pledge, valid, actor, expected_version, revises=revised)
        return recorded


def record_status_changes(
    programme: str | None, items: list[BulkItem], actor: Actor, today: dt.date | None = None
) -> list[RecordedChange]:
    """Record many changes in one transaction: all are checked first, then all are written.

    Any invalid item raises ``RowErrors`` listing every problem, and nothing is written.
    """
    today = today or clock.today()
    with unit_of_work() as session:
        actor = require(session, actor)
        prog = find_programme(session, programme)
        errors, valid = check_items(session, prog, items, today)
        if errors:
            raise RowErrors(errors)
        return append_changes(session, prog, items, valid, actor, batch="bulk")


def check_items(
    session: Session, programme: Programme, items: list[BulkItem], today: dt.date
) -> tuple[list[RowError], list[ValidChange]]:
    """Every problem of every item (unknown code, invalid field, a code listed twice), and the valid changes."""
    errors: list[RowError] = []
    valid: list[ValidChange] = []
    codes = set(session.scalars(select(Pledge.code).where(Pledge.programme_id == programme.id)))
    seen: dict[str, BulkItem] = {}
    for item in items:
        where = {"line": item.line} if item.line is not None else {"pledge": item.code}
        if item.code not in codes:
            close = close_codes(session, programme, item.code) if could_be_code(item.code) else []
            params = {"pledge": shown(item.code), "programme": programme.slug}
            if close:
                errors.append(RowError("code", "row_no_pledge_close", {**params, "close": ", ".join(close)}, **where))
            else:
                errors.append(RowError("code", "row_no_pledge", params, **where))
            continue
        if item.code in seen:
            other = seen[item.code]
            errors.append(RowError("code", "listed_twice", {"pledge": item.code, "other": _row_name(other)}, **where))
        seen[item.code] = item
        change, problems = checked_change(programme, item.change, today)
        errors.extend(RowError(p.field, p.code, p.params, index=p.index, **where) for p in problems)
        if change is None:
            continue
        existing = find_identical(find_pledge(session, programme, item.code), change)
        if existing is not None:
            refusal = _already_recorded(existing)
            errors.append(RowError("status", refusal.code, refusal.params, **where))
        valid.append(change)
    return errors, valid


def find_identical(pledge: Pledge, change: ValidChange) -> StatusChange | None:
    """The change of ``pledge``'s history, or its open proposal, that ``change`` repeats, if any: the same status,
    effective date, rationale and source addresses. Recording it again would only double the public history
    (or the reviewers' queue)."""
    urls = sorted(s.url for s in change.sources)
    waiting = [p for p in pledge.proposals if p.review_state == ReviewState.PROPOSED]
    for existing in [*pledge.changes, *waiting]:
        if (
            existing.status == change.status
            and existing.effective_date == change.effective_date
            and existing.rationale == change.rationale
            and sorted(s.url for s in existing.sources) == urls
        ):
            return existing
    return None


def _already_recorded(existing: StatusChange) -> AlreadyRecorded:
    return AlreadyRecorded(
        existing.pledge.code,
        existing.sequence,
        existing.status,
        existing.effective_date,
        existing.author,
        clock.as_utc(existing.recorded_at),
    )


def _row_name(item: BulkItem) -> str:
    return f"line {item.line}" if item.line is not None else item.code


def append_changes(
    session: Session,
    programme: Programme,
    items: list[BulkItem],
    valid: list[ValidChange],
    actor: Actor,
    batch: str | None = None,
) -> list[RecordedChange]:
    """Write checked changes (``valid[i]`` belongs to ``items[i]``) in the caller's unit of work.

    Changes written together share their recording time and, with review on, a batch key in their audit events,
    so that a reviewer can approve them together; ``batch`` names what wrote them (``bulk``, ``import``)."""
    recorded_at = clock.now_utc()
    batch = f"{batch}-{uuid.uuid4().hex[:12]}" if batch and len(items) > 1 else None
    return [
        _append(
            session,
            programme,
            find_pledge(session, programme, item.code),
            change,
            actor,
            item.expected_version,
            recorded_at=recorded_at,
            batch=batch,
        )
        for item, change in zip(items, valid, strict=True)
    ]


def _append(
    session: Session,
    programme: Programme,
    pledge: Pledge,
    valid: ValidChange,
    actor: Actor,
    expected_version: int | None,
    *,
    recorded_at: dt.datetime | None = None,
    batch: str | None = None,
    revises: StatusChange | None = None,
) -> RecordedChange:
    author = check_author(actor.signature)
    corrects_id = None
    if valid.corrects_sequence is not None:
        target = next((c for c in pledge.changes if c.sequence == valid.corrects_sequence), None)
        if target is None:
            known = ", ".join(str(c.sequence) for c in pledge.changes) or "none"
            raise InvalidInput(
                "corrects", "no_such_change", pledge=pledge.code, sequence=valid.corrects_sequence, known=known
            )
        corrects_id = target.id
    existing = find_identical(pledge, valid)
    if existing is not None:
        raise _already_recorded(existing)
    if expected_version is not None and pledge.version != expected_version:
        raise _conflict(pledge)

    recorded_at = recorded_at or clock.now_utc()
    previous = pledge.current_status
    review = new_review(session, actor)
    proposed = review["review_state"] == ReviewState.PROPOSED
    new = StatusChange(
        programme_id=programme.id,
        pledge_id=pledge.id,
        sequence=None if proposed else next_sequence(pledge),
        status=valid.status,
        effective_date=valid.effective_date,
        rationale=valid.rationale,
        author=author,
        recorded_at=recorded_at,
        corrects_id=corrects_id,
        broken_reason=valid.broken_reason,
        broken_reason_text=valid.broken_reason_text,
        revises_id=revises.id if revises is not None else None,
        **review,
    )
    if proposed:  # the public status stays as it is until a reviewer approves the change
        current = pledge.current_change()
        current_status = current.status if current else pledge.current_status
        status_date = current.effective_date if current else pledge.status_date
    else:
        current = pledge.current_change(new)
        current_status, status_date = current.status, current.effective_date
        _claim(session, programme, pledge, valid, current_status=current_status, status_date=status_date)
    session.add(new)
    for source in valid.sources:
        new.sources.append(_evidence(programme, pledge, source, author, recorded_at))
    try:
        session.flush()
    except IntegrityError as error:
        if not _is_unique_violation(error):  # a check the input rules missed: never worded as someone else's change
            raise
        code = pledge.code  # another change took this sequence number meanwhile
        session.rollback()
        raise _refusal(find_pledge(session, programme, code), valid) from None
    detail = {
        "sequence": new.sequence,
        "id": new.id,
        "status": new.status,
        "previous_status": previous,
        "effective_date": new.effective_date,
        "corrects": valid.corrects_sequence,
        "broken_reason": valid.broken_reason,
        "sources": [s.url for s in valid.sources],
        **({"batch": batch} if batch else {}),
        **({"revises": revises.id} if revises is not None else {}),
    }
    if proposed:  # a proposal is audited as such; its approval later as review.approve
        record_event(session, actor, "status.propose", programme.id, pledge.code, detail)
    else:
        record_event(session, actor, "status.change", programme.id, pledge.code, detail)
    return RecordedChange(
        pledge.code, new.sequence, new.status, new.effective_date, current_status, status_date, proposed, new.id
    )


def _revised(session: Session, pledge: Pledge, revises: int, actor: Actor) -> StatusChange:
    """The returned proposal of ``pledge`` that its author now proposes anew (it stays returned, linked)."""
    row = session.get(StatusChange, revises)
    if row is None or row.pledge_id != pledge.id:
        raise NotFound("no_proposal", ref=f"s{revises}", accepted="sID")
    if row.review_state != ReviewState.RETURNED:
        raise ReviewRefused("not_returned", state=row.review_state)
    current = require(session, actor)
    if row.author_account != account_of(current):
        raise PermissionDenied("not_your_proposal")
    return row


def _is_unique_violation(error: IntegrityError) -> bool:
    """Whether the database refused a row because another one has the same key (not a failed check)."""
    sqlstate = getattr(error.orig, "sqlstate", None)  # PostgreSQL (psycopg)
    return sqlstate == "23505" if sqlstate is not None else "UNIQUE constraint failed" in str(error.orig)


def _claim(session: Session, programme: Programme, pledge: Pledge, valid: ValidChange | None, **values) -> None:
    """Update the pledge only if nobody changed it since it was read (optimistic lock), else refuse:
    ``AlreadyRecorded`` when what was committed meanwhile is ``valid`` itself (a double submit), else Conflict."""
    claimed = session.execute(
        update(Pledge)
        .where(Pledge.id == pledge.id, Pledge.version == pledge.version)
        .values(version=Pledge.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        code = pledge.code
        session.rollback()
        raise _refusal(find_pledge(session, programme, code), valid)


def _refusal(pledge: Pledge, valid: ValidChange | None) -> AlreadyRecorded | Conflict:
    existing = find_identical(pledge, valid) if valid is not None else None
    return _already_recorded(existing) if existing is not None else _conflict(pledge)


def add_evidence(
    programme: str | None, code: str, source: SourceInput, actor: Actor, today: dt.date | None = None
) -> None:
    """Add a source to a pledge without changing its status."""
    with unit_of_work() as session:
        actor = require(session, actor)
        valid = check_source(source, 1, today or clock.today())
        author = check_author(actor.signature)
        prog = find_programme(session, programme)
        pledge = find_pledge(session, prog, code)
        session.add(_evidence(prog, pledge, valid, author, clock.now_utc()))
        record_event(session, actor, "evidence.add", prog.id, pledge.code, {"url": valid.url, "title": valid.title})


def set_success_criterion(
    programme: str | None,
    code: str,
    text: str | None,
    actor: Actor,
    expected_version: int | None = None,
) -> None:
    """Set (or with empty text, clear) what would count as kept for a pledge."""
    with unit_of_work() as session:
        actor = require(session, actor)
        value = check_text(text, "success_criterion", MAX_RATIONALE, multiline=True) if (text or "").strip() else None
        prog = find_programme(session, programme)
        pledge = find_pledge(session, prog, code)
        if expected_version is not None and pledge.version != expected_version:
            raise _conflict(pledge)
        previous = pledge.success_criterion
        if previous == value:
            return
        _claim(session, prog, pledge, None, success_criterion=value)
        record_event(session, actor, "pledge.success_criterion", prog.id, pledge.code, {"from": previous, "to": value})


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
    """The conflict on ``pledge``, naming the change recorded last (by sequence, not the current one)."""
    last = max(pledge.changes, key=lambda c: c.sequence, default=None)
    return Conflict(pledge.code, _summary(last) if last else None)


def _summary(change: StatusChange) -> dict:
    return {
        "sequence": change.sequence,
        "status": change.status,
        "effective_date": change.effective_date.isoformat(),
        "author": change.author,
        "recorded_at": clock.as_utc(change.recorded_at).isoformat(),
        "rationale": change.rationale,
    }


# ---------------------------------------------------------------------------------- review of status changes


def _approve_proposal(session: Session, row: StatusChange, actor: Actor) -> dict:
    """What approving a proposed change means: it gets the pledge's next sequence number, and the pledge's
    current status is recomputed by the one rule (``precedence``), under the optimistic lock."""
    pledge = row.pledge
    session.expire(pledge)  # its version and history as they are now (an approval just before may have moved them)
    previous = pledge.current_status
    row.sequence = next_sequence(pledge)
    current = pledge.current_change(row)
    programme = session.get(Programme, row.programme_id)
    _claim(session, programme, pledge, None, current_status=current.status, status_date=current.effective_date)
    return {
        "sequence": row.sequence,
        "status": row.status,
        "previous_status": previous,
        "effective_date": row.effective_date,
        "author": row.author,
    }


def _source_view(evidence: Evidence) -> ProposalSource:
    return ProposalSource(evidence.url, evidence.title, evidence.kind, evidence.published_on)


def _proposal_view(session: Session, row: StatusChange) -> ProposalView:
    pledge = row.pledge
    public = pledge.current_change()
    return ProposalView(
        kind="status_change",
        id=row.id,
        pledge=pledge.code,
        summary=f"{pledge.code}: {row.status} as of {row.effective_date.isoformat()} (now {pledge.current_status})",
        author=row.author,
        **review_columns(row),
        value=row.status,
        text=row.rationale,
        effective_date=row.effective_date,
        sources=tuple(_source_view(s) for s in row.sources),
        public_value=pledge.current_status,
        public_text=public.rationale if public else "",
        public_date=pledge.status_date,
        public_sources=tuple(_source_view(s) for s in public.sources) if public else (),
        pledge_text=pledge.text,
        revises_id=row.revises_id,
    )


def _batches(session: Session, programme: Programme) -> dict[int, str]:
    """Open proposals recorded together (one import or bulk save): their ids -> the batch key of their audit
    events (looked up among the events since the oldest open proposal was recorded)."""
    oldest = session.scalar(
        select(func.min(StatusChange.recorded_at)).where(
            StatusChange.programme_id == programme.id, StatusChange.review_state == ReviewState.PROPOSED
        )
    )
    if oldest is None:
        return {}
    found: dict[int, str] = {}
    for detail in session.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.programme_id == programme.id,
            AuditEvent.action == "status.propose",
            AuditEvent.at >= oldest,
            AuditEvent.detail.contains('"batch"'),
        )
    ):
        values = json.loads(detail)
        found[values["id"]] = values["batch"]
    return found


register(
    ReviewKind(
        name="status_change",
        model=StatusChange,
        prefix="s",
        view=_proposal_view,
        approve=_approve_proposal,
        batches=_batches,
    )
)
