"""Text from people, files, the database and the URL, shown as text: never as Markdown, HTML or a link.

Streamlit reads Markdown in far more places than ``st.markdown``: ``st.write``, ``st.caption``, titles and
headers, alerts (``st.info/warning/error/success``), toasts, the labels of widgets, expanders, tabs, metrics
and page links. Whatever a page shows there that it did not write itself (a measure's text, a name, a
title, a code from the address, an error's echo of what was typed) goes through ``plain`` first. Our own
Markdown (bold, the links we build from checked addresses with ``link``) stays ours.

Elements that never read Markdown (``st.text``, ``st.code``, ``st.dataframe``, the options of a selectbox)
take the text as it is.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Every ASCII punctuation mark: any of them may open Markdown, HTML, a directive (:red[...]), an emoji or
# icon shortcode, LaTeX ($...$), a table or a list; a backslash before each makes all of them literal.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub's "autolink literals" (https://..., www...., name@host) are found in the text after the escapes
# are resolved, so escaping cannot stop them; an invisible word joiner inside each trigger does.
_AUTOLINK_TRIGGER = re.compile(r"(?i)https?:(?=//)|www(?=\.)|@")
WORD_JOINER = "\u2060"
SAFE_SCHEMES = ("http://", "https://")


def plain(value: object) -> str:
    """``value`` as Markdown that shows exactly its text: no link, image, colour, heading or HTML.

    Line breaks stay line breaks."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _AUTOLINK_TRIGGER.sub(lambda match: match.group(0) + WORD_JOINER, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def excerpt(value: object, limit: int = 160) -> str:
    """The start of ``value`` on one line, for echoing what an address or a field held (not yet escaped):
    a control or format character (NUL, an escape, a direction override) shows as "�"."""
    text = " ".join(str(value).split())
    text = "".join("\N{REPLACEMENT CHARACTER}" if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe_url(url: str) -> str | None:
    """``url`` if it is an http(s) address, made safe for a Markdown link destination; else None."""
    if not url.lower().startswith(SAFE_SCHEMES):
        return None
    # Spaces, angle brackets, backslashes and control characters would end or bend the destination.
    return quote(url, safe="!#$%&'()*+,/:;=?@[]~-._")


def link(title: str, url: str) -> str:
    """A Markdown link to ``url`` with ``title`` as plain text; only http(s) becomes a link, else the title."""
    target = safe_url(url)
    return f"[{plain(title)}](<{target}>)" if target else plain(title)
