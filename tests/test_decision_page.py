"""One decision for several measures, and the drafts and saves of the rating form, through AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ADMIN, EDITOR, as_read, make_change, open_app
from tests.test_staff_pages import PASSWORD, page_text, sign_in
from tracker import services

pytestmark = pytest.mark.sqlite_only  # see tests/conftest.py: the services are tested on both databases

DECISION = "views/decision.py"
RATIONALE = "Der Rat hat am 12.11.2026 das Schulpaket beschlossen."
URL = "https://www.herne.de/rat/schulpaket"


@pytest.fixture
def staff(app_env, herne):
    services.add_user(ADMIN, "erika", PASSWORD, "editor")
    return herne


def widget(items, label: str):
    return next(w for w in items if w.label == label)


def pick(app: AppTest, *codes: str) -> AppTest:
    for code in codes:
        next(c for c in app.checkbox if as_read(c.label).startswith(f"**{code}** ")).check()
    return app.run()


def decide(app: AppTest, url: str = URL, status: str = "kept", rationale: str = RATIONALE) -> AppTest:
    widget(app.selectbox, "Neue Bewertung").set_value(status)
    widget(app.text_area, "Begründung (öffentlich sichtbar)").input(rationale)
    widget(app.text_input, "Adresse der Quelle").input(url)
    widget(app.text_input, "Titel der Quelle").input("Ratsbeschluss Schulpaket")
    widget(app.selectbox, "Art der Quelle").set_value("council")
    return app.run()


def save_button(app: AppTest):
    return next(b for b in app.button if b.label.endswith("speichern") and b.key.endswith(":save"))


def plain(markdown: str) -> str:
    """Markdown as it reads: without the escapes of typed text and without bold markers."""
    return as_read(markdown).replace("**", "")


def preview_text(app: AppTest) -> str:
    return plain("\n".join(m.value for m in app.markdown if m.value.startswith("- **")))


def decision_page(area: int | None = 2) -> AppTest:
    app = sign_in(open_app(DECISION), "erika")
    if area is not None:
        widget(app.selectbox, "Themenbereich").set_value(area).run()
    return app


def test_pick_by_area_and_checkboxes_preview_then_save_all_in_one_go(staff):
    app = decision_page(area=2)
    assert [as_read(c.label).split("** ")[0] for c in app.checkbox] == ["**2-1", "**2-2", "**2-3", "**2-4"]
    pick(app, "2-1", "2-3", "2-4")
    assert "3 Maßnahmen ausgewählt." in page_text(app)
    decide(app)
    preview = preview_text(app)
    assert preview.count(" — Noch nicht bewertet → Umgesetzt") == 3
    assert "- 2-1 Kita-Ausbau, kostenfreies Essen" in preview and "2-2" not in preview
    save_button(app).click().run()
    assert not app.exception, app.exception
    assert "3 Änderungen gespeichert." in [s.value for s in app.success]
    assert [as_read(link.value) for link in app.page_link if as_read(link.value).startswith("2-")] == [
        "2-1: Kita-Ausbau, kostenfreies Essen & längere Öffnungszeiten.",
        "2-3: Sprachförderung ab dem 1. Lebensjahr.",
        "2-4: Schulpsychologie & Konfliktmediation stärken.",
    ]
    for code in ("2-1", "2-3", "2-4"):
        [change] = services.pledge_view(None, code).history
        assert (change.status, change.rationale, change.sources[0].url, change.sources[0].kind) == (
            "kept",
            RATIONALE,
            URL,
            "council",
        )
    assert services.pledge_view(None, "2-2").history == ()
    # the form is cleared: nothing picked, no decision
    assert not any(c.value for c in app.checkbox)
    assert widget(app.text_area, "Begründung (öffentlich sichtbar)").value == ""


def test_select_all_listed_and_none(staff):
    app = decision_page(area=3)
    codes = [as_read(c.label).split("**")[1] for c in app.checkbox]
    widget(app.button, "Alle aufgelisteten auswählen").click().run()
    assert all(c.value for c in app.checkbox) and f"{len(codes)} Maßnahmen ausgewählt." in page_text(app)
    widget(app.button, "Keine auswählen").click().run()
    assert not any(c.value for c in app.checkbox) and "0 Maßnahmen ausgewählt." in page_text(app)


def test_an_invalid_url_names_the_field_and_saves_nothing(staff):
    app = decision_page(area=2)
    pick(app, "2-1", "2-2")
    decide(app, url="www.herne.de/rat")
    save_button(app).click().run()
    assert [as_read(e.value) for e in app.error] == [
        "Nicht gespeichert. Adresse der Quelle 1: „www.herne.de/rat“ ist keine Webadresse; erlaubt ist eine "
        "vollständige Adresse, die mit http:// oder https:// beginnt"
    ]
    assert services.pledge_view(None, "2-1").history == () and services.pledge_view(None, "2-2").history == ()
    assert widget(app.text_input, "Adresse der Quelle").value == "www.herne.de/rat"  # kept for correcting


def test_an_identical_change_shows_already_recorded_and_is_skipped(staff):
    same = services.StatusChangeInput(
        "kept", RATIONALE, [services.SourceInput(URL, "Ratsbeschluss Schulpaket", "council")], services.today()
    )
    services.record_status_change(None, "2-2", same, EDITOR)
    app = decision_page(area=2)
    pick(app, "2-1", "2-2")
    decide(app)
    preview = preview_text(app)
    assert (
        "- 2-2 Ganztagsschulen & Hausaufgabenhilfe in sozialen Brennpunkten. — bereits erfasst (Bewertung Nr. 1)"
        in preview
    )
    assert save_button(app).label == "1 Änderung speichern"
    save_button(app).click().run()
    assert [s.value for s in app.success] == [
        "1 Änderung gespeichert. 1 Maßnahme wurde übersprungen: dieselbe Änderung ist bereits erfasst."
    ]
    assert len(services.pledge_view(None, "2-2").history) == 1
    assert len(services.pledge_view(None, "2-1").history) == 1


def test_a_back_dated_decision_says_which_newer_rating_keeps_the_status(staff):
    services.record_status_change(None, "2-3", make_change("broken", "2026-09-20"), EDITOR)
    app = decision_page(area=2)
    pick(app, "2-3")
    widget(app.date_input, "Stichtag").set_value(services.today().replace(year=2026, month=5, day=1))
    decide(app, status="in_progress")
    assert (
        "2-3 Sprachförderung ab dem 1. Lebensjahr. — Verlauf ergänzt, aktueller Status bleibt „Gebrochen“ "
        "(neuere Bewertung vom 20.09.2026)" in preview_text(app)
    )


def test_a_change_by_someone_else_since_the_preview_is_refused_and_named(staff):
    app = decision_page(area=2)
    pick(app, "2-1", "2-4")
    decide(app)  # the preview shows both measures as not rated: that is what erika saw
    services.record_status_change(None, "2-4", make_change("stalled"), services.Actor("bert", "editor", "cli"))
    save_button(app).click().run()
    assert "Nicht gespeichert: bert hat während Ihrer Bearbeitung um " in page_text(app)
    assert "„Blockiert“ für die Maßnahme 2-4 eingetragen." in page_text(app)
    assert services.pledge_view(None, "2-1").history == ()
    assert "inzwischen geändert: bert hat „Blockiert“ eingetragen (Nr. 1)" in preview_text(app)
    save_button(app).click().run()  # having seen bert's change, erika saves again
    assert "2 Änderungen gespeichert." in [s.value for s in app.success]


def test_a_half_filled_decision_survives_a_language_switch_and_a_visit_to_a_public_page(staff):
    app = decision_page(area=2)
    pick(app, "2-2")
    widget(app.text_area, "Begründung (öffentlich sichtbar)").input(RATIONALE).run()
    app.segmented_control[0].set_value("en").run()
    assert widget(app.text_area, "Rationale (shown publicly)").value == RATIONALE
    app.switch_page("views/measures.py").run()
    app.switch_page(DECISION).run()
    assert not app.exception, app.exception
    assert widget(app.text_area, "Rationale (shown publicly)").value == RATIONALE
    assert widget(app.selectbox, "Policy area").value == 2
    assert [as_read(c.label).split("**")[1] for c in app.checkbox if c.value] == ["2-2"]


def test_a_half_filled_rating_survives_a_language_switch_and_a_visit_to_a_public_page(staff):
    app = sign_in(open_app("views/edit.py", pledge="2-2"), "erika")
    widget(app.selectbox, "Neue Bewertung").set_value("in_progress")
    widget(app.text_area, "Begründung (öffentlich sichtbar)").input(RATIONALE)
    widget(app.text_input, "Adresse der Quelle").input(URL).run()
    app.segmented_control[0].set_value("en").run()
    app.switch_page("views/pledge.py").run()
    app.switch_page("views/edit.py").run()
    assert not app.exception, app.exception
    assert widget(app.selectbox, "New status").value == "in_progress"
    assert widget(app.text_area, "Rationale (shown publicly)").value == RATIONALE
    assert widget(app.text_input, "Source URL").value == URL


def fill_rating(app: AppTest) -> AppTest:
    widget(app.selectbox, "Neue Bewertung").set_value("kept")
    widget(app.text_area, "Begründung (öffentlich sichtbar)").input(RATIONALE)
    widget(app.text_input, "Adresse der Quelle").input(URL)
    widget(app.text_input, "Titel der Quelle").input("Ratsbeschluss")
    return app.run()


def test_a_saved_rating_clears_the_form_links_the_measure_and_the_same_one_again_is_refused(staff):
    app = sign_in(open_app("views/edit.py", pledge="2-1"), "erika")
    fill_rating(app)
    widget(app.button, "Bewertung speichern").click().run()
    assert [s.value for s in app.success] == ["Gespeichert als Bewertung Nr. 1."]
    assert "2-1: Bewertung Nr. 1, „Umgesetzt“" in plain(page_text(app)) and "Neuer aktueller Status." in plain(
        page_text(app)
    )
    assert widget(app.text_area, "Begründung (öffentlich sichtbar)").value == ""
    assert widget(app.selectbox, "Neue Bewertung").value is None
    link = next(link for link in app.page_link if link.value == "Öffentliche Seite öffnen" and link.proto.query_string)
    assert link.proto.query_string == "pledge=2-1"

    fill_rating(app)  # the same rating entered again
    widget(app.button, "Bewertung speichern").click().run()
    [refused] = [as_read(e.value) for e in app.error]
    assert refused.startswith(
        "Nicht erneut gespeichert: Diese Bewertung ist bereits erfasst, als Nr. 1 der Maßnahme 2-1 "
        f"(„Umgesetzt“ seit {services.today():%d.%m.%Y}, erfasst von erika am "
    )
    assert len(services.pledge_view(None, "2-1").history) == 1


def test_a_rating_without_a_status_names_the_field(staff):
    app = sign_in(open_app("views/edit.py", pledge="2-1"), "erika")
    widget(app.text_area, "Begründung (öffentlich sichtbar)").input(RATIONALE).run()
    widget(app.button, "Bewertung speichern").click().run()
    assert [as_read(e.value) for e in app.error] == ["Nicht gespeichert. Neue Bewertung: darf nicht leer sein"]


def test_a_second_source_is_asked_for_on_request_and_saved_with_the_rating(staff):
    app = sign_in(open_app("views/edit.py", pledge="2-3"), "erika")
    assert not any(t.label == "Adresse der Quelle 2" for t in app.text_input)
    widget(app.button, "Weitere Quelle hinzufügen").click().run()
    fill_rating(app)
    widget(app.text_input, "Adresse der Quelle 2").input("https://www.waz.de/herne/ratsbeschluss")
    widget(app.text_input, "Titel der Quelle 2").input("WAZ-Bericht").run()
    widget(app.button, "Bewertung speichern").click().run()
    assert [s.value for s in app.success] == ["Gespeichert als Bewertung Nr. 1."]
    [change] = services.pledge_view(None, "2-3").history
    assert [s.url for s in change.sources] == [URL, "https://www.waz.de/herne/ratsbeschluss"]


REVIEW_NOTE = "Prüfung ist an: Speichern legt Vorschläge an."


def test_with_review_on_the_preview_says_it_shows_the_status_after_approval(staff, monkeypatch):
    app = decision_page(area=2)
    pick(app, "2-1")
    decide(app)
    assert "2-1" in preview_text(app)
    assert not any(REVIEW_NOTE in i.value for i in app.info)  # review off (tests/conftest.py): saving publishes
    monkeypatch.setenv("TRACKER_REVIEW", "on")
    app.run()
    assert any(i.value.startswith(REVIEW_NOTE) for i in app.info)
    save_button(app).click().run()
    assert services.pledge_view(None, "2-1").history == ()  # a proposal: nothing public yet
