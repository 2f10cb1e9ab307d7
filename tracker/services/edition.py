"""The read model of the published edition: a whole programme in one unit of work, in a few queries.

``edition_data`` returns everything ``tracker.edition`` writes pages, charts and feeds from: the programme,
its areas and goals, every pledge with its full history and sources, the figures now and as of given days,
and the counts per status over time. It reads with a fixed number of queries however large the programme
(one per table, and one pass over the history for the months), so that 100,000 pledges take seconds to
read; the "as of" figures are derived from the histories read, by the same current-status rule.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import Area, Evidence, Goal, Pledge, Programme, StatusChange, precedence
from tracker.services.auth import public_names
from tracker.services.browse import ChangeView, RecentChange, SourceView, period_ends
from tracker.services.checkability import CredibilityFigures, credibility_figures
from tracker.services.errors import NotFound
from tracker.services.pledges import close_codes
from tracker.services.programmes import ProgrammeInfo, find_programme
from tracker.services.review import is_public, public_evidence, published_at, review_is_on
from tracker.services.rounds import PublishedRound, published_rounds
from tracker.services.statistics import (
    AreaCount,
    count_by_area,
    last_published,
    not_checkable_by_area,
    status_counts_on,
    totals_from_areas,
)
from tracker.services.translations import translations_by_pledge
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import STATUS_KEYS


@dataclass(frozen=True)
class GoalInfo:
    code: str
    number: str
    title: str
    objective: str | None
    group: str | None


@dataclass(frozen=True)
class AreaInfo:
    number: int
    title: str
    short_title: str
    why_important: str | None
    focus: str | None
    goals: tuple[GoalInfo, ...]  # in printed order


@dataclass(frozen=True)
class EditionPledge:
    code: str
    area_number: int
    goal_code: str | None
    text: str
    success_criterion: str | None
    retired_on: dt.date | None
    status: str
    status_date: dt.date | None
    history: tuple[ChangeView, ...]  # the change that counts first (newest effective date, then latest recorded)
    evidence: tuple[SourceView, ...]  # sources added without a status change, newest first
    # The current translations of the text (``{language: text}``; the German text stays ``text``).
    translations: dict[str, str] = field(default_factory=dict)
    checkable: bool = True  # False: flagged "not checkable", listed but counted apart (``statistics.counted``)

    @property
    def counted(self) -> bool:
        """Whether the figures count this measure: ``statistics.counted`` for a measure already read."""
        return self.retired_on is None and self.checkable

    def text_in(self, language: str) -> str:
        """The text a reader of ``language`` sees first: its translation where there is one, else the German."""
        return self.translations.get(language, self.text)

    @property
    def last_published(self) -> dt.datetime | None:
        return max((c.published_at for c in self.history), default=None)


@dataclass(frozen=True)
class Snapshot:
    """The overview's figures as they stood at the end of ``day`` (by effective dates)."""

    day: dt.date
    counts: dict[str, int]
    areas: tuple[AreaCount, ...]
    recent: tuple[RecentChange, ...]  # the latest changes effective by that day
    # per area number, its measures flagged "not checkable" (now: a flag has no effective date), not in the counts
    not_checkable: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class EditionData:
    programme: ProgrammeInfo
    areas: tuple[AreaInfo, ...]
    pledges: tuple[EditionPledge, ...]  # programme order; retired pledges too (they keep their page)
    counts: dict[str, int]  # pledges in the programme now, per status (retired ones not counted)
    area_counts: tuple[AreaCount, ...]
    last_update: dt.datetime | None
    timeline: tuple[tuple[dt.date, dict[str, int]], ...]  # counts at the end of each month since the election
    snapshots: tuple[Snapshot, ...]
    # checkable measures, shares over them, reasons of broken pledges, deadlines passed (as the app's overview)
    figures: CredibilityFigures | None = None
    review_on: bool = False  # whether a second person approves every rating before it is published
    rounds: tuple[PublishedRound, ...] = ()  # the closed double-rating rounds, newest first (the method page)
    # per area number, its measures flagged "not checkable": in none of the counts (areas without any left out)
    not_checkable: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def term_years(programme: ProgrammeInfo, until: dt.date) -> list[dt.date]:
    """The last day of each full year of the term that has passed by ``until``."""
    days = []
    year = 1
    while True:
        start = programme.term_start
        try:
            anniversary = start.replace(year=start.year + year)
        except ValueError:  # 29 February
            anniversary = start.replace(year=start.year + year, day=28)
        end = anniversary - dt.timedelta(days=1)
        if end >= until or end > programme.term_end:
            return days
        days.append(end)
        year += 1


