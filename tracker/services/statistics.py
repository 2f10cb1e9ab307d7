"""Counts of pledges per status, overall and per area, now or as they stood on a past day.

Every figure is one SQL aggregate: "now" reads the materialised ``pledge.current_status``;
"as of" derives each pledge's status from the history in one window-function pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import Area, Pledge, Programme, StatusChange
from tracker.statuses import STATUS_KEYS


@dataclass(frozen=True)
class AreaCount:
    area_number: int
    short_title: str
    status: str
    count: int


def _status_column(programme: Programme, as_of: dt.date | None):
    """A selectable of (pledge id, area id, status) for the programme's current pledges."""
    if as_of is None:
        return (
            select(Pledge.id.label("pledge_id"), Pledge.area_id, Pledge.current_status.label("status"))
            .where(Pledge.programme_id == programme.id, Pledge.retired_on.is_(None))
            .subquery("pledge_status")
        )
    ranked = (
        select(
            StatusChange.pledge_id,
            StatusChange.status,
            func.row_number()
            .over(
                partition_by=StatusChange.pledge_id,
                order_by=(StatusChange.effective_date.desc(), StatusChange.sequence.desc()),
            )
            .label("rank"),
        )
        .where(StatusChange.programme_id == programme.id, StatusChange.effective_date <= as_of)
        .subquery("ranked")
    )
    return (
        select(
            Pledge.id.label("pledge_id"),
            Pledge.area_id,
            func.coalesce(ranked.c.status, literal("not_rated")).label("status"),
        )
        .outerjoin(ranked, (ranked.c.pledge_id == Pledge.id) & (ranked.c.rank == 1))
        .where(Pledge.programme_id == programme.id, Pledge.retired_on.is_(None))
        .subquery("pledge_status")
    )


def status_counts(session: Session, programme: Programme, as_of: dt.date | None = None) -> dict[str, int]:
    """Pledges per status, every status present (zero where none), in the fixed status order."""
    statuses = _status_column(programme, as_of)
    rows = session.execute(select(statuses.c.status, func.count()).group_by(statuses.c.status))
    found = dict(rows.all())
    return {key: int(found.get(key, 0)) for key in STATUS_KEYS}


def area_status_counts(session: Session, programme: Programme, as_of: dt.date | None = None) -> list[AreaCount]:
    """Pledges per area and status, ordered by area number and the fixed status order."""
    statuses = _status_column(programme, as_of)
    rows = session.execute(
        select(Area.number, Area.short_title, statuses.c.status, func.count())
        .join(statuses, statuses.c.area_id == Area.id)
        .group_by(Area.number, Area.short_title, statuses.c.status)
    ).all()
    order = {key: i for i, key in enumerate(STATUS_KEYS)}
    counts = [AreaCount(int(n), title, status, int(c)) for n, title, status, c in rows]
    return sorted(counts, key=lambda row: (row.area_number, order[row.status]))


def last_update(session: Session, programme: Programme) -> dt.datetime | None:
    """When the newest status change was recorded (None before any rating)."""
    last = session.scalar(select(func.max(StatusChange.recorded_at)).where(StatusChange.programme_id == programme.id))
    return clock.as_utc(last) if last else None
