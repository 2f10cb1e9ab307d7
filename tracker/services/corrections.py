"""The corrections log: every approved rating that corrects an earlier one, with what was wrong, when and why.

Nothing is ever overwritten: a mistake is corrected by a new rating that names the one it corrects
(``StatusChange.corrects_id``). The log lists those, newest first, each beside the entry it corrects; only
approved changes count (a proposal is no correction until a reviewer approves it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from tracker import clock
from tracker.models import Pledge, StatusChange
from tracker.services.auth import public_names
from tracker.services.programmes import find_programme
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import ReviewState


@dataclass(frozen=True)
class RatingEntry:
    """One numbered entry of a measure's public history, as the log shows it."""

    sequence: int
    status: str
    effective_date: dt.date
    rationale: str
    author: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class CorrectionView:
    """A correction: the measure, the correcting entry (when and why, by whom) and the entry it corrects."""

    code: str
    pledge_text: str
    correction: RatingEntry
    corrected: RatingEntry
    reviewed_by: str | None  # who approved the correction, when review was on


def corrections(programme: str | None, limit: int | None = None) -> list[CorrectionView]:
    """The approved corrections of ``programme``, the most recently recorded first."""
    corrected = aliased(StatusChange)
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        stmt = (
            select(StatusChange, corrected, Pledge.code, Pledge.text)
            .join(corrected, corrected.id == StatusChange.corrects_id)
            .join(Pledge, Pledge.id == StatusChange.pledge_id)
            .where(
                StatusChange.programme_id == prog.id,
                StatusChange.review_state == ReviewState.APPROVED,
                corrected.review_state == ReviewState.APPROVED,
            )
            .order_by(StatusChange.recorded_at.desc(), StatusChange.id.desc())
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        names = public_names(session)
        return [
            CorrectionView(code, text, _entry(change, names), _entry(earlier, names), change.reviewed_by)
            for change, earlier, code, text in session.execute(stmt)
        ]


def _entry(change: StatusChange, names: dict[str, str]) -> RatingEntry:
    return RatingEntry(
        change.sequence,
        change.status,
        change.effective_date,
        change.rationale,
        names.get(change.author, change.author),
        clock.as_utc(change.recorded_at),
    )
