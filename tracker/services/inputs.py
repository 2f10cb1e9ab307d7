"""Validation of what a person hands to the tracker: a status change and its sources."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from tracker.services.errors import InvalidInput
from tracker.statuses import SOURCE_KIND_LABELS, STATUS_LABELS, accepted_names, source_kind_key, status_key

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


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GERMAN_DATE = re.compile(r"(?P<day>[0-9]{1,2})\.(?P<month>[0-9]{1,2})\.(?P<year>[0-9]{4})")


def parse_date(value: str, field_name: str) -> dt.date:
    """A date written as YYYY-MM-DD (ISO 8601), or a clear error naming the field."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field_name, "not_date", value=value) from None


def parse_sheet_date(value: str, field_name: str) -> dt.date:
    """A date in a spreadsheet cell: YYYY-MM-DD, or DD.MM.YYYY as German spreadsheets write it (day and month
    also with one digit); a clear error naming the field otherwise."""
    text = value.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
        if german := _GERMAN_DATE.fullmatch(text):
            return dt.date(int(german["year"]), int(german["month"]), int(german["day"]))
    except ValueError:  # 31.02.2026
        pass
    raise InvalidInput(field_name, "not_sheet_date", value=value)


def check_status(value: str, field_name: str = "status") -> str:
    """A status key, from the key or its German or English label in any case."""
    key = status_key(value)
    if key is None:
        raise InvalidInput(field_name, "unknown_status", value=value, accepted=accepted_names(STATUS_LABELS))
    return key


def check_text(value: str | None, field_name: str, max_length: int, index: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(field_name, "empty", index=index)
    if "\x00" in text:
        raise InvalidInput(field_name, "nul", index=index)
    if len(text) > max_length:
        raise InvalidInput(field_name, "too_long", index=index, length=len(text), max=max_length)
    return text


def check_url(value: str, index: int | None = None) -> str:
    url = (value or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() or c == "\x00" for c in url):
        raise InvalidInput("source.url", "not_url", index=index, value=value)
    if len(url) > MAX_URL:
        raise InvalidInput("source.url", "too_long", index=index, length=len(url), max=MAX_URL)
    return url


def check_source(source: SourceInput, index: int, today: dt.date) -> SourceInput:
    """The checked source; ``InvalidInput`` for its first problem (``checked_source`` collects them all)."""
    problems = Problems()
    checked = checked_source(source, index, today, problems)
    if problems.found:
        raise problems.found[0]
    return checked


def checked_source(source: SourceInput, index: int, today: dt.date, problems: Problems) -> SourceInput:
    """The checked source, each of its fields checked on its own; every problem is added to ``problems``."""

    def kind() -> str:
        key = source_kind_key(source.kind or "other")
        if key is None:
            accepted = accepted_names(SOURCE_KIND_LABELS)
            raise InvalidInput("source.kind", "unknown_kind", index=index, value=source.kind, accepted=accepted)
        return key

    def published_on() -> dt.date | None:
        if source.published_on and source.published_on > today:
            raise InvalidInput("source.published_on", "published_in_future", index=index, value=source.published_on)
        return source.published_on

    return SourceInput(
        kind=problems.check(kind),
        published_on=problems.check(published_on),
        url=problems.check(check_url, source.url, index),
        title=problems.check(check_text, source.title, "source.title", MAX_TITLE, index),
    )


class Problems:
    """The problems of several checks, collected so that every problem of an input is reported at once."""

    def __init__(self) -> None:
        self.found: list[InvalidInput] = []

    def check(self, check, *args):
        """``check(*args)``, or None when it raises ``InvalidInput`` (which is collected)."""
        try:
            return check(*args)
        except InvalidInput as error:
            self.found.append(error)
            return None


def check_effective_date(value: dt.date, election_date: dt.date, today: dt.date) -> dt.date:
    if value > today:
        raise InvalidInput("date", "date_in_future", value=value, first=election_date, last=today)
    if value < election_date:
        raise InvalidInput("date", "date_before_election", value=value, first=election_date, last=today)
    return value
