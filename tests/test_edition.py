"""The published edition (``tracker publish``): what a reader, a newsroom and a crawler get from the files.

One edition of Herne with the known statuses is published once for the module (publishing renders every
chart as PNG, which takes seconds); tests that change data publish their own.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import re
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import html5lib
import pytest
from babel.messages.extract import extract_from_dir
from lxml import etree

from tests.helpers import (
    ADMIN,
    EDITOR,
    HERNE,
    HERNE_SLUG,
    KNOWN_STATUSES,
    TODAY,
    catalogue_problems,
    make_change,
    open_app,
    rate_known_statuses,
)
from tracker import clock, services
from tracker.edition import publish
from tracker.edition.i18n import LANGUAGES, catalogue_path, format_date
from tracker.statuses import STATUS_LABELS

BASE = "https://tracker.example.org/herne"
APP = "https://app.example.org"
EDITION = Path(__file__).resolve().parent.parent / "tracker" / "edition"
HTML_NS = "{http://www.w3.org/1999/xhtml}"


# ------------------------------------------------------------------------------------------------ fixtures


@contextmanager
def herne_database(tmp: Path) -> Iterator[str]:
    """A fresh SQLite database with Herne and the known statuses, configured for the block."""
    with pytest.MonkeyPatch.context() as patch:
        url = f"sqlite:///{tmp / 'tracker.sqlite3'}"
        patch.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        rate_known_statuses(HERNE_SLUG)
        yield url
        from tracker import db

        db.get_engine(url).dispose()


# Where the language does not matter to a test, it publishes two (German and Arabic, written right to left):
# the module's ``site`` has all five, and each language adds to the time a publish takes.
TWO_LANGUAGES = ("de", "ar")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Path]:
    """Herne with the known statuses, published with a base URL and the app's URL; the output folder."""
    tmp = tmp_path_factory.mktemp("edition")
    with herne_database(tmp):
        out = tmp / "site"
        publish(out, base_url=BASE, app_url=APP, today=TODAY)
        yield out


def pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def parse(path: Path):
    """The page as an element tree; html5lib in strict mode raises at the first parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(path.read_bytes())


def find_all(tree, tag: str):
    return tree.iter(f"{HTML_NS}{tag}")


def text_of(element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def meta(tree, attribute: str, name: str) -> str | None:
    for element in find_all(tree, "meta"):
        if element.get(attribute) == name:
            return element.get("content")
    return None


def link_href(tree, rel: str) -> list[str]:
    return [e.get("href") for e in find_all(tree, "link") if e.get("rel") == rel]


AREA_TABLE = "Maßnahmen je Status und Politikbereich"  # the caption of the overview's table of the areas


def table_rows(tree, caption: str) -> dict[str, list[str]]:
    """The rows of the table captioned ``caption``: each row's heading -> the texts of its cells."""
    table = next(t for t in find_all(tree, "table") if text_of(next(t.iter(f"{HTML_NS}caption"))) == caption)
    return {
        text_of(tr[0]): [text_of(td) for td in tr[1:]]
        for tr in table.iter(f"{HTML_NS}tr")
        if tr[0].get("scope") == "row"
    }


def latest_codes(tree) -> list[str]:
    """The codes of the latest changes listed on an overview, top to bottom."""
    return [
        text_of(span)
        for ul in find_all(tree, "ul")
        if ul.get("class") == "list"
        for span in ul.iter(f"{HTML_NS}span")
        if span.get("class") == "code"
    ]


# ------------------------------------------------------------------------------------------------ overview


