"""Alembic environment: runs on the engine handed over by ``tracker.db`` (or TRACKER_DATABASE_URL)."""

from __future__ import annotations

from alembic import context

from tracker.db import get_engine
from tracker.models import Base

config = context.config
engine = config.attributes.get("engine") or get_engine()

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    context.run_migrations()
