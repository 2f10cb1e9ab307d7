"""One colour-blind-safe colour per status (Okabe-Ito palette), the same on every chart and badge.

No Streamlit here: the chart functions use it too and are tested without a running app.
"""

from __future__ import annotations

from tracker.statuses import Status

# The fixed order of every chart, legend, table and list of figures: kept first, unrated last.
DISPLAY_ORDER: tuple[str, ...] = (
    Status.KEPT,
    Status.PARTIALLY_KEPT,
    Status.IN_PROGRESS,
    Status.STALLED,
    Status.BROKEN,
    Status.NOT_RATED,
)

COLORS: dict[str, str] = {
    Status.KEPT: "#009E73",  # bluish green
    Status.PARTIALLY_KEPT: "#F0E442",  # yellow
    Status.IN_PROGRESS: "#0072B2",  # blue
    Status.STALLED: "#E69F00",  # orange
    Status.BROKEN: "#D55E00",  # vermillion
    Status.NOT_RATED: "#BBBBBB",  # grey
}
TEXT_COLORS: dict[str, str] = {
    Status.KEPT: "#FFFFFF",
    Status.PARTIALLY_KEPT: "#000000",
    Status.IN_PROGRESS: "#FFFFFF",
    Status.STALLED: "#000000",
    Status.BROKEN: "#000000",
    Status.NOT_RATED: "#000000",
}
