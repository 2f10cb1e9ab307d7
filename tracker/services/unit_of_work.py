"""The unit of work: every use case opens one, does its reads and writes in it, and it commits or rolls back.

This is the only place that opens a database session (cosmicpython's ``unit_of_work``); the CLI and the
dashboard call use cases and never see a session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from tracker import db


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction on the configured database: committed when the block ends, rolled back on any error."""
    session = db.session_factory(db.get_engine())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
