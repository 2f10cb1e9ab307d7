"""Tests for tracker.programme: the real HAK Herne 2025 text, its variants, errors, and random programmes."""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.programme import (
    ParsedProgramme,
    ProgrammeParseError,
    decode_programme,
    parse_programme,
    parse_programme_bytes,
    short_area_title,
)

REAL_FILE = Path(__file__).resolve().parent.parent / "data" / "programmes" / "hak-herne-2025.txt"

# Counted by hand from the file: bullet lines per area, goal headings per area.
PLEDGES_PER_AREA = {
    1: 4, 2: 4, 3: 4, 4: 4, 5: 4, 6: 3, 7: 4, 8: 62, 9: 37,
    10: 28, 11: 16, 12: 9, 13: 20, 14: 29, 15: 5, 16: 20, 17: 9,
}  # fmt: skip
GOALS_PER_AREA = {8: 20, 9: 10, 10: 7, 11: 4, 12: 3, 13: 6, 14: 8, 15: 2, 16: 5, 17: 3}


@pytest.fixture(scope="module")
def raw() -> bytes:
    return REAL_FILE.read_bytes()


@pytest.fixture(scope="module")
def programme(raw: bytes) -> ParsedProgramme:
    return parse_programme_bytes(raw, REAL_FILE.name)


def goal(programme: ParsedProgramme, code: str):
    return next(g for a in programme.areas for g in a.goals if g.code == code)


def pledge(programme: ParsedProgramme, code: str):
    return next(p for p in programme.pledges() if p.code == code)


# --------------------------------------------------------------------------- the real file


def test_real_file_title_and_preamble(programme: ParsedProgramme) -> None:
    assert programme.title == "Unsere Ziele für Herne"
    assert len(programme.preamble) == 3
    assert programme.preamble[0] == "Wahlprogramm des HAK"
    assert programme.preamble[1].startswith("Die hier formulierten Ziele geben einen Überblick")
    assert programme.preamble[2] == "Wahlprogramm - Unsere kommunalen Ziele und Lösungsvorschläge"


def test_real_file_figures(programme: ParsedProgramme) -> None:
    assert [a.number for a in programme.areas] == list(range(1, 18))
    assert len(programme.pledges()) == 262
    assert {a.number: len(a.all_pledges()) for a in programme.areas} == PLEDGES_PER_AREA
    assert {a.number: len(a.goals) for a in programme.areas if a.goals} == GOALS_PER_AREA
    assert sum(len(a.goals) for a in programme.areas) == 68
    direct = {a.number: len(a.pledges) for a in programme.areas if a.pledges}
    assert direct == {1: 4, 2: 4, 3: 4, 4: 4, 5: 4, 6: 3, 7: 4}
    assert all(not a.goals for a in programme.areas[:7])
    assert all(not a.pledges for a in programme.areas[7:])


def test_real_file_pledges_are_the_bullet_lines_verbatim(raw: bytes, programme: ParsedProgramme) -> None:
    lines = raw.decode("utf-8").split("\n")
    expected = [(no, line[2:].strip()) for no, line in enumerate(lines, start=1) if line.startswith("- ")]
    assert len(expected) == 262
    assert [(p.line_no, p.text) for p in programme.pledges()] == expected


def test_real_file_codes(programme: ParsedProgramme) -> None:
    codes = [p.code for p in programme.pledges()]
    assert len(set(codes)) == len(codes)
    goal_codes = [g.code for a in programme.areas for g in a.goals]
    assert len(set(goal_codes)) == len(goal_codes)
    for area in programme.areas:
        assert [p.code for p in area.pledges] == [f"{area.number}-{k}" for k in range(1, len(area.pledges) + 1)]
        for g in area.goals:
            assert [(p.code, p.position) for p in g.pledges] == [
                (f"{g.code}-{k}", k) for k in range(1, len(g.pledges) + 1)
            ]


def test_real_file_spot_checks(programme: ParsedProgramme) -> None:
    first = pledge(programme, "1-1")
    assert (first.text, first.position, first.line_no) == ("Zweckentfremdung von Wohnraum eindämmen.", 1, 9)
    assert pledge(programme, "8.2-4").text == (
        "Schüler und Schülerinnen mit Leihgeräten ausstatten, vor allem sozial benachteiligte Haushalte"
    )
    assert pledge(programme, "14.4-2").text == (
        "Günstiger Nahverkehr – z. B. Sozialtickets oder kommunal subventionierte ÖPNV-Modelle."
    )
    assert pledge(programme, "15.1-2").text == "CO₂-neutrale Verwaltung bis 2030 anstreben."
    assert pledge(programme, "9.3-2").text == "Entwicklung eines „Willkommensleitfadens“ für Ämter & Einrichtungen."
    assert pledge(programme, "17.3-3").line_no == 471  # the last line, without a final newline


