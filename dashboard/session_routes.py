"""Signing staff in and out over plain HTTP, beside the Streamlit app (``dashboard.server`` mounts these).

A successful sign-in sets the session cookie: a random token (``tracker.services.sessions`` keeps only its
hash and the account), ``HttpOnly``, ``SameSite=Lax``, ``Secure`` over https, path ``/``. The Streamlit
pages read it from ``st.context.cookies`` on every run (``dashboard.auth``). Sign-in and sign-out posts
are accepted only from this site: the ``Origin`` (or ``Referer``) must be this host, and the form must
carry the token of the page's own CSRF cookie.

``StaffGate`` sends a browser that opens a staff page's address without a live session to the sign-in
page, and from there back to the address it asked for.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets
from functools import cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboard.errors import error_text
from dashboard.i18n import LANG_KEY, LANGUAGES, _, language_of, speaking
from dashboard.sso import sso_configured
from tracker import services
from tracker.statuses import direction

SESSION_COOKIE = "tracker_session"
CSRF_COOKIE = "tracker_csrf"
SIGN_IN_PATH = "/staff/sign-in"
SIGN_OUT_PATH = "/staff/sign-out"
STAFF_HOME = "/staff"
# The single sign-on button lives on the Streamlit staff page; this marks the way there past the gate.
SSO_QUERY = "sso"
# Streamlit's own cookie for a single-sign-on user (st.login).
STREAMLIT_USER_COOKIE = "_streamlit_user"

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
_templates.filters["direction"] = direction  # <html dir>: Arabic is written right to left


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def _same_origin(request: Request) -> bool:
    """Whether a post comes from a page of this site (browsers send ``Origin`` with every form post)."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed or claimed == "null":
        return False
    own_hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")} - {""}
    return urlsplit(claimed).netloc in own_hosts


def client_address(request: Request) -> str | None:
    """The address of the browser that sent ``request``, which the limit of failed sign-ins counts against:
    the connection's, or, when that is a trusted proxy (``TRACKER_TRUSTED_PROXIES``), the last address in
    ``X-Forwarded-For`` that is not one (what came before it, a client may have written itself)."""
    peer = request.client.host if request.client else None
    return forwarded_client(peer, request.headers.getlist("x-forwarded-for"))


def forwarded_client(peer: str | None, forwarded_headers: list[str]) -> str | None:
    """The client behind the connection from ``peer``: ``peer`` itself, or, when it is a trusted proxy, the
    last address of the ``X-Forwarded-For`` headers that is not one (see ``client_address``)."""
    proxies = _trusted_proxies(services.settings.get("TRACKER_TRUSTED_PROXIES"))
    if not proxies or not _among(peer, proxies):
        return peer
    forwarded = [hop.strip() for hop in ",".join(forwarded_headers).split(",")]
    forwarded = [hop for hop in forwarded if hop]
    untrusted = [hop for hop in forwarded if not _among(hop, proxies)]
    return untrusted[-1] if untrusted else (forwarded[0] if forwarded else peer)


