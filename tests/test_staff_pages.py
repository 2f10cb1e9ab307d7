"""The staff pages through AppTest: closed without a session, usable once signed in."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import TOKEN_KEY
from tests.helpers import ADMIN, as_read, make_change, open_app
from tracker import services

pytestmark = pytest.mark.sqlite_only  # see tests/conftest.py: the services are tested on both databases

PASSWORD = "korrekt pferd batterie"


@pytest.fixture
def staff(app_env, rated, monkeypatch):
    # Two accounts turn review on (TRACKER_REVIEW=auto); these pages are tested with what is saved public at once
    # (the review flow has its own tests in tests/test_review.py).
    monkeypatch.setenv("TRACKER_REVIEW", "off")
    services.add_user(ADMIN, "erika", PASSWORD, "editor")
    services.add_user(ADMIN, "bert", PASSWORD, "admin")
    return rated


def sign_in(app: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    """Sign in as the sign-in page does (a session in the database) and hand its token to the page, as
    the browser's cookie would (AppTest cannot send cookies)."""
    app.session_state[TOKEN_KEY] = services.start_session(name, password).token
    app.run()
    assert not app.exception, app.exception
    return app


def page_text(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [e.value for e in app.error] + [t.value for t in app.title]
    parts += [c.value for c in app.caption] + [s.value for s in app.success] + [w.value for w in app.warning]
    return as_read("\n".join(parts))


@pytest.mark.parametrize("page", ["views/edit.py", "views/decision.py", "views/import_statuses.py", "views/audit.py"])
def test_staff_page_without_session_shows_the_way_to_sign_in(staff, page):
    app = open_app(page)
    assert "Anmeldung für die Redaktion" in page_text(app)
    [button] = app.get("link_button")
    assert button.proto.label == "Anmelden" and button.proto.url.startswith("/staff/sign-in?next=")
    assert not app.get("data_editor") and not app.selectbox and not app.text_area


def test_a_revoked_or_forged_session_opens_nothing(staff):
    started = services.start_session("erika", PASSWORD)
    services.end_session(started.token)
    for token in (started.token, "forged-token"):
        app = open_app("views/edit.py", pledge="2-2")
        app.session_state[TOKEN_KEY] = token
        app.run()
        assert "Anmeldung für die Redaktion" in page_text(app) and not app.text_area


def test_sign_out_ends_the_session_for_every_tab(staff):
    app = sign_in(open_app("views/edit.py", pledge="2-2"), "erika")
    token = app.session_state[TOKEN_KEY]
    next(b for b in app.button if b.label == "Abmelden").click().run()
    assert "Anmeldung für die Redaktion" in page_text(app)
    assert services.resolve_session(token) is None  # the same cookie in another tab opens nothing either


def test_editor_records_a_change_and_the_public_page_shows_it(staff):
    app = sign_in(open_app("views/edit.py", pledge="2-2"), "erika")
    assert "Angemeldet als erika (Redaktion)" in page_text(app)
    status = next(s for s in app.selectbox if s.label == "Neue Bewertung")
    status.set_value("kept")
    next(t for t in app.text_area if t.label.startswith("Begründung")).input(
        "Der Rat hat die Ganztagsschulen beschlossen."
    )
    next(t for t in app.text_input if t.label == "Adresse der Quelle").input("https://www.herne.de/ogs")
    next(t for t in app.text_input if t.label == "Titel der Quelle").input("Ratsbeschluss OGS")
    next(b for b in app.button if b.label == "Bewertung speichern").click().run()
    assert not app.exception, app.exception
    assert "Gespeichert als Bewertung Nr. 1." in page_text(app)

    public = open_app(pledge="2-2")
    text = "\n".join(
        [m.value for m in public.markdown] + [t.value for t in public.text] + [c.value for c in public.caption]
    )
    assert "Der Rat hat die Ganztagsschulen beschlossen." in text
    assert "Ratsbeschluss OGS" in text and "eingetragen von erika" in text


def test_missing_source_is_refused_naming_the_field(staff):
    app = sign_in(open_app("views/edit.py", pledge="2-3"), "erika")
    next(s for s in app.selectbox if s.label == "Neue Bewertung").set_value("kept")
    next(t for t in app.text_area if t.label.startswith("Begründung")).input("Begründung")
    next(b for b in app.button if b.label == "Bewertung speichern").click().run()
    assert "Nicht gespeichert. Adresse der Quelle 1: „“ ist keine Webadresse" in page_text(app)
    assert services.pledge_view(None, "2-3").history == ()


def test_audit_trail_is_for_admins_only(staff):
    editor = sign_in(open_app("views/audit.py"), "erika")
    assert "nur für Admins" in page_text(editor)
    admin = sign_in(open_app("views/audit.py"), "bert")
    table = admin.dataframe[0].value
    assert "Status geändert" in set(table["Aktion"]) and "Konto angelegt" in set(table["Aktion"])


def test_second_editor_sees_a_conflict_naming_the_other_change_and_can_retry(staff):
    app = sign_in(open_app("views/edit.py", pledge="2-4"), "erika")  # erika opens 2-4 (version 0)
    # meanwhile bert saves a rating of the same measure
    services.record_status_change(None, "2-4", make_change("stalled"), services.Actor("bert", "admin"))

    def fill_and_save() -> None:
        next(s for s in app.selectbox if s.label == "Neue Bewertung").set_value("kept")
        next(t for t in app.text_area if t.label.startswith("Begründung")).input("Beschlossen.")
        next(t for t in app.text_input if t.label == "Adresse der Quelle").input("https://www.herne.de/x")
        next(t for t in app.text_input if t.label == "Titel der Quelle").input("Beschluss")
        next(b for b in app.button if b.label == "Bewertung speichern").click().run()

    fill_and_save()
    text = page_text(app)
    assert "Nicht gespeichert: bert hat" in text and "„Blockiert“" in text
    changes = services.pledge_view(None, "2-4").history
    assert [(c.author, c.status) for c in changes] == [("bert", "stalled")]
    fill_and_save()  # having seen bert's change, erika saves again
    assert "Gespeichert als Bewertung Nr. 2." in page_text(app)


def fill_rating(app: AppTest, url: str, rationale: str, status: str = "kept") -> AppTest:
    next(s for s in app.selectbox if s.label == "Neue Bewertung").set_value(status)
    next(t for t in app.text_area if t.label.startswith("Begründung")).input(rationale)
    next(t for t in app.text_input if t.label == "Adresse der Quelle").input(url)
    next(t for t in app.text_input if t.label == "Titel der Quelle").input("Beschluss")
    next(b for b in app.button if b.label == "Bewertung speichern").click().run()
    assert not app.exception, app.exception
    return app


def test_errors_on_the_rating_page_are_german_and_name_the_form_field(staff):
    app = sign_in(open_app("views/edit.py", pledge="3-1"), "erika")
    bad_url = [as_read(e.value) for e in fill_rating(app, "ftp://herne.de/rat", "Beschlossen.").error]
    assert bad_url == [
        "Nicht gespeichert. Adresse der Quelle 1: „ftp://herne.de/rat“ ist keine Webadresse; erlaubt ist eine "
        "vollständige Adresse, die mit http:// oder https:// beginnt"
    ]
    empty = [as_read(e.value) for e in fill_rating(app, "https://www.herne.de/rat", "   ").error]
    assert empty == ["Nicht gespeichert. Begründung: darf nicht leer sein"]
    assert services.pledge_view(None, "3-1").history == ()


def test_an_unknown_code_in_an_imported_file_is_reported_in_german(staff):
    app = sign_in(open_app("views/import_statuses.py"), "erika")
    content = (
        b"code;status;date;rationale;source_url;source_title;source_kind\r\n"
        b"8.2-44;kept;2026-03-01;Beschlossen.;https://www.herne.de/rat;Ratsbeschluss;council\r\n"
    )
    app.file_uploader[0].set_value(("updates.csv", content, "text/csv"))
    app.run()
    assert not app.exception, app.exception
    assert [e.value for e in app.error] == [
        "Nichts wird gespeichert, solange 1 Zeile abgelehnt ist: Bitte die Datei korrigieren und erneut hochladen."
    ]
    table = app.table[0].value.map(lambda markdown: re.sub(r"\\(.)", r"\1", markdown))  # cells are inert Markdown
    assert list(table.columns) == ["Wo", "Spalte", "Problem"]
    assert table.iloc[0].tolist() == [
        "Zeile 2",
        "code",
        "in diesem Programm gibt es keine Maßnahme „8.2-44“; gemeint ist vielleicht 8.2-4, 9.2-4, 8.4-4, 8.2-3, 8.2-2?",
    ]
