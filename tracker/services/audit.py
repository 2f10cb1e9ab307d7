"""The audit trail: every write recorded with actor, time and what changed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import AuditEvent

if TYPE_CHECKING:
    from tracker.services.auth import Actor


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    actor: str
    channel: str
    action: str
    programme: str | None
    pledge: str | None
    detail: dict[str, Any]


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


def list_events(
    session: Session,
    actor: Actor,
    person: str | None = None,
    pledge: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    """Audit events, newest first, filtered by person, pledge code and day range (admins only)."""
    from tracker.models import Programme
    from tracker.services.auth import require

    require(actor, "admin")
    stmt = (
        select(AuditEvent, Programme.slug)
        .outerjoin(Programme, Programme.id == AuditEvent.programme_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    if person:
        stmt = stmt.where(AuditEvent.actor == person)
    if pledge:
        stmt = stmt.where(AuditEvent.pledge_code == pledge)
    if since:
        stmt = stmt.where(AuditEvent.at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    if until:
        stmt = stmt.where(AuditEvent.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC))
    rows = []
    for event, slug in session.execute(stmt):
        detail = json.loads(event.detail or "{}")
        rows.append(
            AuditRow(
                clock.as_utc(event.at),
                event.actor,
                detail.pop("channel", ""),
                event.action,
                slug,
                event.pledge_code,
                detail,
            )
        )
    return rows


def audit_csv(rows: list[AuditRow]) -> str:
    from tracker.services.opendata import neutralise_formula

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["at", "actor", "channel", "action", "programme", "pledge", "detail"])
    for row in rows:
        cells = [
            row.at.isoformat(),
            row.actor,
            row.channel,
            row.action,
            row.programme or "",
            row.pledge or "",
            json.dumps(row.detail, ensure_ascii=False, sort_keys=True),
        ]
        writer.writerow([neutralise_formula(c) for c in cells])
    return out.getvalue()
