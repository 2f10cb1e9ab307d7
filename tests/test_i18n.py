"""Every user-facing string of the dashboard is in both catalogues, translated, with the same fields."""

from __future__ import annotations

import string

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from dashboard.i18n import LANGUAGES, catalogue_path
from tests.helpers import ROOT


def used_messages() -> set:
    found = extract_from_dir(str(ROOT / "dashboard"), keywords={"_": None, "ngettext": (1, 2)}, comment_tags=())
    return {message for _file, _line, message, _comments, _context in found}


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_catalogue_is_complete_and_keeps_the_placeholders(language):
    with catalogue_path(language).open("rb") as po:
        catalogue = {m.id: m.string for m in read_po(po) if m.id}
    used = used_messages()
    assert used, "no messages found; is the extraction still looking at the right files?"
    missing = [m for m in used if not catalogue.get(m) or (isinstance(m, tuple) and not all(catalogue[m]))]
    assert not missing, f"{language}: untranslated {missing}"
    for message in used:
        source = message if isinstance(message, str) else message[1]
        translated = catalogue[message] if isinstance(message, str) else catalogue[message][1]
        assert fields(translated) == fields(source), (language, message)
    assert not set(catalogue) - used, f"{language}: messages no longer used: {set(catalogue) - used}"


def test_every_error_code_of_the_services_is_worded_in_the_dashboard():
    """One template per code (but those worded apart), filled only from the parameters the services give."""
    from dashboard import errors as worded
    from tracker.services import errors

    assert set(worded.MESSAGES) == set(errors.MESSAGES) - worded.WORDED_APART
    for code, template in worded.MESSAGES.items():
        if code != "conflict":  # worded from the change recorded last, not from the English parameters
            assert fields(template()) <= fields(errors.MESSAGES[code]), code
