"""Data: the current data as CSV and JSON (the same as `tracker export`) and its JSON Schema."""

import json

import streamlit as st

from dashboard import components, data
from dashboard.i18n import _
from tracker import services


def open_data_page() -> None:
    programme = components.page_programme()
    st.title(_("Open data"))
    st.write(
        _(
            "Download every measure with its current status, the full dated history and all sources. The files "
            "are the same as the command `tracker export` writes; you may reuse them with attribution."
        )
    )
    stamp = services.today().isoformat()
    st.header(_("For spreadsheets"))
    st.write(
        _(
            "One row per measure with German column headers and status names, dates as 01.10.2026: opens in Excel "
            "or LibreOffice as a table."
        )
    )
    buttons = st.container(horizontal=True)
    buttons.download_button(
        _("Download Excel workbook (.xlsx)"),
        data=data.export_for_spreadsheets(programme.slug, "xlsx"),
        file_name=f"{programme.slug}-{stamp}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
    )
    buttons.download_button(
        _("Download CSV for Excel (semicolons)"),
        data=data.export_for_spreadsheets(programme.slug, "csv"),
        file_name=f"{programme.slug}-{stamp}-excel.csv",
        mime="text/csv",
        icon=":material/table:",
    )
    st.header(_("Machine-readable"))
    st.download_button(
        _("Download CSV (one row per measure)"),
        data=data.export(programme.slug, "csv"),
        file_name=f"{programme.slug}-{stamp}.csv",
        mime="text/csv",
        icon=":material/table:",
    )
    st.download_button(
        _("Download JSON (complete, with history and sources)"),
        data=data.export(programme.slug, "json"),
        file_name=f"{programme.slug}-{stamp}.json",
        mime="application/json",
        icon=":material/data_object:",
    )
    st.header(_("Format"))
    st.write(
        _(
            "The JSON file follows a published JSON Schema, which names and explains every field. In the CSV "
            "files, cells that a spreadsheet would run as a formula start with an apostrophe; the Excel workbook "
            "marks them as text."
        )
    )
    st.download_button(
        _("Download the JSON Schema"),
        data=json.dumps(services.export_schema(), ensure_ascii=False, indent=2),
        file_name=services.SCHEMA_NAME,
        mime="application/schema+json",
        icon=":material/schema:",
    )


if __name__ == "__main__":
    open_data_page()
