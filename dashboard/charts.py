"""Pure chart builders: data in, plotly Figure out (no Streamlit; tested on their own).

Every chart uses the palette's colours and fixed status order, and names each status in its legend
and hover text, so colour is never the only carrier of meaning.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard.palette import COLORS, DISPLAY_ORDER

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def area_progress_figure(counts: pd.DataFrame, labels: dict[str, str], axis_title: str) -> go.Figure:
    """Horizontal stacked bars, one per area (area 1 on top), one segment per status.

    ``counts`` has the columns area_number, area_short_title, status, count. Each area's name is written
    above its bar rather than beside it, so that the bars keep the full width on a phone. Each bar
    carries its area number in ``customdata`` so that a click can open the pledge list of that area.
    """
    areas = counts[["area_number", "area_short_title"]].drop_duplicates().sort_values("area_number")
    # Plotly reads tags (<a href>, <b>) and entities in its texts: an area's name is escaped to stay text.
    names = [html.escape(f"{n}. {t}") for n, t in zip(areas["area_number"], areas["area_short_title"], strict=True)]
    totals = counts.groupby("area_number")["count"].sum()
    figure = go.Figure()
    for status in DISPLAY_ORDER:
        values = (
            counts[counts["status"] == status].set_index("area_number")["count"].reindex(areas["area_number"]).fillna(0)
        )
        shares = (values / totals.reindex(areas["area_number"]).replace(0, 1)).fillna(0)
        figure.add_bar(
            name=labels[status],
            y=names,
            x=values.tolist(),
            orientation="h",
            marker={"color": COLORS[status], "line": {"color": "#FFFFFF", "width": 0.5}},
            customdata=[[int(n), float(s)] for n, s in zip(areas["area_number"], shares, strict=True)],
            hovertemplate="%{y}<br>" + labels[status] + ": %{x} (%{customdata[1]:.0%})<extra></extra>",
        )
    for name in names:
        figure.add_annotation(
            x=0,
            y=name,
            xref="paper",
            yref="y",
            text=name,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            yshift=9,
            font={"size": 13, "color": "#31333F"},
        )
    figure.update_layout(
        barmode="stack",
        bargap=0.55,
        height=max(320, 52 * len(names) + 110),
        margin={"l": 4, "r": 4, "t": 8, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0, "traceorder": "normal"},
        xaxis={"title": axis_title, "rangemode": "tozero", "fixedrange": True},
        yaxis={"autorange": "reversed", "showticklabels": False, "fixedrange": True},
        font={"family": FONT},
        clickmode="event+select",
    )
    return figure


def quarter_ticks(first: dt.date, last: dt.date, most: int = 6) -> list[dt.date]:
    """First days of quarters from ``first`` to ``last``, thinned to at most ``most`` evenly spaced ones."""
    quarters = []
    year, month = first.year, 3 * ((first.month - 1) // 3) + 1  # the quarter ``first`` lies in
    while (day := dt.date(year, month, 1)) <= last:
        if day >= first:
            quarters.append(day)
        year, month = (year + 1, 1) if month == 10 else (year, month + 3)
    step = max(1, math.ceil(len(quarters) / most))
    return quarters[::step]


def timeline_figure(
    timeline: pd.DataFrame,
    labels: dict[str, str],
    axis_title: str,
    month_label: Callable[[dt.date], str],
    day_label: Callable[[dt.date], str],
) -> go.Figure:
    """Stacked areas: the number of pledges per status at each date (columns date, status, count).

    The date axis is labelled at the start of quarters with ``month_label``, each point's date on hover with
    ``day_label`` (the reader's language: Plotly itself would write English month names, or one fixed format).
    """
    figure = go.Figure()
    for status in DISPLAY_ORDER:
        part = timeline[timeline["status"] == status].sort_values("date")
        figure.add_scatter(
            name=labels[status],
            x=part["date"],
            y=part["count"],
            mode="lines",
            stackgroup="status",
            line={"color": COLORS[status], "width": 0.5},
            fillcolor=COLORS[status],
            customdata=[day_label(day) for day in pd.to_datetime(part["date"]).dt.date],
            hovertemplate="%{customdata}<br>" + labels[status] + ": %{y}<extra></extra>",
        )
    dates = pd.to_datetime(timeline["date"]).dt.date
    ticks = quarter_ticks(dates.min(), dates.max()) if len(dates) else []
    figure.update_layout(
        height=420,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0, "traceorder": "normal"},
        yaxis={"title": axis_title, "rangemode": "tozero", "fixedrange": True},
        xaxis={"fixedrange": True, "tickvals": ticks, "ticktext": [month_label(day) for day in ticks]},
        font={"family": FONT},
        hovermode="x unified",
    )
    return figure


def plotly_locale(language: str, download_label: str) -> dict:
    """Plotly's own words and formats in ``language``, handed over with the chart (Streamlit loads none of
    Plotly's locale bundles, so Plotly wrote "Download plot as a PNG" and English month names): the toolbar's
    button, month and day names (Babel's), the decimal and thousands separators."""
    from babel.dates import get_day_names, get_month_names
    from babel.numbers import get_decimal_symbol, get_group_symbol

    def sunday_first(width: str) -> list[str]:
        names = get_day_names(width, locale=language)  # Monday is 0
        return [names[6], *(names[day] for day in range(6))]

    def months(width: str) -> list[str]:
        names = get_month_names(width, locale=language)
        return [names[month] for month in range(1, 13)]

    return {
        "locale": language,
        "locales": {
            language: {
                "dictionary": {"Download plot as a PNG": download_label, "Download plot": download_label},
                "format": {
                    "days": sunday_first("wide"),
                    "shortDays": sunday_first("abbreviated"),
                    "months": months("wide"),
                    "shortMonths": months("abbreviated"),
                    "decimal": get_decimal_symbol(language),
                    "thousands": get_group_symbol(language),
                },
            }
        },
    }


def png_config(file_name: str, language: str, download_label: str) -> dict:
    """Plotly's toolbar: only the PNG download (its label in ``language``), saved under a name that says what
    and when."""
    return {
        "displaylogo": False,
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2},
        "responsive": True,
        **plotly_locale(language, download_label),
    }


def broken_reasons_figure(reasons: dict[str, int], labels: dict[str, str], axis_title: str) -> go.Figure:
    """Horizontal bars, one per reason (in the fixed order of ``labels``), of how many broken pledges were broken
    for it; each bar's count is written beside it, so the colour carries no meaning of its own."""
    names = [html.escape(labels[reason]) for reason in labels]  # Plotly reads tags: a label stays text
    values = [reasons.get(reason, 0) for reason in labels]
    figure = go.Figure()
    figure.add_bar(
        y=names,
        x=values,
        orientation="h",
        marker={"color": COLORS["broken"]},
        text=values,
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    figure.update_layout(
        height=max(220, 34 * len(names) + 70),
        margin={"l": 4, "r": 24, "t": 8, "b": 8},
        xaxis={"title": axis_title, "rangemode": "tozero", "fixedrange": True, "dtick": 1 if max(values) < 8 else None},
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True},
        font={"family": FONT},
        showlegend=False,
    )
    return figure
