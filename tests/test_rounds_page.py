"""The double-rating page (staff) and the method page's agreement section, in Streamlit's AppTest."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.helpers import ADMIN, TODAY, add_account, as_read, make_change, open_app, stored_scalars
from tests.test_staff_pages import page_text as _page_text
from tracker import services
from tracker.models import Pledge, RoundItem

# review in its default mode, auto (tests/conftest.py turns it off elsewhere); on SQLite alone (see conftest)
pytestmark = [pytest.mark.review, pytest.mark.sqlite_only]

PASSWORD = "ein langes passwort"  # helpers.add_account's


def page_text(app) -> str:
    """What the page says, with its subheaders and notes."""
    more = [h.value for h in [*app.header, *app.subheader]] + [i.value for i in app.info] + [t.value for t in app.text]
    return _page_text(app) + "\n" + as_read("\n".join(more))


def sign_in(app, name: str):
    from dashboard.auth import TOKEN_KEY

    app.session_state[TOKEN_KEY] = services.start_session(name, PASSWORD).token
    app.run()
    assert not app.exception, app.exception
    return app


@pytest.fixture
def team(app_env, herne):
    people = {
        "rita": add_account("rita", "Rita Rater"),
        "rolf": add_account("rolf", "Rolf Rater"),
        "rudi": add_account("rudi", "Rudi Review", "reviewer"),
        "ada": add_account("ada", "Ada Admin", "admin"),
    }
    created = services.create_round(herne, 3, ("rita", "rolf"), people["ada"], seed=9)
    codes = stored_scalars(
        select(Pledge.code).join(RoundItem, RoundItem.pledge_id == Pledge.id).where(RoundItem.round_id == created.id)
    )
    return {"slug": herne, "round": created.id, "codes": codes, **people}


def test_a_rater_rates_the_sample_blind_in_one_form(team):
    slug, codes = team["slug"], team["codes"]
    services.record_status_change(slug, codes[0], make_change("stalled", "2026-02-01"), ADMIN, today=TODAY)
    services.rate_items(slug, team["round"], {codes[0]: "kept"}, team["rita"])

    app = sign_in(open_app("views/rounds.py"), "rolf")
    text = page_text(app)
    assert "Doppelbewertung" in text and next(s for s in app.selectbox if s.label == "Runde").value == 1
    for code in codes:
        assert code in text
    assert "Blockiert" not in text and "Umgesetzt" not in text  # neither the public status nor Rita's
    pickers = [s for s in app.selectbox if s.label.startswith("Ihre Bewertung von")]
    assert len(pickers) == 3 and all(s.value is None for s in pickers)
    for picker, status in zip(pickers, ["kept", "broken", "kept"], strict=True):
        picker.set_value(status)
    next(b for b in app.button if b.label == "Meine Bewertungen speichern").click().run()
    assert not app.exception, app.exception
    assert "3 Bewertungen gespeichert." in page_text(app)
    [found] = services.list_rounds(slug, ADMIN)
    assert (found.rated_a, found.rated_b) == (1, 3)


def test_after_both_the_agreement_is_shown_and_a_third_person_settles(team):
    slug, codes, round_id = team["slug"], team["codes"], team["round"]
    services.rate_items(slug, round_id, dict(zip(codes, ["kept", "broken", "kept"], strict=True)), team["rita"])
    services.rate_items(slug, round_id, dict(zip(codes, ["kept", "kept", "kept"], strict=True)), team["rolf"])

    rater = sign_in(open_app("views/rounds.py"), "rita")
    assert "eine dritte Person" in page_text(rater)
    assert not any(b.label == "Abgeglichene Bewertung erfassen" for b in rater.button)

    app = sign_in(open_app("views/rounds.py"), "rudi")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Gleiche Bewertungen"] == "2 / 3"
    assert metrics["Übereinstimmung"] == "67\u00a0%"
    assert metrics["Cohens Kappa"] == "0,000"  # (6 - 6) / (9 - 6): no more agreement than chance
    assert app.dataframe[0].value.shape[0] >= 1  # per area
    assert codes[1] in app.dataframe[1].value.iloc[:, 0].tolist()  # the disagreement
    next(s for s in app.selectbox if s.label == "Neue Bewertung").set_value("in_progress")
    next(t for t in app.text_area if t.label.startswith("Begründung")).input("Der Rat hat es vertagt.")
    next(t for t in app.text_input if t.label == "Adresse der Quelle").input("https://www.herne.de/rat")
    next(t for t in app.text_input if t.label == "Titel der Quelle").input("Ratsprotokoll")
    next(b for b in app.button if b.label == "Abgeglichene Bewertung erfassen").click().run()
    assert not app.exception, app.exception
    [settled] = services.round_result(slug, round_id, ADMIN).disagreements
    assert (settled.settled_status, settled.settled_by, settled.settled_state) == (
        "in_progress",
        "Rudi Review",
        "proposed",
    )

    admin = sign_in(open_app("views/rounds.py"), "ada")
    next(t for t in admin.text_area if t.label.startswith("Wie die Abweichungen")).input("Von Rudi abgeglichen.")
    next(b for b in admin.button if b.label == "Runde abschließen und veröffentlichen").click().run()
    assert not admin.exception, admin.exception
    assert services.closed_rounds(slug)[0].settlement_note == "Von Rudi abgeglichen."


def test_the_method_page_publishes_a_closed_round_without_names(team):
    slug, codes, round_id = team["slug"], team["codes"], team["round"]
    same = dict.fromkeys(codes, "in_progress")
    services.rate_items(slug, round_id, same, team["rita"])
    services.rate_items(slug, round_id, same, team["rolf"])
    services.close_round(slug, round_id, "Keine Abweichungen.", team["ada"])

    app = open_app("views/method.py")
    text = page_text(app)
    assert "Übereinstimmung zwischen Bewertenden" in text
    assert "3 Maßnahmen, zufällige Stichprobe" in text
    assert "3 von 3 Maßnahmen gleich bewertet; 0 Abweichungen, davon 0 von einer dritten Person abgeglichen." in text
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Übereinstimmung": "100\u00a0%", "Cohens Kappa": "nicht berechenbar"}
    assert "Keine Abweichungen." in [t.value for t in app.text]
    assert "Rita" not in text and "rita" not in text and "Rolf" not in text

    english = open_app("views/method.py", lang="en")
    assert {m.label: m.value for m in english.metric} == {"Agreement": "100%", "Cohen's kappa": "not computable"}


def test_the_method_page_without_a_closed_round(app_env, herne):
    assert "Es wurde noch keine Doppelbewertungsrunde abgeschlossen." in page_text(open_app("views/method.py"))


def test_the_page_asks_for_sign_in_and_admins_start_a_round(team):
    assert "Anmeldung für die Redaktion" in page_text(open_app("views/rounds.py"))
    app = sign_in(open_app("views/rounds.py"), "ada")
    app.number_input[0].set_value(4)
    first = next(s for s in app.selectbox if s.label == "Erste Bewertende")
    second = next(s for s in app.selectbox if s.label == "Zweite Bewertende")
    first.set_value("rudi")
    second.set_value("rudi")
    next(b for b in app.button if b.label == "Stichprobe ziehen").click().run()
    assert "zwei verschiedene Konten" in page_text(app)
    next(s for s in app.selectbox if s.label == "Zweite Bewertende").set_value("rita")
    next(b for b in app.button if b.label == "Stichprobe ziehen").click().run()
    assert not app.exception, app.exception
    assert "Runde 2 gestartet." in page_text(app)
    assert len(services.list_rounds(team["slug"], ADMIN)) == 2


def test_the_published_editions_method_page_shows_a_closed_round(team, tmp_path):
    from tracker.edition.output import Output
    from tracker.edition.site import LanguageEdition, Options, ProgrammeFacts

    slug, codes, round_id = team["slug"], team["codes"], team["round"]
    services.rate_items(slug, round_id, dict(zip(codes, ["kept", "broken", "kept"], strict=True)), team["rita"])
    services.rate_items(slug, round_id, dict(zip(codes, ["kept", "kept", "kept"], strict=True)), team["rolf"])
    services.settle_disagreement(slug, round_id, codes[1], make_change("kept"), team["rudi"], TODAY)
    services.close_round(slug, round_id, "Erste Zeile.\n<b>Zweite</b> Zeile.", team["ada"])

    facts = ProgrammeFacts.of(services.edition_data(slug, TODAY))
    pages = {}
    for language in ("de", "en"):
        LanguageEdition(facts, language, Options(), Output(tmp_path)).method()
        pages[language] = (tmp_path / slug / language / "method.html").read_text(encoding="utf-8")
    german, english = pages["de"], pages["en"]
    assert "Übereinstimmung zwischen Bewertenden" in german
    closed = services.closed_rounds(slug)[0].closed_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%d.%m.%Y")
    assert f"Runde vom {closed}: 3 Maßnahmen, zufällige Stichprobe" in german  # the day it was closed
    assert "Übereinstimmung: 66,7 % (2 von 3 Maßnahmen gleich bewertet); Cohens Kappa: 0,000" in german
    assert "1 Abweichung, davon 1 von einer dritten Person abgeglichen." in german
    assert "Erste Zeile.<br>&lt;b&gt;Zweite&lt;/b&gt; Zeile." in german  # the note as text, its lines kept
    assert "Cohen's kappa: 0.000" in english and "1 disagreement, 1 of them settled" in english
    assert "rita" not in german and "Rita" not in german and "Rudi" not in german
