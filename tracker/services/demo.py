"""Synthetic demo data at any scale: programmes, areas, goals, pledges, dated changes with sources.

Reproducible from a seed, marked ``is_demo`` so the app says on every page that it is invented, and
written with bulk inserts so that 100,000 pledges with 1,000,000 changes take minutes, not hours.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import Area, Evidence, Goal, Pledge, Programme, StatusChange, precedence
from tracker.search import search_text
from tracker.services.audit_log import record_event
from tracker.services.auth import Actor, require
from tracker.services.errors import InvalidInput
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import BROKEN_REASONS, SOURCE_KINDS, BrokenReason, Role

CITIES = [
    "Herne",
    "Bochum",
    "Dortmund",
    "Essen",
    "Gelsenkirchen",
    "Hagen",
    "Hamm",
    "Witten",
    "Recklinghausen",
    "Bottrop",
    "Mülheim an der Ruhr",
    "Oberhausen",
    "Duisburg",
    "Castrop-Rauxel",
    "Marl",
    "Gladbeck",
]
PARTIES = ["Bürgerliste", "Grüne Liste", "Soziale Mitte", "Freie Wähler", "Zukunft Ruhr", "Linke Liste", "Stadtpartei"]
TOPICS = [
    "Wohnen",
    "Bildung",
    "Gesundheit & Pflege",
    "Sicherheit",
    "Wirtschaft & Arbeit",
    "Klimaschutz",
    "Jugend",
    "Mobilität",
    "Digitalisierung",
    "Kultur",
    "Sport & Freizeit",
    "Soziales",
    "Umwelt & Stadtbild",
    "Teilhabe",
    "Verwaltung",
    "Energie",
    "Familie",
]
ACTIONS = [
    "Ausbau",
    "Förderung",
    "Einführung",
    "Sanierung",
    "Stärkung",
    "Prüfung",
    "Einrichtung",
    "Verbesserung",
    "Erweiterung",
    "Unterstützung",
    "Modernisierung",
    "Sicherung",
]
ADJECTIVES = [
    "kommunaler",
    "bezahlbarer",
    "barrierefreier",
    "digitaler",
    "mehrsprachiger",
    "wohnortnaher",
    "nachhaltiger",
    "kostenfreier",
    "inklusiver",
    "sicherer",
    "öffentlicher",
    "gemeinsamer",
]
NOUNS = [
    "Kita-Plätze",
    "Radwege",
    "Spielplätze",
    "Beratungsstellen",
    "Schulgebäude",
    "Grünflächen",
    "Bürgerzentren",
    "Wohnungen",
    "Sporthallen",
    "Haltestellen",
    "Jugendtreffs",
    "Pflegeangebote",
    "Straßen",
    "Bibliotheken",
]
PLACES = [
    "in allen Stadtteilen",
    "in der Innenstadt",
    "an Schulen",
    "für Familien",
    "für ältere Menschen",
    "mit den Vereinen vor Ort",
    "bis 2030",
    "gemeinsam mit dem Land",
    "in sozialen Brennpunkten",
    "",
]
REASONS = [
    "Der Rat hat die Vorlage beschlossen.",
    "Im Haushalt sind Mittel eingeplant.",
    "Die Verwaltung prüft noch.",
    "Das Projekt ist gestartet.",
    "Der Antrag wurde abgelehnt.",
    "Die Umsetzung stockt wegen fehlender Mittel.",
    "Ein erster Abschnitt ist fertig.",
    "Die Maßnahme ist vollständig umgesetzt.",
]
# A broken demo pledge gets one of the fixed reasons (not "other", which would need a text), without drawing
# from the random generator, so the rest of the demo data stays as it was.
_DEMO_REASONS = tuple(r for r in BROKEN_REASONS if r != BrokenReason.OTHER)
STATUS_WEIGHTS = {"in_progress": 40, "stalled": 10, "partially_kept": 15, "kept": 25, "broken": 10}
EDITORS = ["redaktion-a", "redaktion-b", "redaktion-c", "redaktion-d"]
CHUNK = 2000  # pledges per batch: bounds memory, keeps each executemany large


class _Change(NamedTuple):
    """A demo change before it is written (what ``precedence`` needs to find the current one)."""

    sequence: int
    status: str
    effective_date: dt.date


@dataclass(frozen=True)
class DemoReport:
    programmes: int
    areas: int
    goals: int
    pledges: int
    changes: int
    removed: int = 0  # earlier demo programmes removed first (``replace``)


def _measure(rng: random.Random) -> str:
    text = f"{rng.choice(ACTIONS)} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(PLACES)}".strip()
    if rng.random() < 0.4:
        text += f", zum Beispiel durch {rng.choice(ACTIONS).lower()} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    return text + "."


def remove_demo_data(actor: Actor) -> int:
    """Delete every demo programme (and with it everything that belongs to it); returns how many."""
    with unit_of_work() as session:
        return _remove(session, require(session, actor, Role.ADMIN))


def _remove(session: Session, actor: Actor) -> int:
    ids = list(session.scalars(select(Programme.id).where(Programme.is_demo.is_(True))))
    for model in (Evidence, StatusChange, Pledge, Goal, Area):
        session.execute(delete(model).where(model.programme_id.in_(ids)))
    session.execute(delete(Programme).where(Programme.id.in_(ids)))
    if ids:
        record_event(session, actor, "demo.remove", detail={"programmes": len(ids)})
    return len(ids)


def generate_demo_data(
    actor: Actor,
    programmes: int,
    pledges: int,
    changes: int,
    seed: int = 1,
    today: dt.date | None = None,
    replace: bool = False,
) -> DemoReport:
    """Add ``programmes`` demo programmes with ``pledges`` pledges and ``changes`` status changes in all.

    With ``replace``, earlier demo programmes are removed first, in the same transaction: if anything
    fails, the old demo data is still there.
    """
    minimum = {"programmes": (programmes, 1), "pledges": (pledges, programmes), "changes": (changes, 0)}
    with unit_of_work() as session:
        actor = require(session, actor, Role.ADMIN)
        for name, (value, least) in minimum.items():
            if value < least:
                raise InvalidInput(name, "at_least", min=least)
        removed = _remove(session, actor) if replace else 0
        report = _generate(session, actor, programmes, pledges, changes, seed, today or clock.today())
        return dataclasses.replace(report, removed=removed)


def _generate(
    session: Session, actor: Actor, programmes: int, pledges: int, changes: int, seed: int, today: dt.date
) -> DemoReport:
    rng = random.Random(seed)
    election = dt.date(2025, 9, 14)
    days = max((today - election).days, 1)
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    totals = [0, 0, 0, 0]  # areas, goals, pledges, changes
    taken = {p for p in session.scalars(select(Programme.slug))}
    for index in range(programmes):
        share = pledges // programmes + (1 if index < pledges % programmes else 0)
        change_share = changes // programmes + (1 if index < changes % programmes else 0)
        city, party = CITIES[index % len(CITIES)], PARTIES[(index // len(CITIES)) % len(PARTIES)]
        slug = f"demo-{seed}-{index + 1}"
        if slug in taken:
            raise InvalidInput("seed", "demo_exists", slug=slug)
        programme = Programme(
            slug=slug, title=f"Demo: {party} {city}", printed_title=f"Wahlprogramm {party} {city}", preamble="",
            party=party, municipality=city, election_date=election, term_start=dt.date(2025, 11, 1),
            term_end=dt.date(2030, 10, 31), language="de", source_name="demo", source_sha256="", is_demo=True,
        )  # fmt: skip
        session.add(programme)
        session.flush()
        counts = _fill_programme(session, programme, share, change_share, rng, election, days, statuses, weights)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    record_event(
        session, actor, "demo.generate",
        detail={"programmes": programmes, "pledges": pledges, "changes": changes, "seed": seed},
    )  # fmt: skip
    return DemoReport(programmes, *totals)


def _fill_programme(session, programme, pledges, changes, rng, election, days, statuses, weights) -> list[int]:
    pid = programme.id
    area_count = min(17, max(1, pledges // 4))
    areas = session.scalars(
        insert(Area).returning(Area.id, sort_by_parameter_order=True),
        [{"programme_id": pid, "number": n, "title": f"Konkrete Ziele in Bezug auf {TOPICS[(n - 1) % len(TOPICS)]}",
          "short_title": TOPICS[(n - 1) % len(TOPICS)], "why_important": None, "focus": None}
         for n in range(1, area_count + 1)],
    ).all()  # fmt: skip
    per_area = [pledges // area_count + (1 if i < pledges % area_count else 0) for i in range(area_count)]
    goal_rows, goal_plan = [], []  # goal_plan: (area index, pledges in that goal)
    for a, n in enumerate(per_area):
        goals_here = max(1, n // 6)
        for g in range(goals_here):
            size = n // goals_here + (1 if g < n % goals_here else 0)
            title = f"{rng.choice(ACTIONS)} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
            goal_rows.append({"programme_id": pid, "area_id": areas[a], "code": f"{a + 1}.{g + 1}",
                              "number": f"{a + 1}.{g + 1}", "position": g + 1, "title": title, "objective": None,
                              "group_title": None})  # fmt: skip
            goal_plan.append(size)
    goal_ids = session.scalars(insert(Goal).returning(Goal.id, sort_by_parameter_order=True), goal_rows).all()

    # Spread the changes over the pledges: some pledges get several, many none (as in real trackers).
    per_pledge = [0] * pledges
    for _ in range(changes):  # half uniform, half skewed towards the first pledges (no pile-up anywhere)
        per_pledge[
            rng.randrange(pledges) if rng.random() < 0.5 else min(int(rng.triangular(0, pledges, 0)), pledges - 1)
        ] += 1
    position = 0
    pending: list[tuple[dict, list[tuple]]] = []
    for goal_row, goal_id, size in zip(goal_rows, goal_ids, goal_plan, strict=True):
        for k in range(1, size + 1):
            text = _measure(rng)
            history = []
            dates = sorted(election + dt.timedelta(days=rng.randrange(days + 1)) for _ in range(per_pledge[position]))
            for sequence, day in enumerate(dates, start=1):
                history.append(_Change(sequence, rng.choices(statuses, weights)[0], day))
            code = f"{goal_row['code']}-{k}"
            current = max(history, key=precedence, default=None)
            pending.append((
                {"programme_id": pid, "area_id": goal_row["area_id"], "goal_id": goal_id, "code": code,
                 "position": position + 1, "text": text, "search_text": search_text(code, text, goal_row["title"]),
                 "success_criterion": None, "retired_on": None,
                 "current_status": current.status if current else "not_rated",
                 "status_date": current.effective_date if current else None, "version": len(history)},
                history,
            ))  # fmt: skip
            position += 1
            if len(pending) >= CHUNK:
                _flush(session, programme, pending, rng)
                pending = []
    if pending:
        _flush(session, programme, pending, rng)
    return [len(areas), len(goal_ids), pledges, changes]


def _flush(session: Session, programme: Programme, pending: list[tuple[dict, list[tuple]]], rng: random.Random) -> None:
    pid = programme.id
    pledge_ids = session.scalars(
        insert(Pledge).returning(Pledge.id, sort_by_parameter_order=True), [row for row, _h in pending]
    ).all()
    change_rows, urls = [], []
    for pledge_id, (row, history) in zip(pledge_ids, pending, strict=True):
        for sequence, status, day in history:
            recorded = dt.datetime.combine(day, dt.time(9 + rng.randrange(9), rng.randrange(60)), dt.UTC)
            change_rows.append({
                "programme_id": pid, "pledge_id": pledge_id, "sequence": sequence, "status": status,
                "effective_date": day, "rationale": rng.choice(REASONS), "author": rng.choice(EDITORS),
                "recorded_at": recorded, "corrects_id": None,
                "broken_reason": _DEMO_REASONS[(pledge_id + sequence) % len(_DEMO_REASONS)]
                if status == "broken" else None,
            })  # fmt: skip
            urls.append(f"https://demo.example.org/{programme.slug}/{row['code']}/{sequence}")
    if not change_rows:
        return
    change_ids = session.scalars(
        insert(StatusChange).returning(StatusChange.id, sort_by_parameter_order=True), change_rows
    ).all()
    session.execute(
        insert(Evidence),
        [{"programme_id": pid, "pledge_id": row["pledge_id"], "status_change_id": change_id,
          "url": url,
          "title": f"Demo-Quelle {row['sequence']}", "kind": SOURCE_KINDS[row["sequence"] % len(SOURCE_KINDS)],
          "published_on": row["effective_date"], "added_by": row["author"], "added_at": row["recorded_at"]}
         for change_id, row, url in zip(change_ids, change_rows, urls, strict=True)],
    )  # fmt: skip
