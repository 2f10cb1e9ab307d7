"""The six statuses a pledge can have, in the fixed order used on every chart and list."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NOT_RATED = "not_rated"
    IN_PROGRESS = "in_progress"
    STALLED = "stalled"
    PARTIALLY_KEPT = "partially_kept"
    KEPT = "kept"
    BROKEN = "broken"


STATUS_KEYS: tuple[str, ...] = tuple(s.value for s in Status)


class SourceKind(StrEnum):
    COUNCIL = "council"
    PRESS = "press"
    CITY = "city"
    PARTY = "party"
    OTHER = "other"


SOURCE_KINDS: tuple[str, ...] = tuple(k.value for k in SourceKind)


class Role(StrEnum):
    EDITOR = "editor"  # records status changes and evidence
    ADMIN = "admin"  # also manages accounts and sees the audit trail


ROLES: tuple[str, ...] = tuple(r.value for r in Role)
