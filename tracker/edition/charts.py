"""The charts of the published edition as standalone SVG: numbers in, markup out (pure functions).

Each chart carries its title, legend and source line inside the image, so that a downloaded SVG or PNG
still says what it shows, as of when and from where. Colours and order are the app's
(``tracker.statuses``); every colour is named in the legend and the values are written out, so colour
never carries meaning alone. Numbers, percentages and dates are written with Babel in the chart's
language. The markup is built with xml.etree (every text and attribute escaped), uses the system font
stack and refers to nothing outside itself; its ids carry a per-chart prefix, so that several charts
can be inlined in one page.

The viewBox is ``width`` units wide and ``width="100%"``: the chart scales to its container. A chart
meant for a phone should be drawn at about the width it is shown at (e.g. ``width=390``); below
``COMPACT_BELOW`` each row's label is written above its bar, so that the bars keep the full width.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from tracker.edition.svg import FONT_STACK, SVG_NS, element, fit, number, safe_href, serialise, text_width, wrap
from tracker.statuses import COLORS, DISPLAY_ORDER, STATUS_KEYS, TEXT_COLORS, Status

__all__ = [
    "COMPACT_BELOW",
    "Bar",
    "ChartText",
    "TimePoint",
    "nice_ticks",
    "reason_bars_svg",
    "stacked_bars_svg",
    "timeline_svg",
]

COMPACT_BELOW = 560  # charts narrower than this write each row's label above its bar
MIN_WIDTH = 280

# Colours of the chart's own text and lines on its white background (text colours reach 4.5:1 or more).
BACKGROUND = "#FFFFFF"
INK = "#1F2328"
MUTED = "#555B65"
LINK = "#0B57A4"
GRID = "#DDE1E6"
AXIS = "#8C939D"
INK_COLORS = (INK, MUTED, LINK)

# The few words the charts write themselves, in the chart's language (everything else comes in ChartText).
WORDS: dict[str, dict[str, str]] = {
    "de": {
        "count_axis": "Anzahl der Maßnahmen",
        "share_note": "Prozent am Balkenende: Anteil „{kept}“ und „{partially_kept}“ an den Maßnahmen der Zeile",
        "normalised_note": "Jede Zeile = {hundred} ihrer Maßnahmen; am Balkenende ihre Anzahl",
        "rated_axis": "Bewertete Maßnahmen",
        "unrated": "Am {date}: {rated} von {total} Maßnahmen bewertet, {unrated} noch nicht bewertet "
        "(nicht im Diagramm)",
    },
    "en": {
        "count_axis": "Number of measures",
        "share_note": "Percentage at the end of each bar: share “{kept}” or “{partially_kept}” of the row’s measures",
        "normalised_note": "Each row = {hundred} of its measures; their number at the end of each bar",
        "rated_axis": "Rated measures",
        "unrated": "On {date}: {rated} of {total} measures rated, {unrated} not yet rated (not shown)",
    },
    # Turkish, Arabic and Ukrainian: machine translations, like their catalogues (see the method page)
    "tr": {
        "count_axis": "Önlem sayısı",
        "share_note": "Her çubuğun sonundaki yüzde: satırın önlemleri içinde “{kept}” ve “{partially_kept}” payı",
        "normalised_note": "Her satır = önlemlerinin {hundred}'ü; çubuğun sonunda sayıları",
        "rated_axis": "Değerlendirilen önlemler",
        "unrated": "{date} itibarıyla: {total} önlemden {rated} tanesi değerlendirildi, {unrated} tanesi henüz "
        "değerlendirilmedi (grafikte yok)",
    },
    "ar": {
        "count_axis": "عدد الإجراءات",
        "share_note": "النسبة في نهاية كل عمود: حصة «{kept}» و«{partially_kept}» من إجراءات الصف",
        "normalised_note": "كل صف = {hundred} من إجراءاته؛ وعددها في نهاية كل عمود",
        "rated_axis": "الإجراءات المقيَّمة",
        "unrated": "في {date}: قُيِّم {rated} من {total} إجراءً، و{unrated} لم يُقيَّم بعد (غير معروض)",
    },
    "uk": {
        "count_axis": "Кількість заходів",
        "share_note": "Відсоток у кінці стовпчика: частка «{kept}» і «{partially_kept}» серед заходів рядка",
        "normalised_note": "Кожен рядок = {hundred} його заходів; у кінці стовпчика їхня кількість",
        "rated_axis": "Оцінені заходи",
        "unrated": "Станом на {date}: оцінено {rated} з {total} заходів, {unrated} ще не оцінено (не показано)",
    },
}


@dataclass(frozen=True)
class Bar:
    """One row of a stacked bar chart: a policy area, or the whole programme."""

    label: str  # e.g. "8 Bildung"
    counts: Mapping[str, int]  # status key -> number of measures (missing = 0)
    href: str | None = None  # link target of the row label (relative URL), or None


@dataclass(frozen=True)
class ChartText:
    """Everything a chart writes that is not a number: in one language."""

    language: str  # one of WORDS: numbers, percentages and dates are written in this locale
    title: str  # visible heading and <title>
    description: str  # <desc>, for screen readers
    source_line: str  # e.g. "Quelle: HAK-Wahlprogramm-Tracker Herne · Stand 25.11.2026 · CC BY 4.0"
    status_labels: Mapping[str, str]  # status key -> label in that language


@dataclass(frozen=True)
class TimePoint:
    """The number of measures per status on one day."""

    day: dt.date
    counts: Mapping[str, int]


# ---------------------------------------------------------------------------------------------- numbers


class _Format:
    """Numbers, percentages and dates in the chart's language."""

    def __init__(self, language: str):
        if language not in WORDS:
            raise ValueError(f"chart language {language!r} is not one of {', '.join(WORDS)}")
        self.language = language
        pattern = Locale.parse(language).percent_formats[None].pattern
        self._percent = pattern.replace("#,##0", "#,##0.0", 1)  # "12,5 %" / "12.5%"
        self._whole_percent = pattern  # "25 %" / "25%"

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.language)

    def percent(self, share: float) -> str:
        return format_percent(share, self._percent, locale=self.language)

    def whole_percent(self, share: float) -> str:
        return format_percent(share, self._whole_percent, locale=self.language)

    def month(self, day: dt.date) -> str:
        return format_date(day, "MMM y", locale=self.language)  # "Jan. 2026" / "Jan 2026"

    def date(self, day: dt.date) -> str:
        return format_date(day, "medium", locale=self.language)  # "25.11.2026" / "Nov 25, 2026"


