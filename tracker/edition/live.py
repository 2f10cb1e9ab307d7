"""One feed, embed page or chart of the edition at a time, from the live database, for the app's server.

The app serves the published edition's files (``tracker.edition.site``) of programme ``P`` in language ``L``
at addresses that mirror their folders::

    /feeds/P/L/all.atom, area-N.atom, measure-CODE.atom       the edition's P/L/feeds/
    /embed/P/L/overview.html, area-N.html                     the edition's P/L/embed/
    /embed/P/L/overview.svg, overview-shares.svg, area-N.svg  the edition's P/L/charts/ (and .png)

The same code renders them as for ``tracker publish``; only the links differ (they lead to the app's pages
and routes, see ``LiveEdition``), and a feed's entries keep their ids. Each request reads just what it
shows (``services.edition_part``), so a change shows on the next request, without a publish and however
large the programme. PNG images are rendered from the SVG; the last ones are kept (``images.svg_to_png``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from tracker import services
from tracker.edition.i18n import LANGUAGES
from tracker.edition.images import svg_to_png
from tracker.edition.site import (
    FEED_ENTRIES,
    PROGRAMME_FEED,
    WIDE,
    LanguageEdition,
    Options,
    ProgrammeFacts,
    measure_feed_path,
)

# The app's route of each folder of the edition.
ROUTES = {"feeds": "feeds", "charts": "embed", "embed": "embed"}
FEED_NAMES = ("all.atom", "area-N.atom", "measure-CODE.atom")
EMBED_NAMES = ("overview.html", "area-N.html", "overview.svg", "overview.png", "overview-shares.svg",
               "overview-shares.png", "area-N.svg", "area-N.png")  # fmt: skip
MEDIA_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
}
_AREA = re.compile(r"area-([0-9]{1,9})")
_MEASURE = re.compile(r"measure-(.+)")


@dataclass(frozen=True)
class LiveFile:
    content: bytes
    kind: str  # the file name's extension: atom, html, svg or png

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]


class NotServed(LookupError):
    """The address names no file: an unknown language (``what`` = "language") or file name ("feed", "embed").

    (An unknown programme, area or measure raises the services' ``NotFound``.)
    """

    def __init__(self, what: str, value: str, accepted: tuple[str, ...]):
        self.what = what
        self.value = value
        self.accepted = accepted
        super().__init__(f"no {what} {value!r}; accepted: {', '.join(accepted)}")


def app_path(slug: str, language: str, path: str) -> str:
    """The app's address of a file of the edition (``feeds/NAME``, ``charts/NAME`` or ``embed/NAME``)."""
    folder, _slash, name = path.partition("/")
    return f"/{ROUTES[folder]}/{quote(slug, safe='')}/{language}/{quote(name)}"


def feed_path(measure: str | None = None) -> str:
    """The path in the edition (for ``app_path``) of the programme's feed, or of the feed of ``measure``."""
    return measure_feed_path(measure) if measure is not None else PROGRAMME_FEED


class LiveEdition(LanguageEdition):
    """The edition of one programme in one language as the app serves it: links lead to the app's pages and
    routes, with its address in feeds and embed pages, from the site's root in charts (which link only
    within their site)."""

    def folder_link(self, path: str, app: Callable[[], str | None]) -> str:
        return app() or super().folder_link(path, app)

    def chart_link(self, path: str, app: Callable[[], str | None]) -> str:
        return self.folder_link(path, app).removeprefix(self.options.app_url or "")  # from the site's root

    def file_link(self, path: str, from_path: str) -> str:
        return f"{self.options.app_url}{app_path(self.programme.slug, self.language, path)}"


def feed(programme: str, language: str, name: str, app_url: str) -> LiveFile:
    """The feed ``name`` (see ``FEED_NAMES``) of the programme in ``language``; links lead to ``app_url``."""
    _check_language(language)
    area = _AREA.fullmatch(name.removesuffix(".atom")) if name.endswith(".atom") else None
    measure = _MEASURE.fullmatch(name.removesuffix(".atom")) if name.endswith(".atom") else None
    if name == PROGRAMME_FEED.removeprefix("feeds/"):
        edition = _edition(programme, language, app_url, latest=FEED_ENTRIES)
        document = edition.programme_feed_document()
    elif area:
        edition = _edition(programme, language, app_url, area=int(area.group(1)), latest=FEED_ENTRIES)
        document = edition.area_feed_document(edition.facts.areas[int(area.group(1))])
    elif measure:
        edition = _edition(programme, language, app_url, pledge=measure.group(1))
        document = edition.measure_feed_document(edition.data.pledges[0])
    else:
        raise NotServed("feed", name, FEED_NAMES)
    return LiveFile(document, "atom")


def embed(programme: str, language: str, name: str, app_url: str) -> LiveFile:
    """The embed page or chart ``name`` (see ``EMBED_NAMES``) of the programme in ``language``."""
    _check_language(language)
    stem, _dot, kind = name.rpartition(".")
    area = _AREA.fullmatch(stem)
    known = area or stem == "overview" or (stem == "overview-shares" and kind != "html")  # no page of the shares
    if kind not in ("html", "svg", "png") or not known:
        raise NotServed("embed", name, EMBED_NAMES)
    if area:
        edition = _edition(programme, language, app_url, area=int(area.group(1)))
        info = edition.facts.areas[int(area.group(1))]
        if kind == "html":
            return LiveFile(edition.area_embed(info).encode("utf-8"), kind)
        svg = edition.area_chart(info)[1](WIDE)
    else:
        edition = _edition(programme, language, app_url)
        if kind == "html":
            return LiveFile(edition.overview_embed().encode("utf-8"), kind)
        svg = edition.overview_chart(normalised=stem == "overview-shares")[1](WIDE)
    return LiveFile(svg_to_png(svg) if kind == "png" else svg.encode("utf-8"), kind)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise NotServed("language", language, tuple(LANGUAGES))


def _edition(programme: str, language: str, app_url: str, **part) -> LiveEdition:
    data = services.edition_part(programme, **part)
    options = Options.from_settings(app_url=app_url, app_programme_param=len(services.list_programmes()) > 1)
    return LiveEdition(ProgrammeFacts.of(data), language, options)
