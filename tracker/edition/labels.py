"""Status and source-kind names in the edition's languages (from the one table in ``tracker.statuses``)."""

from __future__ import annotations

from tracker.statuses import DISPLAY_ORDER, SOURCE_KIND_LABELS, STATUS_LABELS


def status_labels(language: str) -> dict[str, str]:
    """Every status's name in ``language``, in the display order."""
    return {status: STATUS_LABELS[status][language] for status in DISPLAY_ORDER}


def kind_label(kind: str, language: str) -> str:
    return SOURCE_KIND_LABELS[kind][language] if kind in SOURCE_KIND_LABELS else kind
