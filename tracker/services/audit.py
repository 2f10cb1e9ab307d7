"""Reading the audit trail (admins): every write and every failed sign-in, with actor, time and what changed.

Days are the tracker's local days (``clock.LOCAL_TIMEZONE``): "until 01.07.2026" ends at midnight in Herne,
not in Greenwich. How an event is worded (action names, a summary of its detail) is the front end's part.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from tracker import clock
from tracker.models import AuditEvent, Programme
from tracker.services.auth import Actor, require
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import Role


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime  # UTC
    actor: str  # the account's login name (for a failed sign-in: the name tried)
    channel: str  # app, sso or cli
    action: str  # e.g. "status.change", "sign_in.failed"
    programme: str | None
    pledge: str | None
    detail: dict[str, Any]


def list_events(
    actor: Actor,
    person: str | None = None,
    pledge: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    action: str | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    """Audit events, newest first, filtered by person, pledge code, action and local days (admins only)."""
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
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if since:
        stmt = stmt.where(AuditEvent.at >= clock.local_day_start(since))
    if until:
        stmt = stmt.where(AuditEvent.at < clock.local_day_start(until + dt.timedelta(days=1)))
    with unit_of_work() as session:
        require(session, actor, Role.ADMIN)
        events = session.execute(stmt).all()
    rows = []
    for event, slug in events:
        detail = json.loads(event.detail or "{}")
        channel = detail.pop("channel", "")
        rows.append(
            AuditRow(clock.as_utc(event.at), event.actor, channel, event.action, slug, event.pledge_code, detail)
        )
    return rows


@dataclass(frozen=True)
class AuditSpan:
    """What the audit trail's filters offer: its people, and its local days from the first event to today."""

    people: tuple[str, ...]  # accounts, and names tried at failed sign-ins, by name
    first_day: dt.date
    today: dt.date


def audit_span(actor: Actor) -> AuditSpan:
    today = clock.local_date(clock.now_utc())
    with unit_of_work() as session:
        require(session, actor, Role.ADMIN)
        people = tuple(session.scalars(select(AuditEvent.actor).distinct().order_by(AuditEvent.actor)))
        first = session.scalar(select(func.min(AuditEvent.at)))
    return AuditSpan(people, min(clock.local_date(first), today) if first else today, today)
