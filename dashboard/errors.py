"""Every error of the services, worded in the page's language: the one place the dashboard turns a
``TrackerError`` (its stable code and parameters) into a message a reader understands.

``MESSAGES`` holds one template per code of ``tracker.services.errors.MESSAGES`` but those in
``WORDED_APART`` (a test keeps the two tables in step); field keys are named with the labels of the
forms ("Adresse der Quelle 1").

Anything else that goes wrong while a page runs (a bug, a database that does not answer) is not shown:
``show_unexpected`` says in the page's language that the page could not be shown, with a short reference,
and logs the details under that reference for whoever runs the server.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.i18n import _, current_language, format_date, format_datetime, ngettext
from dashboard.statuses import broken_reason_label, label, source_kind_label
from dashboard.text import plain
from tracker import services
from tracker.statuses import BROKEN_REASONS, SOURCE_KINDS, STATUS_KEYS

log = logging.getLogger(__name__)

# code -> the template in the reader's language; called when shown, so it follows the chosen language.
MESSAGES: dict[str, Callable[[], str]] = {
    "empty": lambda: _("must not be empty"),
    "nul": lambda: _("contains a NUL character; remove it and try again"),
    "control_character": lambda: _("contains the control character {char} at position {position}; remove it"),
    "one_line": lambda: _("must be a single line: a line break or tab ({char}) at position {position}; remove it"),
    "bidi_control": lambda: _(
        "contains {char} at position {position}, an invisible character that reverses the reading direction; remove it"
    ),
    "not_utf8_text": lambda: _(
        "is not valid UTF-8 (byte {char} at position {position}); the file or program it comes from must use UTF-8"
    ),
    "too_long": lambda: _("is {length} characters long; at most {max} are accepted"),
    "not_date": lambda: _("“{value}” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-15"),
    "not_sheet_date": lambda: _(
        "“{value}” is not a date; accepted: 01.10.2026 (DD.MM.YYYY), 2026-10-01 (YYYY-MM-DD) or a date cell"
    ),
    "not_url": lambda: _("“{value}” is not a web address; accepted: a full address starting with http:// or https://"),
    "unknown_status": lambda: _("unknown status “{value}”; accepted: {accepted}"),
    "unknown_kind": lambda: _("unknown kind of source “{value}”; accepted: {accepted}"),
    "unknown_choice": lambda: _("unknown value “{value}”; accepted: {accepted}"),
    "date_in_future": lambda: _("{value} lies in the future; accepted: {first} to {last}"),
    "date_before_election": lambda: _("{value} lies before the election on {first}; accepted: {first} to {last}"),
    "published_in_future": lambda: _("{value} lies in the future"),
    "no_sources": lambda: _("at least one source (a web address with a title) is required"),
    "checkability_unchanged": lambda: _("measure {pledge} is already flagged so; nothing was saved"),
    "reason_required": lambda: _("a broken pledge needs the reason it was broken; accepted: {accepted}"),
    "unknown_reason": lambda: _("unknown reason “{value}”; accepted: {accepted}"),
    "reason_only_broken": lambda: _("“{value}”: a reason is given only when the pledge is rated broken"),
    "reason_text_only_other": lambda: _("“{value}”: a text is given only with the reason “Other reason”"),
    "no_such_change": lambda: _("measure {pledge} has no rating no. {sequence}; it has: {known}"),
    "at_least": lambda: _("must be at least {min}"),
    "out_of_range": lambda: _("{value} is out of range; accepted: {min} to {max}"),
    "search_too_long": lambda: _(
        "is {length} characters long; a search takes at most {max} characters and {words} words"
    ),
    "search_too_many_words": lambda: _(
        "has {count} different words; a search takes at most {max} words and {characters} characters"
    ),
    "no_pledge": lambda: _("There is no measure with the code “{pledge}” in this programme."),
    "row_no_pledge": lambda: _("there is no measure “{pledge}” in this programme"),
    "row_no_pledge_close": lambda: _("there is no measure “{pledge}” in this programme; did you mean {close}?"),
    "listed_twice": lambda: _("{pledge} is listed twice (also {other})"),
    "no_programme": lambda: _("There is no programme “{slug}”. Programmes here: {known}."),
    "no_area": lambda: _("There is no policy area {area} in this programme; its areas are numbered {known}."),
    "no_programmes": lambda: _("No programme has been loaded yet. Load one with: tracker import-programme PATH"),
    "several_programmes": lambda: _("several programmes are loaded; choose one of: {known}"),
    "conflict": lambda: _(
        "Not saved: {author} recorded “{status}” for measure {pledge} at {time} while you were editing. "
        "Check its current state, then save again."
    ),
    "already_recorded": lambda: _(
        "Not saved again: this rating is recorded already, as no. {sequence} of measure {pledge} "
        "(“{status}” as of {effective_date}, recorded by {author} on {recorded_at})."
    ),
    "history_would_be_lost": lambda: _(
        "The revised text no longer contains {count} measures that have a history: {codes}. Nothing was imported."
    ),
    "demo_exists": lambda: _("the demo programme {slug} exists already"),
    "import_running": lambda: _(
        "Another import of the programme {slug} is running or has just been done; nothing was imported by this one. "
        "Try again."
    ),
    "unreadable": lambda: _("cannot be read: {reason}"),
    "metadata_missing": lambda: _("the metadata file (.toml) beside the programme text is missing"),
    "metadata_not_toml": lambda: _("is not a valid UTF-8 TOML file: {reason}"),
    "metadata_field": lambda: _("{reason}"),
    "not_json": lambda: _("is not a UTF-8 JSON file: {reason}"),
    "schema_violation": lambda: _("{reason}; the format is described in {schema}"),
    "wrong_format": lambda: _("expected the format “{expected}”, found “{found}”"),
    "slug_taken": lambda: _("“{slug}” is already in this database"),
    "unknown_reference": lambda: _("refers to an area or goal that the file does not contain"),
    "corrects_later_change": lambda: _("corrects a rating that does not precede it"),
    "not_time": lambda: _("“{value}” is not a time; accepted: as the export writes it, e.g. 2026-03-15T10:30:00+00:00"),
    "twice": lambda: _("“{value}” is in the file more than once; each must be there once"),
    "unwritable": lambda: _("cannot be written: {reason}"),
    "backup_damaged": lambda: _("is not a complete backup: {reason}; nothing was restored"),
    "backup_newer": lambda: _(
        "was written by a newer version of the tracker ({found}; this version reads up to {known}); restore it "
        "with that version or a newer one"
    ),
    "database_not_empty": lambda: _("holds {holds} already; a backup is restored only into an empty database"),
    "file_too_large": lambda: _(
        "the file is larger than {megabytes} MB, the most one import accepts; split it into several files"
    ),
    "too_many_rows": lambda: _("the file has more than {max} rows, the most one import accepts; split it"),
    "xlsx_too_large": lambda: _(
        "the workbook unpacks to more than {megabytes} MB, the most one import accepts; split it into several files"
    ),
    "utf16": lambda: _("is saved as UTF-16; save the file as an Excel workbook (.xlsx) or as “CSV UTF-8”"),
    "not_utf8": lambda: _(
        "byte 0x{byte} is neither UTF-8 nor Windows-1252; save the file as an Excel workbook (.xlsx) or as "
        "“CSV UTF-8” (Excel: Save as > CSV UTF-8; LibreOffice: character set Unicode (UTF-8))"
    ),
    "old_excel": lambda: _("is an Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx) or as CSV"),
    "not_xlsx": lambda: _(
        "cannot be read as an Excel workbook ({reason}); save it as an Excel workbook (.xlsx) or as CSV"
    ),
    "not_csv": lambda: _(
        "is not valid CSV from here on ({reason}); a cell that holds the delimiter “{delimiter}”, a line break or "
        "a double quote must be enclosed in double quotes"
    ),
    "header_empty": lambda: _("is empty; the first line must name the columns: {accepted}"),
    "unknown_column": lambda: _("unknown column; accepted columns: {accepted}"),
    "column_twice": lambda: _("this column is named twice; name each column once"),
    "column_missing": lambda: _("column missing; the first line must name these columns (any order): {accepted}"),
    "cell_count": lambda: _("has {cells} cells but the first line has {columns}; each row needs one cell per column"),
    "unnamed_cell": lambda: _("column {column} has a value but no name in the first line; accepted: {accepted}"),
    "nul_byte": lambda: _("contains a NUL byte (0x00); remove it"),
    "no_rows": lambda: _("has no rows below the first line; one row per rating: {accepted}"),
    "code_empty": lambda: _("is empty; accepted: a measure code such as 8.2-4"),
    "source_missing": lambda: _("is empty; every rating needs a source: {url} (http:// or https://) and {title}"),
    "template_example": lambda: _("the example row of the template ({code}) was left in; delete it"),
    "sign_in_required": lambda: _("Sign in to make changes."),
    "actor_role_unknown": lambda: _("Unknown role “{role}”."),
    "admin_only": lambda: _("Only an admin may do this."),
    "sso_not_allowed": lambda: _("This account is not allowed to edit the tracker."),
    "sign_in_failed": lambda: _(
        "Sign-in failed: the name or password is wrong, or the account is locked. After {attempts} failed "
        "attempts an account is locked for {minutes} minutes."
    ),
    "account_name": lambda: _("1 to 100 characters without spaces, e.g. anna.schmidt"),
    "password_length": lambda: _("must have {min} to {max} characters; a few words work well"),
    "no_account": lambda: _("There is no account named “{name}”."),
    "account_unknown": lambda: _("There is no account named “{name}” (any more); sign in with an existing account."),
    "account_disabled": lambda: _("The account “{name}” is disabled; it can no longer sign in or record changes."),
    "account_exists": lambda: _("an account named “{name}” exists already"),
    "no_round": lambda: _("There is no round {round} in this programme; its rounds: {known}."),
    "raters_same": lambda: _("the two raters must be two different accounts; {name} was chosen twice"),
    "rater_unknown": lambda: _("there is no account named “{name}”; a rater is an existing, enabled account"),
    "rater_disabled": lambda: _("the account “{name}” is disabled; a rater is an existing, enabled account"),
    "not_a_rater": lambda: _("Only the two raters of round {round} rate its measures; {name} is not one of them."),
    "not_in_round": lambda: _("measure “{pledge}” is not in the sample of round {round}; its measures: {known}"),
    "rating_final": lambda: _("{pledge} is rated already in round {round}; a rating is final once given"),
    "round_closed": lambda: _("round {round} is closed; nothing more can be rated, settled or changed in it"),
    "round_incomplete": lambda: _(
        "round {round} is not complete: {missing} ratings are missing; the agreement is computed and the "
        "disagreements are settled once both raters have rated every measure"
    ),
    "no_disagreement": lambda: _(
        "both raters rated {pledge} “{status}” in round {round}; only disagreements are settled"
    ),
    "already_settled": lambda: _("the disagreement on {pledge} in round {round} is settled already (by {by})"),
    "rater_cannot_settle": lambda: _(
        "A rater of round {round} cannot settle its disagreements; a third person (a reviewer or an admin) does."
    ),
    "unsettled": lambda: _(
        "round {round} has {count} unsettled disagreements: {codes}; settle them before closing the round"
    ),
    "not_email": lambda: _(
        "“{value}” is not an e-mail address; accepted: an address such as name@example.org, or nothing"
    ),
    "tips_per_session": lambda: _(
        "Thank you! You have sent {max} hints within {minutes} minutes; you can send the next one from {again} on."
    ),
    "tips_per_address": lambda: _(
        "{max} hints within {minutes} minutes have come from your network; the next one can be sent from {again} on."
    ),
    "no_tip": lambda: _("There is no hint no. {tip} in this programme."),
    "tip_closed": lambda: _("Hint no. {tip} was closed already by {by} on {at}; nothing was changed."),
    "tip_without_source": lambda: _(
        "Hint no. {tip} names no web address, so it cannot become a source; accept it as a rating instead."
    ),
    "reviewer_only": lambda: _("Only a reviewer or an admin may approve or return what others propose."),
    "own_proposal": lambda: _("Nobody may approve or return their own proposal; another reviewer must do it."),
    "not_your_proposal": lambda: _("Only its author may withdraw a proposal or propose it anew."),
    "not_proposed": lambda: _("This is not waiting for review any more; nothing was changed."),
    "not_withdrawable": lambda: _("This can no longer be withdrawn; nothing was changed."),
    "not_returned": lambda: _("Only a returned proposal can be proposed anew."),
    "return_needs_reason": lambda: _("say why it is returned, so that its author can correct it"),
    "no_proposal": lambda: _("There is no proposal “{ref}” in this programme."),
    "already_proposed": lambda: _(
        "Not saved again: this rating is proposed already (by {author} on {recorded_at}) and waits for review."
    ),
}

# Codes that ``error_text`` words itself: "row_errors" needs a plural form of its count.
WORDED_APART = frozenset({"row_errors"})

# Field keys of the services -> the labels of the forms; a source's number follows its label.
FIELDS: dict[str, Callable[[], str]] = {
    "status": lambda: _("New status"),
    "rationale": lambda: _("Rationale"),
    "date": lambda: _("Effective date"),
    "sources": lambda: _("Source"),
    "source.url": lambda: _("Source URL"),
    "source.title": lambda: _("Source title"),
    "source.kind": lambda: _("Kind of source"),
    "source.published_on": lambda: _("Published on"),
    "corrects": lambda: _("Corrects an earlier rating (optional)"),
    "success_criterion": lambda: _("What would count as kept"),
    "broken_reason": lambda: _("Why it was broken"),
    "broken_reason_text": lambda: _("The other reason"),
    "checkability_reason": lambda: _("Why it cannot be checked"),
    "checkable": lambda: _("Checkable"),
    "author": lambda: _("Recorded by"),
    "code": lambda: _("Code"),
    "name": lambda: _("Name"),
    "password": lambda: _("Password"),
    "query": lambda: _("Search"),
    "size": lambda: _("Sample size"),
    "seed": lambda: _("Seed"),
    "raters": lambda: _("Raters"),
    "note": lambda: _("How the disagreements were settled"),
    "round": lambda: _("Round"),
    "tip": lambda: _("Hint"),
    "tip.text": lambda: _("Your hint"),
    "tip.source_url": lambda: _("Web address of a source (optional)"),
    "tip.email": lambda: _("Your e-mail address for a reply (optional)"),
    "tip.reason": lambda: _("Reason"),
    "review_note": lambda: _("Reason"),
    "translation": lambda: _("Translation"),
    "language": lambda: _("Language"),
}

# Fields of a search, not of a form that saves: their errors do not begin with "Not saved."
SEARCH_FIELDS = frozenset({"query"})

# Places in a file that are not one of its columns (a file's columns keep the names the file gives them).
FILE_PLACES: dict[str, Callable[[], str]] = {
    "file": lambda: _("File"),
    "header": lambda: _("First line"),
    "cells": lambda: _("Cells"),
}


def accepted_statuses() -> str:
    return ", ".join(label(status) for status in STATUS_KEYS)


def accepted_kinds() -> str:
    return ", ".join(source_kind_label(kind) for kind in SOURCE_KINDS)


def accepted_reasons() -> str:
    return ", ".join(broken_reason_label(reason) for reason in BROKEN_REASONS)


def accepted_columns() -> str:
    """The columns of a status spreadsheet as the page's language names them (both names are accepted)."""
    german = current_language() == "de"
    return ", ".join(column.german if german else column.key for column in services.STATUS_SHEET_COLUMNS)


