"""End to end in real headless Chromium against the app started with ``tracker serve``."""

from __future__ import annotations

import contextlib
import csv
import io

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser import running_app, wait_until_rendered
from tests.helpers import ADMIN, HERNE, HERNE_SLUG, rate_known_statuses
from tracker import db, services

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:  # the use cases work on the configured database
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        rate_known_statuses(HERNE_SLUG)
    db.get_engine(url).dispose()
    with running_app(url) as base:
        yield base


def test_overview_draws_the_area_chart(page, app_url):
    page.goto(app_url)
    wait_until_rendered(page)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=30_000)
    body = page.inner_text("body")
    assert "Fortschritt nach Themenbereich" in body
    assert "256" in body and "Noch nicht bewertet" in body
    bars = page.locator(".st-key-area_chart g.trace.bars")  # the area chart (the reasons chart is above it)
    assert bars.count() == 6  # one trace per status


def test_search_and_open_a_result(page, app_url):
    page.goto(f"{app_url}/measures")
    wait_until_rendered(page)
    search = page.get_by_label("Suche")
    search.fill("leihgerate")  # typed without the umlaut
    search.press("Enter")
    page.wait_for_selector("text=2 Maßnahmen gefunden", timeout=30_000)
    page.wait_for_url("**/measures?q=leihgerate", timeout=10_000)  # the search can be shared as a link
    page.get_by_role("link", name="8.2-4: Schüler und Schülerinnen mit Leihgeräten ausstatten").click()
    page.wait_for_selector("text=Verlauf", timeout=30_000)
    wait_until_rendered(page)
    body = page.inner_text("body")
    assert "Ziel 8.2: Digitale Ausstattung an Schulen verbessern" in body
    assert "In Arbeit" in body
    assert page.url.endswith("/pledge?pledge=8.2-4")


def test_the_address_a_measure_page_shows_can_be_shared(browser, app_url):
    """What the address bar shows after a click (/pledge?pledge=…) opened by someone else: the measure, and no
    "Page not found" dialog (Streamlit's, in English) over it."""
    context = browser.new_context(locale="de-DE")
    try:
        page = context.new_page()
        page.goto(f"{app_url}/pledge?pledge=8.2-4")
        wait_until_rendered(page)
        page.wait_for_selector("text=Schüler und Schülerinnen mit Leihgeräten ausstatten", timeout=30_000)
        page.wait_for_timeout(500)  # the dialog would come with the first run's messages
        assert page.get_by_role("dialog").count() == 0
        assert "Page not found" not in page.inner_text("body")
    finally:
        context.close()


def test_permalink_opened_directly(page, app_url):
    page.goto(f"{app_url}/?pledge=13.5b-1")
    wait_until_rendered(page)
    page.wait_for_selector("text=Housing-First-Projekte fördern", timeout=30_000)
    page.wait_for_selector("text=Teilweise umgesetzt", timeout=10_000)  # the status badge
    assert "Obdachlosigkeit wirksam bekämpfen" in page.inner_text("body")
    link = page.get_by_role("link", name="Ratsbeschluss").first
    assert link.get_attribute("href") == "https://www.herne.de/rat/2026-01-15"


# The colour a caption's text shows on the white page: its colour blended with white by the opacity of the
# caption and of everything around it; then the WCAG contrast ratio of that against white.
CAPTION_CONTRASTS = """() => Array.from(document.querySelectorAll("[data-testid='stCaptionContainer']"))
  .map(caption => {
  let alpha = 1;
  for (let e = caption; e; e = e.parentElement) alpha *= parseFloat(getComputedStyle(e).opacity);
  const text = caption.querySelector('p') || caption;
  const [r, g, b] = getComputedStyle(text).color.match(/[0-9.]+/g).map(Number);
  const linear = c => { c = (c * alpha + 255 * (1 - alpha)) / 255;
                        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return [caption.textContent.slice(0, 40), 1.05 / (luminance + 0.05)];
})"""


def test_captions_keep_a_contrast_of_at_least_4_5_to_1(page, app_url):
    page.goto(f"{app_url}/?pledge=13.5b-1")
    wait_until_rendered(page)
    page.wait_for_selector("text=Housing-First-Projekte fördern", timeout=30_000)
    with contextlib.suppress(PlaywrightTimeout):  # the page's style may arrive just after its text
        page.wait_for_function(f"() => ({CAPTION_CONTRASTS})().every(([text, ratio]) => ratio >= 4.5)", timeout=5_000)
    contrasts = page.evaluate(CAPTION_CONTRASTS)
    assert len(contrasts) >= 2  # the code above the title, the date of the rating, ...
    assert [(text, round(ratio, 2)) for text, ratio in contrasts if ratio < 4.5] == []