def nice_ticks(maximum: float, most: int = 6) -> list[int]:
    """Whole-number axis ticks from 0 in steps of 1, 2 or 5 times a power of ten, at most ``most`` + 1 of
    them, the last one at or above ``maximum``."""
    if maximum <= 0:
        return [0, 1]
    most = max(1, most)
    magnitude = 10 ** max(0, math.floor(math.log10(maximum / most)))
    step = next(m * magnitude for m in (1, 2, 5, 10, 20, 50) if maximum / (m * magnitude) <= most)
    top = math.ceil(maximum / step) * step
    return list(range(0, top + 1, step))


def _check_counts(counts: Mapping[str, int], where: str) -> None:
    for status, count in counts.items():
        if status not in STATUS_KEYS:
            raise ValueError(f"{where}: unknown status {status!r}; accepted: {', '.join(STATUS_KEYS)}")
        if not isinstance(count, int) or count < 0:
            raise ValueError(f"{where}: the count of {status!r} must be a whole number >= 0, not {count!r}")


def _check_text(text: ChartText) -> None:
    missing = [status for status in STATUS_KEYS if status not in text.status_labels]
    if missing:
        raise ValueError(f"status_labels lacks a label for {', '.join(missing)}")


_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _prefix(id_prefix: str | None, *content: object) -> str:
    """The caller's id prefix, or one derived from what the chart shows: the same chart always gets the
    same ids (a republish rewrites nothing), different charts on one page get different ones."""
    if id_prefix is not None:
        if not _ID_PREFIX.fullmatch(id_prefix):
            raise ValueError(f"id_prefix {id_prefix!r} must start with a letter and hold only letters, digits, - and _")
        return id_prefix
    return "chart-" + hashlib.sha256(repr(content).encode()).hexdigest()[:10]


