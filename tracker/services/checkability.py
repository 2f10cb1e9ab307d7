"""Measures that cannot be checked ("nicht überprüfbar"), why broken pledges were broken, and deadlines: the
figures that say how far the ratings can be trusted.

A measure too vague to check ("Nachbarschaftsnetzwerke stärken") is flagged with a reason, and unflagged the
same way; a flag is reviewed like a status change (``review``): proposed while review is on, and once approved
it sets ``Pledge.checkable``. Flagged measures are counted apart: ``credibility_figures`` is the one function
the overview of the app and the published edition both take their shares from, over the checkable measures.

A deadline (``Pledge.deadline``) comes from the programme text ("bis 2030", see ``tracker.programme``); a
measure whose deadline has passed without a final rating, and at the end of the term every measure still not
rated (CAPP's rule), is listed for staff to rate (``due_for_rating``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tracker import clock, settings
from tracker.models import Checkability, Pledge, Programme, StatusChange, precedence
from tracker.services.actor import Actor
from tracker.services.audit_log import record_event
from tracker.services.auth import require
from tracker.services.errors import InvalidInput
from tracker.services.inputs import MAX_REASON_TEXT, check_text
from tracker.services.pledges import find_pledge
from tracker.services.programmes import find_programme
from tracker.services.review import ProposalView, ReviewKind, new_review, register, review_columns
from tracker.services.statistics import counted
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import BROKEN_REASONS, FINAL_STATUSES, STATUS_KEYS, ReviewState, Status

# ------------------------------------------------------------------------------------------------ flags


@dataclass(frozen=True)
class CheckabilityRecorded:
    """A flag as saved: approved at once (review off), or a proposal waiting for a reviewer."""

    id: int
    code: str
    checkable: bool
    proposed: bool


def record_checkability(
    programme: str | None, code: str, checkable: bool, reason: str, actor: Actor
) -> CheckabilityRecorded:
    """Flag a measure as not checkable (``checkable=False``) or as checkable again, with the reason (shown
    publicly); a proposal while review is on. Refused when the measure already is what the flag says."""
    with unit_of_work() as session:
        actor = require(session, actor)
        text = check_text(reason, "checkability_reason", MAX_REASON_TEXT, multiline=True)
        prog = find_programme(session, programme)
        pledge = find_pledge(session, prog, code)
        if pledge.checkable == checkable:
            raise InvalidInput("checkable", "checkability_unchanged", pledge=pledge.code)
        row = Checkability(
            programme_id=prog.id,
            pledge_id=pledge.id,
            checkable=checkable,
            reason=text,
            author=check_text(actor.signature, "author", 200),
            recorded_at=clock.now_utc(),
            **new_review(session, actor),
        )
        session.add(row)
        session.flush()
        proposed = row.review_state == ReviewState.PROPOSED
        if not proposed:
            _apply(session, row)
        detail = {"id": row.id, "checkable": checkable}
        if proposed:
            record_event(session, actor, "checkability.propose", prog.id, pledge.code, detail)
        else:
            record_event(session, actor, "pledge.checkability", prog.id, pledge.code, detail)
        return CheckabilityRecorded(row.id, pledge.code, checkable, proposed)


def _apply(session: Session, row: Checkability) -> None:
    """What an approved flag means: the measure is checkable or not from now on."""
    session.execute(
        update(Pledge)
        .where(Pledge.id == row.pledge_id)
        .values(checkable=row.checkable, version=Pledge.version + 1)
        .execution_options(synchronize_session=False)
    )


def _approve(session: Session, row: Checkability, actor: Actor) -> dict:
    _apply(session, row)
    return {"checkable": row.checkable}


def _flag_value(checkable: bool) -> str:
    return "checkable" if checkable else "not_checkable"


def _view(session: Session, row: Checkability) -> ProposalView:
    pledge = session.get(Pledge, row.pledge_id)
    public = public_flag(session, pledge.id)
    return ProposalView(
        kind="checkability",
        id=row.id,
        pledge=pledge.code,
        summary=f"{pledge.code}: {_flag_value(row.checkable)} (now {_flag_value(pledge.checkable)})",
        author=row.author,
        **review_columns(row),
        value=_flag_value(row.checkable),
        text=row.reason,
        public_value=_flag_value(pledge.checkable),
        public_text=public.reason if public else "",
        pledge_text=pledge.text,
    )


register(ReviewKind(name="checkability", model=Checkability, prefix="c", view=_view, approve=_approve))


def public_flag(session: Session, pledge_id: int) -> Checkability | None:
    """The latest approved flag of a measure (what its page says about it), None if it was never flagged."""
    return session.scalar(
        select(Checkability)
        .where(Checkability.pledge_id == pledge_id, Checkability.review_state == ReviewState.APPROVED)
        .order_by(Checkability.reviewed_at.desc().nulls_last(), Checkability.id.desc())
        .limit(1)
    )


# ------------------------------------------------------------------------------------------------ figures


@dataclass(frozen=True)
class CredibilityFigures:
    """What the overview and the published edition say beside the counts per status: how many measures can be
    checked, the counts and shares over those, why the broken ones were broken, and how many are overdue."""

    total: int  # measures of the programme now (retired ones not counted)
    checkable: int
    counts: dict[str, int]  # checkable measures per status, every status present
    broken_reasons: dict[str, int]  # measures whose current status is broken, per reason (every reason present)
    past_deadline: int  # deadline passed without a final rating (checkable measures)

    def share(self, status: str) -> float:
        """The share of the checkable measures that have ``status`` (0 when none is checkable)."""
        return self.counts[status] / self.checkable if self.checkable else 0.0

    @property
    def unreasoned_broken(self) -> int:
        """Broken measures whose rating predates the reasons (recorded before a reason was required)."""
        return self.counts[Status.BROKEN] - sum(self.broken_reasons.values())


def credibility_figures(session: Session, programme: Programme, today: dt.date) -> CredibilityFigures:
    """The figures of ``CredibilityFigures`` for the programme now; ``today`` decides which deadlines passed.
    The status counts are over the measures ``statistics.counted`` counts, as every count per status is."""
    total = session.scalar(select(func.count()).where(Pledge.programme_id == programme.id, Pledge.retired_on.is_(None)))
    rows = session.execute(
        select(Pledge.id, Pledge.current_status, Pledge.deadline).where(*counted(programme.id))
    ).all()
    counts = dict.fromkeys(STATUS_KEYS, 0)
    broken_ids: set[int] = set()
    past = 0
    for pledge_id, status, deadline in rows:
        counts[status] += 1
        if status == Status.BROKEN:
            broken_ids.add(pledge_id)
        if deadline is not None and deadline < today and status not in FINAL_STATUSES:
            past += 1
    return CredibilityFigures(
        total=int(total or 0),
        checkable=sum(counts.values()),
        counts=counts,
        broken_reasons=_broken_reasons(session, programme, broken_ids),
        past_deadline=past,
    )


def _broken_reasons(session: Session, programme: Programme, pledge_ids: set[int]) -> dict[str, int]:
    """Per reason, how many of the broken ``pledge_ids`` their current rating (the one rule, ``precedence``)
    says were broken for it."""
    current: dict[int, tuple] = {}
    for change in session.execute(
        select(
            StatusChange.pledge_id,
            StatusChange.effective_date,
            StatusChange.sequence,
            StatusChange.broken_reason,
        ).where(
            StatusChange.programme_id == programme.id,
            StatusChange.review_state == ReviewState.APPROVED,
            StatusChange.status == Status.BROKEN,
        )
    ):
        if change.pledge_id not in pledge_ids:
            continue
        seen = current.get(change.pledge_id)
        if seen is None or precedence(change) > precedence(seen):
            current[change.pledge_id] = change
    reasons = dict.fromkeys(BROKEN_REASONS, 0)
    for change in current.values():
        if change.broken_reason in reasons:
            reasons[change.broken_reason] += 1
    return reasons


def programme_figures(programme: str | None, today: dt.date | None = None) -> CredibilityFigures:
    """``credibility_figures`` for a programme, in a unit of work of its own."""
    with unit_of_work() as session:
        return credibility_figures(session, find_programme(session, programme), today or clock.today())


# ------------------------------------------------------------------------------------------------ deadlines


@dataclass(frozen=True)
class DueMeasure:
    """A measure staff should rate now: its deadline has passed without a final rating, or the term ends and it
    is still not rated."""

    code: str
    text: str
    status: str
    deadline: dt.date | None
    why: str  # "deadline_passed" or "term_ending"


@dataclass(frozen=True)
class DueList:
    measures: tuple[DueMeasure, ...]
    term_end: dt.date
    term_ending: bool  # today is within the lead time before the end of the term (or after it)
    lead_days: int


def due_for_rating(programme: str | None, actor: Actor, today: dt.date | None = None) -> DueList:
    """The measures to rate now (staff only): every checkable measure whose deadline has passed without a final
    rating; and from ``TRACKER_TERM_END_LEAD_DAYS`` days before the end of the term, every measure still not
    rated, so that none is left silently as "not yet rated" (CAPP's rule)."""
    today = today or clock.today()
    lead = int(settings.get("TRACKER_TERM_END_LEAD_DAYS"))
    with unit_of_work() as session:
        require(session, actor)
        prog = find_programme(session, programme)
        term_ending = today >= prog.term_end - dt.timedelta(days=lead)
        measures = []
        for pledge in session.scalars(
            select(Pledge)
            .where(Pledge.programme_id == prog.id, Pledge.retired_on.is_(None), Pledge.checkable.is_(True))
            .order_by(Pledge.position)
        ):
            if pledge.deadline is not None and pledge.deadline < today and pledge.current_status not in FINAL_STATUSES:
                why = "deadline_passed"
            elif term_ending and pledge.current_status == Status.NOT_RATED:
                why = "term_ending"
            else:
                continue
            measures.append(DueMeasure(pledge.code, pledge.text, pledge.current_status, pledge.deadline, why))
        return DueList(tuple(measures), prog.term_end, term_ending, lead)
