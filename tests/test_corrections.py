"""The corrections log in the services (approved corrections only, newest first, beside what they correct) and in
the published edition (its own page, linked from the method page and from each corrected entry; the feeds mark
a correction in the entry's title)."""

from __future__ import annotations

import feedparser
from sqlalchemy import select

from tests.helpers import HERNE_SLUG, TODAY, make_change, stored
from tests.test_edition import find_all, herne_database, parse, text_of
from tracker import services
from tracker.edition import publish
from tracker.models import StatusChange

BEA = services.Actor("bea", "editor", "cli", display_name="Bea Beispiel")


def correct(slug: str, code: str, sequence: int, rationale: str, status: str = "kept") -> None:
    change = make_change(status, "2026-03-01", corrects_sequence=sequence, rationale=rationale)
    services.record_status_change(slug, code, change, BEA, today=TODAY)


def test_the_log_lists_each_correction_beside_what_it_corrects_newest_first(rated):
    assert services.corrections(rated) == []
    correct(rated, "8.2-4", 1, "Die Geräte sind da.")
    correct(rated, "1-2", 1, "Doch beschlossen.", "in_progress")
    first, second = services.corrections(rated)
    assert (first.code, first.correction.sequence, first.corrected.sequence) == ("1-2", 2, 1)
    assert (second.code, second.correction.status, second.corrected.status) == ("8.2-4", "kept", "in_progress")
    assert second.correction.rationale == "Die Geräte sind da." and second.correction.author == "Bea Beispiel"
    assert second.corrected.rationale.startswith("Der Rat hat am 15.01.2026")
    assert second.pledge_text.startswith("Schüler und Schülerinnen mit Leihgeräten")


def test_a_proposed_correction_is_not_in_the_log_until_approved(rated, monkeypatch):
    monkeypatch.setenv("TRACKER_REVIEW", "on")
    correct(rated, "8.2-4", 1, "Die Geräte sind da.")
    assert services.corrections(rated) == []
    states = stored(select(StatusChange.review_state).order_by(StatusChange.id))
    assert [state for (state,) in states] == ["approved"] * 6 + ["proposed"]


def test_the_edition_publishes_the_corrections_and_links_them(tmp_path):
    with herne_database(tmp_path):
        correct(HERNE_SLUG, "8.2-4", 1, "Die Geräte sind da.")
        publish(tmp_path / "site", today=TODAY)
    folder = tmp_path / "site" / HERNE_SLUG / "de"
    log = parse(folder / "corrections.html")
    [section] = [s for s in find_all(log, "section") if s.get("class") == "change"]
    text = text_of(section)
    assert text.startswith("8.2-4 Schüler und Schülerinnen mit Leihgeräten")
    assert "Was falsch war: Änderung Nr. 1" in text and "Der Rat hat am 15.01.2026" in text
    assert "Die Korrektur: Änderung Nr. 2" in text and "Die Geräte sind da." in text and "Bea Beispiel" in text
    assert [a.get("href") for a in section.iter("{http://www.w3.org/1999/xhtml}a")] == ["measures/8.2-4.html#change-2"]
    method = parse(folder / "method.html")
    assert "corrections.html" in [a.get("href") for a in find_all(method, "a")]
    measure = parse(folder / "measures" / "8.2-4.html")
    corrected = next(s for s in find_all(measure, "section") if s.get("id") == "change-1")
    assert "Korrigiert durch Änderung Nr. 2." in text_of(corrected)
    assert [a.get("href") for a in corrected.iter("{http://www.w3.org/1999/xhtml}a") if "change" in a.get(
        "href", "") or "corrections" in a.get("href", "")] == ["#change-2", "../corrections.html"]  # fmt: skip
    feed = feedparser.parse((folder / "feeds" / "measure-8.2-4.atom").read_bytes())
    assert [e.title.split(" · ")[0] for e in feed.entries] == ["Korrektur von Nr. 1", "8.2-4: In Arbeit – Schüler und "
                                                               "Schülerinnen mit Leihgeräten ausstatten, vor allem "
                                                               "sozial benachteiligte Haushalte"]  # fmt: skip
