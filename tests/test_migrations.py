"""The migrations describe the models exactly, on both databases."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from tracker import db


def test_alembic_check_finds_no_difference_between_models_and_migrations(engine):
    command.check(db.alembic_config(engine))  # raises when autogenerate would produce a migration


def test_upgrade_is_repeatable_and_creates_the_tables(engine):
    db.upgrade_schema(engine)
    assert db.schema_is_current(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"programme", "area", "goal", "pledge", "status_change", "evidence"} <= tables
