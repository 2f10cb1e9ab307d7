"""Rate one measure: record a status change with sources, add a source, set the success criterion."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import auth, components, data, editing
from dashboard.i18n import _, format_date
from dashboard.statuses import DISPLAY_ORDER, label
from tracker.services import Conflict, InvalidInput, NotFound, PermissionDenied, SourceInput, StatusChangeInput
from tracker.statuses import SOURCE_KINDS

PICK_LIMIT = 200  # measures offered at once; more are found by typing

actor, programme = auth.staff_page()
st.title(_("Rate a measure"))

url = data.database_url()
wanted = st.query_params.get("pledge")
query = st.text_input(_("Find a measure"), placeholder=_("Type a code or words of the measure"), max_chars=200)
found = data.search(url, programme.slug, query, None, None, (), PICK_LIMIT, 0)
texts = {row.code: row.text for row in found.rows}
if wanted and wanted not in texts:
    try:
        texts = {wanted: data.pledge(url, programme.slug, wanted).text, **texts}
    except NotFound:
        st.warning(_("There is no measure with the code “{code}” in this programme.").format(code=wanted))
codes = list(texts)
if found.total > PICK_LIMIT:
    st.caption(
        _("{n} measures match; the first {limit} are listed. Type more to narrow it down.").format(
            n=found.total, limit=PICK_LIMIT
        )
    )
code = st.selectbox(
    _("Measure"),
    codes,
    index=codes.index(wanted) if wanted in codes else None,
    format_func=lambda c: f"{c}: {texts[c]}",
    placeholder=_("Choose a measure"),
)
if code is None:
    st.stop()
if st.query_params.get("pledge") != code:
    st.query_params["pledge"] = code

try:
    view = editing.fresh_pledge(programme.slug, code)
except NotFound as error:
    st.error(str(error))
    st.stop()

components.status_badge(view.status)
st.caption(
    _("Status since {date}").format(date=format_date(view.status_date))
    if view.status_date
    else _("Nobody has rated this measure yet.")
)
st.page_link(
    components.PLEDGE_PAGE,
    label=_("Open the public page"),
    icon=":material/open_in_new:",
    query_params=components.link_params(pledge=code),
)
# The version the editor is looking at: a save fails with a conflict if someone else saved since.
seen_key = f"seen_version_{code}"
if seen_key not in st.session_state:
    st.session_state[seen_key] = view.version
seen_version = st.session_state[seen_key]
if seen_version != view.version:
    st.warning(_("Someone else has changed this measure since you opened it; its newest state is shown below."))


def show_conflict(error: Conflict) -> None:
    other = error.latest_change or {}
    st.error(
        _(
            "Not saved: {author} recorded “{status}” for this measure at {time} while you were editing. "
            "Read the history below, then save again."
        ).format(
            author=other.get("author", "?"),
            status=label(other["status"]) if other.get("status") else "?",
            time=other.get("recorded_at", "?")[:16].replace("T", " "),
        )
    )
    st.session_state[seen_key] = editing.fresh_pledge(programme.slug, code).version


record_tab, evidence_tab, criterion_tab = st.tabs([_("Record a rating"), _("Add a source"), _("Success criterion")])
with record_tab, st.form(f"record_{code}", clear_on_submit=False):
    status = st.selectbox(
        _("New status"), list(DISPLAY_ORDER), format_func=label, index=None, placeholder=_("Choose a status")
    )
    effective = st.date_input(
        _("Effective date"),
        value=dt.date.today(),
        min_value=programme.election_date,
        max_value=dt.date.today(),
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
    published = columns[1].date_input(_("Published on"), value=None, max_value=dt.date.today(), format="DD.MM.YYYY")
    more = st.data_editor(
        pd.DataFrame({"url": pd.Series(dtype="str"), "title": pd.Series(dtype="str")}),
        num_rows="dynamic",
        column_config={
            "url": st.column_config.TextColumn(_("Further source URL"), max_chars=2000),
            "title": st.column_config.TextColumn(_("Title"), max_chars=500),
        },
        key=f"more_sources_{code}",
        hide_index=True,
    )
    corrects = st.selectbox(
        _("Corrects an earlier rating (optional)"),
        [c.sequence for c in view.history],
        index=None,
        format_func=lambda n: _("No. {n}").format(n=n),
    )
    submitted = st.form_submit_button(_("Save rating"), type="primary")
if submitted:
    sources = [SourceInput(source_url, source_title, source_kind, published)]
    sources += [SourceInput(str(r.url or ""), str(r.title or "")) for r in more.itertuples() if r.url or r.title]
    change = StatusChangeInput(
        status=status or "", rationale=rationale, sources=sources, effective_date=effective, corrects_sequence=corrects
    )
    try:
        sequence = editing.record_change(programme.slug, code, change, actor, seen_version)
    except Conflict as error:
        show_conflict(error)
    except (InvalidInput, PermissionDenied) as error:
        st.error(components.field_message(error))
    else:
        st.session_state.pop(seen_key, None)
        st.session_state["edit_saved"] = _("Saved as rating no. {n}.").format(n=sequence)
        st.rerun()
if saved := st.session_state.pop("edit_saved", None):
    st.success(saved, icon=":material/check:")

with evidence_tab, st.form(f"evidence_{code}", clear_on_submit=True):
    url_in = st.text_input(_("Source URL"), placeholder="https://", max_chars=2000, key=f"ev_url_{code}")
    title_in = st.text_input(_("Source title"), max_chars=500, key=f"ev_title_{code}")
    kind_in = st.selectbox(
        _("Kind of source"), SOURCE_KINDS, format_func=components.source_kind_label, key=f"ev_kind_{code}"
    )
    published_in = st.date_input(
        _("Published on"), value=None, max_value=dt.date.today(), format="DD.MM.YYYY", key=f"ev_pub_{code}"
    )
    add = st.form_submit_button(_("Add source"))
if add:
    try:
        editing.add_evidence(programme.slug, code, SourceInput(url_in, title_in, kind_in, published_in), actor)
    except (InvalidInput, PermissionDenied) as error:
        evidence_tab.error(components.field_message(error))
    else:
        evidence_tab.success(_("Source added."))

with criterion_tab, st.form(f"criterion_{code}"):
    criterion = st.text_area(
        _("What would count as kept (shown publicly)"), value=view.success_criterion or "", max_chars=5000
    )
    save_criterion = st.form_submit_button(_("Save criterion"))
if save_criterion:
    try:
        editing.set_success_criterion(programme.slug, code, criterion, actor, seen_version)
    except Conflict as error:
        show_conflict(error)
    except (InvalidInput, PermissionDenied) as error:
        criterion_tab.error(components.field_message(error))
    else:
        st.session_state.pop(seen_key, None)
        criterion_tab.success(_("Criterion saved."))

st.subheader(_("History"))
if not view.history:
    st.write(_("No status change has been recorded yet."))
for change in view.history:
    components.history_entry(
        change,
        _("No. {n} · effective {date} · recorded by {author} on {recorded}").format(
            n=change.sequence,
            date=format_date(change.effective_date),
            author=change.author,
            recorded=format_date(change.recorded_at.date()),
        ),
    )
