"""Benchmark 1: the overview figures through tracker.services against one hand-written SQL query.

For each size (262 / 10,000 / 100,000 pledges, ten changes per pledge) and each database (SQLite;
PostgreSQL when TRACKER_BENCH_POSTGRES_URL names a database this script may wipe), it times

  now    services.area_status_counts (what the overview calls) vs. one raw GROUP BY on the pledges
  as_of  the same "as of" a past day vs. one raw window-function query over the history

and prints the median of each and their ratio. Target: at most 1.5x the hand-written query.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from tracker import db, services  # noqa: E402
from tracker.services import demo  # noqa: E402

ACTOR = services.Actor("bench", "admin", "cli")
AS_OF = dt.date(2026, 3, 31)
TODAY = dt.date(2026, 11, 25)

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


def build(url: str, pledges: int) -> None:
    engine = db.get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.upgrade_schema(engine)
    started = time.perf_counter()
    with db.session_scope(engine) as session:
        demo.generate_demo_data(session, ACTOR, 1, pledges, pledges * 10, seed=1, today=TODAY)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    print(f"  built {pledges:,} pledges / {pledges * 10:,} changes in {time.perf_counter() - started:.1f} s")


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def measure(url: str, repeat: int) -> list[tuple[str, float, float]]:
    engine = db.get_engine(url)
    rows = []
    with db.session_scope(engine) as session:
        programme = services.list_programmes(session)[0]
        pid = programme.id

        def via_services(day):
            return lambda: {
                (r.area_number, r.status): r.count for r in services.area_status_counts(session, programme, day)
            }

        def by_hand(sql, day):
            def run():
                with engine.connect() as connection:
                    result = connection.execute(text(sql), {"pid": pid, "day": day})
                    return {(int(n), s): int(c) for n, s, c in result}

            return run

        for label, day, sql in (("now", None, NOW_SQL), ("as_of", AS_OF, AS_OF_SQL)):
            fast, hand = via_services(day), by_hand(sql, day)
            fast(), hand()  # warm caches and connections
            service_times, hand_times = [], []
            for _ in range(repeat):  # alternate, so that drift affects both alike
                service_times.append(timed(fast, 1)[0])
                hand_times.append(timed(hand, 1)[0])
            assert fast() == hand(), f"{label}: services and the hand-written query disagree"
            rows.append((label, statistics.median(service_times), statistics.median(hand_times)))
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
    print(f"machine: {os.cpu_count()} cores; repeat {args.repeat}, median; target <= 1.5x")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, base in targets:
            for size in sizes:
                url = base or f"sqlite:///{Path(folder) / f'stats-{size}.sqlite3'}"
                print(f"{name}, {size:,} pledges:")
                build(url, size)
                for label, service, hand in measure(url, args.repeat if size < 100_000 else max(3, args.repeat // 2)):
                    results.append((name, size, label, service, hand))
                db.get_engine(url).dispose()
    print()
    print(f"{'database':<11} {'pledges':>8} {'figure':<6} {'services ms':>12} {'by hand ms':>11} {'ratio':>6}  target")
    for name, size, label, service, hand in results:
        ratio = service / hand
        verdict = "ok" if ratio <= 1.5 else "MISSED"
        print(f"{name:<11} {size:>8,} {label:<6} {service * 1000:>12.2f} {hand * 1000:>11.2f} {ratio:>6.2f}  {verdict}")


if __name__ == "__main__":
    main()
