"""Status, source-kind and broken-reason names in the edition's languages (from the tables in ``tracker.statuses``)."""

from __future__ import annotations

from tracker.statuses import BROKEN_REASON_LABELS, BROKEN_REASONS, DISPLAY_ORDER, SOURCE_KIND_LABELS, STATUS_LABELS


def status_labels(language: str) -> dict[str, str]:
    """Every status's name in ``language``, in the display order."""
    return {status: STATUS_LABELS[status][language] for status in DISPLAY_ORDER}


def kind_label(kind: str, language: str) -> str:
    return SOURCE_KIND_LABELS[kind][language] if kind in SOURCE_KIND_LABELS else kind


def broken_reason_labels(language: str) -> dict[str, str]:
    """Why a pledge was broken, every reason's name in ``language``, in the fixed order of the reasons."""
    return {reason: BROKEN_REASON_LABELS[reason][language] for reason in BROKEN_REASONS}
