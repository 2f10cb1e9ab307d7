"""The web server of the dashboard: Streamlit's ASGI app (``st.App``) with the staff's sign-in routes and the
edition's live feeds, embeds, chart images and robots.txt (``dashboard.edition_routes``); uploads only from
the editorial team (``dashboard.upload_gate``).

``tracker serve`` (and ``make run``) start it with ``streamlit run dashboard/server.py``; any ASGI server can
serve ``app`` too (``uvicorn dashboard.server:app``).
"""

import logging
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard import edition_routes, routes
from dashboard.page_shell import PageShell
from dashboard.session_routes import ROUTES, StaffGate
from dashboard.upload_gate import UploadGate

APP_SCRIPT = Path(__file__).resolve().parent / "app.py"
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"  # the format of Streamlit's own log lines


def log_with_time_and_level() -> None:
    """Our log lines (a page's failure with the reference its visitor saw, a refused sign-in) with the time and
    the level, as Streamlit writes its own; without this they came out as bare messages."""
    logger = logging.getLogger("dashboard")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


log_with_time_and_level()

app = st.App(
    APP_SCRIPT,
    routes=[*ROUTES, *edition_routes.ROUTES],
    middleware=[
        Middleware(UploadGate),
        Middleware(StaffGate, staff_paths=frozenset(f"/{path}" for path in routes.STAFF_PATHS)),
        Middleware(
            PageShell, page_paths=frozenset({"", *(f"/{path}" for path in (*routes.PAGE_TITLES, *routes.STAFF_PATHS))})
        ),
    ],
)
