"""A hint from the public end to end in Chromium against ``tracker serve``: a reader sends a hint from a
measure's page, an editor accepts it as a source in the queue "Hinweise", the source is on the measure's
page, and the reader's e-mail address is gone from the database."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.browser import running_app, sign_in, wait_until_rendered
from tests.helpers import ADMIN, HERNE
from tracker import db, services

pytestmark = pytest.mark.browser
PASSWORD = "korrekt pferd batterie"
EMAIL = "leserin@example.org"
SOURCE = "https://www.herne.de/presse/tablets-geliefert"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-tips') / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        services.add_user(ADMIN, "erika", PASSWORD, "editor", "Erika Muster")
    db.get_engine(url).dispose()
    with running_app(url, env={"TRACKER_CACHE_TTL": "0"}) as base:
        yield base, url


def body(page) -> str:
    """The page's text as a reader sees it (without the invisible word joiners that keep addresses unlinked)."""
    return page.inner_text("body").replace("\u2060", "")


def settle(page) -> None:
    page.wait_for_timeout(300)
    wait_until_rendered(page)


def stored_tips(url: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text("SELECT state, email, source_url, evidence_id FROM tip")))
    finally:
        engine.dispose()


def test_a_readers_hint_becomes_a_source_and_its_email_is_deleted(page, app):
    base, url = app
    page.goto(f"{base}/?pledge=8.2-4")
    wait_until_rendered(page)
    page.get_by_text("Hinweis geben", exact=True).click()
    page.get_by_label("Ihr Hinweis").fill("Die Stadt meldet: 40 Tablets sind geliefert.")
    page.get_by_label("Webadresse einer Quelle (freiwillig)").fill(SOURCE)
    page.get_by_label("Ihre E-Mail-Adresse für eine Antwort (freiwillig)").fill(EMAIL)
    assert not page.get_by_label("Ihre Website").is_visible()  # the honeypot is hidden from people
    page.wait_for_timeout(300)  # the fields hand their values to the form (as a person takes longer than that)
    page.get_by_role("button", name="Hinweis senden").click()
    settle(page)
    page.get_by_text("Danke! Ihr Hinweis ist am").wait_for(timeout=30_000)
    assert stored_tips(url) == [("open", EMAIL, SOURCE, None)]
    assert EMAIL not in body(page)

    page.goto(f"{base}/hints")
    sign_in(page, "erika", PASSWORD)
    page.get_by_text("Hinweise aus der Öffentlichkeit").wait_for(timeout=30_000)
    assert "Die Stadt meldet: 40 Tablets sind geliefert." in body(page)
    assert EMAIL in body(page)  # staff see it, to reply
    page.get_by_label("Titel der Quelle", exact=True).first.fill(  # the tab "Als Quelle" (open) comes first
        "Stadt Herne: Tablets geliefert"
    )
    page.get_by_role("button", name="Als Quelle hinzufügen").click()
    settle(page)
    page.get_by_text("ist als Quelle zur Maßnahme 8.2-4 hinzugefügt").wait_for(timeout=30_000)
    [(state, email, source, evidence)] = stored_tips(url)
    assert (state, email, source) == ("accepted", None, SOURCE) and evidence is not None
    assert "Keine offenen Hinweise." in body(page)

    page.goto(f"{base}/?pledge=8.2-4")
    wait_until_rendered(page)
    link = page.get_by_role("link", name="Stadt Herne: Tablets geliefert")
    link.wait_for(timeout=30_000)
    assert link.get_attribute("href") == SOURCE
    assert EMAIL not in body(page)
