"""With TRACKER_PUBLISH_DIR set, a change publishes its programme's edition again, in the background."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers import ADMIN, EDITOR, TODAY, make_change
from tracker import services
from tracker.edition.autopublish import command, republish

pytestmark = pytest.mark.sqlite_only  # see tests/conftest.py: the services are tested on both databases


def _wait_for(path: Path, text: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and text in (content := path.read_text(encoding="utf-8")):
            return content
        time.sleep(0.5)
    raise AssertionError(f"{path} did not come to contain {text!r} within {seconds} s")


def test_without_a_publish_folder_nothing_is_started(herne, monkeypatch):
    monkeypatch.delenv("TRACKER_PUBLISH_DIR", raising=False)
    assert command(herne) is None and republish(herne) is None


def test_a_change_is_published_again_in_the_background(herne, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_PUBLISH_DIR", str(tmp_path / "site"))
    monkeypatch.setenv("TRACKER_PUBLISH_APP_URL", "https://app.example.org")
    change = make_change("kept", rationale="Alle Schulen haben Leihgeräte erhalten.")
    services.record_status_change(herne, "8.2-4", change, EDITOR, today=TODAY)
    process = republish(herne)
    assert process is not None and process.wait(timeout=180) == 0
    page = _wait_for(tmp_path / "site" / herne / "de" / "measures" / "8.2-4.html", "Alle Schulen haben Leihgeräte")
    assert "https://app.example.org/?pledge=8.2-4" in page
    assert "Published" in (tmp_path / "site" / ".publish.log").read_text()


def test_set_status_at_the_command_line_publishes_again(herne, tmp_path, monkeypatch, tracker_cli):
    services.add_user(ADMIN, "anna", "ein langes passwort", "editor")
    monkeypatch.setenv("TRACKER_PUBLISH_DIR", str(tmp_path / "site"))
    result = tracker_cli(
        "set-status", "1-1", "in_progress", "--date", "2026-01-15", "--rationale", "Der Rat berät.",
        "--source-url", "https://www.herne.de/rat", "--source-title", "Ratsvorlage", "--as", "anna",
    )  # fmt: skip
    assert "in the background" in result.stdout
    _wait_for(tmp_path / "site" / herne / "de" / "measures" / "1-1.html", "Der Rat berät.")
