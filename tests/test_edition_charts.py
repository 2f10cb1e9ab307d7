"""The edition's SVG charts and their PNG images: numbers, words, safety and legibility as a reader gets them."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from tracker.edition.charts import INK_COLORS, Bar, ChartText, TimePoint, stacked_bars_svg, timeline_svg
from tracker.edition.images import svg_to_png
from tracker.statuses import COLORS, DISPLAY_ORDER, STATUS_KEYS, TEXT_COLORS

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"
LABELS = {
    "de": {
        "not_rated": "Noch nicht bewertet",
        "in_progress": "In Arbeit",
        "stalled": "Blockiert",
        "partially_kept": "Teilweise umgesetzt",
        "kept": "Umgesetzt",
        "broken": "Gebrochen",
    },
    "en": {
        "not_rated": "Not yet rated",
        "in_progress": "In the works",
        "stalled": "Stalled",
        "partially_kept": "Compromise",
        "kept": "Kept",
        "broken": "Broken",
    },
}
SOURCE = "Quelle: HAK-Wahlprogramm-Tracker Herne · Stand 25.11.2026 · CC BY 4.0"


def chart_text(language: str = "de", title: str = "Fortschritt nach Politikfeld") -> ChartText:
    return ChartText(language, title, "Gestapelte Balken je Politikfeld", SOURCE, LABELS[language])


BARS = [
    Bar("8 Bildung", {"kept": 1, "partially_kept": 0, "in_progress": 3, "not_rated": 4}, href="bereich/8/"),
    Bar("9 Teilhabe", {"kept": 6, "broken": 2, "not_rated": 8}),
    Bar("12 Digitalisierung", {"not_rated": 2}),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def segments(row: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-status"): g for g in row.findall("svg:g[@class='segment']", NS)}


def width_of(segment: ET.Element) -> float:
    return float(segment.find("svg:rect", NS).get("width"))


def rows(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:g[@class='row']", NS)


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21)
    assert contrast("#FFFFFF", "#009E73") == pytest.approx(3.42, abs=0.01)  # why kept carries black text


def test_every_text_colour_reaches_wcag_aa_on_its_background():
    for status in STATUS_KEYS:
        assert contrast(TEXT_COLORS[status], COLORS[status]) >= 4.5, status
    for ink in INK_COLORS:
        assert contrast(ink, "#FFFFFF") >= 4.5, ink
    # and the charts write segment values only in the segment's text colour
    root = parse(stacked_bars_svg(BARS, chart_text()))
    written = 0
    for row in rows(root):
        for status, segment in segments(row).items():
            for node in segment.iter(f"{SVG}text"):
                assert node.get("fill") == TEXT_COLORS[status]
                written += 1
    assert written >= 5


def test_bar_segments_are_proportional_to_counts_on_one_scale():
    root = parse(stacked_bars_svg(BARS, chart_text()))
    bildung, teilhabe, digital = (segments(row) for row in rows(root))
    unit = width_of(bildung["kept"])
    assert width_of(bildung["in_progress"]) == pytest.approx(3 * unit, abs=0.05)  # written to 2 decimals
    assert width_of(teilhabe["kept"]) == pytest.approx(6 * unit, abs=0.05)
    assert width_of(digital["not_rated"]) == pytest.approx(2 * unit, abs=0.05)
    assert "partially_kept" not in bildung  # no empty segments
    # values written out: counts in the segments, the share of kept + partially kept at each row's end
    bildung_row = rows(root)[0]
    assert [t for t in texts(bildung_row) if t.isdigit()] == ["1", "3", "4"]
    assert texts(bildung_row)[-1] == f"12,5{NBSP}%"  # 1 of 8
    assert texts(rows(root)[1])[-1] == f"37,5{NBSP}%"  # 6 of 16
    assert "Anzahl der Maßnahmen" in texts(root)


def test_english_chart_writes_english_numbers():
    root = parse(stacked_bars_svg(BARS, chart_text("en")))
    assert texts(rows(root)[0])[-1] == "12.5%"
    assert "Number of measures" in texts(root)


def test_normalised_bars_each_fill_the_full_width_with_percentages():
    root = parse(stacked_bars_svg(BARS, chart_text(), normalised=True))
    sums = [sum(width_of(segment) for segment in segments(row).values()) for row in rows(root)]
    assert sums[0] == pytest.approx(sums[1], abs=0.05) and sums[0] == pytest.approx(sums[2], abs=0.05)
    bildung = segments(rows(root)[0])
    assert width_of(bildung["in_progress"]) == pytest.approx(sums[0] * 3 / 8, abs=0.02)
    assert f"37,5{NBSP}%" in texts(rows(root)[0])  # 3 of 8 in the works, written in its segment
    assert texts(rows(root)[0])[-1] == "8"  # the row's number of measures at its end


def test_legend_names_every_status_in_the_fixed_order():
    for language in ("de", "en"):
        root = parse(stacked_bars_svg(BARS, chart_text(language)))
        legend = root.find(".//svg:g[@class='legend']", NS)
        items = legend.findall("svg:g", NS)
        assert [item.get("data-status") for item in items] == list(DISPLAY_ORDER)
        assert [texts(item)[0] for item in items] == [LABELS[language][s] for s in DISPLAY_ORDER]
        assert [item.find("svg:rect", NS).get("fill") for item in items] == [COLORS[s] for s in DISPLAY_ORDER]


def test_chart_is_a_standalone_accessible_image_with_title_date_and_source():
    svg = stacked_bars_svg(BARS, chart_text())
    root = parse(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("width") == "100%"
    assert re.fullmatch(r"0 0 760 \d+", root.get("viewBox"))
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Fortschritt nach Politikfeld" and desc.text == "Gestapelte Balken je Politikfeld"
    assert "Fortschritt nach Politikfeld" in texts(root)  # the visible heading
    assert SOURCE in texts(root)  # title, date and source travel with a downloaded image
    # nothing from elsewhere: no other hosts, no fonts, images, scripts or stylesheets
    assert not re.search(r"https?:", svg.replace('xmlns="http://www.w3.org/2000/svg"', ""))
    tags = {node.tag.removeprefix(SVG) for node in root.iter()}
    assert tags <= {"svg", "title", "desc", "rect", "g", "text", "line", "a", "path"}


def test_ids_are_unique_per_chart_and_stable_per_content():
    charts = [
        stacked_bars_svg(BARS, chart_text()),
        stacked_bars_svg(BARS, chart_text(), normalised=True),
        stacked_bars_svg(BARS[:2], chart_text()),
        timeline_svg([TimePoint(dt.date(2026, 1, 1), {"not_rated": 3})], chart_text()),
        stacked_bars_svg(BARS, chart_text(), id_prefix="area-8"),
    ]
    ids = [node.get("id") for svg in charts for node in parse(svg).iter() if node.get("id")]
    assert len(ids) == len(set(ids)) == 10
    assert stacked_bars_svg(BARS, chart_text()) == charts[0]  # a republish writes the same bytes
    assert parse(charts[-1]).find("svg:title", NS).get("id") == "area-8-title"
    with pytest.raises(ValueError, match="id_prefix"):
        stacked_bars_svg(BARS, chart_text(), id_prefix='x" onload="alert(1)')


HOSTILE = "</text><script>alert(1)</script> & <b onmouseover=alert(2)>"


def test_hostile_text_stays_text():
    bars = [Bar(HOSTILE, {"kept": 1}, href="javascript:alert(3)"), Bar("x", {"kept": 1}, href=" java\nscript:alert(4)")]
    bars += [Bar("y", {"kept": 1}, href="//evil.example/"), Bar("bell\x07 & tab\x0b", {"kept": 1}, href="bereich/1/")]
    text = ChartText("de", HOSTILE, HOSTILE, HOSTILE, {**LABELS["de"], "kept": HOSTILE})
    points = [TimePoint(dt.date(2026, 1, 1), {"kept": 1, "not_rated": 1})]
    for svg in (
        stacked_bars_svg(bars, text),
        stacked_bars_svg(bars, text, normalised=True),
        timeline_svg(points, text),
    ):
        root = parse(svg)
        assert not [node for node in root.iter() if node.tag.removeprefix(SVG) in {"script", "b", "foreignObject"}]
        assert not [name for node in root.iter() for name in node.attrib if name.startswith("on")]
        assert root.find("svg:title", NS).text == HOSTILE
        assert HOSTILE in texts(root)  # the heading, written as the characters it is
        assert [a.get("href") for a in root.iter(f"{SVG}a")] in ([], ["bereich/1/"])
        assert "<script>" not in svg and "&amp;" in svg


def test_long_labels_are_shortened_with_the_full_name_as_tooltip():
    long = "10 Soziales, Kinder, Jugend & Familie – Konkrete Ziele und Lösungsvorschläge für alle Stadtteile"
    for width in (760, 390):
        root = parse(stacked_bars_svg([Bar(long, {"kept": 2}, href="bereich/10/")], chart_text(), width=width))
        link = root.find(".//svg:g[@class='row']/svg:a", NS)
        assert link.get("href") == "bereich/10/"
        assert link.find("svg:title", NS).text == long
        shown = texts(link)[0]
        assert shown.endswith("…") and long.startswith(shown[:-1]) and len(shown) > 12
        assert not shown[:-1].endswith((" ", "&", ","))


def test_narrow_chart_writes_labels_above_full_width_bars():
    root = parse(stacked_bars_svg(BARS, chart_text(), width=390))
    assert root.get("viewBox").startswith("0 0 390 ")
    first = rows(root)[0]
    label = first.find(".//svg:text[@class='label']", NS)
    rect = first.find(".//svg:rect", NS)
    assert float(label.get("y")) < float(rect.get("y"))  # above its bar
    assert float(rect.get("x")) == float(label.get("x"))  # the bar starts at the left edge
    source = texts(root.find(".//svg:g[@class='source']", NS))
    assert len(source) == 2 and " · ".join(source) == SOURCE  # broken between its parts, not inside one


def timeline_points(total: int = 262, rated_by_end: int = 20) -> list[TimePoint]:
    """One point a month from the start of the term (1 Nov 2025); two more ratings each month, in turn
    kept, in the works, compromise, broken, stalled, up to ``rated_by_end``."""
    cycle = ("kept", "in_progress", "partially_kept", "broken", "stalled")
    points = []
    for month in range(13):
        day = dt.date(2025 + (10 + month) // 12, (10 + month) % 12 + 1, 1)
        counts = dict.fromkeys(cycle, 0)
        for rating in range(min(2 * month, rated_by_end)):
            counts[cycle[rating % 5]] += 1
        points.append(TimePoint(day, {**counts, "not_rated": total - sum(counts.values())}))
    return points


def test_timeline_keeps_the_rated_statuses_readable():
    points = timeline_points()
    assert sum(points[-1].counts.values()) == 262 and points[-1].counts["not_rated"] == 242
    root = parse(timeline_svg(points, chart_text()))
    bands = root.findall(".//svg:g[@class='band']", NS)
    assert {band.get("data-status") for band in bands} == {"kept", "partially_kept", "in_progress", "stalled", "broken"}
    ys = [float(v) for band in bands for v in re.findall(r"[ML]\S+ (\S+)", band.find("svg:path", NS).get("d"))]
    axis_values = {int(t.text): float(t.get("y")) for t in root.findall(".//svg:g[@class='axis']/svg:text", NS)
                   if t.text.isdigit()}  # fmt: skip
    bottom, top = axis_values[0], axis_values[max(axis_values)]
    assert (bottom - min(ys)) / (bottom - top) >= 0.5  # the 20 rated fill at least half the plot's height
    assert "Am 01.11.2026: 20 von 262 Maßnahmen bewertet, 242 noch nicht bewertet (nicht im Diagramm)" in texts(root)
    legend = [texts(item)[0] for item in root.find(".//svg:g[@class='legend']", NS).findall("svg:g", NS)]
    assert legend == ["Umgesetzt 4", "Teilweise umgesetzt 4", "In Arbeit 4", "Blockiert 4", "Gebrochen 4"]


def date_labels(svg: str) -> list[str]:
    return [t.text for t in parse(svg).findall(".//svg:g[@class='axis']/svg:text", NS) if not t.text.isdigit()]


def test_timeline_dates_at_quarter_or_year_starts_in_the_charts_language():
    points = timeline_points()
    assert date_labels(timeline_svg(points, chart_text())) == ["Jan. 2026", "Apr. 2026", "Juli 2026", "Okt. 2026"]
    assert date_labels(timeline_svg(points, chart_text("en"))) == ["Jan 2026", "Apr 2026", "Jul 2026", "Oct 2026"]
    term = [TimePoint(dt.date(2025, 11, 1), {"not_rated": 5}), TimePoint(dt.date(2030, 10, 31), {"kept": 5})]
    assert date_labels(timeline_svg(term, chart_text("en"))) == ["Jan 2026", "Jan 2027", "Jan 2028", "Jan 2029",
                                                                 "Jan 2030"]  # fmt: skip
    assert len(date_labels(timeline_svg(term, chart_text("en"), width=390))) <= 4


def test_png_has_the_asked_width_and_shows_the_text():
    svg = stacked_bars_svg(BARS, chart_text())
    for width in (1200, 600):
        image = Image.open(io.BytesIO(svg_to_png(svg, width=width)))
        assert image.format == "PNG" and image.width == width
        view_box = [float(v) for v in parse(svg).get("viewBox").split()]
        assert image.height == pytest.approx(width * view_box[3] / view_box[2], abs=1)
    # the heading band (above the legend) holds only the title's letters: dark pixels there mean the
    # font was found; without one, resvg silently leaves text out
    grey = image.convert("L")
    scale = image.width / 760
    heading = grey.crop((0, 0, image.width, int(44 * scale)))
    dark = sum(heading.histogram()[:100])
    assert dark > 300, "the PNG shows no title text: is the font of tracker.edition.images installed?"


def test_timeline_writes_last_values_in_readable_colours_and_handles_a_single_day():
    root = parse(timeline_svg(timeline_points(), chart_text()))
    written = {}
    for band in root.findall(".//svg:g[@class='band']", NS):
        for node in band.iter(f"{SVG}text"):
            assert node.get("fill") == TEXT_COLORS[band.get("data-status")]
            written[band.get("data-status")] = node.text
    assert written == {"kept": "4", "in_progress": "4", "partially_kept": "4", "broken": "4", "stalled": "4"}
    one_day = timeline_svg([TimePoint(dt.date(2026, 3, 5), {"kept": 2, "not_rated": 8})], chart_text("en"))
    assert date_labels(one_day) == ["Mar 5, 2026"]
    assert "On Mar 5, 2026: 2 of 10 measures rated, 8 not yet rated (not shown)" in texts(parse(one_day))


def test_nothing_rated_and_empty_rows_still_draw_a_chart():
    bars = [Bar("1 Wohnen", {"not_rated": 4}), Bar("2 Leer", {})]
    root = parse(stacked_bars_svg(bars, chart_text()))
    assert [texts(row)[-1] for row in rows(root)] == [f"0,0{NBSP}%", "–"]
    root = parse(stacked_bars_svg(bars, chart_text(), normalised=True))
    assert [texts(row)[-1] for row in rows(root)] == ["4", "0"]
    root = parse(timeline_svg(timeline_points(rated_by_end=0), chart_text()))
    assert not root.findall(".//svg:g[@class='band']", NS)
    assert "Am 01.11.2026: 0 von 262 Maßnahmen bewertet, 262 noch nicht bewertet (nicht im Diagramm)" in texts(root)


def test_bad_input_is_refused_with_a_message_that_says_what_is_accepted():
    with pytest.raises(ValueError, match="bar 1 .'8 Bildung'.: unknown status 'done'; accepted: not_rated"):
        stacked_bars_svg([Bar("8 Bildung", {"done": 1})], chart_text())
    with pytest.raises(ValueError, match="whole number >= 0"):
        stacked_bars_svg([Bar("8 Bildung", {"kept": -1})], chart_text())
    with pytest.raises(ValueError, match="chart language 'fr' is not one of de, en, tr, ar, uk"):
        stacked_bars_svg(BARS, ChartText("fr", "t", "d", "s", LABELS["en"]))
    with pytest.raises(ValueError, match="status_labels lacks a label for broken"):
        stacked_bars_svg(BARS, ChartText("de", "t", "d", "s", {k: v for k, v in LABELS["de"].items() if k != "broken"}))
    with pytest.raises(ValueError, match="width 200 is below"):
        stacked_bars_svg(BARS, chart_text(), width=200)
    with pytest.raises(ValueError, match="at least one point"):
        timeline_svg([], chart_text())


def test_png_rendering_says_so_when_its_font_is_missing(monkeypatch):
    import fontpkg

    from tracker.edition import images

    def not_installed(name):
        raise fontpkg.FamilyNotInstalled(name)

    images.font_files.cache_clear()
    images.svg_to_png.cache_clear()
    monkeypatch.setattr(fontpkg, "family", not_installed)
    try:
        with pytest.raises(images.FontMissing, match="fontpkg-noto-sans"):
            svg_to_png(stacked_bars_svg(BARS, chart_text()))
    finally:
        images.font_files.cache_clear()
