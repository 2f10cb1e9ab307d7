"""Translations: every user-facing string goes through ``_`` (gettext with Babel catalogues).

The app speaks German by default, or the language the browser prefers among those it speaks (German, English,
Turkish, Arabic, Ukrainian); ``?lang=en`` in the URL and the language switch choose one. Message ids are
English; each ``locale/<language>`` translates them, ``locale/en`` is complete too (so a missing entry shows
up in the tests, not as a silent English fallback).
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import streamlit as st

from tracker.catalogues import compile_catalogue, language_names, machine_translated

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "dashboard"
LANGUAGES = {"de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية", "uk": "Українська"}
DEFAULT_LANGUAGE = "de"
LANG_KEY = "lang"


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (compiled in memory from the .po file, once per process)."""
    return compile_catalogue(catalogue_path(language), language)


# The language of a request served outside a Streamlit run (the sign-in page of ``dashboard.server``).
_request_language: ContextVar[str | None] = ContextVar("request_language", default=None)


def language_of(chosen: str | None) -> str:
    """``chosen`` if the app speaks it, else German."""
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


@contextmanager
def speaking(language: str) -> Iterator[str]:
    """Word everything inside in ``language``, outside a Streamlit run (``_`` then ignores the session)."""
    token = _request_language.set(language_of(language))
    try:
        yield _request_language.get()
    finally:
        _request_language.reset(token)


def browser_language() -> str | None:
    """The language the reader's browser prefers (``st.context.locale``, e.g. "tr-TR"), if the app speaks it."""
    tag = st.context.locale
    primary = tag.replace("_", "-").split("-")[0].casefold() if tag else None
    return primary if primary in LANGUAGES else None


def unnamed_language() -> str:
    """The language of an address without ``?lang=``: the browser's preference, else German. Only another
    language is written into the addresses (so that a reload or a link opened in a new tab keeps it)."""
    return browser_language() or DEFAULT_LANGUAGE


def preferred_language() -> str:
    """The language a session starts in: ``?lang=``, else ``unnamed_language``."""
    asked = st.query_params.get(LANG_KEY)
    return asked if asked in LANGUAGES else unnamed_language()


def current_language() -> str:
    """The language chosen by the switch, else the one the session starts in (``preferred_language``)."""
    forced = _request_language.get()
    if forced is not None:
        return forced
    chosen = st.session_state.get(LANG_KEY)
    return chosen if chosen in LANGUAGES else preferred_language()


def machine_translated_languages() -> str:
    """The names of the languages whose catalogue a machine made, in the reader's language ("" if none)."""
    machine = [code for code in LANGUAGES if machine_translated(translations(code))]
    return language_names(machine, current_language()) if machine else ""


def _(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def format_date(value, style: str = "medium") -> str:
    """A date the way the reader's language writes it (15.01.2026 / Jan 15, 2026)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=style, locale=current_language())


def date_column_format() -> str:
    """The reader's language's short numeric date as a table's date column writes it (moment.js tokens, with
    the full year): "DD.MM.YYYY", "M/D/YYYY", "D.MM.YYYY" ... (Streamlit's own default is ISO, 2026-01-15)."""
    import re

    from babel.dates import get_date_format

    pattern = get_date_format("short", locale=current_language()).pattern
    tokens = {"d": "D", "dd": "DD", "M": "M", "MM": "MM"}
    return re.sub(r"d+|M+|y+", lambda m: "YYYY" if m[0][0] == "y" else tokens[m[0]], pattern)


def local_time(value: dt.datetime) -> dt.datetime:
    """A moment in the tracker's local time (``services.LOCAL_TIMEZONE``, Europe/Berlin); naive means UTC."""
    from zoneinfo import ZoneInfo

    from tracker.services import LOCAL_TIMEZONE

    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(LOCAL_TIMEZONE))


def format_datetime(value: dt.datetime, style: str = "short") -> str:
    """A moment in the programme's local time (Europe/Berlin), the way the reader's language writes it:
    "25.11.26, 17:04" / "11/25/26, 5:04 PM"; ``style="medium"`` with the full year and seconds."""
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(local_time(value), format=style, locale=current_language())


def format_percent(value: float) -> str:
    from babel.numbers import format_percent as babel_format_percent

    return babel_format_percent(value, format="#,##0.0 %", locale=current_language())
