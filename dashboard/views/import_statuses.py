"""Import a spreadsheet (Excel or CSV) of status changes: templates, the accepted values, a preview that says
what each row does to the public status, and the import of the new rows."""

import pandas as pd
import streamlit as st

from dashboard import auth, change_form, components, editing
from dashboard.errors import accepted_kinds, accepted_reasons, accepted_statuses, error_text, row_table, show_error
from dashboard.i18n import _, current_language, format_date, ngettext
from dashboard.statuses import label
from dashboard.text import plain
from tracker import services


def import_page() -> None:
    actor, programme = auth.staff_page()
    st.title(_("Import a spreadsheet"))
    st.write(
        _(
            "One row per rating. Download a template, fill it in with Excel or LibreOffice and upload it here. "
            "Every row is checked before anything is saved; rows that are recorded already are skipped."
        )
    )
    buttons = st.container(horizontal=True)
    buttons.download_button(
        _("Template for Excel (.xlsx)"),
        services.status_template_xlsx(),
        file_name="bewertungen-vorlage.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
    )
    buttons.download_button(
        _("Template as CSV (semicolons)"),
        services.status_template_csv(),
        file_name="bewertungen-vorlage.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    upload = st.file_uploader(
        _("Spreadsheet (Excel or CSV)"),
        type=["xlsx", "csv", "txt"],
        max_upload_size=services.MAX_UPLOAD_BYTES // (1024 * 1024),
        key=f"upload_{st.session_state.get('import_round', 0)}",
    )
    components.translate_file_uploader(
        _("Choose file"),
        _("up to {megabytes} MB · Excel (.xlsx) or CSV").format(megabytes=services.MAX_UPLOAD_BYTES // (1024 * 1024)),
    )
    if done := st.session_state.pop("import_done", None):
        show_done(*done)
    with st.expander(_("Accepted columns and values"), expanded=upload is None, icon=":material/rule:"):
        accepted_values()
    if upload is not None:
        preview_and_import(programme.slug, upload.getvalue(), upload.name, actor)


def accepted_values() -> None:
    """What a file may hold: the columns, what goes into each, and the accepted values."""
    german = current_language() == "de"
    accepted = {
        "code": _("the measure's code, e.g. 8.2-4"),
        "status": accepted_statuses(),
        "date": _("01.10.2026 or 2026-10-01, or a date cell; empty means today"),
        "rationale": _("why the measure has this status; shown publicly"),
        "source_url": _("a full address starting with https:// or http://"),
        "source_title": _("the source's name, e.g. Council decision of 15 January 2026"),
        "source_kind": accepted_kinds() + " " + _("(empty means Other)"),
        "broken_reason": _("with the status Broken, required: why (optional column)") + ": " + accepted_reasons(),
        "broken_reason_text": _("with the reason Other reason, required: which (optional column)"),
    }
    column_title, accepted_title = _("Column"), _("Accepted")  # not inside an f-string: the extraction finds them
    lines = [f"| {column_title} | {accepted_title} |", "| --- | --- |"]
    for column in services.STATUS_SHEET_COLUMNS:
        lines.append(f"| **{column.german if german else column.key}** | {accepted[column.key]} |")
    st.markdown("\n".join(lines))
    st.caption(
        _(
            "Columns in any order. Statuses and kinds of source in any of the app's five languages, upper or lower "
            "case. Files: Excel workbooks (.xlsx) and CSV with commas or semicolons, saved as UTF-8 or Windows-1252. "
            "Each measure once per file, at most {rows} rows."
        ).format(rows=services.MAX_ROWS)
        + " "
        + (
            _("The English column names of older files work too.")
            if german
            else _("The German headers of the template work too.")
        )
    )


def preview_and_import(slug: str, content: bytes, name: str, actor: services.Actor) -> None:
    """The dry run: what each row does to the public status, the counts, the problems; and the import button."""
    try:
        plan = services.preview_status_import(slug, content, actor, source=name)
    except services.RowErrors as error:  # the file cannot be read, or its first line does not name the columns
        st.error(plain(error_text(error)), icon=":material/error:")
        problem_table(error.errors)
        return
    except services.TrackerError as error:
        show_error(error)
        return
    if plan.converted_from:
        st.info(
            _(
                "This file was not saved as UTF-8; it was converted from Windows-1252. Check the umlauts (ä, ö, ü, ß) "
                "in the preview before you import it."
            ),
            icon=":material/info:",
        )
    st.subheader(_("What the import will do"))
    change_form.preview_under_review()
    counts = st.container(horizontal=True, gap="large")  # side by side on a phone too
    counts.metric(_("New"), len(plan.new), width="content")
    counts.metric(_("Already recorded"), len(plan.skipped), width="content")
    counts.metric(_("Refused"), plan.refused, width="content")
    if plan.rows:
        # A static table wraps its cells: what happens to the public status is never cut off.
        st.table(preview_table(plan.rows), hide_index=True, height="content" if len(plan.rows) <= 30 else 800)
    examples = [e for e in plan.errors if e.code == "template_example"]
    others = [e for e in plan.errors if e.code != "template_example"]
    if examples:
        st.warning(
            _("The example row of the template is still in the file (line {line}); delete it and upload again.").format(
                line=examples[0].line
            ),
            icon=":material/edit_note:",
        )
    if plan.errors:
        st.error(
            ngettext(
                "Nothing will be saved while {n} row is refused: correct the file and upload it again.",
                "Nothing will be saved while {n} rows are refused: correct the file and upload them again.",
                plan.refused,
            ).format(n=plan.refused),
            icon=":material/error:",
        )
        if others:
            problem_table(others)
        return
    if not plan.new:
        st.info(
            ngettext(
                "Nothing to import: the row of this file is recorded already.",
                "Nothing to import: all {n} rows of this file are recorded already.",
                len(plan.skipped),
            ).format(n=len(plan.skipped)),
            icon=":material/check_circle:",
        )
        return
    count = len(plan.new)
    if st.button(ngettext("Import {n} rating", "Import {n} ratings", count).format(n=count), type="primary"):
        try:
            result = editing.run_import(slug, content, name, actor)
        except services.TrackerError as error:
            show_error(error)
        else:
            st.session_state["import_done"] = (len(result.new), len(result.skipped))
            st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
            st.rerun()
    if plan.skipped:
        st.caption(
            ngettext(
                "{n} row is recorded already and will be skipped.",
                "{n} rows are recorded already and will be skipped.",
                len(plan.skipped),
            ).format(n=len(plan.skipped))
        )


def problem_table(errors: list[services.RowError]) -> None:
    """The problems by line and column, in a static table that wraps: what is accepted is never cut off."""
    st.table(row_table(errors).map(plain), hide_index=True)


def show_done(new: int, skipped: int) -> None:
    """What the import recorded, and what it skipped."""
    if not new:
        st.info(_("Nothing was imported: every row is recorded already."), icon=":material/check_circle:")
        return
    text = ngettext("Imported {n} rating.", "Imported {n} ratings.", new).format(n=new)
    if skipped:
        text += " " + ngettext(
            "{n} row was recorded already and was skipped.", "{n} rows were recorded already and were skipped.", skipped
        ).format(n=skipped)
    if services.review_mode_now().on:
        text += " " + _(
            "They are proposals: the public sees them once a reviewer approves them, together or one by one "
            "(page “To review”)."
        )
    st.success(text, icon=":material/check_circle:")


def outcome_text(row: services.PlannedRow) -> str:
    """What the row does to the measure's public status, in the page's language."""
    if row.outcome is services.RowOutcome.ALREADY_RECORDED:
        return _("already recorded (rating no. {n}), skipped").format(n=row.recorded_as)
    if row.outcome is services.RowOutcome.HISTORY:
        return _("history extended, current status stays {status} (newer rating of {date})").format(
            status=label(row.status_after), date=format_date(row.current_date)
        )
    return _("new current status: {status}").format(status=label(row.status_after))


def preview_table(rows: tuple[services.PlannedRow, ...]) -> pd.DataFrame:
    """One row per row of the file; its cells are Markdown (``st.table``), so what a person typed is escaped."""
    return pd.DataFrame(
        [
            (
                str(row.line),
                plain(row.code),
                outcome_text(row),
                label(row.status),
                format_date(row.effective_date),
                label(row.status_before),
                plain(row.rationale),
            )
            for row in rows
        ],
        columns=[
            _("Line"),
            _("Code"),
            _("What happens"),
            _("Rating"),
            _("Effective date"),
            _("Current status until now"),
            _("Rationale"),
        ],
    )


if __name__ == "__main__":
    import_page()
