"""The import page through AppTest, in German: the accepted values listed, a preview that tells what each row does
to the public status, rows on record skipped, and notes for a converted file and the template's example row."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ADMIN, EDITOR, TODAY, as_read, count, make_change, open_app
from tests.test_staff_pages import PASSWORD, sign_in
from tracker import services
from tracker.models import StatusChange

pytestmark = pytest.mark.sqlite_only  # see tests/conftest.py: the services are tested on both databases

GERMAN = ["Nummer", "Bewertung", "Stichtag", "Begründung", "Adresse der Quelle", "Titel der Quelle", "Art der Quelle"]
# English words that would give away an untranslated text on the German page.
ENGLISH = re.compile(
    r"\b(the|and|of|or|file|files|row|rows|line|column|accepted|template|download|upload|choose|rating|ratings"
    r"|recorded|already|skipped|refused|new|what|happens|effective|date|rationale|source|kind|code|per|empty"
    r"|today|Excel workbook)\b",
    re.IGNORECASE,
)


@pytest.fixture
def editor(app_env, herne):
    services.add_user(ADMIN, "erika", PASSWORD, "editor")
    services.record_status_change(herne, "1-1", make_change("kept", "2026-09-20"), EDITOR, today=TODAY)
    services.record_status_change(herne, "8.2-4", make_change("in_progress", "2026-01-15"), EDITOR, today=TODAY)
    return herne


def import_page() -> AppTest:
    return sign_in(open_app("views/import_statuses.py"), "erika")


def upload(app: AppTest, name: str, content: bytes) -> AppTest:
    app.file_uploader[0].set_value((name, content, "application/octet-stream"))
    app.run()
    assert not app.exception, app.exception
    return app


def shown(app: AppTest) -> str:
    """Everything the page says in words (the sign-in bar aside)."""
    parts = [app.title[0].value] + [s.value for s in app.subheader]
    parts += [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [e.value for kind in (app.info, app.warning, app.error, app.success) for e in kind]
    parts += [b.label for b in app.button if b.label != "Abmelden"] + [m.label for m in app.metric]
    parts += [b.proto.label for b in app.get("download_button")] + [u.label for u in app.file_uploader]
    parts += [e.label for e in app.expander]
    for table in app.table:
        parts += [str(name) for name in table.value.columns] + [str(v) for v in table.value.to_numpy().ravel()]
    return "\n".join(parts)


def workbook(*rows: list) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(GERMAN)
    for values in rows:
        book.active.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_page_is_german_and_lists_what_a_file_may_hold(editor):
    app = import_page()
    text = shown(app)
    assert [b.proto.label for b in app.get("download_button")] == [
        "Vorlage für Excel (.xlsx)",
        "Vorlage als CSV (Semikolon)",
    ]
    for accepted in [
        *GERMAN,
        "Noch nicht bewertet, In Arbeit, Blockiert, Teilweise umgesetzt, Umgesetzt, Gebrochen",
        "Ratsvorlage oder -beschluss, Presse, Mitteilung der Stadt, Partei, Sonstiges",
        "01.10.2026 oder 2026-10-01, oder eine Datumszelle; leer bedeutet heute",
        "Excel-Arbeitsmappen (.xlsx) und CSV mit Komma oder Semikolon, gespeichert als UTF-8 oder Windows-1252",
        "Bewertungen und Arten der Quelle in jeder der fünf Sprachen der App",  # as the import reads them
    ]:
        assert accepted in text
    assert not ENGLISH.findall(text.replace("https://", "").replace("http://", "")), ENGLISH.findall(text)


def test_the_preview_says_what_happens_to_the_public_status_and_the_same_file_twice_records_nothing(editor):
    content = workbook(
        ["1-1", "In Arbeit", dt.date(2026, 6, 1), "Erst im Ausschuss.", "https://www.herne.de/a", "Vorlage", "Presse"],
        ["8.2-4", "in_progress", "15.01.2026", make_change().rationale, make_change().sources[0].url, "R", "council"],
        ["10.5-2", "Umgesetzt", "01.10.2026", "Die Karte gibt es.", "https://www.herne.de/k", "Stadt", "Sonstiges"],
    )
    app = upload(import_page(), "bewertungen.xlsx", content)
    table = app.table[0].value
    assert list(table.columns) == [
        "Zeile", "Nummer", "Was geschieht", "Bewertung", "Stichtag", "Bisher", "Begründung",
    ]  # fmt: skip
    assert table[["Zeile", "Nummer", "Was geschieht"]].to_numpy().tolist() == [
        ["2", "1\\-1", "Verlauf ergänzt, aktueller Status bleibt Umgesetzt (neuere Bewertung vom 20.09.2026)"],
        ["3", "8\\.2\\-4", "bereits erfasst (Bewertung Nr. 1), wird übersprungen"],
        ["4", "10\\.5\\-2", "neuer aktueller Status: Umgesetzt"],
    ]  # codes as Markdown made inert
    assert {m.label: m.value for m in app.metric} == {"Neu": "2", "Bereits erfasst": "1", "Abgelehnt": "0"}
    assert "1 Zeile ist bereits erfasst und wird übersprungen." in shown(app)
    assert not ENGLISH.findall(shown(app).replace("https://", ""))

    next(b for b in app.button if b.label == "2 Bewertungen importieren").click().run()
    assert [s.value for s in app.success] == [
        "2 Bewertungen importiert. 1 Zeile war bereits erfasst und wurde übersprungen."
    ]
    assert count(StatusChange) == 4
    assert services.pledge_view(editor, "1-1").status == "kept"  # as the preview said

    again = upload(app, "bewertungen.xlsx", content)
    assert {m.label: m.value for m in again.metric} == {"Neu": "0", "Bereits erfasst": "3", "Abgelehnt": "0"}
    assert [i.value for i in again.info] == ["Nichts zu importieren: Alle 3 Zeilen dieser Datei sind bereits erfasst."]
    assert not [b for b in again.button if "importieren" in b.label]
    assert count(StatusChange) == 4


def test_a_windows_1252_file_is_converted_with_a_note_and_its_umlauts_survive(editor):
    content = (
        ";".join(GERMAN) + "\r\n2-1;In Arbeit;01.10.2026;Bürgerbüro öffnet größer;https://www.herne.de/b;Stadt;\r\n"
    ).encode("cp1252")
    app = upload(import_page(), "export.csv", content)
    assert [i.value for i in app.info] == [
        "Diese Datei ist nicht als UTF-8 gespeichert; sie wurde aus Windows-1252 umgewandelt. Bitte prüfen Sie die "
        "Umlaute (ä, ö, ü, ß) in der Vorschau, bevor Sie importieren."
    ]
    assert app.table[0].value["Begründung"].tolist() == ["Bürgerbüro öffnet größer"]


@pytest.mark.parametrize("name", ["vorlage.xlsx", "vorlage.csv"])
def test_the_untouched_template_gets_a_friendly_note_about_its_example_row(editor, name):
    template = services.status_template_xlsx() if name.endswith("xlsx") else services.status_template_csv()
    app = upload(import_page(), name, template)
    assert [w.value for w in app.warning] == [
        "Die Beispielzeile der Vorlage ist noch in der Datei (Zeile 2). Bitte löschen Sie sie und laden Sie die "
        "Datei erneut hoch."
    ]
    assert [e.value for e in app.error] == [
        "Nichts wird gespeichert, solange 1 Zeile abgelehnt ist: Bitte die Datei korrigieren und erneut hochladen."
    ]
    assert len(app.table) == 0 and not [b for b in app.button if "importieren" in b.label]
    assert count(StatusChange) == 2


def test_problems_are_listed_with_line_and_the_column_as_the_file_names_it_in_german(editor):
    content = workbook(
        ["1-2", "erledigt", "32.01.2026", "Ja.", "www.herne.de", "T", "Blog"],
        ["1-3", "Umgesetzt", None, "", "https://www.herne.de/x", "T", None],
    )
    app = upload(import_page(), "fehler.xlsx", content)
    rows = app.table[0].value.map(as_read).to_numpy().tolist()  # the table's cells are inert Markdown
    assert rows == [
        ["Zeile 2", "Bewertung", "unbekannte Bewertung „erledigt“; erlaubt: Noch nicht bewertet, In Arbeit, Blockiert, "
         "Teilweise umgesetzt, Umgesetzt, Gebrochen"],
        ["Zeile 2", "Stichtag", "„32.01.2026“ ist kein Datum; erlaubt: 01.10.2026 (TT.MM.JJJJ), 2026-10-01 "
         "(JJJJ-MM-TT) oder eine Datumszelle"],
        ["Zeile 2", "Adresse der Quelle", "„www.herne.de“ ist keine Webadresse; erlaubt ist eine vollständige Adresse, "
         "die mit http:// oder https:// beginnt"],
        ["Zeile 2", "Art der Quelle", "unbekannte Art der Quelle „Blog“; erlaubt: Ratsvorlage oder -beschluss, Presse, "
         "Mitteilung der Stadt, Partei, Sonstiges"],
        ["Zeile 3", "Begründung", "darf nicht leer sein"],
    ]  # fmt: skip
    assert {m.label: m.value for m in app.metric} == {"Neu": "0", "Bereits erfasst": "0", "Abgelehnt": "2"}


def test_with_review_on_the_preview_says_it_shows_the_status_after_approval(editor, monkeypatch):
    monkeypatch.setenv("TRACKER_REVIEW", "on")
    content = workbook(["10.5-2", "Umgesetzt", "01.10.2026", "Die Karte gibt es.", "https://www.herne.de/k", "S", ""])
    app = upload(import_page(), "bewertungen.xlsx", content)
    assert app.table[0].value["Was geschieht"].tolist() == ["neuer aktueller Status: Umgesetzt"]
    assert any(i.value.startswith("Prüfung ist an: Speichern legt Vorschläge an.") for i in app.info)
