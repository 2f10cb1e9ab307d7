"""Reading the audit trail (admins): every write with actor, time and what changed; as a list or as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from tracker import clock
from tracker.formulas import neutralise_formula
from tracker.models import AuditEvent, Programme
from tracker.services.auth import Actor, require
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import Role


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    actor: str
    channel: str
    action: str
    programme: str | None
    pledge: str | None
    detail: dict[str, Any]


def list_events(
    actor: Actor,
    person: str | None = None,
    pledge: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    """Audit events, newest first, filtered by person, pledge code and day range (admins only)."""
    require(actor, Role.ADMIN)
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
    with unit_of_work() as session:
        events = session.execute(stmt).all()
    for event, slug in events:
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
