"""The dashboard's single router: every page is registered here with st.navigation.

A permalink ``?pledge=<code>`` opens the pledge's page directly; ``?lang=en`` switches to English.
"""

from pathlib import Path

import streamlit as st

from dashboard.auth import current_actor
from dashboard.i18n import DEFAULT_LANGUAGE, LANG_KEY, LANGUAGES, _
from dashboard.urlstate import one_of, url_widget

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title=_("Pledge tracker"), page_icon=":material/fact_check:", layout="wide")

permalink = bool(st.query_params.get("pledge"))
actor = current_actor()
staff = "visible" if actor else "hidden"
public = [
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
# Staff pages are always registered, so that one opened by URL shows the sign-in instead of a 404;
# they appear in the menu only while someone is signed in.
editorial = [
    st.Page(
        HERE / "pages/sign_in.py",
        title=_("Editorial team"),
        icon=":material/badge:",
        url_path="staff",
        visibility="hidden",
    ),
    st.Page(HERE / "pages/edit.py", title=_("Rate"), icon=":material/edit:", url_path="edit", visibility=staff),
    st.Page(
        HERE / "pages/bulk.py",
        title=_("Several at once"),
        icon=":material/table_edit:",
        url_path="bulk",
        visibility=staff,
    ),
    st.Page(
        HERE / "pages/import_statuses.py",
        title=_("Import"),
        icon=":material/upload_file:",
        url_path="import",
        visibility=staff,
    ),
    st.Page(
        HERE / "pages/audit.py",
        title=_("Audit trail"),
        icon=":material/history:",
        url_path="audit",
        visibility="visible" if actor and actor.is_admin else "hidden",
    ),
]
pages = {"": public, _("Editorial team"): editorial}
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
