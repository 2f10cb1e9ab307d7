"""Alembic environment: runs on the engine handed over by ``tracker.db`` (or TRACKER_DATABASE_URL).

Each revision runs in its own transaction, together with the update of ``alembic_version``, on SQLite too
(``db.migration_engine``): a crash at any point leaves the database at the revision before or after the one
that was running, and the next ``tracker init`` carries on from there.
"""

from __future__ import annotations

from alembic import context

from tracker import db
from tracker.models import Base

config = context.config
engine = db.migration_engine(config.attributes.get("engine") or db.get_engine())

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        transactional_ddl=True,
        transaction_per_migration=True,
        on_version_apply=[db.check_foreign_keys],
    )
    with context.begin_transaction():
        context.run_migrations()
