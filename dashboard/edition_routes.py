"""The edition's feeds, embed pages and chart images from the live database, and robots.txt (``dashboard.server``).

``/feeds/P/L/NAME`` and ``/embed/P/L/NAME`` serve what ``tracker publish`` writes to ``P/L/feeds/NAME`` and
``P/L/embed/NAME`` (``P/L/charts/NAME`` for the charts), rendered per request by ``tracker.edition.live``:
a change shows on the next request. They may be cached for a minute (by a CDN, a feed reader, a browser)
and carry an ETag, so that asking again for an unchanged file costs a "304 Not Modified". Embed pages may
be framed by any site; they and the SVG charts run no script and load nothing from elsewhere.

An address that names nothing (a programme, area, measure, language or file name that does not exist)
gets a small "not found" page in the address's language, never an error trace; every value taken from
the address is shown as text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from dashboard import routes
from dashboard.errors import error_text
from dashboard.i18n import LANG_KEY, LANGUAGES, _, language_of, speaking
from dashboard.urlstate import name_like, programme_slug
from tracker import services
from tracker.edition import live
from tracker.statuses import direction

CACHE_CONTROL = "public, max-age=60"  # a change reaches readers behind a cache within a minute
# Embed pages: framed by any site; inline styles, the chart inline, no scripts, nothing from elsewhere.
EMBED_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors *"
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"  # an SVG opened on its own runs nothing
MAX_NAME_LENGTH = 100  # characters of a file name in an address (measure-8.2-4.atom)

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
_templates.filters["direction"] = direction  # <html dir>: Arabic is written right to left


def public_base_url(request: Request) -> str:
    """This app's address as the browser sees it (behind a proxy: ``X-Forwarded-Proto`` and ``-Host``)."""
    scheme = request.headers.get("x-forwarded-proto") or request.url.scheme
    host = request.headers.get("x-forwarded-host") or request.headers.get("host") or request.url.netloc
    return f"{scheme}://{host}"


def feed_url(base_url: str, slug: str, language: str, measure: str | None = None) -> str:
    """The absolute address of the programme's live feed, or of the feed of the measure with code ``measure``."""
    return base_url + live.app_path(slug, language, live.feed_path(measure))


def chart_url(base_url: str, slug: str, language: str, name: str = "overview.png") -> str:
    """The absolute address of a live chart image of the programme (``name`` as in ``live.EMBED_NAMES``)."""
    return base_url + live.app_path(slug, language, f"charts/{name}")


async def feed(request: Request) -> Response:
    return await _serve(request, live.feed)


async def embed(request: Request) -> Response:
    return await _serve(request, live.embed)


async def _serve(request: Request, render: Callable[[str, str, str, str], live.LiveFile]) -> Response:
    programme, language, name = (request.path_params[key] for key in ("programme", "lang", "name"))
    if programme_slug(programme) is None or name_like(name, MAX_NAME_LENGTH) is None:
        return await unknown_address(request)  # a NUL byte, an escape or a kilobyte names nothing here
    try:
        file = await run_in_threadpool(render, programme, language, name, public_base_url(request))
    except live.NotServed as error:
        return not_found(request, language, _not_served_text(error), bilingual=error.what == "language")
    except services.TrackerError as error:  # an unknown programme, area or measure
        return not_found(request, language, partial(error_text, error))
    etag = f'W/"{hashlib.blake2b(file.content, digest_size=16).hexdigest()}"'  # weak: gzip may re-encode it
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if file.kind == "html":
        headers["Content-Security-Policy"] = EMBED_POLICY
    elif file.kind == "svg":
        headers["Content-Security-Policy"] = SVG_POLICY
    if etag in (tag.strip() for tag in request.headers.get("if-none-match", "").split(",")):
        return Response(status_code=304, headers=headers)
    return Response(file.content, media_type=file.media_type, headers=headers)


def _not_served_text(error: live.NotServed) -> Callable[[], str]:
    accepted = ", ".join(error.accepted)
    if error.what == "language":
        languages = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        return lambda: _("There is no language “{value}” here; available: {languages}.").format(
            value=error.value, languages=languages
        )
    if error.what == "feed":
        return lambda: _("There is no feed “{name}” here; a programme's feeds: {accepted}.").format(
            name=error.value, accepted=accepted
        )
    return lambda: _("There is no embed page or chart “{name}” here; available: {accepted}.").format(
        name=error.value, accepted=accepted
    )


async def unknown_address(request: Request) -> Response:
    """Anything else under /feeds and /embed (not the three parts: programme, language, file name)."""
    parts = request.url.path.strip("/").split("/")
    language = parts[2] if len(parts) > 2 else request.query_params.get(LANG_KEY, "")
    return not_found(
        request,
        language,
        lambda: _(
            "This address names nothing here. A programme's feeds are at /feeds/PROGRAMME/LANGUAGE/all.atom, "
            "its embeds and charts at /embed/PROGRAMME/LANGUAGE/overview.html, overview.svg and overview.png."
        ),
    )


def not_found(request: Request, language: str, message: Callable[[], str], bilingual: bool = False) -> Response:
    """A small page saying what was not found, in ``language`` (every language when that is unknown too)."""
    chosen = [language_of(language)] if not bilingual and language in LANGUAGES else list(LANGUAGES)
    sections = []
    for code in chosen:
        with speaking(code):
            sections.append(
                {
                    "lang": code,
                    "title": _("Not found"),
                    "message": message(),
                    "home": "/" if code == "de" else f"/?{LANG_KEY}={code}",
                    "home_label": _("To the pledge tracker"),
                }
            )
    page = _templates.get_template("not_found.html").render(lang=chosen[0], sections=sections)
    return HTMLResponse(
        page, status_code=404, headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    )


async def robots(request: Request) -> Response:
    """robots.txt: the public pages, feeds and charts may be crawled; the staff's pages may not."""
    # Disallow first: crawlers that take the first matching rule (not the longest) read it as meant too.
    lines = ["User-agent: *", *(f"Disallow: /{path}" for path in routes.STAFF_PATHS), "Allow: /"]
    return PlainTextResponse("\n".join(lines) + "\n", headers={"Cache-Control": "public, max-age=3600"})


ROUTES = [
    Route("/feeds/{programme}/{lang}/{name}", feed),
    Route("/embed/{programme}/{lang}/{name}", embed),
    *(Route(path, unknown_address) for path in ("/feeds", "/feeds/{rest:path}", "/embed", "/embed/{rest:path}")),
    Route("/robots.txt", robots),
]
