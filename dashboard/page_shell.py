"""The HTML shell of the Streamlit pages, told what each address is before any script runs.

Streamlit serves one static ``index.html`` for every page: ``<html lang="en">``, ``<title>Streamlit</title>``
and no description, so a shared link previews as "Streamlit" in messengers and search results, which run
no JavaScript. ``PageShell`` (ASGI middleware of ``dashboard.server``) rewrites that shell per address: the
page's language and its writing direction (``dir="rtl"`` for Arabic), a title naming the page or measure, a
description with the figures or the measure's text and status, Open Graph and Twitter card tags with the
overview chart as preview image (its live PNG, ``dashboard.edition_routes``), a canonical link and the
programme's live Atom feed (and a measure's, on its permalink) for feed readers to discover. Nothing else of
the page changes.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard.edition_routes import chart_url, feed_url, public_base_url
from dashboard.i18n import LANG_KEY, _, format_date, language_of, speaking
from dashboard.statuses import label
from dashboard.urlstate import pledge_code, programme_slug
from tracker import services
from tracker.statuses import Status, direction

log = logging.getLogger(__name__)

# Request headers that would let the app answer with a compressed or a "304 not modified" shell.
_DROPPED_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
# Response headers that describe the unmodified file.
_DROPPED_RESPONSE_HEADERS = {b"content-length", b"etag", b"last-modified", b"accept-ranges"}
DESCRIPTION_LENGTH = 200


@dataclass(frozen=True)
class ShellMeta:
    language: str
    title: str
    description: str
    canonical: str
    image: str | None = None  # absolute URL of the preview image (a PNG)
    image_alt: str = ""
    feeds: tuple[tuple[str, str], ...] = ()  # (title, absolute URL) of Atom feeds about the page


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _programme(asked: str | None) -> services.ProgrammeInfo | None:
    """The programme the address names (without one, the default programme); None if there is no such."""
    slug = programme_slug(asked)
    if asked and slug is None:  # no programme's slug looks like that: nothing to look up
        return None
    try:
        return services.get_programme(slug) if slug else services.default_programme()
    except services.TrackerError:
        return None


def describe(path: str, params: dict[str, str], base_url: str) -> ShellMeta:
    """What the page at ``path`` with ``params`` is, in its language (German unless ``?lang=`` says else)."""
    from dashboard import routes

    language = language_of(params.get(LANG_KEY))
    slug, code = programme_slug(params.get("programme")), pledge_code(params.get("pledge"))
    given = {"programme": slug, "pledge": code, LANG_KEY: params.get(LANG_KEY) and language}
    kept = {key: value for key, value in given.items() if value}  # as parsed: nothing else of the address
    canonical = f"{base_url}{path}" + (f"?{urlencode(kept)}" if kept else "")
    with speaking(language):
        app_name = _("Pledge tracker")
        programme = _programme(params.get("programme"))
        if programme is None:
            return ShellMeta(language, app_name, _("Which election pledges have been kept?"), canonical)
        image = chart_url(base_url, programme.slug, language)
        image_alt = _("Progress by policy area") + f" · {programme.title}"
        feeds = ((f"{programme.title}: " + _("All status changes"), feed_url(base_url, programme.slug, language)),)
        if code and path.strip("/") in ("", "pledge"):
            try:
                pledge = services.pledge_view(programme.slug, code)
            except services.TrackerError:
                pledge = None
            if pledge is not None:
                status = label(pledge.status)
                if pledge.status_date and pledge.status != Status.NOT_RATED:
                    status += " " + _("(since {date})").format(date=format_date(pledge.status_date))
                title = _("Measure {code}: {status}").format(code=pledge.code, status=label(pledge.status))
                description = (
                    f"{_shorten(pledge.translations.get(language, pledge.text), DESCRIPTION_LENGTH - 40)} · {status}"
                )
                measure_feed = (
                    _("Status changes of measure {code}").format(code=pledge.code),
                    feed_url(base_url, programme.slug, language, pledge.code),
                )
                return ShellMeta(
                    language, f"{title} · {programme.title}", description, canonical, image, image_alt,
                    (measure_feed, *feeds),
                )  # fmt: skip
        page = routes.PAGE_TITLES.get(path.strip("/") or "overview")
        counts = services.status_counts(programme.slug)  # the figures only: no per-area table for a page head
        kept_count = counts[Status.KEPT] + counts[Status.PARTIALLY_KEPT]
        description = _(
            "{programme}: {kept} of {total} measures have been put into practice fully or in part so far; "
            "{in_progress} are in the works. Every rating with its sources."
        ).format(
            programme=programme.title,
            kept=kept_count,
            total=sum(counts.values()),
            in_progress=counts[Status.IN_PROGRESS],
        )
        title = f"{page()} · {programme.title}" if page else programme.title
        return ShellMeta(language, f"{title} · {app_name}", description, canonical, image, image_alt, feeds)


def render_head(meta: ShellMeta) -> str:
    """The tags that replace Streamlit's ``<title>``: every value escaped."""
    e = lambda value: html.escape(value, quote=True)  # noqa: E731 - a local shorthand
    locale = {"de": "de_DE", "en": "en_GB", "tr": "tr_TR", "ar": "ar_AR", "uk": "uk_UA"}.get(
        meta.language, meta.language
    )
    image = (
        f'\n    <meta property="og:image" content="{e(meta.image)}" />'
        f'\n    <meta property="og:image:type" content="image/png" />'
        f'\n    <meta property="og:image:alt" content="{e(meta.image_alt)}" />'
        f'\n    <meta name="twitter:image" content="{e(meta.image)}" />'
        f'\n    <meta name="twitter:image:alt" content="{e(meta.image_alt)}" />'
        if meta.image
        else ""
    )
    feeds = "".join(
        f'\n    <link rel="alternate" type="application/atom+xml" title="{e(title)}" href="{e(href)}" />'
        for title, href in meta.feeds
    )
    return (
        f"<title>{e(meta.title)}</title>\n"
        f'    <meta name="description" content="{e(meta.description)}" />\n'
        f'    <link rel="canonical" href="{e(meta.canonical)}" />\n'
        f'    <meta property="og:type" content="website" />\n'
        f'    <meta property="og:title" content="{e(meta.title)}" />\n'
        f'    <meta property="og:description" content="{e(meta.description)}" />\n'
        f'    <meta property="og:url" content="{e(meta.canonical)}" />\n'
        f'    <meta property="og:locale" content="{e(locale)}" />\n'
        f'    <meta name="twitter:card" content="{"summary_large_image" if meta.image else "summary"}" />\n'
        f'    <meta name="twitter:title" content="{e(meta.title)}" />\n'
        f'    <meta name="twitter:description" content="{e(meta.description)}" />{image}{feeds}'
    )


