"""The edition served by the live app (``dashboard.edition_routes``): feeds, embed pages, chart images and
robots.txt from the live database, answered by the app started with ``tracker serve``; the page shell's
preview image and feed link; and that a part of the edition read alone equals the published one.

The server-side tests share one app on a SQLite file with Herne and the known statuses, and the edition
published from it at the start; the test that records a change runs last.
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import re
import socketserver
import threading
import urllib.robotparser
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import feedparser
import html5lib
import pytest
import requests
from PIL import Image

from tests.browser import running_app
from tests.helpers import ADMIN, EDITOR, HERNE, HERNE_SLUG, KNOWN_STATUSES, TODAY, make_change, rate_known_statuses
from tracker import clock, db, services
from tracker.edition import live, publish
from tracker.edition.site import LanguageEdition, Options, ProgrammeFacts

HTML_NS = "{http://www.w3.org/1999/xhtml}"
PUBLISHED = "https://tracker.example.org/herne"
FEEDS = ("all.atom", "area-1.atom", "area-8.atom", "measure-1-2.atom", "measure-2-1.atom")


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The app on Herne with the known statuses, and the edition published from the same database."""
    tmp = tmp_path_factory.mktemp("edition-routes")
    url = f"sqlite:///{tmp / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:  # the use cases of the tests work on the app's database
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        rate_known_statuses(HERNE_SLUG)
        publish(tmp / "site", base_url=PUBLISHED, today=TODAY)
        with running_app(url) as base:
            yield base, tmp / "site" / HERNE_SLUG
        db.get_engine(url).dispose()


def get(url: str, **kwargs) -> requests.Response:
    return requests.get(url, timeout=60, **kwargs)


def entries(feed) -> list[tuple]:
    """What a reader sees of each entry, links aside (the app's feeds link to the app's pages)."""
    return [(e.id, e.title, e.author, e.updated, e.content[0].value) for e in feed.entries]


def parse(body: bytes):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(body)


def without_links(svg: str) -> str:
    """A chart without its links (and the ids derived from them)."""
    return re.sub(r"chart-[0-9a-f]{10}", "chart", re.sub(r' href="[^"]*"', "", svg))


def text_of(element) -> str:
    return " ".join(" ".join(element.itertext()).split())


