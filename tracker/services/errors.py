"""Errors the services raise: a stable ``code``, the ``params`` that fill its message, and English text.

Every code's English wording is in ``MESSAGES``, the one table of what can go wrong. The CLI prints the
English text; the dashboard words the same code and parameters in the reader's language
(``dashboard/errors.py``, whose table a test holds complete against this one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# code -> English message; ``{name}`` placeholders are filled from the error's parameters.
MESSAGES: dict[str, str] = {
    # what a person typed into a field
    "empty": "must not be empty",
    "nul": "contains a NUL character; remove it and try again",
    "control_character": "contains the control character {char} at position {position}; remove it",
    "one_line": "must be a single line: a line break or tab ({char}) at position {position}; remove it",
    "bidi_control": (
        "contains {char} at position {position}, an invisible character that reverses the reading direction; remove it"
    ),
    "not_utf8_text": (
        "is not valid UTF-8 (byte {char} at position {position}); the terminal, file or program it comes from "
        "must use UTF-8"
    ),
    "too_long": "is {length} characters long; at most {max} are accepted",
    "not_date": "{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-15",
    "not_sheet_date": (
        "{value!r} is not a date; accepted: 01.10.2026 (DD.MM.YYYY), 2026-10-01 (YYYY-MM-DD) or a date cell"
    ),
    "not_url": "{value!r} is not a web address; accepted: a full http:// or https:// URL",
    "unknown_status": "unknown status {value!r}; accepted: {accepted}",
    "unknown_kind": "unknown kind {value!r}; accepted: {accepted}",
    "unknown_choice": "unknown value {value!r}; accepted: {accepted}",
    "date_in_future": "{value} lies in the future; accepted: {first} to {last}",
    "date_before_election": "{value} lies before the election on {first}; accepted: {first} to {last}",
    "published_in_future": "{value} lies in the future",
    "checkability_unchanged": "measure {pledge} is already flagged so; nothing was saved",
    "reason_required": "a broken pledge needs the reason it was broken; accepted: {accepted}",
    "unknown_reason": "unknown reason {value!r}; accepted: {accepted}",
    "reason_only_broken": "{value!r}: a reason is given only when the pledge is rated broken",
    "reason_text_only_other": "{value!r}: a text is given only with the reason 'other'",
    "no_sources": "at least one source (an http(s) URL with a title) is required",
    "no_such_change": "pledge {pledge} has no change #{sequence}; it has: {known}",
    "at_least": "must be at least {min}",
    "out_of_range": "{value} is out of range; accepted: {min} to {max}",
    "row_errors": "{count} problem(s); nothing was saved",
    # what a person searched for
    "search_too_long": "is {length} characters long; a search takes at most {max} characters and {words} words",
    "search_too_many_words": (
        "has {count} different words; a search takes at most {max} words and {characters} characters"
    ),
    # pledges and programmes
    "no_pledge": "No pledge with code {pledge!r} in {programme}.",
    "row_no_pledge": "no pledge {pledge!r} in {programme}",
    "row_no_pledge_close": "no pledge {pledge!r} in {programme}; did you mean {close}?",
    "listed_twice": "{pledge} is listed twice (also {other})",
    "no_programme": "No programme {slug!r}. Programmes here: {known}.",
    "no_area": "No policy area {area} in {programme}; its areas are numbered {known}.",
    "no_programmes": "No programme has been imported yet; run: tracker import-programme PATH",
    "several_programmes": "several programmes are loaded; name one of: {known}",
    "conflict": (
        "Pledge {pledge} was changed by someone else since you opened it; nothing was saved.{detail} "
        "Review the current state and record your change again."
    ),
    "history_would_be_lost": (
        "The revised text no longer contains {count} pledge(s) that have a status history: {codes}. "
        "Nothing was imported. To keep them (with their history) marked as retired, import again "
        "with --retire-removed; or restore them in the text."
    ),
    "already_recorded": (
        "this change is recorded already: #{sequence} of {pledge}, {status} as of {effective_date}, recorded "
        "by {author} at {recorded_at}; nothing was saved again"
    ),
    "demo_exists": "demo programme {slug} exists already; use another --seed or --replace",
    "import_running": (
        "another import of programme {slug} is running or has just been done; nothing was imported by this one. "
        "Try again."
    ),
    # files
    "unreadable": "cannot be read: {reason}",
    "metadata_missing": (
        "metadata file not found; put a .toml file with slug, title, party, municipality, "
        "election_date, term_start, term_end and language beside the programme text"
    ),
    "metadata_not_toml": "is not valid UTF-8 TOML: {reason}",
    "metadata_field": "{reason}",
    "not_json": "is not a UTF-8 JSON file: {reason}",
    "schema_violation": "{reason}; the format is described in {schema}",
    "wrong_format": "expected {expected!r}, found {found!r}",
    "slug_taken": "{slug!r} is already in this database; restore needs an empty one",
    "unknown_reference": "refers to an area or goal that the export does not contain",
    "corrects_later_change": "corrects a change that does not precede it",
    "not_time": "{value!r} is not a time; written as the export writes it, e.g. 2026-03-15T10:30:00+00:00",
    "twice": "{value!r} is in the file more than once; each must be there once",
    "unwritable": "cannot be written: {reason}",
    # backups (tracker backup, tracker restore-backup)
    "backup_damaged": "is not a complete backup: {reason}; nothing was restored",
    "backup_newer": (
        "was written by a newer version of the tracker ({found}; this version reads up to {known}); restore it "
        "with that version or a newer one"
    ),
    "database_not_empty": (
        "holds {holds} already; restore-backup needs an empty database, or --replace to delete all of it first"
    ),
    # spreadsheets (Excel or CSV) of status changes
    "file_too_large": (
        "the file is larger than {megabytes} MB ({max} bytes), the most one import accepts; split it into several files"
    ),
    "too_many_rows": "the file has more than {max} rows, the most one import accepts; split it",
    "xlsx_too_large": (
        "the workbook unpacks to more than {megabytes} MB, the most one import accepts; split it into several files"
    ),
    "utf16": "is UTF-16 encoded; save the file as an Excel workbook (.xlsx) or as 'CSV UTF-8'",
    "not_utf8": (
        "byte 0x{byte} is neither UTF-8 nor Windows-1252; save the file as an Excel workbook (.xlsx) or as "
        "'CSV UTF-8' (Excel: Save as > CSV UTF-8; LibreOffice: character set Unicode (UTF-8))"
    ),
    "old_excel": "is an Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx) or as CSV",
    "not_xlsx": (
        "cannot be read as an Excel workbook ({reason}); save it as an Excel workbook (.xlsx, Excel 2007 or later) "
        "or as CSV"
    ),
    "not_csv": (
        "is not valid CSV from here on ({reason}); a cell that holds the delimiter {delimiter!r}, a line "
        'break or a double quote must be enclosed in double quotes, with its own quotes doubled ("")'
    ),
    "header_empty": "is empty; the first line must name the columns: {accepted}",
    "unknown_column": "unknown column; accepted columns: {accepted}",
    "column_twice": "this column is named twice; name each column once",
    "column_missing": "column missing; the header must name these columns (any order): {accepted}",
    "cell_count": (
        "has {cells} cells but the header has {columns}; each row needs one cell per column "
        "(enclose a cell that holds the delimiter in double quotes)"
    ),
    "unnamed_cell": "column {column} has a value but no name in the header; accepted columns: {accepted}",
    "nul_byte": "contains a NUL byte (0x00); remove it",
    "no_rows": "has no rows below the header; one row per change: {accepted}",
    "code_empty": "is empty; accepted: a pledge code such as 8.2-4",
    "source_missing": "is empty; every change needs a source: {url} (http:// or https://) and {title}",
    "template_example": "the example row of the template ({code}) was left in; delete it",
    # accounts and permissions
    "sign_in_required": "Sign in to make changes.",
    "actor_role_unknown": "Unknown role {role!r}.",
    "admin_only": "Only an admin may do this.",
    "sso_not_allowed": "This account is not allowed to edit the tracker.",
    "sign_in_failed": (
        "Sign-in failed: the name or password is wrong, or the account is locked. After "
        "{attempts} failed attempts an account is locked for {minutes} minutes."
    ),
    "account_name": "1 to 100 characters without spaces, e.g. anna.schmidt",
    "password_length": "must have {min} to {max} characters; a few words work well",
    "no_account": "No account named {name!r}.",
    "account_unknown": "There is no account named {name!r} (any more); sign in with an existing account.",
    "account_disabled": "The account {name!r} is disabled; it can no longer sign in or record changes.",
    "account_exists": "an account named {name!r} exists already",
    # double-rating rounds
    "no_round": "No round {round} in {programme}; its rounds: {known}.",
    "raters_same": "the two raters must be two different accounts; {name} was named twice",
    "rater_unknown": "there is no account named {name!r}; a rater is an existing, enabled account",
    "rater_disabled": "the account {name!r} is disabled; a rater is an existing, enabled account",
    "not_a_rater": "Only the two raters of round {round} rate its measures; {name} is not one of them.",
    "not_in_round": "measure {pledge!r} is not in the sample of round {round}; its measures: {known}",
    "rating_final": "{pledge} is rated already in round {round}; a rating is final once given",
    "round_closed": "round {round} is closed; nothing more can be rated, settled or changed in it",
    "round_incomplete": (
        "round {round} is not complete: {missing} rating(s) missing; the agreement is computed and the "
        "disagreements are settled once both raters have rated every measure"
    ),
    "no_disagreement": "both raters rated {pledge} {status} in round {round}; only disagreements are settled",
    "already_settled": "the disagreement on {pledge} in round {round} is settled already (by {by})",
    "rater_cannot_settle": (
        "A rater of round {round} cannot settle its disagreements; a third person (a reviewer or an admin) does."
    ),
    "unsettled": "round {round} has {count} unsettled disagreement(s): {codes}; settle them before closing the round",
    # hints from the public (tips)
    "not_email": "{value!r} is not an e-mail address; accepted: an address such as name@example.org, or nothing",
    "tips_per_session": (
        "You have sent {max} hints within {minutes} minutes; you can send the next one from {again} on. Thank you!"
    ),
    "tips_per_address": (
        "{max} hints within {minutes} minutes came from your network; the next one can be sent from {again} on."
    ),
    "no_tip": "No hint no. {tip} in {programme}.",
    "tip_closed": "Hint no. {tip} was {state} already by {by} at {at}; nothing was changed.",
    "tip_without_source": "Hint no. {tip} names no web address, so it cannot become a source; accept it as a rating.",
    # review by a second person
    "reviewer_only": "Only a reviewer or an admin may approve or return what others propose.",
    "own_proposal": "Nobody may approve or return their own proposal; another reviewer must do it.",
    "not_your_proposal": "Only its author may withdraw a proposal or propose it anew.",
    "not_proposed": "This is not waiting for review (it is {state}); nothing was changed.",
    "not_withdrawable": "This can no longer be withdrawn (it is {state}); nothing was changed.",
    "not_returned": "Only a returned proposal can be proposed anew (this one is {state}).",
    "return_needs_reason": "say why it is returned, so that its author can correct it",
    "no_proposal": "No proposal {ref!r} in this programme; name one as {accepted} (tracker review list shows them).",
    "already_proposed": (
        "this change is proposed already (by {author} at {recorded_at}) and waits for review; nothing was saved again"
    ),
}

# Fields as the English messages name them; ``{index}`` is the number of a source in its change.
FIELD_NAMES: dict[str, str] = {
    "source.url": "source {index} URL",
    "source.title": "source {index} title",
    "source.kind": "source {index} kind",
    "source.published_on": "source {index} publication date",
    "success_criterion": "success criterion",
    "broken_reason": "reason it was broken",
    "broken_reason_text": "the other reason",
    "checkability_reason": "reason of the flag",
    "checkable": "checkable",
    "display_name": "display name",
    "author": "author",
    "query": "search",
    "size": "sample size",
    "raters": "raters",
    "note": "settlement note",
    "tip.text": "hint",
    "tip.source_url": "web address of the source",
    "tip.email": "e-mail address",
    "tip.reason": "reason",
    "review_note": "reason",
    "translation": "translation",
    "language": "language",
}


def english(code: str, params: dict[str, Any]) -> str:
    return MESSAGES[code].format(**params)


def field_name(key: str, index: int | None = None) -> str:
    """The English name of a field key (``source.url`` with index 1 is "source 1 URL")."""
    name = FIELD_NAMES.get(key)
    return key if name is None else name.format(index=index)  # a key of our own, or a path or column as given


class TrackerError(Exception):
    """Base of every error meant for a person: a stable ``code`` and the ``params`` of its message.

    ``str(error)`` is the English text; subclasses that say more override ``english``.
    """

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(self.english())

    @property
    def message(self) -> str:
        """The English message of the code alone."""
        return english(self.code, self.params)

    def english(self) -> str:
        return self.message


class InvalidInput(TrackerError):
    """A field had a value the tracker cannot accept; ``field`` is its key, ``index`` a source's number."""

    def __init__(self, field: str, code: str, *, index: int | None = None, **params: Any):
        self.field = field
        self.index = index
        super().__init__(code, **params)

    def english(self) -> str:
        return f"{field_name(self.field, self.index)}: {self.message}"


