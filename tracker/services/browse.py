"""Read models for the public pages: the overview, pledge search, a pledge's full page, recent changes,
the timeline, the choices of the filters.

Each function is one unit of work and returns plain frozen data (no ORM objects), so callers can cache it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import Area, Evidence, Goal, Pledge, Programme, StatusChange
from tracker.search import MAX_QUERY_CHARACTERS, MAX_QUERY_WORDS, query_words
from tracker.services.auth import public_names
from tracker.services.checkability import CredibilityFigures, credibility_figures, public_flag
from tracker.services.errors import InvalidInput
from tracker.services.pledges import close_codes, find_pledge
from tracker.services.programmes import find_programme
from tracker.services.review import is_public, published_at
from tracker.services.statistics import (
    AreaCount,
    count_by_area,
    last_published,
    not_checkable_by_area,
    status_counts_on,
    totals_from_areas,
)
from tracker.services.translations import TRANSLATION_LANGUAGES, current_translations, translations_by_pledge
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import STATUS_KEYS


@dataclass(frozen=True)
class PledgeRow:
    code: str
    area_number: int
    area_short_title: str
    goal_code: str | None
    goal_title: str | None
    text: str
    status: str
    status_date: dt.date | None
    # The current translations of the text (``{language: text}``; the German text stays ``text``).
    translations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResult:
    rows: tuple[PledgeRow, ...]
    total: int


@dataclass(frozen=True)
class SourceView:
    url: str
    title: str
    kind: str
    published_on: dt.date | None
    added_by: str
    added_at: dt.datetime


@dataclass(frozen=True)
class ChangeView:
    sequence: int
    status: str
    effective_date: dt.date
    rationale: str
    author: str
    recorded_at: dt.datetime
    corrects: int | None
    sources: tuple[SourceView, ...]
    broken_reason: str | None = None  # why a broken pledge was broken (``tracker.statuses.BrokenReason``)
    broken_reason_text: str | None = None  # with the reason "other"
    # the second person who approved it, and when (None: recorded before review, or with review off)
    reviewed_by: str | None = None
    reviewed_at: dt.datetime | None = None

    @property
    def published_at(self) -> dt.datetime:
        """When the change became public: approved by the reviewer, or recorded when nobody had to approve it."""
        return self.reviewed_at or self.recorded_at


@dataclass(frozen=True)
class PledgeView:
    code: str
    text: str
    success_criterion: str | None
    retired_on: dt.date | None
    status: str
    status_date: dt.date | None
    version: int
    area_number: int
    area_title: str
    area_short_title: str
    why_important: str | None
    focus: str | None
    goal_code: str | None
    goal_number: str | None
    goal_title: str | None
    objective: str | None
    group: str | None
    history: tuple[ChangeView, ...]  # newest effective date first
    evidence: tuple[SourceView, ...]  # sources added without a status change
    siblings: tuple[PledgeRow, ...]  # the other measures of the same goal (or area, without a goal)
    # The current translations of the text (``{language: text}``; the German text stays ``text``).
    translations: dict[str, str] = field(default_factory=dict)
    deadline: dt.date | None = None  # the deadline the programme names for it
    checkable: bool = True  # False: flagged as too vague to check ("nicht überprüfbar"), counted apart
    checkability_reason: str | None = None  # the reason of the latest approved flag (either way)


@dataclass(frozen=True)
class RecentChange:
    code: str
    text: str
    area_short_title: str
    status: str
    effective_date: dt.date
    author: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class Overview:
    """Everything the overview shows, now or as of a past day."""

    counts: dict[str, int]  # every status, in the fixed order
    areas: tuple[AreaCount, ...]
    recent: tuple[RecentChange, ...]
    last_update: dt.datetime | None
    # now (not as of a past day): checkable measures and the shares over them, reasons of broken pledges ...
    figures: CredibilityFigures | None = None
    # per area number, its measures flagged "not checkable": in none of the counts above (areas without any left out)
    not_checkable: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Option:
    key: str
    label: str


def _rows_query(programme: Programme) -> Select:
    return (
        select(
            Pledge.code,
            Area.number,
            Area.short_title,
            Goal.code,
            Goal.title,
            Pledge.text,
            Pledge.current_status,
            Pledge.status_date,
            Pledge.id,
        )
        .join(Area, Area.id == Pledge.area_id)
        .outerjoin(Goal, Goal.id == Pledge.goal_id)
        .where(Pledge.programme_id == programme.id, Pledge.retired_on.is_(None))
    )


def _rows(session: Session, programme: Programme, stmt: Select) -> tuple[PledgeRow, ...]:
    """The rows of ``stmt`` (a ``_rows_query``) with the current translations of their texts."""
    rows = session.execute(stmt).all()
    translations = translations_by_pledge(session, programme.id, [row[-1] for row in rows])
    return tuple(PledgeRow(*row[:-1], translations=translations.get(row[-1], {})) for row in rows)


def search_pledges(
    programme: str | None,
    query: str = "",
    area: int | None = None,
    goal: str | None = None,
    statuses: tuple[str, ...] = (),
    limit: int | None = None,
    offset: int = 0,
    language: str | None = None,
) -> SearchResult:
    """Pledges in programme order whose folded text holds every query word, filtered, one page of them.

    With a ``language`` other than German, each word may also be found in the measure's current translation
    into it (a proposal is never searched). A query longer than ``MAX_QUERY_CHARACTERS`` or with more than
    ``MAX_QUERY_WORDS`` words is refused (``InvalidInput`` on the field "query"), before any work."""
    words = search_words(query)
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        stmt = _filtered(_rows_query(prog), words, area, goal, statuses, _translated(prog, language, words))
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        stmt = stmt.order_by(Pledge.position).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        return SearchResult(_rows(session, prog, stmt), int(total))


def _translated(programme: Programme, language: str | None, words: list[str]):
    """The current translations into ``language`` to search too (a subquery), or None (German, no words)."""
    if language not in TRANSLATION_LANGUAGES or not words:
        return None
    return current_translations(programme.id, language).subquery("translated")


def search_words(query: str) -> list[str]:
    """The words a search looks for; ``InvalidInput`` if the query is longer than a search takes."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_CHARACTERS:
        raise InvalidInput(
            "query", "search_too_long", length=len(query), max=MAX_QUERY_CHARACTERS, words=MAX_QUERY_WORDS
        )
    words = query_words(query)
    if len(words) > MAX_QUERY_WORDS:
        raise InvalidInput(
            "query", "search_too_many_words", count=len(words), max=MAX_QUERY_WORDS, characters=MAX_QUERY_CHARACTERS
        )
    return words


