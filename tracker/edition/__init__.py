"""The published edition: read models rendered as static HTML pages, SVG charts, PNG images and feeds.

Used by ``tracker publish`` and by the app server's routes; nothing here imports Streamlit.
"""
