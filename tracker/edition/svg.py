"""Building blocks of the edition's SVG charts: safe elements, text measurement, wrapping and shortening.

Elements are built with xml.etree, which escapes every text and attribute value; characters that XML
cannot carry at all (control characters) are dropped first, so no label can break the markup or add to
it. Text widths are estimated from the advance widths of DejaVu Sans, the widest of the faces the system
font stack resolves to on common systems, so text measured to fit also fits in the reader's font.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

SVG_NS = "http://www.w3.org/2000/svg"
FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"
ELLIPSIS = "…"

# Characters XML 1.0 cannot represent, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Advance widths of DejaVu Sans (regular and bold) in thousandths of an em, for the characters below.
_MEASURED = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    "ÄÖÜäöüß–—·…„“”‘’€§°×é\u00a0"
)
_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656,
    557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613,
    635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
    592, 592, 525, 636, 337, 636, 838, 684, 787, 732, 613, 612, 634, 630, 500, 1000, 318, 1000, 518, 518, 518,
    318, 318, 636, 500, 500, 838, 615, 318,
)  # fmt: skip
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696,
    696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775,
    637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675,
    716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924,
    645, 652, 582, 712, 365, 712, 838, 774, 850, 812, 675, 687, 712, 719, 500, 1000, 380, 1000, 657, 657, 657,
    380, 380, 696, 500, 500, 838, 678, 348,
)  # fmt: skip
_WIDTHS = {False: dict(zip(_MEASURED, _REGULAR, strict=True)), True: dict(zip(_MEASURED, _BOLD, strict=True))}


def clean(text: str) -> str:
    """``text`` without the characters XML cannot carry."""
    return _NOT_XML.sub("", text)


def _char_width(char: str, bold: bool) -> int:
    known = _WIDTHS[bold].get(char)
    if known is not None:
        return known
    if unicodedata.combining(char):
        return 0
    return 1000 if unicodedata.east_asian_width(char) in "WF" else 720


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of ``text`` set in ``size`` px, erring on the wide side."""
    return sum(_char_width(char, bold) for char in text) * size / 1000


def fit(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """``text`` if it fits into ``width``, else shortened with an ellipsis, at a word boundary where one is near."""
    text = " ".join(text.split())
    if text_width(text, size, bold=bold) <= width:
        return text
    room = width - text_width(ELLIPSIS, size, bold=bold)
    used, cut = 0.0, 0
    for index, char in enumerate(text):
        used += _char_width(char, bold) * size / 1000
        if used > room:
            break
        cut = index + 1
    prefix = text[:cut]
    space = prefix.rfind(" ")
    if space >= 0.6 * cut and cut < len(text) and text[cut] != " ":
        prefix = prefix[:space]  # rather a whole word less than half a word
    return prefix.rstrip(" ,;:–-&·/(") + ELLIPSIS


def wrap(
    text: str, width: float, size: float, *, bold: bool = False, max_lines: int = 3, keep_together: str | None = None
) -> list[str]:
    """``text`` broken into lines at spaces so that each fits into ``width``; at most ``max_lines``, the last
    one shortened if the text is longer. With ``keep_together`` (a separator such as " · "), the parts
    between separators are broken only when one alone is wider than a line."""
    units = text.split(keep_together) if keep_together else text.split()
    glue = keep_together or " "
    if keep_together and any(text_width(unit.strip(), size, bold=bold) > width for unit in units):
        units, glue = text.split(), " "
    lines: list[str] = []
    current = ""
    for unit in (unit.strip() for unit in units):
        candidate = f"{current}{glue}{unit}" if current else unit
        if current and text_width(candidate, size, bold=bold) > width:
            lines.append(current)
            current = unit
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], glue.join(lines[max_lines - 1 :])]
    return [fit(line, width, size, bold=bold) for line in lines] or [""]


def number(value: float) -> str:
    """A coordinate as short as it can be written (two decimals at most)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def element(parent: ET.Element | None, tag: str, attributes: dict | None = None, text: str | None = None) -> ET.Element:
    """A new SVG element (under ``parent`` when given); numbers are written short, None attributes left out."""
    values = {}
    for name, value in (attributes or {}).items():
        if value is None:
            continue
        values[name] = number(value) if isinstance(value, float | int) else clean(str(value))
    node = ET.Element(tag, values) if parent is None else ET.SubElement(parent, tag, values)
    if text is not None:
        node.text = clean(text)
    return node


def safe_href(href: str | None) -> str | None:
    """``href`` if it is a relative URL on the same site, else None (no other hosts, no javascript: or data:)."""
    if not href:
        return None
    href = re.sub(r"[\x00-\x20\x7f]", "", href)  # browsers ignore these too, also inside "java\nscript:"
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("//", "\\", "/\\")):
        return None
    return clean(href) or None


def serialise(root: ET.Element) -> str:
    """The markup of a standalone SVG document that can also be inlined in HTML (no XML declaration)."""
    return ET.tostring(root, encoding="unicode")
