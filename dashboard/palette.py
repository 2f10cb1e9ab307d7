"""The status colours and display order, defined once in ``tracker.statuses`` (the edition draws with them too)."""

from __future__ import annotations

from tracker.statuses import COLORS, DISPLAY_ORDER, TEXT_COLORS

__all__ = ["COLORS", "DISPLAY_ORDER", "TEXT_COLORS"]
