"""Half-filled forms that survive a language switch and a visit to another page in the same tab, and saves
that happen once however often the button is pressed.

Streamlit forgets a widget's value as soon as a run does not draw the widget (another page was opened),
and a form's unsent values live only in the browser. A ``Draft`` keeps each field's value under a
session-state key of its own (``draft:<name>``), which Streamlit never clears, and gives it back to the
widget when the widget is drawn again. A field's callback stores the value before the next run starts,
so a value typed just before a click on another page's link is kept even though that run never draws
the form. Widget keys name the language, so a switch draws new widgets from the draft's values (see
``key``).

After a successful save, ``finish`` starts a new generation of widget keys: the form is drawn empty, and a
second press of the old save button (sent before the page had redrawn) names a button that no longer
exists, so it cannot save the same thing twice. ``finish`` changes only the draft's own dictionary: any
access to ``st.session_state`` may end the run when a newer request (that second press) is waiting, and
a run ended between the database's commit and the form's reset would offer the saved form again.
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
        self._state: dict[str, Any] = st.session_state.setdefault(
            f"draft:{name}", {"generation": 0, "values": {}, "saved": None}
        )
        self._language = self._state["language"] = current_language()

    @property
    def generation(self) -> int:
        return self._state["generation"]

    def key(self, field: str) -> str:
        """The widget key of ``field`` in this generation of the form and this language (buttons take one too).

        The language is part of it because Streamlit sends a choice back to the server as the text it showed:
        after a switch, a selectbox would hand back "In Arbeit" as its value, no longer the key "in_progress".
        A new widget per language starts from the draft's value instead.
        """
        return f"draft:{self.name}:{self._language}:{self.generation}:{field}"

    @property
    def saved(self) -> Any:
        """What ``finish`` was given after the last save, until the person starts on the next one."""
        return self._state["saved"]

    def take_saved(self) -> Any:
        """``saved``, shown once (for a form whose fields have no callbacks to tell a new start: ``st.form``)."""
        saved, self._state["saved"] = self._state["saved"], None
        return saved

    def get(self, field: str, default: Any = None) -> Any:
        return self._state["values"].get(field, default)

    def fields(self, prefix: str) -> dict[str, Any]:
        """The values of the fields whose names start with ``prefix`` (drawn in this run or not)."""
        return {field: value for field, value in self._state["values"].items() if field.startswith(prefix)}

    def remember(self, field: str, value: Any) -> None:
        """Keep a value that no widget shows (e.g. what the page read), without counting it as a change."""
        self._state["values"][field] = value

    def set(self, field: str, value: Any) -> None:
        """Change a value as the person would (from a callback, before the widget is drawn)."""
        self._changed(field, value)
        if self.key(field) in st.session_state:
            st.session_state[self.key(field)] = value

    def field(self, widget: Callable[..., Any], field: str, default: Any = None, **kwargs: Any) -> Any:
        """Draw ``widget`` (``st.text_input``, ``st.selectbox`` ...) for ``field``, holding the draft's value.

        Give no ``value``/``index``: the value comes from the draft, else from ``default``.
        """
        key = self.key(field)
        if key not in st.session_state:
            st.session_state[key] = self.get(field, default)
        value = widget(key=key, on_change=self._keep, args=(field, key, self.generation, self._language), **kwargs)
        self._state["values"][field] = value
        return value

    def _keep(self, field: str, key: str, generation: int, language: str) -> None:
        """A field's callback: the person changed its value. A widget of a past generation or language (its
        value sent by a press that arrived after the form was saved or redrawn) is not listened to."""
        if (generation, language) == (self._state["generation"], self._state["language"]):
            self._changed(field, st.session_state[key])

    def _changed(self, field: str, value: Any) -> None:
        self._state["values"][field] = value
        self._state["saved"] = None  # the next one is begun: what was saved last is in the history

    def finish(self, saved: Any) -> None:
        """After a save: forget every value, draw the form afresh with new keys, and keep ``saved`` to show."""
        self._state["generation"] += 1
        self._state["values"] = {}
        self._state["saved"] = saved
