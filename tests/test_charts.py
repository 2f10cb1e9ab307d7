"""The chart builders on their own: fixed status order and colours, names with every colour."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts
from dashboard.palette import COLORS, DISPLAY_ORDER

LABELS = {s: f"label-{s}" for s in DISPLAY_ORDER}


def area_counts() -> pd.DataFrame:
    return pd.DataFrame(
        [
            (2, "Bildung", "kept", 3),
            (1, "Wohnen", "not_rated", 4),
            (2, "Bildung", "not_rated", 1),
            (1, "Wohnen", "broken", 1),
        ],
        columns=["area_number", "area_short_title", "status", "count"],
    )


def test_area_chart_has_one_trace_per_status_in_fixed_order_with_the_palette():
    figure = charts.area_progress_figure(area_counts(), LABELS, "Anzahl")
    assert [t.name for t in figure.data] == [LABELS[s] for s in DISPLAY_ORDER]
    assert [t.marker.color for t in figure.data] == [COLORS[s] for s in DISPLAY_ORDER]
    kept = figure.data[DISPLAY_ORDER.index("kept")]
    assert list(kept.y) == ["1. Wohnen", "2. Bildung"] and list(kept.x) == [0, 3]
    assert [row[0] for row in kept.customdata] == [1, 2]  # the area number a click opens
    assert kept.customdata[1][1] == 0.75  # share of the area, shown on hover
    assert [a.text for a in figure.layout.annotations] == ["1. Wohnen", "2. Bildung"]


def test_palette_colours_are_distinct():
    assert len(set(COLORS.values())) == len(DISPLAY_ORDER) == 6


def test_timeline_chart_stacks_statuses_over_dates():
    frame = pd.DataFrame(
        [(dt.date(2025, 9, 14), s, 5 if s == "not_rated" else 0) for s in DISPLAY_ORDER]
        + [(dt.date(2025, 10, 31), s, {"not_rated": 3, "kept": 2}.get(s, 0)) for s in DISPLAY_ORDER],
        columns=["date", "status", "count"],
    )
    figure = charts.timeline_figure(
        frame, LABELS, "Anzahl", lambda day: f"Monat {day.month}/{day.year}", lambda day: f"Tag {day:%d.%m.%Y}"
    )
    assert [t.stackgroup for t in figure.data] == ["status"] * 6
    assert list(figure.layout.xaxis.tickvals) == [dt.date(2025, 10, 1)]  # the only quarter start in the range
    assert list(figure.layout.xaxis.ticktext) == ["Monat 10/2025"]  # worded by the caller, not by Plotly
    kept = figure.data[DISPLAY_ORDER.index("kept")]
    assert list(kept.y) == [0, 2] and kept.fillcolor == COLORS["kept"]
    assert list(kept.customdata) == ["Tag 14.09.2025", "Tag 31.10.2025"]  # each point's date, worded by the caller
    assert "%{customdata}" in kept.hovertemplate


def test_png_download_has_a_descriptive_file_name():
    config = charts.png_config("hak-herne-2025-progress-by-area-2026-11-25", "de", "Als PNG-Bild herunterladen")
    assert config["toImageButtonOptions"] == {
        "format": "png", "filename": "hak-herne-2025-progress-by-area-2026-11-25", "scale": 2,
    }  # fmt: skip


def test_plotly_speaks_the_page_language():
    """Plotly's toolbar label, month and day names and separators come with the chart (no English on a German page)."""
    config = charts.png_config("x", "de", "Als PNG-Bild herunterladen")
    german = config["locales"][config["locale"]]
    assert german["dictionary"]["Download plot as a PNG"] == "Als PNG-Bild herunterladen"
    assert german["format"]["months"][2] == "März" and german["format"]["days"][:2] == ["Sonntag", "Montag"]
    assert (german["format"]["decimal"], german["format"]["thousands"]) == (",", ".")
    arabic = charts.png_config("x", "ar", "تنزيل")["locales"]["ar"]["format"]
    assert arabic["months"][0] == "يناير"


def test_quarter_ticks_of_a_whole_term_are_few_and_start_quarters():
    ticks = charts.quarter_ticks(dt.date(2025, 9, 14), dt.date(2030, 10, 31))
    assert ticks[0] == dt.date(2025, 10, 1) and len(ticks) <= 6
    assert all(day.day == 1 and day.month in (1, 4, 7, 10) for day in ticks)
    assert charts.quarter_ticks(dt.date(2026, 1, 1), dt.date(2026, 8, 1)) == [
        dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 7, 1),
    ]  # fmt: skip
