"""PNG images of the edition's SVG charts, for downloads and link previews.

Rasterised by resvg (resvg-py: the maintained Rust SVG renderer, shipped as a wheel, no system library)
with Noto Sans (OFL-1.1) from the Python package fontpkg-noto-sans. The system's fonts are not used: a
PNG looks the same on every machine, including a fresh server or CI machine without any fonts at all.
"""

from __future__ import annotations

from functools import cache, lru_cache

import fontpkg
import resvg_py

FONT_FAMILY = "Noto Sans"


class FontMissing(RuntimeError):
    """The font the PNGs are set in is not installed."""


@cache
def font_files() -> tuple[str, ...]:
    """The upright font files of ``FONT_FAMILY`` (one variable font covers every weight)."""
    try:
        family = fontpkg.family(FONT_FAMILY)
    except fontpkg.FontpkgError as error:
        raise FontMissing(
            f"PNG charts are set in {FONT_FAMILY}, which is not installed: install the project's dependencies "
            f"(the Python package fontpkg-noto-sans) ({error})"
        ) from error
    files = tuple(str(file.path) for file in family.files if file.style == "normal")
    if not files:
        raise FontMissing(f"the installed {FONT_FAMILY} has no upright font file")
    return files


@lru_cache(maxsize=32)
def svg_to_png(svg: str, *, width: int = 1200) -> bytes:
    """The SVG drawn as a PNG ``width`` pixels wide (the height follows the chart's aspect ratio).

    A chart of 17 areas takes about 0.3 s at 1200 px; the charts' SVG is the same for the same numbers,
    so the last few images are kept and a route asked again for an unchanged chart answers at once.
    """
    if width < 1:
        raise ValueError(f"PNG width must be at least 1 pixel, not {width}")
    png = resvg_py.svg_to_bytes(
        svg_string=svg,
        width=width,
        font_files=list(font_files()),
        skip_system_fonts=True,
        font_family=FONT_FAMILY,
        sans_serif_family=FONT_FAMILY,
    )
    return bytes(png)
