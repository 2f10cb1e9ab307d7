"""The published edition: static HTML pages with inline SVG charts, chart downloads, Atom feeds and the
open-data files of a programme, in German and English (``tracker publish``).

It reads only through ``tracker.services`` (one read model per programme, ``edition_data``) and imports
no Streamlit; the dashboard's server can serve its feeds and embeds from the same builders.
"""

from tracker.edition.publish import PublishReport, publish

__all__ = ["PublishReport", "publish"]