# ------------------------------------------------------------------------------------------------ feeds


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_feeds_are_the_published_ones_with_the_same_ids(app, language):
    base, site = app
    for name in FEEDS:
        response = get(f"{base}/feeds/{HERNE_SLUG}/{language}/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
        assert response.headers["cache-control"] == "public, max-age=60"
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (name, feed.bozo_exception)
        published = feedparser.parse((site / language / "feeds" / name).read_bytes())
        assert entries(feed) == entries(published), name
        assert feed.feed.id == published.feed.id and feed.feed.title == published.feed.title
        assert feed.feed.links[0].href == response.url  # rel="self": this address
    feed = feedparser.parse(get(f"{base}/feeds/{HERNE_SLUG}/{language}/all.atom").content)
    assert {e.id for e in feed.entries} == {
        f"tag:pledge-tracker,2025-09-14:{HERNE_SLUG}/{code}/1" for code, *_ in KNOWN_STATUSES
    }
    entry = next(e for e in feed.entries if e.id.endswith("/8.2-4/1"))
    lang = "" if language == "de" else "&lang=en"
    assert entry.link == f"{base}/?pledge=8.2-4{lang}"  # the measure's page in the app
    assert entry.title.startswith("8.2-4: " + ("In Arbeit" if language == "de" else "In the works"))


def test_an_unchanged_feed_is_not_sent_again(app):
    base, _site = app
    address = f"{base}/feeds/{HERNE_SLUG}/de/area-8.atom"
    first = get(address)
    again = get(address, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    compressed = get(address, headers={"Accept-Encoding": "gzip"})
    assert compressed.headers["content-encoding"] == "gzip" and compressed.content == first.content


# ------------------------------------------------------------------------------------------------ embeds and images


def test_the_embed_pages_and_charts_answer_at_stable_addresses(app):
    base, site = app
    for name in ("overview.html", "area-8.html"):
        response = get(f"{base}/embed/{HERNE_SLUG}/en/{name}")
        assert response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
        assert "x-frame-options" not in response.headers
        assert "frame-ancestors *" in response.headers["content-security-policy"]
        tree = parse(response.content)
        assert next(tree.iter(f"{HTML_NS}html")).get("lang") == "en"
        link = next(a for a in tree.iter(f"{HTML_NS}a") if text_of(a).startswith("All figures and sources"))
        assert link.get("href") == (
            f"{base}/?lang=en" if name == "overview.html" else f"{base}/measures?area=8&lang=en"
        )
    for name in ("overview", "overview-shares", "area-8"):
        svg = get(f"{base}/embed/{HERNE_SLUG}/de/{name}.svg")
        assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
        assert svg.content.startswith(b"<svg") and b"<script" not in svg.content
        published = (site / "de" / "charts" / f"{name}.svg").read_text(encoding="utf-8")
        assert without_links(svg.text) == without_links(published)  # the same chart, linking to the app
    assert 'href="/measures?area=8&amp;goal=8.2"' in get(f"{base}/embed/{HERNE_SLUG}/de/area-8.svg").text
    assert 'href="/measures?area=8&amp;lang=en"' in get(f"{base}/embed/{HERNE_SLUG}/en/overview.svg").text


@pytest.mark.parametrize("name", ["overview.png", "overview-shares.png", "area-8.png"])
def test_the_chart_images_are_pngs(app, name):
    base, _site = app
    response = get(f"{base}/embed/{HERNE_SLUG}/de/{name}")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == "public, max-age=60"
    image = Image.open(io.BytesIO(response.content))
    image.verify()  # a complete, uncorrupted PNG
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.width == 1200 and 300 < image.height < 3000
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 6  # drawn, in the status colours


@contextmanager
def newsroom(body: str) -> Iterator[str]:
    """Another site (another port of 127.0.0.1: Chromium lets only local pages frame a local one) that
    answers every address with ``body``; yields its base URL."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args) -> None:
            pass

    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Page) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_an_embed_renders_in_an_iframe_of_a_page_of_another_site(app, browser, width):
    base, _site = app
    snippet = f'<iframe src="{base}/embed/{HERNE_SLUG}/en/overview.html" title="Chart" width="100%" height="900">'
    article = f"<!doctype html><html lang=en><title>News</title><p>Our article</p>{snippet}</iframe>"
    with newsroom(article) as other_site:
        assert other_site != base
        context = browser.new_context(viewport={"width": width, "height": 1000})
        page = context.new_page()
        page.goto(f"{other_site}/article")
        frame = page.frame_locator("iframe")
        chart = frame.locator("svg.tracker-chart").filter(visible=True)
        chart.wait_for()  # the chart drawn for the frame's width: a phone's, or a wide one
        assert chart.locator("title").first.text_content() == "Progress by policy area"
        assert chart.get_attribute("viewBox").split()[2] == ("360" if width < 640 else "760")
        box = chart.bounding_box()
        assert box["width"] <= width and box["height"] > 300
        assert "8. Bildung (konkrete Ziele)" in chart.text_content() and "Source: " in chart.text_content()
        link = frame.get_by_role("link", name=re.compile("All figures and sources"))
        assert link.get_attribute("href") == f"{base}/?lang=en"
        context.close()


# ------------------------------------------------------------------------------------------------ not found


@pytest.mark.parametrize(
    ("path", "language", "says"),
    [
        ("/feeds/nope/de/all.atom", "de", "Es gibt kein Programm „nope“. Vorhandene Programme: hak-herne-2025."),
        ("/feeds/nope/en/all.atom", "en", "There is no programme “nope”. Programmes here: hak-herne-2025."),
        (
            f"/feeds/{HERNE_SLUG}/de/area-99.atom",
            "de",
            "keinen Themenbereich 99; seine Bereiche haben die Nummern 1–17",
        ),
        (f"/embed/{HERNE_SLUG}/en/area-0.png", "en", "There is no policy area 0 in this programme"),
        (f"/feeds/{HERNE_SLUG}/en/measure-8.2-9.atom", "en", "code “8.2-9” in this programme. Did you mean: 8.2-4,"),
        (f"/embed/{HERNE_SLUG}/de/chart.gif", "de", "Eine Einbettung oder Grafik „chart.gif“ gibt es hier nicht"),
        (f"/feeds/{HERNE_SLUG}/en/everything.rss", "en", "There is no feed “everything.rss” here"),
        (f"/feeds/{HERNE_SLUG}/fr/all.atom", "de en tr ar uk", "Die Sprache „fr“ gibt es hier nicht"),
        ("/embed/too/short", "de en tr ar uk", "Unter dieser Adresse gibt es nichts"),
        ("/feeds", "de en tr ar uk", "This address names nothing here"),
        ("/feeds/%3Cscript%3Ealert(1)/de/all.atom", "de", "Es gibt kein Programm „<script>alert(1)“"),
        (f"/embed/{HERNE_SLUG}/en/area-%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E.html", "en", '“area-">'),
        (f"/feeds/{HERNE_SLUG}/%3Cb%3E/all.atom", "de en tr ar uk", "Die Sprache „<b>“ gibt es hier nicht"),
        (f"/embed/{HERNE_SLUG}/de/area-99999999999999999999999.svg", "de", "„area-99999999999999999999999.svg“"),
    ],
)
def test_an_address_that_names_nothing_gets_a_clean_404_in_its_language(app, path, language, says):
    base, _site = app
    response = get(base + path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    body = response.text
    assert "Traceback" not in body and "<script" not in body and "<img" not in body and "<b>" not in body
    tree = parse(response.content)  # well-formed; whatever came in the address is text
    sections = list(tree.iter(f"{HTML_NS}section"))
    assert [s.get("lang") for s in sections] == language.split()
    assert says in text_of(next(tree.iter(f"{HTML_NS}main")))
    assert text_of(next(tree.iter(f"{HTML_NS}h1"))) == ("Not found" if language == "en" else "Nicht gefunden")


# ------------------------------------------------------------------------------------------------ robots, shell


def test_robots_txt_allows_the_public_pages_and_keeps_crawlers_off_the_staff_pages(app):
    base, _site = app
    response = get(f"{base}/robots.txt")
    assert response.status_code == 200 and response.headers["content-type"] == "text/plain; charset=utf-8"
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(response.text.splitlines())
    for path in ("/", "/measures?area=8", "/?pledge=8.2-4", f"/feeds/{HERNE_SLUG}/de/all.atom",
                 f"/embed/{HERNE_SLUG}/de/overview.png"):  # fmt: skip
        assert robots.can_fetch("Googlebot", f"{base}{path}"), path
    for path in ("/staff", "/staff/sign-in?next=/edit", "/edit", "/bulk", "/import", "/audit?lang=en"):
        assert not robots.can_fetch("Googlebot", f"{base}{path}"), path


@pytest.mark.parametrize(("query", "language"), [("", "de"), ("?lang=en", "en"), ("?pledge=8.2-4&lang=en", "en")])
def test_the_shell_previews_with_the_live_chart_and_links_the_live_feed(app, query, language):
    base, _site = app
    tree = html5lib.parse(get(f"{base}/{query}").content, namespaceHTMLElements=False)
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.iter("meta")}
    assert meta["og:image"] == f"{base}/embed/{HERNE_SLUG}/{language}/overview.png" == meta["twitter:image"]
    assert meta["twitter:card"] == "summary_large_image"
    image = get(meta["og:image"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    feeds = [link.get("href") for link in tree.iter("link") if link.get("type") == "application/atom+xml"]
    assert f"{base}/feeds/{HERNE_SLUG}/{language}/all.atom" in feeds
    if "pledge" in query:
        assert feeds[0] == f"{base}/feeds/{HERNE_SLUG}/en/measure-8.2-4.atom"
    for href in feeds:
        assert not feedparser.parse(get(href).content).bozo, href


# ------------------------------------------------------------------------------------------------ a change (last)


def test_a_change_shows_in_the_feeds_and_charts_on_the_next_request(app):
    base, _site = app
    before = get(f"{base}/embed/{HERNE_SLUG}/de/overview.png")
    services.record_status_change(HERNE_SLUG, "2-1", make_change("kept", "2026-11-20"), EDITOR)
    feed = feedparser.parse(get(f"{base}/feeds/{HERNE_SLUG}/de/all.atom").content)
    assert feed.entries[0].id == f"tag:pledge-tracker,2025-09-14:{HERNE_SLUG}/2-1/1"
    assert feed.entries[0].title.startswith("2-1: Umgesetzt")
    assert len(feed.entries) == len(KNOWN_STATUSES) + 1
    area = feedparser.parse(get(f"{base}/feeds/{HERNE_SLUG}/de/area-2.atom").content)
    assert [e.id.split("/")[-2] for e in area.entries] == ["2-1"]
    svg = get(f"{base}/embed/{HERNE_SLUG}/de/overview.svg").text
    assert re.search(r"<title>2\. [^<]* · Umgesetzt: 1 \(", svg)  # area 2's bar now has a kept measure
    embed = get(f"{base}/embed/{HERNE_SLUG}/en/overview.html").text
    assert "<title>2. " in embed and " · Kept: 1 (" in embed
    after = get(f"{base}/embed/{HERNE_SLUG}/de/overview.png")
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]


# ------------------------------------------------------------------------------------------------ parts


def test_the_latest_changes_read_alone_are_the_published_ones_even_when_recorded_at_one_moment(herne, monkeypatch):
    """A bulk import records its changes at one moment; then the code decides, in the app as when publishing."""
    moment = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now_utc", lambda: moment)
    codes = [row.code for row in services.search_pledges(herne).rows][:120]
    items = [services.BulkItem(code, make_change("in_progress", "2026-11-01")) for code in codes]
    services.record_status_changes(herne, items, EDITOR, today=TODAY)
    services.record_status_change(herne, "8.2-4", make_change("kept", "2026-11-02"), EDITOR, today=TODAY)
    whole = LanguageEdition(ProgrammeFacts.of(services.edition_data(herne, TODAY)), "en", Options())
    for name, published in [
        ("all.atom", whole.programme_feed_document()),
        ("area-8.atom", whole.area_feed_document(whole.facts.areas[8])),
        ("area-1.atom", whole.area_feed_document(whole.facts.areas[1])),
    ]:
        served = feedparser.parse(live.feed(herne, "en", name, "https://app.example").content)
        assert entries(served) == entries(feedparser.parse(published)), name
        assert len(served.entries) == 50 or name == "area-1.atom"
