"""Open data: the JSON export (documented by docs/pledge-tracker.schema.json), the CSV export, restore.

The JSON export holds nothing that depends on when it was made, so that export, restore into an
empty database and export again give identical files. Restore checks every text of the file by the rule of
its field (``inputs.check_characters``, and the length the database keeps), so that what the database cannot
hold (a NUL in an export of an older version, say) is refused naming the file, the measure and the field,
before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Container
from pathlib import Path
from typing import Any

from babel import Locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.formulas import neutralise_formula, spreadsheet_csv
from tracker.models import Area, Evidence, Goal, Pledge, PledgeTranslation, Programme, StatusChange, precedence
from tracker.search import fold, search_text
from tracker.services import spreadsheets
from tracker.services.audit_log import record_event
from tracker.services.auth import Actor, public_names, require
from tracker.services.errors import InvalidInput
from tracker.services.inputs import check_characters, normalise_scheme
from tracker.services.programmes import ProgrammeInfo, find_programme
from tracker.services.review import is_public, public_evidence
from tracker.services.translations import TRANSLATION_LANGUAGES, translations_by_pledge
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import BROKEN_REASON_LABELS, STATUS_LABELS, Role
from tracker.textfiles import shortened

FORMAT = "pledge-tracker/1"
MAX_INTEGER = 2**31 - 1  # the largest value of an integer column (PostgreSQL's integer)
SCHEMA_NAME = "pledge-tracker.schema.json"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / SCHEMA_NAME


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _source(
    url: str,
    title: str,
    kind: str,
    published_on: dt.date | None,
    added_by: str,
    added_at: dt.datetime,
    names: dict[str, str],
) -> dict[str, Any]:
    return {
        "url": normalise_scheme(url),  # stored before schemes were normalised on input: as restore accepts it
        "title": title,
        "kind": kind,
        "published_on": _date(published_on),
        "added_by": names.get(added_by, added_by),
        "added_at": clock.as_utc(added_at).isoformat(),
    }


def export_programme(programme: str | None) -> dict[str, Any]:
    """The whole programme as one JSON-ready dictionary."""
    with unit_of_work() as session:
        return _export(session, find_programme(session, programme))


def _export(session: Session, programme: Programme) -> dict[str, Any]:
    areas = session.scalars(select(Area).where(Area.programme_id == programme.id).order_by(Area.number)).all()
    goals = session.scalars(
        select(Goal).where(Goal.programme_id == programme.id).order_by(Goal.area_id, Goal.position)
    ).all()
    area_numbers = {a.id: a.number for a in areas}
    goal_codes = {g.id: g.code for g in goals}
    goals_by_area: dict[int, list[Goal]] = {}
    for goal in goals:
        goals_by_area.setdefault(goal.area_id, []).append(goal)
    pledges, last = _pledges(session, programme, area_numbers, goal_codes, public_names(session))

    return {
        "format": FORMAT,
        "programme": {
            "slug": programme.slug,
            "title": programme.title,
            "printed_title": programme.printed_title,
            "preamble": programme.preamble,
            "party": programme.party,
            "municipality": programme.municipality,
            "election_date": _date(programme.election_date),
            "term_start": _date(programme.term_start),
            "term_end": _date(programme.term_end),
            "language": programme.language,
            "source_name": programme.source_name,
            "source_sha256": programme.source_sha256,
            "is_demo": programme.is_demo,
            "last_updated": last.isoformat() if last else None,
        },
        "areas": [
            {
                "number": area.number,
                "title": area.title,
                "short_title": area.short_title,
                "why_important": area.why_important,
                "focus": area.focus,
                "goals": [
                    {
                        "code": goal.code,
                        "number": goal.number,
                        "title": goal.title,
                        "objective": goal.objective,
                        "group": goal.group_title,
                    }
                    for goal in goals_by_area.get(area.id, [])
                ],
            }
            for area in areas
        ],
        "pledges": pledges,
    }


def _pledges(
    session: Session, programme: Programme, area_numbers: dict, goal_codes: dict, names: dict[str, str]
) -> tuple[list[dict[str, Any]], dt.datetime | None]:
    """Every pledge with its history and sources, and the newest recording time: one plain query per table
    (100,000 pledges export in seconds, not the half minute the ORM's objects took); authors by their public
    names (``auth.public_names``)."""
    connection = session.connection()
    sources: dict[int, list[dict[str, Any]]] = {}  # by status change
    loose: dict[int, list[dict[str, Any]]] = {}  # by pledge: sources added without a status change
    for change_id, pledge_id, *fields in connection.execute(
        select(
            Evidence.status_change_id,
            Evidence.pledge_id,
            Evidence.url,
            Evidence.title,
            Evidence.kind,
            Evidence.published_on,
            Evidence.added_by,
            Evidence.added_at,
        )
        .where(Evidence.programme_id == programme.id, public_evidence())
        .order_by(Evidence.id)
    ):
        target = loose.setdefault(pledge_id, []) if change_id is None else sources.setdefault(change_id, [])
        target.append(_source(*fields, names))
    changes: dict[int, list] = {}
    for row in connection.execute(
        select(
            StatusChange.pledge_id,
            StatusChange.id,
            StatusChange.sequence,
            StatusChange.status,
            StatusChange.effective_date,
            StatusChange.rationale,
            StatusChange.author,
            StatusChange.recorded_at,
            StatusChange.corrects_id,
            StatusChange.broken_reason,
            StatusChange.broken_reason_text,
            StatusChange.reviewed_by,
            StatusChange.reviewed_at,
        ).where(StatusChange.programme_id == programme.id, is_public(StatusChange))
    ):
        changes.setdefault(row.pledge_id, []).append(row)
    last = max((clock.as_utc(row.recorded_at) for rows in changes.values() for row in rows), default=None)
    translations = translations_by_pledge(session, programme.id)
    pledges = []
    for pledge in connection.execute(
        select(
            Pledge.id,
            Pledge.code,
            Pledge.area_id,
            Pledge.goal_id,
            Pledge.position,
            Pledge.text,
            Pledge.success_criterion,
            Pledge.retired_on,
            Pledge.current_status,
            Pledge.status_date,
            Pledge.deadline,
            Pledge.checkable,
        )
        .where(Pledge.programme_id == programme.id)
        .order_by(Pledge.position)
    ):
        history = changes.get(pledge.id, [])
        by_id = {change.id: change.sequence for change in history}
        pledges.append(
            {
                "code": pledge.code,
                "area": area_numbers[pledge.area_id],
                "goal": goal_codes.get(pledge.goal_id) if pledge.goal_id else None,
                "position": pledge.position,
                "text": pledge.text,
                "success_criterion": pledge.success_criterion,
                "retired_on": _date(pledge.retired_on),
                "status": pledge.current_status,
                "status_date": _date(pledge.status_date),
                "deadline": _date(pledge.deadline),
                "checkable": pledge.checkable,
                "history": [
                    {
                        "sequence": change.sequence,
                        "status": change.status,
                        "effective_date": _date(change.effective_date),
                        "rationale": change.rationale,
                        "author": names.get(change.author, change.author),
                        "recorded_at": clock.as_utc(change.recorded_at).isoformat(),
                        "corrects": by_id.get(change.corrects_id) if change.corrects_id else None,
                        "broken_reason": change.broken_reason,
                        "broken_reason_text": change.broken_reason_text,
                        "sources": sources.get(change.id, []),
                        **_review(change, names),
                    }
                    for change in sorted(history, key=precedence, reverse=True)  # the one that counts first
                ],
                "evidence": loose.get(pledge.id, []),
                "translations": translations.get(pledge.id, {}),
            }
        )
    return pledges, last


def _review(change, names: dict[str, str]) -> dict[str, Any]:
    """Who approved a change and when (review by a second person); nothing for a change approved without a
    reviewer, so that exports of a tracker without review stay as they were."""
    if not change.reviewed_by:
        return {}
    return {
        "reviewed_by": names.get(change.reviewed_by, change.reviewed_by),
        "reviewed_at": clock.as_utc(change.reviewed_at).isoformat() if change.reviewed_at else None,
    }


def export_json(programme: str | None, exported: dict[str, Any] | None = None) -> str:
    """The JSON export; ``exported`` is ``export_programme(programme)`` when the caller has read it already."""
    data = exported if exported is not None else export_programme(programme)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "code",
    "area",
    "area_title",
    "goal",
    "goal_title",
    "group",
    "text",
    "status",
    "status_date",
    "changes",
    "last_rationale",
    "source_urls",
    "retired_on",
    "broken_reason",
    "deadline",
    "checkable",
    "reviewed_by",
    "reviewed_at",
    # The measure's current translation into each language (empty where there is none).
    *(f"text_{language}" for language in TRANSLATION_LANGUAGES),
)
# The same columns as a German office reads them, for the spreadsheet exports.
GERMAN_CSV_COLUMNS: dict[str, str] = {
    "code": "Nummer",
    "area": "Bereich",
    "area_title": "Titel des Bereichs",
    "goal": "Ziel",
    "goal_title": "Titel des Ziels",
    "group": "Gruppe",
    "text": "Maßnahme",
    "status": "Bewertung",
    "status_date": "Stichtag",
    "changes": "Anzahl der Bewertungen",
    "last_rationale": "Letzte Begründung",
    "source_urls": "Quellen",
    "retired_on": "Nicht mehr im Programm seit",
    "broken_reason": "Grund des Bruchs",
    "deadline": "Frist",
    "checkable": "Überprüfbar",
    "reviewed_by": "Geprüft von",
    "reviewed_at": "Geprüft am",
    **{f"text_{language}": f"Maßnahme ({Locale('de').languages[language]})" for language in TRANSLATION_LANGUAGES},
}
EXCEL_SHEET = "Maßnahmen"


def _table(data: dict[str, Any]) -> list[list[Any]]:
    """One row per pledge (``CSV_COLUMNS``), in programme order, with its values as they are: numbers,
    dates (or None), the status key."""
    areas = {a["number"]: a for a in data["areas"]}
    goals = {g["code"]: g for a in data["areas"] for g in a["goals"]}
    rows = []
    for pledge in data["pledges"]:
        goal = goals.get(pledge["goal"]) if pledge["goal"] else None
        latest = pledge["history"][0] if pledge["history"] else None
        urls = [s["url"] for change in pledge["history"] for s in change["sources"]]
        rows.append(
            [
                pledge["code"],
                pledge["area"],
                areas[pledge["area"]]["title"],
                goal["code"] if goal else "",
                goal["title"] if goal else "",
                (goal or {}).get("group") or "",
                pledge["text"],
                pledge["status"],
                _parse_date(pledge["status_date"]),
                len(pledge["history"]),
                latest["rationale"] if latest else "",
                " ".join(urls),
                _parse_date(pledge["retired_on"]),
                (latest.get("broken_reason") or "") if latest and pledge["status"] == "broken" else "",
                _parse_date(pledge.get("deadline")),
                pledge.get("checkable", True),
                (latest or {}).get("reviewed_by") or "",
                (latest or {}).get("reviewed_at") or "",  # the moment in UTC, as the JSON export writes it
                *(pledge.get("translations", {}).get(language, "") for language in TRANSLATION_LANGUAGES),
            ]
        )
    return rows


def export_csv(programme: str | None, exported: dict[str, Any] | None = None) -> str:
    """One row per pledge, in programme order, for machines: ISO dates, status keys; formula-like cells are
    neutralised. (``exported``: as for ``export_json``.)"""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in _table(exported if exported is not None else export_programme(programme)):
        writer.writerow([neutralise_formula(_machine_cell(cell)) for cell in row])
    return out.getvalue()


def _machine_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _german_table(programme: str | None, exported: dict[str, Any] | None = None) -> list[list[Any]]:
    status, reason, checkable = (CSV_COLUMNS.index(c) for c in ("status", "broken_reason", "checkable"))
    rows = _table(exported if exported is not None else export_programme(programme))
    for row in rows:
        row[status] = STATUS_LABELS[row[status]]["de"]
        row[reason] = BROKEN_REASON_LABELS[row[reason]]["de"] if row[reason] else ""
        row[checkable] = "ja" if row[checkable] else "nein"
    return rows


def export_excel_csv(programme: str | None, exported: dict[str, Any] | None = None) -> bytes:
    """The CSV export for German Excel: semicolons, a byte order mark, German headers and status labels,
    dates as DD.MM.YYYY; formula-like cells are neutralised. (``exported``: as for ``export_json``.)"""
    rows = _german_table(programme, exported)
    return spreadsheet_csv(list(GERMAN_CSV_COLUMNS.values()), rows).encode("utf-8")


def export_xlsx(programme: str | None) -> bytes:
    """The same table as an Excel workbook: German headers, date cells, a frozen header row with filters."""
    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = EXCEL_SHEET
    spreadsheets.fill_table(sheet, list(GERMAN_CSV_COLUMNS.values()), _german_table(programme))
    return spreadsheets.workbook_bytes(workbook)


def _parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class _Fields:
    """The values of an export, each checked as the column it is restored into: a text's characters by the rule
    of its field and its length by what the column holds, a number by the column's range. ``InvalidInput`` names
    the file (``source``) and the place: "pledge 8.2-4, change #2, rationale"."""

    def __init__(self, source: str):
        self.source = source

    def line(self, value: str | None, where: str, column) -> str | None:
        """A one-line text (a title, a name, a code) for ``column`` (e.g. ``Area.title``)."""
        return self._checked(value, where, column, multiline=False)

    def text(self, value: str | None, where: str, column) -> str | None:
        """A text of several lines (a rationale, a success criterion, the preamble)."""
        return self._checked(value, where, column, multiline=True)

    def url(self, value: str, where: str) -> str:
        return normalise_scheme(self._checked(value, where, Evidence.url, multiline=False))

    def number(self, value: int, where: str) -> int:
        """A whole number as an integer column holds it (numbers, positions, sequences are never negative)."""
        if not 0 <= value <= MAX_INTEGER:
            raise InvalidInput(
                f"{self.source}, {where}", "out_of_range", value=shortened(value), min=0, max=MAX_INTEGER
            )
        return value

    def date(self, value: str | None, where: str) -> dt.date | None:
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{self.source}, {where}", "not_date", value=shortened(value)) from None

    def time(self, value: str, where: str) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{self.source}, {where}", "not_time", value=shortened(value)) from None

    def once(self, value: object, seen: Container, where: str) -> None:
        """Refuse ``value`` (an area's number, a code, a sequence) when it is in ``seen`` already."""
        if value in seen:
            raise InvalidInput(f"{self.source}, {where}", "twice", value=shortened(value))

    def _checked(self, value: str | None, where: str, column, multiline: bool) -> str | None:
        if value is None:
            return None
        field = f"{self.source}, {where}"
        max_length = getattr(column.type, "length", None)
        if max_length is not None and len(value) > max_length:
            raise InvalidInput(field, "too_long", length=len(value), max=max_length)
        return check_characters(value, field, multiline=multiline)


def _evidence(programme: Programme, pledge: Pledge, source: dict, fields: _Fields, where: str) -> Evidence:
    return Evidence(
        programme_id=programme.id,
        pledge=pledge,
        url=fields.url(source["url"], f"{where}, url"),
        title=fields.line(source["title"], f"{where}, title", Evidence.title),
        kind=source["kind"],
        published_on=fields.date(source["published_on"], f"{where}, published_on"),
        added_by=fields.line(source["added_by"], f"{where}, added_by", Evidence.added_by),
        added_at=fields.time(source["added_at"], f"{where}, added_at"),
    )


def restore_programme(data: dict[str, Any], actor: Actor, source: str = "export") -> ProgrammeInfo:
    """Load a JSON export (already checked against the schema, see ``load_export``) as a new programme, in one
    transaction; ``source`` (the file) is named by the errors."""
    with unit_of_work() as session:
        actor = require(session, actor, Role.ADMIN)
        if data.get("format") != FORMAT:
            raise InvalidInput("format", "wrong_format", expected=FORMAT, found=data.get("format"))
        return ProgrammeInfo.of(_restore(session, data, actor, _Fields(source)))


def _restore(session: Session, data: dict[str, Any], actor: Actor, fields: _Fields) -> Programme:
    meta = data["programme"]
    slug = fields.line(meta["slug"], "programme, slug", Programme.slug)
    if session.scalar(select(Programme.id).where(Programme.slug == slug)) is not None:
        raise InvalidInput("programme.slug", "slug_taken", slug=slug)
    programme = Programme(
        slug=slug,
        title=fields.line(meta["title"], "programme, title", Programme.title),
        printed_title=fields.line(meta["printed_title"], "programme, printed_title", Programme.printed_title),
        preamble=fields.text(meta["preamble"], "programme, preamble", Programme.preamble),
        party=fields.line(meta["party"], "programme, party", Programme.party),
        municipality=fields.line(meta["municipality"], "programme, municipality", Programme.municipality),
        election_date=fields.date(meta["election_date"], "programme, election_date"),
        term_start=fields.date(meta["term_start"], "programme, term_start"),
        term_end=fields.date(meta["term_end"], "programme, term_end"),
        language=fields.line(meta["language"], "programme, language", Programme.language),
        source_name=fields.line(meta["source_name"], "programme, source_name", Programme.source_name),
        source_sha256=fields.line(meta["source_sha256"], "programme, source_sha256", Programme.source_sha256),
        is_demo=meta["is_demo"],
    )
    session.add(programme)
    session.flush()
    areas: dict[int, Area] = {}
    goals: dict[str, Goal] = {}
    for item in data["areas"]:
        where = f"area {item['number']}"
        fields.once(item["number"], areas.keys(), f"{where}, number")
        area = areas[item["number"]] = Area(
            programme_id=programme.id,
            number=fields.number(item["number"], f"{where}, number"),
            title=fields.line(item["title"], f"{where}, title", Area.title),
            short_title=fields.line(item["short_title"], f"{where}, short_title", Area.short_title),
            why_important=fields.line(item["why_important"], f"{where}, why_important", Area.why_important),
            focus=fields.line(item["focus"], f"{where}, focus", Area.focus),
        )
        session.add(area)
        for position, g in enumerate(item["goals"], start=1):
            code = fields.line(g["code"], f"{where}, goal code", Goal.code)
            fields.once(code, goals.keys(), f"{where}, goal {code}, code")
            goals[code] = Goal(
                programme_id=programme.id,
                area=area,
                code=code,
                number=fields.line(g["number"], f"goal {code}, number", Goal.number),
                position=position,
                title=fields.line(g["title"], f"goal {code}, title", Goal.title),
                objective=fields.line(g["objective"], f"goal {code}, objective", Goal.objective),
                group_title=fields.line(g["group"], f"goal {code}, group", Goal.group_title),
            )
            session.add(goals[code])
    codes: set[str] = set()
    for item in data["pledges"]:
        _restore_pledge(session, programme, item, areas, goals, fields, codes, actor)
    record_event(session, actor, "programme.restore", programme.id, detail={"pledges": len(data["pledges"])})
    session.flush()
    return programme


def _restore_pledge(
    session: Session,
    programme: Programme,
    item: dict,
    areas: dict,
    goals: dict,
    fields: _Fields,
    codes: set[str],
    actor: Actor,
) -> None:
    code = fields.line(item["code"], "pledge code", Pledge.code)
    where = f"pledge {code}"
    fields.once(code, codes, f"{where}, code")
    codes.add(code)
    if item["area"] not in areas or (item["goal"] and item["goal"] not in goals):
        raise InvalidInput(where, "unknown_reference")
    text = fields.line(item["text"], f"{where}, text", Pledge.text)
    pledge = Pledge(
        programme_id=programme.id,
        area=areas[item["area"]],
        goal=goals.get(item["goal"]) if item["goal"] else None,
        code=code,
        position=fields.number(item["position"], f"{where}, position"),
        text=text,
        search_text=search_text(code, text, goals[item["goal"]].title if item["goal"] else None),
        success_criterion=fields.text(
            item["success_criterion"], f"{where}, success_criterion", Pledge.success_criterion
        ),
        retired_on=fields.date(item["retired_on"], f"{where}, retired_on"),
        current_status=item["status"],
        status_date=fields.date(item["status_date"], f"{where}, status_date"),
        deadline=fields.date(item.get("deadline"), f"{where}, deadline"),
        checkable=item.get("checkable", True),
        version=len(item["history"]),
    )
    session.add(pledge)
    changes: dict[int, StatusChange] = {}
    for change in sorted(item["history"], key=lambda c: c["sequence"]):
        at = f"{where}, change #{change['sequence']}"
        fields.once(change["sequence"], changes.keys(), f"{at}, sequence")
        new = changes[change["sequence"]] = StatusChange(
            programme_id=programme.id,
            pledge=pledge,
            sequence=fields.number(change["sequence"], f"{at}, sequence"),
            status=change["status"],
            effective_date=fields.date(change["effective_date"], f"{at}, effective_date"),
            rationale=fields.text(change["rationale"], f"{at}, rationale", StatusChange.rationale),
            author=fields.line(change["author"], f"{at}, author", StatusChange.author),
            recorded_at=fields.time(change["recorded_at"], f"{at}, recorded_at"),
            corrects_id=None,
            broken_reason=change.get("broken_reason"),  # the schema holds it to the known reasons
            broken_reason_text=fields.text(
                change.get("broken_reason_text"), f"{at}, broken_reason_text", StatusChange.broken_reason_text
            ),
            reviewed_by=fields.line(change.get("reviewed_by"), f"{at}, reviewed_by", StatusChange.reviewed_by),
            reviewed_at=fields.time(change["reviewed_at"], f"{at}, reviewed_at") if change.get("reviewed_at") else None,
        )
        if change["corrects"] is not None:
            if change["corrects"] not in changes:
                raise InvalidInput(f"{where} change {change['sequence']}", "corrects_later_change")
            new.corrects = changes[change["corrects"]]
        for number, source in enumerate(change["sources"], start=1):
            evidence = _evidence(programme, pledge, source, fields, f"{at}, source {number}")
            evidence.status_change = new
            session.add(evidence)
        session.add(new)
    for number, source in enumerate(item["evidence"], start=1):
        session.add(_evidence(programme, pledge, source, fields, f"{where}, evidence {number}"))
    for language, translated in item.get("translations", {}).items():  # exports before translations have none
        at = f"{where}, translations, {language}"
        if language not in TRANSLATION_LANGUAGES:
            raise InvalidInput(
                at, "unknown_choice", value=shortened(language), accepted=", ".join(TRANSLATION_LANGUAGES)
            )
        text = fields.text(translated, at, PledgeTranslation.text)
        session.add(
            PledgeTranslation(
                programme_id=programme.id,
                pledge=pledge,
                language=language,
                text=text,
                search_text=fold(text),
                author=actor.signature,
                author_account=None if actor.is_operator else actor.name,
                recorded_at=clock.now_utc(),
            )
        )


def export_schema() -> dict[str, Any]:
    """The JSON Schema that every export validates against (also published as docs/...schema.json)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def load_export(path: Path) -> dict[str, Any]:
    """Read a JSON export and check it against the schema; errors name the file and the place.

    Exports of older versions may hold addresses with an upper-case scheme (``HTTP://``); they are read with
    the scheme in lower case, as the tracker stores addresses now (``inputs.normalise_scheme``).
    """
    import jsonschema

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise InvalidInput(str(path), "unreadable", reason=error.strerror) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(str(path), "not_json", reason=shortened(str(error), 300)) from None
    except RecursionError:
        raise InvalidInput(str(path), "not_json", reason="nested too deeply") from None
    _normalise_schemes(data)
    validator = jsonschema.Draft202012Validator(export_schema())
    errors = validator.iter_errors(data)
    error = next(iter(sorted(errors, key=lambda e: [(isinstance(p, str), p) for p in e.absolute_path])), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        reason = shortened(error.message, 300)
        raise InvalidInput(f"{path}, at {where}", "schema_violation", reason=reason, schema=SCHEMA_NAME)
    return data


def _normalise_schemes(data: Any) -> None:
    """Write the scheme of every source address (a ``url`` of an object) in ``data``, a JSON export as read, in
    lower case."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if isinstance(value.get("url"), str):
                value["url"] = normalise_scheme(value["url"])
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
