"""Every page of the dashboard, defined once: its function, title, icon and address.

Pages link to each other with these objects (``st.page_link(routes.pledge(), ...)``), never with a path;
``navigation`` builds the one menu of ``app.py`` from them. Titles are translated when a page object is
made, so they follow the language of the run. Each page is a named function in its module under
``pages/``; the module runs it when Streamlit runs the file (so that AppTest can open it by its file).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.i18n import _
from tracker.services import Actor

PAGES = Path(__file__).resolve().parent / "pages"


def overview(default: bool = False) -> StreamlitPage:
    return st.Page(
        PAGES / "overview.py", title=_("Overview"), icon=":material/donut_large:", url_path="overview",
        default=default,
    )  # fmt: skip


def measures() -> StreamlitPage:
    return st.Page(PAGES / "measures.py", title=_("Measures"), icon=":material/list:", url_path="measures")


def timeline() -> StreamlitPage:
    return st.Page(PAGES / "timeline.py", title=_("Over time"), icon=":material/timeline:", url_path="timeline")


def method() -> StreamlitPage:
    return st.Page(PAGES / "method.py", title=_("Method"), icon=":material/rule:", url_path="method")


def open_data() -> StreamlitPage:
    return st.Page(PAGES / "open_data.py", title=_("Data"), icon=":material/download:", url_path="data")


def pledge(default: bool = False) -> StreamlitPage:
    return st.Page(
        PAGES / "pledge.py", title=_("Measure"), icon=":material/description:", url_path="pledge",
        default=default, visibility="hidden",
    )  # fmt: skip


def sign_in() -> StreamlitPage:
    return st.Page(
        PAGES / "sign_in.py", title=_("Editorial team"), icon=":material/badge:", url_path="staff",
        visibility="hidden",
    )  # fmt: skip


def edit(visible: bool = True) -> StreamlitPage:
    return st.Page(
        PAGES / "edit.py", title=_("Rate"), icon=":material/edit:", url_path="edit",
        visibility="visible" if visible else "hidden",
    )  # fmt: skip


def bulk(visible: bool = True) -> StreamlitPage:
    return st.Page(
        PAGES / "bulk.py", title=_("Several at once"), icon=":material/table_edit:", url_path="bulk",
        visibility="visible" if visible else "hidden",
    )  # fmt: skip


def import_statuses(visible: bool = True) -> StreamlitPage:
    return st.Page(
        PAGES / "import_statuses.py", title=_("Import"), icon=":material/upload_file:", url_path="import",
        visibility="visible" if visible else "hidden",
    )  # fmt: skip


def audit(visible: bool = True) -> StreamlitPage:
    return st.Page(
        PAGES / "audit.py", title=_("Audit trail"), icon=":material/history:", url_path="audit",
        visibility="visible" if visible else "hidden",
    )  # fmt: skip


def navigation(actor: Actor | None, permalink: bool) -> StreamlitPage:
    """The menu: public pages for everyone; staff pages always registered (so that one opened by its
    address shows the sign-in instead of a 404), listed only while someone is signed in."""
    staff = actor is not None
    public = [overview(default=not permalink), measures(), timeline(), method(), open_data(), pledge(default=permalink)]
    editorial = [
        sign_in(),
        edit(staff),
        bulk(staff),
        import_statuses(staff),
        audit(staff and actor.is_admin),
    ]
    return st.navigation({"": public, _("Editorial team"): editorial}, position="top")
