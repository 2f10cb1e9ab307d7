"""The audit trail in the reader's language: the name of every action the services record, a readable
summary of what each event changed, and the table the audit page shows and downloads.

``ACTIONS`` is the one table of action codes (``record_event(..., "status.change", ...)`` in
``tracker/services``) and their names; a test holds it complete against the services' source. An event
of an action missing here still shows, under its code.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pandas as pd

from dashboard.auth import role_label
from dashboard.i18n import _, format_date, format_datetime, local_time, ngettext
from dashboard.statuses import label
from tracker import services

ACTIONS: dict[str, Callable[[], str]] = {
    "status.change": lambda: _("Status changed"),
    "status.propose": lambda: _("Rating proposed"),
    "review.approve": lambda: _("Proposal approved"),
    "review.return": lambda: _("Proposal returned"),
    "review.withdraw": lambda: _("Proposal withdrawn"),
    "evidence.add": lambda: _("Source added"),
    "pledge.success_criterion": lambda: _("Success criterion set"),
    "pledge.checkability": lambda: _("Checkability flagged"),
    "checkability.propose": lambda: _("Checkability flag proposed"),
    "translation.propose": lambda: _("Translation proposed"),
    "statuses.import": lambda: _("Ratings imported"),
    "programme.import": lambda: _("Programme imported"),
    "programme.restore": lambda: _("Programme restored"),
    "demo.generate": lambda: _("Demo data created"),
    "demo.remove": lambda: _("Demo data removed"),
    "account.add": lambda: _("Account created"),
    "account.disable": lambda: _("Account disabled"),
    "account.role": lambda: _("Role changed"),
    "account.password": lambda: _("Password set"),
    "account.display_name": lambda: _("Full name set"),
    "sign_in.failed": lambda: _("Sign-in failed"),
    "session.start": lambda: _("Signed in"),
    "session.end": lambda: _("Signed out"),
    "round.create": lambda: _("Double-rating round started"),
    "round.rate": lambda: _("Measures rated in a round"),
    "round.settle": lambda: _("Disagreement settled"),
    "round.close": lambda: _("Double-rating round closed"),
    "tip.accept": lambda: _("Hint accepted"),
    "tip.reject": lambda: _("Hint rejected"),
}

CHANNELS: dict[str, Callable[[], str]] = {
    "app": lambda: _("Web"),
    "sso": lambda: _("Single sign-on"),
    "cli": lambda: _("Command line"),
}


def action_label(code: str) -> str:
    return ACTIONS[code]() if code in ACTIONS else code


def _day(value: Any) -> str:
    try:
        return format_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _moment(value: Any) -> str:
    try:
        return format_datetime(dt.datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _status(value: Any) -> str:
    return label(value) if value else "?"


def _status_change(d: dict) -> str:
    sources = len(d.get("sources") or [])
    text = _("No. {sequence}: {old} → {new}, effective {date}, {sources}").format(
        sequence=d.get("sequence", "?"),
        old=_status(d.get("previous_status")),
        new=_status(d.get("status")),
        date=_day(d.get("effective_date")),
        sources=ngettext("{n} source", "{n} sources", sources).format(n=sources),
    )
    if d.get("corrects"):
        text += _(", corrects no. {n}").format(n=d["corrects"])
    return text


def _success_criterion(d: dict) -> str:
    if d.get("to"):
        return _("Success criterion: “{text}”").format(text=d["to"])
    return _("Success criterion removed")


def _statuses_import(d: dict) -> str:
    rows = int(d.get("rows") or 0)
    return ngettext("{n} rating from “{file}”", "{n} ratings from “{file}”", rows).format(n=rows, file=d.get("source"))


def _programme_import(d: dict) -> str:
    if d.get("created"):
        return _("Created from “{file}” with {n} measures").format(file=d.get("source"), n=d.get("added", 0))
    return _(
        "Revised from “{file}”: {added} added, {changed} changed, {renumbered} renumbered, {removed} removed, "
        "{retired} retired"
    ).format(
        file=d.get("source"),
        added=d.get("added", 0),
        **{key: len(d.get(key) or []) for key in ("changed", "renumbered", "removed", "retired")},
    )


def _account_add(d: dict) -> str:
    if d.get("display_name"):
        return _("Account {account} ({name}), role {role}").format(
            account=d.get("account"), name=d["display_name"], role=role_label(d.get("role"))
        )
    return _("Account {account}, role {role}").format(account=d.get("account"), role=role_label(d.get("role")))


def _display_name(d: dict) -> str:
    if d.get("from"):
        return _("Full name of {account}: “{old}” → “{new}”").format(
            account=d.get("account"), old=d["from"], new=d.get("to")
        )
    return _("Full name of {account}: “{new}”").format(account=d.get("account"), new=d.get("to"))


def _sign_in_failed(d: dict) -> str:
    reason = d.get("reason")
    if reason == "unknown_account":
        text = _("Unknown name")
    elif reason == "wrong_password":
        text = _("Wrong password (failed attempt {n} in a row)").format(n=d.get("attempts", "?"))
        if d.get("locked_until"):
            text += _("; account locked until {time}").format(time=_moment(d["locked_until"]))
    elif reason == "locked":
        text = _("Account temporarily locked after failed attempts (until {time})").format(
            time=_moment(d.get("locked_until"))
        )
    elif reason == "disabled":
        text = _("Account is disabled")
    elif reason == "address_limited":
        text = _("Too many failed sign-ins from this address; refused without a check")
    elif reason == "account_changed":
        text = _("The password was changed or the account disabled during the sign-in")
    else:
        text = str(reason)
    if d.get("address"):
        text += _("; from {address}").format(address=d["address"])
    if d.get("name_withheld"):
        text += _("; the name typed is not kept because it contained the password")
    return text


def _checkability(d: dict) -> str:
    flag = _("checkable") if d.get("checkable") else _("not checkable")
    return _("Flag c{id}: {flag}").format(id=d.get("id"), flag=flag)


SUMMARIES: dict[str, Callable[[dict], str]] = {
    "status.change": _status_change,
    "status.propose": lambda d: _("Proposal {ref}: {new}, effective {date}").format(
        ref=f"s{d.get('id')}", new=_status(d.get("status")), date=_day(d.get("effective_date"))
    ),
    "review.approve": lambda d: _("Proposal {ref} approved as no. {sequence}").format(
        ref=f"s{d.get('id')}", sequence=d.get("sequence", "?")
    ),
    "review.return": lambda d: _("Proposal {ref} returned: {reason}").format(
        ref=f"s{d.get('id')}", reason=d.get("reason") or ""
    ),
    "review.withdraw": lambda d: _("Proposal {ref} withdrawn").format(ref=f"s{d.get('id')}"),
    "evidence.add": lambda d: _("Source “{title}”: {url}").format(title=d.get("title"), url=d.get("url")),
    "pledge.success_criterion": _success_criterion,
    "pledge.checkability": lambda d: _checkability(d),
    "checkability.propose": lambda d: _checkability(d),
    "translation.propose": lambda d: _("Translation into {language}").format(language=d.get("language")),
    "statuses.import": _statuses_import,
    "programme.import": _programme_import,
    "programme.restore": lambda d: ngettext(
        "{n} measure restored from an export", "{n} measures restored from an export", int(d.get("pledges") or 0)
    ).format(n=d.get("pledges", 0)),
    "demo.generate": lambda d: _("{programmes} programmes, {pledges} measures, {changes} ratings (seed {seed})").format(
        programmes=d.get("programmes"), pledges=d.get("pledges"), changes=d.get("changes"), seed=d.get("seed")
    ),
    "demo.remove": lambda d: ngettext(
        "{n} demo programme removed", "{n} demo programmes removed", int(d.get("programmes") or 0)
    ).format(n=d.get("programmes", 0)),
    "account.add": _account_add,
    "account.disable": lambda d: _("Account disabled: {account}").format(account=d.get("account")),
    "account.role": lambda d: _("Role of {account}: {before} → {after}").format(
        account=d.get("account"), before=role_label(d.get("from")), after=role_label(d.get("to"))
    ),
    "account.password": lambda d: _("Password set for {account}").format(account=d.get("account")),
    "account.display_name": _display_name,
    "sign_in.failed": _sign_in_failed,
    "session.start": lambda d: "",
    "session.end": lambda d: "",
    "round.create": lambda d: _("Round {round}: {size} measures for {raters}").format(
        round=d.get("round"), size=d.get("size"), raters=" / ".join(d.get("raters") or ())
    ),
    "round.rate": lambda d: ngettext(
        "Round {round}: {n} measure rated", "Round {round}: {n} measures rated", int(d.get("rated") or 0)
    ).format(round=d.get("round"), n=d.get("rated", 0)),
    "round.settle": lambda d: _("Round {round}: settled as “{status}”").format(
        round=d.get("round"), status=label(d.get("status") or "")
    ),
    "round.close": lambda d: _("Round {round} closed").format(round=d.get("round")),
    "tip.accept": lambda d: _("Hint no. {tip}").format(tip=d.get("tip")),
    "tip.reject": lambda d: _("Hint no. {tip}: {reason}").format(tip=d.get("tip"), reason=d.get("reason")),
}


def summary(row: services.AuditRow) -> str:
    """What the event changed, in a line; an action without a summary shows its detail as it was recorded."""
    if row.action in SUMMARIES:
        return SUMMARIES[row.action](row.detail)
    return json.dumps(row.detail, ensure_ascii=False, sort_keys=True)


def columns(with_programme: bool) -> list[str]:
    """Who did what when first (a phone shows the first columns), the programme only while several appear."""
    programme = [_("Programme")] if with_programme else []
    return [_("Time"), _("Person"), _("Action"), _("Measure"), *programme, _("What changed"), _("Channel")]


def _cells(row: services.AuditRow, time: str, with_programme: bool) -> list[str]:
    programme = [row.programme or ""] if with_programme else []
    channel = CHANNELS[row.channel]() if row.channel in CHANNELS else row.channel
    return [time, row.actor, action_label(row.action), row.pledge or "", *programme, summary(row), channel]


def table(rows: list[services.AuditRow], with_programme: bool) -> pd.DataFrame:
    """The audit trail as the page shows it: local times, action names, a summary per event."""
    return pd.DataFrame(
        [_cells(row, format_datetime(row.at, "medium"), with_programme) for row in rows],
        columns=columns(with_programme),
    )


def csv(rows: list[services.AuditRow], with_programme: bool) -> str:
    """The same table for spreadsheets: local times written 2026-07-01 12:00:00, and the detail as recorded (JSON)."""
    return services.spreadsheet_csv(
        [*columns(with_programme), _("Details (JSON)")],
        (
            [
                *_cells(row, f"{local_time(row.at):%Y-%m-%d %H:%M:%S}", with_programme),
                json.dumps(row.detail, ensure_ascii=False, sort_keys=True),
            ]
            for row in rows
        ),
    )
