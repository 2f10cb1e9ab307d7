"""Search folding and the search service on both databases."""

from __future__ import annotations

import datetime as dt

from tests.hostile import SIZES
from tracker import services
from tracker.search import fold, query_words


def test_fold_makes_spelling_variants_meet():
    assert fold("Straße") == fold("STRASSE") == "strasse"
    assert fold("Schüler") == fold("schueler") == fold("Schuler")
    assert fold("Öffnungszeiten") == fold("oeffnungszeiten")
    assert query_words("  Kita,  Plätze  kita ") == ["kita", "platze"]


def test_several_words_narrow_and_filters_combine(rated):
    kita = services.search_pledges(rated, "kita")
    narrow = services.search_pledges(rated, "kita plätze")
    assert 0 < narrow.total < kita.total
    assert {r.code for r in narrow.rows} <= {r.code for r in kita.rows}
    assert services.search_pledges(rated, "", area=1, statuses=("kept", "broken")).total == 2
    assert services.search_pledges(rated, "_").total == 0  # LIKE wildcards are searched literally
    page = services.search_pledges(rated, limit=10, offset=255)
    assert page.total == 262 and [r.code for r in page.rows][-1] == "17.3-3" and len(page.rows) == 7


def test_pledge_view_and_timeline(rated):
    view = services.pledge_view(rated, "1-1")
    assert view.status == "kept" and view.area_title.startswith("Wohnen")
    assert [s.code for s in view.siblings] == ["1-2", "1-3", "1-4"]
    rows = services.status_timeline(rated, dt.date(2026, 11, 25))
    first = {status: n for day, status, n in rows if day == dt.date(2025, 9, 14)}
    last = {status: n for day, status, n in rows if day == dt.date(2026, 11, 25)}
    assert first["not_rated"] == 262 and last["not_rated"] == 256 and last["kept"] == 1
    assert services.period_ends(dt.date(2025, 9, 14), dt.date(2025, 11, 2)) == [
        dt.date(2025, 9, 14), dt.date(2025, 9, 30), dt.date(2025, 10, 31), dt.date(2025, 11, 2),
    ]  # fmt: skip


def test_a_search_is_bounded_in_characters_and_words_before_it_runs(herne):
    """Each word is one condition of the query: 1,000 words broke SQLite ("Expression tree is too large"), a
    megabyte broke PostgreSQL (65,535 parameters), 10,000 words kept it busy for two minutes."""
    refused = {}
    for label, query in SIZES + [("eleven-words", " ".join(f"wort{i}" for i in range(11)))]:
        try:
            services.search_pledges(herne, query)
        except services.InvalidInput as error:
            assert error.field == "query"
            refused[label] = (error.code, error.params.get("max"))
    assert refused == {
        "long-word": ("search_too_long", 200),
        "many-words": ("search_too_long", 200),
        "one-megabyte": ("search_too_long", 200),
        "eleven-words": ("search_too_many_words", 10),
    }
    print(f"\n{len(SIZES) + 1} oversized searches sent, {len(refused)} refused before any query")
    ten = " ".join(["kita", "plätze", *(f"kita{i}" for i in range(8))])
    assert services.search_pledges(herne, ten).total == 0  # ten different words: searched
    assert services.search_pledges(herne, "plätze " + "kita " * 38 + "kit").total == 4  # 200 characters, 3 words
    assert str(services.InvalidInput("query", "search_too_long", length=201, max=200, words=10)) == (
        "search: is 201 characters long; a search takes at most 200 characters and 10 words"
    )