class NotFound(TrackerError):
    """Nothing has that code or name; ``suggestions`` holds the closest existing ones."""

    def __init__(self, code: str, suggestions: list[str] | None = None, **params: Any):
        self.suggestions = suggestions or []
        super().__init__(code, **params)

    def english(self) -> str:
        if not self.suggestions:
            return self.message
        return f"{self.message} Did you mean: {', '.join(self.suggestions)}?"


class Conflict(TrackerError):
    """Someone else changed the same pledge since it was read; nothing was written.

    ``last_recorded`` is the change recorded last (sequence, status, author, recorded_at ...), if any.
    """

    def __init__(self, pledge: str, last_recorded: dict | None):
        self.last_recorded = last_recorded
        detail = (
            f" The latest change (#{last_recorded['sequence']}) by {last_recorded['author']} at "
            f"{last_recorded['recorded_at']} set it to {last_recorded['status']}."
            if last_recorded
            else ""
        )
        super().__init__("conflict", pledge=pledge, detail=detail)


class AlreadyRecorded(TrackerError):
    """The same change (status, date, rationale, sources) is in the pledge's history already; nothing was saved."""

    def __init__(self, pledge: str, sequence: int | None, status: str, effective_date, author: str, recorded_at):
        self.sequence = sequence  # None: the same change is proposed already and waits for review
        super().__init__(
            "already_recorded" if sequence is not None else "already_proposed",
            pledge=pledge,
            sequence=sequence,
            status=status,
            effective_date=effective_date,
            author=author,
            recorded_at=recorded_at,
        )


