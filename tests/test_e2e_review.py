"""Review by a second person end to end in Chromium: an editor proposes on the rating page, the public page
stays as it was, a reviewer approves on "Zu prüfen", and the public page shows the new status with both names."""

from __future__ import annotations

import pytest

from tests.browser import running_app, sign_in, wait_until_rendered
from tests.helpers import ADMIN, HERNE
from tracker import db, services

pytestmark = [pytest.mark.browser, pytest.mark.review]
PASSWORD = "korrekt pferd batterie"
RATIONALE = "Die Ehrenamtskarte steht im Haushaltsentwurf 2027."


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-review') / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        services.add_user(ADMIN, "anna", PASSWORD, "editor", "Anna Schmidt")  # two accounts: review is on
        services.add_user(ADMIN, "rita", PASSWORD, "reviewer", "Rita Prüfer")
    db.get_engine(url).dispose()
    with running_app(url, env={"TRACKER_REVIEW": "auto"}) as base:
        yield base


def public_page(page, base: str) -> str:
    page.goto(f"{base}/?pledge=10.5-2")
    page.wait_for_timeout(300)
    wait_until_rendered(page)
    page.get_by_text("Verlauf").first.wait_for(timeout=30_000)
    return page.inner_text("body")


def test_an_editor_proposes_and_the_public_sees_it_only_once_a_reviewer_approved_it(browser, page, app_url):
    page.goto(f"{app_url}/edit?pledge=10.5-2")
    sign_in(page, "anna", PASSWORD)
    page.wait_for_selector("text=Angemeldet als Anna Schmidt (Redaktion)", timeout=30_000)
    page.get_by_role("combobox", name="Neue Bewertung").click()
    page.get_by_role("option", name="In Arbeit", exact=True).click()
    page.get_by_label("Begründung (öffentlich sichtbar)").fill(RATIONALE)
    page.get_by_label("Adresse der Quelle").first.fill("https://www.herne.de/haushalt-2027")
    page.get_by_label("Titel der Quelle").first.fill("Haushaltsentwurf 2027")
    page.get_by_role("button", name="Bewertung speichern").click()
    page.wait_for_selector("text=Als Vorschlag zur Prüfung gespeichert.", timeout=30_000)

    before = public_page(page, app_url)
    assert "Noch nicht bewertet" in before and RATIONALE not in before and "Haushaltsentwurf 2027" not in before

    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        reviewer.goto(f"{app_url}/review")
        sign_in(reviewer, "rita", PASSWORD)
        reviewer.wait_for_selector("text=Wartet auf Ihre Prüfung", timeout=30_000)
        reviewer.wait_for_selector("text=1 Vorschlag wartet auf Prüfung", timeout=30_000)  # the staff pages' line
        reviewer.get_by_text(RATIONALE).first.wait_for(timeout=30_000)
        reviewer.get_by_role("button", name="Freigeben").click()
        reviewer.wait_for_selector("text=Freigegeben.", timeout=30_000)
        reviewer.wait_for_selector("text=Nichts wartet auf Ihre Prüfung.", timeout=30_000)
    finally:
        reviewer.context.close()

    after = public_page(page, app_url)
    assert RATIONALE in after and "In Arbeit" in after
    assert "eingetragen von Anna Schmidt" in after and "Geprüft und freigegeben von Rita Prüfer" in after