def edition_data(programme: str | None, until: dt.date | None = None, recent: int = 10) -> EditionData:
    """A whole programme for publishing, with snapshots at each full term year and on ``until`` (today)."""
    until = until or clock.today()
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        info = ProgrammeInfo.of(prog)
        area_counts = count_by_area(session, prog)
        timeline_days = period_ends(prog.election_date, max(until, prog.election_date), "month")
        counts_on = status_counts_on(session, prog, timeline_days)
        areas = _areas(session, prog)
        pledges = _pledges(session, prog)
        return EditionData(
            programme=info,
            areas=areas,
            pledges=pledges,
            counts=totals_from_areas(area_counts),
            area_counts=tuple(area_counts),
            last_update=last_published(session, prog),
            timeline=tuple((day, counts_on[day]) for day in timeline_days),
            snapshots=tuple(_snapshot(day, areas, pledges, recent) for day in [*term_years(info, until), until]),
            figures=credibility_figures(session, prog, until),
            review_on=review_is_on(session),
            rounds=published_rounds(session, prog),
            not_checkable=not_checkable_by_area(session, prog),
        )


def edition_part(
    programme: str | None, *, area: int | None = None, pledge: str | None = None, latest: int | None = None
) -> EditionData:
    """What one of the edition's feeds, charts or embed pages needs, read on its own (the app's routes).

    Like ``edition_data`` with the programme, its areas and goals, the figures now and the last update,
    but without the figures over time (``timeline`` and ``snapshots`` are empty) and only some pledges:

    - ``pledge``: that measure with its full history (``NotFound`` with the closest codes when there is none);
    - ``latest``: the measures of the ``latest`` newest changes by ``recency`` (of ``area``, when given) with
      their full histories, so that the newest ``latest`` changes among them are those of the programme (or area);
    - ``area`` alone: every measure of the area, without its history (enough for the area's chart);
    - none of them: no measures.

    An ``area`` the programme does not have raises ``NotFound``. A few small queries, however large the
    programme: a large edition's feed or chart needs no read of the whole programme.
    """
    with unit_of_work() as session:
        prog = find_programme(session, programme)
        areas = _areas(session, prog)
        area_id = None
        if area is not None:
            area_id = session.scalar(select(Area.id).where(Area.programme_id == prog.id, Area.number == area))
            if area_id is None:
                known = f"{areas[0].number}–{areas[-1].number}" if areas else "none"
                raise NotFound("no_area", area=area, programme=prog.slug, known=known)
        if pledge is not None:
            only = Pledge.code == pledge.strip()
        elif latest is not None:
            only = Pledge.id.in_(_latest_pledge_ids(session, prog, area_id, latest))
        elif area_id is not None:
            only = Pledge.area_id == area_id
        else:
            only = None
        histories = pledge is not None or latest is not None
        pledges = _pledges(session, prog, only, histories) if only is not None else ()
        if pledge is not None and not pledges:
            raise NotFound("no_pledge", close_codes(session, prog, pledge), pledge=pledge, programme=prog.slug)
        area_counts = count_by_area(session, prog)
        return EditionData(
            programme=ProgrammeInfo.of(prog),
            areas=areas,
            pledges=pledges,
            counts=totals_from_areas(area_counts),
            area_counts=tuple(area_counts),
            last_update=last_published(session, prog),
            timeline=(),
            snapshots=(),
            review_on=review_is_on(session),
            not_checkable=not_checkable_by_area(session, prog),
        )


def recency(change: ChangeView, code: str) -> tuple[dt.datetime, int, str]:
    """The order of "the latest changes" (overview, feeds, corrections): made public last first (``published_at``),
    then by number and code."""
    return (change.published_at, change.sequence, code)


