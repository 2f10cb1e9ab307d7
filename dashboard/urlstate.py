"""Widgets whose value lives in the URL, so that a filtered view can be shared as a link, and the parsers
that read every URL parameter before it reaches a query.

Streamlit's own ``bind="query-params"`` writes a widget's *formatted* label into the URL when it has
a ``format_func``; these helpers keep the stable keys there instead (``?area=8&status=kept``) and
put a value back into the URL after a page switch dropped it.

An address can hold anything: a NUL byte, "²" where a page number belongs, a megabyte of text. Each kind
of parameter has one parser here (a code, a programme, a page number, a date, one of some choices, the
search words), which returns a valid value or None; nothing else reaches the database.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

MAX_CODE_LENGTH = 40  # characters of a measure code (the longest of the Herne programme has 7)
MAX_SLUG_LENGTH = 100  # characters of a programme's slug (as the programme's metadata allows)
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")  # ASCII digits only: int() would also take "²" or "١"


def _write(key: str, value: Any, default: Any) -> None:
    if value in (None, "", []) or value == default:
        if key in st.query_params:
            del st.query_params[key]
        return
    wanted = [str(v) for v in value] if isinstance(value, list) else str(value)
    current = st.query_params.get_all(key) if isinstance(value, list) else st.query_params.get(key)
    if current != wanted:
        st.query_params[key] = wanted


def url_widget(
    widget: Callable[..., Any],
    key: str,
    *,
    default: Any = None,
    parse: Callable[[Any], Any] | None = None,
    multi: bool = False,
    **kwargs: Any,
) -> Any:
    """Render ``widget`` with its value read from ``?key=`` on first use and written back on change.

    ``parse`` turns the URL text (a list of texts when ``multi``) into a valid value, or returns
    ``default`` when the text is not one.
    """
    if key not in st.session_state:
        raw = st.query_params.get_all(key) if multi else st.query_params.get(key)
        st.session_state[key] = parse(raw) if parse and raw not in (None, []) else default
    value = widget(key=key, on_change=lambda: _write(key, st.session_state[key], default), **kwargs)
    _write(key, value, default)
    return value


def one_of(options: Sequence[Any], default: Any = None) -> Callable[[str], Any]:
    """A parser accepting one of ``options`` (compared as text)."""
    by_text = {str(o): o for o in options}
    return lambda raw: by_text.get(raw, default)


def some_of(options: Sequence[Any]) -> Callable[[list[str]], list[Any]]:
    """A parser keeping those URL values that are among ``options``, in the options' order."""
    return lambda raw: [o for o in options if str(o) in set(raw)]


def iso_date(first: dt.date, last: dt.date) -> Callable[[str], dt.date | None]:
    """A parser accepting YYYY-MM-DD between ``first`` and ``last``."""

    def parse(raw: str) -> dt.date | None:
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            return None
        return value if first <= value <= last else None

    return parse


def name_like(raw: str | None, limit: int) -> str | None:
    """``raw`` stripped, if it could name something: not empty, at most ``limit`` characters, and no control,
    format or unassigned character (NUL, escapes, direction overrides, zero-width marks); else None."""
    text = (raw or "").strip()
    if not text or len(text) > limit or any(unicodedata.category(ch).startswith("C") for ch in text):
        return None
    return text


def pledge_code(raw: str | None) -> str | None:
    """A measure's code as an address gives it (``?pledge=8.2-4``); None if no code looks like that."""
    return name_like(raw, MAX_CODE_LENGTH)


def programme_slug(raw: str | None) -> str | None:
    """A programme's slug as an address gives it (``?programme=``, ``/feeds/<slug>/...``); None if no slug looks
    like that."""
    return name_like(raw, MAX_SLUG_LENGTH)


def page_number(raw: str | None, pages: int) -> int:
    """A page number from 1 to ``pages``; 1 for anything that is not a number written in ASCII digits."""
    if raw is None or not _PAGE_NUMBER.fullmatch(raw):
        return 1
    return min(max(int(raw), 1), pages)


def search_query(raw: str | None) -> str:
    """Search words as an address gives them (``?q=``): control characters become spaces. How many
    characters and words a search takes is the services' rule (``services.search_pledges``), which says
    so on the page."""
    return "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in raw or "")
