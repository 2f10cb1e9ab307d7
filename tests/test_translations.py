"""Translations of a measure (issue #13): the German text stays the original; staff propose a translation per
measure and language, which the public sees only once a reviewer who is not its author approved it, labelled as a
translation with the German original one click away, in the app, the search, the exports, the edition and feeds."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import jsonschema
import pytest
import streamlit as st
from sqlalchemy import select

from tests.helpers import ADMIN, HERNE_SLUG, add_account, as_read, open_app
from tests.hostile import CONTROL, MARKUP
from tracker import db, services
from tracker.edition import live
from tracker.edition.output import Output
from tracker.edition.site import LanguageEdition, Options, ProgrammeFacts, measure_path
from tracker.models import PledgeTranslation

pytestmark = pytest.mark.review  # review in its default mode, auto (tests/conftest.py turns it off elsewhere)

CODE = "8.2-4"  # "Schüler und Schülerinnen mit Leihgeräten ausstatten, vor allem sozial benachteiligte Haushalte"
GERMAN = "Schüler und Schülerinnen mit Leihgeräten ausstatten, vor allem sozial benachteiligte Haushalte"
ENGLISH = "Equip pupils with loan devices, above all those from socially disadvantaged households"
LABEL_EN = "Translation – original in German"


@pytest.fixture
def team(herne):
    """Two accounts (so review is on in the default mode "auto"): an editor and a reviewer."""
    return {
        "anna": add_account("anna", "Anna Schmidt", "editor"),
        "rita": add_account("rita", "Rita Prüfer", "reviewer"),
    }


@pytest.fixture
def translated(team):
    """The English translation of 8.2-4, proposed by Anna and approved by Rita."""
    proposed = services.propose_translation(HERNE_SLUG, CODE, "en", ENGLISH, team["anna"])
    services.approve_proposal(HERNE_SLUG, "translation", proposed.id, team["rita"])
    return proposed


def found(query: str, language: str | None = None) -> list[str]:
    return [row.code for row in services.search_pledges(HERNE_SLUG, query, language=language).rows]


# ------------------------------------------------------------------------------------------------ services


def test_a_proposed_translation_is_not_public_until_a_reviewer_approves_it(team):
    proposed = services.propose_translation(HERNE_SLUG, CODE, "en", ENGLISH, team["anna"])
    assert proposed.state == "proposed" and proposed.author == "Anna Schmidt"
    view = services.pledge_view(HERNE_SLUG, CODE)
    assert view.text == GERMAN and view.translations == {}
    assert found("loan", "en") == []  # a proposal is never searched
    exported = services.export_programme(HERNE_SLUG)
    assert next(p for p in exported["pledges"] if p["code"] == CODE)["translations"] == {}
    [waiting] = services.list_proposals(HERNE_SLUG, team["rita"])
    assert (waiting.kind, waiting.pledge, waiting.value, waiting.text, waiting.pledge_text, waiting.public_text) == (
        "translation",
        CODE,
        "en",
        ENGLISH,
        GERMAN,
        "",
    )
    [english, *_others] = services.measure_translations(HERNE_SLUG, CODE, team["anna"])
    assert english.language == "en" and english.current is None and [t.text for t in english.open] == [ENGLISH]

    services.approve_proposal(HERNE_SLUG, "translation", proposed.id, team["rita"])
    view = services.pledge_view(HERNE_SLUG, CODE)
    assert view.text == GERMAN and view.translations == {"en": ENGLISH}
    [english, *_others] = services.measure_translations(HERNE_SLUG, CODE, team["anna"])
    assert english.current.text == ENGLISH and english.current.reviewed_by == "Rita Prüfer" and english.open == ()


def test_nobody_approves_their_own_translation_and_an_editor_approves_none(team):
    rita = team["rita"]
    own = services.propose_translation(HERNE_SLUG, CODE, "tr", "Öğrencilere ödünç cihaz verilmesi", rita)
    with pytest.raises(services.PermissionDenied) as error:
        services.approve_proposal(HERNE_SLUG, "translation", own.id, rita)
    assert error.value.code == "own_proposal"
    with pytest.raises(services.PermissionDenied):
        services.approve_proposal(HERNE_SLUG, "translation", own.id, team["anna"])  # an editor is no reviewer
    assert services.pledge_view(HERNE_SLUG, CODE).translations == {}


def test_a_returned_translation_never_reaches_the_public_and_the_latest_approved_one_counts(translated, team):
    anna, rita = team["anna"], team["rita"]
    wrong = services.propose_translation(HERNE_SLUG, CODE, "en", "Give every pupil a shiny new notebook", anna)
    services.return_proposal(HERNE_SLUG, "translation", wrong.id, rita, "Says more than the original.")
    assert services.pledge_view(HERNE_SLUG, CODE).translations == {"en": ENGLISH}
    assert found("shiny", "en") == []
    [english, *_others] = services.measure_translations(HERNE_SLUG, CODE, anna)
    assert [(t.state, t.review_note) for t in english.open] == [("returned", "Says more than the original.")]

    better = "Equip pupils with devices on loan, above all socially disadvantaged households"
    newer = services.propose_translation(HERNE_SLUG, CODE, "en", better, anna)
    services.approve_proposal(HERNE_SLUG, "translation", newer.id, rita)
    assert services.pledge_view(HERNE_SLUG, CODE).translations == {"en": better}


def test_with_review_off_a_translation_is_public_at_once(herne):
    proposed = services.propose_translation(HERNE_SLUG, CODE, "ar", "تزويد التلاميذ بأجهزة معارة", ADMIN)
    assert proposed.state == "approved"
    assert services.pledge_view(HERNE_SLUG, CODE).translations == {"ar": "تزويد التلاميذ بأجهزة معارة"}


# A translation is a text of several lines: line breaks, tabs, invisible marks and direction marks are text in it
# (``tracker.textfiles``); control characters are not.
REFUSED = [(label, text) for label, text in CONTROL if label not in ("carriage-return", "rtl-override", "zero-width")]


def test_wrong_languages_empty_overlong_and_control_characters_are_refused_naming_the_field(herne):
    """One database for every refusal (each refusal writes nothing, so they do not disturb each other)."""
    for language in ("de", "fr", "EN", "", "en-GB"):
        with pytest.raises(services.InvalidInput) as error:
            services.propose_translation(HERNE_SLUG, CODE, language, ENGLISH, ADMIN)
        assert error.value.field == "language" and "accepted: en, tr, ar, uk" in str(error.value), language
    for text, code in [("", "empty"), ("   \n ", "empty"), ("x" * (services.MAX_TRANSLATION + 1), "too_long")]:
        with pytest.raises(services.InvalidInput) as error:
            services.propose_translation(HERNE_SLUG, CODE, "en", text, ADMIN)
        assert (error.value.field, error.value.code) == ("translation", code)
        assert str(error.value).startswith("translation: ")
    for label, text in REFUSED:
        with pytest.raises(services.InvalidInput) as error:
            services.propose_translation(HERNE_SLUG, CODE, "en", text, ADMIN)
        assert error.value.field == "translation", label
    assert services.pledge_view(HERNE_SLUG, CODE).translations == {}
    assert len(services.propose_translation(HERNE_SLUG, CODE, "en", "x" * services.MAX_TRANSLATION, ADMIN).text) == (
        services.MAX_TRANSLATION
    )


def test_an_unknown_measure_or_a_signed_out_actor_records_nothing(herne):
    with pytest.raises(services.NotFound):
        services.propose_translation(HERNE_SLUG, "99-99", "en", ENGLISH, ADMIN)
    with pytest.raises(services.PermissionDenied):
        services.propose_translation(HERNE_SLUG, CODE, "en", ENGLISH, None)
    with db.session_factory(db.get_engine())() as session:
        assert session.scalars(select(PledgeTranslation)).all() == []


def test_a_search_in_english_finds_english_translations_and_the_german_text(translated):
    assert found("loan devices", "en") == [CODE]
    assert found("Leihgeräten", "en") == [CODE]  # the German text too
    assert found("loan", "de") == [] and found("loan") == []  # German searches the original only
    assert found("loan", "tr") == []  # and Turkish its own translations
    [row] = services.search_pledges(HERNE_SLUG, "leihgeraten ausstatten", language="en").rows
    assert (row.text, row.translations) == (GERMAN, {"en": ENGLISH})


def test_export_carries_the_approved_translations_and_restore_brings_them_back(translated, tmp_path, monkeypatch):
    data = services.export_programme(HERNE_SLUG)
    jsonschema.Draft202012Validator(services.export_schema()).validate(data)
    assert next(p for p in data["pledges"] if p["code"] == CODE)["translations"] == {"en": ENGLISH}
    rows = list(csv.DictReader(io.StringIO(services.export_csv(HERNE_SLUG))))
    assert list(rows[0])[-4:] == ["text_en", "text_tr", "text_ar", "text_uk"]  # after every older column
    row = next(r for r in rows if r["code"] == CODE)
    assert (row["text"], row["text_en"], row["text_tr"]) == (GERMAN, ENGLISH, "")

    first = services.export_json(HERNE_SLUG)
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")
    old = json.loads(first)  # an export of a version before translations
    for pledge in old["pledges"]:
        del pledge["translations"]
    old["programme"]["slug"] = "herne-alt"
    old_path = tmp_path / "old.json"
    old_path.write_text(json.dumps(old), encoding="utf-8")
    empty_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", empty_url)
    try:
        services.upgrade_schema()
        services.restore_programme(services.load_export(path), ADMIN)
        assert services.export_json(HERNE_SLUG) == first
        assert services.pledge_view(HERNE_SLUG, CODE).translations == {"en": ENGLISH}
        services.restore_programme(services.load_export(old_path), ADMIN)
        assert services.pledge_view("herne-alt", CODE).translations == {}
    finally:
        db.get_engine(empty_url).dispose()


def test_restore_refuses_a_translation_into_german_naming_the_place(translated, tmp_path):
    data = services.export_programme(HERNE_SLUG)
    data["programme"]["slug"] = "herne-kopie"
    next(p for p in data["pledges"] if p["code"] == CODE)["translations"] = {"de": GERMAN}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(services.InvalidInput) as error:
        services.load_export(path)  # the schema names the languages
    assert "translations" in str(error.value)
    with pytest.raises(services.InvalidInput) as error:
        services.restore_programme(data, ADMIN)  # and so does restore, for a file that skipped the schema
    assert f"pledge {CODE}, translations, de" in str(error.value) and "en, tr, ar, uk" in str(error.value)


# ------------------------------------------------------------------------------------------------ edition


def test_the_edition_measure_page_in_english_shows_the_translation_labelled_with_the_original(translated, tmp_path):
    facts = ProgrammeFacts.of(services.edition_part(HERNE_SLUG, pledge=CODE))
    for language in ("en", "de", "tr"):
        LanguageEdition(facts, language, Options.from_settings(), Output(tmp_path)).measure(facts.data.pledges[0])
    page = {
        language: (tmp_path / HERNE_SLUG / language / measure_path(CODE)).read_text(encoding="utf-8")
        for language in ("en", "de", "tr")
    }
    english = page["en"]
    assert LABEL_EN in english and f'<blockquote lang="en"><p>{ENGLISH}</p></blockquote>' in english
    assert f'<summary>Show the German original</summary><blockquote lang="de"><p>{GERMAN}</p>' in english
    assert f"<title>Measure {CODE}: {ENGLISH} – Pledge tracker</title>" in english
    assert f'<meta name="description" content="Not yet rated. {ENGLISH}">' in english
    assert ENGLISH not in page["de"] and "Übersetzung" not in page["de"]
    assert ENGLISH not in page["tr"] and "Önlemin metni Almanca orijinalidir." in page["tr"]


def test_the_feeds_carry_the_translated_title_where_there_is_one(translated, team):
    services.record_status_change(HERNE_SLUG, CODE, _change(), team["anna"])
    services.approve_proposal(HERNE_SLUG, "status_change", services.list_proposals(HERNE_SLUG, ADMIN)[0].id, ADMIN)
    english = feedparser.parse(live.feed(HERNE_SLUG, "en", f"measure-{CODE}.atom", "https://app.example").content)
    german = feedparser.parse(live.feed(HERNE_SLUG, "de", f"measure-{CODE}.atom", "https://app.example").content)
    assert english.feed.subtitle == ENGLISH and german.feed.subtitle == GERMAN
    [entry] = english.entries
    assert entry.title.endswith(f"– {ENGLISH}") and f"German original: {GERMAN}" in entry.summary
    assert german.entries[0].title.endswith(f"– {GERMAN}")


def _change():
    from tests.helpers import make_change

    return make_change("in_progress")


# ------------------------------------------------------------------------------------------------ app


def shown(app) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    return as_read("\n".join(parts))


def test_the_measure_page_in_english_shows_the_translation_labelled_with_the_original_one_click_away(
    app_env, translated
):
    app = open_app(page="views/pledge.py", pledge=CODE, lang="en")
    text = shown(app)
    assert f"# {ENGLISH}" in text and LABEL_EN in text
    [original] = [e for e in app.expander if e.label == "Show the German original"]
    assert as_read(original.markdown[0].value) == GERMAN
    german = shown(open_app(page="views/pledge.py", pledge=CODE))
    assert f"# {GERMAN}" in german and ENGLISH not in german and "Übersetzung" not in german
    turkish = shown(open_app(page="views/pledge.py", pledge=CODE, lang="tr"))
    assert f"# {GERMAN}" in turkish and "Önlemin metni Almanca orijinalidir." in turkish


def test_a_proposal_is_not_shown_on_the_public_pages(app_env, team):
    services.propose_translation(HERNE_SLUG, CODE, "en", ENGLISH, team["anna"])
    app = open_app(page="views/pledge.py", pledge=CODE, lang="en")
    assert ENGLISH not in shown(app) and "The measure's text is the German original." in shown(app)
    listed = open_app(page="views/measures.py", q="loan", lang="en")
    assert "0** measures found" in shown(listed)


def test_the_measures_list_in_english_finds_and_shows_the_translation(app_env, translated):
    app = open_app(page="views/measures.py", q="loan devices", lang="en")
    text = shown(app)
    assert "**1** measure found" in text and LABEL_EN in text
    [link] = [p for p in app.get("page_link") if as_read(p.proto.label).startswith(f"{CODE}: ")]  # not the footer
    assert as_read(link.proto.label) == f"{CODE}: {ENGLISH}"
    [original] = [e for e in app.expander if e.label == "Show the German original"]
    assert as_read(original.markdown[0].value) == GERMAN


def test_a_translation_with_markup_is_shown_as_text(app_env, herne):
    for label, text in (MARKUP[0], MARKUP[3]):  # each the latest approved translation in turn (review is off)
        services.propose_translation(HERNE_SLUG, CODE, "en", text, ADMIN)
        st.cache_data.clear()  # as a save through the app does (``dashboard.editing``)
        app = open_app(page="views/pledge.py", pledge=CODE, lang="en")
        assert f"# {text}" in shown(app), label
        assert all(text not in h.proto.body for h in app.get("html")), label


def test_staff_propose_a_translation_on_the_rating_page_and_see_it_wait_for_review(app_env, herne):
    from tests.test_staff_pages import PASSWORD, page_text, sign_in

    services.add_user(ADMIN, "anna", PASSWORD, "editor")
    services.add_user(ADMIN, "rita", PASSWORD, "reviewer")  # two accounts: review is on
    app = sign_in(open_app(page="views/edit.py", pledge=CODE), "anna")
    assert "Übersetzungen" in [tab.label for tab in app.tabs] and "Noch keine Übersetzung." in page_text(app)
    [area] = [a for a in app.text_area if a.label == "Übersetzung"]
    area.input("")
    [submit] = [b for b in app.button if b.label == "Übersetzung vorschlagen"]
    submit.click().run()
    assert "Übersetzung: darf nicht leer sein" in page_text(app)  # the field named, in German

    [language] = [s for s in app.selectbox if s.label == "Sprache"]
    assert language.options == ["Englisch", "Türkisch", "Arabisch", "Ukrainisch"]
    language.set_value("Englisch")
    [area] = [a for a in app.text_area if a.label == "Übersetzung"]
    area.input(ENGLISH)
    [submit] = [b for b in app.button if b.label == "Übersetzung vorschlagen"]
    submit.click().run()
    assert not app.exception, app.exception
    text = page_text(app)
    assert "sobald eine zweite Person sie freigegeben hat" in text
    assert ENGLISH in [t.value for t in app.text]
    assert any("Wartet auf Prüfung" in as_read(i.value) for i in app.info)
    assert services.pledge_view(HERNE_SLUG, CODE).translations == {}  # the public sees nothing yet


def test_the_translate_command_proposes_a_translation_and_refuses_a_wrong_language(tracker_cli, herne):
    add_account("anna", "Anna Schmidt", "editor")
    add_account("rita", "Rita Prüfer", "reviewer")  # review is on
    done = tracker_cli("translate", CODE, "en", ENGLISH, "--as", "anna", check=True)
    assert f"{CODE}: translation into en proposed as t" in done.stdout and "waits for review" in done.stdout
    assert services.pledge_view(HERNE_SLUG, CODE).translations == {}
    wrong = tracker_cli("translate", CODE, "de", GERMAN, "--as", "anna")
    assert wrong.returncode != 0 and "language" in wrong.stderr and "accepted: en, tr, ar, uk" in wrong.stderr
