"""Gettext catalogues compiled in memory from their .po files (Babel), for the app and the edition alike:
no compiled .mo files to build or to keep in step."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_catalogue(path: Path, language: str) -> gettext.GNUTranslations:
    """The translations of the .po file at ``path``, for ``language``."""
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


# How a catalogue's header marks a translation that a machine made (``Last-Translator: Machine translation ...``);
# the method pages of the app and the edition name these languages and invite corrections.
MACHINE_TRANSLATION = "Machine translation"


def machine_translated(translations: gettext.NullTranslations) -> bool:
    """Whether the catalogue's header says a machine made it."""
    return translations.info().get("last-translator", "").startswith(MACHINE_TRANSLATION)


def language_names(codes: list[str], language: str) -> str:
    """The names of the languages ``codes`` as ``language`` writes a list of them ("Türkisch, Arabisch und
    Ukrainisch")."""
    from babel import Locale
    from babel.lists import format_list

    return format_list([Locale.parse(code).get_display_name(language) for code in codes], locale=language)