def test_the_overview_shows_the_exact_figures(site):
    tree = parse(site / HERNE_SLUG / "de" / "index.html")
    figures = {li.get("class"): text_of(li) for ul in find_all(tree, "ul") if ul.get("class") == "figures" for li in ul}
    assert figures == {
        "s-kept": "1 Umgesetzt 0,4 %",
        "s-partially_kept": "1 Teilweise umgesetzt 0,4 %",
        "s-in_progress": "2 In Arbeit 0,8 %",
        "s-stalled": "1 Blockiert 0,4 %",
        "s-broken": "1 Gebrochen 0,4 %",
        "s-not_rated": "256 Noch nicht bewertet 97,7 %",
    }
    lead = next(p for p in find_all(tree, "p") if p.get("class") == "lead")
    assert text_of(lead) == "2 von 262 Maßnahmen sind bisher ganz oder teilweise umgesetzt."
    rows = table_rows(tree, AREA_TABLE)
    # kept, partially kept, in progress, stalled, broken, not rated, total
    assert rows["1. Wohnen & Stadtentwicklung"] == ["1", "0", "0", "0", "1", "2", "4"]
    assert rows["8. Bildung (konkrete Ziele)"] == ["0", "0", "2", "0", "0", "60", "62"]
    assert sum(int(cells[-1]) for cells in rows.values()) == 262
    assert sorted(latest_codes(tree)) == sorted(code for code, *_ in KNOWN_STATUSES)
    english = parse(site / HERNE_SLUG / "en" / "index.html")
    lead = next(p for p in find_all(english, "p") if p.get("class") == "lead")
    assert text_of(lead) == "2 of 262 measures have been put into practice fully or in part so far."


def test_latest_changes_are_ordered_by_when_they_were_recorded(tmp_path, monkeypatch):
    moments = iter(dt.datetime(2026, 11, 20, 8, minute, tzinfo=dt.UTC) for minute in range(60))
    monkeypatch.setattr(clock, "now_utc", lambda: next(moments))
    with herne_database(tmp_path):
        # recorded last, effective first: the overview lists it on top all the same
        services.record_status_change(HERNE_SLUG, "2-1", make_change("kept", "2025-10-01"), EDITOR, today=TODAY)
        publish(tmp_path / "site", today=TODAY, languages=["en"])
    tree = parse(tmp_path / "site" / HERNE_SLUG / "en" / "index.html")
    assert latest_codes(tree) == ["2-1", *reversed([code for code, *_ in KNOWN_STATUSES])]


def test_every_language_links_the_others_and_has_its_own_status_names_dates_and_translation_note(site):
    for language in LANGUAGES:
        page = site / HERNE_SLUG / language / "measures" / "8.2-4.html"
        tree = parse(page)
        switch = next(nav for nav in find_all(tree, "nav") if nav.get("class") == "lang")
        links = {a.get("hreflang"): a.get("href") for a in find_all(switch, "a")}
        assert set(links) == set(LANGUAGES) - {language}
        assert all(
            resolve(page, href, site) == site / HERNE_SLUG / code / "measures" / "8.2-4.html"
            for code, href in links.items()
        )
        main = text_of(next(find_all(tree, "main")))
        assert STATUS_LABELS["in_progress"][language] in main  # rated "in progress" as of 15 January 2026
        assert " ".join(format_date(dt.date(2026, 1, 15), language).split()) in main  # "15 Oca 2026", "15 січ. 2026 р."
    german = text_of(next(find_all(parse(site / HERNE_SLUG / "de" / "method.html"), "main")))
    assert "Türkisch, Arabisch und Ukrainisch" in german  # the machine-translated languages, named
    arabic = text_of(next(find_all(parse(site / HERNE_SLUG / "ar" / "method.html"), "main")))
    assert "ترجمة آلية" in arabic and "التركية والعربية والأوكرانية" in arabic


# ------------------------------------------------------------------------------------------------ the files


def resolve(page: Path, href: str, root: Path) -> Path | None:
    """The file an internal link of ``page`` leads to (None for links to other sites)."""
    if href.startswith(BASE + "/") or href == BASE:
        path = unquote(urlsplit(href).path.removeprefix(urlsplit(BASE).path).lstrip("/"))
        return root / path / "index.html" if not path or path.endswith("/") else root / path
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    return target / "index.html" if target.is_dir() or parts.path.endswith("/") else target


def test_every_internal_link_resolves_to_a_file(site):
    checked = 0
    for page in pages(site):
        tree = parse(page)
        for element in tree.iter():
            for attribute in ("href", "src", "srcset"):
                href = element.get(attribute)
                if not href or element.tag == f"{HTML_NS}link" and element.get("rel") == "canonical":
                    continue
                target = resolve(page, href, site)
                if target is not None:
                    assert target.is_file(), f"{page.relative_to(site)}: {href} leads nowhere"
                    checked += 1
    assert checked > 10_000  # every page links to its neighbours, feeds, charts and data files


