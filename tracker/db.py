"""Engine and session factory from ``TRACKER_DATABASE_URL``, and schema upgrades through Alembic.

Without ``TRACKER_DATABASE_URL`` the tracker uses the SQLite file ``var/tracker.sqlite3`` in the
project directory (git ignores ``var/``), so that ``make run`` works with nothing else installed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from tracker import settings

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_DIR / "var" / "tracker.sqlite3"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def database_url() -> str:
    """The configured database URL (``TRACKER_DATABASE_URL``) or the default SQLite file."""
    return settings.get("TRACKER_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _configure_sqlite(engine: Engine, foreign_keys: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - exercised by every test
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def get_engine(url: str | None = None) -> Engine:
    """One engine per URL and process (default: the configured URL, read now, not at first use)."""
    return _engine_for(url or database_url())


def _forget_inherited_connections() -> None:
    """In a forked child: let go of the parent's pooled connections without closing them (they are still the
    parent's), so that the child opens its own (SQLAlchemy's advice for ``os.fork``)."""
    for engine in _ENGINES:
        engine.dispose(close=False)


_ENGINES: list[Engine] = []
os.register_at_fork(after_in_child=_forget_inherited_connections)


@cache
def _engine_for(url: str) -> Engine:
    engine = _new_engine(url)
    _ENGINES.append(engine)
    return engine


def _new_engine(url: str) -> Engine:
    """SQLite files get their folder, foreign keys and WAL; PostgreSQL URLs use psycopg 3."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        _configure_sqlite(engine)
        return engine
    if parsed.drivername == "postgresql":
        # Prefer psycopg 3 (the dependency we ship) over the SQLAlchemy default psycopg2.
        url = parsed.set(drivername="postgresql+psycopg")
    return create_engine(url, pool_pre_ping=True)


@cache
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on ``engine``; only ``tracker.services.unit_of_work`` opens them."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def _is_sqlite_file(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def _explicit_transactions(engine: Engine, begin: str, foreign_keys: bool) -> Engine:
    """A second engine on the SQLite file of ``engine`` that begins every transaction itself, with ``begin``,
    and holds no connection when none is in use.

    pysqlite begins a transaction only before INSERT, UPDATE or DELETE: CREATE and ALTER before the first of
    those are committed at once, and SELECTs each see the database as it is at that moment. Here pysqlite's
    own transaction handling is off and SQLAlchemy's ``begin`` sends the BEGIN (SQLAlchemy's recipe for
    transactional DDL on pysqlite), so a transaction covers everything from its first statement on. The app's
    engine keeps pysqlite's default."""
    explicit = create_engine(engine.url, poolclass=NullPool)
    _configure_sqlite(explicit, foreign_keys=foreign_keys)

    @event.listens_for(explicit, "connect")
    def _no_implicit_transactions(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(explicit, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql(begin)

    return explicit


def migration_engine(engine: Engine) -> Engine:
    """The engine that schema changes run on: ``engine`` itself, except for an SQLite file, where each
    transaction covers its DDL too (see ``_explicit_transactions``). Without that, a crash in the middle of a
    revision left it half applied for ever ("duplicate column name" at every later ``tracker init``).

    Its transactions begin with ``BEGIN IMMEDIATE``: they wait for the write lock up front instead of failing
    on a write that another process made after their first read. Foreign keys are off, as SQLite's procedure
    for schema changes asks: a batch migration copies a table and drops the old one, and with foreign keys on
    that drop deletes every row that refers to the table through ON DELETE CASCADE (a downgrade of revision
    0002 emptied the history that way); ``foreign_key_problems`` checks them before a commit instead."""
    if not _is_sqlite_file(engine):
        return engine
    return _explicit_transactions(engine, "BEGIN IMMEDIATE", foreign_keys=False)


@contextmanager
def schema_transaction(engine: Engine | None = None) -> Iterator[Connection]:
    """One transaction that may change the schema and the rows, committed when the block ends (rolled back on
    an error), on SQLite too: the migration engine's (see ``migration_engine``; foreign keys are not checked
    on SQLite until ``foreign_key_problems`` is asked)."""
    with migration_engine(engine or get_engine()).connect() as connection, connection.begin():
        yield connection


@contextmanager
def snapshot(engine: Engine | None = None) -> Iterator[Connection]:
    """A connection whose reads all see the database as it was at the first of them, while others write on:
    a transaction on an SQLite file (its WAL keeps that state), REPEATABLE READ on PostgreSQL."""
    engine = engine or get_engine()
    if _is_sqlite_file(engine):
        engine = _explicit_transactions(engine, "BEGIN", foreign_keys=True)
    with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def foreign_key_problems(connection: Connection) -> list[tuple]:
    """Rows that refer to a row that does not exist: (table, rowid, referred table, key number), from SQLite's
    ``PRAGMA foreign_key_check``; always none on other databases, which refuse such rows when written."""
    if connection.dialect.name != "sqlite":
        return []
    return [tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check")]


def check_foreign_keys(ctx, **_about_the_step) -> None:
    """Refuse to commit a revision that left a row referring to a row that does not exist (with foreign keys
    off during migrations on SQLite, nothing else would notice). An Alembic ``on_version_apply`` callback."""
    broken = foreign_key_problems(ctx.connection)
    if broken:
        table, row, parent, _ = broken[0]
        raise RuntimeError(
            f"revision {ctx.get_current_revision()} left {len(broken)} row(s) referring to missing rows, "
            f"e.g. row {row} of {table} to {parent}; nothing of it was committed"
        )


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def revisions() -> list[str]:
    """Every schema revision this code knows, the oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(None))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def current_revision(connection: Connection) -> str | None:
    """The schema revision of the database behind ``connection`` (None: no tracker schema)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade_within(connection: Connection, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` inside the transaction open on ``connection``: they are committed
    or rolled back with it (a connection of ``schema_transaction``, so that on SQLite its DDL is too)."""
    from alembic import command

    config = alembic_config(connection.engine)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def upgrade_schema(engine: Engine | None = None) -> str:
    """Create or upgrade the schema to the newest migration; returns the revision now in place."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    engine = engine or get_engine()
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() or ""


def schema_is_current(engine: Engine | None = None) -> bool:
    """Whether the database has the newest schema (used to give a clear hint to run ``init``)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    engine = engine or get_engine()
    if not inspect(engine).has_table("alembic_version"):
        return False
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head
