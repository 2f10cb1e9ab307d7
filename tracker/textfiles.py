"""The text people hand to the tracker: decoding files, and which characters a text may hold.

Decoding: UTF-8 with or without a byte order mark is read as it is. A programme text must be UTF-8; a
spreadsheet may also be Windows-1252, what Excel on a German Windows writes as "CSV (Trennzeichen-getrennt)".
Anything else is refused with the line of the first byte that cannot be read, so that each reader can say
where the problem is in its own terms.

Characters (``unsafe_character``, the one rule behind every field of the CLI, the forms and the importers):
no text may hold a NUL, another control character (C0 and DEL, C1), or a lone surrogate (what Python makes of
bytes that are not UTF-8 in a command-line argument or a file name). A text of several lines (a rationale, a
success criterion, a programme's preamble) may hold line breaks (``\n``) and tabs; a one-line text (titles,
names, URLs, codes) holds neither, nor a Unicode line or paragraph separator, nor a bidirectional embedding,
override or isolate (U+202A-U+202E, U+2066-U+2069), which reorder what a reader sees. Invisible marks such
as the zero-width space or U+200E/U+200F are text and allowed.

``printable`` is the other side: what the tracker writes to a terminal shows such characters escaped, so that
nothing stored (or typed) can move the cursor, retitle the window or reorder a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


# --------------------------------------------------------------------------- characters

_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and line feed, DEL, C1
_SURROGATES = "\ud800-\udfff"
_LINE_ONLY = "\t\n\u2028\u2029"  # allowed in texts of several lines only
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_UNSAFE_IN_TEXT = re.compile(f"[{_CONTROL}{_SURROGATES}]")
_UNSAFE_IN_LINE = re.compile(f"[{_CONTROL}{_SURROGATES}{_LINE_ONLY}{_BIDI_CONTROLS}]")
_NOT_TEXT = re.compile(f"[\x00{_SURROGATES}]")
_UNPRINTABLE = re.compile(f"[{_CONTROL}{_SURROGATES}\u2028\u2029{_BIDI_CONTROLS}]")

NUL = "nul"
CONTROL = "control"
LINE_BREAK = "line_break"
BIDI = "bidi"
NOT_UTF8 = "not_utf8"


@dataclass(frozen=True)
class UnsafeCharacter:
    """The first character a text may not hold: where (``position``, counted from 1) and what (``kind``)."""

    position: int
    character: str
    kind: str  # NUL, CONTROL, LINE_BREAK (in a one-line text), BIDI or NOT_UTF8 (a lone surrogate)

    def describe(self) -> str:
        """What the character is, in English: "the control character U+001B"."""
        return {
            NUL: "a NUL character",
            CONTROL: f"the control character {self.codepoint}",
            LINE_BREAK: f"a line break or tab ({self.codepoint})",
            BIDI: f"{self.codepoint}, an invisible character that reverses the reading direction",
            NOT_UTF8: f"a byte that is not UTF-8 ({self.codepoint})",
        }[self.kind]

    @property
    def codepoint(self) -> str:
        """How a message names it: "U+001B"; a byte that was not UTF-8 (surrogate-escaped) as "0xFF"."""
        code = ord(self.character)
        return f"0x{code - 0xDC00:02X}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"


def unsafe_character(text: str, *, multiline: bool = False) -> UnsafeCharacter | None:
    """The first character of ``text`` that the tracker does not store, or None (see the module's rule)."""
    return _first((_UNSAFE_IN_TEXT if multiline else _UNSAFE_IN_LINE).search(text), multiline)


def unreadable_character(text: str) -> UnsafeCharacter | None:
    """The first NUL or byte that is not UTF-8 in ``text``: what no text can carry to the database at all (the
    check for every argument of the command line, which may be a text of several lines or a file name)."""
    return _first(_NOT_TEXT.search(text), multiline=True)


def _first(found: re.Match[str] | None, multiline: bool) -> UnsafeCharacter | None:
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        kind = NUL
    elif "\ud800" <= char <= "\udfff":
        kind = NOT_UTF8
    elif char in "\r\t\n\u2028\u2029" and not multiline:
        kind = LINE_BREAK
    elif "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        kind = BIDI
    else:
        kind = CONTROL
    return UnsafeCharacter(found.start() + 1, char, kind)


def shortened(value: object, limit: int = 100) -> str:
    """``value`` as a message repeats it: at most ``limit`` characters, then how long it is."""
    text = str(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text)} characters)"


def printable(text: str) -> str:
    """``text`` safe to write to a terminal: line breaks and tabs kept, every other control character, bidi
    control and line separator shown as an escape (``\\x1b``, ``\\u202e``), a byte that is not UTF-8 as
    ``\\xff``."""
    return _UNPRINTABLE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
