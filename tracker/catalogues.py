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
