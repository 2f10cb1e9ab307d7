"""The one helper that shows text as text (``dashboard.text``) and the parsers of the URL parameters
(``dashboard.urlstate``), on the hostile-input corpus."""

from __future__ import annotations

import pytest

from dashboard.text import excerpt, link, plain
from dashboard.urlstate import name_like, page_number, pledge_code, programme_slug, search_query
from tests.helpers import as_read
from tests.hostile import CONTROL, MARKUP, SCHEMES, SIZES, TEXTS, labels


@pytest.mark.parametrize("value", [v for _, v in TEXTS], ids=labels(TEXTS))
def test_plain_text_reads_exactly_as_typed(value):
    escaped = plain(value)
    assert as_read(escaped) == value.replace("\r\n", "\n").replace("\r", "\n")
    # Nothing Markdown could read as a construct is left unescaped: every ASCII punctuation mark has its
    # backslash, and no autolink trigger (https://, www., @) survives in one piece.
    unescaped = [ch for i, ch in enumerate(escaped) if ch in "[]()<>!:*_`#$|~" and escaped[i - 1 : i] != "\\"]
    assert not unescaped
    assert "://" not in escaped.replace("\\", "") and "www." not in escaped.lower().replace("\\", "")


def test_only_http_and_https_become_links():
    linked = [value for _, value in SCHEMES + MARKUP if link("Titel", value) != "Titel"]
    assert linked == ["https://evil.example/spende"]  # the one http(s) address of the corpus is a link
    assert link("[x](y)", "HTTPS://www.herne.de/a b<c>") == r"[\[x\]\(y\)](<HTTPS://www.herne.de/a%20b%3Cc%3E>)"
    print(f"{len(SCHEMES + MARKUP)} addresses: {len(SCHEMES + MARKUP) - len(linked)} shown as text, 1 as a link")


def test_an_echo_is_one_short_line_without_control_characters():
    assert excerpt("1-1\x00") == "1-1\N{REPLACEMENT CHARACTER}"
    assert excerpt("Kita\u202egnubesiE") == "Kita\N{REPLACEMENT CHARACTER}gnubesiE"
    assert excerpt("a\n  b") == "a b" and excerpt("x" * 1000) == "x" * 159 + "…"


def test_every_url_parameter_kind_has_a_parser_that_refuses_what_it_cannot_be():
    assert [page_number(raw, 11) for raw in ("3", "²", "٣", "0", "-2", "12", "1e3", " 4", "9999999", "")] == [
        3, 1, 1, 1, 1, 11, 1, 1, 1, 1,
    ]  # fmt: skip
    assert pledge_code(" 8.2-4 ") == "8.2-4"
    accepted = [label for label, value in CONTROL + SIZES if pledge_code(value) is not None]
    assert accepted == []  # a control character, an empty, blank or long value: no measure is looked up
    assert programme_slug("hak-herne-2025") == "hak-herne-2025" and programme_slug("x\x00") is None
    assert name_like("measure-8.2-4.atom", 100) and name_like("a" * 101, 100) is None
    assert search_query("Kita\x00Plätze\x1b[2J") == "Kita Plätze [2J"
    print(f"{len(CONTROL + SIZES)} hostile codes refused by the code parser")