def _filtered(
    stmt: Select, words: list[str], area: int | None, goal: str | None, statuses: tuple[str, ...], translated=None
) -> Select:
    """``stmt`` (pledges joined with their area and goal) narrowed to the search words and filters; with
    ``translated`` (current translations, see ``_translated``), a word is found in the German or the translation."""
    if translated is not None:
        stmt = stmt.outerjoin(translated, translated.c.pledge_id == Pledge.id)
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found = Pledge.search_text.like(f"%{escaped}%", escape="\\")
        if translated is not None:
            found = or_(found, translated.c.search_text.like(f"%{escaped}%", escape="\\"))
        stmt = stmt.where(found)
    if area is not None:
        stmt = stmt.where(Area.number == area)
    if goal:
        stmt = stmt.where(Goal.code == goal)
    if statuses:
        stmt = stmt.where(Pledge.current_status.in_(statuses))
    return stmt


def _source(evidence: Evidence, names: dict[str, str]) -> SourceView:
    return SourceView(
        evidence.url,
        evidence.title,
        evidence.kind,
        evidence.published_on,
        names.get(evidence.added_by, evidence.added_by),
        clock.as_utc(evidence.added_at),
    )


def pledge_view(programme: str | None, code: str) -> PledgeView:
    """Everything the pledge's public page shows; ``NotFound`` with close codes for an unknown code."""
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        return _pledge_view(session, prog, find_pledge(session, prog, code))


def suggest_codes(programme: str | None, code: str) -> list[str]:
    """Existing codes close to ``code`` (for a page that says "not found")."""
    with unit_of_work() as session:
        return close_codes(session, find_programme(session, programme), code)


def _pledge_view(session: Session, programme: Programme, pledge: Pledge) -> PledgeView:
    area, goal = pledge.area, pledge.goal
    names = public_names(session)
    sequences = {c.id: c.sequence for c in pledge.changes}
    history = tuple(
        ChangeView(
            c.sequence,
            c.status,
            c.effective_date,
            c.rationale,
            names.get(c.author, c.author),
            clock.as_utc(c.recorded_at),
            sequences.get(c.corrects_id) if c.corrects_id else None,
            tuple(_source(s, names) for s in c.sources),
            c.broken_reason,
            c.broken_reason_text,
            names.get(c.reviewed_by, c.reviewed_by) if c.reviewed_by else None,
            clock.as_utc(c.reviewed_at) if c.reviewed_at else None,
        )
        for c in pledge.history()
    )
    loose = session.scalars(
        select(Evidence)
        .where(Evidence.pledge_id == pledge.id, Evidence.status_change_id.is_(None))
        .order_by(Evidence.published_on.desc(), Evidence.id.desc())
    )
    siblings_stmt = _rows_query(programme).where(Pledge.id != pledge.id).order_by(Pledge.position)
    if goal is not None:
        siblings_stmt = siblings_stmt.where(Pledge.goal_id == goal.id)
    else:
        siblings_stmt = siblings_stmt.where(Pledge.area_id == area.id, Pledge.goal_id.is_(None))
    return PledgeView(
        code=pledge.code,
        text=pledge.text,
        success_criterion=pledge.success_criterion,
        retired_on=pledge.retired_on,
        status=pledge.current_status,
        status_date=pledge.status_date,
        version=pledge.version,
        area_number=area.number,
        area_title=area.title,
        area_short_title=area.short_title,
        why_important=area.why_important,
        focus=area.focus,
        goal_code=goal.code if goal else None,
        goal_number=goal.number if goal else None,
        goal_title=goal.title if goal else None,
        objective=goal.objective if goal else None,
        group=goal.group_title if goal else None,
        history=history,
        evidence=tuple(_source(e, names) for e in loose),
        siblings=_rows(session, programme, siblings_stmt),
        translations=translations_by_pledge(session, programme.id, [pledge.id]).get(pledge.id, {}),
        deadline=pledge.deadline,
        checkable=pledge.checkable,
        checkability_reason=flag.reason if (flag := public_flag(session, pledge.id)) else None,
    )