def _latest_pledge_ids(session: Session, programme: Programme, area_id: int | None, latest: int) -> set[int]:
    """The pledges of the ``latest`` newest changes by ``recency`` (in the area ``area_id``, when given).

    The database finds the publishing time of the ``latest``-th newest change; of the changes made public since
    (more when several share that moment, as a bulk import's do) the code and number decide, as in Python.
    """
    if latest < 1:
        return set()
    scope = [StatusChange.programme_id == programme.id, is_public(StatusChange)]
    if area_id is not None:
        scope.append(StatusChange.pledge_id.in_(select(Pledge.id).where(Pledge.area_id == area_id)))
    published = published_at(StatusChange)
    boundary = session.scalar(select(published).where(*scope).order_by(published.desc()).offset(latest - 1).limit(1))
    rows = session.execute(
        select(published, StatusChange.sequence, Pledge.code, StatusChange.pledge_id)
        .join(Pledge, Pledge.id == StatusChange.pledge_id)
        .where(*scope, *([published >= boundary] if boundary is not None else []))
    ).all()
    newest = heapq.nlargest(latest, rows, key=lambda row: (clock.as_utc(row[0]), row[1], row[2]))  # recency's order
    return {row[3] for row in newest}


def _snapshot(day: dt.date, areas: tuple[AreaInfo, ...], pledges: tuple[EditionPledge, ...], recent: int) -> Snapshot:
    """The figures at the end of ``day``, from the histories already read.

    Each pledge's status on the day is its first change in precedence order effective by then (the
    current-status rule, applied to the past); as in ``statistics``, only the ``counted`` pledges are counted
    (not retired, checkable), and those flagged "not checkable" now are counted apart.
    """
    per_area: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    not_checkable: dict[int, int] = defaultdict(int)
    for pledge in pledges:
        if pledge.counted:
            status = next((c.status for c in pledge.history if c.effective_date <= day), "not_rated")
            per_area[pledge.area_number][status] += 1
        elif pledge.retired_on is None:
            not_checkable[pledge.area_number] += 1
    rows = [
        AreaCount(area.number, area.short_title, status, per_area[area.number][status])
        for area in areas
        for status in STATUS_KEYS
        if per_area[area.number].get(status)
    ]
    titles = {area.number: area.short_title for area in areas}
    latest = heapq.nlargest(
        recent,
        (
            (change.effective_date, change.recorded_at, change.sequence, index, change)
            for index, pledge in enumerate(pledges)
            for change in pledge.history
            if change.effective_date <= day
        ),
    )
    return Snapshot(
        day,
        totals_from_areas(rows),
        tuple(rows),
        tuple(
            RecentChange(
                pledges[index].code,
                pledges[index].text,
                titles[pledges[index].area_number],
                change.status,
                change.effective_date,
                change.author,
                change.recorded_at,
            )
            for _day, _at, _seq, index, change in latest
        ),
        dict(not_checkable),
    )


def _areas(session: Session, programme: Programme) -> tuple[AreaInfo, ...]:
    goals: dict[int, list[GoalInfo]] = defaultdict(list)
    for area_id, *fields in session.execute(
        select(Goal.area_id, Goal.code, Goal.number, Goal.title, Goal.objective, Goal.group_title)
        .where(Goal.programme_id == programme.id)
        .order_by(Goal.area_id, Goal.position)
    ):
        goals[area_id].append(GoalInfo(*fields))
    rows = session.execute(
        select(Area.id, Area.number, Area.title, Area.short_title, Area.why_important, Area.focus)
        .where(Area.programme_id == programme.id)
        .order_by(Area.number)
    )
    return tuple(AreaInfo(*fields, goals=tuple(goals[area_id])) for area_id, *fields in rows)


