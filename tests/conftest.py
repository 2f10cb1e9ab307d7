"""Shared fixtures: a real SQLite file always, the real PostgreSQL server when configured.

``TRACKER_TEST_POSTGRES_URL`` names a PostgreSQL database the tests may wipe. With ``CI`` set, a
missing server is an error, not a skip: CI must exercise both databases.
"""

from __future__ import annotations

import os
import shutil
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


# How far a test's database is prepared before the test starts: empty (no schema), at the newest schema, or
# at the newest schema with the Herne programme imported. The fixture a test asks for (directly or through
# another) decides: ``database_url`` alone, ``engine``, ``herne``.
EMPTY, SCHEMA, PROGRAMME = "empty", "schema", "programme"


def _level(request) -> str:
    names = request.fixturenames
    return PROGRAMME if "herne" in names else SCHEMA if "engine" in names else EMPTY


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory) -> dict[str, Path]:
    """SQLite files at the newest schema, without and with the Herne programme, made once per test process: a
    test copies one (milliseconds) instead of running every migration and the import again."""
    folder = tmp_path_factory.mktemp("templates")
    templates = {SCHEMA: folder / "schema.sqlite3", PROGRAMME: folder / "programme.sqlite3"}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRACKER_DATABASE_URL", f"sqlite:///{templates[SCHEMA]}")
        services.upgrade_schema()
    db.get_engine(f"sqlite:///{templates[SCHEMA]}").dispose()
    shutil.copyfile(templates[SCHEMA], templates[PROGRAMME])
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRACKER_DATABASE_URL", f"sqlite:///{templates[PROGRAMME]}")
        services.import_programme_file(HERNE, ADMIN)
    db.get_engine(f"sqlite:///{templates[PROGRAMME]}").dispose()
    return templates


def _empty_postgres_at_head(url: str) -> None:
    """The test PostgreSQL database at the newest schema with no rows: every table emptied and its ids
    restarted when the schema is current (much faster than dropping it and migrating again), else rebuilt."""
    if services.schema_is_current():
        engine = db.get_engine(url)
        with engine.begin() as connection:
            tables = connection.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
            ).all()
            names = ", ".join(f'"{table}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()
    else:
        _reset_postgres(url)
        services.upgrade_schema()


DATABASES = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))


def pytest_generate_tests(metafunc) -> None:
    """A test that uses a database runs on SQLite and on PostgreSQL; one marked ``sqlite_only`` on SQLite alone:
    what it tests (a page through AppTest, the background republish) does not depend on the database, and the
    services underneath are tested on both."""
    if "database_url" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("database_kind", ("sqlite",) if only_sqlite else DATABASES)


@pytest.fixture
def database_url(request, database_kind, tmp_path, monkeypatch) -> Iterator[str]:
    """The test database, configured as TRACKER_DATABASE_URL: a fresh SQLite file, or the test PostgreSQL
    database. Empty for a test that asks for nothing more; at the newest schema for one that uses ``engine``;
    with the Herne programme too for one that uses ``herne`` (see ``_level``)."""
    level = _level(request)
    if database_kind == "sqlite":
        path = tmp_path / "tracker.sqlite3"
        url = f"sqlite:///{path}"
        monkeypatch.setenv("TRACKER_DATABASE_URL", url)
        if level != EMPTY:
            shutil.copyfile(request.getfixturevalue("sqlite_templates")[level], path)
    else:
        if not POSTGRES_URL:
            _require("PostgreSQL", "TRACKER_TEST_POSTGRES_URL is not set")
        url = POSTGRES_URL
        monkeypatch.setenv("TRACKER_DATABASE_URL", url)
        if level == EMPTY:
            _reset_postgres(url)
        else:
            _empty_postgres_at_head(url)
            if level == PROGRAMME:
                services.import_programme_file(HERNE, ADMIN)
    yield url
    db.get_engine(url).dispose()


@pytest.fixture
def engine(database_url) -> Engine:
    """The test database with the newest schema (``database_url`` prepared it)."""
    return db.get_engine(database_url)


@pytest.fixture
def herne(engine) -> str:
    """The Herne programme imported into the test database (``database_url`` did it); its slug."""
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
    """Real headless Chromium (Debian's, through Playwright); required in CI. One per module, not per test process:
    Playwright's synchronous API keeps an event loop running while it is open, and tests that drive the ASGI
    server with ``asyncio.run`` cannot run beside it."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, GermanReader

    if not Path(CHROMIUM).exists():
        _require("Chromium", f"it was not found at {CHROMIUM} (install Debian's chromium or set TRACKER_TEST_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield GermanReader(browser)  # the pages speak German, as the tests read them
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()
