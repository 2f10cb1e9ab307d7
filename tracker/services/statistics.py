"""Counts of pledges per status, overall and per area, now or as they stood on a past day.

Every figure is one SQL aggregate: "now" reads the materialised ``pledge.current_status``;
"as of" derives each pledge's status from the history in one window-function pass.

Which measures the figures count is one rule, ``counted``: the programme's current measures that can be
checked. A measure flagged "not checkable" is not rated, so it is in no status count (now, as of a past day,
over time); ``not_checkable_by_area`` counts those apart, so that a table of the areas still adds up to the
programme. A flag has no effective date (it says the text is too vague, whatever the day): a past day's
figures leave out the measures flagged now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from sqlalchemy import ColumnElement, Date, Integer, bindparam, func, literal, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import Area, Pledge, Programme, StatusChange, precedence
from tracker.services.programmes import find_programme
from tracker.services.review import is_public, published_at
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import STATUS_KEYS


@dataclass(frozen=True)
class AreaCount:
    area_number: int
    short_title: str
    status: str
    count: int


def counted(programme_id) -> tuple[ColumnElement[bool], ...]:
    """The measures of the programme ``programme_id`` that the figures count: current (not retired) and
    checkable (see the module's docstring); the one rule the app's overview and the edition share."""
    return (Pledge.programme_id == programme_id, Pledge.retired_on.is_(None), Pledge.checkable.is_(True))


def _status_column(as_of: bool):
    """A selectable of (pledge id, area id, status) for one programme's current pledges.

    Bound parameters: ``programme_id``, and ``as_of`` when the status is derived from the history.
    """
    programme_id = bindparam("programme_id", type_=Integer)
    if not as_of:
        return (
            select(Pledge.id.label("pledge_id"), Pledge.area_id, Pledge.current_status.label("status"))
            .where(*counted(programme_id))
            .subquery("pledge_status")
        )
    ranked = (
        select(
            StatusChange.pledge_id,
            StatusChange.status,
            func.row_number()
            .over(
                partition_by=StatusChange.pledge_id,
                order_by=[column.desc() for column in precedence(StatusChange)],
            )
            .label("rank"),
        )
        .where(
            StatusChange.programme_id == programme_id,
            is_public(StatusChange),
            StatusChange.effective_date <= bindparam("as_of", type_=Date),
        )
        .subquery("ranked")
    )
    return (
        select(
            Pledge.id.label("pledge_id"),
            Pledge.area_id,
            func.coalesce(ranked.c.status, literal("not_rated")).label("status"),
        )
        .outerjoin(ranked, (ranked.c.pledge_id == Pledge.id) & (ranked.c.rank == 1))
        .where(*counted(programme_id))
        .subquery("pledge_status")
    )


# The statements are built once per process: building them costs more than running them on a
# small programme, and the overview asks for them on every page view.
@cache
def _totals_statement(as_of: bool):
    statuses = _status_column(as_of)
    return select(statuses.c.status, func.count()).group_by(statuses.c.status)


@cache
def _per_area_statement(as_of: bool):
    statuses = _status_column(as_of)
    return (
        select(Area.number, Area.short_title, statuses.c.status, func.count())
        .join(statuses, statuses.c.area_id == Area.id)
        .group_by(Area.number, Area.short_title, statuses.c.status)
    )


def _parameters(programme: Programme, as_of: dt.date | None) -> dict:
    return {"programme_id": programme.id} if as_of is None else {"programme_id": programme.id, "as_of": as_of}


def status_counts(programme: str | None, as_of: dt.date | None = None) -> dict[str, int]:
    """Pledges per status, every status present (zero where none), in the fixed status order."""
    with unit_of_work() as session:
        return count_by_status(session, find_programme(session, programme), as_of)


def area_status_counts(programme: str | None, as_of: dt.date | None = None) -> list[AreaCount]:
    """Pledges per area and status, ordered by area number and the fixed status order."""
    with unit_of_work() as session:
        return count_by_area(session, find_programme(session, programme), as_of)


def last_update(programme: str | None) -> dt.datetime | None:
    """When the newest status change became public (None before any rating)."""
    with unit_of_work() as session:
        return last_published(session, find_programme(session, programme))


def count_by_status(session: Session, programme: Programme, as_of: dt.date | None = None) -> dict[str, int]:
    rows = session.execute(_totals_statement(as_of is not None), _parameters(programme, as_of))
    found = dict(rows.all())
    return {key: int(found.get(key, 0)) for key in STATUS_KEYS}


_STATUS_ORDER = {key: i for i, key in enumerate(STATUS_KEYS)}


def count_by_area(session: Session, programme: Programme, as_of: dt.date | None = None) -> list[AreaCount]:
    rows = session.execute(_per_area_statement(as_of is not None), _parameters(programme, as_of)).all()
    counts = [AreaCount(int(n), title, status, int(c)) for n, title, status, c in rows]
    return sorted(counts, key=lambda row: (row.area_number, _STATUS_ORDER[row.status]))


def not_checkable_by_area(session: Session, programme: Programme) -> dict[int, int]:
    """Per area number, how many of its current measures are flagged "not checkable" (areas without any left
    out): the measures that ``counted`` leaves out of every status count."""
    rows = session.execute(
        select(Area.number, func.count())
        .join(Pledge, Pledge.area_id == Area.id)
        .where(Pledge.programme_id == programme.id, Pledge.retired_on.is_(None), Pledge.checkable.is_(False))
        .group_by(Area.number)
    )
    return {int(number): int(n) for number, n in rows}


def totals_from_areas(rows: list[AreaCount]) -> dict[str, int]:
    """The overall figures from the per-area ones (saves the overview a second query)."""
    totals = dict.fromkeys(STATUS_KEYS, 0)
    for row in rows:
        totals[row.status] += row.count
    return totals


def last_published(session: Session, programme: Programme) -> dt.datetime | None:
    """When the newest public status change became public (``published_at``)."""
    last = session.scalar(
        select(func.max(published_at(StatusChange))).where(
            StatusChange.programme_id == programme.id, is_public(StatusChange)
        )
    )
    return clock.as_utc(last) if last else None


def status_counts_on(session: Session, programme: Programme, days: list[dt.date]) -> dict[dt.date, dict[str, int]]:
    """Pledges per status on each of ``days``, from one SQL pass over the history.

    Every change moves its pledge from the status of its previous change (by effective date, then
    recording order) to its own. The database returns how many pledges made each move on each date
    (a few thousand rows, however long the history); a running sum over the requested days then
    gives the counts. Pledges without a change up to a day are "not rated" on it. Only the ``counted``
    measures are.
    """
    if not days:
        return {}
    transitions = (
        select(
            StatusChange.effective_date.label("day"),
            StatusChange.status,
            func.lag(StatusChange.status)
            .over(partition_by=StatusChange.pledge_id, order_by=precedence(StatusChange))
            .label("previous"),
        )
        .join(Pledge, Pledge.id == StatusChange.pledge_id)
        .where(StatusChange.programme_id == programme.id, is_public(StatusChange), *counted(programme.id))
        .subquery("transitions")
    )
    moves = select(transitions.c.day, transitions.c.status, transitions.c.previous, func.count()).group_by(
        transitions.c.day, transitions.c.status, transitions.c.previous
    )
    events = sorted(
        (day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)), status, previous or "", int(n))
        for day, status, previous, n in session.execute(moves)
    )
    total = session.scalar(select(func.count()).where(*counted(programme.id))) or 0
    result: dict[dt.date, dict[str, int]] = {}
    running = dict.fromkeys(STATUS_KEYS, 0)
    position = 0
    for day in sorted(set(days)):
        while position < len(events) and events[position][0] <= day:
            _day, status, previous, n = events[position]
            running[status] += n  # n pledges moved to this status on that day ...
            if previous:
                running[previous] -= n  # ... from the status their previous change had given them
            position += 1
        counts = dict(running)
        counts["not_rated"] = total - sum(v for k, v in running.items() if k != "not_rated")
        result[day] = counts
    return result
