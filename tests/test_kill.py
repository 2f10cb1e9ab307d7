"""A crash (``kill -9``) in the middle of ``tracker init``, ``import-programme`` or ``restore`` on SQLite leaves
the database as it was before the interrupted step or after it, never half-way; the next run completes.

Each command is killed at exact database steps (``tests/kill.py``): right after an ALTER TABLE or a CREATE
TABLE, with the rest of its revision not yet run, and right before each COMMIT, with all of it run but not
committed. Only SQLite is tested here: PostgreSQL has transactional DDL of its own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from tests.helpers import ADMIN, HERNE, ROOT, add_account, make_change, rate_known_statuses
from tests.kill import contents, copy_database, run_tracker, shape
from tracker import db, services

HERNE_TEXT = str(HERNE.relative_to(ROOT))
OLDEST = "0001"


def _steps_after(steps: list[str], kinds: tuple[str, ...], first_only: bool = False) -> list[int]:
    """Kill points (1-based step numbers) right after each statement of ``kinds`` (the first one only)."""
    points = [i + 2 for i, name in enumerate(steps) if name in kinds]
    return points[:1] if first_only else points


def _before_commits(steps: list[str]) -> list[int]:
    return [i + 1 for i, name in enumerate(steps) if name == "COMMIT"]


@pytest.fixture(scope="module")
def revisions() -> list[str]:
    script = ScriptDirectory.from_config(db.alembic_config(None))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


@pytest.fixture(scope="module")
def shapes(tmp_path_factory, revisions) -> dict[str | None, dict]:
    """The schema each revision leaves (tables, columns, indexes), from an empty file upgraded step by step."""
    path = tmp_path_factory.mktemp("shapes") / "steps.sqlite3"
    engine = db.get_engine(f"sqlite:///{path}")
    found = {None: shape(path)}
    for revision in revisions:
        command.upgrade(db.alembic_config(engine), revision)
        found[revision] = shape(path)
    engine.dispose()
    return found


@pytest.fixture(scope="module")
def populated(tmp_path_factory) -> Path:
    """A database at the oldest revision that holds a rated programme: what an old installation upgrades.

    Built at the newest revision through the services, then downgraded (which keeps every row: migrations
    run with foreign keys off, see ``db.migration_engine``)."""
    path = tmp_path_factory.mktemp("populated") / "old.sqlite3"
    url = f"sqlite:///{path}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        rate_known_statuses()
        anna = add_account()
        services.record_status_change(None, "1-1", make_change("kept", "2026-06-01", corrects_sequence=1), anna)
        command.downgrade(db.alembic_config(db.get_engine(url)), OLDEST)
        db.get_engine(url).dispose()
    return path


def test_a_downgrade_and_upgrade_keep_every_row(populated, tmp_path, shapes):
    """A batch migration copies a table; dropping the old one must not delete the rows that refer to it."""
    assert shape(populated) == shapes[OLDEST]
    before = contents(populated)
    assert len(before["status_change"]) == 7 and len(before["evidence"]) == 7
    upgraded = copy_database(populated, tmp_path / "upgraded.sqlite3")
    assert run_tracker(upgraded, "init").exit_code == 0
    after = contents(upgraded)
    for table in ("programme", "area", "goal", "pledge", "status_change", "evidence"):
        width = len(before[table][0])  # later revisions add columns at the end (pledge: 0002, 0008; changes: 0008)
        assert [row[:width] for row in after[table]] == before[table], table


def _kill_and_recover(base: Path | None, work: Path, point: int, shapes: dict, *args: str) -> dict:
    """Run ``tracker ARGS`` on a copy of ``base`` (or a new file), kill it before step ``point``, check that the
    schema is exactly that of one revision, run ``tracker init`` again; the database's rows afterwards."""
    database = copy_database(base, work) if base else work
    killed = run_tracker(database, *args, stop_at=point)
    assert killed.killed, f"the command ended before step {point}: {killed.steps}"
    left = shape(database)
    assert left == shapes[left["revision"]], f"killed at step {point} after {killed.steps[-3:]}: half a revision"
    again = run_tracker(database, "init")
    assert again.exit_code == 0, f"tracker init failed after a kill at step {point}"
    return contents(database)


