"""The three forms of the rating page: record a rating, add a source, set the success criterion.

Each saves through ``dashboard.editing`` and shows any error of the services in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import streamlit as st

from dashboard import change_form, editing
from dashboard.drafts import Draft
from dashboard.errors import show_error
from dashboard.i18n import _
from dashboard.statuses import source_kind_label
from dashboard.widget_texts import choose, date_format
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


def seen_versions() -> dict[str, int]:
    """The version of each measure as the editor first saw it on this page, to save against.

    A dictionary changed in place: after a save it is updated without touching ``st.session_state``, where a
    waiting request could end the run between the commit and the update (see ``dashboard.drafts``).
    """
    return st.session_state.setdefault("seen_versions", {})


def _save_versioned(form: Form, save: Callable[[], object]) -> tuple[bool, object]:
    """Run a save that carries the version the editor saw; on a conflict show the other's change and
    take the newest version as seen, so that the editor can save again after reading it."""
    seen = seen_versions()
    try:
        result = save()
    except services.Conflict as error:
        show_error(error)
        seen[form.code] = services.pledge_view(form.programme.slug, form.code).version
    except services.TrackerError as error:
        show_error(error)
    else:
        seen.pop(form.code, None)
        return True, result
    return False, None


def record_rating(form: Form) -> None:
    """A new status with date, rationale and one or more sources; kept as a draft until it is saved.

    Not an ``st.fragment`` (which would rerun only the form when a field changes): a click on the language
    switch that arrives with a field's new value is then run as the fragment's rerun, and the page is left
    half in the old language.

    The save button belongs to the draft's generation: once saved, the form is drawn afresh with new keys,
    so a second press of the old button (however quick) saves nothing. The same change entered again later
    is refused by the services, naming the rating on record.
    """
    draft = Draft(f"rating:{form.code}")
    change = change_form.change_fields(draft, form.programme)
    numbers = {c.sequence: _("No. {n}").format(n=c.sequence) for c in form.view.history}
    corrects = (
        draft.field(
            st.selectbox,
            "corrects",
            label=_("Corrects an earlier rating (optional)"),
            options=list(numbers),
            index=None,
            format_func=numbers.get,
            placeholder=_("Choose an earlier rating"),
            filter_mode=None,
        )
        if form.view.history  # a first rating corrects nothing (and an empty list would read "No options")
        else None
    )
    if st.button(_("Save rating"), type="primary", key=draft.key("save")):
        change = replace(change, corrects_sequence=corrects)

        def record() -> services.RecordedChange:
            change_form.require_status(change)
            recorded = editing.record_change(form.programme.slug, form.code, change, form.actor, form.seen_version)
            draft.finish(recorded)  # at once after the commit: no Streamlit call in between
            return recorded

        saved, _recorded = _save_versioned(form, record)
        if saved:
            st.rerun()
    if recorded := draft.saved:  # until a new rating is begun; the history below lists it too
        with st.container(border=True):
            if recorded.proposed:
                st.success(_("Saved as a proposal for review."), icon=":material/check:")
            else:
                st.success(_("Saved as rating no. {n}.").format(n=recorded.sequence), icon=":material/check:")
            change_form.saved_change(recorded)


def add_source(form: Form) -> None:
    """A source for the measure without a new status; the form's keys change once it is saved, so a second
    press of the button does not add the same source again."""
    today = services.today()
    draft = Draft(f"evidence:{form.code}")
    kinds = {kind: source_kind_label(kind) for kind in SOURCE_KINDS}
    with st.form(draft.key("form"), clear_on_submit=True):
        url = st.text_input(_("Source URL"), placeholder="https://", max_chars=2000, key=draft.key("url"))
        title = st.text_input(_("Source title"), max_chars=500, key=draft.key("title"))
        kind = st.selectbox(
            _("Kind of source"),
            list(kinds),
            format_func=kinds.get,
            key=draft.key("kind"),
            filter_mode=None,
            placeholder=choose(),
        )
        published = st.date_input(
            _("Published on"), value=None, max_value=today, format=date_format(), key=draft.key("published")
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
            draft.finish(True)
            st.rerun()
    if draft.take_saved():
        st.success(_("Source added."))


def success_criterion(form: Form) -> None:
    """What would count as kept, shown publicly on the measure's page."""
    with st.form(f"criterion_{form.code}"):
        criterion = st.text_area(
            _("What would count as kept (shown publicly)"), value=form.view.success_criterion or "", max_chars=5000
        )
        save = st.form_submit_button(_("Save criterion"))
    if save:
        saved, _result = _save_versioned(
            form,
            lambda: editing.set_success_criterion(
                form.programme.slug, form.code, criterion, form.actor, form.seen_version
            ),
        )
        if saved:
            st.success(_("Criterion saved."))
