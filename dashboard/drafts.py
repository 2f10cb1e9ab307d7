"""Half-filled forms that survive a language switch and a visit to another page in the same tab.

Streamlit forgets a widget's value as soon as a run does not draw the widget (another page was opened),
and a form's unsent values live only in the browser. A ``Draft`` keeps each field's value under a
session-state key of its own (``draft:<name>``), which Streamlit never clears, and gives it back to the
widget when the widget is drawn again. A field's callback stores the value before the next run starts,
so a value typed just before a click on another page's link is kept even though that run never draws
the form.

Widget keys name the language, so a switch draws new widgets from the draft's values (see ``key``).
After a successful save, ``clear`` starts a new generation of widget keys: the form is drawn empty, and
a second click on the old save button (sent before the page had redrawn) names a button that no longer
exists, so it cannot save the same thing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.i18n import current_language


class Draft:
    """The values of one form, e.g. ``Draft("rating:8.2-4")``."""

    def __init__(self, name: str):
        self.name = name
        self._state: dict[str, Any] = st.session_state.setdefault(f"draft:{name}", {"generation": 0, "values": {}})

    @property
    def generation(self) -> int:
        return self._state["generation"]

    def key(self, field: str) -> str:
        """The widget key of ``field`` in this generation of the form and this language (buttons take one too).

        The language is part of it because Streamlit sends a choice back to the server as the text it showed:
        after a switch, a selectbox would hand back "In Arbeit" as its value, no longer the key "in_progress".
        A new widget per language starts from the draft's value instead.
        """
        return f"draft:{self.name}:{current_language()}:{self.generation}:{field}"

    def get(self, field: str, default: Any = None) -> Any:
        return self._state["values"].get(field, default)

    def fields(self, prefix: str) -> dict[str, Any]:
        """The values of the fields whose names start with ``prefix`` (drawn in this run or not)."""
        return {field: value for field, value in self._state["values"].items() if field.startswith(prefix)}

    def set(self, field: str, value: Any) -> None:
        """Change a value (from a callback, before the widget is drawn): the draft's and the widget's."""
        self._state["values"][field] = value
        if self.key(field) in st.session_state:
            st.session_state[self.key(field)] = value

    def field(self, widget: Callable[..., Any], field: str, default: Any = None, **kwargs: Any) -> Any:
        """Draw ``widget`` (``st.text_input``, ``st.selectbox`` ...) for ``field``, holding the draft's value.

        Give no ``value``/``index``: the value comes from the draft, else from ``default``.
        """
        key = self.key(field)
        if key not in st.session_state:
            st.session_state[key] = self.get(field, default)
        value = widget(key=key, on_change=self._keep, args=(field, key), **kwargs)
        self._state["values"][field] = value
        return value

    def _keep(self, field: str, key: str) -> None:
        self._state["values"][field] = st.session_state[key]

    def clear(self) -> None:
        """Forget every value and draw the form afresh, with new widget keys."""
        self._state["generation"] += 1
        self._state["values"] = {}
