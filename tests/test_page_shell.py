"""The HTML shell of the Streamlit pages says what each address is: language, title, description, previews."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dashboard.page_shell import ShellMeta, describe, render_head, rewrite

BASE = "https://tracker.example"
SHELL = b'<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <title>Streamlit</title>\n  </head>\n</html>'


def test_a_permalink_previews_with_the_measure_text_and_status(rated):
    meta = describe("/", {"pledge": "1-2"}, BASE)
    assert meta.language == "de"
    assert meta.title.startswith("Maßnahme 1-2: Gebrochen · ")
    assert meta.description == "Leerstände aktiv vermitteln. · Gebrochen (seit 10.03.2026)"
    assert meta.canonical == f"{BASE}/?pledge=1-2"


def test_the_overview_describes_the_figures_in_the_chosen_language(rated):
    german = describe("/", {}, BASE)
    assert "von 262 Maßnahmen sind bisher ganz oder teilweise umgesetzt" in german.description
    assert german.title.startswith("Überblick · ") and german.title.endswith("Wahlversprechen-Check")
    english = describe("/measures", {"lang": "en", "utm_source": "x"}, BASE)
    assert english.language == "en" and english.title.startswith("Measures · ")
    assert "of 262 measures have been put into practice" in english.description
    assert english.canonical == f"{BASE}/measures?lang=en"  # tracking parameters are not part of it


def test_an_unknown_measure_gets_the_overview_description(rated):
    meta = describe("/", {"pledge": "99-99"}, BASE)
    assert "von 262 Maßnahmen" in meta.description


def test_the_shell_gets_the_tags_and_hostile_text_stays_text():
    meta = ShellMeta("de", 'A "quoted" <script>alert(1)</script> title', "x' onload='alert(1)", f"{BASE}/?a=1&b=2")
    page = rewrite(SHELL, meta).decode()
    assert '<html lang="de" dir="ltr">' in page and "<title>Streamlit</title>" not in page
    assert "<script>" not in page and "onload='" not in page
    head = ET.fromstring(f"<head>{render_head(meta)}</head>")  # well-formed, every value an attribute or text
    properties = {m.get("property") or m.get("name"): m.get("content") for m in head.iter("meta")}
    assert properties["og:title"] == meta.title and properties["description"] == meta.description
    assert properties["twitter:card"] == "summary" and properties["og:locale"] == "de_DE"
    assert head.find("link").get("href") == f"{BASE}/?a=1&b=2"


def test_the_preview_image_is_the_live_overview_chart_and_the_feeds_are_linked(rated):
    meta = describe("/", {"pledge": "1-2", "lang": "en"}, BASE)
    assert meta.image == f"{BASE}/embed/{rated}/en/overview.png"
    assert [href for _title, href in meta.feeds] == [
        f"{BASE}/feeds/{rated}/en/measure-1-2.atom",
        f"{BASE}/feeds/{rated}/en/all.atom",
    ]
    head = ET.fromstring(f"<head>{render_head(meta)}</head>")
    properties = {m.get("property") or m.get("name"): m.get("content") for m in head.iter("meta")}
    assert properties["twitter:card"] == "summary_large_image"
    assert properties["og:image"] == properties["twitter:image"] == meta.image
    assert properties["og:image:alt"].startswith("Progress by policy area · ")
    feeds = [link for link in head.iter("link") if link.get("type") == "application/atom+xml"]
    assert [link.get("title") for link in feeds] == [
        "Status changes of measure 1-2",
        "Unsere Ziele für Herne – Wahlprogramm des HAK: All status changes",
    ]
    german = describe("/measures", {}, BASE)
    assert german.image == f"{BASE}/embed/{rated}/de/overview.png"
    assert german.feeds == (
        ("Unsere Ziele für Herne – Wahlprogramm des HAK: Alle Statusänderungen", f"{BASE}/feeds/{rated}/de/all.atom"),
    )
    hostile = ShellMeta("de", "t", "d", BASE, f'{BASE}/x.png?"><script>', "<b>", (('"><script>', f"{BASE}/?a=1&b=2"),))
    head = ET.fromstring(f"<head>{render_head(hostile)}</head>")  # every value stays an attribute
    assert "<script>" not in render_head(hostile)
    assert [link.get("title") for link in head.iter("link") if link.get("rel") == "alternate"] == ['"><script>']


def test_an_arabic_page_is_right_to_left_and_the_others_left_to_right():
    for language, expected in {"ar": "rtl", "de": "ltr", "en": "ltr", "tr": "ltr", "uk": "ltr"}.items():
        page = rewrite(SHELL, ShellMeta(language, "T", "D", BASE)).decode()
        assert f'<html lang="{language}" dir="{expected}">' in page
