"""Search that works the way people type: case, umlauts, ß and "ae/oe/ue" spellings do not matter.

Text and query go through the same ``fold``; a pledge matches when every folded query word occurs
in its folded text, so "kita" finds "Kitas", "strasse" finds "Straße" and "schueler" or "schuler"
finds "Schüler". The folded text is stored beside each pledge, so the search runs in SQL.

Each word is one condition of the query, so a search is bounded before it runs: at most
``MAX_QUERY_CHARACTERS`` characters and ``MAX_QUERY_WORDS`` different words (``tracker.services`` refuses
more, with a message naming both). Without the bound, a thousand words broke SQLite's expression tree and
ten thousand kept PostgreSQL busy for two minutes.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_CHARACTERS = 200
MAX_QUERY_WORDS = 10


def fold(text: str) -> str:
    """Lower-case, ß -> ss, accents and umlauts removed, "ae/oe/ue" spelled as "a/o/u"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return re.sub(r"\s+", " ", text).strip()


def query_words(query: str) -> list[str]:
    """The folded words of a search query (punctuation other than - . / removed), without duplicates."""
    words = re.findall(r"[\w\-./]+", fold(query))
    return list(dict.fromkeys(w.strip("-./") for w in words if w.strip("-./")))


def search_text(*parts: str | None) -> str:
    """What a pledge is found by: its code, text and goal title, folded."""
    return fold(" ".join(p for p in parts if p))
