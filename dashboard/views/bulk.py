"""Edit several measures at once: one table, one save, one transaction, a summary of what changed."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import auth, components, data, editing
from dashboard.errors import show_error
from dashboard.i18n import _, ngettext
from dashboard.statuses import DISPLAY_ORDER, label
from tracker import services
from tracker.statuses import SOURCE_KINDS


def bulk_page() -> None:
    actor, programme = auth.staff_page()
    st.title(_("Edit several measures"))
    st.caption(
        _(
            "Choose a new status in the rows you want to change; each changed row needs a rationale and a "
            "source. Nothing is saved until you press “Save all”, and then either every row is saved or none."
        )
    )
    area_key, goal, statuses = filters(programme.slug)
    area = int(area_key) if area_key else None
    rows = services.editable_rows(programme.slug, area, goal, tuple(statuses))
    editor_key = f"bulk_{st.session_state.get('bulk_round', 0)}_{area_key}_{goal}_{'-'.join(statuses)}"
    edited = st.data_editor(
        frame(rows), key=editor_key, hide_index=True, placeholder="–", disabled=["code", "text", "status"],
        column_config=column_config(programme.election_date),
    )  # fmt: skip
    changed = edited[edited["new_status"].notna()]
    st.caption(ngettext("{n} row changed", "{n} rows changed", len(changed)).format(n=len(changed)))
    if st.button(_("Save all"), type="primary", disabled=changed.empty):
        versions = {row.code: row.version for row in rows}
        try:
            editing.record_bulk(programme.slug, [bulk_item(row, versions) for row in changed.itertuples()], actor)
        except services.TrackerError as error:
            show_error(error)
        else:
            st.session_state["bulk_round"] = st.session_state.get("bulk_round", 0) + 1
            st.session_state["bulk_saved"] = [(r.code, r.status, r.new_status) for r in changed.itertuples()]
            st.rerun()
    if saved := st.session_state.pop("bulk_saved", None):
        st.success(ngettext("Saved {n} rating.", "Saved {n} ratings.", len(saved)).format(n=len(saved)))
        st.dataframe(pd.DataFrame(saved, columns=[_("Code"), _("Before"), _("After")]), hide_index=True)


def filters(slug: str) -> tuple[str | None, str | None, list[str]]:
    """The area, goal and statuses whose measures the table lists."""
    areas = {o.key: o.label for o in data.area_options(slug)}
    columns = st.columns(3)
    area_key = columns[0].selectbox(
        _("Policy area"), [None, *areas], format_func=lambda k: _("All areas") if k is None else areas[k]
    )
    goals = {o.key: o.label for o in data.goal_options(slug, int(area_key) if area_key else None)}
    goal = columns[1].selectbox(
        _("Goal"), [None, *goals], format_func=lambda k: _("All goals") if k is None else goals[k]
    )
    statuses = columns[2].multiselect(
        _("Status"), list(DISPLAY_ORDER), format_func=label, placeholder=_("All statuses")
    )
    return area_key, goal, statuses


def _status_names() -> dict[str, str]:
    return {label(s): s for s in DISPLAY_ORDER}


def _kind_names() -> dict[str, str]:
    return {components.source_kind_label(k): k for k in SOURCE_KINDS}


def frame(rows: list[services.EditableRow]) -> pd.DataFrame:
    n = len(rows)
    return pd.DataFrame(
        {
            "code": [r.code for r in rows],
            "text": [r.text for r in rows],
            "status": [label(r.status) for r in rows],
            "new_status": pd.Series([None] * n, dtype="object"),
            "date": pd.Series([services.today()] * n, dtype="object"),
            "rationale": pd.Series([""] * n, dtype="str"),
            "source_url": pd.Series([""] * n, dtype="str"),
            "source_title": pd.Series([""] * n, dtype="str"),
            "source_kind": pd.Series([components.source_kind_label("other")] * n, dtype="str"),
        }
    )


def column_config(election_date: dt.date) -> dict:
    return {
        "code": st.column_config.TextColumn(_("Code"), width="small"),
        "text": st.column_config.TextColumn(_("Measure"), width="large"),
        "status": st.column_config.TextColumn(_("Status now")),
        "new_status": st.column_config.SelectboxColumn(_("New status"), options=list(_status_names())),
        "date": st.column_config.DateColumn(
            _("Effective date"), min_value=election_date, max_value=services.today(), format="DD.MM.YYYY"
        ),
        "rationale": st.column_config.TextColumn(_("Rationale"), max_chars=5000),
        "source_url": st.column_config.LinkColumn(_("Source URL"), max_chars=2000, validate=r"^https?://.+"),
        "source_title": st.column_config.TextColumn(_("Source title"), max_chars=500),
        "source_kind": st.column_config.SelectboxColumn(_("Kind of source"), options=list(_kind_names())),
    }


def bulk_item(row, versions: dict[str, int]) -> services.BulkItem:
    """One changed row of the table as a status change, with the version the editor saw."""
    return services.BulkItem(
        code=row.code,
        change=services.StatusChangeInput(
            status=_status_names()[row.new_status],
            rationale=row.rationale or "",
            sources=[
                services.SourceInput(
                    row.source_url or "", row.source_title or "", _kind_names().get(row.source_kind, "other")
                )
            ],
            effective_date=row.date if isinstance(row.date, dt.date) else None,
        ),
        expected_version=versions[row.code],
    )


if __name__ == "__main__":
    bulk_page()
