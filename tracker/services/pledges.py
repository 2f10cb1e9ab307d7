"""Finding a pledge by its code in a unit of work; an unknown code comes with the closest existing ones."""

from __future__ import annotations

import difflib

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Pledge, Programme, StatusChange
from tracker.services.errors import NotFound
from tracker.services.inputs import shown
from tracker.textfiles import unsafe_character

MAX_CODE = 40  # Pledge.code


def find_pledge(session: Session, programme: Programme, code: str) -> Pledge:
    """The pledge with ``code`` in ``programme``, its history loaded; ``NotFound`` suggests close codes.

    A code no pledge can have (too long, or with a character no code holds) is not looked up at all."""
    code = code.strip()
    if not could_be_code(code):
        raise NotFound("no_pledge", pledge=shown(code), programme=programme.slug)
    pledge = session.scalar(
        select(Pledge)
        .where(Pledge.programme_id == programme.id, Pledge.code == code)
        .options(selectinload(Pledge.changes).selectinload(StatusChange.sources))
    )
    if pledge is None:
        raise NotFound("no_pledge", close_codes(session, programme, code), pledge=code, programme=programme.slug)
    return pledge


def could_be_code(code: str) -> bool:
    """Whether a pledge could have ``code``: not longer than a code is, no character a code cannot hold."""
    return 0 < len(code) <= MAX_CODE and unsafe_character(code) is None


def close_codes(session: Session, programme: Programme, code: str, limit: int = 5) -> list[str]:
    """Existing codes that look like ``code``; for "8.2" or "8.2-", the pledges of that goal or area."""
    codes = list(session.scalars(select(Pledge.code).where(Pledge.programme_id == programme.id)))
    close = difflib.get_close_matches(code, codes, n=limit, cutoff=0.5)
    if not close:
        prefix = code.rstrip("-") + "-"
        close = [c for c in codes if c.startswith(prefix)][:limit]
    return close
