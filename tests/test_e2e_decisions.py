"""Staff forms in real Chromium: a double press saves once, drafts survive, one decision for several measures."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser import running_app, sign_in_staff, wait_until_rendered
from tests.helpers import ADMIN, HERNE
from tracker import db, services

pytestmark = pytest.mark.browser
PASSWORD = "korrekt pferd batterie"
RATIONALE = "Der Rat hat am 12.11.2026 das Schulpaket beschlossen."


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The dashboard on a database of its own: (base URL, database URL)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-decisions') / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:  # the use cases work on the configured database
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        services.add_user(ADMIN, "erika", PASSWORD, "editor")
    db.get_engine(url).dispose()
    with running_app(url) as base:
        yield base, url


@pytest.fixture
def base(app, monkeypatch) -> str:
    """The app's base URL; the test reads the app's database through the services."""
    monkeypatch.setenv("TRACKER_DATABASE_URL", app[1])
    return app[0]


def settle(page) -> None:
    """Wait for the rerun an action started (if it starts within a second) to finish."""
    with contextlib.suppress(PlaywrightTimeout):  # it ran and finished already, or the action started none
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='running']", timeout=1_000)
    wait_until_rendered(page)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label``."""
    for attempt in (1, 2):  # a rerun finishing just then may close the list it opened
        page.get_by_role("combobox", name=label).click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            settle(page)
    settle(page)


def fill_rating(page, rationale: str = RATIONALE) -> None:
    choose(page, "Neue Bewertung", "In Arbeit")
    page.get_by_label("Begründung (öffentlich sichtbar)").fill(rationale)
    page.get_by_label("Adresse der Quelle").first.fill("https://www.herne.de/rat/schulpaket")
    page.get_by_label("Titel der Quelle").first.fill("Ratsbeschluss Schulpaket")
    page.get_by_label("Titel der Quelle").first.press("Tab")  # leave the field: its value is sent
    settle(page)


def test_save_pressed_twice_quickly_records_one_change_and_shows_it(page, base):
    sign_in_staff(page, base, "erika", PASSWORD, "/edit?pledge=8.2-4")
    fill_rating(page)
    save = page.get_by_role("button", name="Bewertung speichern")
    save.click()
    # The second press, without waiting for the first to finish. When the first save was quicker, the form is
    # drawn anew already and the old button is gone: there is nothing to press twice, which is the point.
    with contextlib.suppress(PlaywrightError):
        save.click(timeout=2_000, force=True)
    page.get_by_text("Gespeichert als Bewertung Nr. 1.").wait_for(timeout=30_000)
    settle(page)
    history = services.pledge_view(None, "8.2-4").history
    assert [(c.sequence, c.status, c.rationale) for c in history] == [(1, "in_progress", RATIONALE)]
    body = page.inner_text("body")
    assert "Gespeichert als Bewertung Nr. 1." in body and "Nr. 2" not in body
    assert "Nicht erneut gespeichert" not in body  # the second press did not even try
    # the form is cleared once the page has redrawn (under load, the stale form may linger for a moment)
    expect(page.get_by_label("Begründung (öffentlich sichtbar)")).to_have_value("", timeout=15_000)
    link = page.get_by_role("link", name="Öffentliche Seite öffnen").last
    assert link.get_attribute("href").endswith("pledge?pledge=8.2-4")


def selectbox_text(page, label: str) -> str:
    return page.get_by_role("combobox", name=label).input_value()


def menu(page, group: str, item: str) -> None:
    """Open a page through the menu at the top, in the same tab."""
    page.get_by_text(group, exact=True).first.click()
    page.get_by_text(item, exact=True).last.click()
    settle(page)


def test_a_half_filled_rating_survives_a_language_switch_and_a_visit_to_the_public_page(page, base):
    sign_in_staff(page, base, "erika", PASSWORD, "/edit?pledge=8.2-3")
    choose(page, "Neue Bewertung", "Blockiert")
    page.get_by_label("Begründung (öffentlich sichtbar)").fill(RATIONALE)
    page.get_by_role("radio", name="English").click()  # straight from typing to the language switch
    page.get_by_text("Rate a measure").wait_for(timeout=30_000)
    settle(page)
    assert page.get_by_label("Rationale (shown publicly)").input_value() == RATIONALE
    assert "Stalled" in selectbox_text(page, "New status")
    page.get_by_role("link", name="Measures", exact=True).click()  # a public page, in the same tab
    page.get_by_text("Filter by area, goal and status").wait_for(timeout=30_000)
    menu(page, "Editorial team", "Rate")  # and back to the form
    page.get_by_text("Rate a measure").wait_for(timeout=30_000)
    settle(page)
    assert "8.2-3: Zusammenarbeit mit IT-Partnern" in selectbox_text(page, "Measure")
    assert page.get_by_label("Rationale (shown publicly)").input_value() == RATIONALE
    assert "Stalled" in selectbox_text(page, "New status")


def decide(page, area: str, codes: tuple[str, ...]) -> None:
    """On the decision page: an area chosen, some of its measures ticked, the decision entered once."""
    choose(page, "Themenbereich", area)
    for code in codes:
        page.locator("[data-testid='stCheckbox']").filter(has_text=f"{code} ").locator("label").click()
        settle(page)
    choose(page, "Neue Bewertung", "Umgesetzt")
    page.get_by_label("Begründung (öffentlich sichtbar)").fill(RATIONALE)
    page.get_by_label("Adresse der Quelle").fill("https://www.herne.de/rat/schulpaket")
    page.get_by_label("Titel der Quelle").fill("Ratsbeschluss Schulpaket")
    choose(page, "Art der Quelle", "Ratsvorlage oder -beschluss")


@pytest.mark.parametrize(
    ("width", "area", "codes"),
    [(1280, "2. Bildung & Chancengleichheit", ("2-1", "2-3")), (390, "3. Gesundheit & Pflege", ("3-1", "3-2"))],
)
def test_one_decision_for_two_measures_previewed_and_saved_at_desktop_and_phone_width(
    browser, base, width, area, codes
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in_staff(page, base, "erika", PASSWORD, "/bulk")
        decide(page, area, codes)
        preview = page.get_by_text("3. Vorschau und Speichern")
        preview.wait_for()
        body = page.inner_text("body")
        assert body.count("Noch nicht bewertet → Umgesetzt") == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        page.get_by_role("button", name="2 Änderungen speichern").click()
        page.get_by_text("2 Änderungen gespeichert.").wait_for(timeout=30_000)
        settle(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for code in codes:
            link = page.get_by_role("link", name=f"{code}: ")
            assert link.get_attribute("href").endswith(f"pledge?pledge={code}")
            [change] = services.pledge_view(None, code).history
            assert (change.status, change.rationale, change.sources[0].kind) == ("kept", RATIONALE, "council")
    finally:
        context.close()
