"""Every user-facing string of the dashboard is in every catalogue (German, English, Turkish, Arabic, Ukrainian),
translated, with the same fields."""

from __future__ import annotations

import string

import pytest
from babel.messages.extract import extract_from_dir

from dashboard.i18n import LANGUAGES, catalogue_path
from tests.helpers import ROOT, catalogue_problems


def used_messages() -> set:
    found = extract_from_dir(str(ROOT / "dashboard"), keywords={"_": None, "ngettext": (1, 2)}, comment_tags=())
    return {message for _file, _line, message, _comments, _context in found}


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_catalogue_is_complete_and_keeps_the_placeholders(language):
    """Every message translated (no fuzzy one, every plural form of the language), with the same fields."""
    used = used_messages()
    assert used, "no messages found; is the extraction still looking at the right files?"
    assert not catalogue_problems(catalogue_path(language), language, used, fields)


def test_the_app_speaks_five_languages_each_named_in_itself():
    assert LANGUAGES == {"de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية", "uk": "Українська"}


def test_every_error_code_of_the_services_is_worded_in_the_dashboard():
    """One template per code (but those worded apart), filled only from the parameters the services give."""
    from dashboard import errors as worded
    from tracker.services import errors

    assert set(worded.MESSAGES) == set(errors.MESSAGES) - worded.WORDED_APART
    for code, template in worded.MESSAGES.items():
        if code != "conflict":  # worded from the change recorded last, not from the English parameters
            assert fields(template()) <= fields(errors.MESSAGES[code]), code
