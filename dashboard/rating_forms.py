"""The three forms of the rating page: record a rating, add a source, set the success criterion.

Each saves through ``dashboard.editing`` and shows any error of the services in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import components, editing
from dashboard.errors import show_error
from dashboard.i18n import _
from dashboard.statuses import DISPLAY_ORDER, label
from tracker import services
from tracker.statuses import SOURCE_KINDS


@dataclass(frozen=True)
class Form:
    """What every form of the page works on."""

    programme: services.ProgrammeInfo
    view: services.PledgeView
    actor: services.Actor
    seen_version: int

    @property
    def code(self) -> str:
        return self.view.code


def seen_key(code: str) -> str:
    return f"seen_version_{code}"


def _save_versioned(form: Form, save: Callable[[], object]) -> tuple[bool, object]:
    """Run a save that carries the version the editor saw; on a conflict show the other's change and
    take the newest version as seen, so that the editor can save again after reading it."""
    try:
        result = save()
    except services.Conflict as error:
        show_error(error)
        st.session_state[seen_key(form.code)] = services.pledge_view(form.programme.slug, form.code).version
    except services.TrackerError as error:
        show_error(error)
    else:
        st.session_state.pop(seen_key(form.code), None)
        return True, result
    return False, None


def record_rating(form: Form) -> None:
    """A new status with date, rationale and sources (one in fields, more in a small table)."""
    today = services.today()
    with st.form(f"record_{form.code}", clear_on_submit=False):
        status = st.selectbox(
            _("New status"), list(DISPLAY_ORDER), format_func=label, index=None, placeholder=_("Choose a status")
        )
        effective = st.date_input(
            _("Effective date"),
            value=today,
            min_value=form.programme.election_date,
            max_value=today,
            format="DD.MM.YYYY",
        )
        rationale = st.text_area(
            _("Rationale (shown publicly)"),
            max_chars=5000,
            placeholder=_("What happened, and why does it lead to this status?"),
        )
        st.markdown("**" + _("Source") + "**")
        source_url = st.text_input(_("Source URL"), placeholder="https://", max_chars=2000)
        source_title = st.text_input(_("Source title"), max_chars=500)
        columns = st.columns(2)
        source_kind = columns[0].selectbox(_("Kind of source"), SOURCE_KINDS, format_func=components.source_kind_label)
        published = columns[1].date_input(_("Published on"), value=None, max_value=today, format="DD.MM.YYYY")
        more = st.data_editor(
            pd.DataFrame({"url": pd.Series(dtype="str"), "title": pd.Series(dtype="str")}),
            num_rows="dynamic",
            column_config={
                "url": st.column_config.TextColumn(_("Further source URL"), max_chars=2000),
                "title": st.column_config.TextColumn(_("Title"), max_chars=500),
            },
            key=f"more_sources_{form.code}",
            hide_index=True,
        )
        corrects = (
            st.selectbox(
                _("Corrects an earlier rating (optional)"),
                [c.sequence for c in form.view.history],
                index=None,
                format_func=lambda n: _("No. {n}").format(n=n),
            )
            if form.view.history  # a first rating corrects nothing (and an empty list would read "No options")
            else None
        )
        submitted = st.form_submit_button(_("Save rating"), type="primary")
    if submitted:
        sources = [services.SourceInput(source_url, source_title, source_kind, published)]
        sources += [
            services.SourceInput(str(r.url or ""), str(r.title or "")) for r in more.itertuples() if r.url or r.title
        ]
        change = services.StatusChangeInput(
            status=status or "",
            rationale=rationale,
            sources=sources,
            effective_date=effective,
            corrects_sequence=corrects,
        )
        saved, recorded = _save_versioned(
            form, lambda: editing.record_change(form.programme.slug, form.code, change, form.actor, form.seen_version)
        )
        if saved:
            st.session_state["edit_saved"] = _("Saved as rating no. {n}.").format(n=recorded.sequence)
            st.rerun()
    if saved := st.session_state.pop("edit_saved", None):
        st.success(saved, icon=":material/check:")


def add_source(form: Form) -> None:
    """A source for the measure without a new status."""
    today = services.today()
    with st.form(f"evidence_{form.code}", clear_on_submit=True):
        url = st.text_input(_("Source URL"), placeholder="https://", max_chars=2000, key=f"ev_url_{form.code}")
        title = st.text_input(_("Source title"), max_chars=500, key=f"ev_title_{form.code}")
        kind = st.selectbox(
            _("Kind of source"), SOURCE_KINDS, format_func=components.source_kind_label, key=f"ev_kind_{form.code}"
        )
        published = st.date_input(
            _("Published on"), value=None, max_value=today, format="DD.MM.YYYY", key=f"ev_pub_{form.code}"
        )
        add = st.form_submit_button(_("Add source"))
    if add:
        try:
            editing.add_evidence(
                form.programme.slug, form.code, services.SourceInput(url, title, kind, published), form.actor
            )
        except services.TrackerError as error:
            show_error(error)
        else:
            st.success(_("Source added."))


def success_criterion(form: Form) -> None:
    """What would count as kept, shown publicly on the measure's page."""
    with st.form(f"criterion_{form.code}"):
        criterion = st.text_area(
            _("What would count as kept (shown publicly)"), value=form.view.success_criterion or "", max_chars=5000
        )
        save = st.form_submit_button(_("Save criterion"))
    if save:
        saved = _save_versioned(
            form,
            lambda: (
                editing.set_success_criterion(form.programme.slug, form.code, criterion, form.actor, form.seen_version)
                or True
            ),
        )
        if saved:
            st.success(_("Criterion saved."))
