"""Leichte Sprache: the tracker explained in plain German (``tracker.plain_language``), on every language's page.

The text is German whatever the page's language, so it is marked ``lang="de"`` (a screen reader switches its
voice) and ``dir="ltr"`` (it stays left to right inside an Arabic page).
"""

import html

import streamlit as st

from dashboard import components
from tracker import services
from tracker.services import PlainSection, settings


def section_html(section: PlainSection) -> str:
    e = html.escape
    parts = [f"<h2>{e(section.heading)}</h2>"]
    parts += [f"<p>{e(sentence)}</p>" for sentence in section.sentences]
    if section.terms:
        items = "".join(
            f"<li><strong>{e(term)}</strong><br>{'<br>'.join(e(s) for s in meaning)}</li>"
            for term, meaning in section.terms
        )
        parts.append(f"<ul class='plain-terms'>{items}</ul>")
    if section.steps:
        parts.append("<ol>" + "".join(f"<li>{e(step)}</li>" for step in section.steps) + "</ol>")
    parts += [f"<p>{e(sentence)}</p>" for sentence in section.after]
    return "".join(parts)


def plain_language_page() -> None:
    components.page_programme()
    sections = services.plain_german(contact=settings.get("TRACKER_CONTACT"))
    body = "".join(section_html(section) for section in sections)
    st.html(
        f'<div lang="{services.PLAIN_LANGUAGE}" dir="ltr" class="plain-language">'
        f"<h1>{html.escape(services.PLAIN_TITLE)}</h1>{body}</div>"
        "<style>.plain-language {font-size: 1.15rem; line-height: 1.7; max-width: 42rem}"
        " .plain-language h1 {font-size: 2.25rem; margin: 0 0 1rem}"
        " .plain-language h2 {font-size: 1.6rem; margin: 2rem 0 0.5rem}"
        " .plain-language p {margin: 0 0 0.35rem}"
        " .plain-language ul, .plain-language ol {margin: 0.5rem 0 0.75rem}"
        " .plain-language li {margin: 0 0 0.6rem}</style>"
    )


if __name__ == "__main__":
    plain_language_page()
