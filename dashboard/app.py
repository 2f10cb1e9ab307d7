"""The dashboard's single router: every page is registered here with st.navigation.

A permalink ``?pledge=<code>`` opens the pledge's page directly; ``?lang=en`` switches to English.
"""

from pathlib import Path

import streamlit as st

from dashboard.i18n import DEFAULT_LANGUAGE, LANG_KEY, LANGUAGES, _
from dashboard.urlstate import one_of, url_widget

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title=_("Pledge tracker"), page_icon=":material/fact_check:", layout="wide")

permalink = bool(st.query_params.get("pledge"))
pages = [
    st.Page(
        HERE / "pages/overview.py",
        title=_("Overview"),
        icon=":material/donut_large:",
        url_path="overview",
        default=not permalink,
    ),
    st.Page(HERE / "pages/pledges.py", title=_("Measures"), icon=":material/list:", url_path="measures"),
    st.Page(HERE / "pages/timeline.py", title=_("Over time"), icon=":material/timeline:", url_path="timeline"),
    st.Page(HERE / "pages/method.py", title=_("Method"), icon=":material/rule:", url_path="method"),
    st.Page(HERE / "pages/open_data.py", title=_("Data"), icon=":material/download:", url_path="data"),
    st.Page(
        HERE / "pages/pledge.py",
        title=_("Measure"),
        icon=":material/description:",
        url_path="pledge",
        default=permalink,
        visibility="hidden",
    ),
]
page = st.navigation(pages, position="top")
# Our own static style: long measure texts in links wrap instead of being cut off on a phone.
st.html(
    "<style>[data-testid='stPageLink'] a, [data-testid='stPageLink'] a * "
    "{white-space: normal !important; overflow: visible !important; text-overflow: clip !important;"
    " height: auto !important;}</style>"
)

url_widget(
    st.segmented_control,
    LANG_KEY,
    default=DEFAULT_LANGUAGE,
    parse=one_of(list(LANGUAGES), DEFAULT_LANGUAGE),
    label=_("Language"),
    options=list(LANGUAGES),
    format_func=LANGUAGES.get,
    required=True,
    label_visibility="collapsed",
)
page.run()