def test_real_file_duplicate_goal_number(programme: ParsedProgramme) -> None:
    area = programme.areas[12]
    assert [g.code for g in area.goals] == ["13.1", "13.2", "13.3", "13.4", "13.5", "13.5b"]
    inclusive, homeless = goal(programme, "13.5"), goal(programme, "13.5b")
    assert inclusive.number == homeless.number == "13.5"
    assert inclusive.title == "Inklusives Wohnen ermöglichen"
    assert homeless.title == "Obdachlosigkeit wirksam bekämpfen"
    assert (inclusive.line_no, homeless.line_no) == (347, 351)
    assert pledge(programme, "13.5-2").text == (
        "Wohnprojekte für generationsübergreifendes Wohnen und Pflege-WGs unterstützen."
    )
    assert pledge(programme, "13.5b-1").text == (
        "Housing-First-Projekte fördern (Wohnung vor Beratung – nicht umgekehrt)."
    )
    assert [p.code for p in homeless.pledges] == ["13.5b-1", "13.5b-2", "13.5b-3"]


def test_real_file_area_headings(programme: ParsedProgramme) -> None:
    by_number = {a.number: a for a in programme.areas}
    assert by_number[1].title == "Wohnen & Stadtentwicklung"
    assert by_number[1].line_no == 5
    assert by_number[14].title == "Konkrete Ziele in Bezug auf Umwelt & Herner Stadtbild"  # printed "14 Konkrete"
    assert by_number[14].line_no == 356
    assert by_number[16].title == "Konkrete Ziele in Bezug auf Freizeit & Gesundheit"
    assert by_number[17].title == "Freizeit & Gesundheit – Ergänzende Ziele & Lösungen"
    assert by_number[8].title == ("Konkrete Ziele in Bezug auf Bildung – Unsere kommunalen Ziele und Lösungsvorschläge")


def test_real_file_why_important_and_focus(programme: ParsedProgramme) -> None:
    by_number = {a.number: a for a in programme.areas}
    assert by_number[1].why_important == "Mieten, Wohnraumvergabe und Lebensqualität betreffen fast jeden."
    assert by_number[1].focus == "Bezahlbares, lebenswertes und vielfältiges Wohnen für alle."
    # Area 3 prints both on one line, without a space after "Schwerpunkt:".
    assert by_number[3].why_important == "Die Menschen werden älter, Versorgungslücken nehmen zu."
    assert by_number[3].focus == "Gesundheit und Pflege nah am Menschen – bezahlbar, erreichbar."
    assert by_number[7].focus == "Beteiligung,Bildung, Freizeit – für eine selbstbewusste Jugend."
    assert all(a.why_important and a.focus for a in programme.areas[:7])
    assert all(a.why_important is None and a.focus is None for a in programme.areas[7:])


def test_real_file_goals(programme: ParsedProgramme) -> None:
    empowerment = goal(programme, "9.8")
    assert empowerment.title == "Empowerment-Programme für Jugendliche & junge Erwachsene"
    assert empowerment.objective == "Teilhabe fördern, Perspektiven schaffen."
    assert goal(programme, "9.1").objective == (
        "Informationen und Formulare in mehreren Sprachen und in einfacher Sprache bereitstellen."
    )
    assert goal(programme, "8.2").title == "Digitale Ausstattung an Schulen verbessern"
    assert goal(programme, "8.2").objective is None
    assert [p.text for p in goal(programme, "8.5").pledges] == [  # no "Lösungen:" line
        "Flächen im Bestand prüfen und temporäre Kita-Lösungen (Container, Mobile Units) fördern",
        "Kooperation mit freien Trägern stärken & Zuschüsse erhöhen",
        "Verwaltungsprozesse für Baugenehmigungen beschleunigen",
    ]
    assert goal(programme, "9.10").number == "9.10"


