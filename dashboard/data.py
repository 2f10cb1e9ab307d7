"""The dashboard's only way to the data: cached calls into ``tracker.services``.

Read results are cached for ``TTL`` (``TRACKER_CACHE_TTL`` seconds, default 60) per database and
programme, so that a page with many visitors asks the database once per TTL at most; a write
through this process calls ``invalidate`` so that the next rerun shows it at once. Other replicas
see it within ``TTL`` (docs/deploy.md).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from tracker import db, services
from tracker.services import browse
from tracker.services.statistics import totals_from_areas

DEFAULT_TTL_SECONDS = 60


def ttl_from_env() -> dt.timedelta:
    """``TRACKER_CACHE_TTL`` in seconds (0 turns caching off); anything but a number >= 0 means the default."""
    default = dt.timedelta(seconds=DEFAULT_TTL_SECONDS)
    try:
        ttl = dt.timedelta(seconds=float(os.environ.get("TRACKER_CACHE_TTL", DEFAULT_TTL_SECONDS)))
    except (ValueError, OverflowError):  # not a number, NaN, or too large
        return default
    return ttl if ttl >= dt.timedelta(0) else default


TTL = ttl_from_env()  # read once, when the app process starts


@dataclass(frozen=True)
class ProgrammeInfo:
    slug: str
    title: str
    party: str
    municipality: str
    election_date: dt.date
    term_start: dt.date
    term_end: dt.date
    is_demo: bool


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    areas: pd.DataFrame  # area_number, area_title, status, count
    recent: list[browse.RecentChange]
    last_update: dt.datetime | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def database_url() -> str:
    return db.database_url()


def invalidate() -> None:
    """Forget every cached read (call after a write in this process)."""
    st.cache_data.clear()


def _programme(session, slug: str | None):
    return services.get_programme(session, slug)


@st.cache_data(ttl=TTL, show_spinner=False)
def schema_ready(url: str) -> bool:
    """Whether the database has the schema this code expects (checked once per TTL)."""
    return db.schema_is_current(db.get_engine(url))


@st.cache_data(ttl=TTL, show_spinner=False)
def programmes(url: str) -> list[ProgrammeInfo]:
    with db.session_scope(db.get_engine(url)) as session:
        return [
            ProgrammeInfo(
                p.slug, p.title, p.party, p.municipality, p.election_date, p.term_start, p.term_end, p.is_demo
            )
            for p in services.list_programmes(session)
        ]


@st.cache_data(ttl=TTL, show_spinner=False)
def overview(url: str, slug: str, as_of: dt.date | None = None) -> Overview:
    with db.session_scope(db.get_engine(url)) as session:
        programme = _programme(session, slug)
        rows = services.area_status_counts(session, programme, as_of)
        areas = pd.DataFrame(
            [(r.area_number, r.short_title, r.status, r.count) for r in rows],
            columns=["area_number", "area_title", "status", "count"],
        )
        last = services.last_update(session, programme)
        return Overview(
            counts=totals_from_areas(rows),
            areas=areas,
            recent=browse.recent_changes(session, programme, limit=8, as_of=as_of),
            last_update=last,
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def timeline(url: str, slug: str, period: str, until: dt.date) -> pd.DataFrame:
    with db.session_scope(db.get_engine(url)) as session:
        rows = browse.status_timeline(session, _programme(session, slug), until, period)
    return pd.DataFrame(rows, columns=["date", "status", "count"])


@st.cache_data(ttl=TTL, show_spinner=False)
def search(
    url: str,
    slug: str,
    query: str,
    area: int | None,
    goal: str | None,
    statuses: tuple[str, ...],
    limit: int,
    offset: int,
) -> browse.SearchResult:
    with db.session_scope(db.get_engine(url)) as session:
        return browse.search_pledges(session, _programme(session, slug), query, area, goal, statuses, limit, offset)


@st.cache_data(ttl=TTL, show_spinner=False)
def pledge(url: str, slug: str, code: str) -> browse.PledgeView:
    with db.session_scope(db.get_engine(url)) as session:
        return browse.pledge_view(session, _programme(session, slug), code)


@st.cache_data(ttl=TTL, show_spinner=False)
def close_codes(url: str, slug: str, code: str) -> list[str]:
    with db.session_scope(db.get_engine(url)) as session:
        return services.suggest_codes(session, _programme(session, slug), code)


@st.cache_data(ttl=TTL, show_spinner=False)
def area_options(url: str, slug: str) -> list[browse.Option]:
    with db.session_scope(db.get_engine(url)) as session:
        return browse.area_options(session, _programme(session, slug))


@st.cache_data(ttl=TTL, show_spinner=False)
def goal_options(url: str, slug: str, area: int | None) -> list[browse.Option]:
    with db.session_scope(db.get_engine(url)) as session:
        return browse.goal_options(session, _programme(session, slug), area)


@st.cache_data(ttl=TTL, show_spinner=False)
def export(url: str, slug: str, fmt: str) -> str:
    with db.session_scope(db.get_engine(url)) as session:
        programme = _programme(session, slug)
        return services.export_json(session, programme) if fmt == "json" else services.export_csv(session, programme)