# What the services list as accepted (English, every spelling), said in the page's language instead.
ACCEPTED: dict[str, Callable[[], str]] = {
    "unknown_status": accepted_statuses,
    "unknown_kind": accepted_kinds,
    "reason_required": accepted_reasons,
    "unknown_reason": accepted_reasons,
    **dict.fromkeys(("header_empty", "unknown_column", "column_missing", "unnamed_cell", "no_rows"), accepted_columns),
}


def _shown(name: str, value: object) -> str:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return label(value) if name == "status" and value in STATUS_KEYS else str(value)


def message(code: str, params: dict) -> str:
    """The message of ``code`` in the page's language, its parameters filled in (dates and times localised,
    a status parameter by its label, the accepted values in the page's language)."""
    shown = {name: _shown(name, value) for name, value in params.items()}
    if code in ACCEPTED and "accepted" in shown:
        shown["accepted"] = ACCEPTED[code]()
    return MESSAGES[code]().format(**shown)


def field_label(key: str, index: int | None = None) -> str:
    """A field as the form names it ("Adresse der Quelle 1"); a file's column keeps its name."""
    name = FIELDS[key]() if key in FIELDS else key
    return f"{name} {index}" if index is not None and key.startswith("source.") else name


def file_place(field: str) -> str:
    """Where in a file a problem is: its column as the file names it, or the file, its first line, the cells."""
    return FILE_PLACES[field]() if field in FILE_PLACES else field


