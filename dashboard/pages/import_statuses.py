"""Import a spreadsheet (CSV) of status changes: template, dry run, errors by line and column."""

import pandas as pd
import streamlit as st

from dashboard import auth, editing
from dashboard.i18n import _, ngettext
from dashboard.statuses import label
from tracker.services import InvalidInput, PermissionDenied, RowErrors
from tracker.services.status_import import MAX_UPLOAD_BYTES, status_csv_template

actor, programme = auth.staff_page()
st.title(_("Import a spreadsheet"))
st.write(
    _(
        "One row per status change, with the columns code, status, date, rationale, source_url, source_title and "
        "source_kind. Save it as CSV (UTF-8; semicolons work too). Every row is checked before anything is saved."
    )
)
st.download_button(
    _("Download the template"),
    status_csv_template(),
    file_name="status-import-template.csv",
    mime="text/csv",
    icon=":material/download:",
)
upload = st.file_uploader(
    _("CSV file"),
    type=["csv", "txt"],
    max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
    key=f"upload_{st.session_state.get('import_round', 0)}",
)


def show_errors(error: Exception) -> None:
    if isinstance(error, RowErrors):
        st.error(
            ngettext(
                "The file has {n} problem; nothing was saved.",
                "The file has {n} problems; nothing was saved.",
                len(error.errors),
            ).format(n=len(error.errors))
        )
        st.dataframe(
            pd.DataFrame(
                [(e.row, e.field, e.message) for e in error.errors], columns=[_("Line"), _("Column"), _("Problem")]
            ),
            hide_index=True,
        )
    else:
        st.error(str(error))


if done := st.session_state.pop("import_done", None):
    st.success(ngettext("Imported {n} status change.", "Imported {n} status changes.", done).format(n=done))
if upload is not None:
    content = upload.getvalue()
    try:
        plan = editing.plan_import(programme.slug, content, upload.name, actor)
    except (RowErrors, InvalidInput, PermissionDenied) as error:
        show_errors(error)
    else:
        st.subheader(_("What would change"))
        st.dataframe(
            pd.DataFrame(
                [
                    (c.line, c.code, label(c.old_status), label(c.new_status), c.effective_date, c.rationale)
                    for c in plan.changes
                ],
                columns=[_("Line"), _("Code"), _("Before"), _("After"), _("Effective date"), _("Rationale")],
            ),
            hide_index=True,
        )
        if st.button(
            ngettext("Import {n} change", "Import {n} changes", len(plan.changes)).format(n=len(plan.changes)),
            type="primary",
        ):
            try:
                result = editing.run_import(programme.slug, content, upload.name, actor)
            except (RowErrors, InvalidInput, PermissionDenied) as error:
                show_errors(error)
            else:
                st.session_state["import_done"] = len(result.changes)
                st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
                st.rerun()
