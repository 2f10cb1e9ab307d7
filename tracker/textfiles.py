"""Decoding the text files people hand to the tracker (programme texts, spreadsheets saved as CSV).

UTF-8 with or without a byte order mark is read as it is. A programme text must be UTF-8; a spreadsheet may
also be Windows-1252, what Excel on a German Windows writes as "CSV (Trennzeichen-getrennt)". Anything else
is refused with the line of the first byte that cannot be read, so that each reader can say where the
problem is in its own terms.
"""

from __future__ import annotations

import re

_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")

WINDOWS_1252 = "windows-1252"


class NotUtf8(ValueError):
    """The bytes are not UTF-8 (nor Windows-1252, where that is accepted): UTF-16 (``utf16``), or an
    invalid ``byte`` on ``line`` (counted from 1)."""

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
        raise _not_readable(data, error.start) from None
    return text.removeprefix("\ufeff")


def decode_spreadsheet(data: bytes) -> tuple[str, str | None]:
    """The text of a spreadsheet saved as CSV, and the encoding it was converted from: None for UTF-8,
    ``WINDOWS_1252`` when the bytes are not UTF-8 but Windows-1252 (and carry no UTF-8 byte order mark). ``NotUtf8``
    when they are neither."""
    try:
        return decode_utf8(data), None
    except NotUtf8:
        if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):  # UTF-16, or UTF-8 marked but broken
            raise
    try:
        return data.decode("cp1252"), WINDOWS_1252
    except UnicodeDecodeError as error:  # the five bytes that Windows-1252 leaves undefined
        raise _not_readable(data, error.start) from None


def _not_readable(data: bytes, position: int) -> NotUtf8:
    breaks = list(_LINE_BREAK_BYTES.finditer(data, 0, position))
    line_start = breaks[-1].end() if breaks else 0
    next_break = _LINE_BREAK_BYTES.search(data, position)
    raw_line = data[line_start : next_break.start() if next_break else len(data)]
    line = raw_line.decode("utf-8", errors="replace").removeprefix("\ufeff").strip()
    return NotUtf8(len(breaks) + 1, data[position], line)