def test_real_file_groups(programme: ParsedProgramme) -> None:
    assert goal(programme, "8.1").group == "Frühkindliche Bildung & Schule"
    assert goal(programme, "8.8").group == "Frühkindliche Bildung & Schule"
    assert goal(programme, "8.9").group == "Mehrsprachige Bildung stärken"
    assert goal(programme, "8.12").group == "Elternarbeit & kulturelle Vielfalt"
    assert goal(programme, "8.17").group == "Psychosoziale Unterstützung"
    assert goal(programme, "8.19").group == "Nachhaltigkeit & gesunde Entwicklung"
    assert goal(programme, "8.20").group == "Nachhaltigkeit & gesunde Entwicklung"
    assert goal(programme, "9.1").group is None
    assert goal(programme, "11.1").group == "Digitalisierung Aufbauen und Fördern"
    assert goal(programme, "11.4").group == "Digitalisierung Aufbauen und Fördern"
    assert goal(programme, "12.1").group is None


# --------------------------------------------------------------------------- variants of the real file


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b.replace(b"\n", b"\r"), id="cr"),
        pytest.param(lambda b: b.replace(b"\n", b" \t \n") + b"  ", id="trailing-spaces"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"  \r\n"), id="bom-crlf-spaces"),
    ],
)
def test_real_file_variants_parse_identically(raw: bytes, programme: ParsedProgramme, variant) -> None:
    assert parse_programme_bytes(variant(raw), REAL_FILE.name) == programme


def test_text_and_bytes_entry_points_agree(raw: bytes, programme: ParsedProgramme) -> None:
    assert parse_programme(raw.decode("utf-8"), REAL_FILE.name) == programme
    assert parse_programme("\ufeff" + raw.decode("utf-8")) == programme
    assert decode_programme(b"\xef\xbb\xbf" + raw) == raw.decode("utf-8")


def test_blank_lines_are_ignored_but_line_numbers_kept(raw: bytes, programme: ParsedProgramme) -> None:
    spaced = parse_programme_bytes(b"\n \n" + raw.replace(b"\n", b"\n\t\n"))
    assert [p.text for p in spaced.pledges()] == [p.text for p in programme.pledges()]
    assert [p.line_no for p in spaced.pledges()] == [2 + 2 * p.line_no - 1 for p in programme.pledges()]


@pytest.mark.parametrize("line_no", [1, 2, 9, 206, 471])
def test_invalid_utf8_names_the_line(raw: bytes, line_no: int) -> None:
    lines = raw.split(b"\n")
    original = lines[line_no - 1].decode("utf-8")
    lines[line_no - 1] = lines[line_no - 1][:5] + b"\xff" + lines[line_no - 1][5:]
    with pytest.raises(ProgrammeParseError) as caught:
        parse_programme_bytes(b"\r\n".join(lines), "hak.txt")
    error = caught.value
    assert error.line_no == line_no
    assert error.source == "hak.txt"
    assert error.line == original[:5] + "\ufffd" + original[5:]
    assert str(error).startswith(f"hak.txt, line {line_no}: ")
    assert "UTF-8" in str(error)
    assert original[:5] in str(error)


def test_invalid_utf8_on_the_first_line_after_a_bom() -> None:
    with pytest.raises(ProgrammeParseError) as caught:
        decode_programme(b"\xef\xbb\xbfTitel \xe4\n1. Area\n- x\n")
    assert (caught.value.line_no, caught.value.line) == (1, "Titel \ufffd")


def test_latin1_file_is_refused_with_the_line(raw: bytes) -> None:
    latin1 = raw.decode("utf-8").encode("latin-1", errors="replace")
    with pytest.raises(ProgrammeParseError) as caught:
        parse_programme_bytes(latin1, "hak.txt")
    assert caught.value.line_no == 1  # "für" in the title
    assert "must be saved as UTF-8" in str(caught.value)


def test_utf16_file_is_refused(raw: bytes) -> None:
    with pytest.raises(ProgrammeParseError, match="UTF-16"):
        parse_programme_bytes(raw.decode("utf-8").encode("utf-16"), "hak.txt")


