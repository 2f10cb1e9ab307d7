"""Parsing a programme text into areas, goals and pledges (pure: no database, no I/O).

A programme text looks like this (blank lines are ignored everywhere)::

    Unsere Ziele für Herne                      <- title: the first non-blank line
    Wahlprogramm des HAK                        <- preamble: every further line before the first area
    1. Wohnen & Stadtentwicklung                <- area heading ("14 Title" without the dot works too)
    Warum wichtig: ... Schwerpunkt: ...         <- optional; "Schwerpunkt:" may also have its own line
    Lösungen:                                   <- optional, carries no data
    - Zweckentfremdung von Wohnraum eindämmen.  <- a pledge directly under the area: code "1-1"
    8. Konkrete Ziele in Bezug auf Bildung
    Frühkindliche Bildung & Schule              <- group heading: an unnumbered line right above a goal
    8.1 Aussetzung der Elternbeiträge           <- goal heading (may end in an inline "Ziel: ...")
    Ziel: ...                                   <- optional objective of the goal
    - Einführung einer kommunalen Satzung ...   <- a pledge of the goal: code "8.1-1"

The parser classifies each line on its own (``_classify``) and then walks the lines with a small
state machine (``_Parser``) that knows the current area and goal. Anything it cannot place raises
:class:`ProgrammeParseError` naming the source, the line number and the line itself.

Every line is a one-line text by the tracker's rule for characters (``tracker.textfiles.unsafe_character``):
a tab counts as a space, any other control character, a bidirectional override or a line separator is
refused with its line and position. Titles longer than the database keeps are refused too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import string
from dataclasses import dataclass, field
from enum import Enum, auto

from tracker.textfiles import NotUtf8, decode_utf8, shortened, unsafe_character

__all__ = [
    "ParsedArea",
    "ParsedGoal",
    "ParsedPledge",
    "ParsedProgramme",
    "ProgrammeParseError",
    "deadline_in",
    "decode_programme",
    "parse_programme",
    "parse_programme_bytes",
    "short_area_title",
]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ParsedPledge:
    """One measure: one bullet line of the programme."""

    code: str  # e.g. "1-3", "8.2-4", "13.5b-1"
    position: int  # k, 1-based within its parent (area or goal)
    text: str  # the bullet text verbatim, trimmed, without the bullet marker
    line_no: int  # 1-based line number in the input


@dataclass(frozen=True)
class ParsedGoal:
    """A numbered sub-goal of an area, e.g. "8.2 Digitale Ausstattung an Schulen verbessern"."""

    code: str  # printed number, plus "b", "c", ... when the number is printed again in the area
    number: str  # printed number, e.g. "13.5"
    title: str  # heading text after the number, without an inline "Ziel: ..." part
    objective: str | None  # the "Ziel:" text
    group: str | None  # the unnumbered group heading that applies to this goal
    line_no: int
    pledges: tuple[ParsedPledge, ...]


@dataclass(frozen=True)
class ParsedArea:
    """A numbered policy area, e.g. "1. Wohnen & Stadtentwicklung"."""

    number: int
    title: str
    why_important: str | None  # the "Warum wichtig:" text
    focus: str | None  # the "Schwerpunkt:" text
    line_no: int
    pledges: tuple[ParsedPledge, ...]  # measures directly under the area, before its first goal
    goals: tuple[ParsedGoal, ...]

    def all_pledges(self) -> list[ParsedPledge]:
        """The area's own pledges, then each goal's, in printed order."""
        return [*self.pledges, *(p for goal in self.goals for p in goal.pledges)]


@dataclass(frozen=True)
class ParsedProgramme:
    """A whole programme text: title, preamble and areas."""

    title: str
    preamble: tuple[str, ...]
    areas: tuple[ParsedArea, ...]

    def pledges(self) -> list[ParsedPledge]:
        """All pledges in printed order."""
        return [p for area in self.areas for p in area.all_pledges()]


class ProgrammeParseError(ValueError):
    """A programme text that cannot be parsed; says where (source, line) and what is wrong."""

    def __init__(
        self, message: str, line_no: int | None = None, line: str | None = None, source: str | None = None
    ) -> None:
        self.reason = message
        self.line_no = line_no
        self.line = line
        self.source = source
        where = ", ".join(part for part in (source, f"line {line_no}" if line_no is not None else None) if part)
        super().__init__(f"{where}: {message}" if where else message)

    def __reduce__(self):  # keep the attributes when the error is pickled (e.g. across processes)
        return (type(self), (self.reason, self.line_no, self.line, self.source))


# --------------------------------------------------------------------------- decoding


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def decode_programme(data: bytes, source: str = "<bytes>") -> str:
    """Decode a programme file: UTF-8, with or without a byte order mark.

    Anything else raises :class:`ProgrammeParseError` naming the line of the first bad byte.
    """
    try:
        return decode_utf8(data)
    except NotUtf8 as error:
        if error.utf16:
            raise ProgrammeParseError(
                "the file is UTF-16 encoded; save it as UTF-8 and import it again", 1, None, source
            ) from None
        raise ProgrammeParseError(
            f"this line is not valid UTF-8 (byte 0x{error.byte:02x}): {error.text!r} (the file must be saved as UTF-8)",
            error.line,
            error.text,
            source,
        ) from None


def parse_programme_bytes(data: bytes, source: str = "<bytes>") -> ParsedProgramme:
    """Decode ``data`` (see :func:`decode_programme`) and parse it (see :func:`parse_programme`)."""
    return parse_programme(decode_programme(data, source), source)


# --------------------------------------------------------------------------- line classification


class _Kind(Enum):
    BULLET = auto()
    GOAL = auto()
    AREA = auto()
    WHY = auto()  # "Warum wichtig:"
    FOCUS = auto()  # "Schwerpunkt:"
    OBJECTIVE = auto()  # "Ziel:"
    SOLUTIONS = auto()  # "Lösungen:"
    TEXT = auto()  # anything else: title, preamble, group heading, or an error


_KEYWORDS = {
    "warum wichtig": _Kind.WHY,
    "schwerpunkt": _Kind.FOCUS,
    "ziel": _Kind.OBJECTIVE,
    "lösungen": _Kind.SOLUTIONS,
}
_KEYWORD_LABELS = {
    _Kind.WHY: "Warum wichtig:",
    _Kind.FOCUS: "Schwerpunkt:",
    _Kind.OBJECTIVE: "Ziel:",
    _Kind.SOLUTIONS: "Lösungen:",
}

_BULLET_RE = re.compile(r"[-•*–](?:[ \t]+(?P<text>.*))?")
_GOAL_RE = re.compile(r"(?P<area>[0-9]+)\.(?P<goal>[0-9]+)\.?\s+(?P<title>.+)")
_AREA_RE = re.compile(r"(?P<number>[0-9]+)\.?\s+(?P<title>.+)")
_KEYWORD_RE = re.compile(r"(?P<keyword>warum wichtig|schwerpunkt|ziel|lösungen)\s*:\s*(?P<text>.*)", re.I)
_INLINE_FOCUS_RE = re.compile(r"\bschwerpunkt\s*:", re.I)  # inside a "Warum wichtig:" line
_INLINE_OBJECTIVE_RE = re.compile(r"\sziel\s*:", re.I)  # inside a goal heading

MAX_NUMBER_DIGITS = 4  # of an area's or a goal's printed number
MAX_TITLE = 500  # the title line, an area's or a goal's title (the database keeps this many characters)
MAX_GROUP = 300  # a group heading
MAX_SHORT_TITLE = 200  # an area's short title

_EXPECTED = (
    "expected an area heading like '3. Title', a goal heading like '3.1 Title', 'Warum wichtig:', "
    "'Schwerpunkt:', 'Ziel:', 'Lösungen:', a group heading directly above a goal, "
    "or a bullet line starting with '- '"
)


@dataclass(frozen=True)
class _Line:
    """One non-blank input line, trimmed, with what ``_classify`` made of it."""

    no: int
    text: str
    kind: _Kind
    match: re.Match[str] | None


def _classify(text: str) -> tuple[_Kind, re.Match[str] | None]:
    """Decide what a single trimmed, non-blank line is, without looking at its neighbours."""
    if m := _BULLET_RE.fullmatch(text):
        return _Kind.BULLET, m
    if m := _GOAL_RE.fullmatch(text):
        return _Kind.GOAL, m
    if m := _AREA_RE.fullmatch(text):
        return _Kind.AREA, m
    if m := _KEYWORD_RE.fullmatch(text):
        return _KEYWORDS[m["keyword"].lower()], m
    return _Kind.TEXT, None


def _lines(text: str, source: str) -> list[_Line]:
    """Split ``text`` at CRLF, CR or LF; drop blank lines; trim, check and classify the rest."""
    lines = []
    for no, raw in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), start=1):
        stripped = raw.replace("\t", " ").strip()
        if not stripped:
            continue
        unsafe = unsafe_character(stripped)
        if unsafe is not None:
            raise ProgrammeParseError(
                f"this line holds {unsafe.describe()} at position {unsafe.position}; remove it: "
                f"{shortened(stripped)!r}",
                no,
                stripped,
                source,
            )
        lines.append(_Line(no, stripped, *_classify(stripped)))
    return lines


# --------------------------------------------------------------------------- the state machine


@dataclass
class _Section:
    """What an area or goal has collected so far, while its lines are being read."""

    line_no: int
    title: str
    pledges: list[ParsedPledge] = field(default_factory=list)
    solutions_seen: bool = False  # a "Lösungen:" line was read


@dataclass
class _GoalDraft(_Section):
    code: str = ""
    number: str = ""
    objective: str | None = None
    group: str | None = None

    def freeze(self) -> ParsedGoal:
        return ParsedGoal(
            self.code, self.number, self.title, self.objective, self.group, self.line_no, tuple(self.pledges)
        )


@dataclass
class _AreaDraft(_Section):
    number: int = 0
    why_important: str | None = None
    focus: str | None = None
    goals: list[_GoalDraft] = field(default_factory=list)
    group: str | None = None  # the group heading that applies to the next goal

    def freeze(self) -> ParsedArea:
        return ParsedArea(
            self.number,
            self.title,
            self.why_important,
            self.focus,
            self.line_no,
            tuple(self.pledges),
            tuple(goal.freeze() for goal in self.goals),
        )


class _Parser:
    """Walks the classified lines once; ``area`` and ``goal`` are where the next bullet goes."""

    def __init__(self, lines: list[_Line], source: str) -> None:
        self.lines = lines
        self.source = source
        self.areas: list[_AreaDraft] = []

    @property
    def area(self) -> _AreaDraft:
        return self.areas[-1]

    @property
    def goal(self) -> _GoalDraft | None:
        return self.area.goals[-1] if self.area.goals else None

    def fits(self, line: _Line, text: str, what: str, max_length: int) -> str:
        """``text`` (part of ``line``) if it is at most ``max_length`` characters long, as the database keeps it."""
        if len(text) > max_length:
            raise self.error(line, f"the {what} is {len(text)} characters long; at most {max_length} are accepted")
        return text

    def number(self, line: _Line, digits: str, what: str) -> int:
        """A printed number of at most ``MAX_NUMBER_DIGITS`` digits."""
        if len(digits) > MAX_NUMBER_DIGITS:
            raise self.error(line, f"the {what} {shortened(digits, 20)} has more than {MAX_NUMBER_DIGITS} digits")
        return int(digits)

    def error(self, line: _Line, reason: str, hint: str | None = None) -> ProgrammeParseError:
        message = f"{reason}: {shortened(line.text)!r}" + (f" ({hint})" if hint else "")
        return ProgrammeParseError(message, line.no, line.text, self.source)

    def parse(self) -> ParsedProgramme:
        if not self.lines:
            raise ProgrammeParseError("the programme text is empty", source=self.source)
        title_line, *rest = self.lines
        if title_line.kind in (_Kind.BULLET, _Kind.GOAL, _Kind.AREA):
            raise self.error(
                title_line,
                "the first line must be the programme's title",
                "add the title above the first area heading",
            )
        preamble: list[str] = []
        for index, line in enumerate(rest, start=1):
            if self.areas:
                self.read(line, self.lines[index + 1] if index + 1 < len(self.lines) else None)
            elif line.kind is _Kind.AREA:
                self.start_area(line)
            elif line.kind is _Kind.BULLET:
                raise self.error(line, "measure before the first area heading", "expected an area like '1. Title'")
            elif line.kind is _Kind.GOAL:
                raise self.error(line, "goal before the first area heading", "expected an area like '1. Title'")
            else:
                preamble.append(line.text)
        if not self.areas:
            raise ProgrammeParseError(
                "the programme has no area heading (expected a line like '1. Title')", source=self.source
            )
        title = self.fits(title_line, title_line.text, "title line", MAX_TITLE)
        return ParsedProgramme(title, tuple(preamble), tuple(a.freeze() for a in self.areas))

    def read(self, line: _Line, next_line: _Line | None) -> None:
        """Place one line that comes after the first area heading."""
        match line.kind:
            case _Kind.AREA:
                self.start_area(line)
            case _Kind.GOAL:
                self.start_goal(line)
            case _Kind.BULLET:
                self.add_pledge(line)
            case _Kind.WHY:
                self.read_why(line)
            case _Kind.FOCUS:
                self.read_focus(line)
            case _Kind.OBJECTIVE:
                self.read_objective(line)
            case _Kind.SOLUTIONS:
                self.read_solutions(line)
            case _Kind.TEXT if next_line is not None and next_line.kind is _Kind.GOAL:
                self.area.group = self.fits(line, line.text, "group heading", MAX_GROUP)
            case _:
                raise self.error(line, "cannot place this line", _EXPECTED)

    def start_area(self, line: _Line) -> None:
        assert line.match is not None
        number = self.number(line, line.match["number"], "area number")
        if self.areas and number <= self.area.number:
            raise self.error(
                line,
                f"area number {number} is not greater than the previous area's number {self.area.number}",
                "area numbers must increase",
            )
        title = self.fits(line, line.match["title"].strip(), "area title", MAX_TITLE)
        self.areas.append(_AreaDraft(line.no, title, number=number))

    def start_goal(self, line: _Line) -> None:
        assert line.match is not None
        area_part, goal_part = line.match["area"], line.match["goal"]
        self.number(line, goal_part, "goal number")
        if self.number(line, area_part, "area number") != self.area.number:
            raise self.error(
                line,
                f"goal {area_part}.{goal_part} does not belong to area {self.area.number}",
                f"goals of this area are numbered {self.area.number}.1, {self.area.number}.2, ...",
            )
        number = f"{area_part}.{goal_part}"
        title, objective = line.match["title"].strip(), None
        if inline := _INLINE_OBJECTIVE_RE.search(title):
            title, objective = title[: inline.start()].strip(), title[inline.end() :].strip()
            if not objective:
                raise self.error(line, "'Ziel:' without text", "write the objective after 'Ziel:'")
        self.fits(line, title, "goal title", MAX_TITLE)
        repeats = sum(goal.number == number for goal in self.area.goals)
        if repeats >= len(string.ascii_lowercase):
            raise self.error(line, f"goal number {number} is printed too many times")
        code = number + (string.ascii_lowercase[repeats] if repeats else "")
        self.area.goals.append(
            _GoalDraft(line.no, title, code=code, number=number, objective=objective, group=self.area.group)
        )

    def add_pledge(self, line: _Line) -> None:
        assert line.match is not None
        text = (line.match["text"] or "").strip()
        if not text:
            raise self.error(line, "bullet line without text", "write the measure after the '- '")
        parent: _Section = self.goal or self.area
        code_prefix = self.goal.code if self.goal else str(self.area.number)
        position = len(parent.pledges) + 1
        parent.pledges.append(ParsedPledge(f"{code_prefix}-{position}", position, text, line.no))

    def keyword_text(self, line: _Line) -> str:
        """The text after a keyword's colon; an error when there is none."""
        assert line.match is not None
        text = line.match["text"].strip()
        if not text:
            label = _KEYWORD_LABELS[line.kind]
            raise self.error(line, f"{label!r} without text", f"write the text on the same line as {label!r}")
        return text

    def check_intro(self, line: _Line, section: _Section | None, where: str) -> _Section:
        """Introductory keywords belong directly under a heading, before 'Lösungen:' and the measures."""
        label = _KEYWORD_LABELS[line.kind]
        if section is None:
            raise self.error(line, f"{label!r} in the wrong place", f"it belongs directly under {where}")
        if section.solutions_seen or section.pledges:
            raise self.error(line, f"{label!r} after 'Lösungen:' or the measures", f"it belongs directly under {where}")
        return section

    def read_why(self, line: _Line) -> None:
        area = self.check_intro(line, None if self.goal else self.area, "an area heading")
        assert isinstance(area, _AreaDraft)
        if area.why_important is not None:
            raise self.error(line, f"a second 'Warum wichtig:' in area {area.number}", "only one is allowed")
        why = self.keyword_text(line)
        if inline := _INLINE_FOCUS_RE.search(why):
            why, focus = why[: inline.start()].strip(), why[inline.end() :].strip()
            if not why or not focus:
                raise self.error(line, "'Warum wichtig:' or 'Schwerpunkt:' without text", "write a text after each")
            self.set_focus(line, area, focus)
        area.why_important = why

    def read_focus(self, line: _Line) -> None:
        area = self.check_intro(line, None if self.goal else self.area, "an area heading")
        assert isinstance(area, _AreaDraft)
        self.set_focus(line, area, self.keyword_text(line))

    def set_focus(self, line: _Line, area: _AreaDraft, focus: str) -> None:
        if area.focus is not None:
            raise self.error(line, f"a second 'Schwerpunkt:' in area {area.number}", "only one is allowed")
        area.focus = focus

    def read_objective(self, line: _Line) -> None:
        goal = self.check_intro(line, self.goal, "a goal heading")
        assert isinstance(goal, _GoalDraft)
        if goal.objective is not None:
            raise self.error(line, f"a second 'Ziel:' for goal {goal.number}", "only one is allowed")
        goal.objective = self.keyword_text(line)

    def read_solutions(self, line: _Line) -> None:
        assert line.match is not None
        section: _Section = self.goal or self.area
        if line.match["text"].strip():
            raise self.error(line, "text after 'Lösungen:'", "put each measure on its own line starting with '- '")
        if section.solutions_seen:
            raise self.error(line, "a second 'Lösungen:' under the same heading", "only one is allowed")
        if section.pledges:
            raise self.error(line, "'Lösungen:' after the measures", "put it above the first measure")
        section.solutions_seen = True