def test_data_page_downloads_the_csv(page, app_url, tmp_path):
    page.goto(f"{app_url}/data")
    wait_until_rendered(page)
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("button", name="CSV herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.startswith("hak-herne-2025-") and download.suggested_filename.endswith(".csv")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 262
    assert {r["code"]: r["status"] for r in rows}["1-1"] == "kept"


def test_phone_width_overview_has_no_horizontal_scroll(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(app_url)
    wait_until_rendered(page)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=30_000)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert width <= 390


def test_clicking_an_area_bar_opens_its_measures(page, app_url):
    page.goto(app_url)
    wait_until_rendered(page)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=30_000)
    area_chart = page.locator(".st-key-area_chart")
    grey_bars = area_chart.locator("g.trace.bars").last.locator("g.point path")
    grey_bars.first.scroll_into_view_if_needed()  # below the fold under the reasons chart
    box = grey_bars.first.bounding_box()  # area 1, "not yet rated" segment
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # plotly listens on its overlay
    page.wait_for_url("**/measures?area=1", timeout=30_000)
    page.wait_for_selector("text=4 Maßnahmen gefunden", timeout=30_000)


def test_the_first_visitor_of_a_fresh_server_arriving_at_a_deep_link_gets_the_whole_app(page, tmp_path):
    """Streamlit's older file-based navigation must never answer: no English file list as menu."""
    url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
    db.get_engine(url).dispose()
    with running_app(url) as base:
        page.goto(f"{base}/method")  # the server's very first session
        wait_until_rendered(page)
        page.get_by_role("heading", name="Methode").first.wait_for(timeout=30_000)
        navigation = page.inner_text("header, [data-testid='stTopNavLinkContainer'], nav")
        assert "Überblick" in navigation and "Maßnahmen" in navigation
        assert page.get_by_text("Deutsch", exact=True).count() >= 1  # the language switch of app.py
        assert page.locator("[data-testid='stSidebarNav']").count() == 0


def test_a_ukrainian_browser_gets_ukrainian_and_the_switch_keeps_all_five_languages_on_one_row(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="uk-UA")
    page = context.new_page()
    page.goto(app_url)
    wait_until_rendered(page)
    assert "Виконано" in page.locator("[data-testid='stMetric']").first.inner_text()  # "Kept" in Ukrainian
    buttons = page.locator(".st-key-lang button")
    boxes = [buttons.nth(i).bounding_box() for i in range(buttons.count())]
    assert buttons.all_inner_texts() == ["Deutsch", "English", "Türkçe", "العربية", "Українська"]
    assert len({round(box["y"]) for box in boxes}) == 1 and max(b["x"] + b["width"] for b in boxes) <= 390
    buttons.first.click()  # the switch wins over the browser, and stays in the address for a reload
    page.wait_for_url("**lang=de**")
    page.reload()
    wait_until_rendered(page)
    assert "Umgesetzt" in page.locator("[data-testid='stMetric']").first.inner_text()
    context.close()


def test_every_figures_label_is_shown_whole_in_turkish_at_desktop_width(page, app_url):
    """Streamlit cuts a figure's label to one line; "Henüz değerlendirilmedi" (not yet rated) ended in "…"."""
    page.goto(f"{app_url}/?lang=tr")
    wait_until_rendered(page)
    labels = page.locator("[data-testid='stMetricLabel']")
    labels.first.wait_for(timeout=30_000)
    assert "Henüz değerlendirilmedi" in labels.all_inner_texts()
    cut = labels.evaluate_all(
        "labels => labels.flatMap(label => [label, ...label.querySelectorAll('*')])"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"
    )
    assert cut == []


def test_the_skip_link_speaks_the_pages_language_and_follows_a_switch(page, app_url):
    """The first thing the keyboard reaches is Streamlit's "Skip to main content": in the page's language."""
    page.goto(f"{app_url}/?lang=de")
    wait_until_rendered(page)
    skip = page.locator("[data-testid='stSkipToContent']")
    expect(skip).to_have_text("Zum Hauptinhalt springen", timeout=10_000)
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    page.locator(".st-key-lang button", has_text="العربية").click()
    wait_until_rendered(page)
    expect(skip).to_have_text("انتقل إلى المحتوى الرئيسي", timeout=10_000)
