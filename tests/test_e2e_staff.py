"""The editorial workflow end to end in real Chromium against the app started with ``tracker serve``."""

from __future__ import annotations

import pytest

from tests.browser import running_app, wait_until_rendered
from tests.helpers import ADMIN, HERNE
from tracker import db, services

pytestmark = pytest.mark.browser
PASSWORD = "korrekt pferd batterie"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-staff') / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:  # the use cases work on the configured database
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        services.add_user(ADMIN, "erika", PASSWORD, "editor")
        services.add_user(ADMIN, "lotte", PASSWORD, "editor")
    db.get_engine(url).dispose()
    with running_app(url) as base:
        yield base


def settle(page) -> None:
    page.wait_for_timeout(300)
    wait_until_rendered(page)


def sign_in(page, name: str, password: str) -> None:
    page.get_by_label("Name").fill(name)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    settle(page)


def test_staff_page_by_url_without_session_shows_the_sign_in(page, app_url):
    for path in ("edit", "bulk", "import", "audit"):
        page.goto(f"{app_url}/{path}")
        settle(page)
        page.wait_for_selector("text=Anmeldung für die Redaktion", timeout=30_000)
        page.get_by_label("Passwort").wait_for(timeout=30_000)
        assert page.get_by_role("button", name="Bewertung speichern").count() == 0


def test_editor_records_a_change_and_the_permalink_shows_it(page, app_url):
    page.goto(f"{app_url}/edit?pledge=10.5-2")
    settle(page)
    sign_in(page, "erika", PASSWORD)
    page.wait_for_selector("text=Angemeldet als erika (editor)", timeout=30_000)
    status = page.get_by_role("combobox", name="Neue Bewertung")
    status.click()
    status.fill("In Arbeit")
    status.press("Enter")
    page.get_by_label("Begründung (öffentlich sichtbar)").fill("Die Ehrenamtskarte ist im Haushaltsentwurf 2027.")
    page.get_by_label("Adresse der Quelle").first.fill("https://www.herne.de/haushalt-2027")
    page.get_by_label("Titel der Quelle").first.fill("Haushaltsentwurf 2027")
    page.get_by_role("button", name="Bewertung speichern").click()
    page.wait_for_selector("text=Gespeichert als Bewertung Nr. 1.", timeout=30_000)

    page.goto(f"{app_url}/?pledge=10.5-2")
    settle(page)
    page.wait_for_selector("text=Die Ehrenamtskarte ist im Haushaltsentwurf 2027.", timeout=30_000)
    body = page.inner_text("body")
    assert "In Arbeit" in body and "eingetragen von erika" in body
    link = page.get_by_role("link", name="Haushaltsentwurf 2027").first
    assert link.get_attribute("href") == "https://www.herne.de/haushalt-2027"


def test_five_wrong_passwords_lock_the_account(page, app_url):
    page.goto(f"{app_url}/staff")
    settle(page)
    for _ in range(5):
        sign_in(page, "lotte", "falsches passwort")
        page.wait_for_selector("text=Anmeldung fehlgeschlagen", timeout=30_000)
    sign_in(page, "lotte", PASSWORD)  # the right password, but the account is locked now
    page.wait_for_selector("text=Anmeldung fehlgeschlagen", timeout=30_000)
    assert "Angemeldet als lotte" not in page.inner_text("body")
