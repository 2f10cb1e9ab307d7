"""On the rating page: flag a measure as not checkable (or checkable again), and the list of measures due for a
rating (deadline passed, or still not rated near the end of the term)."""

from __future__ import annotations

import streamlit as st

from dashboard import components, routes
from dashboard.errors import show_error
from dashboard.i18n import _, format_date, ngettext
from dashboard.statuses import label
from dashboard.text import plain
from tracker import services


def checkability_form(programme: services.ProgrammeInfo, view: services.PledgeView, actor: services.Actor) -> None:
    """Flag the measure as too vague to check, or take the flag back, with the reason (shown publicly)."""
    if view.checkable:
        st.caption(_("The measure counts as checkable. Flag it when it is too vague to check."))
    else:
        st.caption(plain(_("Flagged as not checkable: {reason}").format(reason=view.checkability_reason or "")))
    with st.form(f"checkability_{view.code}", clear_on_submit=True):
        reason = st.text_area(
            _("Why it cannot be checked (shown publicly)") if view.checkable else _("Why it can be checked now"),
            max_chars=services.MAX_REASON_TEXT,
        )
        save = st.form_submit_button(_("Flag as not checkable") if view.checkable else _("Mark as checkable again"))
    if save:
        try:
            recorded = services.record_checkability(programme.slug, view.code, not view.checkable, reason, actor)
        except services.TrackerError as error:
            show_error(error)
        else:
            if recorded.proposed:
                st.success(_("Proposed: the public sees it once a reviewer has approved it."), icon=":material/check:")
            else:
                st.success(_("Saved."), icon=":material/check:")


def due_list(programme: services.ProgrammeInfo, actor: services.Actor) -> None:
    """The measures to rate now, in an expander that says how many."""
    try:
        due = services.due_for_rating(programme.slug, actor)
    except services.TrackerError as error:
        show_error(error)
        return
    if not due.measures and not due.term_ending:
        return
    title = ngettext("{n} measure due for a rating", "{n} measures due for a rating", len(due.measures)).format(
        n=len(due.measures)
    )
    with st.expander(title, icon=":material/event:"):
        if due.term_ending:
            st.caption(
                _(
                    "The term ends on {date}: every measure still not rated is listed for a final rating, so that "
                    "none stays “not yet rated” silently."
                ).format(date=format_date(due.term_end))
            )
        for measure in due.measures:
            why = (
                _("deadline {date} passed").format(date=format_date(measure.deadline))
                if measure.why == "deadline_passed"
                else _("end of term")
            )
            st.page_link(
                routes.edit(),
                label=plain(f"{measure.code}: {measure.text} · {label(measure.status)} · {why}"),
                query_params=components.link_params(pledge=measure.code),
            )
