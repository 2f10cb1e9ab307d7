"""Only the editorial team uploads files: Streamlit's upload route refuses everyone else (``dashboard.server``).

The one page with a file uploader (the import) is a staff page, but Streamlit's upload route
(``/_stcore/upload_file/<session>/<file>``) takes a file from any browser session that sends it one, and
keeps it in memory; twenty 50 MB uploads from a public page once took the server from 269 MB to 1.3 GB.
``server.maxUploadSize`` (.streamlit/config.toml) caps each file at what the import accepts; this gate
refuses an upload without a live staff session (or single sign-on) with "403 Forbidden" before a byte of
it is read.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboard.i18n import LANG_KEY, _, language_of, speaking
from dashboard.session_routes import carries_staff_credentials

UPLOAD_ROUTE = "/_stcore/upload_file"


class UploadGate:
    """ASGI middleware: a request to the upload route without a staff session is answered with 403."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or UPLOAD_ROUTE not in scope["path"] or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if await run_in_threadpool(carries_staff_credentials, request):
            await self.app(scope, receive, send)
            return
        with speaking(language_of(request.query_params.get(LANG_KEY))):
            message = _("Only the signed-in editorial team may upload files.")
        response = PlainTextResponse(message, status_code=403, headers={"Cache-Control": "no-store"})
        await response(scope, receive, send)
