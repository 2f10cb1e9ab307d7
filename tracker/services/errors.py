"""Errors the services raise; each message says what was wrong and what would be accepted."""

from __future__ import annotations

from dataclasses import dataclass


class TrackerError(Exception):
    """Base of every error meant to be shown to a person as it is."""


class InvalidInput(TrackerError):
    """A field had a value the tracker cannot accept."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class NotFound(TrackerError):
    """Nothing has that code or name; ``suggestions`` holds the closest existing ones."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        if self.suggestions:
            message += " Did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class Conflict(TrackerError):
    """Someone else changed the same pledge since it was read; nothing was written."""

    def __init__(self, message: str, latest_change: dict | None = None):
        self.latest_change = latest_change
        super().__init__(message)


class ImportRefused(TrackerError):
    """An import would lose something (for example pledges with history); nothing was written."""


class SchemaMissing(TrackerError):
    """The database has no schema, or an old one."""


@dataclass(frozen=True)
class RowError:
    row: str  # how the person finds it: "line 57", "8.2-4"
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.row}, {self.field}: {self.message}"


class RowErrors(TrackerError):
    """Several rows of a bulk edit or an import are invalid; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        shown = "\n".join(f"  {e}" for e in errors[:50])
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} problem(s); nothing was saved:\n{shown}{more}")