def parse_programme(text: str, source: str = "<text>") -> ParsedProgramme:
    """Parse a programme text into areas, goals and pledges.

    ``source`` names the input in error messages (e.g. the file name). Raises
    :class:`ProgrammeParseError` for anything that cannot be placed; nothing is guessed.
    """
    return _Parser(_lines(text, source), source).parse()


# --------------------------------------------------------------------------- helpers


_LONG_TITLE_PREFIX = "Konkrete Ziele"
_ABOUT_PREFIX = "Konkrete Ziele in Bezug auf "
_TITLE_DASHES = (" – ", " — ", " - ")


def short_area_title(title: str) -> str:
    """Shorten an area title for charts.

    "Konkrete Ziele in Bezug auf Bildung – Unsere kommunalen Ziele und Lösungsvorschläge" becomes
    "Bildung"; titles that do not start with "Konkrete Ziele" are returned trimmed but unchanged (cut to
    ``MAX_SHORT_TITLE`` characters).
    """
    short = title.strip()
    if short.startswith(_LONG_TITLE_PREFIX):
        for dash in _TITLE_DASHES:
            short = short.partition(dash)[0]
        short = short.removeprefix(_ABOUT_PREFIX).strip() or title.strip()
    return short if len(short) <= MAX_SHORT_TITLE else short[: MAX_SHORT_TITLE - 1].rstrip() + "…"


