"""Kill a ``tracker`` command with SIGKILL at a chosen database step, as a crash or ``kill -9`` would.

A step is one SQL statement sent to the database or one commit, counted from the command's start. The
command runs in a forked child of the test process (the same code as the ``tracker`` script, without the
seconds an interpreter needs to start); the child stops before its ``stop_at``-th step and the parent kills
it there, so every kill point is exact and repeatable. Nothing here changes the tracker's code: the pause is
a SQLAlchemy event listener installed in the child only.
"""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker import cli  # imported once here, so that each forked child starts at once

PAUSED = "paused"


@dataclass(frozen=True)
class Run:
    """What became of one run: ``killed`` at step ``stop_at``, or finished with ``exit_code``; ``steps`` are the
    first words of the statements (``COMMIT`` for a commit) in the order the command sent them."""

    steps: list[str]
    killed: bool
    exit_code: int | None


def run_tracker(database: Path, *args: str, stop_at: int | None = None, timeout: float = 60) -> Run:
    """``tracker ARGS`` on the SQLite file ``database``, killed before step ``stop_at`` (``None``: run to the end)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test
        os.close(read_end)
        code = 70
        try:
            code = _child(database, args, stop_at, write_end)
        finally:
            os._exit(code)
    os.close(write_end)
    steps, killed = _follow(pid, read_end, timeout)
    _, status = os.waitpid(pid, 0)
    return Run(steps, killed, None if killed else os.waitstatus_to_exitcode(status))


def _follow(pid: int, reports: int, timeout: float) -> tuple[list[str], bool]:
    """Read the child's steps until it pauses (then kill it) or exits."""
    steps: list[str] = []
    pending = b""
    deadline = time.monotonic() + timeout
    with os.fdopen(reports, "rb") as pipe:
        while True:
            ready, _, _ = select.select([pipe], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                raise AssertionError(f"the command neither paused nor ended within {timeout} s; steps: {steps}")
            chunk = os.read(pipe.fileno(), 65536)
            if not chunk:
                return steps, False
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                if line.decode() == PAUSED:
                    os.kill(pid, signal.SIGKILL)
                    return steps, True
                steps.append(line.decode())


def _child(database: Path, args: tuple[str, ...], stop_at: int | None, reports: int) -> int:
    os.environ["TRACKER_DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.pop("TRACKER_PROGRAMME", None)
    os.environ.pop("TRACKER_PUBLISH_DIR", None)
    count = 0

    def step(name: str) -> None:
        nonlocal count
        count += 1
        if count == stop_at:
            os.write(reports, f"{PAUSED}\n".encode())
            time.sleep(3600)  # until the parent kills this process
        os.write(reports, f"{name}\n".encode())

    event.listen(Engine, "before_cursor_execute", lambda _c, _cur, statement, *_: step(statement.split(None, 1)[0]))
    event.listen(Engine, "commit", lambda _connection: step("COMMIT"))
    sys.argv = ["tracker", *args]
    try:
        cli.main()
    except SystemExit as leaving:
        return leaving.code if isinstance(leaving.code, int) else 1
    return 0


def contents(database: Path) -> dict[str, list[tuple]]:
    """Every row of every table of an SQLite file (read with the sqlite3 module, no engine kept open)."""
    connection = sqlite3.connect(database)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: connection.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in sorted(tables)}
    finally:
        connection.close()


def shape(database: Path) -> dict[str, object]:
    """The schema as a migration leaves it: the revision, each table's columns, the index names."""
    connection = sqlite3.connect(database)
    try:
        master = connection.execute("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        tables: dict[str, list[str]] = {}
        indexes = set()
        for kind, name, _table in master.fetchall():
            if kind == "table":
                tables[name] = sorted(row[1] for row in connection.execute(f'PRAGMA table_info("{name}")'))
            elif kind == "index":
                indexes.add(name)
        revision = None
        if "alembic_version" in tables:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return {"revision": revision[0] if revision else None, "tables": tables, "indexes": sorted(indexes)}
    finally:
        connection.close()


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of an SQLite file (its WAL included), through SQLite's backup API."""
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        old.backup(new)
    old.close()
    new.close()
    return target
