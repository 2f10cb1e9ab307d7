"""Status and source-kind names in the edition's languages.

Temporary: the same words as the dashboard's (dashboard/statuses.py, dashboard/components.py), until
``tracker.statuses`` holds them for both front ends.
"""

from __future__ import annotations

from tracker.statuses import DISPLAY_ORDER, SourceKind, Status

STATUS_LABELS: dict[str, dict[str, str]] = {
    Status.NOT_RATED: {"de": "Noch nicht bewertet", "en": "Not yet rated"},
    Status.IN_PROGRESS: {"de": "In Arbeit", "en": "In the works"},
    Status.STALLED: {"de": "Blockiert", "en": "Stalled"},
    Status.PARTIALLY_KEPT: {"de": "Teilweise umgesetzt", "en": "Compromise"},
    Status.KEPT: {"de": "Umgesetzt", "en": "Kept"},
    Status.BROKEN: {"de": "Gebrochen", "en": "Broken"},
}

SOURCE_KIND_LABELS: dict[str, dict[str, str]] = {
    SourceKind.COUNCIL: {"de": "Ratsvorlage oder -beschluss", "en": "Council paper or decision"},
    SourceKind.PRESS: {"de": "Presse", "en": "Press"},
    SourceKind.CITY: {"de": "Mitteilung der Stadt", "en": "City announcement"},
    SourceKind.PARTY: {"de": "Partei", "en": "Party"},
    SourceKind.OTHER: {"de": "Sonstiges", "en": "Other"},
}


def status_labels(language: str) -> dict[str, str]:
    """Every status's name in ``language``, in the display order."""
    return {status: STATUS_LABELS[status][language] for status in DISPLAY_ORDER}


def kind_label(kind: str, language: str) -> str:
    return SOURCE_KIND_LABELS[kind][language] if kind in SOURCE_KIND_LABELS else kind
