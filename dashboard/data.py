"""The dashboard's reads: cached calls into ``tracker.services``.

Read results are cached for ``TTL`` (``TRACKER_CACHE_TTL`` seconds, default 60) per programme, so
that a page with many visitors asks the database once per TTL at most; a write through this process
calls ``invalidate`` so that the next rerun shows it at once. Other replicas see it within ``TTL``
(docs/deploy.md).

Each reader keeps at most ``MAX_ENTRIES`` results (the least recently used go first): without a bound,
every distinct search a visitor typed stayed in memory until its TTL ran out, and 40 searches took the
process from 236 MB to 525 MB.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from tracker import services


def ttl_from_env() -> dt.timedelta:
    """``TRACKER_CACHE_TTL`` in seconds (0 turns caching off); anything but a number >= 0 means the default."""
    default = dt.timedelta(seconds=float(services.settings.default("TRACKER_CACHE_TTL")))
    try:
        ttl = dt.timedelta(seconds=float(services.settings.get("TRACKER_CACHE_TTL")))
    except (ValueError, OverflowError):  # not a number, NaN, or too large
        return default
    return ttl if ttl >= dt.timedelta(0) else default


TTL = ttl_from_env()  # read once, when the app process starts
MAX_ENTRIES = 32  # results kept per reader (per function), whatever their arguments


def invalidate() -> None:
    """Forget every cached read (call after a write in this process)."""
    st.cache_data.clear()


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def schema_ready() -> bool:
    """Whether the database has the schema this code expects (checked once per TTL)."""
    return services.schema_is_current()


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def programmes() -> list[services.ProgrammeInfo]:
    return services.list_programmes()


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def default_programme() -> services.ProgrammeInfo:
    return services.default_programme()


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def overview(slug: str, as_of: dt.date | None = None) -> services.Overview:
    return services.overview(slug, as_of)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def area_counts(slug: str, as_of: dt.date | None = None) -> pd.DataFrame:
    """The overview's counts per area as a table: area_number, area_short_title, status, count."""
    return pd.DataFrame(
        [(r.area_number, r.short_title, r.status, r.count) for r in overview(slug, as_of).areas],
        columns=["area_number", "area_short_title", "status", "count"],
    )


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def timeline(slug: str, period: str, until: dt.date) -> pd.DataFrame:
    return pd.DataFrame(services.status_timeline(slug, until, period), columns=["date", "status", "count"])


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def search(
    slug: str, query: str, area: int | None, goal: str | None, statuses: tuple[str, ...], limit: int, offset: int
) -> services.SearchResult:
    return services.search_pledges(slug, query, area, goal, statuses, limit, offset)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def pledge(slug: str, code: str) -> services.PledgeView:
    return services.pledge_view(slug, code)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def close_codes(slug: str, code: str) -> list[str]:
    return services.suggest_codes(slug, code)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def area_options(slug: str) -> list[services.Option]:
    return services.area_options(slug)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def goal_options(slug: str, area: int | None) -> list[services.Option]:
    return services.goal_options(slug, area)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def export(slug: str, fmt: str) -> str:
    return services.export_json(slug) if fmt == "json" else services.export_csv(slug)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def export_for_spreadsheets(slug: str, fmt: str) -> bytes:
    """The table for spreadsheets: ``xlsx``, or ``csv`` for German Excel (semicolons, byte order mark)."""
    return services.export_xlsx(slug) if fmt == "xlsx" else services.export_excel_csv(slug)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def review_on() -> bool:
    """Whether review by a second person is on now (what the method page says)."""
    return services.review_mode_now().on
