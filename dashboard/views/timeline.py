"""Over time: pledges per status since the election, and the whole overview as it stood on any day."""

import streamlit as st

from dashboard import charts, components, data
from dashboard.i18n import _, current_language, date_column_format, format_date
from dashboard.statuses import DISPLAY_ORDER, label
from dashboard.urlstate import iso_date, one_of, url_widget
from dashboard.widget_texts import date_format
from tracker import services


def timeline_page() -> None:
    programme = components.page_programme()
    st.title(_("Progress over time"))
    today = services.today()
    period = url_widget(
        st.segmented_control,
        "period",
        default="month",
        parse=one_of(["month", "week"], "month"),
        label=_("Step"),
        options=["month", "week"],
        format_func=lambda p: _("by month") if p == "month" else _("by week"),
        required=True,
    )
    frame = data.timeline(programme.slug, period, today)
    st.plotly_chart(
        charts.timeline_figure(
            frame,
            components.status_labels(),
            _("Number of measures"),
            lambda day: format_date(day, "MMM y"),
            format_date,
        ),
        width="stretch",
        config=charts.png_config(
            f"{programme.slug}-status-over-time-{today.isoformat()}",
            current_language(),
            _("Download the chart as a PNG image"),
        ),
        alt=_("Stacked area chart: number of measures per status from {start} to {end}.").format(
            start=format_date(programme.election_date), end=format_date(today)
        ),
    )
    with st.expander(_("Show as a table")):
        table = frame.pivot_table(index="date", columns="status", values="count", fill_value=0).reindex(
            columns=list(DISPLAY_ORDER), fill_value=0
        )
        table.columns = [label(s) for s in table.columns]
        st.dataframe(
            table.reset_index().rename(columns={"date": _("Date")}),
            hide_index=True,
            width="stretch",
            column_config={_("Date"): st.column_config.DateColumn(_("Date"), format=date_column_format())},
        )

    st.header(_("The overview as of a past day"))
    st.caption(_("Pick a day to see every figure as it stood then, for example one year after the election."))
    as_of = url_widget(
        st.date_input,
        "as_of",
        parse=iso_date(programme.election_date, today),
        label=_("As of"),
        min_value=programme.election_date,
        max_value=today,
        format=date_format(),
    )
    if as_of:
        components.render_overview(programme, as_of)


if __name__ == "__main__":
    timeline_page()
