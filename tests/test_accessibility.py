"""Accessibility in real headless Chromium: axe-core on the public pages in every language and on the published
edition, one h1 per page, status badges' contrast, a visible keyboard focus, Arabic right to left, and a
journey done with the keyboard alone.

One app server for the module; one browser page per test, reused across the pages it visits. German and
Arabic (the right-to-left one) get every public page, the other languages the overview and a measure's page;
``bench/accessibility.py`` runs the whole matrix and prints the counts per rule (docs/accessibility.md).
"""

from __future__ import annotations

import os
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe

from dashboard.i18n import LANGUAGES
from tests.browser import running_app, wait_until_rendered
from tests.helpers import ADMIN, HERNE, HERNE_SLUG, rate_known_statuses, tracker_command
from tracker import db, services

pytestmark = pytest.mark.browser

PUBLIC_PAGES = {
    "overview": "/",
    "measures": "/measures",
    "measure": "/?pledge=8.2-4",
    "timeline": "/timeline",
    "method": "/method",
    "data": "/data",
    "leichte-sprache": "/leichte-sprache",
    "sign-in": "/staff",  # leads to the plain sign-in page (dashboard/templates/sign_in.html)
}
FULL = ("de", "ar")  # every page in these languages; the overview and a measure's page in the others
SHORT = ("overview", "measure")
# Violations that come from Streamlit itself, each listed with its upstream issue in docs/accessibility.md:
# (rule id, CSS selector of the node). None is excluded today.
FRAMEWORK: frozenset[tuple[str, str]] = frozenset()
BLOCKING = ("serious", "critical")


def page_url(base: str, path: str, language: str) -> str:
    return f"{base}{path}{'&' if '?' in path else '?'}lang={language}"


def open_page(page, url: str) -> None:
    page.goto(url)
    if "/staff/sign-in" in page.url:  # our own HTML page, no Streamlit run to wait for
        page.wait_for_load_state()
        return
    wait_until_rendered(page)
    page.wait_for_timeout(300)  # the charts draw after the run ends
    # axe reads colours as drawn: under load an element may still be faded from a run that was going on
    # (Streamlit dims stale elements), which it would report as too little contrast.
    wait_until_rendered(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stElementContainer']\")]"
        ".every(e => e.getAttribute('data-stale') !== 'true' && getComputedStyle(e).opacity === '1')",
        timeout=10_000,
    )


def blocking_violations(results: dict) -> list[str]:
    """Serious and critical violations, each node as "rule: selector", but those listed as Streamlit's own."""
    return [
        f"{violation['id']}: {' '.join(map(str, node['target']))}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
        if (violation["id"], " ".join(map(str, node["target"]))) not in FRAMEWORK
    ]


def headings_h1(page) -> int:
    return page.locator("h1:visible").count()


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('a11y') / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        rate_known_statuses(HERNE_SLUG)
    db.get_engine(url).dispose()
    return url


@pytest.fixture(scope="module")
def app_url(database) -> str:
    with running_app(database) as base:
        yield base


@pytest.fixture
def wide_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_public_pages_have_no_serious_axe_violation_and_one_h1(wide_page, app_url, language):
    axe = Axe()
    names = PUBLIC_PAGES if language in FULL else SHORT
    found, headings = [], {}
    for name in names:
        open_page(wide_page, page_url(app_url, PUBLIC_PAGES[name], language))
        found += [f"{name}: {v}" for v in blocking_violations(axe.run(wide_page).response)]
        headings[name] = headings_h1(wide_page)
    assert found == []
    assert headings == dict.fromkeys(names, 1)