def _frozen(counts: Mapping[str, int]) -> tuple:
    return tuple(sorted(counts.items()))


# ---------------------------------------------------------------------------------------------- frame


class _Frame:
    """The parts every chart shares: background, title, legend, notes and source line, top to bottom."""

    def __init__(self, kind: str, text: ChartText, width: int, prefix: str):
        if width < MIN_WIDTH:
            raise ValueError(f"chart width {width} is below the smallest readable width {MIN_WIDTH}")
        _check_text(text)
        self.text = text
        self.format = _Format(text.language)
        self.words = WORDS[text.language]
        self.width = width
        self.compact = width < COMPACT_BELOW
        self.pad = 12 if self.compact else 20
        self.inner = width - 2 * self.pad
        self.root = element(
            None,
            "svg",
            {
                "xmlns": SVG_NS,
                "{http://www.w3.org/XML/1998/namespace}lang": text.language,
                "width": "100%",
                "role": "img",
                "aria-labelledby": f"{prefix}-title {prefix}-desc",
                "font-family": FONT_STACK,
                "class": f"tracker-chart tracker-chart-{kind}",
            },
        )
        element(self.root, "title", {"id": f"{prefix}-title"}, text.title)
        element(self.root, "desc", {"id": f"{prefix}-desc"}, text.description)
        self.background = element(self.root, "rect", {"width": width, "fill": BACKGROUND})
        self.y = float(self.pad)

    def heading(self) -> None:
        size = 17 if self.compact else 20
        group = element(self.root, "g", {"font-size": size, "font-weight": "700", "fill": INK, "aria-hidden": "true"})
        for line in wrap(self.text.title, self.inner, size, bold=True):
            self.y += size
            element(group, "text", {"x": self.pad, "y": self.y}, line)
            self.y += size * 0.3
        self.y += 10

    def legend(self, items: Sequence[tuple[str, str]]) -> None:
        """One swatch with its label per status, flowing into as many lines as the width needs."""
        size, swatch, line = 13, 12, 21
        group = element(self.root, "g", {"font-size": size, "fill": INK, "class": "legend"})
        x = self.pad
        for status, label in items:
            label = fit(label, self.inner - swatch - 6, size)
            item_width = swatch + 6 + text_width(label, size)
            if x > self.pad and x + item_width > self.width - self.pad:
                x, self.y = self.pad, self.y + line
            item = element(group, "g", {"data-status": status})
            element(
                item,
                "rect",
                {"x": x, "y": self.y + 1, "width": swatch, "height": swatch, "fill": COLORS[status]}
                | {"stroke": "#000000", "stroke-opacity": "0.25", "stroke-width": 0.5},
            )
            element(item, "text", {"x": x + swatch + 6, "y": self.y + 11.5}, label)
            x += item_width + 16
        self.y += line

    def note(self, sentence: str, *, size: float = 12, fill: str = MUTED) -> None:
        group = element(self.root, "g", {"font-size": size, "fill": fill})
        for line in wrap(sentence, self.inner, size):
            self.y += size
            element(group, "text", {"x": self.pad, "y": self.y}, line)
            self.y += size * 0.35
        self.y += 6

    def finish(self) -> str:
        """The source line at the bottom; then the final height goes into the viewBox."""
        size = 11 if self.compact else 11.5
        self.y += 6
        element(self.root, "line", {"x1": self.pad, "x2": self.width - self.pad, "y1": self.y, "y2": self.y}
                | {"stroke": GRID, "stroke-width": 1})  # fmt: skip
        self.y += 4
        group = element(self.root, "g", {"font-size": size, "fill": MUTED, "class": "source"})
        for line in wrap(self.text.source_line, self.inner, size, keep_together=" · "):
            self.y += size * 1.25
            element(group, "text", {"x": self.pad, "y": self.y}, line)
        height = math.ceil(self.y + self.pad)
        self.background.set("height", str(height))
        self.root.set("viewBox", f"0 0 {self.width} {height}")
        return serialise(self.root)


