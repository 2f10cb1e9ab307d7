"""Search folding and the search service on both databases."""

from __future__ import annotations

import datetime as dt

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
