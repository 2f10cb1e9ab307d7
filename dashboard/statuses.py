"""Status names, meanings and badges, and the kinds of source, in the reader's language (colours:
``dashboard.palette``)."""

from __future__ import annotations

import html

from dashboard.i18n import _, current_language
from dashboard.palette import COLORS, DISPLAY_ORDER, TEXT_COLORS
from tracker.statuses import BROKEN_REASON_LABELS, SOURCE_KIND_LABELS, STATUS_LABELS, Status

__all__ = [
    "COLORS",
    "DISPLAY_ORDER",
    "TEXT_COLORS",
    "badge_html",
    "broken_reason_label",
    "description",
    "label",
    "source_kind_label",
]


def label(status: str) -> str:
    """The status name in the reader's language (from ``tracker.statuses``, which the imports and exports of
    spreadsheets use too)."""
    return STATUS_LABELS[Status(status)][current_language()]


def source_kind_label(kind: str) -> str:
    """The kind of a source in the reader's language (from ``tracker.statuses``, like the status names)."""
    names = SOURCE_KIND_LABELS.get(kind)
    return names[current_language()] if names else kind


def broken_reason_label(reason: str) -> str:
    """Why a pledge was broken, in the reader's language (from ``tracker.statuses``, like the status names)."""
    names = BROKEN_REASON_LABELS.get(reason)
    return names[current_language()] if names else reason


def description(status: str) -> str:
    """What the status means, for the method page."""
    texts = {
        Status.NOT_RATED: _("Nobody has assessed this measure yet. Every pledge starts here."),
        Status.IN_PROGRESS: _("Work has visibly started: a proposal, a council decision, money in the budget."),
        Status.STALLED: _("Work has stopped or is blocked, for example by a lack of money or a majority."),
        Status.PARTIALLY_KEPT: _("Put into practice in part, or in a weaker form than promised."),
        Status.KEPT: _("Put into practice as promised, or substantially so."),
        Status.BROKEN: _("Rejected, abandoned, or the opposite was done."),
    }
    return texts[Status(status)]


def badge_html(status: str) -> str:
    """A coloured badge with the status name; only our own, escaped label goes into it."""
    return (
        f'<span style="background:{COLORS[status]};color:{TEXT_COLORS[status]};padding:0.1rem 0.55rem;'
        f'border-radius:0.75rem;font-size:0.85rem;font-weight:600;white-space:nowrap">'
        f"{html.escape(label(status))}</span>"
    )
