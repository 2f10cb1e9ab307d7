"""The published edition of one programme: its pages, charts, feeds and data files, in every language.

Layout under the output folder (``P`` = the programme's slug, ``L`` = de, en, tr, ar or uk)::

    P/L/index.html                 overview          P/L/areas/N.html          an area (N-2.html ... when long)
    P/L/measures/CODE.html         a measure         P/L/method.html, corrections.html, over-time.html, data.html
    P/L/as-of/YYYY-MM-DD.html      a snapshot        P/L/embed/overview.html, embed/area-N.html
    P/L/charts/*.svg, *.png        chart downloads   P/L/feeds/all.atom, area-N.atom, measure-CODE.atom
    P/data/P.json, P.csv, pledge-tracker.schema.json (the same as ``tracker export``)

Every link inside the site is relative, so the folder works from any host, any path and from disk.
Nothing on a page depends on the day of publishing except where the day is the point (the over-time
chart runs until it, and the snapshot "as of" it), so that a republish rewrites only what changed.

The feeds, embed pages and charts can also be rendered one at a time, without writing anything: the app
serves them so (``tracker.edition.live``, whose ``LiveEdition`` overrides where their links lead).
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from babel.numbers import format_decimal
from markupsafe import Markup

from tracker import services
from tracker.edition import charts, feeds
from tracker.edition.i18n import (
    LANGUAGES,
    OG_LOCALES,
    environment,
    format_date,
    gettext_in,
    machine_translated_languages,
)
from tracker.edition.labels import broken_reason_labels, kind_label, status_labels
from tracker.edition.output import Output
from tracker.edition.style import stylesheet
from tracker.services import ChangeView, EditionData, EditionPledge
from tracker.statuses import DISPLAY_ORDER, Status

AREA_PAGE_SIZE = 300  # measures listed on one page of an area
RECENT = 10  # latest changes on the overview and an area page
FEED_ENTRIES = 50  # entries of the programme's and an area's feed (a measure's feed has all of its changes)
MAX_GOAL_BARS = 40  # an area with more goals is charted as one bar
WIDE, NARROW = 760, 360  # chart widths for screens and for phones (the downloads are the wide ones)
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")


@dataclass(frozen=True)
class Options:
    base_url: str | None = None  # where the output folder is served, e.g. https://example.org/tracker
    app_url: str | None = None  # the live app, for canonical links
    app_programme_param: bool = False  # the app holds several programmes: its links name the programme
    maintainer: str = ""
    contact: str = ""
    licence: str = ""
    licence_url: str = ""
    languages: tuple[str, ...] = tuple(LANGUAGES)  # the languages published (and linked to each other)

    @classmethod
    def from_settings(cls, **addresses) -> Options:
        """The options with the maintainer, contact and licence of the ``TRACKER_`` settings."""
        return cls(
            maintainer=services.settings.get("TRACKER_MAINTAINER"),
            contact=services.settings.get("TRACKER_CONTACT"),
            licence=services.settings.get("TRACKER_DATA_LICENCE"),
            licence_url=services.settings.get("TRACKER_DATA_LICENCE_URL"),
            **addresses,
        )


@dataclass
class PageRecord:
    """A page for the sitemap: its path under the output folder and when its content last changed."""

    path: str
    lastmod: dt.date | None = None


@dataclass
class ProgrammeFacts:
    """What every language shares: the programme's pledges arranged by area and goal, the latest changes."""

    data: EditionData
    by_area: dict[int, list[EditionPledge]] = field(default_factory=dict)
    by_goal: dict[str, list[EditionPledge]] = field(default_factory=dict)
    loose: dict[int, list[EditionPledge]] = field(default_factory=dict)  # measures of an area outside any goal
    area_page_of: dict[str, int] = field(default_factory=dict)  # pledge code -> page number of its area
    areas: dict[int, services.AreaInfo] = field(default_factory=dict)  # by number
    goals: dict[str, services.GoalInfo] = field(default_factory=dict)  # by code
    recent: list[feeds.FeedEntry] = field(default_factory=list)  # newest recorded first
    recent_by_area: dict[int, list[feeds.FeedEntry]] = field(default_factory=dict)

    @classmethod
    def of(cls, data: EditionData) -> ProgrammeFacts:
        facts = cls(data)
        by_area: dict[int, list[EditionPledge]] = defaultdict(list)
        by_goal: dict[str, list[EditionPledge]] = defaultdict(list)
        loose: dict[int, list[EditionPledge]] = defaultdict(list)
        for pledge in data.pledges:
            by_area[pledge.area_number].append(pledge)
            if pledge.goal_code:
                by_goal[pledge.goal_code].append(pledge)
            else:
                loose[pledge.area_number].append(pledge)
        facts.by_area, facts.by_goal, facts.loose = dict(by_area), dict(by_goal), dict(loose)
        facts.areas = {area.number: area for area in data.areas}
        facts.goals = {goal.code: goal for area in data.areas for goal in area.goals}
        for area in data.areas:
            for index, pledge in enumerate(facts.area_listing(area.number)):
                facts.area_page_of[pledge.code] = index // AREA_PAGE_SIZE + 1

        def key(entry: feeds.FeedEntry):
            return services.recency(entry.change, entry.pledge.code)

        entries = [feeds.FeedEntry(p, c) for p in data.pledges for c in p.history]
        facts.recent = heapq.nlargest(FEED_ENTRIES, entries, key=key)
        per_area: dict[int, list[feeds.FeedEntry]] = defaultdict(list)
        for entry in entries:
            per_area[entry.pledge.area_number].append(entry)
        facts.recent_by_area = {n: heapq.nlargest(FEED_ENTRIES, items, key=key) for n, items in per_area.items()}
        return facts

    def area_listing(self, number: int) -> list[EditionPledge]:
        """An area's measures in the order its page lists them: those outside goals, then goal by goal."""
        area = self.areas[number]
        listing = list(self.loose.get(number, ()))
        for goal in area.goals:
            listing.extend(self.by_goal.get(goal.code, ()))
        return listing

    def area_pages(self, number: int) -> int:
        return max(1, -(-len(self.area_listing(number)) // AREA_PAGE_SIZE))


def code_path(code: str) -> str:
    """A pledge code as a file name (codes are letters, digits, dots and hyphens; anything else is quoted)."""
    return code if _CODE.match(code) else quote(code, safe="")


def area_path(number: int, page: int = 1) -> str:
    return f"areas/{number}.html" if page == 1 else f"areas/{number}-{page}.html"


def measure_path(code: str) -> str:
    return f"measures/{code_path(code)}.html"


PROGRAMME_FEED = "feeds/all.atom"


def area_feed_path(number: int) -> str:
    return f"feeds/area-{number}.atom"


def measure_feed_path(code: str) -> str:
    return f"feeds/measure-{code_path(code)}.atom"


def as_of_path(day: dt.date) -> str:
    return f"as-of/{day.isoformat()}.html"


def counts_of(rows: Iterable[services.AreaCount]) -> dict[int, dict[str, int]]:
    """Per area number, the count of every status (zero where none)."""
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        result.setdefault(row.area_number, dict.fromkeys(DISPLAY_ORDER, 0))[row.status] += row.count
    return result


def status_counts(pledges: Iterable[EditionPledge]) -> dict[str, int]:
    """The measures per status among ``pledges``, of those the figures count (``EditionPledge.counted``)."""
    counts = dict.fromkeys(DISPLAY_ORDER, 0)
    for pledge in pledges:
        if pledge.counted:
            counts[pledge.status] += 1
    return counts


def _size(svg: str) -> tuple[int, int]:
    """The width and height of a chart's viewBox (for an image's size before it has loaded)."""
    match = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg)
    return (round(float(match.group(1))), round(float(match.group(2)))) if match else (WIDE, WIDE // 2)


def responsive(draw: Callable[[int], str]) -> Markup:
    """A chart drawn for wide screens and for phones, both inline; the stylesheet shows the one that fits.

    (A wide chart shrunk to a phone's width would have unreadably small text; the charts' markup is their
    own, with every text escaped.)
    """
    return Markup(f'<div class="wide">{draw(WIDE)}</div><div class="narrow">{draw(NARROW)}</div>')


class LanguageEdition:
    """The pages, charts and feeds of one programme in one language.

    The ``build_*`` methods write into ``output``; the ``*_document``, ``*_chart`` and ``embed_html`` methods
    return one feed, chart or embed page without writing anything (``tracker.edition.live`` serves them).
    """

    def __init__(self, facts: ProgrammeFacts, language: str, options: Options, output: Output | None = None):
        self.facts = facts
        self.data = facts.data
        self.programme = facts.data.programme
        self.language = language
        self.options = options
        self.output = output
        self._ = gettext_in(language)
        self.env = environment(language)
        self.labels = status_labels(language)
        self.badges = {
            status: Markup('<span class="b s-{}">{}</span>').format(status, label)
            for status, label in self.labels.items()
        }
        self.not_checkable = Markup(' <span class="b nc">{}</span>').format(self._("Not checkable"))
        self.prefix = f"{self.programme.slug}/{language}/"
        self.pages: list[PageRecord] = []
        self.png_jobs: list[tuple[str, str]] = []  # (path, SVG) of the PNG images still to render
        self.site_name = self._("Pledge tracker")
        self.last_update = self.data.last_update.date() if self.data.last_update else None
        self._templates = {}

    # -- addresses ---------------------------------------------------------------------------------

    def absolute(self, path: str) -> str | None:
        """The public URL of ``path`` (under this language's folder) when the base URL is known."""
        if not self.options.base_url:
            return None
        return f"{self.options.base_url}/{self.prefix}{path}".removesuffix("index.html")

    def app_link(self, page: str = "", **params: str) -> str | None:
        """The live app's address of the same content (for the canonical link)."""
        if not self.options.app_url:
            return None
        if self.options.app_programme_param:
            params["programme"] = self.programme.slug
        if self.language != "de":
            params["lang"] = self.language
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.options.app_url}/{page}{query}"

    def canonical(self, path: str, app: str | None) -> str | None:
        return app or self.absolute(path)

    def folder_link(self, path: str, app: Callable[[], str | None]) -> str:
        """A page of this language's edition (``path``) as linked from a feed, chart or embed page, which all
        sit one folder down; ``app`` gives the live app's address of the same content (see ``LiveEdition``)."""
        return f"../{path}"

    def chart_link(self, path: str, app: Callable[[], str | None]) -> str:
        """A page of the edition as linked from a chart's row (charts link only within their site)."""
        return self.folder_link(path, app)

    def file_link(self, path: str, from_path: str) -> str:
        """A feed, chart or embed page of this language's edition as linked from the file at ``from_path``."""
        folder, _slash, name = path.rpartition("/")
        if folder == from_path.rpartition("/")[0]:
            return name
        return "../" * from_path.count("/") + path

    # -- rendering ---------------------------------------------------------------------------------

    def measure_item(self, base: str, pledge: EditionPledge) -> Markup:
        """A measure in a list: code, text and status badge, and the badge "not checkable" of a measure flagged
        so (it is listed, but in no figure); a Python helper: lists can hold thousands."""
        badges = self.badges[pledge.status] if pledge.checkable else self.badges[pledge.status] + self.not_checkable
        return Markup('<li><a href="{}{}"><span class="code">{}</span> {}</a> {}</li>').format(
            base, measure_path(pledge.code), pledge.code, pledge.text_in(self.language), badges
        )

    def template(self, name: str):
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]

    def common(self, path: str) -> dict:
        depth = path.count("/")
        base = "../" * depth
        image = "charts/overview.png"
        return {
            "lang": self.language,
            "og_locale": OG_LOCALES[self.language],
            "other_languages": [
                (other, LANGUAGES[other], f"{base}../{other}/{path}")
                for other in self.options.languages
                if other != self.language
            ],
            "base": base,
            "path": path,
            "programme": self.programme,
            "site_name": self.site_name,
            "labels": self.labels,
            "order": DISPLAY_ORDER,
            "css": stylesheet(),
            "og_image": self.absolute(image) or f"{base}{image}",
            "og_url": self.absolute(path),
            "alternates": (
                [
                    (lang, f"{self.options.base_url}/{self.programme.slug}/{lang}/{path}".removesuffix("index.html"))
                    for lang in self.options.languages
                ]
                if self.options.base_url
                else []
            ),
            "all_feed": f"{base}feeds/all.atom",
            "kind_label": lambda kind: kind_label(kind, self.language),
            "measure_path": measure_path,
            "badge": self.badges.__getitem__,
            "measure_item": lambda pledge: self.measure_item(base, pledge),
        }

    def render(
        self,
        template: str,
        path: str,
        *,
        title: str,
        description: str,
        canonical: str | None,
        feeds: Iterable[tuple[str, str]] = (),
        nav: str = "",
        **context,
    ) -> str:
        """The page at ``path`` (under this language's folder) as HTML."""
        values = self.common(path)
        values.update(context)
        values.update(
            title=title,
            description=description,
            canonical=canonical,
            feeds=[(feed_title, self.file_link(href, path)) for feed_title, href in feeds],
            nav=nav,
        )
        return self.template(template).render(values)

    def page(self, template: str, path: str, *, lastmod: dt.date | None = None, sitemap: bool = True, **values) -> None:
        """Write the page at ``path`` (and list it in the sitemap)."""
        html = self.render(template, path, **values)
        self.output.put(self.prefix + path, html.encode("utf-8"))
        if sitemap:
            self.pages.append(PageRecord(self.prefix + path, lastmod))

    def programme_feed(self) -> tuple[str, str]:
        return (self._("All status changes"), PROGRAMME_FEED)

    # -- charts ------------------------------------------------------------------------------------

    def source_line(self, day: dt.date | None) -> str:
        """The source line charts and embeds carry: who, which programme, as of when, under which licence."""
        publisher = self.options.maintainer or self.site_name
        if day is None:
            line = self._("Source: %(publisher)s · %(programme)s") % {
                "publisher": publisher,
                "programme": self.programme.title,
            }
        else:
            line = self._("Source: %(publisher)s · %(programme)s · as of %(date)s") % {
                "publisher": publisher,
                "programme": self.programme.title,
                "date": format_date(day, self.language),
            }
        return f"{line} · {self.options.licence}" if self.options.licence else line

    def chart_text(self, title: str, description: str, day: dt.date | None) -> charts.ChartText:
        return charts.ChartText(self.language, title, description, self.source_line(day), self.labels)

    def area_bars(self, rows, href) -> list[charts.Bar]:
        counts = counts_of(rows)
        return [
            charts.Bar(f"{area.number}. {area.short_title}", counts.get(area.number, {}), href(area.number))
            for area in self.data.areas
        ]

    def goal_bars(self, number: int, href) -> list[charts.Bar]:
        area = self.facts.areas[number]
        bars = []
        if self.facts.loose.get(number) or len(area.goals) > MAX_GOAL_BARS or not area.goals:
            pledges = self.facts.by_area.get(number, []) if len(area.goals) > MAX_GOAL_BARS else []
            pledges = pledges or self.facts.loose.get(number, [])
            label = self._("Whole area") if len(area.goals) > MAX_GOAL_BARS else self._("Measures outside a goal")
            bars.append(charts.Bar(label, status_counts(pledges), href(None)))
        if len(area.goals) <= MAX_GOAL_BARS:
            for goal in area.goals:
                bars.append(
                    charts.Bar(
                        f"{goal.number} {goal.title}", status_counts(self.facts.by_goal.get(goal.code, [])), href(goal)
                    )
                )
        return bars

    def chart_files(self, name: str, draw: Callable[[int], str]) -> dict:
        """Write ``charts/NAME.svg`` (the download, also shown to wide screens) and ``NAME-narrow.svg`` (drawn
        for a phone); the PNG is rendered (later, see ``png_jobs``) only when the SVG changed."""
        svg_path, png_path, narrow_path = f"charts/{name}.svg", f"charts/{name}.png", f"charts/{name}-narrow.svg"
        wide = draw(WIDE)
        changed = self.output.put(self.prefix + svg_path, wide.encode("utf-8"))
        self.output.put(self.prefix + narrow_path, draw(NARROW).encode("utf-8"))
        if changed or not self.output.exists(self.prefix + png_path):
            self.png_jobs.append((self.prefix + png_path, wide))
        else:
            self.output.keep(self.prefix + png_path)
        width, height = _size(wide)
        return {"svg": svg_path, "png": png_path, "narrow": narrow_path, "svg_text": wide, "size": (width, height)}

    def chart_view(self, files: dict, base: str, alt: str, inline: str | None) -> Markup:
        """A chart on a page: for a phone drawn at its width and ``inline`` (so that its links work), for wider
        screens the downloadable SVG as a lazily loaded image, which a phone never fetches (it is not shown
        there). Without ``inline``, both are images: a page's second chart would double its weight.

        (Both drawings inline would make an overview of 17 well-rated areas weigh 160 KB: each of the four
        charts is about 36 KB of markup.)
        """
        width, height = files["size"]
        image = Markup('<img src="{}{}" width="{}" height="{}" alt="{}" loading="lazy">').format(
            base, files["svg"], width, height, alt
        )
        if inline is None:
            return Markup('<picture><source media="(max-width:40rem)" srcset="{}{}">{}</picture>').format(
                base, files["narrow"], image
            )
        return Markup('<div class="narrow">{}</div><div class="wide">{}</div>').format(Markup(inline), image)

    def embed_snippet(self, embed_path: str, title: str, svg: str) -> str:
        height = 160
        match = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg)
        if match:
            height += round(float(match.group(2)) * 720 / float(match.group(1)))
        src = self.absolute(embed_path) or f"/{self.prefix}{embed_path}"
        return (
            f'<iframe src="{src}" title="{Markup.escape(title)}" width="100%" height="{height}" '
            f'style="border:0;max-width:760px" loading="lazy"></iframe>'
        )

    # -- pages -------------------------------------------------------------------------------------

    def build_shared(self) -> None:
        """Every page and feed but the measures' (which ``build_measures`` writes, in parts and in parallel)."""
        self.overview()
        for area in self.data.areas:
            self.area(area)
        self.method()
        self.corrections()
        self.plain_language()
        self.over_time()
        for snapshot in self.data.snapshots:
            self.snapshot(snapshot)
        self.data_page()
        self.feeds()

    def build_measures(self, pledges: Iterable[EditionPledge]) -> None:
        for pledge in pledges:
            self.measure(pledge)
            self.measure_feed(pledge)

    def figures(self, counts: dict[str, int]) -> list[tuple[str, int, float]]:
        total = sum(counts.values())
        return [(status, counts[status], counts[status] / total if total else 0.0) for status in DISPLAY_ORDER]

    def area_rows(self, rows, not_checkable: dict[int, int], link: bool = True) -> list[dict]:
        """The table of the areas: the counted measures per status, those not checkable apart (``not_checkable``,
        per area number), and every measure of the area in the total."""
        counts = counts_of(rows)
        result = []
        for area in self.data.areas:
            by_status = counts.get(area.number, dict.fromkeys(DISPLAY_ORDER, 0))
            flagged = not_checkable.get(area.number, 0)
            result.append(
                {
                    "number": area.number,
                    "title": area.short_title,
                    "href": area_path(area.number) if link else None,
                    "counts": by_status,
                    "not_checkable": flagged,
                    "total": sum(by_status.values()) + flagged,
                }
            )
        return result

    def reasons_chart(self) -> tuple[charts.ChartText, Callable[[int], str], list[tuple[str, int]]] | None:
        """Why the measures rated broken now were broken (``CredibilityFigures``, as the app's overview): the
        chart's texts, its drawing at a width and its rows (reason, number); None while none is broken."""
        figures = self.data.figures
        if figures is None or not figures.counts[Status.BROKEN]:
            return None
        _ = self._
        rows = [(name, figures.broken_reasons[reason]) for reason, name in broken_reason_labels(self.language).items()]
        description = (
            _("Bar chart: number of broken measures per reason.") + " " + "; ".join(f"{name}: {n}" for name, n in rows)
        )
        text = self.chart_text(_("Why pledges were broken"), description, self.last_update)
        return text, lambda width: charts.reason_bars_svg(rows, text, width=width), rows

    def overview_chart(
        self, normalised: bool = False, href: Callable[[int], str | None] | None = None
    ) -> tuple[charts.ChartText, Callable[[int], str]]:
        """The overview's chart of the areas (counts, or each area's shares when ``normalised``): its texts and
        its drawing at a width. Rows link with ``href(area number)``, by default as seen from a folder down."""
        _ = self._
        n = len(self.data.areas)
        if normalised:
            title = _("Progress by policy area, in per cent")
            description = _(
                "Stacked bar chart: share of measures per status in each of the %(n)s policy areas (each area 100 %%)."
            ) % {"n": n}
        else:
            title = _("Progress by policy area")
            description = _("Stacked bar chart: number of measures per status in each of the %(n)s policy areas.") % {
                "n": n
            }
        text = self.chart_text(title, description, self.last_update)

        def from_folder(number: int) -> str:
            return self.chart_link(area_path(number), lambda: self.app_link("measures", area=str(number)))

        bars = self.area_bars(self.data.area_counts, href or from_folder)
        return text, lambda width: charts.stacked_bars_svg(bars, text, normalised=normalised, width=width)

    def overview_embed(self) -> str:
        """The embed page of the overview's chart."""
        text, draw = self.overview_chart()
        return self.embed_html("embed/overview.html", text.title, responsive(draw), self.app_link())

    def overview(self) -> None:
        _ = self._
        data = self.data
        text, draw = self.overview_chart()
        shares_text, draw_shares = self.overview_chart(normalised=True)
        title, shares_title = text.title, shares_text.title
        files = self.chart_files("overview", draw)
        shares_files = self.chart_files("overview-shares", draw_shares)
        figures = data.figures  # the app's overview says the same (``CredibilityFigures``)
        kept = figures.counts[Status.KEPT] + figures.counts[Status.PARTIALLY_KEPT]
        reasons = self.reasons_chart()
        reasons_files = self.chart_files("broken-reasons", reasons[1]) if reasons else None
        self.put("embed/overview.html", self.overview_embed())
        self.page(
            "overview.html",
            "index.html",
            title=f"{self.programme.title} – {self.site_name}",
            description=_(
                "%(kept)s of %(total)s measures of the programme “%(programme)s” have been put into practice "
                "fully or in part. The status of every measure, with dated sources."
            )
            % {"kept": kept, "total": figures.checkable, "programme": self.programme.title},
            canonical=self.canonical("index.html", self.app_link()),
            feeds=[self.programme_feed()],
            nav="overview",
            as_of=None,
            kept=kept,
            total=figures.checkable,
            measures=figures.total,
            past_deadline=figures.past_deadline,
            broken=figures.counts[Status.BROKEN],
            reasons=reasons[2] if reasons else None,
            reasons_chart=self.chart_view(reasons_files, "", f"{reasons[0].title}. {reasons[0].description}", None)
            if reasons
            else None,
            reasons_files=reasons_files,
            reasons_title=reasons[0].title if reasons else None,
            figures=self.figures(figures.counts),
            chart=self.chart_view(
                files, "", f"{title}. {text.description}", self.overview_chart(href=area_path)[1](NARROW)
            ),
            chart_shares=self.chart_view(shares_files, "", f"{shares_title}. {shares_text.description}", None),
            chart_files=files,
            shares_files=shares_files,
            chart_title=title,
            shares_title=shares_title,
            embed_code=self.embed_snippet("embed/overview.html", title, files["svg_text"]),
            areas=self.area_rows(data.area_counts, data.not_checkable),
            recent=[self.recent_item(e.pledge, e.change) for e in self.facts.recent[:RECENT]],
            last_update=data.last_update,
            snapshots=data.snapshots,
        )

    def recent_item(self, pledge: EditionPledge, change: ChangeView) -> dict:
        area = self.facts.areas[pledge.area_number]
        return {
            "code": pledge.code,
            "text": pledge.text_in(self.language),
            "href": measure_path(pledge.code),
            "area": area.short_title,
            "status": change.status,
            "effective_date": change.effective_date,
            "author": change.author,
            "recorded_at": change.recorded_at,
        }

    def put(self, path: str, content: str | bytes) -> None:
        """Write a file of this language's edition that is not a page of the sitemap (a feed, an embed page)."""
        self.output.put(self.prefix + path, content.encode("utf-8") if isinstance(content, str) else content)

    def embed_html(self, path: str, title: str, chart: Markup, app: str | None, area=None) -> str:
        """An embed page: the chart alone, with a link back to the page it comes from."""
        return self.render(
            "embed.html",
            path,
            title=f"{title} – {self.programme.title}",
            description=self.source_line(self.last_update),
            canonical=self.canonical(path, app),
            feeds=[self.programme_feed()],
            chart=chart,
            chart_title=title,
            area=area,
            back=self.folder_link(area_path(area.number) if area else "index.html", lambda: app),
            day=self.last_update,
        )

    def goal_page(self, goal: services.GoalInfo | None) -> int:
        """The page of its area that lists the goal's measures (the first page for the measures outside goals)."""
        first = self.facts.by_goal.get(goal.code) if goal else None
        return self.facts.area_page_of[first[0].code] if first else 1

    def area_chart(
        self, area: services.AreaInfo, href: Callable[[services.GoalInfo | None], str | None] | None = None
    ) -> tuple[charts.ChartText, Callable[[int], str]]:
        """An area's chart of its goals: its texts and its drawing at a width. Rows link with ``href(goal)``
        (None: the measures outside goals), by default to the goal on the area's page, from a folder down."""
        _ = self._
        name = f"{area.number}. {area.short_title}"
        title = _("%(area)s: progress by goal") % {"area": name}
        text = self.chart_text(
            title,
            _("Stacked bar chart: number of measures per status in each goal of the policy area %(area)s.")
            % {"area": name},
            self.last_update,
        )

        def from_folder(goal: services.GoalInfo | None) -> str:
            fragment = f"#goal-{goal.code}" if goal else "#measures"
            goal_param = {"goal": goal.code} if goal else {}
            return self.chart_link(
                f"{area_path(area.number, self.goal_page(goal))}{fragment}",
                lambda: self.app_link("measures", area=str(area.number), **goal_param),
            )

        bars = self.goal_bars(area.number, href or from_folder)
        return text, lambda width: charts.stacked_bars_svg(bars, text, width=width)

    def area_embed(self, area: services.AreaInfo) -> str:
        """The embed page of an area's chart."""
        text, draw = self.area_chart(area)
        app = self.app_link("measures", area=str(area.number))
        return self.embed_html(f"embed/area-{area.number}.html", text.title, responsive(draw), app, area)

    def area(self, area) -> None:
        _ = self._
        listing = self.facts.area_listing(area.number)
        pages = self.facts.area_pages(area.number)
        counts = status_counts(self.facts.by_area.get(area.number, []))
        name = f"{area.number}. {area.short_title}"

        def anchor(goal):  # from the area's first page
            if goal is None:
                return "#measures"
            page = self.goal_page(goal)
            return f"{area_path(area.number, page).removeprefix('areas/') if page > 1 else ''}#goal-{goal.code}"

        text, draw = self.area_chart(area)
        title = text.title
        files = self.chart_files(f"area-{area.number}", draw)
        embed_path = f"embed/area-{area.number}.html"
        self.put(embed_path, self.area_embed(area))
        recent = [self.recent_item(e.pledge, e.change) for e in self.facts.recent_by_area.get(area.number, [])[:RECENT]]
        feed = (_("Status changes in %(area)s") % {"area": name}, area_feed_path(area.number))
        goals = {goal.code: goal for goal in area.goals}
        description = _(
            "Policy area %(area)s of the programme “%(programme)s”: %(kept)s of %(total)s measures put "
            "into practice fully or in part; the status of each with sources."
        ) % {
            "area": name,
            "programme": self.programme.title,
            "kept": counts["kept"] + counts["partially_kept"],
            "total": sum(counts.values()),
        }
        # Further pages name no figures, so that one change in the area rewrites its first page only.
        more_description = _(
            "Policy area %(area)s of the programme “%(programme)s”, page %%(n)s of %%(pages)s: measures with "
            "their status and sources."
        ) % {"area": name, "programme": self.programme.title}
        for number in range(1, pages + 1):
            shown = listing[(number - 1) * AREA_PAGE_SIZE : number * AREA_PAGE_SIZE]
            groups: list[tuple] = []  # (goal or None, measures)
            for pledge in shown:
                goal = goals.get(pledge.goal_code) if pledge.goal_code else None
                if not groups or groups[-1][0] is not goal:
                    groups.append((goal, []))
                groups[-1][1].append(pledge)
            path = area_path(area.number, number)
            page_title = f"{area.number}. {area.title}"
            if pages > 1:
                page_title += " – " + _("page %(n)s of %(pages)s") % {"n": number, "pages": pages}
            self.page(
                "area.html",
                path,
                title=f"{page_title} – {self.programme.title}",
                description=description if number == 1 else more_description % {"n": number, "pages": pages},
                canonical=self.canonical(path, self.app_link("measures", area=str(area.number))),
                feeds=[feed, self.programme_feed()],
                area=area,
                heading=page_title,
                figures=self.figures(counts),
                total=sum(counts.values()),
                not_checkable=self.data.not_checkable.get(area.number, 0),
                chart=self.chart_view(
                    files, "../", f"{title}. {text.description}", self.area_chart(area, anchor)[1](NARROW)
                )
                if number == 1
                else None,
                chart_files=files,
                chart_title=title,
                embed_code=self.embed_snippet(embed_path, title, files["svg_text"]),
                groups=groups,
                page_number=number,
                pages=pages,
                page_links=[(n, area_path(area.number, n)) for n in range(1, pages + 1)],
                recent=recent if number == 1 else [],
                feed_href=feed[1],
            )

    def measure(self, pledge: EditionPledge) -> None:
        _ = self._
        area = self.facts.areas[pledge.area_number]
        goal = self.facts.goals.get(pledge.goal_code) if pledge.goal_code else None
        siblings = [
            p
            for p in (self.facts.by_goal.get(goal.code, []) if goal else self.facts.loose.get(area.number, []))
            if p.code != pledge.code and p.retired_on is None
        ]
        corrected_by = {c.corrects: c.sequence for c in pledge.history if c.corrects}
        path = measure_path(pledge.code)
        status = self.labels[pledge.status]
        text = pledge.text_in(self.language)
        short = text if len(text) <= 90 else text[:89].rstrip() + "…"
        since = (
            _("%(status)s since %(date)s") % {"status": status, "date": format_date(pledge.status_date, self.language)}
            if pledge.status_date
            else status
        )
        feed_path = measure_feed_path(pledge.code)
        self.page(
            "measure.html",
            path,
            title=_("Measure %(code)s: %(text)s") % {"code": pledge.code, "text": short} + f" – {self.site_name}",
            description=f"{since}. {text}"[:300],
            canonical=self.canonical(path, self.app_link(pledge=pledge.code)),
            feeds=[(_("Status changes of measure %(code)s") % {"code": pledge.code}, feed_path), self.programme_feed()],
            lastmod=pledge.last_published.date() if pledge.last_published else None,
            pledge=pledge,
            translation=pledge.translations.get(self.language),
            area=area,
            area_href=area_path(area.number, self.facts.area_page_of.get(pledge.code, 1)),
            goal=goal,
            siblings=siblings,
            corrected_by=corrected_by,
            feed_href=feed_path,
        )

    def method(self) -> None:
        _ = self._
        publisher = self.options.maintainer or self.site_name
        overview_url = self.app_link() or self.absolute("index.html")
        citation = _("%(publisher)s: “%(programme)s” – pledge tracker, as of %(date)s") % {
            "publisher": publisher,
            "programme": self.programme.title,
            "date": format_date(self.last_update, self.language) if self.last_update else "–",
        }
        self.page(
            "method.html",
            "method.html",
            title=_("Method") + f" – {self.programme.title}",
            description=_(
                "How the pledge tracker rates the measures of “%(programme)s”: six statuses, dated sources, "
                "corrections in the open."
            )
            % {"programme": self.programme.title},
            canonical=self.canonical("method.html", self.app_link("method")),
            feeds=[self.programme_feed()],
            nav="method",
            citation=citation,
            review_on=self.data.review_on,
            status_descriptions=self.status_descriptions(),
            citation_url=overview_url,
            maintainer=self.options.maintainer,
            contact=self.options.contact,
            machine_languages=machine_translated_languages(self.language),
            licence=self.options.licence,
            licence_url=self.options.licence_url,
            last_update=self.data.last_update,
            rounds=[self.published_round(r) for r in self.data.rounds],
        )

    def published_round(self, published: services.PublishedRound) -> dict:
        """A closed double-rating round as the method page shows it, its figures worded in the language."""
        _ = self._
        overall = published.overall
        return {
            "date": published.closed_at.date(),
            "size": published.sample_size,
            "sampling": _("stratified by area") if published.sampling == "stratified" else _("random"),
            "agreed": overall.agreed,
            "measures": overall.items,
            "share": overall.observed,
            "kappa": self.kappa_text(overall.kappa),
            "disagreements": published.disagreements,
            "settled": published.settled,
            "note_lines": published.settlement_note.split("\n") if published.settlement_note else [],
            "areas": [
                {
                    "name": f"{a.number}. {a.title}",
                    "measures": a.agreement.items,
                    "agreed": a.agreement.agreed,
                    "share": a.agreement.observed,
                    "kappa": self.kappa_text(a.agreement.kappa),
                }
                for a in published.areas
            ],
        }

    def kappa_text(self, value: float | None) -> str:
        """Cohen's kappa to three decimals ("0,492"), or "not computable" where it is undefined."""
        return self._("not computable") if value is None else format_decimal(value, "0.000", locale=self.language)

    def corrections(self) -> None:
        """The corrections log: every change that corrects an earlier one, newest first, beside what it corrects."""
        _ = self._
        entries = []
        for pledge in self.data.pledges:
            by_sequence = {c.sequence: c for c in pledge.history}
            entries += [
                (pledge, change, by_sequence[change.corrects])
                for change in pledge.history
                if change.corrects and change.corrects in by_sequence
            ]
        entries.sort(key=lambda e: services.recency(e[1], e[0].code), reverse=True)
        self.page(
            "corrections.html",
            "corrections.html",
            title=_("Corrections") + f" – {self.programme.title}",
            description=_("Every rating of “%(programme)s” that was corrected: what was wrong, when and why.")
            % {"programme": self.programme.title},
            canonical=self.canonical("corrections.html", self.app_link("corrections")),
            feeds=[self.programme_feed()],
            nav="method",
            corrections=entries,
            lastmod=max((e[1].published_at.date() for e in entries), default=None),
        )

    def plain_language(self) -> None:
        """The tracker explained in Leichte Sprache: German in every language's folder (marked ``lang="de"``),
        linked from every page's footer."""
        path = f"{services.PLAIN_PATH}.html"
        self.page(
            "plain.html",
            path,
            title=f"{services.PLAIN_TITLE} – {self.programme.title}",
            description=self._("The pledge tracker explained in plain German (Leichte Sprache)."),
            canonical=self.canonical(path, self.app_link(services.PLAIN_PATH)),
            feeds=[self.programme_feed()],
            plain_language=services.PLAIN_LANGUAGE,
            plain_title=services.PLAIN_TITLE,
            sections=services.plain_german(edition=True, contact=self.options.contact),
            app_url=self.app_link(),
        )

    def status_descriptions(self) -> dict[str, str]:
        _ = self._
        return {
            "not_rated": _("Nobody has assessed this measure yet. Every pledge starts here."),
            "in_progress": _("Work has visibly started: a proposal, a council decision, money in the budget."),
            "stalled": _("Work has stopped or is blocked, for example by a lack of money or a majority."),
            "partially_kept": _("Put into practice in part, or in a weaker form than promised."),
            "kept": _("Put into practice as promised, or substantially so."),
            "broken": _("Rejected, abandoned, or the opposite was done."),
        }

    def over_time(self) -> None:
        _ = self._
        data = self.data
        title = _("Measures per status over time")
        first, last = data.timeline[0][0], data.timeline[-1][0]
        text = self.chart_text(
            title,
            _("Stacked area chart: number of measures per status from %(start)s to %(end)s.")
            % {"start": format_date(first, self.language), "end": format_date(last, self.language)},
            last,
        )
        points = [charts.TimePoint(day, counts) for day, counts in data.timeline]

        def draw(width):
            return charts.timeline_svg(points, text, width=width)

        files = self.chart_files("over-time", draw)
        self.page(
            "over_time.html",
            "over-time.html",
            title=_("Progress over time") + f" – {self.programme.title}",
            description=_("How many measures of “%(programme)s” had which status, month by month since the election.")
            % {"programme": self.programme.title},
            canonical=self.canonical("over-time.html", self.app_link("timeline")),
            feeds=[self.programme_feed()],
            nav="over-time",
            chart=self.chart_view(files, "", f"{title}. {text.description}", draw(NARROW)),
            chart_files=files,
            chart_title=title,
            timeline=data.timeline,
            snapshots=data.snapshots,
        )

    def snapshot(self, snapshot) -> None:
        _ = self._
        day = format_date(snapshot.day, self.language)
        n = len(self.data.areas)
        title = _("Progress by policy area") + " · " + _("as of %(date)s") % {"date": day}
        text = self.chart_text(
            title,
            _("Stacked bar chart: number of measures per status in each of the %(n)s policy areas.") % {"n": n},
            snapshot.day,
        )
        bars = self.area_bars(snapshot.areas, lambda number: None)

        def draw(width):
            return charts.stacked_bars_svg(bars, text, width=width)

        files = self.chart_files(f"as-of-{snapshot.day.isoformat()}", draw)
        kept = snapshot.counts["kept"] + snapshot.counts["partially_kept"]
        path = as_of_path(snapshot.day)
        self.page(
            "overview.html",
            path,
            title=_("%(programme)s as of %(date)s") % {"programme": self.programme.title, "date": day}
            + f" – {self.site_name}",
            description=_(
                "As of %(date)s, %(kept)s of %(total)s measures of “%(programme)s” had been put into practice "
                "fully or in part."
            )
            % {"date": day, "kept": kept, "total": snapshot.total, "programme": self.programme.title},
            canonical=self.canonical(path, self.app_link("timeline", as_of=snapshot.day.isoformat())),
            feeds=[self.programme_feed()],
            nav="over-time",
            as_of=snapshot.day,
            kept=kept,
            total=snapshot.total,
            measures=snapshot.total + sum(snapshot.not_checkable.values()),
            past_deadline=0,
            broken=snapshot.counts[Status.BROKEN],
            reasons=None,
            reasons_chart=None,
            reasons_files=None,
            reasons_title=None,
            figures=self.figures(snapshot.counts),
            chart=self.chart_view(files, "../", f"{title}. {text.description}", draw(NARROW)),
            chart_shares=None,
            chart_files=files,
            shares_files=None,
            chart_title=title,
            shares_title=None,
            embed_code=None,
            areas=self.area_rows(snapshot.areas, snapshot.not_checkable),
            recent=[
                {
                    "code": r.code,
                    "text": r.text,
                    "href": measure_path(r.code),
                    "area": r.area_short_title,
                    "status": r.status,
                    "effective_date": r.effective_date,
                    "author": r.author,
                    "recorded_at": r.recorded_at,
                }
                for r in snapshot.recent
            ],
            last_update=None,
            snapshots=self.data.snapshots,
        )

    def data_page(self) -> None:
        _ = self._
        self.page(
            "data.html",
            "data.html",
            title=_("Open data") + f" – {self.programme.title}",
            description=_(
                "Every measure of “%(programme)s” with its status, full history and sources as JSON and CSV, "
                "and the feeds of status changes."
            )
            % {"programme": self.programme.title},
            canonical=self.canonical("data.html", self.app_link("data")),
            feeds=[self.programme_feed()],
            nav="data",
            files=data_files(self.programme.slug),
            licence=self.options.licence,
            licence_url=self.options.licence_url,
        )

    # -- feeds -------------------------------------------------------------------------------------

    def entry_title(self, item: feeds.FeedEntry) -> str:
        title = f"{item.pledge.code}: {self.labels[item.change.status]} – {item.pledge.text_in(self.language)}"
        if item.change.corrects:
            return self._("Correction of no. %(n)s") % {"n": item.change.corrects} + f" · {title}"
        return title

    def entry_content(self, item: feeds.FeedEntry) -> str:
        _ = self._
        change = item.change
        lines = [
            _("Status: %(status)s, effective %(date)s")
            % {"status": self.labels[change.status], "date": format_date(change.effective_date, self.language)},
            _("Measure %(code)s: %(text)s") % {"code": item.pledge.code, "text": item.pledge.text_in(self.language)},
        ]
        if self.language in item.pledge.translations:
            lines.append(_("German original: %(text)s") % {"text": item.pledge.text})
        if change.corrects:
            lines.append(_("Corrects change no. %(n)s") % {"n": change.corrects})
        lines += ["", change.rationale, "", _("Sources:")]
        lines += [f"- {source.title} <{source.url}>" for source in change.sources]
        lines += ["", _("Recorded by %(author)s") % {"author": change.author}]
        return "\n".join(lines)

    def entry_href(self, item: feeds.FeedEntry) -> str:
        path = measure_path(item.pledge.code)
        return self.absolute(path) or self.folder_link(path, lambda: self.app_link(pledge=item.pledge.code))

    def feed_document(
        self, path: str, title: str, subtitle: str, page: str, app: Callable[[], str | None], entries
    ) -> bytes:
        """The Atom feed at ``path`` of ``entries`` (newest first), whose web page is ``page`` (``app`` live)."""
        slug, election = self.programme.slug, self.programme.election_date
        return feeds.atom_feed(
            feed_id=feeds.tag_uri(election, f"{slug}/{self.language}/{path}"),
            title=title,
            subtitle=subtitle,
            language=self.language,
            author=self.options.maintainer or self.site_name,
            self_href=self.absolute(path) or self.file_link(path, path),
            alternate_href=self.absolute(page) or self.folder_link(page, app),
            entries=entries,
            slug=slug,
            election=election,
            entry_title=self.entry_title,
            entry_content=self.entry_content,
            entry_href=self.entry_href,
        )

    def programme_feed_document(self) -> bytes:
        """The feed of the programme's latest changes."""
        title = self.programme.title
        return self.feed_document(
            PROGRAMME_FEED,
            f"{title}: " + self._("All status changes"),
            title,
            "index.html",
            self.app_link,
            self.facts.recent,
        )

    def area_feed_document(self, area: services.AreaInfo) -> bytes:
        """The feed of an area's latest changes."""
        return self.feed_document(
            area_feed_path(area.number),
            self._("Status changes in %(area)s") % {"area": f"{area.number}. {area.short_title}"},
            self.programme.title,
            area_path(area.number),
            lambda: self.app_link("measures", area=str(area.number)),
            self.facts.recent_by_area.get(area.number, []),
        )

    def measure_feed_document(self, pledge: EditionPledge) -> bytes:
        """The feed of every change of a measure."""
        return self.feed_document(
            measure_feed_path(pledge.code),
            self._("Status changes of measure %(code)s") % {"code": pledge.code},
            pledge.text_in(self.language),
            measure_path(pledge.code),
            lambda: self.app_link(pledge=pledge.code),
            [feeds.FeedEntry(pledge, change) for change in sorted(pledge.history, key=_published, reverse=True)],
        )

    def feeds(self) -> None:
        """The programme's feed and each area's."""
        self.put(PROGRAMME_FEED, self.programme_feed_document())
        for area in self.data.areas:
            self.put(area_feed_path(area.number), self.area_feed_document(area))

    def measure_feed(self, pledge: EditionPledge) -> None:
        self.put(measure_feed_path(pledge.code), self.measure_feed_document(pledge))


def _published(change: ChangeView):
    return (change.published_at, change.sequence)


def data_files(slug: str) -> dict[str, str]:
    """The open-data files of a programme, by kind, relative to the programme's folder."""
    return {
        "json": f"data/{slug}.json",
        "csv": f"data/{slug}.csv",
        "spreadsheet": f"data/{slug}-excel.csv",
        "schema": f"data/{services.SCHEMA_NAME}",
    }
