"""The hostile-input corpus: what an attacker or bad luck hands to every importer, CLI command, staff form
and URL parameter (issue #11). Tests import the groups they need and count what they sent.

Each entry is (label, value): the label names the kind of input in a failure message and in the printed
counts; the value is the text (or bytes, for ``INVALID_UTF8``).
"""

from __future__ import annotations

# Markup that must never render: not as HTML, not as Markdown, not as a live link or a remote image.
MARKUP = [
    ("html", "<b>fett</b><i>kursiv</i>"),
    ("script", "<script>document.title='pwned'</script>"),
    ("img-onerror", "<img src=x onerror=\"document.title='pwned'\">"),
    ("markdown-link", "[Offizielle Stellungnahme: hier klicken](https://evil.example/phish)"),
    ("markdown-image", "![](http://attacker.example/px.png)"),
    ("streamlit-colour", ":red[Alle Versprechen gebrochen]"),
    ("markdown-heading", "# Rücktritt!"),
    ("autolink", "<https://evil.example/spende>"),
    ("bare-url", "https://evil.example/spende"),
    ("latex", "$\\frac{1}{0}$"),
]

# Link schemes that must never become a link, in mixed case and with spaces and control characters.
SCHEMES = [
    ("javascript", "javascript:alert(1)"),
    ("javascript-mixed-case", "JaVaScRiPt:alert(1)"),
    ("javascript-space", " javascript:alert(1)"),
    ("javascript-tab", "java\tscript:alert(1)"),
    ("data", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("vbscript", "VBScript:msgbox(1)"),
    ("markdown-javascript-link", "[klick](javascript:alert(1))"),
]

# What a spreadsheet program would run as a formula.
FORMULAS = [
    ("formula-equals", '=HYPERLINK("https://evil.example","klick")'),
    ("formula-plus", "+1+1"),
    ("formula-minus", "-1+1"),
    ("formula-at", "@SUM(A1)"),
    ("formula-tab", "\t=1+1"),
]

# Characters that break storage, terminals or reading order.
CONTROL = [
    ("nul", "vor\x00nach"),
    ("escape-osc", "\x1b]0;gekapert\x07Titel"),
    ("escape-csi", "\x1b[2J\x1b[31mrot"),
    ("bell-backspace", "a\x07\x08b"),
    ("rtl-override", "Kita\u202egnubesiE"),
    ("zero-width", "Ki\u200bta"),
    ("carriage-return", "Zeile\rüberschrieben"),
]

# Sizes: empty, blank, long and huge.
SIZES = [
    ("empty", ""),
    ("blank", "   \n\t "),
    ("long-word", "x" * 10_000),
    ("many-words", " ".join(["kita"] * 1_000)),
    ("one-megabyte", "a " * 500_000),
]

# Dates no programme term holds.
DATES = [
    ("ancient", "0001-01-01"),
    ("future", "9999-12-31"),
    ("february-31", "2026-02-31"),
    ("german-ancient", "01.01.0001"),
    ("not-a-date", "gestern"),
]

# Bytes that are not UTF-8 (a file, an argument).
INVALID_UTF8 = [
    ("lone-continuation", b"Ma\x80nahme"),
    ("truncated-sequence", b"Stra\xc3"),
    ("latin1-umlaut", "Maßnahme für Kitas".encode("latin-1")),
]

TEXTS = MARKUP + SCHEMES + FORMULAS + CONTROL + SIZES


def labels(entries: list[tuple[str, object]]) -> list[str]:
    """The labels of ``entries``, for ``pytest.mark.parametrize(ids=...)``."""
    return [label for label, _ in entries]