@cache
def _trusted_proxies(setting: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for entry in filter(None, (part.strip() for part in setting.split(","))):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            logging.getLogger(__name__).warning(
                "TRACKER_TRUSTED_PROXIES: %r is neither an IP address nor a network (such as 10.0.0.0/8); ignored",
                entry,
            )
    return tuple(networks)


def _among(address: str | None, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return False
    ip = ip.ipv4_mapped or ip if ip.version == 6 else ip
    return any(ip.version == network.version and ip in network for network in networks)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only an address on this site (never ``//elsewhere`` or a scheme)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or "\n" in target:
        return STAFF_HOME
    return target


def sign_in_url(next_path: str, language: str, **extra: str) -> str:
    return f"{SIGN_IN_PATH}?{urlencode({'next': next_path, LANG_KEY: language, **extra})}"


def _render(request: Request, language: str, status_code: int = 200, **values) -> Response:
    """The sign-in page in ``language`` with a fresh CSRF token (also set as its cookie)."""
    csrf = secrets.token_urlsafe(32)
    with speaking(language):
        page = _templates.get_template("sign_in.html").render(
            lang=language,
            app_name=_("Pledge tracker"),
            title=_("Sign in for the editorial team"),
            intro=_("Only for the people who keep this tracker up to date. Voters need no account."),
            back_label=_("To the public tracker"),
            lang_query=f"?{LANG_KEY}={language}",
            other_languages=[
                (code, name, str(request.url.include_query_params(**{LANG_KEY: code})))
                for code, name in LANGUAGES.items()
                if code != language
            ],
            name_label=_("Name"),
            password_label=_("Password"),
            sign_in_label=_("Sign in"),
            sign_out_label=_("Sign out"),
            staff_label=_("To the editorial pages"),
            sign_in_url=SIGN_IN_PATH,
            sign_out_url=SIGN_OUT_PATH,
            staff_url=f"{STAFF_HOME}?{LANG_KEY}={language}",
            sso_label=_("Sign in with single sign-on"),
            csrf=csrf,
            **values,
        )
    response = HTMLResponse(page, status_code=status_code, headers={"Cache-Control": "no-store"})
    response.headers["X-Frame-Options"] = "DENY"
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=_is_https(request), path="/")
    return response


def _page_values(request: Request, language: str, actor: services.Actor | None) -> dict:

    values = {
        "next": safe_next(request.query_params.get("next")),
        "name": "",
        "signed_in": None,
        "sso_url": f"{STAFF_HOME}?{urlencode({SSO_QUERY: '1', LANG_KEY: language})}" if sso_configured() else None,
    }
    if actor is not None:
        with speaking(language):
            values["signed_in"] = _("Signed in as {name}.").format(name=actor.signature)
    return values


async def sign_in(request: Request) -> Response:
    """GET: the form (or who is signed in); POST: check the password, start a session, go on to ``next``."""
    language = language_of(request.query_params.get(LANG_KEY))
    token = request.cookies.get(SESSION_COOKIE)
    actor = await run_in_threadpool(services.resolve_session, token) if token else None
    values = _page_values(request, language, actor)
    if request.method == "GET":
        if token and actor is None and not request.query_params.get("signed_out"):
            with speaking(language):
                values.update(message=_("Your session has ended. Please sign in again."), message_kind="info")
        elif request.query_params.get("signed_out"):
            with speaking(language):
                values.update(message=_("You are signed out."), message_kind="info")
        return _render(request, language, **values)

    form = await request.form()
    values.update(next=safe_next(str(form.get("next") or "")), name=str(form.get("name") or "")[:100])
    if not _csrf_ok(request, form.get("csrf")):
        with speaking(language):
            message = _("The sign-in did not come from this page. Please try again.")
        return _render(request, language, 403, **values, message=message, message_kind="error")
    try:
        started = await run_in_threadpool(
            services.start_session, values["name"], str(form.get("password") or ""), address=client_address(request)
        )
    except services.SignInFailed as error:
        with speaking(language):
            message = error_text(error)
        return _render(request, language, 401, **values, message=message, message_kind="error")
    response = RedirectResponse(_with_language(values["next"], language), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        started.token,
        max_age=int(services.SESSION_MAX_AGE.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_is_https(request),
        path="/",
    )
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


async def sign_out(request: Request) -> Response:
    """POST: end the session in the database (its cookie then opens nothing, anywhere) and forget the cookie."""
    language = language_of(request.query_params.get(LANG_KEY))
    form = await request.form()
    if not _csrf_ok(request, form.get("csrf")):
        return RedirectResponse(sign_in_url(STAFF_HOME, language), status_code=303)
    await run_in_threadpool(services.end_session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(sign_in_url(STAFF_HOME, language, signed_out="1"), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_is_https(request))
    return response


def _csrf_ok(request: Request, submitted) -> bool:
    expected = request.cookies.get(CSRF_COOKIE)
    return (
        _same_origin(request)
        and bool(expected)
        and isinstance(submitted, str)
        and hmac.compare_digest(expected.encode(), submitted.encode())
    )


def _with_language(target: str, language: str) -> str:
    url = URL(target)
    return str(url if LANG_KEY in url.query else url.include_query_params(**{LANG_KEY: language}))


ROUTES = [
    Route(SIGN_IN_PATH, sign_in, methods=["GET", "POST"]),
    Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
]


def carries_staff_credentials(request: Request) -> bool:
    """Whether a request comes from a signed-in member of the staff: a live session of ours, or Streamlit's
    single-sign-on cookie where single sign-on is configured (Streamlit checks that cookie itself; the pages
    then check the person's role). Blocking: call it in a worker thread."""
    if STREAMLIT_USER_COOKIE in request.cookies and sso_configured():
        return True
    return services.resolve_session(request.cookies.get(SESSION_COOKIE)) is not None


class StaffGate:
    """ASGI middleware: a request for a staff page's address without a live session is sent to the sign-in.

    The Streamlit pages check the session again on every run; this only spares a browser the empty staff
    page and Streamlit's dialogs, and gives it the plain sign-in form (which password managers fill).
    """

    def __init__(self, app: ASGIApp, staff_paths: frozenset[str]):
        self.app = app
        self.staff_paths = staff_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].rstrip("/") not in self.staff_paths:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.query_params.get(SSO_QUERY) or await run_in_threadpool(carries_staff_credentials, request):
            await self.app(scope, receive, send)
            return
        asked = scope["path"] + (f"?{request.url.query}" if request.url.query else "")
        language = language_of(request.query_params.get(LANG_KEY))
        await RedirectResponse(sign_in_url(asked, language), status_code=303)(scope, receive, send)
