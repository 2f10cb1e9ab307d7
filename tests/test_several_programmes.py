"""Several programmes in one database: which one a link without ``?programme=`` opens, and links that name
their programme (and stay short while there is only one)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ADMIN, HERNE, HERNE_SLUG, as_read, open_app
from tracker import services

BOCHUM = "aaa-bochum-2025"  # sorts before Herne: the alphabet must not decide
LEIHGERAETE = "Schüler und Schülerinnen mit Leihgeräten ausstatten"  # Herne's 8.2-4


def import_bochum(folder: Path) -> str:
    """A second real programme, with its own 8.2-4."""
    text = folder / f"{BOCHUM}.txt"
    text.write_text(
        "Wahlprogramm Bochum\n1. Wohnen\n- Mehr Wohnungen bauen.\n8. Bildung\n8.2 Schulen\n"
        "- Schulhöfe öffnen.\n- Toiletten sanieren.\n- Mensen bauen.\n- Bochumer Tablets für alle Klassen.\n",
        encoding="utf-8",
    )
    text.with_suffix(".toml").write_text(
        f'slug = "{BOCHUM}"\ntitle = "Bochum – Wahlprogramm"\nparty = "SPD"\nmunicipality = "Bochum"\n'
        "election_date = 2025-09-14\nterm_start = 2025-11-01\nterm_end = 2030-10-31\n",
        encoding="utf-8",
    )
    services.import_programme_file(text, ADMIN)
    return BOCHUM


def add_demo() -> str:
    services.generate_demo_data(ADMIN, programmes=1, pledges=262, changes=50, seed=1)
    [demo] = [p.slug for p in services.list_programmes() if p.is_demo]
    return demo


def test_the_default_programme_is_configured_or_the_first_imported_real_one(engine, tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_PROGRAMME", raising=False)
    demo = add_demo()
    assert services.default_programme().slug == demo  # only demo data: that is all there is
    services.import_programme_file(HERNE, ADMIN)
    assert services.default_programme().slug == HERNE_SLUG  # never a demo while a real programme exists
    import_bochum(tmp_path)
    assert services.default_programme().slug == HERNE_SLUG  # the first imported, not the first by name
    monkeypatch.setenv("TRACKER_PROGRAMME", BOCHUM)
    assert services.default_programme().slug == BOCHUM
    monkeypatch.setenv("TRACKER_PROGRAMME", "gibt-es-nicht")
    with pytest.raises(services.NotFound, match="gibt-es-nicht"):
        services.default_programme()


def link_queries(app: AppTest) -> dict[str, dict[str, list[str]]]:
    """Every page link of the page: its label -> its query parameters."""
    return {as_read(link.proto.label): parse_qs(link.proto.query_string) for link in app.get("page_link")}


def page_words(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption] + [t.value for t in app.title]
    return "\n".join(parts + [w.value for w in app.warning])


@pytest.fixture
def demo_then_herne(app_env, engine, monkeypatch) -> str:
    """A demo programme imported first, then Herne; the demo's slug."""
    monkeypatch.delenv("TRACKER_PROGRAMME", raising=False)
    demo = add_demo()
    services.pledge_view(demo, "8.2-4")  # the demo has a measure 8.2-4 as well
    services.import_programme_file(HERNE, ADMIN)
    return demo


def test_a_permalink_without_programme_opens_the_default_not_the_demo(demo_then_herne):
    app = open_app(pledge="8.2-4")
    assert LEIHGERAETE in page_words(app) and "Demo-Daten" not in page_words(app)
    assert app.query_params["programme"] == HERNE_SLUG  # the address now names its programme
    links = link_queries(app)
    assert links and all(query["programme"] == [HERNE_SLUG] for query in links.values()), links
    assert links["Alle Maßnahmen"] == {"programme": [HERNE_SLUG]}
    assert any(query.get("pledge") == ["8.2-1"] for query in links.values())  # a sibling's permalink

    demo = open_app(programme=demo_then_herne, pledge="8.2-4")
    assert LEIHGERAETE not in page_words(demo) and "Demo-Daten" in page_words(demo)
    assert all(query["programme"] == [demo_then_herne] for query in link_queries(demo).values())


def test_a_shared_permalink_without_programme_previews_the_default_programmes_measure(demo_then_herne):
    from dashboard.page_shell import describe

    meta = describe("/", {"pledge": "8.2-4"}, "https://tracker.example")
    assert meta.title.startswith("Maßnahme 8.2-4: ") and "Herne" in meta.title
    assert meta.description.startswith("Schüler und Schülerinnen mit Leihgeräten")
    demo = describe("/", {"programme": demo_then_herne, "pledge": "8.2-4"}, "https://tracker.example")
    assert "Demo" in demo.title and demo.canonical.endswith(f"?programme={demo_then_herne}&pledge=8.2-4")


def test_every_link_of_the_overview_and_the_measures_names_the_programme(demo_then_herne, tmp_path):
    import_bochum(tmp_path)
    overview = open_app(programme=BOCHUM)
    assert overview.title[0].value == "Bochum – Wahlprogramm"
    links = link_queries(overview)
    assert links["So bewerten wir: die Methode"] == {"programme": [BOCHUM]}
    assert {"programme": [BOCHUM], "area": ["8"]} in links.values()

    measures = open_app("views/measures.py", programme=BOCHUM)
    assert link_queries(measures)["8.2-4: Bochumer Tablets für alle Klassen."] == {
        "programme": [BOCHUM],
        "pledge": ["8.2-4"],
    }
    table = open_app("views/measures.py", programme=BOCHUM, view="table").dataframe[0].value
    assert f"./?programme={BOCHUM}&pledge=8.2-4" in set(table["Link"])


def test_a_page_opened_from_the_menu_keeps_the_programme_chosen(demo_then_herne, tmp_path):
    import_bochum(tmp_path)
    app = open_app(programme=BOCHUM)
    app.query_params.clear()  # the menu's links carry no parameters
    app.switch_page("views/measures.py").run()
    assert next(s for s in app.selectbox if s.label == "Wahlprogramm").value == BOCHUM
    assert app.query_params["programme"] == BOCHUM  # put back into the address
    chooser = next(s for s in app.selectbox if s.label == "Wahlprogramm")
    chooser.set_value(HERNE_SLUG).run()
    assert app.query_params["programme"] == HERNE_SLUG
    assert all(query["programme"] == [HERNE_SLUG] for query in link_queries(app).values())


def test_with_one_programme_links_stay_short(app_env, herne):
    for app in (open_app(pledge="8.2-4"), open_app(), open_app("views/measures.py")):
        assert "programme" not in app.query_params
        links = link_queries(app)
        assert links and not any("programme" in query for query in links.values())
        assert not any(s.label == "Wahlprogramm" for s in app.selectbox)
    table = open_app("views/measures.py", view="table").dataframe[0].value
    assert "./?pledge=8.2-4" in set(table["Link"])
