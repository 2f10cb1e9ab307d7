"""The published edition: read models rendered as static HTML pages, SVG charts, PNG images and feeds.

Used by ``tracker publish`` and by the app server's routes (``tracker.edition.live``, one feed, embed page or
chart at a time); nothing here imports Streamlit. It reads only
through ``tracker.services`` (for a whole programme: one read model, ``edition_data``).
"""

from tracker.edition.publisher import PublishReport, publish

__all__ = ["PublishReport", "publish"]
