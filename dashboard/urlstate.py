"""Widgets whose value lives in the URL, so that a filtered view can be shared as a link.

Streamlit's own ``bind="query-params"`` writes a widget's *formatted* label into the URL when it has
a ``format_func``; these helpers keep the stable keys there instead (``?area=8&status=kept``) and
put a value back into the URL after a page switch dropped it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


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
