"""``tracker publish``: the static edition of every programme (or one), with an index, sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from tracker import services
from tracker.edition import parallel
from tracker.edition.i18n import LANGUAGES, environment, gettext_in
from tracker.edition.images import svg_to_png
from tracker.edition.output import Output, OutputPart
from tracker.edition.site import LanguageEdition, Options, PageRecord, ProgrammeFacts, data_files
from tracker.edition.style import stylesheet

SITEMAP_LIMIT = 50_000  # URLs in one sitemap file (the protocol's limit)
MEASURES_PER_TASK = 500  # the measures one worker task renders at least (fewer tasks for small programmes)


@dataclass(frozen=True)
class PublishReport:
    programmes: tuple[str, ...]
    pages: int  # HTML pages written or confirmed, in all languages
    written: int  # files whose content changed (or that were new)
    unchanged: int  # files left as they were
    removed: int  # files of an earlier publish that this one no longer produces
    seconds: float
    written_files: tuple[str, ...] = ()  # the paths written, relative to the output folder

    def summary(self) -> str:
        return (
            f"Published {', '.join(self.programmes)}: {self.pages} pages; {self.written} files written, "
            f"{self.unchanged} unchanged, {self.removed} removed in {self.seconds:.1f} s."
        )


def _url(value: str | None) -> str | None:
    value = (value or "").strip().rstrip("/")
    if not value:
        return None
    if not value.startswith(("http://", "https://")):
        raise services.InvalidInput("url", "not_url", value=value)
    return value


LOCK_NAME = ".publish.lock"


@contextmanager
def _exclusive(outdir: Path) -> Iterator[None]:
    """One publish at a time into ``outdir`` (an automatic publish after each change may overlap another)."""
    outdir.mkdir(parents=True, exist_ok=True)
    with (outdir / LOCK_NAME).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def publish(
    outdir: Path,
    programme: str | None = None,
    base_url: str | None = None,
    app_url: str | None = None,
    today: dt.date | None = None,
    languages: Sequence[str] | None = None,
) -> PublishReport:
    """Write the edition into ``outdir``: every programme, or only ``programme``, in every language, or only
    ``languages``; see ``tracker.edition.site``."""
    unknown = [language for language in languages or () if language not in LANGUAGES]
    if unknown:
        raise ValueError(f"unknown language {unknown[0]!r}; accepted: {', '.join(LANGUAGES)}")
    with _exclusive(Path(outdir)):
        return _publish(Path(outdir), programme, base_url, app_url, today, tuple(languages or LANGUAGES))


def _publish(
    outdir: Path,
    programme: str | None,
    base_url: str | None,
    app_url: str | None,
    today: dt.date | None,
    languages: tuple[str, ...],
) -> PublishReport:
    started = time.perf_counter()
    today = today or services.today()
    all_programmes = services.list_programmes()
    chosen = [services.get_programme(programme)] if programme else all_programmes
    if not chosen:
        services.get_programme(None)  # says that no programme has been loaded yet
    options = Options.from_settings(
        base_url=_url(base_url), app_url=_url(app_url), app_programme_param=len(all_programmes) > 1, languages=languages
    )
    output = Output(Path(outdir))
    pages: list[PageRecord] = []
    for info in chosen:
        data_files = parallel.Background(_data_files, output.root, info.slug)  # beside the pages, on another core
        data = services.edition_data(info.slug, today)
        facts = ProgrammeFacts.of(data)
        png_jobs = []
        for language in languages:
            edition = LanguageEdition(facts, language, options, output)
            edition.build_shared()
            pages.extend(edition.pages)
            png_jobs.extend(edition.png_jobs)
        images = parallel.run(_render_png, None, [svg for _path, svg in png_jobs])
        for (path, _svg), png in zip(png_jobs, images, strict=True):
            output.put(path, png)
        size = max(MEASURES_PER_TASK, -(-len(data.pledges) // (4 * parallel.processes())))
        tasks = [
            (language, start, start + size) for language in languages for start in range(0, len(data.pledges), size)
        ]
        for part, part_pages in parallel.run(_measures, (facts, options, output.root), tasks):
            output.merge(part)
            pages.extend(part_pages)
        output.merge(data_files.result())
        _landing(output, [info], prefix="../", path=f"{info.slug}/index.html", options=options)
        output.remove_stale(info.slug)
    _landing(output, chosen, prefix="", path="index.html", options=options)
    _robots_and_sitemap(output, pages, options)
    counts = output.counts()
    return PublishReport(
        tuple(p.slug for p in chosen),
        len(pages),
        counts.written,
        counts.unchanged,
        counts.removed,
        time.perf_counter() - started,
        tuple(output.written_paths),
    )


def _render_png(_payload: None, svg: str) -> bytes:
    return svg_to_png(svg)


def _measures(payload: tuple[ProgrammeFacts, Options, Path], task: tuple[str, int, int]):
    """The pages and feeds of a slice of the measures in one language (run by a worker)."""
    facts, options, root = payload
    language, start, stop = task
    output = Output(root)
    edition = LanguageEdition(facts, language, options, output)
    edition.build_measures(facts.data.pledges[start:stop])
    return output.part(), edition.pages


def _data_files(root: Path, slug: str) -> OutputPart:
    """The open data, exactly as ``tracker export`` writes it (read once for every format)."""
    output = Output(root)
    files = data_files(slug)
    exported = services.export_programme(slug)
    output.put(f"{slug}/{files['json']}", services.export_json(slug, exported).encode("utf-8"))
    output.put(f"{slug}/{files['csv']}", services.export_csv(slug, exported).encode("utf-8"))
    output.put(f"{slug}/{files['spreadsheet']}", services.export_excel_csv(slug, exported))
    schema = json.dumps(services.export_schema(), ensure_ascii=False, indent=2) + "\n"
    output.put(f"{slug}/{files['schema']}", schema.encode("utf-8"))
    return output.part()


def _landing(output: Output, programmes, prefix: str, path: str, options: Options) -> None:
    """A page listing programmes and their languages: the site's index, or a programme folder's."""
    sections = []
    for language in options.languages:
        _ = gettext_in(language)
        sections.append(
            {
                "lang": language,
                "heading": _("Pledge tracker: the editions"),
                "demo": _("demo data"),
            }
        )
    first = programmes[0] if len(programmes) == 1 else None
    _ = gettext_in("de")
    title = f"{first.title} – {_('Pledge tracker')}" if first else _("Pledge tracker: the editions")
    base = options.base_url
    html = (
        environment("de")
        .get_template("index.html")
        .render(
            lang="de",
            title=title,
            description=_("Which election pledges have been kept: every measure with its status and sources."),
            canonical=f"{base}/{path}".removesuffix("index.html") if base else None,
            feeds=[(p.title, f"{prefix}{p.slug}/de/feeds/all.atom") for p in programmes],
            og_image=f"{base}/{programmes[0].slug}/de/charts/overview.png" if base and programmes else None,
            css=stylesheet(),
            sections=sections,
            programmes=programmes,
            prefix=prefix,
        )
    )
    output.put(path, html.encode("utf-8"))


def _robots_and_sitemap(output: Output, pages: list[PageRecord], options: Options) -> None:
    """robots.txt, and with a base URL the sitemap (an index of several files beyond 50,000 pages)."""
    base = options.base_url
    robots = "User-agent: *\nAllow: /\n"
    if base:
        robots += f"Sitemap: {base}/sitemap.xml\n"
        chunks = [pages[i : i + SITEMAP_LIMIT] for i in range(0, len(pages), SITEMAP_LIMIT)] or [[]]
        if len(chunks) == 1:
            output.put("sitemap.xml", _urlset(base, chunks[0]))
        else:
            names = [f"sitemap-{n}.xml" for n in range(1, len(chunks) + 1)]
            for name, chunk in zip(names, chunks, strict=True):
                output.put(name, _urlset(base, chunk))
            index = "".join(f"<sitemap><loc>{escape(f'{base}/{name}')}</loc></sitemap>\n" for name in names)
            output.put(
                "sitemap.xml",
                (
                    '<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                    f"{index}</sitemapindex>\n"
                ).encode(),
            )
    output.put("robots.txt", robots.encode())


def _urlset(base: str, pages: list[PageRecord]) -> bytes:
    rows = []
    for page in pages:
        loc = f"{base}/{page.path}".removesuffix("index.html")
        lastmod = f"<lastmod>{page.lastmod.isoformat()}</lastmod>" if page.lastmod else ""
        rows.append(f"<url><loc>{escape(loc)}</loc>{lastmod}</url>\n")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "".join(rows) + "</urlset>\n"
    ).encode()