def _conflict_message(error: services.Conflict) -> str:
    other = error.last_recorded or {}
    recorded = other.get("recorded_at")
    return message(
        "conflict",
        {
            "pledge": error.params["pledge"],
            "author": other.get("author", "?"),
            "status": label(other["status"]) if other.get("status") else "?",
            "time": format_date(dt.datetime.fromisoformat(recorded), "short") + " " + recorded[11:16]
            if recorded
            else "?",
        },
    )


def error_text(error: services.TrackerError) -> str:
    """One line for any error of the services, in the page's language."""
    if isinstance(error, services.Conflict):
        return _conflict_message(error)
    if isinstance(error, services.RowErrors):
        count = len(error.errors)
        return ngettext("Nothing was saved: {n} problem.", "Nothing was saved: {n} problems.", count).format(n=count)
    text = message(error.code, error.params)
    if isinstance(error, services.NotFound) and error.suggestions:
        text += " " + _("Did you mean: {codes}?").format(codes=", ".join(error.suggestions))
    if isinstance(error, services.InvalidInput):
        template = _("{field}: {message}") if error.field in SEARCH_FIELDS else _("Not saved. {field}: {message}")
        return template.format(field=field_label(error.field, error.index), message=text)
    return text


def row_table(errors: list[services.RowError]) -> pd.DataFrame:
    """The problems of a bulk edit or an import, one per row: where, which field or column, what is wrong."""
    in_file = all(e.line is not None for e in errors)
    return pd.DataFrame(
        [
            (
                _("Line {n}").format(n=e.line) if e.line is not None else e.pledge,
                field_label(e.field, e.index) if e.line is None else file_place(e.field),
                message(e.code, e.params),
            )
            for e in errors
        ],
        columns=[_("Where"), _("Column") if in_file else _("Field"), _("Problem")],
    )


def show_error(error: services.TrackerError, where=st) -> None:
    """Show any error of the services on the page (in ``where``, e.g. a tab): its message, and the rows."""
    where.error(plain(error_text(error)), icon=":material/error:")
    if isinstance(error, services.RowErrors):
        where.dataframe(row_table(error.errors), hide_index=True, width="stretch")


def show_unexpected(error: Exception) -> None:
    """A page that failed: an error of the services in words; anything else as "could not be shown" with a
    reference, its details (the traceback, with the address) logged under that reference, never shown."""
    if isinstance(error, services.TrackerError):
        show_error(error)
        return
    reference = secrets.token_hex(4)
    log.error("page %s failed (reference %s)", st.context.url, reference, exc_info=error)
    st.error(
        plain(
            _(
                "This page could not be shown. The error has been logged; if you write to us about it, quote the "
                "reference {reference}. Reload the page or try again later."
            ).format(reference=reference)
        ),
        icon=":material/error:",
    )
