"""Streamlit's widgets in the page's language, where Streamlit lets us word them: the order of a date input's
day, month and year (Babel's short date of the language), and the text of a list that shows no choice yet
("Choose an option" otherwise). What Streamlit does not let us change is listed in docs/accessibility.md.
"""

from __future__ import annotations

from functools import cache

from dashboard.i18n import _, current_language


@cache
def _date_format(language: str) -> str:
    from babel.dates import get_date_format

    pattern = get_date_format("short", locale=language).pattern
    order = sorted("dMy", key=lambda letter: pattern.find(letter))
    separator = next((ch for ch in pattern if ch in "./-"), "/")  # Streamlit takes only these three
    names = {"d": "DD", "M": "MM", "y": "YYYY"}
    return separator.join(names[letter] for letter in order)


def date_format() -> str:
    """``st.date_input``'s ``format`` for the page's language: DD.MM.YYYY in German, MM/DD/YYYY in English."""
    return _date_format(current_language())


def choose() -> str:
    """The text of a select box or multiselect while nothing is chosen (pass it as ``placeholder=``)."""
    return _("Choose an option")
