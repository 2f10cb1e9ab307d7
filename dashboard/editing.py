"""The dashboard's writes: each calls one use case of ``tracker.services`` with the signed-in actor, then
clears the read cache so that every page of this process shows the change at once, and publishes the
edition again when that is configured (``TRACKER_PUBLISH_DIR``)."""

from __future__ import annotations

from dashboard import data
from tracker import services
from tracker.edition.autopublish import republish


def record_change(
    slug: str, code: str, change: services.StatusChangeInput, actor: services.Actor, expected_version: int
) -> services.RecordedChange:
    recorded = services.record_status_change(slug, code, change, actor, expected_version=expected_version)
    _changed(slug)
    return recorded


def add_evidence(slug: str, code: str, source: services.SourceInput, actor: services.Actor) -> None:
    services.add_evidence(slug, code, source, actor)
    _changed(slug)


def set_success_criterion(slug: str, code: str, text: str, actor: services.Actor, expected_version: int) -> None:
    services.set_success_criterion(slug, code, text, actor, expected_version)
    _changed(slug)


def record_changes(slug: str, items: list[services.BulkItem], actor: services.Actor) -> list[services.RecordedChange]:
    recorded = services.record_status_changes(slug, items, actor)
    _changed(slug)
    return recorded


def run_import(slug: str, content: bytes, source: str, actor: services.Actor) -> services.ImportPlan:
    plan = services.import_statuses(slug, content, actor, source=source)
    _changed(slug)
    return plan


def _changed(slug: str) -> None:
    data.invalidate()
    republish(slug)


def approve(slug: str, kind: str, row_id: int, actor: services.Actor) -> None:
    services.approve_proposal(slug, kind, row_id, actor)
    _changed(slug)


def approve_batch(slug: str, kind: str, row_id: int, actor: services.Actor) -> int:
    count = services.approve_batch(slug, kind, row_id, actor)
    _changed(slug)
    return count


def return_proposal(slug: str, kind: str, row_id: int, actor: services.Actor, reason: str) -> None:
    services.return_proposal(slug, kind, row_id, actor, reason)
    data.invalidate()  # nothing public changed


def withdraw(slug: str, kind: str, row_id: int, actor: services.Actor) -> None:
    services.withdraw_proposal(slug, kind, row_id, actor)
    data.invalidate()


def propose_anew(
    slug: str, code: str, change: services.StatusChangeInput, actor: services.Actor, revises: int
) -> services.RecordedChange:
    """The author's corrected proposal in place of a returned one."""
    recorded = services.record_status_change(slug, code, change, actor, revises=revises)
    _changed(slug)
    return recorded
