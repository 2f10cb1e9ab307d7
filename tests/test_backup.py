"""``tracker backup`` and ``tracker restore-backup``: everything but the sessions comes back as it was, on both
databases; what is not a backup this version can restore is refused with the file's name, and nothing changes."""

from __future__ import annotations

import gzip
import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from tests.conftest import _reset_postgres
from tests.helpers import ADMIN, add_account, count, make_change, stored
from tests.hostile import MARKUP
from tracker import db, services
from tracker.models import AuditEvent, Programme, StaffSession, StatusChange, User
from tracker.services.backup import FORMAT_VERSION

PASSWORD = "ein langes passwort"  # add_account's


def _populate(programme: str) -> None:
    """Accounts of every kind, a correction, a source on its own, a failed sign-in, an open session."""
    anna = add_account()
    services.add_user(ADMIN, "bob", "noch ein langes passwort", "admin", MARKUP[3][1])
    services.add_user(ADMIN, "carla", "ein drittes passwort", "editor")
    services.disable_user(ADMIN, "carla")
    services.record_status_change(
        programme, "1-1", make_change("kept", "2026-06-01", rationale=MARKUP[0][1], corrects_sequence=1), anna
    )
    services.add_evidence(programme, "8.2-4", services.SourceInput("https://example.org/a", "Presse", "press"), anna)
    with pytest.raises(services.SignInFailed):
        services.authenticate("bob", "falsch falsch falsch")
    services.start_session("anna", PASSWORD)


def _document(path: Path) -> dict:
    """A backup's document without the moment it was written: what must be the same after a round trip."""
    data = path.read_bytes()
    document = json.loads(gzip.decompress(data) if path.suffix == ".gz" else data)
    document.pop("written_at")
    return document


def _empty_database(url: str) -> None:
    db.get_engine(url).dispose()
    if make_url(url).get_backend_name() == "sqlite":
        path = Path(make_url(url).database)
        for file in path.parent.glob(f"{path.name}*"):
            file.unlink()
    else:
        _reset_postgres(url)


def test_backup_and_restore_into_an_empty_database_give_the_same_tracker(rated, database_url, tracker_cli, tmp_path):
    _populate(rated)
    history = services.pledge_view(rated, "1-1").history
    folder = tmp_path / "backups"
    folder.mkdir()
    first, second = folder / "tracker.json.gz", folder / "again.json"
    written = tracker_cli("backup", str(first), check=True)
    assert "7 status changes" in written.stdout and "3 accounts" in written.stdout
    assert stat.S_IMODE(first.stat().st_mode) == 0o600, "a backup holds password hashes: its owner's only"
    assert [p.name for p in folder.iterdir()] == [first.name], "no temporary file left behind"

    _empty_database(database_url)
    restored = tracker_cli("restore-backup", str(first), check=True)
    assert "262 pledges" in restored.stdout, restored.stdout
    services.write_backup(second, ADMIN)
    assert _document(second) == _document(first)

    assert count(StaffSession) == 0, "sessions are not restored: everyone signs in again"
    assert services.pledge_view(rated, "1-1").history == history
    assert count(AuditEvent, AuditEvent.action == "sign_in.failed") == 1
    assert stored(select(User.failed_attempts).where(User.name == "bob")) == [(1,)]
    assert services.authenticate("anna", PASSWORD).display_name == "Anna Schmidt"
    with pytest.raises(services.SignInFailed):
        services.authenticate("carla", "ein drittes passwort")  # still disabled
    assert [a.display_name for a in services.list_users(ADMIN) if a.name == "bob"] == [MARKUP[3][1]]

    # New rows get new ids (PostgreSQL's sequences were moved past the restored ones) in every table.
    changes, events = count(StatusChange), count(AuditEvent)
    services.record_status_change(rated, "1-2", make_change("kept", "2026-07-01"), services.account_actor("anna"))
    services.add_user(ADMIN, "dora", "ein viertes passwort", "editor")
    copy = json.loads(services.export_json(rated))
    copy["programme"]["slug"] = "kopie"
    services.restore_programme(copy, ADMIN)
    assert count(Programme) == 2
    assert count(StatusChange) == 2 * (changes + 1)
    assert count(AuditEvent) == events + 3


def test_restore_refuses_a_database_that_is_not_empty_unless_told_to_replace_it(
    rated, database_url, tracker_cli, tmp_path
):
    backup = tmp_path / "tracker.json"
    services.write_backup(backup, ADMIN)
    services.record_status_change(rated, "1-2", make_change("kept", "2026-07-01"), ADMIN)
    changes = count(StatusChange)

    refused = tracker_cli("restore-backup", str(backup))
    assert refused.returncode == 1
    assert services.database_description() in refused.stderr and "--replace" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert count(StatusChange) == changes

    services.restore_backup(backup, ADMIN, replace=True)
    assert count(StatusChange) == changes - 1
    services.write_backup(tmp_path / "again.json", ADMIN)
    assert _document(tmp_path / "again.json") == _document(backup)


