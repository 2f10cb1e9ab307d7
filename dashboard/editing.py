"""The dashboard's writes: each opens one transaction, calls ``tracker.services`` with the signed-in
actor, and clears the read cache so that every page of this process shows the change at once."""

from __future__ import annotations

from tracker import db, services
from tracker.services import Actor, browse, status_import


def fresh_pledge(slug: str, code: str) -> browse.PledgeView:
    """The pledge as it is now (not cached): what an editor changes must be the newest state."""
    with db.session_scope() as session:
        return browse.pledge_view(session, services.get_programme(session, slug), code)


def _done() -> None:
    from dashboard import data

    data.invalidate()


def record_change(slug: str, code: str, change: services.StatusChangeInput, actor: Actor, expected_version: int):
    with db.session_scope() as session:
        programme = services.get_programme(session, slug)
        recorded = services.record_status_change(
            session, programme, code, change, actor, expected_version=expected_version
        )
        sequence = recorded.sequence
    _done()
    return sequence


def add_evidence(slug: str, code: str, source: services.SourceInput, actor: Actor) -> None:
    with db.session_scope() as session:
        services.add_evidence(session, services.get_programme(session, slug), code, source, actor)
    _done()


def set_success_criterion(slug: str, code: str, text: str, actor: Actor, expected_version: int) -> None:
    with db.session_scope() as session:
        services.set_success_criterion(
            session, services.get_programme(session, slug), code, text, actor, expected_version
        )
    _done()


def record_bulk(slug: str, items: list[services.BulkItem], actor: Actor) -> int:
    with db.session_scope() as session:
        recorded = services.record_status_changes(session, services.get_programme(session, slug), items, actor)
        count = len(recorded)
    _done()
    return count


def plan_import(slug: str, data: bytes, source: str, actor: Actor) -> status_import.ImportPlan:
    """A dry run: what the file would change, or every error in it; nothing is written."""
    with db.session_scope() as session:
        return status_import.import_statuses(
            session, services.get_programme(session, slug), data, actor, source=source, dry_run=True
        )


def run_import(slug: str, data: bytes, source: str, actor: Actor) -> status_import.ImportPlan:
    with db.session_scope() as session:
        plan = status_import.import_statuses(session, services.get_programme(session, slug), data, actor, source=source)
    _done()
    return plan


def audit(actor: Actor, person: str | None, pledge: str | None, since, until) -> list[services.AuditRow]:
    with db.session_scope() as session:
        return services.list_events(session, actor, person, pledge, since, until)


def bulk_rows(slug: str, area: int | None, goal: str | None, statuses: tuple[str, ...]) -> list[tuple]:
    """(code, text, status, version) of the pledges to edit in bulk, in programme order, uncached."""
    with db.session_scope() as session:
        programme = services.get_programme(session, slug)
        return browse.editable_rows(session, programme, area, goal, statuses)
