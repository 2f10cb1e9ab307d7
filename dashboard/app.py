"""The dashboard's single router: ``st.navigation`` over the pages of ``dashboard.routes``.

A permalink ``?pledge=<code>`` opens the pledge's page directly; ``?lang=en`` switches to English (without it,
the session starts in the browser's language if the app speaks it). Whatever
goes wrong while a page runs ends in a message in the page's language, never in a traceback
(``errors.show_unexpected``; ``client.showErrorDetails = "none"`` in .streamlit/config.toml is the backstop).
"""

import streamlit as st

from dashboard import errors, page_frame, routes
from dashboard.auth import current_actor
from dashboard.i18n import LANG_KEY, LANGUAGES, _, preferred_language, unnamed_language
from dashboard.urlstate import one_of, url_widget

st.set_page_config(page_title=_("Pledge tracker"), page_icon=":material/fact_check:", layout="wide")
try:
    page = routes.navigation(current_actor(), permalink=bool(st.query_params.get("pledge")))
    # Our own static style: long measure texts in links wrap instead of being cut off on a phone; captions
    # (dates, authors, codes) are faded less than Streamlit's 60 % so that they keep a contrast of at least
    # 4.5:1 (WCAG AA) in the light and the dark theme (60 % gave 3.88:1 on white).
    st.html(
        "<style>[data-testid='stPageLink'] a, [data-testid='stPageLink'] a * "
        "{white-space: normal !important; overflow: visible !important; text-overflow: clip !important;"
        " height: auto !important;}"
        " [data-testid='stCaptionContainer'] {opacity: 0.8 !important;}</style>"
    )
    # Five languages, each in its own name, stay on one row down to a 360 px phone: the switch's buttons get
    # less side padding than Streamlit's (all five stay visible, so a reader finds their language at a glance).
    st.html("<style>.st-key-lang button {padding-left: 0.45rem !important; padding-right: 0.45rem !important;}</style>")
    if LANG_KEY not in st.session_state:  # the browser's language when the address names none
        st.session_state[LANG_KEY] = preferred_language()
    url_widget(
        st.segmented_control,
        LANG_KEY,
        default=unnamed_language(),
        parse=one_of(list(LANGUAGES), unnamed_language()),
        label=_("Language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        required=True,
        label_visibility="collapsed",
    )
    page_frame.document_language()
    page_frame.page_style()
    page.run()
    page_frame.footer()
except Exception as error:  # noqa: BLE001 - st.stop and st.rerun are no Exceptions and pass through
    errors.show_unexpected(error)