def test_every_measure_area_and_feed_is_published_in_every_language(site):
    codes = [row.code for row in services.search_pledges(HERNE_SLUG).rows]  # the module's database
    assert {p.name for p in (site / HERNE_SLUG).iterdir() if p.is_dir()} == {*LANGUAGES, "data"}
    for language in LANGUAGES:
        folder = site / HERNE_SLUG / language
        assert {p.stem for p in (folder / "measures").glob("*.html")} == set(codes)
        assert {p.name for p in (folder / "feeds").glob("measure-*.atom")} == {f"measure-{c}.atom" for c in codes}
        assert {p.stem for p in (folder / "areas").glob("*.html")} == {str(n) for n in range(1, 18)}
        for name in ("overview", "overview-shares", "area-8", "over-time", "as-of-2026-10-31"):
            assert (folder / "charts" / f"{name}.svg").read_bytes().startswith(b"<svg")
            assert (folder / "charts" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
    data = site / HERNE_SLUG / "data"
    assert (data / f"{HERNE_SLUG}.json").read_text(encoding="utf-8") == services.export_json(HERNE_SLUG)
    assert (data / f"{HERNE_SLUG}.csv").read_text(encoding="utf-8") == services.export_csv(HERNE_SLUG)
    assert (data / f"{HERNE_SLUG}-excel.csv").read_bytes() == services.export_excel_csv(HERNE_SLUG)


def test_every_page_is_well_formed_html_without_scripts_or_requests_to_other_sites(site):
    for page in pages(site):
        tree = parse(page)  # raises on the first parse error
        assert not list(find_all(tree, "script")), page
        for element in tree.iter():
            assert not [name for name in element.attrib if name.lower().startswith("on")], page
            loads = element.get("src") or (
                element.get("href") if element.get("rel") in ("stylesheet", "icon") else None
            )
            if loads:  # nothing is fetched from another site: no third-party requests
                assert loads.startswith(("data:", BASE)) or not urlsplit(loads).netloc, (page, loads)


def test_every_page_names_its_language_title_description_and_canonical_address(site):
    for page in pages(site):
        relative = page.relative_to(site).as_posix()
        tree = parse(page)
        html = tree if tree.tag == f"{HTML_NS}html" else next(find_all(tree, "html"))
        language = relative.split("/")[1] if relative.count("/") >= 2 else "de"
        assert html.get("lang") == language, relative
        title = text_of(next(find_all(tree, "title")))
        assert title, relative
        assert meta(tree, "name", "description"), relative
        if relative.count("/") < 2:  # the indexes of the site and of a programme folder
            continue
        canonical = link_href(tree, "canonical")
        assert len(canonical) == 1 and canonical[0].startswith(APP + "/"), relative
        assert meta(tree, "property", "og:image") == f"{BASE}/{HERNE_SLUG}/{language}/charts/overview.png" or (
            "/embed/" in relative
        )
        feeds = [e for e in find_all(tree, "link") if e.get("type") == "application/atom+xml"]
        assert feeds and all(resolve(page, e.get("href"), site).is_file() for e in feeds), relative
    measure = parse(site / HERNE_SLUG / "en" / "measures" / "8.2-4.html")
    assert "Measure 8.2-4" in text_of(next(find_all(measure, "title")))
    assert link_href(measure, "canonical") == [f"{APP}/?pledge=8.2-4&lang=en"]
    assert meta(measure, "property", "og:url") == f"{BASE}/{HERNE_SLUG}/en/measures/8.2-4.html"
    assert meta(measure, "name", "twitter:card") == "summary_large_image"
    area = parse(site / HERNE_SLUG / "de" / "areas" / "8.html")
    assert "8. Konkrete Ziele in Bezug auf Bildung" in text_of(next(find_all(area, "title")))
    assert link_href(area, "canonical") == [f"{APP}/measures?area=8"]


def test_a_measure_page_shows_text_context_history_sources_and_corrections(tmp_path):
    with herne_database(tmp_path):
        services.record_status_change(
            HERNE_SLUG,
            "8.2-4",
            make_change("kept", "2026-03-01", corrects_sequence=1, rationale="Die Geräte sind da."),
            services.Actor("bea", "editor", "cli", display_name="Bea Beispiel"),
            today=TODAY,
        )
        publish(tmp_path / "site", today=TODAY, languages=["de"])
    tree = parse(tmp_path / "site" / HERNE_SLUG / "de" / "measures" / "8.2-4.html")
    text = text_of(next(find_all(tree, "main")))
    assert "Maßnahme 8.2-4" in text
    assert "Politikbereich 8 Konkrete Ziele in Bezug auf Bildung" in text
    assert "Ziel 8.2" in text
    assert "Umgesetzt Status seit 01.03.2026" in text
    changes = [s for s in find_all(tree, "section") if s.get("class", "").startswith("change")]
    assert [s.get("id") for s in changes] == ["change-2", "change-1"]
    assert "Korrigiert Änderung Nr. 1." in text_of(changes[0]) and "Bea Beispiel" in text_of(changes[0])
    assert "Korrigiert durch Änderung Nr. 2." in text_of(changes[1]) and "corrected" in changes[1].get("class")
    sources = [a for a in changes[1].iter(f"{HTML_NS}a") if a.get("href", "").startswith("https://www.herne.de")]
    assert [text_of(a) for a in sources] == ["Ratsbeschluss"]


# ------------------------------------------------------------------------------------------------ feeds


def test_the_feeds_parse_and_carry_the_right_entries_with_stable_ids(site, tmp_path):
    feed = feedparser.parse((site / HERNE_SLUG / "en" / "feeds" / "all.atom").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.endswith("All status changes")
    assert len(feed.entries) == len(KNOWN_STATUSES)
    assert {e.id for e in feed.entries} == {
        f"tag:pledge-tracker,2025-09-14:{HERNE_SLUG}/{code}/1" for code, *_ in KNOWN_STATUSES
    }
    entry = next(e for e in feed.entries if e.id.endswith("/8.2-4/1"))
    assert entry.title.startswith("8.2-4: In the works")
    assert entry.link == f"{BASE}/{HERNE_SLUG}/en/measures/8.2-4.html"
    assert entry.author == "anna"
    assert "Der Rat hat am 15.01.2026" in entry.content[0].value
    area = feedparser.parse((site / HERNE_SLUG / "de" / "feeds" / "area-1.atom").read_bytes())
    assert sorted(e.id.split("/")[-2] for e in area.entries) == ["1-1", "1-2"]
    measure = feedparser.parse((site / HERNE_SLUG / "de" / "feeds" / "measure-1-2.atom").read_bytes())
    assert [e.title for e in measure.entries] == ["1-2: Gebrochen – Leerstände aktiv vermitteln."]
    empty = feedparser.parse((site / HERNE_SLUG / "de" / "feeds" / "measure-2-1.atom").read_bytes())
    assert not empty.bozo and empty.entries == []
    # A second publish into another folder gives the same documents (a feed does not depend on the other languages).
    again = tmp_path / "again"
    publish(again, base_url=BASE, app_url=APP, today=TODAY, languages=["de"])
    for name in ("all.atom", "area-1.atom", "measure-1-2.atom"):
        assert (again / HERNE_SLUG / "de" / "feeds" / name).read_bytes() == (
            site / HERNE_SLUG / "de" / "feeds" / name
        ).read_bytes()


def test_sitemap_and_robots(site):
    robots = (site / "robots.txt").read_text()
    assert f"Sitemap: {BASE}/sitemap.xml" in robots
    sitemap = etree.fromstring((site / "sitemap.xml").read_bytes())
    locations = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{BASE}/{HERNE_SLUG}/de/" in locations
    assert f"{BASE}/{HERNE_SLUG}/en/measures/8.2-4.html" in locations
    assert not [loc for loc in locations if "/embed/" in loc]
    for loc in locations:
        assert resolve(site / "index.html", loc, site).is_file(), loc


# ------------------------------------------------------------------------------------------------ hostile text


HOSTILE = '<script>alert(1)</script>"onmouseover="alert(2)'


def test_hostile_text_is_inert_in_pages_feeds_and_charts(tmp_path):
    text = HERNE.read_text(encoding="utf-8")
    meta_file = HERNE.with_suffix(".toml").read_text(encoding="utf-8")
    programme = tmp_path / "hostile.txt"
    programme.write_text(text, encoding="utf-8")
    hostile_title = HOSTILE.replace('"', "'")  # TOML's quotes; the title is hostile all the same
    programme.with_suffix(".toml").write_text(
        meta_file.replace(f'slug = "{HERNE_SLUG}"', 'slug = "hostile"').replace(
            'title = "', f'title = "{hostile_title} ', 1
        ),
        encoding="utf-8",
    )
    with herne_database(tmp_path):
        services.import_programme_file(programme, ADMIN)  # a second programme, with a hostile title
        change = make_change(
            "kept",
            "2026-02-01",
            rationale=HOSTILE,
            sources=[services.SourceInput("https://example.org/?q=<b>", HOSTILE, "press")],
        )
        services.record_status_change(
            HERNE_SLUG, "2-1", change, services.Actor("eve", "editor", "cli", display_name=HOSTILE)
        )
        with pytest.raises(services.InvalidInput):
            services.record_status_change(
                HERNE_SLUG,
                "2-2",
                make_change(sources=[services.SourceInput("javascript:alert(1)", "x", "press")]),
                EDITOR,
            )
        publish(tmp_path / "site", base_url=BASE, today=TODAY, languages=["de", "en", "ar"])  # Arabic: right to left
    root = tmp_path / "site"
    page = root / HERNE_SLUG / "de" / "measures" / "2-1.html"
    raw = page.read_text(encoding="utf-8")
    assert "<script>" not in raw and 'onmouseover="' not in raw
    tree = parse(page)
    assert HOSTILE in text_of(next(find_all(tree, "main")))  # shown as the text it is
    for file in root.rglob("*"):
        if file.suffix in (".html", ".svg", ".atom", ".xml"):
            assert b"<script" not in file.read_bytes(), file
    chart = (root / "hostile" / "en" / "charts" / "overview.svg").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart  # the title in the source line, as text
    assert hostile_title in text_of(next(find_all(parse(root / "hostile" / "en" / "index.html"), "h1")))
    feed = etree.fromstring((root / HERNE_SLUG / "de" / "feeds" / "measure-2-1.atom").read_bytes())
    entry = feed.find("{http://www.w3.org/2005/Atom}entry")
    assert HOSTILE in entry.findtext("{http://www.w3.org/2005/Atom}content")
    assert entry.findtext("{http://www.w3.org/2005/Atom}author/{http://www.w3.org/2005/Atom}name") == HOSTILE


# ------------------------------------------------------------------------------------------------ republish


def test_a_republish_rewrites_only_what_a_change_shows_in(tmp_path):
    with herne_database(tmp_path):
        out = tmp_path / "site"
        first = publish(out, base_url=BASE, app_url=APP, today=TODAY, languages=TWO_LANGUAGES)
        assert first.written > 1000
        again = publish(out, base_url=BASE, app_url=APP, today=TODAY, languages=TWO_LANGUAGES)
        assert (again.written, again.removed) == (0, 0)
        assert again.unchanged == first.written
        services.record_status_change(HERNE_SLUG, "1-3", make_change("kept", "2026-11-20"), EDITOR, today=TODAY)
        after = publish(out, base_url=BASE, app_url=APP, today=TODAY, languages=TWO_LANGUAGES)
    written = set(after.written_files)
    for language in TWO_LANGUAGES:
        folder = f"{HERNE_SLUG}/{language}"
        assert {
            f"{folder}/measures/1-3.html",  # the measure itself
            f"{folder}/measures/1-1.html",  # a measure of the same area lists it with its status
            f"{folder}/feeds/measure-1-3.atom",
            f"{folder}/feeds/area-1.atom",
            f"{folder}/feeds/all.atom",
            f"{folder}/index.html",
            f"{folder}/areas/1.html",
            f"{folder}/charts/overview.svg",
            f"{folder}/charts/overview.png",
        } <= written
        assert f"{folder}/measures/8.2-4.html" not in written
        assert f"{folder}/areas/8.html" not in written
        assert f"{folder}/as-of/2026-10-31.html" not in written  # the change is effective after that day
    assert len(written) < 40 * len(TWO_LANGUAGES), sorted(written)


def test_files_a_publish_no_longer_produces_are_removed(tmp_path):
    with herne_database(tmp_path):
        out = tmp_path / "site"
        publish(out, today=TODAY, languages=TWO_LANGUAGES)
        report = publish(out, today=TODAY + dt.timedelta(days=1), languages=TWO_LANGUAGES)
    assert report.removed >= 2 * 3  # yesterday's snapshot page and its chart (SVG, PNG) in both languages
    assert not (out / HERNE_SLUG / "de" / "as-of" / f"{TODAY.isoformat()}.html").exists()
    assert (out / HERNE_SLUG / "de" / "as-of" / f"{(TODAY + dt.timedelta(days=1)).isoformat()}.html").is_file()


def test_a_large_programme_gets_paged_areas_and_a_sitemap_index(tmp_path, monkeypatch):
    from tracker.edition import publisher, site

    monkeypatch.setattr(site, "AREA_PAGE_SIZE", 20)
    monkeypatch.setattr(publisher, "SITEMAP_LIMIT", 200)
    with herne_database(tmp_path):
        publish(tmp_path / "site", base_url=BASE, today=TODAY, languages=TWO_LANGUAGES)
    root = tmp_path / "site"
    areas = root / HERNE_SLUG / "de" / "areas"
    assert sorted(p.name for p in areas.glob("8*.html")) == ["8-2.html", "8-3.html", "8-4.html", "8.html"]
    last = parse(areas / "8-4.html")
    assert "Seite 4 von 4" in text_of(next(find_all(last, "h1")))
    measure = parse(root / HERNE_SLUG / "de" / "measures" / "8.20-3.html")  # the area's last measure
    crumbs = [a.get("href") for a in find_all(measure, "a") if "areas/8" in (a.get("href") or "")]
    assert crumbs and all(href.startswith("../areas/8-4.html") for href in crumbs)
    for page in [*areas.glob("8*.html"), root / HERNE_SLUG / "de" / "charts" / "area-8.svg"]:
        for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")):
            target = resolve(page, href, root)
            assert target is None or target.is_file(), (page.name, href)
    index = etree.fromstring((root / "sitemap.xml").read_bytes())
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [e.text for e in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert parts == [f"{BASE}/sitemap-{n}.xml" for n in range(1, len(parts) + 1)] and len(parts) >= 3
    urls = [
        loc.text
        for name in parts
        for loc in etree.fromstring((root / name.removeprefix(BASE + "/")).read_bytes()).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert len(urls) == len(set(urls)) > 2 * 262


# ------------------------------------------------------------------------------------------------ snapshots


def test_snapshots_show_each_full_term_year_and_the_day_of_publishing(tmp_path):
    with herne_database(tmp_path):
        services.record_status_change(HERNE_SLUG, "2-1", make_change("kept", "2026-11-02"), EDITOR, today=TODAY)
        data = services.edition_data(HERNE_SLUG, TODAY)
        for snapshot in data.snapshots:  # derived from the history: the same figures as the app's "as of"
            assert snapshot.counts == services.status_counts(HERNE_SLUG, snapshot.day)
        publish(tmp_path / "site", today=TODAY, languages=["en"])
    assert [s.day for s in data.snapshots] == [dt.date(2026, 10, 31), TODAY]
    folder = tmp_path / "site" / HERNE_SLUG / "en"

    def kept(day):
        tree = parse(folder / "as-of" / f"{day}.html")
        return text_of(next(li for li in find_all(tree, "li") if li.get("class") == "s-kept"))

    assert kept("2026-10-31").startswith("1 Kept")
    assert kept(TODAY.isoformat()).startswith("2 Kept")


# ------------------------------------------------------------------------------------------------ command


def test_the_publish_command(tracker_cli, herne, tmp_path):
    out = tmp_path / "site"
    result = tracker_cli("publish", str(out), "--base-url", "https://example.org/t/", check=True)
    assert re.match(r"Published hak-herne-2025: \d+ pages; \d+ files written, 0 unchanged, 0 removed", result.stdout)
    assert (out / "index.html").is_file() and (out / HERNE_SLUG / "en" / "index.html").is_file()
    assert "https://example.org/t/sitemap.xml" in (out / "robots.txt").read_text()
    again = tracker_cli("publish", str(out), "--base-url", "https://example.org/t", check=True)
    assert " 0 files written," in again.stdout
    wrong = tracker_cli("publish", str(out), "--base-url", "example.org")
    assert wrong.returncode == 1 and "example.org" in wrong.stderr and "Traceback" not in wrong.stderr
    unknown = tracker_cli("publish", str(out), "--programme", "nope")
    assert unknown.returncode == 1 and "nope" in unknown.stderr


# ------------------------------------------------------------------------------------------------ catalogue


def used_messages() -> set:
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}
    found = extract_from_dir(
        str(EDITION), method_map, options, keywords={"_": None, "ngettext": (1, 2)}, comment_tags=()
    )
    return {message for _file, _line, message, _comments, _context in found}


def fields(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_edition_catalogue_translates_every_message(language):
    used = used_messages()
    assert len(used) > 100, "no messages found; is the extraction still looking at the right files?"
    assert not catalogue_problems(catalogue_path(language), language, used, fields)


# ------------------------------------------------------------------------------------------------ browser


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``folder`` served like ``python -m http.server`` on a free port of 127.0.0.1; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


@pytest.mark.browser
def test_the_site_is_navigable_without_javascript(site, browser):
    with serving(site) as base:
        context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
        page = context.new_page()
        page.goto(f"{base}/")
        page.get_by_role("link", name="Unsere Ziele für Herne – Wahlprogramm des HAK").first.click()
        page.get_by_role("link", name=re.compile(r"^8\. Bildung \(konkrete Ziele\)$")).last.click()
        assert page.url.endswith(f"/{HERNE_SLUG}/de/areas/8.html")
        page.get_by_role("link", name=re.compile("^8.2-4 ")).first.click()
        assert page.get_by_role("heading", level=1).inner_text() == "Maßnahme 8.2-4"
        assert "In Arbeit" in page.locator("main").inner_text()
        page.go_back()
        assert page.url.endswith("/areas/8.html")
        page.get_by_role("link", name="English").click()
        assert page.get_by_role("heading", level=1).inner_text().startswith("8. Konkrete Ziele")
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("link", name="العربية").click()  # every other language is one link away
        assert page.url.endswith(f"/{HERNE_SLUG}/ar/areas/8.html")
        assert page.locator("html").get_attribute("lang") == "ar"
        context.close()


@pytest.mark.browser
def test_an_embed_renders_inside_a_page_of_another_site(tmp_path, browser):
    with herne_database(tmp_path), serving(tmp_path / "site") as base:
        publish(tmp_path / "site", base_url=base, today=TODAY, languages=["en"])
        overview = parse(tmp_path / "site" / HERNE_SLUG / "en" / "index.html")
        snippet = next(text_of(pre) for pre in find_all(overview, "pre"))
        assert snippet.startswith(f'<iframe src="{base}/{HERNE_SLUG}/en/embed/overview.html"')
        host = tmp_path / "newsroom"
        host.mkdir()
        (host / "index.html").write_text(
            f"<!doctype html><html lang=en><title>News</title><p>Our article</p>{snippet}", encoding="utf-8"
        )
        with serving(host) as newsroom:
            assert urlsplit(newsroom).netloc != urlsplit(base).netloc
            context = browser.new_context(viewport={"width": 390, "height": 900})
            page = context.new_page()
            page.goto(f"{newsroom}/")
            frame = page.frame_locator("iframe")
            chart = frame.locator("svg.tracker-chart").filter(visible=True)
            chart.wait_for()  # the one drawn for a phone's width: the frame is that narrow
            assert chart.locator("title").first.text_content() == "Progress by policy area"
            assert chart.bounding_box()["width"] <= 390
            link = frame.get_by_role("link", name=re.compile("All figures and sources"))
            assert link.get_attribute("href") == "../index.html"
            context.close()


# ------------------------------------------------------------------------------------------------ credibility


def overview_tree(slug: str, folder: Path):
    """The overview page alone as the edition writes it (German), for the state now: no full publish."""
    from tracker.edition.output import Output
    from tracker.edition.site import LanguageEdition, Options, ProgrammeFacts

    LanguageEdition(ProgrammeFacts.of(services.edition_data(slug, TODAY)), "de", Options(), Output(folder)).overview()
    return parse(folder / slug / "de" / "index.html")


def paragraphs(tree) -> list[str]:
    return [text_of(p) for p in find_all(tree, "p")]


def test_the_edition_says_the_apps_figures_counting_only_the_checkable_measures(app_env, herne, tmp_path):
    services.record_status_change(herne, "1-1", make_change("kept", "2026-02-01"), EDITOR, today=TODAY)
    services.record_status_change(herne, "2-1", make_change("kept", "2026-02-01"), EDITOR, today=TODAY)
    services.record_checkability(herne, "1-1", False, "Zu vage: kein Ziel, kein Zeitraum.", EDITOR)
    checkable = "261 von 262 Maßnahmen sind überprüfbar. Die Zahlen und Anteile hier zählen nur diese 261."
    not_counted = "In den Zahlen je Status, im Diagramm und in den Statusspalten der Tabelle nicht mitgezählt: 1 "

    before = overview_tree(herne, tmp_path / "before")  # nothing broken yet: no chart of the reasons
    assert checkable in paragraphs(before)
    assert not any("Versprechen gebrochen" in text_of(h) for h in find_all(before, "h2"))
    assert not (tmp_path / "before" / herne / "de" / "charts" / "broken-reasons.svg").exists()

    services.record_status_change(
        herne, "1-2", make_change("broken", "2026-03-10", broken_reason="no_budget"), EDITOR, today=TODAY
    )
    publish(tmp_path / "site", programme=herne, today=TODAY, languages=("de",))
    folder = tmp_path / "site" / herne / "de"
    edition = parse(folder / "index.html")
    app = open_app()
    app_text = "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption])

    lead = text_of(next(p for p in find_all(edition, "p") if p.get("class") == "lead"))
    assert lead == "1 von 261 Maßnahmen sind bisher ganz oder teilweise umgesetzt."  # 1-1 (kept) is not counted
    assert lead.replace("1 von 261", "**1 von 261**") in app_text
    assert checkable in paragraphs(edition) and checkable in app_text
    boxes = {li.get("class"): text_of(li.find(f"{HTML_NS}strong")) for li in find_all(edition, "li") if li.get("class")}
    assert {STATUS_LABELS[s.removeprefix("s-")]["de"]: n for s, n in boxes.items() if s.startswith("s-")} == {
        m.label: m.value for m in app.metric
    }
    assert boxes["s-not_rated"] == "259" and boxes["s-broken"] == "1"

    assert "Warum Versprechen gebrochen wurden" in [text_of(h) for h in find_all(edition, "h2")]
    assert "1 Maßnahme ist jetzt als gebrochen bewertet; jeder Balken zählt die aus diesem Grund gebrochenen." in (
        paragraphs(edition)
    )
    reasons = table_rows(edition, "Gebrochene Maßnahmen je Grund")
    assert reasons["Kein Geld im Haushalt"] == ["1"] and sum(int(n) for [n] in reasons.values()) == 1
    svg = (folder / "charts" / "broken-reasons.svg").read_text()
    assert "<title" in svg and "Warum Versprechen gebrochen wurden" in svg and "Kein Geld im Haushalt" in svg
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert dict(zip(chart["data"][0]["y"], chart["data"][0]["x"], strict=True))["Kein Geld im Haushalt"] == 1

    # the areas: the flagged measure is in no status column, in a column of its own, and the totals add up
    areas = table_rows(edition, AREA_TABLE)
    # kept, partially kept, in progress, stalled, broken, not rated, not checkable, total
    assert areas["1. Wohnen & Stadtentwicklung"] == ["0", "0", "0", "0", "1", "2", "1", "4"]
    assert sum(int(cells[-1]) for cells in areas.values()) == 262
    assert any(p.startswith(not_counted) for p in paragraphs(edition)) and not_counted in app_text
    table = app.dataframe[0].value
    first = table[table["Nr."] == 1].iloc[0]
    assert (first["Umgesetzt"], first["Gebrochen"], first["Nicht überprüfbar"], first["Gesamt"]) == (0, 1, 1, 4)
    area_page = parse(folder / "areas" / "1.html")
    assert "Nicht überprüfbar" in text_of(next(find_all(area_page, "main")))  # listed, with its badge
    assert any(p.startswith("In diesen Zahlen nicht mitgezählt: 1 Maßnahme") for p in paragraphs(area_page))

    # as of a day: the same rule (a flag has no date: the measures flagged now are left out on every day)
    snapshot = parse(folder / "as-of" / f"{TODAY.isoformat()}.html")
    assert checkable in paragraphs(snapshot)
    assert table_rows(snapshot, AREA_TABLE)["1. Wohnen & Stadtentwicklung"] == ["0", "0", "0", "0", "1", "2", "1", "4"]
    assert services.overview(herne, TODAY).counts == services.programme_figures(herne, TODAY).counts
