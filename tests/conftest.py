"""Shared fixtures: a real SQLite file always, the real PostgreSQL server when configured.

``TRACKER_TEST_POSTGRES_URL`` names a PostgreSQL database the tests may wipe. With ``CI`` set, a
missing server is an error, not a skip: CI must exercise both databases.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from tracker import db, services
from tracker.services import Actor

ROOT = Path(__file__).resolve().parent.parent
EDITOR = Actor("anna", "editor")
ADMIN = Actor("admin", "admin")
HERNE = ROOT / "data" / "programmes" / "hak-herne-2025.txt"
POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL", "").strip()
IN_CI = bool(os.environ.get("CI"))


def _require(what: str, reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required in CI but {reason}", pytrace=False)
    pytest.skip(f"{what}: {reason}")


def _reset_postgres(url: str) -> Engine:
    engine = db.get_engine(url)
    engine.dispose()
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty database URL: a fresh SQLite file, or the test PostgreSQL database wiped clean."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
        yield url
        db.get_engine(url).dispose()
        return
    if not POSTGRES_URL:
        _require("PostgreSQL", "TRACKER_TEST_POSTGRES_URL is not set")
    _reset_postgres(POSTGRES_URL)
    yield POSTGRES_URL
    db.get_engine(POSTGRES_URL).dispose()


@pytest.fixture
def engine(database_url) -> Engine:
    engine = db.get_engine(database_url)
    db.upgrade_schema(engine)
    return engine


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with db.session_scope(engine) as session:
        yield session


@pytest.fixture
def herne(session):
    """The Herne programme imported into the test database (committed)."""
    services.import_programme_file(session, HERNE, ADMIN)
    session.commit()
    return services.get_programme(session, "hak-herne-2025")


@pytest.fixture
def tracker_cli(database_url):
    """Run the installed ``tracker`` command against the test database."""
    exe = shutil.which("tracker", path=str(Path(sys.executable).parent)) or shutil.which("tracker")
    assert exe, "the tracker console script is not installed; run make test"

    def run(
        *args: str, check: bool = False, url: str | None = None, input: str | None = None
    ) -> subprocess.CompletedProcess:
        env = {**os.environ, "TRACKER_DATABASE_URL": url or database_url}
        env.pop("TRACKER_PROGRAMME", None)
        result = subprocess.run([exe, *args], capture_output=True, text=True, env=env, cwd=ROOT, input=input)
        if check and result.returncode != 0:
            raise AssertionError(f"tracker {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    return run


def make_change(
    status: str = "in_progress", date: str | None = "2026-01-15", **overrides
) -> services.StatusChangeInput:
    """A valid status change, with any field overridden."""
    import datetime as dt

    values = {
        "status": status,
        "rationale": "Der Rat hat am 15.01.2026 die Finanzierung beschlossen.",
        "sources": [services.SourceInput("https://www.herne.de/rat/2026-01-15", "Ratsbeschluss", "council")],
        "effective_date": dt.date.fromisoformat(date) if date else None,
    }
    values.update(overrides)
    return services.StatusChangeInput(**values)


KNOWN_STATUSES = [  # code, status, effective date: what the dashboard tests expect to see
    ("1-1", "kept", "2026-05-02"),
    ("1-2", "broken", "2026-03-10"),
    ("8.2-4", "in_progress", "2026-01-15"),
    ("8.1-1", "in_progress", "2025-12-05"),
    ("13.5b-1", "partially_kept", "2026-07-01"),
    ("14.6-1", "stalled", "2026-02-01"),
]


@pytest.fixture
def rated(session, herne):
    """The Herne programme with six known ratings (see KNOWN_STATUSES)."""
    import datetime as dt

    for code, status, date in KNOWN_STATUSES:
        services.record_status_change(
            session, herne, code, make_change(status, date), EDITOR, today=dt.date(2026, 11, 25)
        )
    session.commit()
    return herne


@pytest.fixture
def app_env(database_url, monkeypatch):
    """Point the dashboard at the test database and start with empty caches."""
    import streamlit as st

    monkeypatch.setenv("TRACKER_DATABASE_URL", database_url)
    st.cache_data.clear()
    yield database_url
    st.cache_data.clear()


@pytest.fixture(scope="module")
def browser():
    """Real headless Chromium (Debian's, through Playwright); required in CI."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        _require("Chromium", f"it was not found at {CHROMIUM} (install Debian's chromium or set TRACKER_TEST_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()