class ImportRefused(TrackerError):
    """An import would lose something (for example pledges with history); nothing was written."""


class ReviewRefused(TrackerError):
    """A proposal is not in the state that the review step needs (approved already, withdrawn ...)."""


class PermissionDenied(TrackerError):
    """The actor may not do this; nothing was written."""


class TooManyTips(TrackerError):
    """A hint from the public beyond the limit per browser session or per client address; nothing was stored.
    ``again`` (a parameter) is when the next one is accepted."""


class SignInFailed(TrackerError):
    """Wrong name or password, a disabled or a locked account: deliberately one message for all."""


@dataclass(frozen=True)
class RowError:
    """One problem of one row: a file's ``line``, or a ``pledge`` code in a bulk edit."""

    field: str  # a column of the file, or a field key of a status change
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    pledge: str | None = None
    index: int | None = None  # a source's number, for source fields

    @property
    def row(self) -> str:
        """How a person finds it: "line 57" or "8.2-4"."""
        return f"line {self.line}" if self.line is not None else self.pledge or ""

    @property
    def message(self) -> str:
        return english(self.code, self.params)

    def __str__(self) -> str:
        return f"{self.row}, {field_name(self.field, self.index)}: {self.message}"


class RowErrors(TrackerError):
    """Several rows of a bulk edit or an import are invalid; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("row_errors", count=len(errors))

    def english(self) -> str:
        shown = "\n".join(f"  {e}" for e in self.errors[:50])
        more = f"\n  ... and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        return f"{len(self.errors)} problem(s); nothing was saved:\n{shown}{more}"