def test_unplaceable_line_between_bullets(raw: bytes) -> None:
    lines = raw.decode("utf-8").split("\n")
    sentence = "Das ist einfach ein Satz ohne Aufzählungszeichen."
    lines.insert(9, sentence)  # between "- Zweckentfremdung ..." (line 9) and "- Leerstände ..." (now 11)
    with pytest.raises(ProgrammeParseError) as caught:
        parse_programme("\n".join(lines), "hak.txt")
    error = caught.value
    assert (error.line_no, error.line, error.source) == (10, sentence, "hak.txt")
    assert str(error) == (
        f"hak.txt, line 10: cannot place this line: {sentence!r} (expected an area heading like '3. Title', "
        "a goal heading like '3.1 Title', 'Warum wichtig:', 'Schwerpunkt:', 'Ziel:', 'Lösungen:', "
        "a group heading directly above a goal, or a bullet line starting with '- ')"
    )


def test_unplaceable_line_at_the_end(raw: bytes) -> None:
    with pytest.raises(ProgrammeParseError) as caught:
        parse_programme_bytes(raw + b"\nStand: Juli 2025\n", "hak.txt")
    assert (caught.value.line_no, caught.value.line) == (472, "Stand: Juli 2025")


def test_error_pickles_with_its_attributes() -> None:
    error = ProgrammeParseError("cannot place this line: 'x'", 3, "x", "a.txt")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.reason, copy.line_no, copy.line, copy.source, str(copy)) == (
        error.reason, 3, "x", "a.txt", "a.txt, line 3: cannot place this line: 'x'",
    )  # fmt: skip


# --------------------------------------------------------------------------- small texts: rules and errors


def parse_error(text: str) -> ProgrammeParseError:
    with pytest.raises(ProgrammeParseError) as caught:
        parse_programme(text, "t.txt")
    return caught.value


def test_minimal_programme() -> None:
    parsed = parse_programme("Titel\n1. Area\n- one\n")
    assert parsed.title == "Titel"
    assert parsed.preamble == ()
    [area] = parsed.areas
    assert (area.number, area.title, area.why_important, area.focus, area.line_no) == (1, "Area", None, None, 2)
    assert [(p.code, p.text, p.line_no) for p in area.pledges] == [("1-1", "one", 3)]


def test_other_bullet_markers_and_inner_whitespace_kept() -> None:
    text = "T\n1. A\n-\tTab  marker\n• Dot\n* Star\n– Dash – with  dash\n  - indented \n"
    assert [p.text for p in parse_programme(text).pledges()] == [
        "Tab  marker",
        "Dot",
        "Star",
        "Dash – with  dash",
        "indented",
    ]


def test_area_bullets_then_goals() -> None:
    text = (
        "T\n"
        "3 Area three\nWarum wichtig: W.\nSchwerpunkt: F.\nLösungen:\n- a\n- b\n"
        "Gruppe\n3.1 G1\nZiel: O.\nLösungen:\n- c\n3.2. G2 Ziel : inline\n- d\n"
        "Andere Gruppe\n\n3.10 G3\n- e\n"
    )
    [area] = parse_programme(text).areas
    assert (area.number, area.why_important, area.focus) == (3, "W.", "F.")
    assert [p.code for p in area.pledges] == ["3-1", "3-2"]
    assert [(g.code, g.title, g.objective, g.group) for g in area.goals] == [
        ("3.1", "G1", "O.", "Gruppe"),
        ("3.2", "G2", "inline", "Gruppe"),
        ("3.10", "G3", None, "Andere Gruppe"),
    ]
    assert [p.code for p in parse_programme(text).pledges()] == ["3-1", "3-2", "3.1-1", "3.2-1", "3.10-1"]


def test_group_does_not_carry_into_the_next_area() -> None:
    text = "T\n1. A\nGruppe\n1.1 G\n- a\n2. B\n2.1 H\n- b\n"
    parsed = parse_programme(text)
    assert [g.group for a in parsed.areas for g in a.goals] == ["Gruppe", None]


def test_third_duplicate_goal_number_gets_c() -> None:
    text = "T\n1. A\n1.1 X\n- a\n1.1 Y\n- b\n1.2 Z\n1.1 W\n- c\n"
    [area] = parse_programme(text).areas
    assert [(g.code, g.number) for g in area.goals] == [
        ("1.1", "1.1"),
        ("1.1b", "1.1"),
        ("1.2", "1.2"),
        ("1.1c", "1.1"),
    ]
    assert [p.code for p in area.all_pledges()] == ["1.1-1", "1.1b-1", "1.1c-1"]


