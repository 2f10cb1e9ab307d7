"""Benchmark 3: parsing and importing a programme, in pledges per second, against a floor.

Measures (SQLite, and PostgreSQL when TRACKER_BENCH_POSTGRES_URL names a database it may wipe):
  parse   the Herne text (262 pledges) and a generated 100,000-pledge programme text
  import  the same through tracker.services.import_programme as the CLI calls it: parsing, checking,
          matching, the rows, the audit event, all in the use case's own unit of work (one transaction,
          committed), into a fresh database (first import)
  floor   a bare bulk INSERT of the same pledge rows, parsed beforehand (the least any import has to write)
and prints pledges per second and import time / floor time.
Usage: python bench/import_speed.py [--pledges N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from tracker import db, services  # noqa: E402
from tracker.models import Area, Pledge, Programme  # noqa: E402
from tracker.programme import parse_programme_bytes  # noqa: E402
from tracker.search import search_text  # noqa: E402

ACTOR = services.Actor("bench", "admin", "cli")
HERNE = ROOT / "data" / "programmes" / "hak-herne-2025.txt"
METADATA = services.load_metadata(HERNE.with_suffix(".toml"))


def synthetic_programme(pledges: int) -> bytes:
    """A programme text in the Herne format: 17 areas, goals of eight measures each."""
    lines = ["Synthetisches Wahlprogramm", "Für den Benchmark erzeugt."]
    per_area = -(-pledges // 17)
    written = 0
    for area in range(1, 18):
        lines += [f"{area}. Themenbereich {area}", "Warum wichtig: Weil es zählt. Schwerpunkt: Alles."]
        goal = 0
        while written < min(pledges, area * per_area):
            goal += 1
            lines += [f"{area}.{goal} Ziel {goal} im Bereich {area}", "Ziel: Besser werden.", "Lösungen:"]
            for k in range(8):
                if written >= min(pledges, area * per_area):
                    break
                written += 1
                lines.append(f"- Maßnahme {written}: Förderung kommunaler Angebote in allen Stadtteilen ({k + 1}).")
    return ("\n".join(lines) + "\n").encode("utf-8")


def fresh(url: str):
    """An empty database with the newest schema at ``url``, made the configured one (the use cases work on it)."""
    os.environ["TRACKER_DATABASE_URL"] = url
    engine = db.get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(engine.url.database + suffix).unlink(missing_ok=True)
    services.upgrade_schema()
    return engine


def import_once(url: str, data: bytes) -> float:
    fresh(url)
    started = time.perf_counter()
    services.import_programme(data, METADATA, "bench.txt", ACTOR)
    return time.perf_counter() - started


def floor_once(url: str, data: bytes) -> float:
    """Insert the parsed pledges with one bulk INSERT: no matching, no audit, no ORM."""
    parsed = parse_programme_bytes(data)
    engine = fresh(url)
    started = time.perf_counter()
    with engine.begin() as connection:
        pid = connection.execute(
            insert(Programme).returning(Programme.id),
            {"slug": "floor", "title": "t", "printed_title": "t", "preamble": "", "party": "p", "municipality": "m",
             "election_date": dt.date(2025, 9, 14), "term_start": dt.date(2025, 11, 1),
             "term_end": dt.date(2030, 10, 31), "language": "de", "source_name": "", "source_sha256": "",
             "is_demo": False},
        ).scalar_one()  # fmt: skip
        area_id = connection.execute(
            insert(Area).returning(Area.id),
            {"programme_id": pid, "number": 1, "title": "t", "short_title": "t", "why_important": None, "focus": None},
        ).scalar_one()
        connection.execute(
            insert(Pledge),
            [{"programme_id": pid, "area_id": area_id, "goal_id": None, "code": p.code, "position": i,
              "text": p.text, "search_text": search_text(p.code, p.text), "success_criterion": None,
              "retired_on": None, "current_status": "not_rated", "status_date": None, "version": 0}
             for i, p in enumerate(parsed.pledges(), start=1)],
        )  # fmt: skip
    return time.perf_counter() - started


def median(function, repeat: int) -> float:
    return statistics.median(function() for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pledges", type=int, default=100_000, help="size of the generated programme")
    args = parser.parse_args()
    texts = {"Herne (262)": HERNE.read_bytes(), f"generated ({args.pledges:,})": synthetic_programme(args.pledges)}
    targets = [("sqlite", None)]
    if os.environ.get("TRACKER_BENCH_POSTGRES_URL"):
        targets.append(("postgresql", os.environ["TRACKER_BENCH_POSTGRES_URL"]))
    print(f"machine: {os.cpu_count()} cores")
    print(f"{'database':<11} {'programme':<20} {'parse/s':>10} {'import/s':>10} {'floor/s':>10} {'import/floor':>13}")
    with tempfile.TemporaryDirectory() as folder:
        for name, base in targets:
            url = base or f"sqlite:///{Path(folder) / 'import.sqlite3'}"
            for label, data in texts.items():
                count = len(parse_programme_bytes(data).pledges())
                repeat = 5 if count < 1000 else 1
                parse = median(lambda data=data: _timed(parse_programme_bytes, data), repeat)
                imported = median(lambda data=data, url=url: import_once(url, data), repeat)
                floor = median(lambda data=data, url=url: floor_once(url, data), repeat)
                print(f"{name:<11} {label:<20} {count / parse:>10,.0f} {count / imported:>10,.0f} "
                      f"{count / floor:>10,.0f} {imported / floor:>12.1f}x")  # fmt: skip
            db.get_engine(url).dispose()


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