def test_the_published_edition_has_no_serious_axe_violation(wide_page, database, tmp_path):
    outdir = tmp_path / "edition"
    published = subprocess.run(
        [*tracker_command(), "publish", str(outdir), "--programme", HERNE_SLUG],
        env={**os.environ, "TRACKER_DATABASE_URL": database}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert published.returncode == 0, published.stderr.strip().splitlines()[-1:]
    axe = Axe()
    found = []
    for language in LANGUAGES:
        folder = outdir / HERNE_SLUG / language
        pages = ["index.html", "method.html", "over-time.html", "data.html", "leichte-sprache.html"]
        pages += ["areas/8.html", "measures/8.2-4.html"]
        for name in pages if language in FULL else pages[:1]:
            wide_page.goto((folder / name).as_uri())
            found += [f"{language}/{name}: {v}" for v in blocking_violations(axe.run(wide_page).response)]
            assert wide_page.locator("h1").count() == 1, f"{language}/{name}"
        assert wide_page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert found == []


def contrast(foreground: tuple[float, ...], background: tuple[float, ...]) -> float:
    def luminance(rgb):
        channels = [c / 255 for c in rgb[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_status_badge_text_has_a_contrast_of_at_least_4_5(wide_page, app_url):
    open_page(wide_page, f"{app_url}/method")
    badges = wide_page.evaluate(
        """() => [...document.querySelectorAll("span[style*='border-radius']")].map(e => {
             const s = getComputedStyle(e), rgb = v => v.match(/[\\d.]+/g).map(Number);
             return [e.textContent, rgb(s.color), rgb(s.backgroundColor)]; })"""
    )
    assert [name for name, *_colours in badges] == [
        "Umgesetzt", "Teilweise umgesetzt", "In Arbeit", "Blockiert", "Gebrochen", "Noch nicht bewertet",
    ]  # fmt: skip
    ratios = {name: round(contrast(text, background), 2) for name, text, background in badges}
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios


# Where the keyboard focus is: the element, its visible text or label, its outline.
FOCUSED = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {testid: e.getAttribute('data-testid') || '', text: (e.innerText || e.value || '').trim(),
          label: e.getAttribute('aria-label') || '', tag: e.tagName, href: e.getAttribute('href') || '',
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""


def tab_to(page, wanted, limit: int = 120, key: str = "Tab") -> dict:
    """Press Tab (or ``key``) until ``wanted(focused)`` holds for the focused element; its description."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
        seen.append(f"{focused['tag']} {focused['testid']} {focused['text'][-40:]!r}")
    raise AssertionError(f"the keyboard never reached the element looked for; it went through {seen}")


def test_keyboard_focus_is_visible_on_the_top_menu_and_the_links(wide_page, app_url):
    open_page(wide_page, f"{app_url}/measures")
    seen = []
    for _ in range(12):
        wide_page.keyboard.press("Tab")
        focused = wide_page.evaluate(FOCUSED)
        if focused["tag"] in ("A", "BUTTON") and focused["testid"] != "stSkipToContent":
            seen.append(focused)
    menu = [f for f in seen if f["testid"] == "stTopNavLink"]
    assert [f["text"].split()[-1] for f in menu] == ["Überblick", "Maßnahmen", "Verlauf", "Methode", "Daten"]
    assert all(f["outline"] == "solid" and f["width"] >= 2 for f in seen), seen


def text_right_edge_gap(page) -> tuple[float, float]:
    """How far the h1's text ends from the main column's right edge, and starts from its left edge (px)."""
    return tuple(
        page.evaluate(
            """() => { const h = document.querySelector('h1'), r = document.createRange(); r.selectNodeContents(h);
                 const text = r.getBoundingClientRect(),
                       block = document.querySelector("[data-testid='stMainBlockContainer']"),
                       box = block.getBoundingClientRect(), s = getComputedStyle(block),
                       right = box.right - parseFloat(s.paddingRight), left = box.left + parseFloat(s.paddingLeft);
                 return [right - text.right, text.left - left]; }"""
        )
    )


def test_arabic_pages_run_right_to_left(wide_page, app_url):
    open_page(wide_page, page_url(app_url, "/method", "ar"))
    assert wide_page.locator("html").get_attribute("dir") == "rtl"
    assert wide_page.locator("html").get_attribute("lang") == "ar"
    right_gap, left_gap = text_right_edge_gap(wide_page)
    assert abs(right_gap) <= 4 and left_gap > 200  # the title sits at the right edge of the main column
    open_page(wide_page, page_url(app_url, "/method", "de"))
    assert wide_page.locator("html").get_attribute("dir") == "ltr"
    right_gap, left_gap = text_right_edge_gap(wide_page)
    assert abs(left_gap) <= 4 and right_gap > 200


def test_search_open_a_measure_follow_a_source_and_switch_language_with_the_keyboard_alone(wide_page, app_url):
    page = wide_page
    source = "https://www.herne.de/rat/2026-01-15"
    page.context.route(source, lambda route: route.fulfill(body="<title>Ratsbeschluss</title>Beschluss"))
    open_page(page, app_url)
    # The top menu: to the measures.
    tab_to(page, lambda f: f["testid"] == "stTopNavLink" and f["text"].endswith("Maßnahmen"))
    page.keyboard.press("Enter")
    wait_until_rendered(page)
    # Search, typed.
    tab_to(page, lambda f: f["label"] == "Suche" or f["testid"] == "stTextInputField")
    page.keyboard.type("leihgerate")
    page.keyboard.press("Enter")
    page.get_by_text("2 Maßnahmen gefunden").wait_for(timeout=30_000)
    wait_until_rendered(page)
    # Open the measure found.
    tab_to(page, lambda f: f["tag"] == "A" and f["text"].split("\n")[-1].startswith("8.2-4:"))
    page.keyboard.press("Enter")
    page.locator("h1", has_text="Leihgeräten").wait_for(timeout=30_000)
    wait_until_rendered(page)
    # Follow its source (a new tab, as Streamlit opens links in text).
    tab_to(page, lambda f: f["tag"] == "A" and f["href"] == source)
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    assert opened.value.url == source
    opened.value.close()
    # Send a hint from the measure's page: open "Hinweis geben", type the hint, Tab to "Hinweis senden".
    tab_to(page, lambda f: f["tag"] == "SUMMARY" and "Hinweis geben" in f["text"])
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["tag"] == "TEXTAREA")
    page.keyboard.type("Der Rat hat am 15.01.2026 beschlossen.")
    sent = tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"].endswith("Hinweis senden"))
    assert sent["outline"] == "solid"  # the focus is visible on the form's button too
    page.keyboard.press("Enter")
    page.get_by_text("Ihr Hinweis ist am", exact=False).wait_for(timeout=30_000)
    wait_until_rendered(page)
    # Switch the language: the switch is one stop (the chosen language); the arrow keys move within it.
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Deutsch", key="Shift+Tab")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(FOCUSED)["text"] == "English"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="History").wait_for(timeout=30_000)
    assert page.locator("html").get_attribute("lang") == "en"