def test_keyword_only_lines_in_the_preamble_are_preamble() -> None:
    parsed = parse_programme("T\nZiel: ein besseres Herne\n\n1. A\n- a\n")
    assert parsed.preamble == ("Ziel: ein besseres Herne",)


@pytest.mark.parametrize(
    ("text", "line_no", "fragment"),
    [
        ("T\n1. A\n- a\n1. B\n- b\n", 4, "area number 1 is not greater than the previous area's number 1"),
        ("T\n2. A\n- a\n1 B\n- b\n", 4, "area number 1 is not greater"),
        ("T\n1. A\n2.1 G\n- a\n", 3, "goal 2.1 does not belong to area 1"),
        ("T\nintro\n- a\n1. A\n", 3, "measure before the first area heading"),
        ("T\n1.1 G\n1. A\n", 2, "goal before the first area heading"),
        ("1. A\n- a\n", 1, "the first line must be the programme's title"),
        ("T\n1. A\nWarum wichtig: a\nWarum wichtig: b\n", 4, "a second 'Warum wichtig:' in area 1"),
        ("T\n1. A\nWarum wichtig: a Schwerpunkt: b\nSchwerpunkt: c\n", 4, "a second 'Schwerpunkt:'"),
        ("T\n1. A\nWarum wichtig: a Schwerpunkt:\n", 3, "without text"),
        ("T\n1. A\nWarum wichtig:\n", 3, "'Warum wichtig:' without text"),
        ("T\n1. A\nLösungen:\nLösungen:\n", 4, "a second 'Lösungen:'"),
        ("T\n1. A\nLösungen: - a\n", 3, "text after 'Lösungen:'"),
        ("T\n1. A\n- a\nLösungen:\n", 4, "'Lösungen:' after the measures"),
        ("T\n1. A\n- a\nSchwerpunkt: b\n", 4, "'Schwerpunkt:' after 'Lösungen:' or the measures"),
        ("T\n1. A\nZiel: a\n", 3, "'Ziel:' in the wrong place"),
        ("T\n1. A\n1.1 G\nWarum wichtig: a\n", 4, "'Warum wichtig:' in the wrong place"),
        ("T\n1. A\n1.1 G\nZiel: a\nZiel: b\n", 5, "a second 'Ziel:' for goal 1.1"),
        ("T\n1. A\n1.1 G Ziel: a\nZiel: b\n", 4, "a second 'Ziel:' for goal 1.1"),
        ("T\n1. A\n1.1 G Ziel:\n", 3, "'Ziel:' without text"),
        ("T\n1. A\n1.1 G\n- a\nZiel: b\n", 5, "'Ziel:' after 'Lösungen:' or the measures"),
        ("T\n1. A\n-\n", 3, "bullet line without text"),
        ("T\n1. A\n- a\nGruppe ohne Ziel\n2. B\n", 4, "cannot place this line"),
        ("T\n1. A\n- a\nam Ende\n", 4, "cannot place this line"),
    ],
)
def test_errors_name_the_line(text: str, line_no: int, fragment: str) -> None:
    error = parse_error(text)
    assert error.line_no == line_no
    assert error.line == text.split("\n")[line_no - 1].strip()
    assert fragment in error.reason
    assert str(error).startswith(f"t.txt, line {line_no}: ")
    assert repr(error.line) in str(error)


@pytest.mark.parametrize("text", ["", "\n \n\t\n", "\ufeff"])
def test_empty_programme_is_an_error(text: str) -> None:
    error = parse_error(text)
    assert error.line_no is None
    assert str(error) == "t.txt: the programme text is empty"


def test_programme_without_areas_is_an_error() -> None:
    error = parse_error("Titel\nNur Einleitung\n")
    assert str(error) == "t.txt: the programme has no area heading (expected a line like '1. Title')"


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("Konkrete Ziele in Bezug auf Soziales, Kinder, Jugend & Familie", "Soziales, Kinder, Jugend & Familie"),
        ("Konkrete Ziele in Bezug auf Bildung – Unsere kommunalen Ziele und Lösungsvorschläge", "Bildung"),
        ("Konkrete Ziele in Bezug auf Umwelt & Herner Stadtbild", "Umwelt & Herner Stadtbild"),
        ("Konkrete Ziele – Verkehr", "Konkrete Ziele"),
        ("Konkrete Ziele in Bezug auf ", "Konkrete Ziele in Bezug auf"),
        ("Jugend stärken – Zukunft sichern", "Jugend stärken – Zukunft sichern"),
        ("Freizeit & Gesundheit – Ergänzende Ziele & Lösungen", "Freizeit & Gesundheit – Ergänzende Ziele & Lösungen"),
        (" Wohnen & Stadtentwicklung ", "Wohnen & Stadtentwicklung"),
    ],
)
def test_short_area_title(title: str, short: str) -> None:
    assert short_area_title(title) == short


