"""The hostile-input corpus (tests/hostile.py) through every CLI command and every importer: each entry is sent to
each field; the answer is never a traceback. Either the command refuses (exit status not 0, a message that names
the field, nothing written) or the value is stored safely (by the rule for its field, so that the export can
be restored). Nothing unprintable reaches the terminal. The counts (sent / refused / stored) are printed at the
end of the run.

Commands run in this process (``run_cli``: the same code as the installed command); arguments that are not
UTF-8 are sent as the text Python makes of such argv bytes (test_cli_hardening runs the real thing). Files carry
the raw bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter, defaultdict

import openpyxl
import pytest
from argon2 import PasswordHasher
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select

from tests.helpers import ADMIN, EDITOR, add_account, run_cli, stored
from tests.hostile import DATES, INVALID_UTF8, TEXTS
from tracker import db, services
from tracker.models import AuditEvent, Evidence, Pledge, Programme, StatusChange, User
from tracker.services import InvalidInput, RowErrors, TrackerError
from tracker.services.programmes import ProgrammeMetadata
from tracker.textfiles import printable, unsafe_character

# Every entry as text; an entry of bytes as Python hands such bytes of the command line to the program.
CORPUS: list[tuple[str, str]] = [
    *TEXTS,
    *DATES,
    *((label, raw.decode("utf-8", "surrogateescape")) for label, raw in INVALID_UTF8),
]
RAW = dict(INVALID_UTF8)  # what a file carries for those entries: the bytes themselves

SLUG = "klein-2025"
PROGRAMME = "Kleines Programm\n1. Wohnen\n" + "".join(f"- Maßnahme {k}\n" for k in range(1, 61))
METADATA = {
    "slug": SLUG,
    "title": "Kleines Programm",
    "party": "HAK",
    "municipality": "Herne",
    "election_date": dt.date(2025, 9, 14),
    "term_start": dt.date(2025, 11, 1),
    "term_end": dt.date(2030, 10, 31),
}
TOML = (
    'slug = "{slug}"\ntitle = {title}\nparty = {party}\nmunicipality = "Herne"\nelection_date = 2025-09-14\n'
    "term_start = 2025-11-01\nterm_end = 2030-10-31\n"
)
URL = "https://www.herne.de/rat/2026-01-15"
DATE = "2026-01-15"
DATE_ = dt.date(2026, 1, 15)

TALLY: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (database, command and field) -> counts


@pytest.fixture(scope="module", autouse=True)
def print_counts(request):
    """Print how many entries were sent to each command and field, refused and stored (past pytest's capture)."""
    yield
    if not TALLY:
        return
    lines = []
    for database in sorted({database for database, _target in TALLY}):
        lines.append(f"\nhostile inputs on {database:<24} {'sent':>7} {'refused':>7} {'stored':>7}")
        counts = {target: counts for (where, target), counts in TALLY.items() if where == database}
        for target, count in [*sorted(counts.items()), ("all", sum(counts.values(), Counter()))]:
            lines.append(f"  {target:<40} {count['sent']:>7} {count['refused']:>7} {count['stored']:>7}")
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print("\n".join(lines))


@pytest.fixture
def small(engine) -> str:
    """A small programme (60 measures, one account "anna"): every run is quick."""
    services.import_programme(PROGRAMME.encode(), ProgrammeMetadata(**METADATA), "klein.txt", ADMIN)
    add_account("anna", "Anna Schmidt")
    return SLUG


def state() -> tuple[int, ...]:
    """What a refused command must leave as it was: the rows of every table a command writes (one query)."""
    models = (Programme, Pledge, StatusChange, Evidence, User, AuditEvent)
    return tuple(stored(select(*(select(func.count()).select_from(m).scalar_subquery() for m in models)))[0])


def tally(target: str, refused: bool) -> None:
    counts = TALLY[db.get_engine().dialect.name, target]
    counts["sent"] += 1
    counts["refused" if refused else "stored"] += 1


def sent(target: str, label: str, args: list[str], names: tuple[str, ...], input: str | bytes | None = None) -> bool:
    """Run ``tracker *args``; True when it stored, False when it refused naming the field (one of ``names``) and
    left every table as it was."""
    before = state()
    result = run_cli(*args, input=input)
    output = result.stdout + result.stderr
    assert printable(output) == output, f"{target} {label}: something unprintable reached the terminal"
    refused = result.exit_code != 0
    if refused:
        usage = result.stderr.startswith("Usage:") and (
            "Invalid value for" in result.stderr or "No such" in result.stderr
        )
        assert usage or any(name in result.stderr for name in names), f"{target} {label}: {result.stderr[:300]!r}"
        assert state() == before, f"{target} {label}: refused, but something was written"
    tally(target, refused)
    return not refused


def assert_stored_safely() -> None:
    """Every text in the database holds only what the rule for its field allows; every source is http(s)."""
    one_line = [
        (Programme.title, Programme.party, Programme.printed_title),
        (Pledge.code, Pledge.text),
        (StatusChange.author,),
        (Evidence.url, Evidence.title, Evidence.added_by),
        (User.name, User.display_name),
    ]
    for columns in one_line:
        for row in stored(select(*columns)):
            for value in row:
                assert unsafe_character(value) is None, repr(value[:80])
    for columns in [(StatusChange.rationale,), (Pledge.success_criterion,), (Programme.preamble,)]:
        for (text,) in stored(select(*columns)):
            assert text is None or unsafe_character(text, multiline=True) is None, repr(text[:80])
    for (url,) in stored(select(Evidence.url)):
        assert url.startswith(("http://", "https://")), url


# --------------------------------------------------------------------------- set-status, one field at a time

SET_STATUS_NAMES = {
    "CODE": ("CODE:", "No pledge with code", "No such option"),
    "STATUS": ("STATUS:", "status:", "No such option"),
    "--rationale": ("--rationale:", "rationale:"),
    "--as": ("--as:", "No account named"),
    "--source-url": ("--source-url:", "source 1 URL:"),
    "--source-title": ("--source-title:", "source 1 title:"),
    "--source-kind": ("--source-kind:", "source 1 kind:"),
    "--date": ("--date:", "date:"),
    "--programme": ("--programme:", "No programme"),
}


def test_set_status(small):
    for field, number, (label, value) in ((f, n, e) for f in SET_STATUS_NAMES for n, e in enumerate(CORPUS)):
        values = {
            "CODE": f"1-{number % 60 + 1}",  # changes of different measures: none repeats one on record
            "STATUS": "kept",
            "--rationale": f"Begründung {field} {number}",  # a new change each time, never one on record
            "--as": "anna",
            "--source-url": URL,
            "--source-title": "Ratsbeschluss",
            "--source-kind": "council",
            "--date": DATE,
            "--programme": SLUG,
            field: value,
        }
        args = ["set-status", values.pop("CODE"), values.pop("STATUS")]
        for option, option_value in values.items():
            args += [option, option_value]
        sent(f"set-status {field}", label, args, SET_STATUS_NAMES[field])
    assert_stored_safely()


# --------------------------------------------------------------------------- reading commands


READING = [
    ("show", "CODE", lambda v: ["show", v], ("CODE:", "No pledge with code", "No such option")),
    ("show", "--programme", lambda v: ["show", "1-1", "--programme", v], ("--programme:", "No programme")),
    ("stats", "--as-of", lambda v: ["stats", "--as-of", v], ("--as-of:",)),
    ("stats", "--programme", lambda v: ["stats", "--programme", v], ("--programme:", "No programme")),
    ("export", "--format", lambda v: ["export", "--format", v], ("--format:", "unknown format")),
    ("export", "--programme", lambda v: ["export", "--programme", v], ("--programme:", "No programme")),
    ("programmes", "", lambda v: ["programmes"], ()),
    ("settings", "", lambda v: ["settings"], ()),
]


def test_reading_commands(small):
    for command, field, args, names in READING:
        for label, value in CORPUS if field else [("none", "")]:
            sent(f"{command} {field}".strip(), label, args(value), names)


def test_export_output(small, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.chdir(folder)
    expected = services.export_json(SLUG)
    for label, value in CORPUS:
        if sent("export --output", label, ["export", "--output", value], ("--output:", "Error: cannot write")):
            assert (folder / value).read_text(encoding="utf-8") == expected  # whole, under the name given
    assert not [p.name for p in folder.rglob("*.part")]  # no temporary file left behind


def test_publish(engine, tmp_path):
    services.import_programme(b"Klein\n1. Wohnen\n- Leerstand vermitteln\n", ProgrammeMetadata(**METADATA), "k", ADMIN)
    out = tmp_path / "edition"
    url_names = ("Error: --base-url:", "Error: --app-url:")
    for label, value in CORPUS:
        for option in ("--base-url", "--app-url"):
            sent(f"publish {option}", label, ["publish", str(out), option, value], url_names)
        sent("publish --programme", label, ["publish", str(out), "--programme", value], ("No programme", "--prog"))
        # the folder is made before the programme is looked up: every name is tried, without publishing each time
        outdir = ["publish", str(tmp_path / "folders" / value), "--programme", "nope"]
        sent("publish OUTDIR", label, outdir, ("OUTDIR:", "No programme", "cannot write into"))


# --------------------------------------------------------------------------- accounts


def test_user_commands(engine, monkeypatch):
    from tracker.services import auth

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))  # quick hashes
    password = "ein langes passwort"
    services.add_user(ADMIN, "u0", password, "editor", "Erika Muster")
    for number, (label, value) in enumerate(CORPUS, start=1):
        sent(
            "user add NAME", label, ["user", "add", value, "--password-stdin"], ("NAME:", "name:", "No such"), password
        )
        sent(
            "user add --display-name",
            label,
            ["user", "add", f"u{number}", "--display-name", value, "--password-stdin"],
            ("--display-name:", "display name:"),
            password,
        )
        sent("user add --role", label, ["user", "add", f"r{number}", "--role", value, "--password-stdin"], ("role:",))
        sent("user set-name DISPLAY_NAME", label, ["user", "set-name", "u0", value], ("DISPLAY_NAME:", "display name:"))
        sent("user set-name NAME", label, ["user", "set-name", value, "Erika"], ("NAME:", "No account", "No such"))
        sent("user disable NAME", label, ["user", "disable", value], ("NAME:", "No account", "No such"))
        sent(
            "user set-password (stdin)",
            label,
            ["user", "set-password", "u0", "--password-stdin"],
            ("password:",),
            RAW[label] + b"\n" if label in RAW else value + "\n",
        )
    assert_stored_safely()


