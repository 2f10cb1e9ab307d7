"""The six statuses a pledge can have, their fixed display order and their colours.

The app and the published edition both draw with these colours, so a status looks the same everywhere.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NOT_RATED = "not_rated"
    IN_PROGRESS = "in_progress"
    STALLED = "stalled"
    PARTIALLY_KEPT = "partially_kept"
    KEPT = "kept"
    BROKEN = "broken"


STATUS_KEYS: tuple[str, ...] = tuple(s.value for s in Status)

# The fixed order of every chart, legend, table and list of figures: kept first, unrated last.
DISPLAY_ORDER: tuple[str, ...] = (
    Status.KEPT,
    Status.PARTIALLY_KEPT,
    Status.IN_PROGRESS,
    Status.STALLED,
    Status.BROKEN,
    Status.NOT_RATED,
)

# One colour-blind-safe colour per status (Okabe-Ito palette), the same on every chart and badge.
COLORS: dict[str, str] = {
    Status.KEPT: "#009E73",  # bluish green
    Status.PARTIALLY_KEPT: "#F0E442",  # yellow
    Status.IN_PROGRESS: "#0072B2",  # blue
    Status.STALLED: "#E69F00",  # orange
    Status.BROKEN: "#D55E00",  # vermillion
    Status.NOT_RATED: "#BBBBBB",  # grey
}
# Text written on a status colour: each pair reaches WCAG AA contrast for small text (4.5:1; white on
# the bluish green would reach only 3.4:1, so it carries black text).
TEXT_COLORS: dict[str, str] = {
    Status.KEPT: "#000000",
    Status.PARTIALLY_KEPT: "#000000",
    Status.IN_PROGRESS: "#FFFFFF",
    Status.STALLED: "#000000",
    Status.BROKEN: "#000000",
    Status.NOT_RATED: "#000000",
}


class SourceKind(StrEnum):
    COUNCIL = "council"
    PRESS = "press"
    CITY = "city"
    PARTY = "party"
    OTHER = "other"


SOURCE_KINDS: tuple[str, ...] = tuple(k.value for k in SourceKind)


class Role(StrEnum):
    EDITOR = "editor"  # records status changes and evidence
    ADMIN = "admin"  # also manages accounts and sees the audit trail


ROLES: tuple[str, ...] = tuple(r.value for r in Role)
