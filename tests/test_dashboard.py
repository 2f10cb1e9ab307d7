"""Every public page through Streamlit's AppTest, against a real database with known ratings."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import EDITOR, HERNE, TODAY, as_read, make_change, open_app
from tracker import services

pytestmark = pytest.mark.sqlite_only  # see tests/conftest.py: the services are tested on both databases


def texts(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [t.value for t in app.text] + [c.value for c in app.caption]
    parts += [h.value for h in app.title] + [h.value for h in app.header] + [h.value for h in app.subheader]
    return "\n".join(parts).replace("\\", "").replace("**", "")


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_overview_before_any_rating_shows_262_not_yet_rated(app_env, herne):
    app = open_app()
    assert metrics(app) == {
        "Umgesetzt": "0", "Teilweise umgesetzt": "0", "In Arbeit": "0", "Blockiert": "0", "Gebrochen": "0",
        "Noch nicht bewertet": "262",
    }  # fmt: skip
    assert "Es wurde noch nichts bewertet" in texts(app)
    assert "Demo-Daten" not in texts(app)


def test_overview_shows_the_known_figures_and_recent_changes(app_env, rated):
    app = open_app()
    assert metrics(app) == {
        "Umgesetzt": "1", "Teilweise umgesetzt": "1", "In Arbeit": "2", "Blockiert": "1", "Gebrochen": "1",
        "Noch nicht bewertet": "256",
    }  # fmt: skip
    page = texts(app)
    assert "2 von 262" in page
    assert "Fortschritt nach Themenbereich" in page
    assert "Zuletzt aktualisiert" in page
    table = app.dataframe[0].value
    area_one = table[table["Nr."] == 1].iloc[0]
    assert (area_one["Umgesetzt"], area_one["Gebrochen"], area_one["Noch nicht bewertet"], area_one["Gesamt"]) == (
        1, 1, 2, 4,
    )  # fmt: skip
    assert int(table["Gesamt"].sum()) == 262


def test_english_via_url(app_env, rated):
    app = open_app(lang="en")
    assert set(metrics(app)) == {"Kept", "Compromise", "In the works", "Stalled", "Broken", "Not yet rated"}
    assert "2 of 262" in texts(app)


def independent_search(*words: str) -> set[str]:
    """Codes whose text or goal title holds every word, compared the plain way (casefold, ß as ss)."""
    from tracker.programme import parse_programme

    def plain(text: str) -> str:
        return text.casefold().replace("ß", "ss")

    found = set()
    for area in parse_programme(HERNE.read_text(encoding="utf-8")).areas:
        for goal in [None, *area.goals]:
            for pledge in area.pledges if goal is None else goal.pledges:
                haystack = plain(pledge.text + " " + (goal.title if goal else ""))
                if all(plain(w) in haystack for w in words):
                    found.add(pledge.code)
    return found


def listed_codes(app: AppTest) -> set[str]:
    return {as_read(link.proto.label).split(":")[0] for link in app.get("page_link")} - {
        "Alle Maßnahmen",
        "Leichte Sprache",
    }


@pytest.mark.parametrize(
    ("query", "words", "must_find"),
    [
        ("kita", ["kita"], {"2-1", "8.5-1"}),  # "Kita-Ausbau", goal "Mehr Kita-Plätze schaffen"
        ("strasse", ["straße"], {"14.1-1"}),  # "Baumpflanzung an Straßen"
        ("KITA  Plätze", ["kita", "plätze"], {"8.5-1", "8.5-2", "8.5-3"}),  # two words narrow the result
        ("schueler", ["schüler"], {"8.2-4"}),  # "Schüler" typed without the umlaut
    ],
)
def test_search_works_the_way_people_type(app_env, herne, query, words, must_find):
    app = open_app("views/measures.py", q=query)
    expected = independent_search(*words)
    assert must_find <= expected
    assert f"{len(expected)} Maßnahme" in texts(app)
    assert len(expected) <= 25  # one page of results
    assert listed_codes(app) == expected


def test_filters_come_from_the_url(app_env, rated):
    app = open_app("views/measures.py", area="1", status="kept")
    assert "1 Maßnahme gefunden" in texts(app)
    labels = [as_read(link.proto.label) for link in app.get("page_link")]
    assert "1-1: Zweckentfremdung von Wohnraum eindämmen." in labels
    by_goal = open_app("views/measures.py", goal="13.5b")
    assert "3 Maßnahmen gefunden" in texts(by_goal)


def test_permalink_shows_measure_context_history_and_sources(app_env, rated):
    app = open_app(pledge="8.2-4")
    page = texts(app)
    assert "Schüler und Schülerinnen mit Leihgeräten ausstatten" in page
    assert "Ziel 8.2: Digitale Ausstattung an Schulen verbessern" in page
    assert "Thema: Frühkindliche Bildung & Schule" in page
    assert "Der Rat hat am 15.01.2026 die Finanzierung beschlossen." in page
    assert "[Ratsbeschluss](<https://www.herne.de/rat/2026-01-15>)" in page
    assert "Weitere Maßnahmen zu diesem Ziel" in page


def test_permalink_for_an_area_measure_shows_why_and_focus(app_env, rated):
    page = texts(open_app(pledge="3-1"))
    assert "Warum wichtig: Die Menschen werden älter, Versorgungslücken nehmen zu." in page
    assert "Schwerpunkt: Gesundheit und Pflege nah am Menschen – bezahlbar, erreichbar." in page


def test_unknown_code_is_a_friendly_not_found_with_close_matches(app_env, herne):
    app = open_app(pledge="8.2-44")
    assert "Maßnahme nicht gefunden" in texts(app)
    labels = [as_read(link.proto.label) for link in app.get("page_link")]
    assert "8.2-4" in labels and "Alle Maßnahmen" in labels


def test_as_of_view_shows_the_overview_as_it_stood(app_env, rated):
    app = open_app("views/timeline.py", as_of="2026-03-01")
    assert "Stand am 01.03.2026" in texts(app)
    assert metrics(app) == {
        "Umgesetzt": "0", "Teilweise umgesetzt": "0", "In Arbeit": "2", "Blockiert": "1", "Gebrochen": "0",
        "Noch nicht bewertet": "259",
    }  # fmt: skip
    assert app.dataframe[0].value.shape[0] >= 15  # one row per month since the election


def test_method_and_data_pages(app_env, rated):
    method = texts(open_app("views/method.py"))
    assert "Jede Bewertung hat ein Datum, eine Begründung und mindestens eine öffentliche Quelle" in method
    data = open_app("views/open_data.py")
    labels = [b.proto.label for b in data.get("download_button")]
    assert labels == [
        "Excel-Datei herunterladen (.xlsx)",
        "CSV für Excel herunterladen (Semikolon)",
        "CSV herunterladen (eine Zeile je Maßnahme)",
        "JSON herunterladen (vollständig, mit Verlauf und Quellen)",
        "JSON-Schema herunterladen",
    ]


def test_typed_text_is_shown_inert(app_env, herne):
    trick = "<script>alert(1)</script> **fett** [klick](javascript:alert(1))"
    services.record_status_change(
        herne, "2-2",
        make_change(rationale=trick, sources=[services.SourceInput("https://example.org/a)b", "[x](javascript:y)")]),
        EDITOR,
        today=TODAY,
    )  # fmt: skip
    app = open_app(pledge="2-2")
    assert trick in [t.value for t in app.text]  # st.text: no Markdown, no HTML
    links = [m.value for m in app.markdown if m.value.startswith("- [")]
    assert links[0] == "- [\\[x\\]\\(javascript\\:y\\)](<https://example.org/a)b>)"


def test_database_without_schema_says_to_run_init(app_env):
    app = open_app()
    assert any("tracker init" in e.value for e in app.error)
    assert not app.metric
