"""Every page of the dashboard, defined once: its function, title, icon and address.

Pages link to each other with these objects (``st.page_link(routes.pledge(), ...)``), never with a path;
``navigation`` builds the one menu of ``app.py`` from them. Titles are translated when a page object is
made, so they follow the language of the run. Each page is a named function in its module under
``views/``; the module runs it when Streamlit runs the file (so that AppTest can open it by its file).
The folder is deliberately not called ``pages/``: Streamlit would take that for its older file-based
navigation, and on a fresh server a first visitor arriving at ``/method`` would get the page file run on
its own, with Streamlit's English file list as menu and no language switch, until someone opened ``/``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.i18n import _
from tracker.services import Actor

PAGES = Path(__file__).resolve().parent / "views"
# The addresses of the staff pages: a browser opening one without a live session is sent to the sign-in.
STAFF_PATHS = ("staff", "edit", "bulk", "import", "audit", "review", "rounds", "hints")
# The public pages' addresses and titles (also the titles of their shared links: ``dashboard.page_shell``).
PAGE_TITLES = {
    "overview": lambda: _("Overview"),
    "measures": lambda: _("Measures"),
    "timeline": lambda: _("Over time"),
    "method": lambda: _("Method"),
    "data": lambda: _("Data"),
    "pledge": lambda: _("Measure"),
    "corrections": lambda: _("Corrections"),
    "leichte-sprache": lambda: _("Easy German (Leichte Sprache)"),
}


def overview(default: bool = False) -> StreamlitPage:
    return st.Page(
        PAGES / "overview.py", title=PAGE_TITLES["overview"](), icon=":material/donut_large:", url_path="overview",
        default=default,
    )  # fmt: skip


def measures() -> StreamlitPage:
    return st.Page(PAGES / "measures.py", title=PAGE_TITLES["measures"](), icon=":material/list:", url_path="measures")


def timeline() -> StreamlitPage:
    return st.Page(
        PAGES / "timeline.py", title=PAGE_TITLES["timeline"](), icon=":material/timeline:", url_path="timeline"
    )


def method() -> StreamlitPage:
    return st.Page(PAGES / "method.py", title=PAGE_TITLES["method"](), icon=":material/rule:", url_path="method")


def open_data() -> StreamlitPage:
    return st.Page(PAGES / "open_data.py", title=PAGE_TITLES["data"](), icon=":material/download:", url_path="data")


def pledge(default: bool = False) -> StreamlitPage:
    """A measure's page at /pledge; as the default page (``default``), the same page at the root."""
    return st.Page(
        PAGES / "pledge.py", title=PAGE_TITLES["pledge"](), icon=":material/description:",
        url_path="" if default else "pledge", default=default, visibility="hidden",
    )  # fmt: skip


def corrections() -> StreamlitPage:
    return st.Page(
        PAGES / "corrections.py", title=PAGE_TITLES["corrections"](), icon=":material/published_with_changes:",
        url_path="corrections", visibility="hidden",
    )  # fmt: skip


def plain_language() -> StreamlitPage:
    """The tracker explained in plain German, for every language (linked from each page's footer)."""
    return st.Page(
        PAGES / "plain_language.py", title=PAGE_TITLES["leichte-sprache"](), icon=":material/menu_book:",
        url_path="leichte-sprache", visibility="hidden",
    )  # fmt: skip


def sign_in() -> StreamlitPage:
    return st.Page(
        PAGES / "sign_in.py", title=_("Editorial team"), icon=":material/badge:", url_path="staff",
        visibility="hidden",
    )  # fmt: skip


def _staff(file: str, title: str, icon: str, url_path: str, visible: bool) -> StreamlitPage:
    assert url_path in STAFF_PATHS, f"staff page /{url_path} is missing from STAFF_PATHS"
    return st.Page(
        PAGES / file, title=title, icon=icon, url_path=url_path, visibility="visible" if visible else "hidden"
    )


def edit(visible: bool = True) -> StreamlitPage:
    return _staff("edit.py", _("Rate"), ":material/edit:", "edit", visible)


def decision(visible: bool = True) -> StreamlitPage:
    """One decision for several measures; at the address of the per-row table it replaced, so that
    bookmarks of /bulk keep working."""
    return _staff("decision.py", _("Several measures"), ":material/library_add_check:", "bulk", visible)


def import_statuses(visible: bool = True) -> StreamlitPage:
    return _staff("import_statuses.py", _("Import"), ":material/upload_file:", "import", visible)


def review(visible: bool = True) -> StreamlitPage:
    return _staff("review.py", _("To review"), ":material/fact_check:", "review", visible)


def rounds(visible: bool = True) -> StreamlitPage:
    return _staff("rounds.py", _("Double rating"), ":material/compare_arrows:", "rounds", visible)


def audit(visible: bool = True) -> StreamlitPage:
    return _staff("audit.py", _("Audit trail"), ":material/history:", "audit", visible)


def tips(visible: bool = True) -> StreamlitPage:
    return _staff("tips.py", _("Hints"), ":material/campaign:", "hints", visible)


def navigation(actor: Actor | None, permalink: bool) -> StreamlitPage:
    """The menu: public pages for everyone; staff pages always registered (so that one opened by its
    address shows the sign-in instead of a 404), listed only while someone is signed in."""
    staff = actor is not None
    public = [overview(default=not permalink), measures(), timeline(), method(), open_data(), pledge()]
    if permalink:  # ?pledge= opens the measure at the root as well as at /pledge (the address its links show)
        public.append(pledge(default=True))
    public.append(corrections())
    public.append(plain_language())
    editorial = [
        sign_in(),
        edit(staff),
        decision(staff),
        import_statuses(staff),
        review(staff),
        rounds(staff),
        audit(staff and actor.is_admin),
        tips(staff),
    ]
    return st.navigation({"": public, _("Editorial team"): editorial}, position="top")
