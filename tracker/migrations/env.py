"""Alembic environment: runs on the engine handed over by ``tracker.db`` (or TRACKER_DATABASE_URL), or inside
the transaction of a connection handed over (``db.upgrade_within``).

Each revision runs in its own transaction, together with the update of ``alembic_version``, on SQLite too
(``db.migration_engine``): a crash at any point leaves the database at the revision before or after the one
that was running, and the next ``tracker init`` carries on from there.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from tracker import db
from tracker.models import Base

config = context.config


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        transactional_ddl=True,
        transaction_per_migration=True,  # ignored inside a transaction of the caller's: that one holds them all
        on_version_apply=[db.check_foreign_keys],
    )
    with context.begin_transaction():
        context.run_migrations()


if config.attributes.get("connection") is not None:
    run_migrations(config.attributes["connection"])
else:
    with db.migration_engine(config.attributes.get("engine") or db.get_engine()).connect() as connection:
        run_migrations(connection)
