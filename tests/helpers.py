"""What several test modules share: known actors and ratings, a valid change, direct looks at the stored rows.

The tests reach the database through ``tracker.services`` like the front ends do; ``stored`` and
``count`` read the tables directly, to check what a use case really wrote (or that it wrote nothing).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from tracker import db, services
from tracker.services import Actor

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
HERNE = ROOT / "data" / "programmes" / "hak-herne-2025.txt"
HERNE_SLUG = "hak-herne-2025"
# The operator at the terminal (an actor of channel "cli" that is no account): the services take its role as
# claimed, so these need no account. Signed-in accounts (channel "app") and ``--as`` actors are checked
# against their account at every write (``tracker.services.auth.require``).
EDITOR = Actor("anna", "editor", "cli")
ADMIN = Actor("admin", "admin", "cli")
TODAY = dt.date(2026, 11, 25)

KNOWN_STATUSES = [  # code, status, effective date: what the dashboard tests expect to see
    ("1-1", "kept", "2026-05-02"),
    ("1-2", "broken", "2026-03-10"),
    ("8.2-4", "in_progress", "2026-01-15"),
    ("8.1-1", "in_progress", "2025-12-05"),
    ("13.5b-1", "partially_kept", "2026-07-01"),
    ("14.6-1", "stalled", "2026-02-01"),
]


def add_account(name: str = "anna", display_name: str = "Anna Schmidt", role: str = "editor") -> Actor:
    """A staff account (for ``--as`` at the CLI, or to sign in), created by an admin; its actor at the CLI."""
    services.add_user(ADMIN, name, "ein langes passwort", role, display_name)
    return services.account_actor(name)


def tracker_command() -> list[str]:
    """The installed ``tracker`` console script (beside this interpreter first): what users run."""
    script = shutil.which("tracker", path=str(Path(sys.executable).parent)) or shutil.which("tracker")
    if not script:
        raise RuntimeError("the tracker console script is not installed; run make test (it installs the project)")
    return [script]


def make_change(
    status: str = "in_progress", date: str | None = "2026-01-15", **overrides
) -> services.StatusChangeInput:
    """A valid status change, with any field overridden."""
    values = {
        "status": status,
        "rationale": "Der Rat hat am 15.01.2026 die Finanzierung beschlossen.",
        "sources": [services.SourceInput("https://www.herne.de/rat/2026-01-15", "Ratsbeschluss", "council")],
        "effective_date": dt.date.fromisoformat(date) if date else None,
        "broken_reason": "no_majority" if status == "broken" else None,  # a broken rating names its reason
    }
    values.update(overrides)
    return services.StatusChangeInput(**values)


def rate_known_statuses(programme: str = HERNE_SLUG) -> None:
    for code, status, date in KNOWN_STATUSES:
        services.record_status_change(programme, code, make_change(status, date), EDITOR, today=TODAY)


def stored(statement) -> list:
    """The rows of a SELECT on the configured database, read directly (not through a use case)."""
    with db.session_factory(db.get_engine())() as session:
        return list(session.execute(statement).all())


def stored_scalars(statement) -> list:
    with db.session_factory(db.get_engine())() as session:
        return list(session.scalars(statement).all())


def count(model, *where) -> int:
    """How many rows of ``model`` (matching ``where``) the database holds."""
    return stored(select(func.count()).select_from(model).where(*where))[0][0]


def as_read(markdown: str) -> str:
    """A Markdown body or label as a reader sees it, for text the dashboard escaped (``dashboard.text.plain``):
    without the backslashes before punctuation and the invisible word joiners."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "").replace("  \n", "\n")


def open_app(page: str | None = None, **params: str):
    """The dashboard in Streamlit's AppTest with ``params`` in the URL, on ``page`` (e.g. "views/edit.py")."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    if page:
        app.run()  # AppTest knows the pages that st.navigation registers only after a first run
        app.switch_page(page)
    app.run()
    assert not app.exception, app.exception
    return app


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@functools.cache
def _tracker_command():
    import typer.main

    from tracker.cli import app

    return typer.main.get_command(app)  # built once: Typer takes ~15 ms to build it from the annotations


def run_cli(*args: str, input: str | bytes | None = None) -> CliResult:
    """Run a ``tracker`` command in this process on the configured database: the same code as the installed
    command but for decoding the real argv, in milliseconds. An exception other than the exit the command chose
    (a traceback a person would see) is raised, so the test fails."""
    from typer.testing import CliRunner

    with CliRunner().isolation(input=input) as (stdout, stderr, _both):
        try:
            _tracker_command().main(args=list(args), prog_name="tracker")
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return CliResult(code, stdout.getvalue().decode("utf-8"), stderr.getvalue().decode("utf-8"))


# The number of plural forms each language's catalogue carries: German, English and Turkish two (CLDR's
# "one" and "other"; Babel's own table gives Turkish only one), Arabic six (zero, one, two, few, many,
# other), Ukrainian three (one, few, many, as GNU gettext).
PLURAL_FORMS = {"de": 2, "en": 2, "tr": 2, "ar": 6, "uk": 3}


def catalogue_problems(path: Path, language: str, used: set, fields) -> list[str]:
    """What is wrong with the .po file at ``path`` for the messages ``used`` (a text, or a (singular, plural)
    pair): a message missing, untranslated, fuzzy or with an empty plural form; a plural count other than
    ``PLURAL_FORMS`` says; placeholders (``fields`` of a text) that differ from the message id's (a plural
    form may leave out the number, "one source", but the last form has them all); a message no longer used."""
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalogue = read_po(po, locale=language)
    problems = []
    if catalogue.num_plurals != PLURAL_FORMS[language]:
        problems.append(f"{catalogue.num_plurals} plural forms, not {PLURAL_FORMS[language]}")
    entries = {message.id: message for message in catalogue if message.id}
    for message_id in used:
        entry = entries.get(message_id)
        if entry is None or not entry.string:
            problems.append(f"untranslated: {message_id!r}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {message_id!r}")
        if isinstance(message_id, str):
            if fields(entry.string) != fields(message_id):
                problems.append(f"placeholders differ: {message_id!r} -> {entry.string!r}")
            continue
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if len(forms) != PLURAL_FORMS[language] or not all(forms):
            problems.append(f"plural forms missing: {message_id!r} -> {forms!r}")
        elif fields(forms[-1]) != fields(message_id[1]) or any(not fields(f) <= fields(message_id[1]) for f in forms):
            problems.append(f"placeholders differ: {message_id!r} -> {forms!r}")
    problems += [f"no longer used: {message_id!r}" for message_id in set(entries) - used]
    return problems
