"""Importing a spreadsheet in real Chromium against the app started with ``tracker serve``: an Excel workbook with
German dates and labels, uploaded through the file chooser twice; the second run records nothing and says why."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser import running_app, sign_in, wait_until_rendered
from tests.helpers import ADMIN, EDITOR, HERNE, make_change
from tracker import db, services
from tracker.models import StatusChange

pytestmark = pytest.mark.browser
PASSWORD = "korrekt pferd batterie"


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-import') / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:  # the use cases work on the configured database
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        services.add_user(ADMIN, "erika", PASSWORD, "editor")
        services.record_status_change(None, "1-1", make_change("kept", "2026-09-20"), EDITOR)
    db.get_engine(url).dispose()
    with running_app(url) as base:
        yield base, url


def changes_recorded(url: str) -> int:
    engine = db.get_engine(url)
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(StatusChange)).scalar_one()


def settle(page) -> None:
    page.wait_for_timeout(300)
    wait_until_rendered(page)


def open_signed_in(page, base: str, path: str) -> None:
    """Open ``path`` as the editor: the staff address leads to the sign-in page and back."""
    page.goto(f"{base}{path}")
    sign_in(page, "erika", PASSWORD)
    page.wait_for_selector("text=Angemeldet als erika", timeout=30_000)
    settle(page)


def choose_file(page, path) -> str:
    """Upload ``path`` through the file chooser; the preview table's text. After an import the page draws a
    new, empty uploader: wait until the old one (still holding the file) is gone."""
    settle(page)
    uploader = page.locator("[data-testid='stFileUploader']")
    expect(uploader).to_have_count(1, timeout=30_000)
    uploader.locator("input[type=file]").set_input_files(str(path))
    page.wait_for_selector("text=Was der Import bewirkt", timeout=30_000)
    settle(page)
    table = page.locator("[data-testid='stTable']")
    table.scroll_into_view_if_needed()  # the table draws its rows once it is in view
    page.wait_for_selector("[data-testid='stTable'] >> text=10.5-2", timeout=30_000)
    return table.inner_text()


def test_the_same_workbook_uploaded_twice_records_nothing_the_second_time(page, app_db, tmp_path):
    base, url = app_db
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nummer", "Bewertung", "Stichtag", "Begründung", "Adresse der Quelle", "Titel der Quelle",
                  "Art der Quelle"])  # fmt: skip
    sheet.append(["10.5-2", "Umgesetzt", "01.10.2026", "Die Ehrenamtskarte gibt es.", "https://www.herne.de/k", "Stadt",
                  "Mitteilung der Stadt"])  # fmt: skip
    sheet.append(["1-1", "in arbeit", dt.date(2026, 6, 1), "Im Ausschuss.", "https://www.herne.de/a", "Vorlage",
                  "Ratsvorlage oder -beschluss"])  # fmt: skip
    path = tmp_path / "bewertungen.xlsx"
    workbook.save(path)
    before = changes_recorded(url)

    open_signed_in(page, base, "/import")
    preview = choose_file(page, path)
    assert "neuer aktueller Status: Umgesetzt" in preview
    assert "Verlauf ergänzt, aktueller Status bleibt Umgesetzt (neuere Bewertung vom 20.09.2026)" in preview
    page.get_by_role("button", name="2 Bewertungen importieren").click()
    page.wait_for_selector("text=2 Bewertungen importiert.", timeout=30_000)
    assert changes_recorded(url) == before + 2

    preview = choose_file(page, path)  # the same file again
    page.wait_for_selector("text=Nichts zu importieren: Alle 2 Zeilen dieser Datei sind bereits erfasst.")
    assert preview.count("bereits erfasst (Bewertung Nr.") == 2
    assert page.get_by_role("button", name="importieren").count() == 0
    assert changes_recorded(url) == before + 2
