"""The web server of the dashboard: Streamlit's ASGI app (``st.App``) with the staff's sign-in routes and the
edition's live feeds, embeds, chart images and robots.txt (``dashboard.edition_routes``); uploads only from
the editorial team (``dashboard.upload_gate``).

``tracker serve`` (and ``make run``) start it with ``streamlit run dashboard/server.py``; any ASGI server can
serve ``app`` too (``uvicorn dashboard.server:app``).
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard import edition_routes, routes
from dashboard.page_shell import PageShell
from dashboard.session_routes import ROUTES, StaffGate
from dashboard.upload_gate import UploadGate

APP_SCRIPT = Path(__file__).resolve().parent / "app.py"

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