def test_a_backup_of_an_older_schema_is_restored_and_upgraded(herne, tmp_path):
    add_account()
    path = tmp_path / "tracker.json"
    services.write_backup(path, ADMIN)
    document = json.loads(path.read_text(encoding="utf-8"))
    tables = document["tables"]
    for table in ("checkability", "pledge_translation", "rating_round", "round_item", "tip"):  # revision 0008
        tables.pop(table)
    later_columns = {
        "app_user": ["display_name"],  # revision 0005
        "pledge": ["deadline", "checkable"],  # revision 0008
        "status_change": [
            "broken_reason",
            "broken_reason_text",
            "revises_id",
            "review_state",
            "author_account",
            "reviewed_by",
            "reviewer_account",
            "reviewed_at",
            "review_note",
        ],
    }
    for table, columns in later_columns.items():
        for column in columns:
            gone = tables[table]["columns"].index(column)
            tables[table]["columns"].pop(gone)
            for row in tables[table]["rows"]:
                row.pop(gone)
    document["schema_revision"] = "0004"
    path.write_text(json.dumps(document), encoding="utf-8")

    services.restore_backup(path, ADMIN, replace=True)
    assert services.schema_is_current()
    assert [(a.name, a.display_name) for a in services.list_users(ADMIN)] == [("anna", "")]
    assert services.authenticate("anna", PASSWORD).name == "anna"


def _damaged(document: dict) -> list[tuple[str, object]]:
    """Backups that must be refused: (label, the file's bytes or a changed document)."""

    def changed(change) -> dict:
        copy = json.loads(json.dumps(document))
        change(copy)
        return copy

    tables = "tables"
    text = json.dumps(document)
    return [
        ("empty file", b""),
        ("not JSON", b"Sicherung vom Dienstag\n"),
        ("truncated JSON", text[: len(text) // 2].encode()),
        ("truncated gzip", gzip.compress(text.encode())[:300]),
        ("a JSON list", b"[1, 2]"),
        ("a programme export", changed(lambda d: d.update(format="pledge-tracker/1"))),
        ("newer format", changed(lambda d: d.update(format_version=FORMAT_VERSION + 1))),
        ("no format version", changed(lambda d: d.pop("format_version"))),
        ("newer schema revision", changed(lambda d: d.update(schema_revision="9999"))),
        ("no tables", changed(lambda d: d.pop(tables))),
        ("table missing", changed(lambda d: d[tables].pop("pledge"))),
        ("unknown table", changed(lambda d: d[tables].update(extra={"columns": [], "rows": []}))),
        ("column renamed", changed(lambda d: d[tables]["pledge"]["columns"].__setitem__(1, "programme"))),
        ("row too short", changed(lambda d: d[tables]["area"]["rows"][0].pop())),
        ("text as a number", changed(lambda d: d[tables]["area"]["rows"][0].__setitem__(0, "eins"))),
        ("not a date", changed(lambda d: d[tables]["programme"]["rows"][0].__setitem__(8, "gestern"))),
        ("null where required", changed(lambda d: d[tables]["pledge"]["rows"][5].__setitem__(6, None))),
        ("pledges without their programme", changed(lambda d: d[tables]["programme"].update(rows=[]))),
        ("one id twice", changed(lambda d: d[tables]["area"]["rows"].append(d[tables]["area"]["rows"][0]))),
    ]


def test_what_is_not_a_restorable_backup_is_refused_naming_the_file_and_nothing_changes(rated, tmp_path):
    good = tmp_path / "good.json"
    services.write_backup(good, ADMIN)
    document = json.loads(good.read_text(encoding="utf-8"))
    before = _document(good)
    cases = [*_damaged(document), ("a folder", tmp_path), ("no such file", tmp_path / "fehlt.json")]
    for label, content in cases:
        path = content if isinstance(content, Path) else tmp_path / f"{label.replace(' ', '-')}.json"
        if not isinstance(content, Path):
            path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
        with pytest.raises(services.InvalidInput) as refused:
            services.restore_backup(path, ADMIN, replace=True)
        assert str(refused.value).startswith(f"{path}: "), f"{label}: {refused.value}"
        print(f"{label}: {refused.value}")
    services.write_backup(good, ADMIN)
    assert _document(good) == before, "a refused restore, even with --replace, leaves the database as it was"
    print(f"{len(cases)} damaged backups sent, {len(cases)} refused")


def test_bad_files_get_a_message_at_the_command_line_not_a_traceback(engine, tracker_cli, tmp_path):
    truncated = tmp_path / "cut.json"
    truncated.write_text('{"format": "pledge-tracker-backup", "format_version": 1, "tab', encoding="utf-8")
    for args, expected in (
        (["restore-backup", str(truncated)], f"Error: {truncated}: is not a UTF-8 JSON file"),
        (["backup", str(tmp_path / "fehlt" / "x.json")], f"Error: {tmp_path / 'fehlt' / 'x.json'}: cannot be written"),
    ):
        result = tracker_cli(*args)
        assert result.returncode == 1 and expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    with pytest.raises(services.InvalidInput, match="cannot be written: it is a folder"):
        services.write_backup(tmp_path, ADMIN)
