"""The ``tracker`` command under bad luck and bad input: messages instead of tracebacks, nothing raw on the
terminal, exports that are never half written, and two imports of one programme at once."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import event, update

from tests.helpers import ADMIN, HERNE, HERNE_SLUG, ROOT, add_account, count, run_cli, tracker_command
from tracker import db, services
from tracker.models import Programme, StatusChange
from tracker.textfiles import unsafe_character

RATE = [
    "set-status", "8.2-4", "in_progress", "--rationale", "Der Rat hat die Leihgeräte beschlossen.", "--as", "anna",
    "--source-url", "https://www.herne.de/rat", "--source-title", "Ratsbeschluss", "--date", "2026-01-15",
]  # fmt: skip


def _env(database_url: str) -> dict[str, str]:
    env = {**os.environ, "TRACKER_DATABASE_URL": database_url}
    env.pop("TRACKER_PROGRAMME", None)
    return env


def test_arguments_that_are_not_utf8_are_refused_naming_the_argument(herne, database_url):
    add_account("anna", "Anna Schmidt")
    command = [os.fsencode(part) for part in tracker_command()]
    for args, named in (
        ([b"show", b"8.2-\xff"], "CODE"),
        ([b"set-status", b"8.2-4", b"kept", b"--rationale", b"Gr\xfcnde", *[a.encode() for a in RATE[5:]]], "--rat"),
        ([b"import-statuses", b"/tmp/\xff.csv", b"--as", b"anna"], "PATH"),
    ):
        result = subprocess.run([*command, *args], capture_output=True, env=_env(database_url), cwd=ROOT)
        stderr = result.stderr.decode("utf-8")
        assert result.returncode == 1 and "Traceback" not in stderr, stderr
        assert f"Error: {named}" in stderr and "is not valid UTF-8 (byte 0x" in stderr
    assert count(StatusChange) == 0


def test_an_empty_date_is_refused_not_taken_for_today(herne):
    add_account("anna", "Anna Schmidt")
    for args, option in ((RATE[:-1] + [""], "--date"), (["stats", "--as-of", ""], "--as-of")):
        result = run_cli(*args)
        assert result.exit_code == 1 and f"Error: {option}: '' is not a date" in result.stderr
    assert count(StatusChange) == 0


def test_show_writes_control_characters_escaped_never_raw(herne):
    add_account("anna", "Anna Schmidt")
    assert run_cli(*RATE).exit_code == 0
    with db.session_factory(db.get_engine())() as session, session.begin():  # what an older version let in
        session.execute(update(StatusChange).values(rationale="Gut.\x1b]0;gekapert\x07\x1b[2J\u202eEnde\nZeile 2"))
        session.execute(update(Programme).values(title="Programm\x1b[31m"))
    shown = run_cli("show", "8.2-4")
    assert shown.exit_code == 0
    assert "Gut.\\x1b]0;gekapert\\x07\\x1b[2J\\u202eEnde\n     Zeile 2" in shown.stdout
    stats = run_cli("stats")
    assert "Programm\\x1b[31m" in stats.stdout
    for output in (shown.stdout, stats.stdout):
        assert unsafe_character(output, multiline=True) is None and "\u202e" not in output


@pytest.mark.parametrize(
    ("output", "says"),
    [
        (".", "it is a folder; name a file in it"),
        ("no-such-folder/export.json", "the folder no-such-folder does not exist"),
        ("/dev/full", "No space left on device"),
    ],
)
def test_export_to_a_folder_a_missing_folder_or_a_full_disk_says_so(herne, tmp_path, monkeypatch, output, says):
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = run_cli("export", "--output", output)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {output}: {says}; nothing was written under that name")
    assert os.listdir(folder) == []


def test_a_full_disk_leaves_the_previous_export_whole_and_no_temporary_file(herne, database_url, tmp_path):
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "herne.json"
    target.write_text("the export of yesterday\n", encoding="utf-8")
    limit = 64 * 1024  # the export of Herne is larger: writing it fails with EFBIG, as a full disk fails with ENOSPC

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [*tracker_command(), "export", "--output", str(target)],
        capture_output=True,
        text=True,
        env=_env(database_url),
        cwd=ROOT,
        preexec_fn=small_disk,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"Error: cannot write {target}: File too large; nothing was written under that name" in result.stderr
    assert target.read_text(encoding="utf-8") == "the export of yesterday\n"
    assert os.listdir(target.parent) == ["herne.json"]


def test_a_kill_while_writing_never_leaves_a_half_file_under_the_name(tmp_path):
    target = tmp_path / "export.json"
    target.write_bytes(b"old")
    size = 256 * 1024 * 1024
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from tracker.files import write_files; "
            f"write_files([(Path(sys.argv[1]), b'x' * {size})])",
            str(target),
        ],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            parts = [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
            if parts and 0 < parts[0].stat().st_size < size:
                break
            time.sleep(0.001)
        else:
            pytest.fail("the temporary file was never seen half written")
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert target.read_bytes() == b"old"  # the name still holds the previous file, whole
    [part] = [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert part.name.startswith(".export.json.")  # the half file lies hidden beside it, never under the name


def test_export_replaces_the_file_whole_and_keeps_its_permissions(herne, tmp_path):
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "herne.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    result = run_cli("export", "--format", "csv", "--output", str(target), "--excel")
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("code,area,area_title")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["herne-excel.csv", "herne.csv", "herne.xlsx"]


def test_two_imports_of_one_programme_at_once_the_loser_says_so(engine):
    """Both imports read that the programme does not exist yet before either writes it (a barrier holds the
    first at its INSERT until the second arrives there too): one creates it, the other says another import was
    running, and nothing is half written."""
    barrier = threading.Barrier(2, timeout=5)

    def hold(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO PROGRAMME"):
            with contextlib.suppress(threading.BrokenBarrierError):  # a database that serialised the two earlier
                barrier.wait()

    outcomes: list[object] = []

    def run() -> None:
        try:
            outcomes.append(services.import_programme_file(HERNE, ADMIN))
        except Exception as error:  # noqa: BLE001 - the outcome under test
            outcomes.append(error)

    event.listen(engine, "before_cursor_execute", hold)
    try:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        event.remove(engine, "before_cursor_execute", hold)
    created = [o for o in outcomes if isinstance(o, services.ImportReport) and o.created]
    others = [o for o in outcomes if o not in created]
    assert len(created) == 1, outcomes
    [other] = others
    if isinstance(other, services.ImportReport):  # the database let the second wait for the first
        assert other.is_noop
    else:
        assert isinstance(other, services.ImportRefused) and other.code == "import_running", repr(other)
        assert str(other) == (
            f"another import of programme {HERNE_SLUG} is running or has just been done; nothing was imported by "
            "this one. Try again."
        )
    assert count(Programme) == 1
    assert services.overview(HERNE_SLUG).total == 262