def test_short_titles_of_the_real_file(programme: ParsedProgramme) -> None:
    shorts = [short_area_title(a.title) for a in programme.areas]
    assert shorts[7:11] == [
        "Bildung",
        "Gleichberechtigte Teilhabe",
        "Soziales, Kinder, Jugend & Familie",
        "Digitalisierung",
    ]
    assert all(not s.startswith("Konkrete Ziele") for s in shorts)
    assert len(set(shorts)) == len(shorts)


# --------------------------------------------------------------------------- random programmes (hypothesis)

LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ"
TEXT_ALPHABET = LETTERS + "0123456789" + " .,;:!?()&/–-„“\"'%+₂€" + "  "
BULLET_MARKERS = ("- ", "-\t", "• ", "* ", "– ")
KEYWORD_COLON = re.compile(r"(warum wichtig|schwerpunkt|ziel|lösungen)\s*:", re.I)


def no_keyword(text: str) -> bool:
    return KEYWORD_COLON.search(text) is None


# A measure: realistic text, non-empty after trimming, never starting with a bullet marker character.
bullet_texts = st.text(TEXT_ALPHABET, min_size=1, max_size=60).map(str.strip).filter(lambda s: s and s[0] not in "-•*–")
# Free text after a keyword or a number; keyword-free so that nothing could be split in two.
free_texts = st.text(TEXT_ALPHABET, min_size=1, max_size=40).map(str.strip).filter(lambda s: s and no_keyword(s))
# Lines that must be plain text (title, preamble, group headings): start with a letter.
plain_lines = st.builds(lambda first, rest: (first + rest).strip(), st.sampled_from(LETTERS), free_texts).filter(
    no_keyword
)


@dataclass
class GenGoal:
    number: int
    title: str
    objective: str | None
    inline_objective: bool
    solutions: bool
    group: str | None  # a group heading printed above this goal
    bullets: list[str]


@dataclass
class GenArea:
    number: int
    dot: bool
    title: str
    why: str | None
    focus: str | None
    focus_inline: bool
    solutions: bool
    bullets: list[str]
    goals: list[GenGoal]


@dataclass
class GenProgramme:
    title: str
    preamble: list[str]
    areas: list[GenArea]


@st.composite
def gen_goals(draw) -> list[GenGoal]:
    goals: list[GenGoal] = []
    for _ in range(draw(st.integers(0, 4))):
        if goals and draw(st.integers(0, 5)) == 0:  # occasionally print a goal number again
            number = draw(st.sampled_from([g.number for g in goals]))
        else:
            number = max((g.number for g in goals), default=0) + 1
        goals.append(
            GenGoal(
                number=number,
                title=draw(free_texts),
                objective=draw(st.none() | free_texts),
                inline_objective=draw(st.booleans()),
                solutions=draw(st.booleans()),
                group=draw(st.none() | plain_lines),
                bullets=draw(st.lists(bullet_texts, max_size=4)),
            )
        )
    return goals


@st.composite
def gen_programmes(draw) -> GenProgramme:
    areas: list[GenArea] = []
    number = 0
    for _ in range(draw(st.integers(1, 4))):
        number += draw(st.integers(1, 3))
        why = draw(st.none() | free_texts)
        areas.append(
            GenArea(
                number=number,
                dot=draw(st.booleans()),
                title=draw(free_texts),
                why=why,
                focus=draw(st.none() | free_texts),
                focus_inline=why is not None and draw(st.booleans()),
                solutions=draw(st.booleans()),
                bullets=draw(st.lists(bullet_texts, max_size=4)),
                goals=draw(gen_goals()),
            )
        )
    return GenProgramme(draw(plain_lines), draw(st.lists(plain_lines, max_size=3)), areas)