# --------------------------------------------------------------------------- programme import


MICRO = "Kleines Programm\n1. Wohnen\n- Leerstand vermitteln\n- Maßnahme 2\n"
PROGRAMME_FIELDS = {
    "title line": lambda v: MICRO.replace("Kleines Programm", v, 1),
    "area title": lambda v: MICRO.replace("1. Wohnen", f"1. {v}"),
    "measure": lambda v: MICRO.replace("- Leerstand vermitteln", f"- {v}"),
    "preamble line": lambda v: MICRO.replace("\n1. Wohnen", f"\nVorwort {v}\n1. Wohnen"),
}


def test_import_programme(engine, tmp_path):
    services.import_programme(MICRO.encode(), ProgrammeMetadata(**METADATA), "klein.txt", ADMIN)
    text, meta = tmp_path / "klein.txt", tmp_path / "klein.toml"
    names = ("klein.txt, line", "klein.toml", "Error: PATH:", "cannot be read")
    for label, value in CORPUS:
        for field, place in PROGRAMME_FIELDS.items():
            data = place(value).encode("utf-8", "surrogateescape")
            if label in RAW:
                data = place("\x00RAW\x00").encode().replace(b"\x00RAW\x00", RAW[label])
            text.write_bytes(data)
            meta.write_text(TOML.format(slug=SLUG, title='"Kleines Programm"', party='"HAK"'), encoding="utf-8")
            sent(f"import-programme {field}", label, ["import-programme", str(text)], names)
        for field in ("title", "party"):
            text.write_text(MICRO, encoding="utf-8")
            quoted = {"title": '"Kleines Programm"', "party": '"HAK"', field: json.dumps(value)}
            meta.write_text(TOML.format(slug=SLUG, **quoted), encoding="utf-8")
            sent(f"import-programme metadata {field}", label, ["import-programme", str(text)], names)
        sent("import-programme PATH", label, ["import-programme", value], names)
    assert_stored_safely()