def _pledges(
    session: Session, programme: Programme, only: ColumnElement[bool] | None = None, histories: bool = True
) -> tuple[EditionPledge, ...]:
    """Every pledge (or those matching ``only``) with its history and sources: one query per table, joined up
    in memory. Without ``histories``, no changes and sources are read (every history is empty)."""
    connection = session.connection()  # plain rows, without the ORM's result machinery
    chosen = select(Pledge.id).where(Pledge.programme_id == programme.id, only) if only is not None else None
    if not histories:
        chosen = chosen.where(false()) if chosen is not None else select(Pledge.id).where(false())
    names = public_names(session)  # authors by their public names, as on the app's pages and in exports
    sources: dict[int, list[SourceView]] = defaultdict(list)
    loose: dict[int, list[tuple]] = defaultdict(list)
    for change_id, pledge_id, evidence_id, url, title, kind, published_on, added_by, added_at in connection.execute(
        select(
            Evidence.status_change_id,
            Evidence.pledge_id,
            Evidence.id,
            Evidence.url,
            Evidence.title,
            Evidence.kind,
            Evidence.published_on,
            Evidence.added_by,
            Evidence.added_at,
        )
        .where(_scope(Evidence, programme, chosen), public_evidence())
        .order_by(Evidence.id)
    ):
        source = SourceView(url, title, kind, published_on, names.get(added_by, added_by), clock.as_utc(added_at))
        if change_id is None:
            loose[pledge_id].append((published_on or dt.date.min, evidence_id, source))
        else:
            sources[change_id].append(source)

    changes: dict[int, list[tuple]] = defaultdict(list)
    for row in connection.execute(
        select(
            StatusChange.pledge_id,
            StatusChange.id,
            StatusChange.sequence,
            StatusChange.status,
            StatusChange.effective_date,
            StatusChange.rationale,
            StatusChange.author,
            StatusChange.recorded_at,
            StatusChange.corrects_id,
            StatusChange.broken_reason,
            StatusChange.broken_reason_text,
            StatusChange.reviewed_by,
            StatusChange.reviewed_at,
        ).where(_scope(StatusChange, programme, chosen), is_public(StatusChange))
    ):
        changes[row[0]].append(row[1:])

    goal_codes = dict(session.execute(select(Goal.id, Goal.code).where(Goal.programme_id == programme.id)).all())
    area_numbers = dict(session.execute(select(Area.id, Area.number).where(Area.programme_id == programme.id)).all())
    translations = translations_by_pledge(session, programme.id)
    pledges = []
    measures = connection.execute(
        select(
            Pledge.id,
            Pledge.code,
            Pledge.area_id,
            Pledge.goal_id,
            Pledge.text,
            Pledge.success_criterion,
            Pledge.retired_on,
            Pledge.current_status,
            Pledge.status_date,
            Pledge.checkable,
        )
        .where(Pledge.programme_id == programme.id, *([only] if only is not None else []))
        .order_by(Pledge.position)
    )
    for pledge_id, code, area_id, goal_id, text, criterion, retired_on, status, status_date, checkable in measures:
        rows = changes.get(pledge_id, ())
        sequences = {change_id: sequence for change_id, sequence, *_rest in rows}
        views = [
            ChangeView(
                sequence,
                change_status,
                effective_date,
                rationale,
                names.get(author, author),
                clock.as_utc(recorded_at),
                sequences.get(corrects_id) if corrects_id else None,
                tuple(sources.get(change_id, ())),
                reason,
                reason_text,
                names.get(reviewer, reviewer) if reviewer else None,
                clock.as_utc(reviewed_at) if reviewed_at else None,
            )
            for (
                change_id,
                sequence,
                change_status,
                effective_date,
                rationale,
                author,
                recorded_at,
                corrects_id,
                reason,
                reason_text,
                reviewer,
                reviewed_at,
            ) in rows
        ]
        history = tuple(sorted(views, key=precedence, reverse=True))  # the one that counts first
        evidence = tuple(source for *_key, source in sorted(loose.get(pledge_id, ()), reverse=True))
        pledges.append(
            EditionPledge(
                code,
                area_numbers[area_id],
                goal_codes.get(goal_id) if goal_id else None,
                text,
                criterion,
                retired_on,
                status,
                status_date,
                history,
                evidence,
                translations.get(pledge_id, {}),
                bool(checkable),
            )
        )
    return tuple(pledges)


def _scope(table, programme: Programme, chosen) -> ColumnElement[bool]:
    """The rows of ``table`` (status changes or sources) of the programme, or of the ``chosen`` pledges only
    (by their pledge, so that the database looks them up by the pledge's index, not among the programme's)."""
    return table.pledge_id.in_(chosen) if chosen is not None else table.programme_id == programme.id