def render(programme: GenProgramme) -> tuple[list[str], list[tuple[int, str]]]:
    """The programme's lines (without layout noise) and (line index, text) of every bullet."""
    lines = [programme.title, *programme.preamble]
    bullets: list[tuple[int, str]] = []

    def add_bullets(texts: list[str], salt: int) -> None:
        for k, text in enumerate(texts):
            bullets.append((len(lines), text))
            lines.append(BULLET_MARKERS[(salt + k) % len(BULLET_MARKERS)] + text)

    for area in programme.areas:
        lines.append(f"{area.number}{'.' if area.dot else ''} {area.title}")
        if area.why is not None and area.focus is not None and area.focus_inline:
            separator = " Schwerpunkt:" if area.number % 2 else " Schwerpunkt: "
            lines.append(f"Warum wichtig: {area.why}{separator}{area.focus}")
        else:
            if area.why is not None:
                lines.append(f"Warum wichtig: {area.why}")
            if area.focus is not None:
                lines.append(f"Schwerpunkt: {area.focus}")
        if area.solutions:
            lines.append("Lösungen:")
        add_bullets(area.bullets, area.number)
        for goal in area.goals:
            if goal.group is not None:
                lines.append(goal.group)
            heading = f"{area.number}.{goal.number} {goal.title}"
            if goal.objective is not None and goal.inline_objective:
                lines.append(f"{heading} Ziel: {goal.objective}")
            else:
                lines.append(heading)
                if goal.objective is not None:
                    lines.append(f"Ziel: {goal.objective}")
            if goal.solutions:
                lines.append("Lösungen:")
            add_bullets(goal.bullets, goal.number)
    return lines, bullets


@st.composite
def layouts(draw, lines: list[str]) -> tuple[str, list[int]]:
    """Lay the lines out with random blank lines and trailing blanks; return the text and each line's number."""
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    trailing = st.sampled_from(["", "", " ", "\t", "  \t "])
    out: list[str] = [""] * draw(st.integers(0, 2))
    numbers: list[int] = []
    for line in lines:
        if draw(st.integers(0, 3)) == 0:  # now and then some blank (or whitespace-only) lines
            out.extend(draw(trailing) for _ in range(draw(st.integers(1, 2))))
        numbers.append(len(out) + 1)
        out.append(line + draw(trailing))
    text = newline.join(out) + draw(st.sampled_from(["", newline, newline * 2]))
    return ("\ufeff" if draw(st.booleans()) else "") + text, numbers


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_programmes_round_trip(data: st.DataObject) -> None:
    generated = data.draw(gen_programmes(), label="programme")
    lines, bullets = render(generated)
    text, numbers = data.draw(layouts(lines), label="layout")
    if data.draw(st.booleans(), label="as bytes"):
        parsed = parse_programme_bytes(text.encode("utf-8"), "gen.txt")
    else:
        parsed = parse_programme(text, "gen.txt")

    pledges = parsed.pledges()
    assert [(p.line_no, p.text) for p in pledges] == [(numbers[i], t) for i, t in bullets]
    assert len(pledges) == len(bullets)
    assert len({p.code for p in pledges}) == len(pledges)

    assert parsed.title == generated.title
    assert parsed.preamble == tuple(generated.preamble)
    assert [a.number for a in parsed.areas] == [a.number for a in generated.areas]
    for got, want in zip(parsed.areas, generated.areas, strict=True):
        assert (got.title, got.why_important, got.focus) == (want.title, want.why, want.focus)
        assert [p.text for p in got.pledges] == want.bullets
        assert [p.code for p in got.pledges] == [f"{want.number}-{k}" for k in range(1, len(want.bullets) + 1)]
        assert len(got.goals) == len(want.goals)
        assert len({g.code for g in got.goals}) == len(got.goals)
        group = None
        for parsed_goal, gen_goal in zip(got.goals, want.goals, strict=True):
            group = gen_goal.group if gen_goal.group is not None else group
            number = f"{want.number}.{gen_goal.number}"
            assert parsed_goal.number == number
            assert parsed_goal.code.removeprefix(number) in ("", *"bcde")
            assert (parsed_goal.title, parsed_goal.objective, parsed_goal.group) == (
                gen_goal.title,
                gen_goal.objective,
                group,
            )
            assert [p.text for p in parsed_goal.pledges] == gen_goal.bullets
            assert [(p.code, p.position) for p in parsed_goal.pledges] == [
                (f"{parsed_goal.code}-{k}", k) for k in range(1, len(gen_goal.bullets) + 1)
            ]