def test_a_killed_upgrade_of_a_populated_database_resumes_and_keeps_every_row(populated, shapes, tmp_path):
    reference = copy_database(populated, tmp_path / "reference.sqlite3")
    steps = run_tracker(reference, "init").steps
    expected = contents(reference)
    points = _steps_after(steps, ("ALTER",)) + _steps_after(steps, ("UPDATE",), first_only=True)
    points += _before_commits(steps)
    for point in sorted(set(points)):
        found = _kill_and_recover(populated, tmp_path / f"killed-{point}.sqlite3", point, shapes, "init")
        assert found == expected, f"killed at step {point} ({steps[point - 2]} done): the rows differ"
    print(f"tracker init upgrading from {OLDEST}: killed at {len(set(points))} of {len(steps)} steps, all resumed")


def test_a_killed_first_init_resumes(shapes, tmp_path):
    steps = run_tracker(tmp_path / "reference.sqlite3", "init").steps
    points = _steps_after(steps, ("CREATE",), first_only=True) + _before_commits(steps)[:1]
    for point in points:
        found = _kill_and_recover(None, tmp_path / f"killed-{point}.sqlite3", point, shapes, "init")
        assert shape(tmp_path / f"killed-{point}.sqlite3") == shape(tmp_path / "reference.sqlite3")
        assert not any(rows for table, rows in found.items() if table != "alembic_version")
    print(f"first tracker init: killed at {len(points)} of {len(steps)} steps, all resumed")


def _row_counts(database: Path) -> dict[str, int]:
    return {table: len(rows) for table, rows in contents(database).items() if table != "alembic_version"}


def _all_or_nothing(base: Path, work: Path, *args: str) -> None:
    """Kill ``tracker ARGS`` after its first DROP TABLE (if any), in the middle of its inserts and right before
    its commit: then the database holds everything the command writes or nothing of it (what it held before),
    and the same command run again completes."""
    before = _row_counts(base)
    reference = copy_database(base, work / "reference.sqlite3")
    steps = run_tracker(reference, *args).steps
    complete = _row_counts(reference)
    assert complete != before
    inserts = [i + 1 for i, name in enumerate(steps) if name == "INSERT"]
    points = [
        *_steps_after(steps, ("DROP",), first_only=True),
        inserts[len(inserts) // 2],
        *_before_commits(steps)[-1:],
    ]
    for point in points:
        database = copy_database(base, work / f"killed-{point}.sqlite3")
        assert run_tracker(database, *args, stop_at=point).killed
        assert _row_counts(database) in (before, complete), f"killed at step {point}: half written"
        if _row_counts(database) == before:
            assert run_tracker(database, *args).exit_code == 0
            assert _row_counts(database) == complete
    print(f"tracker {args[0]}: killed at {len(points)} of {len(steps)} steps, nothing half written")


def test_a_killed_programme_import_writes_all_or_nothing(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    assert run_tracker(empty, "init").exit_code == 0
    _all_or_nothing(empty, tmp_path, "import-programme", HERNE_TEXT)


def test_a_killed_restore_writes_all_or_nothing(populated, tmp_path):
    source = copy_database(populated, tmp_path / "source.sqlite3")
    export = tmp_path / "export.json"
    assert run_tracker(source, "init").exit_code == 0
    assert run_tracker(source, "export", "--output", str(export)).exit_code == 0
    assert len(json.loads(export.read_text(encoding="utf-8"))["pledges"]) == 262
    empty = tmp_path / "empty.sqlite3"
    assert run_tracker(empty, "init").exit_code == 0
    _all_or_nothing(empty, tmp_path, "restore", str(export))


def test_a_killed_restore_of_a_backup_writes_all_or_nothing(populated, tmp_path):
    source = copy_database(populated, tmp_path / "source.sqlite3")
    backup = tmp_path / "tracker.json.gz"
    assert run_tracker(source, "init").exit_code == 0
    assert run_tracker(source, "backup", str(backup)).exit_code == 0
    other = tmp_path / "other.sqlite3"
    assert run_tracker(other, "import-programme", HERNE_TEXT).exit_code == 0  # without the ratings of the backup
    _all_or_nothing(other, tmp_path, "restore-backup", str(backup), "--replace")
