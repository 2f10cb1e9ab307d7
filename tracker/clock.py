"""The one place that reads the clock, so that services can be given a fixed "today" in tests."""

from __future__ import annotations

import datetime as dt


def now_utc() -> dt.datetime:
    """The current time in UTC, to the second (what the tracker records and exports)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def today() -> dt.date:
    return dt.date.today()


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything the tracker stores is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


LOCAL_TIMEZONE = "Europe/Berlin"  # the tracker's local time: the audit trail's days and times


def local_date(moment: dt.datetime) -> dt.date:
    """The local day (``LOCAL_TIMEZONE``) of a moment; a naive moment is UTC."""
    from zoneinfo import ZoneInfo

    return as_utc(moment).astimezone(ZoneInfo(LOCAL_TIMEZONE)).date()


def local_day_start(day: dt.date) -> dt.datetime:
    """The moment (in UTC) a local day begins (``LOCAL_TIMEZONE``, daylight saving time included)."""
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(), ZoneInfo(LOCAL_TIMEZONE)).astimezone(dt.UTC)
