"""Benchmark 1: the per-area figures through tracker.services against hand-written SQL.

For each size (262 / 10,000 / 100,000 pledges, ten changes per pledge) and each database (SQLite;
PostgreSQL when TRACKER_BENCH_POSTGRES_URL names a database this script may wipe), it times

  now    pledges per area and status today (the overview's chart; ``services.overview`` runs the same
         query) vs. one raw GROUP BY on the pledges
  as_of  the same "as of" a past day vs. one raw window-function query over the history

twice, and prints the medians and their ratios:

  call   ``services.area_status_counts(slug, day)`` as the CLI and the dashboard call it: its own unit of
         work (a session from the pool, the programme looked up by slug, the aggregate, the rows turned
         into AreaCount and sorted, commit, close) vs. the same work by hand: one transaction on a pooled
         connection, the programme's id by slug, the raw query, the rows into a dict.
  query  the aggregate alone: ``statistics.count_by_area`` in an open session with the programme already
         loaded vs. the raw query on an open connection with the programme id known.

Target: at most 1.5x the hand-written SQL, for the call (what users get) and the query alone.
Usage: python bench/figures.py [--quick] [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from tracker import db, services  # noqa: E402
from tracker.services.programmes import find_programme  # noqa: E402
from tracker.services.statistics import count_by_area  # noqa: E402

ACTOR = services.Actor("bench", "admin", "cli")
AS_OF = dt.date(2026, 3, 31)
TODAY = dt.date(2026, 11, 25)
TARGET = 1.5

PROGRAMME_ID_SQL = "SELECT id FROM programme WHERE slug = :slug"
NOW_SQL = """
SELECT a.number, p.current_status, count(*)
FROM pledge p JOIN area a ON a.id = p.area_id
WHERE p.programme_id = :pid AND p.retired_on IS NULL
GROUP BY a.number, p.current_status
"""
AS_OF_SQL = """
SELECT a.number, coalesce(r.status, 'not_rated'), count(*)
FROM pledge p
JOIN area a ON a.id = p.area_id
LEFT JOIN (
    SELECT pledge_id, status,
           row_number() OVER (PARTITION BY pledge_id ORDER BY effective_date DESC, sequence DESC) AS rank
    FROM status_change WHERE programme_id = :pid AND effective_date <= :day
) r ON r.pledge_id = p.id AND r.rank = 1
WHERE p.programme_id = :pid AND p.retired_on IS NULL
GROUP BY a.number, coalesce(r.status, 'not_rated')
"""

Figures = dict[tuple[int, str], int]


def build(url: str, pledges: int) -> str:
    """A fresh database with one demo programme, made through the use cases as ``tracker demo-data`` does;
    returns the programme's slug."""
    os.environ["TRACKER_DATABASE_URL"] = url  # the use cases work on the configured database
    engine = db.get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    services.upgrade_schema()
    started = time.perf_counter()
    services.generate_demo_data(ACTOR, 1, pledges, pledges * 10, seed=1, today=TODAY)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    print(f"  built {pledges:,} pledges / {pledges * 10:,} changes in {time.perf_counter() - started:.1f} s")
    (programme,) = services.list_programmes()
    return programme.slug


def by_area(rows: list[services.AreaCount]) -> Figures:
    return {(r.area_number, r.status): r.count for r in rows}


def compare(label: str, service: Callable[[], Figures], hand: Callable[[], Figures], repeat: int) -> tuple:
    """Medians of ``repeat`` timed runs of each, alternated so that drift affects both alike, after one
    untimed run of each (warm caches and connections) that must give the same figures."""
    assert service() == hand(), f"{label}: services and the hand-written SQL disagree"
    service_times, hand_times = [], []
    for _ in range(repeat):
        for function, times in ((service, service_times), (hand, hand_times)):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
    return statistics.median(service_times), statistics.median(hand_times)


def measure(url: str, slug: str, repeat: int) -> list[tuple[str, str, float, float]]:
    engine = db.get_engine(url)
    rows = []
    for label, day, sql in (("now", None, NOW_SQL), ("as_of", AS_OF, AS_OF_SQL)):
        # call: the public use case, unit of work and programme lookup included ...
        def call(day=day) -> Figures:
            return by_area(services.area_status_counts(slug, day))

        # ... against the same work written by hand: a transaction, the id by slug, the query.
        def call_by_hand(sql=sql, day=day) -> Figures:
            with engine.begin() as connection:
                pid = connection.execute(text(PROGRAMME_ID_SQL), {"slug": slug}).scalar_one()
                result = connection.execute(text(sql), {"pid": pid, "day": day})
                return {(int(n), s): int(c) for n, s, c in result}

        rows.append((label, "call", *compare(f"{label} call", call, call_by_hand, repeat)))

        # query: the aggregate alone, in a session / on a connection that is already open, programme known.
        with db.session_factory(engine)() as session, engine.connect() as connection:
            programme = find_programme(session, slug)
            pid = programme.id

            def query(day=day, session=session, programme=programme) -> Figures:
                return by_area(count_by_area(session, programme, day))

            def query_by_hand(sql=sql, day=day, connection=connection, pid=pid) -> Figures:
                result = connection.execute(text(sql), {"pid": pid, "day": day})
                return {(int(n), s): int(c) for n, s, c in result}

            rows.append((label, "query", *compare(f"{label} query", query, query_by_hand, repeat)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-pledge size")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    sizes = [262, 10_000] if args.quick else [262, 10_000, 100_000]
    targets = [("sqlite", None)]
    if os.environ.get("TRACKER_BENCH_POSTGRES_URL"):
        targets.append(("postgresql", os.environ["TRACKER_BENCH_POSTGRES_URL"]))
    print(f"machine: {os.cpu_count()} cores; repeat {args.repeat}, median; target <= {TARGET}x")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, base in targets:
            for size in sizes:
                url = base or f"sqlite:///{Path(folder) / f'stats-{size}.sqlite3'}"
                print(f"{name}, {size:,} pledges:", flush=True)
                slug = build(url, size)
                repeat = args.repeat if size < 100_000 else max(3, args.repeat // 2)
                for label, what, service, hand in measure(url, slug, repeat):
                    results.append((name, size, label, what, service, hand))
                    print(f"  {label:<6} {what:<6} services {service * 1000:.2f} ms, by hand {hand * 1000:.2f} ms")
                db.get_engine(url).dispose()
    print()
    print("call:  services.area_status_counts(slug, day), own unit of work and programme lookup included,")
    print("       vs. one transaction by hand: programme id by slug, then the raw query")
    print("query: the aggregate alone on an open session / connection, programme already known")
    print(
        f"{'database':<11} {'pledges':>8} {'figure':<6} {'timed':<6} {'services ms':>12} {'by hand ms':>11} "
        f"{'ratio':>6}  target"
    )
    for name, size, label, what, service, hand in results:
        ratio = service / hand
        verdict = "ok" if ratio <= TARGET else "MISSED"
        print(
            f"{name:<11} {size:>8,} {label:<6} {what:<6} {service * 1000:>12.2f} {hand * 1000:>11.2f} "
            f"{ratio:>6.2f}  {verdict}"
        )


if __name__ == "__main__":
    main()
