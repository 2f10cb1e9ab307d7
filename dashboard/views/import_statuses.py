"""Import a spreadsheet (CSV) of status changes: template, dry run, errors by line and column."""

import pandas as pd
import streamlit as st

from dashboard import auth, editing
from dashboard.errors import show_error
from dashboard.i18n import _, ngettext
from dashboard.statuses import label
from tracker import services


def import_page() -> None:
    actor, programme = auth.staff_page()
    st.title(_("Import a spreadsheet"))
    st.write(
        _(
            "One row per status change, with the columns code, status, date, rationale, source_url, source_title "
            "and source_kind. Save it as CSV (UTF-8; semicolons work too). Every row is checked before anything is "
            "saved."
        )
    )
    st.download_button(
        _("Download the template"),
        services.status_csv_template(),
        file_name="status-import-template.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    upload = st.file_uploader(
        _("CSV file"),
        type=["csv", "txt"],
        max_upload_size=services.MAX_UPLOAD_BYTES // (1024 * 1024),
        key=f"upload_{st.session_state.get('import_round', 0)}",
    )
    if done := st.session_state.pop("import_done", None):
        st.success(ngettext("Imported {n} status change.", "Imported {n} status changes.", done).format(n=done))
    if upload is not None:
        preview_and_import(programme.slug, upload.getvalue(), upload.name, actor)


def preview_and_import(slug: str, content: bytes, name: str, actor: services.Actor) -> None:
    """The dry run's table of what would change, and the button that imports it."""
    try:
        plan = services.import_statuses(slug, content, actor, source=name, dry_run=True)
    except services.TrackerError as error:
        show_error(error)
        return
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
    count = len(plan.changes)
    if st.button(ngettext("Import {n} change", "Import {n} changes", count).format(n=count), type="primary"):
        try:
            result = editing.run_import(slug, content, name, actor)
        except services.TrackerError as error:
            show_error(error)
        else:
            st.session_state["import_done"] = len(result.changes)
            st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
            st.rerun()


if __name__ == "__main__":
    import_page()
