"""What every page carries around its content: the document's language and writing direction, a visible
keyboard focus, the mirrored layout of a right-to-left language, and the footer.

The page shell (``dashboard.page_shell``) writes ``<html lang dir>`` when a page is loaded; a language chosen
afterwards with the switch changes no shell, so ``document_language`` sets both again on every run.
Streamlit lays its pages out left to right whatever ``dir`` says in places (issue 552 upstream, see
docs/accessibility.md): ``RTL_STYLE`` mirrors them for Arabic. Charts stay left to right (their axes
and numbers read that way; their labels are Arabic text, which the browser shapes right to left).
"""

from __future__ import annotations

import json

import streamlit as st

from dashboard import components, routes
from dashboard.i18n import LANGUAGES, _, current_language
from tracker.statuses import direction

FOCUS_COLOR = "#0072B2"  # the theme's primary colour: 5.2:1 on white, 3.6:1 on the dark theme (>= 3:1)

# Every element that takes the keyboard focus shows a clear ring: Streamlit's top menu and page links show
# none, its buttons a faint halo. Text fields and lists show it around their whole box.
FOCUS_STYLE = (
    "a:focus-visible, button:focus-visible, summary:focus-visible, [role='button']:focus-visible,"
    " [role='tab']:focus-visible, [role='radio']:focus-visible, [role='checkbox']:focus-visible,"
    " [role='option']:focus-visible, input[type='checkbox']:focus-visible, input[type='radio']:focus-visible"
    f" {{outline: 3px solid {FOCUS_COLOR} !important; outline-offset: 2px !important;}}"
    " [data-baseweb='input']:focus-within, [data-baseweb='textarea']:focus-within,"
    " [data-baseweb='select'] > div:focus-within"
    f" {{outline: 3px solid {FOCUS_COLOR} !important; outline-offset: 1px !important;}}"
)

# Arabic: the main column, its text, lists, tables and badges right to left; charts and the data grid
# (a canvas) keep their own left-to-right drawing.
RTL_STYLE = (
    # The frame that holds the phone's menu drawer stays left to right: mirrored, Streamlit's closed drawer
    # slid into the page instead of out of it.
    "[data-testid='stAppViewContainer'] {direction: ltr;}"
    " [data-testid='stMain'], [data-testid='stHeader'], [data-testid='stSidebarContent'] {direction: rtl;}"
    " [data-testid='stMarkdownContainer'], [data-testid='stCaptionContainer'], [data-testid='stHeading'],"
    " [data-testid='stMetric'], [data-testid='stWidgetLabel'], [data-testid='stText'] {text-align: right;}"
    " [data-testid='stMarkdownContainer'] ul, [data-testid='stMarkdownContainer'] ol"
    " {padding-left: 0 !important; padding-right: 1.5em !important;}"
    " [data-testid='stMarkdownContainer'] li {margin-left: 0 !important; margin-right: 0.2em;}"
    " [data-testid='stPlotlyChart'], [data-testid='stDataFrame'] {direction: ltr;}"
    # Each paragraph takes its direction from its own first letter: a measure's German text (kept verbatim)
    # keeps its full stop at its end inside an Arabic page, an Arabic sentence reads right to left.
    " [data-testid='stMain'] :is(p, li, h1, h2, h3, [data-testid='stCaptionContainer']) {unicode-bidi: plaintext;}"
)


def document_language() -> None:
    """``<html lang dir>`` of the language of this run (after a switch the loaded shell still has the old), and
    Streamlit's "Skip to main content" link (the first thing a keyboard or screen reader meets, English in
    Streamlit whatever the page's language) in the page's language: its text node keeps its place, so that
    React, which drew it, finds it unchanged."""
    language = current_language()
    assert language in LANGUAGES  # only our own codes go into the script
    skip = json.dumps(_("Skip to main content"))
    st.html(
        # In a block: the script runs again in the same page on every run, and a second top-level "const"
        # would be an error that stops it before the language is set.
        f"<script>{{document.documentElement.lang = '{language}';"
        f" document.documentElement.dir = '{direction(language)}';"
        " const skip = document.querySelector(\"[data-testid='stSkipToContent']\");"
        f" if (skip && skip.firstChild) skip.firstChild.nodeValue = {skip};}}</script>",
        unsafe_allow_javascript=True,
    )


# Sections are headed by h2 under the page's one h1 (screen readers list headings by level; Streamlit's
# subheader is an h3, which skipped a level): at the size of a subheader, so that the pages look as before.
HEADING_STYLE = "[data-testid='stHeading'] h2 {font-size: 1.75rem; padding-top: 1rem;}"

# A figure's label wraps instead of ending in "…": Streamlit cuts it to one line, which left "Henüz
# değerlendirilm…" (not yet rated) in Turkish at 1280 px and longer labels cut on a phone.
METRIC_LABEL_STYLE = (
    "[data-testid='stMetricLabel'], [data-testid='stMetricLabel'] * "
    "{white-space: normal !important; overflow: visible !important; text-overflow: clip !important;"
    " height: auto !important;}"
)


def page_style() -> None:
    """The focus ring everywhere, section headings' size, figures' labels in full, and the mirrored layout when the
    page's language is written right to left."""
    rtl = RTL_STYLE if direction(current_language()) == "rtl" else ""
    st.html(f"<style>{FOCUS_STYLE}{HEADING_STYLE}{METRIC_LABEL_STYLE}{rtl}</style>")


def footer() -> None:
    """Below every page: the way to the explanation in Leichte Sprache, in the page's language."""
    st.divider()
    st.page_link(
        routes.plain_language(),
        label=_("Easy German (Leichte Sprache)"),
        icon=":material/menu_book:",
        query_params=components.link_params(),
    )