# --------------------------------------------------------------------------- status import (CSV and Excel)

COLUMNS = services.STATUS_CSV_COLUMNS  # code, status, date, rationale, source_url, source_title, source_kind


def status_rows(column: str, entries: list[tuple[str, str]]) -> list[list[str]]:
    """One row per entry, the entry in ``column``; each row a change of another measure."""
    rows = []
    for number, (_label, value) in enumerate(entries, start=1):
        row = {
            "code": f"1-{number}",
            "status": "kept",
            "date": DATE,
            "rationale": f"Begründung {column} {number}",  # never the same change twice
            "source_url": URL,
            "source_title": "Ratsbeschluss",
            "source_kind": "council",
        }
        row[column] = value
        rows.append([row[key] for key in COLUMNS])
    return rows


def csv_bytes(rows: list[list[str]], raw: bytes | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8", "surrogateescape")
    return data if raw is None else data.replace(b"\x00RAW\x00", raw)


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    """A workbook as Excel writes one: a control character a cell cannot hold as XML is escaped as _xHHHH_."""
    workbook = openpyxl.Workbook()
    workbook.active.append(list(COLUMNS))
    for row in rows:
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def first_lines(entries: list[tuple[str, str]], csv: bool) -> list[int]:
    """The line each entry's row starts on: a sheet's row number; in a CSV, line breaks in a cell count."""
    lines, line = [], 2
    for _label, value in entries:
        lines.append(line)
        line += 1 + (len(re.findall(r"\r\n|\r|\n", value)) if csv else 0)
    return lines


def import_sheet(target: str, entries: list[tuple[str, str]], column: str, make) -> None:
    """Preview the file ``make(entries)`` with one row per entry in ``column``: each row is refused naming its
    column (or the file), or planned; then a file of the planned rows is imported, and stored safely."""
    before = state()
    try:
        plan = services.preview_status_import(SLUG, make(entries), EDITOR, source=target)
    except (RowErrors, InvalidInput) as error:  # the whole file refused (not readable at all)
        assert (error.errors if isinstance(error, RowErrors) else [error]) and state() == before
        for _entry in entries:
            tally(target, refused=True)
        return
    refused = {error.line: error for error in plan.errors}
    lines = first_lines(entries, csv=target.startswith("import-statuses csv"))
    for line, (label, _value) in zip(lines, entries, strict=True):
        if line in refused:
            assert refused[line].field in (column, "file", "cells"), f"{target} {label}: {refused[line]}"
        tally(target, refused=line in refused)
    good = [entry for line, entry in zip(lines, entries, strict=True) if line not in refused]
    if good:
        try:
            services.import_statuses(SLUG, make(good), EDITOR, source=target)
        except TrackerError as error:
            pytest.fail(f"{target}: the rows the preview accepted were refused: {error}")


def test_import_statuses(small):
    for column in COLUMNS:
        import_sheet_columns(column)
    assert_stored_safely()


def import_sheet_columns(column: str) -> None:
    texts = [(label, value) for label, value in CORPUS if label not in RAW]
    import_sheet(f"import-statuses csv {column}", texts, column, lambda e: csv_bytes(status_rows(column, e)))
    import_sheet(f"import-statuses xlsx {column}", texts, column, lambda e: xlsx_bytes(status_rows(column, e)))
    for label, raw in RAW.items():  # bytes that are not UTF-8: the file is read as Windows-1252, or refused
        placeholder = [(label, "\x00RAW\x00")]
        import_sheet(
            f"import-statuses csv {column}", placeholder, column, lambda e, r=raw: csv_bytes(status_rows(column, e), r)
        )
        latin = [(label, raw.decode("latin-1"))]  # what a workbook holds instead: text
        import_sheet(f"import-statuses xlsx {column}", latin, column, lambda e: xlsx_bytes(status_rows(column, e)))


def test_import_statuses_path(small):
    for label, value in CORPUS:
        sent(
            "import-statuses PATH",
            label,
            ["import-statuses", value, "--as", "anna"],
            ("PATH:", "is not a file", "cannot read"),
        )
        sent("import-statuses --as", label, ["import-statuses", "/dev/null", "--as", value], ("--as:", "is not a file"))


# --------------------------------------------------------------------------- restore

RESTORE_FIELDS = {
    "programme title": lambda d, v: d["programme"].update(title=v),
    "area title": lambda d, v: d["areas"][0].update(title=v),
    "measure text": lambda d, v: d["pledges"][0].update(text=v),
    "success criterion": lambda d, v: d["pledges"][0].update(success_criterion=v),
    "rationale": lambda d, v: d["pledges"][0]["history"][0].update(rationale=v),
    "author": lambda d, v: d["pledges"][0]["history"][0].update(author=v),
    "effective date": lambda d, v: d["pledges"][0]["history"][0].update(effective_date=v),
    "source url": lambda d, v: d["pledges"][0]["history"][0]["sources"][0].update(url=v),
    "source title": lambda d, v: d["pledges"][0]["history"][0]["sources"][0].update(title=v),
    "source added_by": lambda d, v: d["pledges"][0]["history"][0]["sources"][0].update(added_by=v),
}


def test_restore(engine, tmp_path):
    add_account("anna", "Anna Schmidt")
    services.import_programme(b"Klein\n1. Wohnen\n- Leerstand vermitteln\n", ProgrammeMetadata(**METADATA), "k", ADMIN)
    source = services.SourceInput(URL, "Ratsbeschluss")
    services.record_status_change(SLUG, "1-1", services.StatusChangeInput("kept", "Weil", [source], DATE_), EDITOR)
    services.set_success_criterion(SLUG, "1-1", "Alle Leerstände vermittelt", EDITOR)
    export = services.export_programme(SLUG)
    path = tmp_path / "export.json"
    for number, (label, value) in enumerate(CORPUS):
        for field, put in RESTORE_FIELDS.items():
            data = json.loads(json.dumps(export))
            data["programme"]["slug"] = slug = f"wieder-{number}-{re.sub('[^a-z]', '', field)}"
            put(data, "\x00RAW\x00" if label in RAW else value)
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            raw = text.encode("utf-8")
            path.write_bytes(raw.replace(b"\\u0000RAW\\u0000", RAW[label]) if label in RAW else raw)
            before = state()
            try:
                services.restore_programme(services.load_export(path), ADMIN, source=path.name)
            except InvalidInput as error:
                assert str(error).startswith(str(path)) or str(error).startswith(path.name), str(error)[:200]
                assert state() == before
                tally(f"restore {field}", refused=True)
                continue
            tally(f"restore {field}", refused=False)
            assert services.export_json(slug) == text  # stored as the file has it: its export restores again
    for label, value in CORPUS:
        sent("restore PATH", label, ["restore", value], ("PATH:", "cannot be read", "not a UTF-8 JSON"))
    assert_stored_safely()
