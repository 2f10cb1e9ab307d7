"""Validation of what a person hands to the tracker: a status change and its sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlparse

from tracker.services.errors import InvalidInput
from tracker.statuses import SOURCE_KINDS, STATUS_KEYS

MAX_RATIONALE = 5000
MAX_TITLE = 500
MAX_URL = 2000


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str
    kind: str = "other"
    published_on: dt.date | None = None


@dataclass(frozen=True)
class StatusChangeInput:
    status: str
    rationale: str
    sources: list[SourceInput] = field(default_factory=list)
    effective_date: dt.date | None = None  # None means today
    corrects_sequence: int | None = None  # set when this change corrects an earlier one of the same pledge


def parse_date(value: str, field_name: str) -> dt.date:
    """A date written as YYYY-MM-DD (ISO 8601), or a clear error naming the field."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field_name, f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-15") from None


def check_status(value: str, field_name: str = "status") -> str:
    key = value.strip().lower()
    if key not in STATUS_KEYS:
        raise InvalidInput(field_name, f"unknown status {value!r}; accepted: {', '.join(STATUS_KEYS)}")
    return key


def check_text(value: str | None, field_name: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(field_name, "must not be empty")
    if "\x00" in text:
        raise InvalidInput(field_name, "contains a NUL character; remove it and try again")
    if len(text) > max_length:
        raise InvalidInput(field_name, f"is {len(text)} characters long; at most {max_length} are accepted")
    return text


def check_url(value: str, field_name: str = "source URL") -> str:
    url = (value or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() or c == "\x00" for c in url):
        raise InvalidInput(field_name, f"{value!r} is not a web address; accepted: a full http:// or https:// URL")
    if len(url) > MAX_URL:
        raise InvalidInput(field_name, f"is longer than {MAX_URL} characters")
    return url


def check_source(source: SourceInput, index: int, today: dt.date) -> SourceInput:
    label = f"source {index}"
    kind = (source.kind or "other").strip().lower()
    if kind not in SOURCE_KINDS:
        raise InvalidInput(f"{label} kind", f"unknown kind {source.kind!r}; accepted: {', '.join(SOURCE_KINDS)}")
    if source.published_on and source.published_on > today:
        raise InvalidInput(f"{label} publication date", f"{source.published_on} lies in the future")
    return SourceInput(
        url=check_url(source.url, f"{label} URL"),
        title=check_text(source.title, f"{label} title", MAX_TITLE),
        kind=kind,
        published_on=source.published_on,
    )


def check_effective_date(value: dt.date, election_date: dt.date, today: dt.date) -> dt.date:
    if value > today:
        raise InvalidInput("date", f"{value} lies in the future; accepted: {election_date} to {today}")
    if value < election_date:
        raise InvalidInput(
            "date", f"{value} lies before the election on {election_date}; accepted: {election_date} to {today}"
        )
    return value