def _text(parent: ET.Element, x: float, y: float, content: str, **attributes) -> ET.Element:
    return element(
        parent, "text", {"x": x, "y": y, **{k.rstrip("_").replace("_", "-"): v for k, v in attributes.items()}}, content
    )


# ---------------------------------------------------------------------------------------------- bars


def stacked_bars_svg(
    bars: Sequence[Bar],
    text: ChartText,
    *,
    normalised: bool = False,
    width: int = 760,
    id_prefix: str | None = None,
) -> str:
    """Horizontal stacked bars, one row per ``Bar`` in the given order, one segment per status.

    ``normalised=False``: the bars share one scale (length = number of measures); the share of kept and
    partially kept measures is written at the end of each bar. ``normalised=True``: every bar is 100 %,
    so small areas are readable; the row's number of measures is written at its end. Segment values
    (counts, or percentages when normalised) are written inside the segments they fit into; every
    segment also has a tooltip with its label, count and share. Long row labels are shortened with an
    ellipsis and keep their full text as tooltip.
    """
    return _bars_svg(bars, text, normalised=normalised, width=width, id_prefix=id_prefix)


def reason_bars_svg(
    rows: Sequence[tuple[str, int]], text: ChartText, *, width: int = 760, id_prefix: str | None = None
) -> str:
    """Plain bars in the colour of "broken", one per ``(label, count)`` row in the given order (why the broken
    pledges were broken): each bar's number written at its end, no legend (the title says what is counted);
    drawn like the stacked bars, so that it reads and scales as the edition's other charts do."""
    bars = [Bar(label, {Status.BROKEN: count}) for label, count in rows]
    return _bars_svg(bars, text, normalised=False, width=width, id_prefix=id_prefix, plain=True)


