"""Edit several measures at once: one table, one save, one transaction, a summary of what changed."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import auth, components, data, editing
from dashboard.i18n import _, ngettext
from dashboard.statuses import DISPLAY_ORDER, label
from tracker.services import BulkItem, Conflict, PermissionDenied, RowErrors, SourceInput, StatusChangeInput
from tracker.statuses import SOURCE_KINDS

actor, programme = auth.staff_page()
st.title(_("Edit several measures"))
st.caption(
    _(
        "Choose a new status in the rows you want to change; each changed row needs a rationale and a source. "
        "Nothing is saved until you press “Save all”, and then either every row is saved or none."
    )
)
url = data.database_url()
areas = {o.key: o.label for o in data.area_options(url, programme.slug)}
columns = st.columns(3)
area_key = columns[0].selectbox(
    _("Policy area"), [None, *areas], format_func=lambda k: _("All areas") if k is None else areas[k]
)
area = int(area_key) if area_key else None
goals = {o.key: o.label for o in data.goal_options(url, programme.slug, area)}
goal = columns[1].selectbox(_("Goal"), [None, *goals], format_func=lambda k: _("All goals") if k is None else goals[k])
statuses = columns[2].multiselect(_("Status"), list(DISPLAY_ORDER), format_func=label, placeholder=_("All statuses"))

rows = editing.bulk_rows(programme.slug, area, goal, tuple(statuses))
versions = {row.code: row.version for row in rows}
status_names = {label(s): s for s in DISPLAY_ORDER}
kind_names = {components.source_kind_label(k): k for k in SOURCE_KINDS}
frame = pd.DataFrame(
    {
        "code": [r.code for r in rows],
        "text": [r.text for r in rows],
        "status": [label(r.status) for r in rows],
        "new_status": pd.Series([None] * len(rows), dtype="object"),
        "date": pd.Series([dt.date.today()] * len(rows), dtype="object"),
        "rationale": pd.Series([""] * len(rows), dtype="str"),
        "source_url": pd.Series([""] * len(rows), dtype="str"),
        "source_title": pd.Series([""] * len(rows), dtype="str"),
        "source_kind": pd.Series([components.source_kind_label("other")] * len(rows), dtype="str"),
    }
)
editor_key = f"bulk_{st.session_state.get('bulk_round', 0)}_{area_key}_{goal}_{'-'.join(statuses)}"
edited = st.data_editor(
    frame,
    key=editor_key,
    hide_index=True,
    placeholder="–",
    disabled=["code", "text", "status"],
    column_config={
        "code": st.column_config.TextColumn(_("Code"), width="small"),
        "text": st.column_config.TextColumn(_("Measure"), width="large"),
        "status": st.column_config.TextColumn(_("Status now")),
        "new_status": st.column_config.SelectboxColumn(_("New status"), options=list(status_names)),
        "date": st.column_config.DateColumn(
            _("Effective date"), min_value=programme.election_date, max_value=dt.date.today(), format="DD.MM.YYYY"
        ),
        "rationale": st.column_config.TextColumn(_("Rationale"), max_chars=5000),
        "source_url": st.column_config.LinkColumn(_("Source URL"), max_chars=2000, validate=r"^https?://.+"),
        "source_title": st.column_config.TextColumn(_("Source title"), max_chars=500),
        "source_kind": st.column_config.SelectboxColumn(_("Kind of source"), options=list(kind_names)),
    },
)
changed = edited[edited["new_status"].notna()]
st.caption(ngettext("{n} row changed", "{n} rows changed", len(changed)).format(n=len(changed)))
if st.button(_("Save all"), type="primary", disabled=changed.empty):
    items = [
        BulkItem(
            code=row.code,
            change=StatusChangeInput(
                status=status_names[row.new_status],
                rationale=row.rationale or "",
                sources=[
                    SourceInput(row.source_url or "", row.source_title or "", kind_names.get(row.source_kind, "other"))
                ],
                effective_date=row.date if isinstance(row.date, dt.date) else None,
            ),
            expected_version=versions[row.code],
        )
        for row in changed.itertuples()
    ]
    try:
        count = editing.record_bulk(programme.slug, items, actor)
    except RowErrors as error:
        st.error(
            ngettext("Nothing was saved: {n} problem.", "Nothing was saved: {n} problems.", len(error.errors)).format(
                n=len(error.errors)
            )
        )
        st.dataframe(
            pd.DataFrame(
                [(e.row, e.field, e.message) for e in error.errors], columns=[_("Measure"), _("Field"), _("Problem")]
            ),
            hide_index=True,
        )
    except Conflict as error:
        st.error(_("Nothing was saved: someone else changed a measure meanwhile. {detail}").format(detail=str(error)))
    except PermissionDenied as error:
        st.error(str(error))
    else:
        st.session_state["bulk_round"] = st.session_state.get("bulk_round", 0) + 1
        st.session_state["bulk_saved"] = [(r.code, r.status, r.new_status) for r in changed.itertuples()]
        st.rerun()
if saved := st.session_state.pop("bulk_saved", None):
    st.success(ngettext("Saved {n} rating.", "Saved {n} ratings.", len(saved)).format(n=len(saved)))
    st.dataframe(pd.DataFrame(saved, columns=[_("Code"), _("Before"), _("After")]), hide_index=True)