def overview(programme: str | None, as_of: dt.date | None = None, recent: int = 8) -> Overview:
    """Figures per status, per area, the latest changes and the last update: now, or as of a past day."""
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        areas = count_by_area(session, prog, as_of)
        return Overview(
            counts=totals_from_areas(areas),
            areas=tuple(areas),
            recent=tuple(_recent_changes(session, prog, recent, as_of)),
            last_update=last_published(session, prog),
            figures=credibility_figures(session, prog, clock.today()) if as_of is None else None,
            not_checkable=not_checkable_by_area(session, prog),
        )


def _recent_changes(session: Session, programme: Programme, limit: int, as_of: dt.date | None) -> list[RecentChange]:
    """The status changes made public last (``published_at``); with ``as_of``, the latest effective by that day."""
    stmt = (
        select(
            Pledge.code,
            Pledge.text,
            Area.short_title,
            StatusChange.status,
            StatusChange.effective_date,
            StatusChange.author,
            StatusChange.recorded_at,
        )
        .join(Pledge, Pledge.id == StatusChange.pledge_id)
        .join(Area, Area.id == Pledge.area_id)
        .where(StatusChange.programme_id == programme.id, is_public(StatusChange))
        .limit(limit)
    )
    if as_of is None:  # what became public last: a change approved today comes first, however old its proposal
        stmt = stmt.order_by(published_at(StatusChange).desc(), StatusChange.id.desc())
    else:  # what had happened last by that day (served by the index on programme and effective date)
        stmt = stmt.where(StatusChange.effective_date <= as_of).order_by(
            StatusChange.effective_date.desc(), StatusChange.id.desc()
        )
    names = public_names(session)
    return [RecentChange(*row[:5], names.get(row[5], row[5]), clock.as_utc(row[6])) for row in session.execute(stmt)]


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_period_end(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day + dt.timedelta(days=(6 - day.weekday()) or 7)
    end = _month_end(day)
    return end if end != day else _month_end(day + dt.timedelta(days=1))


def period_ends(start: dt.date, end: dt.date, period: str = "month") -> list[dt.date]:
    """The start day, then the last day of every week (Sunday) or month before ``end``, then ``end``."""
    if period not in ("week", "month"):
        raise ValueError("period must be 'week' or 'month'")
    days = [start]
    day = _next_period_end(start, period)
    while day < end:
        days.append(day)
        day = _next_period_end(day, period)
    if days[-1] != end:
        days.append(end)
    return days


def status_timeline(
    programme: str | None, until: dt.date | None = None, period: str = "month"
) -> list[tuple[dt.date, str, int]]:
    """Pledges per status at the end of every week or month since the election, from the history."""
    until = until or clock.today()
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        days = period_ends(prog.election_date, max(until, prog.election_date), period)
        counts = status_counts_on(session, prog, days)
    return [(day, status, counts[day][status]) for day in days for status in STATUS_KEYS]


def area_options(programme: str | None) -> list[Option]:
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        rows = session.execute(
            select(Area.number, Area.short_title).where(Area.programme_id == prog.id).order_by(Area.number)
        ).all()
    return [Option(str(number), f"{number}. {title}") for number, title in rows]


def goal_options(programme: str | None, area: int | None = None, limit: int = 300) -> list[Option]:
    """The goals of an area, or of the whole programme while it has at most ``limit`` of them.

    A long list is never sent to the browser: with more goals, the choice needs an area first.
    """
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        stmt = (
            select(Goal.code, Goal.number, Goal.title)
            .join(Area, Area.id == Goal.area_id)
            .where(Goal.programme_id == prog.id)
            .order_by(Area.number, Goal.position)
        )
        if area is not None:
            stmt = stmt.where(Area.number == area)
        rows = session.execute(stmt.limit(limit + 1)).all()
    return [] if len(rows) > limit else [Option(code, f"{number} {title}") for code, number, title in rows]
