"""Validation of what a person hands to the tracker: every text field, a status change and its sources.

One rule for the characters of every text that comes in (``check_characters``, after
``tracker.textfiles.unsafe_character``): the forms, the CLI, the status import, the programme import, restore
and account names all refuse a NUL, control characters and bytes that are not UTF-8; one-line fields
(titles, names, URLs, the author) also line breaks, tabs and bidirectional overrides. ``check_text`` adds the
surrounding spaces removed (and in texts of several lines, CR LF and CR made LF), "must not be empty" and the
field's length.

Web addresses are normalised on input: the scheme is written in lower case (``HTTP://EXAMPLE.ORG/x`` is
stored as ``http://EXAMPLE.ORG/x``), because the database and the export format accept ``http://`` and
``https://`` only in lower case. The rest of the address is kept as given: the host is case-insensitive for
every browser anyway, and the path may not be.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tracker.services.errors import InvalidInput
from tracker.statuses import (
    BROKEN_REASON_LABELS,
    SOURCE_KIND_LABELS,
    STATUS_LABELS,
    BrokenReason,
    Status,
    accepted_names,
    broken_reason_key,
    source_kind_key,
    status_key,
)
from tracker.textfiles import BIDI, CONTROL, LINE_BREAK, NOT_UTF8, NUL, shortened, unsafe_character

MAX_RATIONALE = 5000
MAX_TITLE = 500
MAX_URL = 2000
MAX_REASON_TEXT = 1000  # the text of a broken pledge's reason "other"
MAX_AUTHOR = 200  # the public signature of a change or a source (StatusChange.author, Evidence.added_by)

_CODES = {
    NUL: "nul",
    CONTROL: "control_character",
    LINE_BREAK: "one_line",
    BIDI: "bidi_control",
    NOT_UTF8: "not_utf8_text",
}
_CR = re.compile(r"\r\n?")


def shown(value: object) -> str:
    """A refused value as a message repeats it: shortened when long."""
    return shortened(value)


def check_characters(value: str, field_name: str, *, multiline: bool = False, index: int | None = None) -> str:
    """``value`` unchanged, or ``InvalidInput`` naming the field, the first character it may not hold and
    where (see ``tracker.textfiles.unsafe_character``); ``multiline`` for texts of several lines."""
    unsafe = unsafe_character(value, multiline=multiline)
    if unsafe is not None:
        raise InvalidInput(
            field_name, _CODES[unsafe.kind], index=index, char=unsafe.codepoint, position=unsafe.position
        )
    return value


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
    broken_reason: str | None = None  # with status "broken": a BrokenReason key or label (required)
    broken_reason_text: str | None = None  # with the reason "other": what the reason was (required)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GERMAN_DATE = re.compile(r"(?P<day>[0-9]{1,2})\.(?P<month>[0-9]{1,2})\.(?P<year>[0-9]{4})")


def parse_date(value: str, field_name: str) -> dt.date:
    """A date written as YYYY-MM-DD (ISO 8601), or a clear error naming the field."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field_name, "not_date", value=shown(value)) from None


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
    raise InvalidInput(field_name, "not_sheet_date", value=shown(value))


def check_status(value: str, field_name: str = "status") -> str:
    """A status key, from the key or its German or English label in any case."""
    key = status_key(value)
    if key is None:
        raise InvalidInput(field_name, "unknown_status", value=shown(value), accepted=accepted_names(STATUS_LABELS))
    return key


def check_broken_reason(status: str | None, reason: str | None, text: str | None) -> tuple[str | None, str | None]:
    """The reason key and its text for a change to ``status``: ``broken`` requires a reason (``other`` also a
    text); any other status takes none. ``InvalidInput`` names the field and what it accepts."""
    given = (reason or "").strip()
    if status != Status.BROKEN:
        if given or (text or "").strip():
            raise InvalidInput("broken_reason", "reason_only_broken", value=shown(given or text))
        return None, None
    accepted = accepted_names(BROKEN_REASON_LABELS)
    if not given:
        raise InvalidInput("broken_reason", "reason_required", accepted=accepted)
    key = broken_reason_key(given)
    if key is None:
        raise InvalidInput("broken_reason", "unknown_reason", value=shown(given), accepted=accepted)
    if key != BrokenReason.OTHER:
        if (text or "").strip():  # a text goes with "other" only: said, not silently dropped
            raise InvalidInput("broken_reason_text", "reason_text_only_other", value=shown(text))
        return key, None
    return key, check_text(text, "broken_reason_text", MAX_REASON_TEXT, multiline=True)


def check_text(
    value: str | None, field_name: str, max_length: int, index: int | None = None, *, multiline: bool = False
) -> str:
    """The text without surrounding spaces (with ``multiline``: line breaks made ``\\n``), or ``InvalidInput``
    when it is empty, longer than ``max_length`` or holds a character the field may not hold."""
    text = value or ""
    if multiline:
        text = _CR.sub("\n", text)
    text = text.strip()
    if not text:
        raise InvalidInput(field_name, "empty", index=index)
    if len(text) > max_length:
        raise InvalidInput(field_name, "too_long", index=index, length=len(text), max=max_length)
    return check_characters(text, field_name, multiline=multiline, index=index)


def check_url(value: str, index: int | None = None, field_name: str = "source.url") -> str:
    """An http(s) address with its scheme in lower case (the rest as given), or ``InvalidInput``."""
    url = (value or "").strip()
    if len(url) > MAX_URL:
        raise InvalidInput(field_name, "too_long", index=index, length=len(url), max=MAX_URL)
    check_characters(url, field_name, index=index)
    try:
        parsed = urlsplit(url)
    except ValueError:  # e.g. "http://[::1": a bracket that does not close
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in url):
        raise InvalidInput(field_name, "not_url", index=index, value=shown(value))
    return normalise_scheme(url)


def check_web_address(value: str, field_name: str) -> str:
    """An http(s) address given for ``field_name`` (e.g. where an edition is served), checked as a source's."""
    return check_url(value, field_name=field_name)


def normalise_scheme(url: str) -> str:
    """``url`` with an http or https scheme in lower case (``HTTP://EXAMPLE.ORG/x`` -> ``http://EXAMPLE.ORG/x``);
    any other text unchanged."""
    scheme, colon, rest = url.partition(":")
    return f"{scheme.lower()}:{rest}" if colon and scheme.lower() in ("http", "https") else url


def check_author(signature: str) -> str:
    """The name that signs a change or a source publicly, as the database holds it."""
    return check_text(signature, "author", MAX_AUTHOR)


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
            raise InvalidInput("source.kind", "unknown_kind", index=index, value=shown(source.kind), accepted=accepted)
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

    def check(self, check, *args, **kwargs):
        """``check(*args, **kwargs)``, or None when it raises ``InvalidInput`` (which is collected)."""
        try:
            return check(*args, **kwargs)
        except InvalidInput as error:
            self.found.append(error)
            return None


def check_effective_date(value: dt.date, election_date: dt.date, today: dt.date) -> dt.date:
    if value > today:
        raise InvalidInput("date", "date_in_future", value=value, first=election_date, last=today)
    if value < election_date:
        raise InvalidInput("date", "date_before_election", value=value, first=election_date, last=today)
    return value
