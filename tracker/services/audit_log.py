"""Writing the audit trail: one event per write, added to the writer's own transaction."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import AuditEvent
from tracker.services.actor import Actor


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    programme_id: int | None = None,
    pledge_code: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to the caller's transaction (so it exists exactly when the write does)."""
    session.add(
        AuditEvent(
            programme_id=programme_id,
            at=clock.now_utc(),
            actor=actor.name,
            action=action,
            pledge_code=pledge_code,
            detail=json.dumps({"channel": actor.channel, **(detail or {})}, ensure_ascii=False, default=str),
        )
    )
