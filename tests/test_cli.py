"""The installed ``tracker`` command, driven as a person would, against SQLite and PostgreSQL."""

from __future__ import annotations

import json

from tests.helpers import HERNE, add_account

RATE = [
    "set-status", "8.2-4", "in_progress",
    "--rationale", "Der Rat hat die Leihgeräte beschlossen.",
    "--as", "anna",
    "--source-url", "https://www.herne.de/rat/2026-01-15", "--source-title", "Ratsbeschluss",
    "--source-kind", "council",
    "--date", "2026-01-15",
]  # fmt: skip


def test_import_rate_show_stats_export_restore(tracker_cli, tmp_path):
    assert "Schema at revision" in tracker_cli("init", check=True).stdout
    first = tracker_cli("import-programme", str(HERNE), check=True).stdout
    assert "created: 262 added" in first
    again = tracker_cli("import-programme", str(HERNE), check=True).stdout
    assert "unchanged" in again and "262 unchanged" in again
    add_account("anna", "Anna Schmidt")

    rated = tracker_cli(*RATE, check=True).stdout
    assert "8.2-4: change #1 recorded (in_progress, effective 2026-01-15)" in rated

    shown = tracker_cli("show", "8.2-4", check=True).stdout
    assert "Schüler und Schülerinnen mit Leihgeräten ausstatten" in shown
    assert "Status: in_progress since 2026-01-15" in shown
    assert "[council] Ratsbeschluss <https://www.herne.de/rat/2026-01-15>" in shown

    stats = tracker_cli("stats", check=True).stdout
    assert "262 pledges" in stats and "in_progress          1" in stats
    assert "not_rated" in tracker_cli("stats", "--as-of", "2026-01-14", check=True).stdout

    out = tmp_path / "herne.json"
    tracker_cli("export", "--format", "json", "--output", str(out), check=True)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert next(p for p in data["pledges"] if p["code"] == "8.2-4")["status"] == "in_progress"
    csv_text = tracker_cli("export", "--format", "csv", check=True).stdout
    assert csv_text.count("\n") == 263

    refused = tracker_cli("restore", str(out))
    assert refused.returncode == 1 and "already in this database" in refused.stderr


def test_restore_into_an_empty_database_gives_the_same_export(tracker_cli, tmp_path):
    tracker_cli("import-programme", str(HERNE), check=True)
    add_account("anna", "Anna Schmidt")
    tracker_cli(*RATE, check=True)
    first = tracker_cli("export", check=True).stdout
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    restored = tracker_cli("restore", str(path), url=empty, check=True)
    assert "Restored hak-herne-2025: 262 pledges, 1 status changes" in restored.stdout
    assert tracker_cli("export", url=empty, check=True).stdout == first


def test_wrong_input_exits_nonzero_saying_what_is_accepted(tracker_cli):
    tracker_cli("import-programme", str(HERNE), check=True)
    add_account("anna", "Anna Schmidt")
    base = ["--rationale", "r", "--as", "anna", "--source-title", "t"]
    cases = {
        ("set-status", "8.2-44", "kept", "--source-url", "https://x.de", *base): "Did you mean: 8.2-4",
        ("set-status", "8.2-4", "done", "--source-url", "https://x.de", *base): "accepted: not_rated, in_progress",
        ("set-status", "8.2-4", "kept", "--source-url", "ftp://x.de", *base): "accepted: a full http:// or https://",
        ("set-status", "8.2-4", "kept", "--source-url", "https://x.de", "--date", "2099-01-01", *base): "future",
        ("set-status", "8.2-4", "kept", "--source-url", "https://x.de", "--date", "15.1.2026", *base): "YYYY-MM-DD",
        ("show", "99-1"): "No pledge with code '99-1'",
        ("export", "--format", "xml"): "accepted: json, csv",
    }
    for args, expected in cases.items():
        result = tracker_cli(*args)
        assert result.returncode == 1, args
        assert expected in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert "in_progress" not in tracker_cli("show", "8.2-4", check=True).stdout


def test_unreadable_programme_names_the_line(tracker_cli, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Titel\n1. Wohnen\n- Gut\n- Kaputt \xff\xfe\n".encode("latin-1"))
    bad.with_suffix(".toml").write_text(HERNE.with_suffix(".toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = tracker_cli("import-programme", str(bad))
    assert result.returncode == 1
    assert "line 4" in result.stderr and "UTF-8" in result.stderr and "Nothing was imported" in result.stderr
    assert "No programme has been imported" in tracker_cli("stats").stderr


def test_commands_without_schema_say_to_run_init(tracker_cli):
    result = tracker_cli("stats")
    assert result.returncode == 1 and "run: tracker init" in result.stderr
