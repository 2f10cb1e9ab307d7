"""Decoding the text files people hand to the tracker (programme texts, spreadsheets saved as CSV).

UTF-8 with or without a byte order mark is read as it is; anything else is refused with the line of the
first byte that is not UTF-8, so that each reader can say where the problem is in its own terms.
"""

from __future__ import annotations

import re

_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


class NotUtf8(ValueError):
    """The bytes are not UTF-8: UTF-16 (``utf16``), or an invalid ``byte`` on ``line`` (counted from 1)."""

    def __init__(self, line: int, byte: int | None = None, text: str = "", utf16: bool = False):
        self.line = line
        self.byte = byte
        self.text = text  # the line, its bad bytes replaced, for showing
        self.utf16 = utf16
        super().__init__(f"line {line}: " + ("UTF-16, not UTF-8" if utf16 else f"byte 0x{byte:02x} is not UTF-8"))


def decode_utf8(data: bytes) -> str:
    """The text of ``data`` (UTF-8, a leading byte order mark removed), or ``NotUtf8`` saying where it fails."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotUtf8(1, utf16=True)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        breaks = list(_LINE_BREAK_BYTES.finditer(data, 0, error.start))
        line_start = breaks[-1].end() if breaks else 0
        next_break = _LINE_BREAK_BYTES.search(data, error.start)
        raw_line = data[line_start : next_break.start() if next_break else len(data)]
        line = raw_line.decode("utf-8", errors="replace").removeprefix("\ufeff").strip()
        raise NotUtf8(len(breaks) + 1, data[error.start], line) from None
    return text.removeprefix("\ufeff")