def rewrite(shell: bytes, meta: ShellMeta) -> bytes:
    text = shell.decode("utf-8")
    language = html.escape(meta.language)
    text = text.replace('<html lang="en">', f'<html lang="{language}" dir="{direction(meta.language)}">', 1)
    text = text.replace("<title>Streamlit</title>", render_head(meta), 1)
    return text.encode("utf-8")


class PageShell:
    """ASGI middleware: the shell of each page address (``page_paths``) is rewritten by ``describe``."""

    def __init__(self, app: ASGIApp, page_paths: frozenset[str]):
        self.app = app
        self.page_paths = page_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].rstrip("/") not in self.page_paths:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        scope = {
            **scope,
            "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in _DROPPED_REQUEST_HEADERS],
        }
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = dict(start["headers"])
            if start["status"] == 200 and headers.get(b"content-type", b"").startswith(b"text/html"):
                body = await self._rewritten(request, body)
            out = [(k, v) for k, v in start["headers"] if k.lower() not in _DROPPED_RESPONSE_HEADERS]
            await send({**start, "headers": [*out, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)

    async def _rewritten(self, request: Request, body: bytes) -> bytes:
        try:
            meta = await run_in_threadpool(
                describe, request.url.path, dict(request.query_params), public_base_url(request)
            )
            return rewrite(body, meta)
        except Exception:  # noqa: BLE001 - a page without preview tags beats no page at all
            log.exception("could not describe %s for its preview", request.url)
            return body
