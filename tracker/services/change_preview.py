"""What recording status changes would do to each pledge, read before anything is saved (a read model).

One rule decides the public status, the same one saving applies: ``Pledge.current_change`` (the
``precedence`` of ``tracker.models``) over the history plus the change as it would be recorded, with the
next sequence number. A back-dated change therefore only extends the history when a newer rating exists,
and the preview says which rating keeps the status. A change that repeats one on record is named, as
saving would refuse it.

``preview_change`` works on a pledge loaded in the caller's unit of work (an import can call it for each
checked row inside its own transaction); ``preview_status_changes`` is the use case with its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import clock
from tracker.models import Pledge, StatusChange
from tracker.services.errors import InvalidInput, RowError, RowErrors
from tracker.services.inputs import check_effective_date, check_status
from tracker.services.programmes import find_programme
from tracker.services.status_changes import BulkItem, ValidChange, find_identical, next_sequence, validate_change
from tracker.services.unit_of_work import unit_of_work


class Effect(StrEnum):
    NEW_CURRENT = "new_current"  # the change becomes the pledge's public status
    HISTORY_ONLY = "history_only"  # recorded in the history; a newer rating keeps the public status
    ALREADY_RECORDED = "already_recorded"  # the identical change is on record; saving it would be refused


@dataclass(frozen=True)
class RatingRef:
    """A rating on record that a preview names."""

    sequence: int
    status: str
    effective_date: dt.date
    author: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class ChangePreview:
    """One pledge before and after recording one change."""

    code: str
    text: str
    version: int  # the pledge's version as read: save with it as expected_version to save what was shown
    status: str  # the public status now
    status_date: dt.date | None
    new_status: str  # the status of the change
    effective_date: dt.date
    effect: Effect
    public_status: str  # the public status after saving
    public_date: dt.date | None
    newer: RatingRef | None = None  # HISTORY_ONLY: the rating that keeps the public status
    identical: RatingRef | None = None  # ALREADY_RECORDED: the change on record
    changed_since: RatingRef | None = None  # the pledge changed since the expected version: its last rating

    @property
    def saves(self) -> bool:
        """Whether saving would record something (an identical change is skipped)."""
        return self.effect is not Effect.ALREADY_RECORDED


def _ref(change: StatusChange) -> RatingRef:
    return RatingRef(
        change.sequence, change.status, change.effective_date, change.author, clock.as_utc(change.recorded_at)
    )


def preview_change(
    pledge: Pledge,
    status: str,
    effective_date: dt.date,
    valid: ValidChange | None = None,
    expected_version: int | None = None,
) -> ChangePreview:
    """What recording a change of ``status`` as of ``effective_date`` would do to ``pledge`` (history loaded).

    ``valid`` (the whole change, checked) lets the preview find an identical change on record; without it
    (rationale or sources not complete yet) only the effect on the status is told. With
    ``expected_version``, a pledge changed since that version names its last rating in ``changed_since``.
    """
    identical = find_identical(pledge, valid) if valid is not None else None
    last = max(pledge.changes, key=lambda c: c.sequence, default=None)
    changed = expected_version is not None and pledge.version != expected_version
    candidate = StatusChange(status=status, effective_date=effective_date, sequence=next_sequence(pledge))
    current = pledge.current_change(candidate)
    if identical is not None:
        effect = Effect.ALREADY_RECORDED
    elif current is candidate:
        effect = Effect.NEW_CURRENT
    else:
        effect = Effect.HISTORY_ONLY
    after = current if effect is not Effect.ALREADY_RECORDED else pledge.current_change()
    return ChangePreview(
        code=pledge.code,
        text=pledge.text,
        version=pledge.version,
        status=pledge.current_status,
        status_date=pledge.status_date,
        new_status=status,
        effective_date=effective_date,
        effect=effect,
        public_status=after.status if after is not None else pledge.current_status,
        public_date=after.effective_date if after is not None else pledge.status_date,
        newer=_ref(current) if effect is Effect.HISTORY_ONLY else None,
        identical=_ref(identical) if identical is not None else None,
        changed_since=_ref(last) if changed and last is not None else None,
    )


def preview_status_changes(
    programme: str | None, items: list[BulkItem], today: dt.date | None = None
) -> list[ChangePreview]:
    """What recording each item would do, in the items' order; nothing is written.

    Only the code, status and date of an item must be valid (else ``RowErrors`` names every problem); a
    rationale or source that is not valid yet only means that no identical change can be found.
    """
    today = today or clock.today()
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        codes = {item.code for item in items}
        pledges = {
            p.code: p
            for p in session.scalars(
                select(Pledge)
                .where(Pledge.programme_id == prog.id, Pledge.code.in_(codes))
                .options(selectinload(Pledge.changes).selectinload(StatusChange.sources))
            )
        }
        errors: list[RowError] = []
        previews: list[ChangePreview] = []
        for item in items:
            where = {"line": item.line} if item.line is not None else {"pledge": item.code}
            pledge = pledges.get(item.code)
            if pledge is None:
                errors.append(RowError("code", "row_no_pledge", {"pledge": item.code, "programme": prog.slug}, **where))
                continue
            try:
                status = check_status(item.change.status)
                effective = check_effective_date(item.change.effective_date or today, prog.election_date, today)
            except InvalidInput as error:
                errors.append(RowError(error.field, error.code, error.params, **where))
                continue
            try:
                valid = validate_change(prog, item.change, today)
            except InvalidInput:
                valid = None
            previews.append(preview_change(pledge, status, effective, valid, item.expected_version))
        if errors:
            raise RowErrors(errors)
        return previews