# --------------------------------------------------------------------------- deadlines

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jan"),
            ("februar", "feb"),
            ("märz", "mär", "maerz"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("dezember", "dez"),
        ),
        start=1,
    )
    for name in names
}
# "bis 2030", "bis Ende 2027", "bis spätestens 2028", "bis Mitte 2028", "bis zum Jahr 2030", "bis Ende des Jahres
# 2027", "bis März 2027", "bis Ende März 2027", "bis zum 30.06.2027", "bis 31.12.2028"
_DEADLINE_RE = re.compile(
    r"\bbis\s+(?:spätestens\s+)?(?:zum\s+|zur\s+)?"
    r"(?:(?P<day>[0-9]{1,2})\.(?P<month>[0-9]{1,2})\.(?P<dyear>20[0-9]{2})"
    r"|(?:(?P<part>ende|mitte|anfang)\s+(?:des\s+jahres\s+)?)?(?:jahr\s+)?"
    r"(?:(?P<month_name>[a-zä]+)\.?\s+)?(?P<year>20[0-9]{2}))\b",
    re.I,
)


def deadline_in(text: str) -> dt.date | None:
    """The deadline a measure's text names, or None: "bis 2030" and "bis Ende 2030" are the last day of 2030,
    "bis Mitte 2028" the 30 June, "bis Anfang 2028" the 31 March, "bis (Ende) März 2027" the last day of that
    month, "bis zum 30.06.2027" that day. Years outside 2000-2099 and impossible dates name none."""
    found = _DEADLINE_RE.search(text)
    if found is None:
        return None
    try:
        if found["day"]:
            return dt.date(int(found["dyear"]), int(found["month"]), int(found["day"]))
        year = int(found["year"])
        if found["month_name"]:
            month = _MONTHS.get(found["month_name"].casefold())
            if month is None:  # "bis Ende kommenden 2030": a word that is no month names no deadline
                return None
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        part = (found["part"] or "ende").casefold()
        return {"ende": dt.date(year, 12, 31), "mitte": dt.date(year, 6, 30), "anfang": dt.date(year, 3, 31)}[part]
    except ValueError:  # 31.02.2027
        return None
