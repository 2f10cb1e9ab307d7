"""The edition's own catalogues (``locale/{de,en,tr,ar,uk}/LC_MESSAGES/edition.po``) and its Jinja environments.

Message ids are English; every catalogue is complete (a test holds them to every message the
templates and this package use). Each language gets one Jinja environment with autoescaping on and
gettext installed new-style, so that ``_("... %(name)s", name=value)`` escapes ``value``.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import cache, lru_cache
from pathlib import Path

import jinja2
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.dates import get_datetime_format, get_timezone
from babel.numbers import format_decimal as babel_format_decimal
from babel.numbers import format_percent as babel_format_percent
from markupsafe import Markup

from tracker.catalogues import compile_catalogue, language_names, machine_translated
from tracker.statuses import direction

PACKAGE = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE / "locale"
TEMPLATES = PACKAGE / "templates"
DOMAIN = "edition"
LANGUAGES: dict[str, str] = {"de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية", "uk": "Українська"}
# The Open Graph locale of each language (og:locale: language_TERRITORY).
OG_LOCALES: dict[str, str] = {"de": "de_DE", "en": "en_GB", "tr": "tr_TR", "ar": "ar_AR", "uk": "uk_UA"}
LOCAL_TIMEZONE = "Europe/Berlin"


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``language`` (compiled in memory from the .po file, once per process)."""
    return compile_catalogue(catalogue_path(language), language)


@cache
def machine_translated_languages(language: str) -> str:
    """The names of the languages whose catalogue a machine made, as ``language`` lists them ("" if none)."""
    machine = [code for code in LANGUAGES if machine_translated(translations(code))]
    return language_names(machine, language) if machine else ""


def gettext_in(language: str):
    """``_`` for Python code that words something in ``language`` (feeds, chart texts)."""
    return translations(language).gettext


@lru_cache(maxsize=8192 * len(LANGUAGES))  # every day of a term in two styles, in each language
def format_date(value: dt.date, language: str, style: str = "medium") -> str:
    """A date the way the language writes it (15.01.2026 / Jan 15, 2026); the same dates recur a lot."""
    return babel_format_date(value, format=style, locale=language)


def format_datetime(value: dt.datetime, language: str) -> str:
    """A moment in the programme's local time: "25.11.26, 17:04" / "11/25/26, 5:04 PM".

    The same as Babel's short date-time, put together from its date and time parts, each cached: a large
    edition writes hundreds of thousands of moments, and Babel takes about 0.1 ms for each.
    """
    local = value.astimezone(_zone())
    return (
        _datetime_pattern(language)
        .replace("{1}", format_date(local.date(), language, "short"))
        .replace("{0}", _format_time(local.hour, local.minute, language))
    )


@cache
def _zone():
    return get_timezone(LOCAL_TIMEZONE)


@cache
def _datetime_pattern(language: str) -> str:
    return str(get_datetime_format("short", locale=language))


@cache  # at most 24 * 60 minutes in each language
def _format_time(hour: int, minute: int, language: str) -> str:
    return babel_format_time(dt.time(hour, minute), format="short", locale=language)


def format_percent(value: float, language: str) -> str:
    return babel_format_percent(value, format="#,##0.0 %", locale=language)


def format_number(value: int, language: str) -> str:
    return babel_format_decimal(value, locale=language)


def _gettext(language: str):
    """Jinja's new-style ``_`` (the message marked safe, its ``%(name)s`` values escaped into it), without the
    call through the template context, and with the message looked up once: a page calls it dozens of
    times, and a large edition has hundreds of thousands of pages."""
    catalogue = translations(language)

    @cache
    def message(text: str) -> Markup:
        return Markup(catalogue.gettext(text))

    def gettext(text: str, **values) -> Markup:
        return message(text) % values

    return gettext


def _ngettext(language: str):
    catalogue = translations(language)

    def ngettext(singular: str, plural: str, n: int, **values) -> Markup:
        values.setdefault("num", n)
        return Markup(catalogue.ngettext(singular, plural, n)) % values

    return ngettext


class _CompiledOnce(jinja2.BytecodeCache):
    """The templates' compiled code, kept in memory for every language's environment: the code is the same for
    all five (the language lives in the globals and filters), and compiling took a fifth of a second per language
    and publish."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledOnce()


@cache
def environment(language: str) -> jinja2.Environment:
    """The templates, speaking ``language``; autoescaping on for everything they render."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=_COMPILED,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.install_gettext_translations(translations(language), newstyle=True)
    env.globals.update(_=_gettext(language), gettext=_gettext(language), ngettext=_ngettext(language))
    env.globals["direction"] = direction(language)  # <html dir>: Arabic is written right to left
    env.filters["date"] = lambda value, style="medium": format_date(value, language, style)
    env.filters["datetime"] = lambda value: format_datetime(value, language)
    env.filters["percent"] = lambda value: format_percent(value, language)
    env.filters["number"] = lambda value: format_number(value, language)
    return env
