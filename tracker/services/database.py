"""The database as the front ends see it: where it is, and whether its schema is the one this code expects."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from tracker import db


def database_description() -> str:
    """The configured database URL without its password (what messages may show)."""
    return make_url(db.database_url()).render_as_string(hide_password=True)


def upgrade_schema() -> str:
    """Create the schema or upgrade it to the newest migration; returns the revision now in place."""
    return db.upgrade_schema()


def schema_is_current() -> bool:
    """Whether the database has the newest schema (front ends then hint to run ``tracker init``)."""
    return db.schema_is_current()
