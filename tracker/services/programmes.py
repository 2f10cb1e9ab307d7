"""Importing a programme text (first time or a revision) and finding programmes in the database."""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from tracker import clock, settings
from tracker.models import Area, Goal, Pledge, Programme, StatusChange
from tracker.programme import ParsedProgramme, deadline_in, parse_programme_bytes, short_area_title
from tracker.search import search_text
from tracker.services.audit_log import record_event
from tracker.services.auth import Actor, require
from tracker.services.errors import ImportRefused, InvalidInput, NotFound
from tracker.services.inputs import check_characters, shown
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import Role
from tracker.textfiles import unsafe_character

REMOVED_POLICIES = ("refuse", "retire")
MAX_SLUG = 100  # Programme.slug
MAX_SOURCE_NAME = 300  # Programme.source_name: the file name of the text


class ProgrammeMetadata(BaseModel):
    """The metadata file beside a programme text (same name, ``.toml``)."""

    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,98}$")
    title: str = Field(min_length=1, max_length=300)
    party: str = Field(min_length=1, max_length=200)
    municipality: str = Field(min_length=1, max_length=200)
    election_date: dt.date
    term_start: dt.date
    term_end: dt.date
    language: str = Field(default="de", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
    short_titles: dict[int, str] = Field(default_factory=dict)

    @field_validator("title", "party", "municipality")
    @classmethod
    def _one_line(cls, value: str, info: ValidationInfo) -> str:
        return _one_line_text(value, info.field_name)

    @field_validator("short_titles")
    @classmethod
    def _short_titles(cls, value: dict[int, str]) -> dict[int, str]:
        for number, title in value.items():
            if not 1 <= len(title.strip()) <= 200:
                raise ValueError(f"the short title of area {number} must have 1 to 200 characters")
            _one_line_text(title, f"short title of area {number}")
        return value

    @model_validator(mode="after")
    def _term_after_election(self) -> ProgrammeMetadata:
        if not self.election_date <= self.term_start < self.term_end:
            raise ValueError("expected election_date <= term_start < term_end")
        return self


def _one_line_text(value: str, name: str) -> str:
    """A metadata text by the rule for one-line fields (``inputs.check_characters``); ValueError for pydantic."""
    try:
        return check_characters(value, name)
    except InvalidInput as error:
        raise ValueError(error.message) from None


def metadata_path(text_path: Path) -> Path:
    return text_path.with_suffix(".toml")


def load_metadata(path: Path) -> ProgrammeMetadata:
    """Read and check a metadata file; errors name the file and the field."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InvalidInput(str(path), "metadata_missing") from None
    except OSError as error:
        raise InvalidInput(str(path), "unreadable", reason=error.strerror) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(str(path), "metadata_not_toml", reason=str(error)) from None
    try:
        return ProgrammeMetadata.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise InvalidInput(f"{path}, field {where}", "metadata_field", reason=first["msg"]) from None


@dataclass
class ImportReport:
    slug: str
    created: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    renumbered: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_noop(self) -> bool:
        return not (self.created or self.added or self.changed or self.removed or self.retired or self.renumbered)

    def summary(self) -> str:
        verb = "created" if self.created else "updated" if not self.is_noop else "unchanged"
        lines = [
            f"Programme {self.slug} {verb}: {len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.renumbered)} renumbered (history kept), "
            f"{len(self.removed)} removed, {len(self.retired)} retired with their history kept, "
            f"{self.unchanged} unchanged."
        ]
        for label, codes in (
            ("added", self.added),
            ("changed", self.changed),
            ("renumbered", self.renumbered),
            ("removed", self.removed),
            ("retired", self.retired),
        ):
            if codes and not self.created:
                lines.append(f"  {label}: {', '.join(codes)}")
        return "\n".join(lines)


@dataclass(frozen=True)
class ProgrammeInfo:
    """A programme as the front ends show it."""

    slug: str
    title: str
    printed_title: str
    preamble: str
    party: str
    municipality: str
    election_date: dt.date
    term_start: dt.date
    term_end: dt.date
    language: str
    is_demo: bool

    @classmethod
    def of(cls, programme: Programme) -> ProgrammeInfo:
        return cls(
            programme.slug,
            programme.title,
            programme.printed_title,
            programme.preamble,
            programme.party,
            programme.municipality,
            programme.election_date,
            programme.term_start,
            programme.term_end,
            programme.language,
            programme.is_demo,
        )


def list_programmes() -> list[ProgrammeInfo]:
    """Every programme in the database, by slug."""
    with unit_of_work() as session:
        return [ProgrammeInfo.of(p) for p in session.scalars(select(Programme).order_by(Programme.slug))]


def get_programme(slug: str | None = None) -> ProgrammeInfo:
    """The programme with that slug; without a slug, the only programme in the database."""
    with unit_of_work() as session:
        return ProgrammeInfo.of(find_programme(session, slug))


def default_programme() -> ProgrammeInfo:
    """The programme a reader gets without naming one (a permalink without ``?programme=``): the one
    ``TRACKER_PROGRAMME`` names; else the only one; else the first-imported real programme; a demo
    programme only while there is no real one."""
    with unit_of_work() as session:
        programmes = list(session.scalars(select(Programme).order_by(Programme.id)))
        if not programmes:
            raise NotFound("no_programmes")
        configured = settings.get("TRACKER_PROGRAMME")
        if configured:
            chosen = next((p for p in programmes if p.slug == configured), None)
            if chosen is None:
                known = ", ".join(sorted(p.slug for p in programmes))
                raise NotFound("no_programme", slug=configured, known=known)
            return ProgrammeInfo.of(chosen)
        real = [p for p in programmes if not p.is_demo]
        return ProgrammeInfo.of((real or programmes)[0])


def find_programme(session: Session, slug: str | None = None) -> Programme:
    """The programme with that slug in the unit of work; without one, the only programme there is."""
    if slug and len(slug) <= MAX_SLUG and unsafe_character(slug) is None:  # others are no slug: not looked up
        programme = session.scalar(select(Programme).where(Programme.slug == slug))
        if programme is not None:
            return programme
    programmes = list(session.scalars(select(Programme).order_by(Programme.slug)))
    known = ", ".join(p.slug for p in programmes)
    if slug:
        raise NotFound("no_programme", slug=shown(slug), known=known or "none")
    if not programmes:
        raise NotFound("no_programmes")
    if len(programmes) > 1:
        raise InvalidInput("programme", "several_programmes", known=known)
    return programmes[0]


def _assign(obj: object, **values: object) -> bool:
    """Set only the attributes that differ, so that an unchanged import writes nothing."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def import_programme_file(
    path: Path, actor: Actor, on_removed: str = "refuse", today: dt.date | None = None
) -> ImportReport:
    """Import ``path`` with the metadata file beside it (see ``import_programme``)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(str(path), "unreadable", reason=error.strerror) from None
    return import_programme(data, load_metadata(metadata_path(path)), path.name, actor, on_removed, today)


def import_programme(
    data: bytes,
    metadata: ProgrammeMetadata,
    source_name: str,
    actor: Actor,
    on_removed: str = "refuse",
    today: dt.date | None = None,
) -> ImportReport:
    """Create the programme or bring it in line with a revised text, in one transaction.

    Pledges are matched by text and code (see ``match_pledges``), so that a pledge's history follows
    its measure. Removed pledges without history are deleted; removed pledges with
    history make the import refuse unless ``on_removed="retire"``, which keeps them (and their
    history) marked as retired. The text is parsed completely before anything is written.
    """
    try:
        with unit_of_work() as session:
            actor = require(session, actor, Role.ADMIN)
            if on_removed not in REMOVED_POLICIES:
                accepted = ", ".join(REMOVED_POLICIES)
                raise InvalidInput("on_removed", "unknown_choice", value=on_removed, accepted=accepted)
            if len(source_name) > MAX_SOURCE_NAME:
                raise InvalidInput("file name", "too_long", length=len(source_name), max=MAX_SOURCE_NAME)
            check_characters(source_name, "file name")
            parsed = parse_programme_bytes(data, source_name)
            return _import(session, parsed, data, metadata, source_name, actor, on_removed, today or clock.today())
    except (IntegrityError, OperationalError) as error:
        if isinstance(error, OperationalError) and not _is_lock_conflict(error):
            raise
        # Two imports of one programme at once: the other one created or changed the same rows first.
        raise ImportRefused("import_running", slug=metadata.slug) from None


def _is_lock_conflict(error: OperationalError) -> bool:
    """Whether SQLite refused a write because another connection held or changed the database meanwhile."""
    text = str(error.orig).lower()
    return "database is locked" in text or "database is busy" in text


def _import(
    session: Session,
    parsed: ParsedProgramme,
    data: bytes,
    metadata: ProgrammeMetadata,
    source_name: str,
    actor: Actor,
    on_removed: str,
    today: dt.date,
) -> ImportReport:
    programme = session.scalar(select(Programme).where(Programme.slug == metadata.slug))
    report = ImportReport(slug=metadata.slug, created=programme is None)
    if programme is None:
        programme = Programme(slug=metadata.slug)
        session.add(programme)
    _assign(
        programme,
        title=metadata.title,
        printed_title=parsed.title,
        preamble="\n".join(parsed.preamble),
        party=metadata.party,
        municipality=metadata.municipality,
        election_date=metadata.election_date,
        term_start=metadata.term_start,
        term_end=metadata.term_end,
        language=metadata.language,
        source_name=source_name,
        source_sha256=hashlib.sha256(data).hexdigest(),
        is_demo=False,
    )
    session.flush()
    _sync_structure(session, programme, parsed, metadata, report, on_removed, today)
    if not report.is_noop:
        record_event(
            session,
            actor,
            "programme.import",
            programme.id,
            detail={
                "source": source_name,
                "sha256": programme.source_sha256,
                "created": report.created,
                "added": len(report.added),
                "changed": report.changed,
                "renumbered": report.renumbered,
                "removed": report.removed,
                "retired": report.retired,
            },
        )
    return report


def match_pledges(existing: dict[str, str], parsed: list[tuple[str, str]]) -> dict[str, str]:
    """Map each parsed code to the existing code of the same measure.

    Same code and text first; then the same text under another code (the measure was renumbered,
    e.g. because one was inserted above it: its history follows the text); then the same code with
    an edited text. ``existing`` maps code to text; ``parsed`` is (code, text) in printed order.
    """
    matches: dict[str, str] = {}
    free = dict(existing)
    for code, text in parsed:
        if free.get(code) == text:
            matches[code] = code
            del free[code]
    by_text: dict[str, list[str]] = {}
    for code, text in free.items():
        by_text.setdefault(text, []).append(code)
    for code, text in parsed:
        if code not in matches and by_text.get(text):
            old = by_text[text].pop(0)
            matches[code] = old
            del free[old]
    for code, _text in parsed:
        if code not in matches and code in free:
            matches[code] = code
            del free[code]
    return matches


def _sync_structure(
    session: Session,
    programme: Programme,
    parsed: ParsedProgramme,
    metadata: ProgrammeMetadata,
    report: ImportReport,
    on_removed: str,
    today: dt.date,
) -> None:
    pid = programme.id
    areas = {a.number: a for a in session.scalars(select(Area).where(Area.programme_id == pid))}
    goals = {g.code: g for g in session.scalars(select(Goal).where(Goal.programme_id == pid))}
    pledges = {p.code: p for p in session.scalars(select(Pledge).where(Pledge.programme_id == pid))}
    current = {code: p.text for code, p in pledges.items() if p.retired_on is None}
    retired = {code: p.text for code, p in pledges.items() if p.retired_on is not None}
    printed = [(item.code, item.text) for item in parsed.pledges()]
    matches = match_pledges(current, printed)
    unmatched = [(c, t) for c, t in printed if c not in matches]
    matches.update(match_pledges(retired, unmatched))  # a retired measure that is printed again
    gone = [p for code, p in pledges.items() if code not in matches.values() and p.retired_on is None]
    _remove_pledges(session, gone, report, on_removed, today, len(printed))
    # Free the codes of renumbered pledges first, so that swapping codes never collides.
    for new_code, old_code in matches.items():
        if new_code != old_code:
            pledges[old_code].code = f"~{pledges[old_code].id}"
    session.flush()

    seen_areas: set[int] = set()
    seen_goals: set[str] = set()
    placed: list[tuple] = []  # (parsed pledge, area, goal) in printed order
    for parsed_area in parsed.areas:
        seen_areas.add(parsed_area.number)
        area = areas.get(parsed_area.number)
        if area is None:
            area = areas[parsed_area.number] = Area(programme_id=pid, number=parsed_area.number)
            session.add(area)
        _assign(
            area,
            title=parsed_area.title,
            short_title=metadata.short_titles.get(parsed_area.number) or short_area_title(parsed_area.title),
            why_important=parsed_area.why_important,
            focus=parsed_area.focus,
        )
        placed.extend((item, area, None) for item in parsed_area.pledges)
        for goal_position, parsed_goal in enumerate(parsed_area.goals, start=1):
            seen_goals.add(parsed_goal.code)
            goal = goals.get(parsed_goal.code)
            if goal is None:
                goal = goals[parsed_goal.code] = Goal(programme_id=pid, code=parsed_goal.code)
                session.add(goal)
            _assign(
                goal,
                area=area,
                number=parsed_goal.number,
                position=goal_position,
                title=parsed_goal.title,
                objective=parsed_goal.objective,
                group_title=parsed_goal.group,
            )
            placed.extend((item, area, goal) for item in parsed_goal.pledges)
    session.flush()  # areas and goals have their ids now

    new_rows = []
    for position, (item, area, goal) in enumerate(placed, start=1):
        values = {
            "code": item.code,
            "area_id": area.id,
            "goal_id": goal.id if goal else None,
            "position": position,
            "text": item.text,
            "search_text": search_text(item.code, item.text, goal.title if goal else None),
            "retired_on": None,
            "deadline": deadline_in(item.text),
        }
        old_code = matches.get(item.code)
        if old_code is None:  # new measures are written in one bulk INSERT below
            new_rows.append({**values, "programme_id": pid, "current_status": "not_rated", "version": 0})
            report.added.append(item.code)
            continue
        pledge = pledges[old_code]
        if old_code != item.code:
            report.renumbered.append(f"{old_code} -> {item.code}")
        elif pledge.text != item.text or pledge.retired_on is not None:
            report.changed.append(item.code)
        else:
            report.unchanged += 1
        _assign(pledge, **values)
    session.flush()
    if new_rows:
        session.execute(insert(Pledge), new_rows)
    _delete_unused(session, [g for c, g in goals.items() if c not in seen_goals], Pledge.goal_id)
    _delete_unused(session, [a for n, a in areas.items() if n not in seen_areas], Pledge.area_id)
    session.flush()


def _remove_pledges(
    session: Session, gone: list[Pledge], report: ImportReport, on_removed: str, today: dt.date, position: int
) -> None:
    if not gone:
        return
    ids = [p.id for p in gone]
    with_history = set(
        session.scalars(select(StatusChange.pledge_id).where(StatusChange.pledge_id.in_(ids)).distinct())
    )
    kept = [p for p in gone if p.id in with_history]
    if kept and on_removed != "retire":
        raise ImportRefused("history_would_be_lost", count=len(kept), codes=", ".join(p.code for p in kept))
    for pledge in gone:
        if pledge.id in with_history:
            position += 1
            pledge.retired_on = today
            pledge.position = position  # retired pledges sort after the current programme
            report.retired.append(pledge.code)
        else:
            session.delete(pledge)
            report.removed.append(pledge.code)


def _delete_unused(session: Session, candidates: list, pledge_column) -> None:
    """Delete areas or goals that the text no longer has, unless a retired pledge still points to them."""
    for item in candidates:
        in_use = session.scalar(select(func.count()).where(pledge_column == item.id))
        if not in_use:
            session.delete(item)
