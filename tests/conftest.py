"""Shared fixtures: a real SQLite file always, the real PostgreSQL server when configured.

``TRACKER_TEST_POSTGRES_URL`` names a PostgreSQL database the tests may wipe. With ``CI`` set, a
missing server is an error, not a skip: CI must exercise both databases.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers import ADMIN, HERNE, HERNE_SLUG, ROOT, rate_known_statuses, tracker_command
from tracker import db, services

IN_CI = bool(os.environ.get("CI"))


def _database_of_this_worker(url: str) -> str:
    """The PostgreSQL database this test process may wipe: the configured one, or, when ``make test`` runs the
    tests in several processes (pytest-xdist), one database per process beside it (``tracker_test_gw0``, ...),
    created when missing, so that no process wipes what another is testing."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    configured = make_url(url)
    name = f"{configured.database}_{worker}"
    server = create_engine(configured, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()
    return configured.set(database=name).render_as_string(hide_password=False)


POSTGRES_URL = _database_of_this_worker(os.environ.get("TRACKER_TEST_POSTGRES_URL", "").strip())


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


@pytest.fixture(autouse=True)
def review_setting(request, monkeypatch) -> None:
    """Review by a second person is off in the tests written before it existed: many add a second account (which
    turns review on in the default mode "auto") to test accounts, permissions or pages, and expect what they
    record to be public at once. The review tests (tests/test_review*.py, marker ``review``) keep the default,
    ``auto``, and set ``on`` or ``off`` where they test those."""
    monkeypatch.setenv("TRACKER_REVIEW", "off" if request.node.get_closest_marker("review") is None else "auto")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path, monkeypatch) -> Iterator[str]:
    """An empty database, configured as TRACKER_DATABASE_URL: a fresh SQLite file, or the test PostgreSQL
    database wiped clean."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    else:
        if not POSTGRES_URL:
            _require("PostgreSQL", "TRACKER_TEST_POSTGRES_URL is not set")
        url = POSTGRES_URL
        _reset_postgres(url)
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    yield url
    db.get_engine(url).dispose()


@pytest.fixture
def engine(database_url) -> Engine:
    """The test database with the newest schema."""
    services.upgrade_schema()
    return db.get_engine(database_url)


@pytest.fixture
def herne(engine) -> str:
    """The Herne programme imported into the test database; its slug."""
    services.import_programme_file(HERNE, ADMIN)
    return HERNE_SLUG


@pytest.fixture
def tracker_cli(database_url):
    """Run the installed ``tracker`` command against the test database."""
    command = tracker_command()

    def run(
        *args: str, check: bool = False, url: str | None = None, input: str | None = None
    ) -> subprocess.CompletedProcess:
        env = {**os.environ, "TRACKER_DATABASE_URL": url or database_url}
        env.pop("TRACKER_PROGRAMME", None)
        result = subprocess.run([*command, *args], capture_output=True, text=True, env=env, cwd=ROOT, input=input)
        if check and result.returncode != 0:
            raise AssertionError(f"tracker {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    return run


@pytest.fixture
def rated(herne) -> str:
    """The Herne programme with six known ratings (see helpers.KNOWN_STATUSES); its slug."""
    rate_known_statuses(herne)
    return herne


@pytest.fixture
def app_env(database_url):
    """The dashboard on the test database, starting with empty caches."""
    import streamlit as st

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