def _bars_svg(
    bars: Sequence[Bar],
    text: ChartText,
    *,
    normalised: bool,
    width: int,
    id_prefix: str | None,
    plain: bool = False,
) -> str:
    """The stacked bars (see ``stacked_bars_svg``); ``plain``: bars of one status each, without legend or note,
    their number at the end (see ``reason_bars_svg``)."""
    for index, bar in enumerate(bars):
        _check_counts(bar.counts, f"bar {index + 1} ({bar.label!r})")
    prefix = _prefix(
        id_prefix,
        "plain-bars" if plain else "bars",
        normalised,
        width,
        text,
        [(bar.label, _frozen(bar.counts), bar.href) for bar in bars],
    )
    frame = _Frame("bars-plain" if plain else "bars-normalised" if normalised else "bars", text, width, prefix)
    fmt, labels = frame.format, text.status_labels
    frame.heading()
    if not plain:
        frame.legend([(status, labels[status]) for status in DISPLAY_ORDER])
        if normalised:
            frame.note(frame.words["normalised_note"].format(hundred=fmt.whole_percent(1)))
        else:
            kept, partially_kept = labels[Status.KEPT], labels[Status.PARTIALLY_KEPT]
            frame.note(frame.words["share_note"].format(kept=kept, partially_kept=partially_kept))

    totals = [sum(bar.counts.values()) for bar in bars]
    if normalised or plain:
        ends = [fmt.number(total) for total in totals]
    else:
        kept = (Status.KEPT, Status.PARTIALLY_KEPT)
        ends = [
            fmt.percent(sum(bar.counts.get(s, 0) for s in kept) / total) if total else "–"
            for bar, total in zip(bars, totals, strict=True)
        ]
    value_size, label_size, end_size = 12, 13, 12
    end_width = max([text_width(end, end_size, bold=True) for end in ends] + [text_width("0", end_size)]) + 10

    compact, pad = frame.compact, frame.pad
    if compact:
        label_width = frame.inner
        bar_x, bar_height, pitch = float(pad), 16, 44
    else:  # a label column as wide as the longest label, up to 40 % of the width
        longest = max((text_width(" ".join(bar.label.split()), label_size) for bar in bars), default=0)
        label_width = min(round(0.4 * frame.inner), max(80, math.ceil(longest) + 14))
        bar_x, bar_height, pitch = float(pad + label_width), 18, 30
    bar_span = frame.width - pad - end_width - bar_x

    if normalised:
        domain = 100
        ticks = [0, 25, 50, 75, 100] if bar_span >= 200 else [0, 50, 100]
        tick_labels = [fmt.whole_percent(t / 100) for t in ticks]
    else:  # the longest bar takes the full span; grid lines at round numbers up to it
        domain = max(totals, default=0) or 1
        ticks = [t for t in nice_ticks(domain, most=max(2, min(8, int(bar_span // 48)))) if t <= domain]
        tick_labels = [fmt.number(t) for t in ticks]
    positions = [bar_x + bar_span * t / domain for t in ticks]
    scale = bar_span / domain

    frame.y += 4
    rows_top = frame.y
    rows_bottom = rows_top + pitch * len(bars)
    grid = element(frame.root, "g", {"stroke": GRID, "stroke-width": 1, "class": "grid"})
    # wide: grid lines through all rows; compact: only beside the bars, not through the labels above them
    spans = [(rows_top - 2, rows_bottom)]
    if compact:
        spans = [(rows_top + i * pitch + label_size + 3, rows_top + (i + 1) * pitch - 4) for i in range(len(bars))]
    for x in positions:
        for y1, y2 in spans:
            element(grid, "line", {"x1": x, "x2": x, "y1": y1, "y2": y2})

    rows = element(frame.root, "g", {"class": "rows"})
    for bar, total, end in zip(bars, totals, ends, strict=True):
        row = element(rows, "g", {"class": "row"})
        if compact:
            label_y, top = frame.y + label_size, frame.y + label_size + 6
        else:
            top = frame.y + (pitch - bar_height) / 2
            label_y = top + bar_height / 2 + label_size * 0.36
        _row_label(row, bar, pad, label_y, label_width - (0 if compact else 12), label_size)

        x = bar_x
        for status in DISPLAY_ORDER:
            count = bar.counts.get(status, 0)
            if not count:
                continue
            segment_width = bar_span * count / total if normalised else count * scale
            segment = element(row, "g", {"class": "segment", "data-status": status})
            element(
                segment,
                "title",
                None,
                f"{bar.label}: {fmt.number(count)}"
                if plain
                else f"{bar.label} · {labels[status]}: {fmt.number(count)} ({fmt.percent(count / total)})",
            )
            element(
                segment,
                "rect",
                {"x": x, "y": top, "width": segment_width, "height": bar_height, "fill": COLORS[status]}
                | {"stroke": BACKGROUND, "stroke-width": 0.75},
            )
            value = fmt.percent(count / total) if normalised else fmt.number(count)
            if not plain and text_width(value, value_size) + 6 <= segment_width:
                _text(segment, x + segment_width / 2, top + bar_height / 2 + value_size * 0.36, value,
                      font_size=value_size, text_anchor="middle", fill=TEXT_COLORS[status])  # fmt: skip
            x += segment_width
        end_x = (bar_x + bar_span if normalised else x) + 6
        _text(row, end_x, top + bar_height / 2 + end_size * 0.36, end, font_size=end_size,
              font_weight=None if normalised and not plain else "700", fill=INK, class_="end")  # fmt: skip
        frame.y += pitch

    axis = element(frame.root, "g", {"font-size": 11.5, "fill": MUTED, "class": "axis"})
    frame.y = rows_bottom + 15
    for x, label in zip(positions, tick_labels, strict=True):
        _text(axis, x, frame.y, label, text_anchor="middle")
    if not normalised:
        frame.y += 17
        _text(axis, bar_x + bar_span / 2, frame.y, frame.words["count_axis"], text_anchor="middle", font_size=12)
    frame.y += 6
    return frame.finish()


def _row_label(row: ET.Element, bar: Bar, x: float, y: float, width: float, size: float) -> None:
    """The row's label, shortened to ``width`` (the full label as tooltip), linked when it has a target."""
    shown = fit(bar.label, width, size)
    href = safe_href(bar.href)
    holder = element(row, "a", {"href": href}) if href else row
    if shown != " ".join(bar.label.split()):
        element(holder, "title", None, bar.label)
    _text(holder, x, y, shown, font_size=size, fill=LINK if href else INK, class_="label")


# ---------------------------------------------------------------------------------------------- timeline


def timeline_svg(
    points: Sequence[TimePoint], text: ChartText, *, width: int = 760, id_prefix: str | None = None
) -> str:
    """The rated measures over time as stacked steps (kept at the bottom), on their own scale.

    Measures not yet rated are left out of the plot, which would otherwise be a thin coloured band above
    a grey block for most of a term; their number is written above the plot instead, and the legend
    gives each rated status its number on the last day. Each point's counts hold until the next point;
    the last point's until the end of its day. The date axis is labelled at quarter or year starts in the
    chart's language, at most six labels.
    """
    if not points:
        raise ValueError("a timeline needs at least one point")
    for point in points:
        _check_counts(point.counts, f"point {point.day.isoformat()}")
    points = sorted(points, key=lambda point: point.day)
    prefix = _prefix(id_prefix, "timeline", width, text, [(p.day, _frozen(p.counts)) for p in points])
    frame = _Frame("timeline", text, width, prefix)
    fmt, labels = frame.format, text.status_labels
    rated_statuses = [status for status in DISPLAY_ORDER if status != Status.NOT_RATED]
    last = points[-1]

    frame.heading()
    frame.legend([(status, f"{labels[status]} {fmt.number(last.counts.get(status, 0))}") for status in rated_statuses])
    total, unrated = sum(last.counts.values()), last.counts.get(Status.NOT_RATED, 0)
    frame.note(
        frame.words["unrated"].format(
            date=fmt.date(last.day),
            rated=fmt.number(total - unrated),
            total=fmt.number(total),
            unrated=fmt.number(unrated),
        ),
        size=13,
        fill=INK,
    )

    rated = [sum(p.counts.get(s, 0) for s in rated_statuses) for p in points]
    plot_height = 180 if frame.compact else 230
    ticks = nice_ticks(max(rated), most=4 if frame.compact else 5)
    if max(rated) == 0:
        ticks = [0, 5, 10]
    tick_labels = [fmt.number(t) for t in ticks]
    axis_width = max(text_width(label, 11.5) for label in tick_labels) + 8
    plot_x = frame.pad + axis_width
    plot_width = frame.width - frame.pad - plot_x - 8

    frame.y += 4
    _text(frame.root, plot_x, frame.y + 12, frame.words["rated_axis"], font_size=12, fill=MUTED)
    plot_top = frame.y + 24
    plot_bottom = plot_top + plot_height
    start, end = points[0].day, last.day + dt.timedelta(days=1)
    days = (end - start).days

    def x_of(day: dt.date) -> float:
        return plot_x + plot_width * (day - start).days / days

    def y_of(count: float) -> float:
        return plot_bottom - plot_height * count / ticks[-1]

    axis = element(frame.root, "g", {"font-size": 11.5, "fill": MUTED, "class": "axis"})
    grid = element(frame.root, "g", {"stroke": GRID, "stroke-width": 1, "class": "grid"})
    for tick, label in zip(ticks, tick_labels, strict=True):
        element(grid, "line", {"x1": plot_x, "x2": plot_x + plot_width, "y1": y_of(tick), "y2": y_of(tick)})
        _text(axis, plot_x - 6, y_of(tick) + 4, label, text_anchor="end")

    xs = [x_of(p.day) for p in points] + [x_of(end)]
    right = plot_x + plot_width
    bands = element(frame.root, "g", {"class": "bands"})
    lower = [0] * len(points)
    for status in rated_statuses:
        upper = [low + p.counts.get(status, 0) for low, p in zip(lower, points, strict=True)]
        if upper != lower:
            outline = []
            for i in range(len(points)):
                outline += [(xs[i], y_of(upper[i])), (xs[i + 1], y_of(upper[i]))]
            for i in reversed(range(len(points))):
                outline += [(xs[i + 1], y_of(lower[i])), (xs[i], y_of(lower[i]))]
            band = element(bands, "g", {"class": "band", "data-status": status})
            element(band, "title", None, labels[status])
            path = "M" + " L".join(f"{number(x)} {number(y)}" for x, y in _without_repeats(outline)) + " Z"
            element(band, "path", {"d": path, "fill": COLORS[status]})
            # the last value written at the right end, where the band is tall enough and already at that value
            value = fmt.number(upper[-1] - lower[-1])
            room = right - text_width(value, 12) - 14
            steady = all((upper[i], lower[i]) == (upper[-1], lower[-1]) for i in range(len(points)) if xs[i + 1] > room)
            if steady and y_of(lower[-1]) - y_of(upper[-1]) >= 16:
                middle = (y_of(lower[-1]) + y_of(upper[-1])) / 2
                _text(band, right - 7, middle + 12 * 0.36, value, font_size=12, text_anchor="end",
                      fill=TEXT_COLORS[status])  # fmt: skip
        lower = upper

    element(frame.root, "line", {"x1": plot_x, "x2": plot_x + plot_width, "y1": plot_bottom, "y2": plot_bottom}
            | {"stroke": AXIS, "stroke-width": 1})  # fmt: skip
    label_room = text_width(fmt.month(dt.date(2026, 9, 1)), 11.5) + 14
    for day, label in _date_ticks(start, end, fmt, most=max(2, min(6, int(plot_width // label_room)))):
        x = x_of(day)
        element(axis, "line", {"x1": x, "x2": x, "y1": plot_bottom, "y2": plot_bottom + 4, "stroke": AXIS})
        half = text_width(label, 11.5) / 2
        anchor, at = "middle", x
        if x - half < frame.pad:
            anchor, at = "start", max(x, float(frame.pad))
        elif x + half > frame.width - frame.pad:
            anchor, at = "end", min(x, frame.width - frame.pad)
        _text(axis, at, plot_bottom + 17, label, text_anchor=anchor)
    frame.y = plot_bottom + 24
    return frame.finish()


def _without_repeats(outline: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept: list[tuple[float, float]] = []
    for point in outline:
        if not kept or point != kept[-1]:
            kept.append(point)
    return kept


def _starts(first: dt.date, last: dt.date, months: int) -> list[dt.date]:
    """The first days of periods of ``months`` months (aligned to January) from ``first`` to ``last``."""
    year, month = first.year, months * ((first.month - 1) // months) + 1
    days = []
    while (day := dt.date(year, month, 1)) <= last:
        if day >= first:
            days.append(day)
        month += months
        if month > 12:
            year, month = year + 1, month - 12
    return days


def _thin(days: list[dt.date], most: int) -> list[dt.date]:
    return days[:: max(1, math.ceil(len(days) / most))]


def _date_ticks(first: dt.date, last: dt.date, fmt: _Format, most: int) -> list[tuple[dt.date, str]]:
    """Labelled days of the date axis: quarter starts, year starts when there are too many quarters,
    month starts when there are too few; the first and last day when the span has no month start."""
    quarters = _starts(first, last, 3)
    if len(quarters) > most:
        years = [day for day in quarters if day.month == 1]
        days = _thin(years, most) if len(years) >= 2 else _thin(quarters, most)
    elif len(quarters) >= 2:
        days = quarters
    else:
        days = _thin(_starts(first, last, 1), most)
    if len(days) >= 2 or (days and (last - first).days > 62):
        return [(day, fmt.month(day)) for day in days]
    final = last - dt.timedelta(days=1)  # ``last`` is the end of the final point's day
    return [(day, fmt.date(day)) for day in sorted({first, final})]
