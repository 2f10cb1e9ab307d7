"""Benchmark: how long a sign-in takes to answer, per kind of answer: does the time tell why it failed?

Times ``services.authenticate`` as the sign-in page calls it (with a client address) for each kind of refusal
(an unknown name, a wrong password, a locked account, a disabled account, an address over its limit) and for
the right password, interleaved, ``--runs`` times each (default 20), on SQLite (and PostgreSQL when
TRACKER_BENCH_POSTGRES_URL names a database this script may wipe), and prints the median and the spread in
milliseconds. Every answer costs one argon2 hash check, so the medians should lie within a few percent of
each other; "slowest/fastest refusal" is the ratio of the largest to the smallest median of the refusals.
Usage: python bench/sign_in_timing.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text, update  # noqa: E402

from tracker import db, services  # noqa: E402
from tracker.models import User  # noqa: E402
from tracker.services import sign_in  # noqa: E402

ACTOR = services.Actor("bench", "admin", "cli")
PASSWORD = "korrekt pferd batterie"
WRONG = "falsches passwort"
LIMITED = "203.0.113.7"


def fresh(url: str) -> None:
    """An empty database with the newest schema at ``url``, made the configured one; the accounts of each case."""
    os.environ["TRACKER_DATABASE_URL"] = url
    engine = db.get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    services.upgrade_schema()
    for name in ("erika", "wrong", "locked", "disabled"):
        services.add_user(ACTOR, name, PASSWORD, "editor")
    services.disable_user(ACTOR, "disabled")
    for _ in range(sign_in.MAX_FAILED_ATTEMPTS):
        _answer("locked", WRONG, "192.0.2.1")
    for i in range(sign_in.MAX_ADDRESS_ATTEMPTS):
        _answer(f"niemand{i}", WRONG, LIMITED)


def _answer(name: str, password: str, address: str) -> bool:
    try:
        services.authenticate(name, password, address=address)
    except services.SignInFailed:
        return False
    return True


CASES = {  # kind: name, password, whether the address is the one over its limit, the answer expected
    "unknown name": ("niemand", PASSWORD, False, False),
    "wrong password": ("wrong", WRONG, False, False),
    "locked": ("locked", PASSWORD, False, False),
    "disabled": ("disabled", PASSWORD, False, False),
    "address over limit": ("erika", PASSWORD, True, False),
    "right password": ("erika", PASSWORD, False, True),
}


def measure(url: str, runs: int) -> dict[str, list[float]]:
    fresh(url)
    times: dict[str, list[float]] = {case: [] for case in CASES}
    for run in range(runs):
        for index, (case, (name, password, limited, expected)) in enumerate(CASES.items()):
            address = LIMITED if limited else f"198.51.{index}.{run + 1}"  # a fresh address: never over its limit
            started = time.perf_counter()
            answer = _answer(name, password, address)
            times[case].append((time.perf_counter() - started) * 1000)
            assert answer == expected, (case, answer)
        with db.get_engine(url).begin() as connection:  # "wrong" stays below the lock (not timed)
            connection.execute(update(User).where(User.name == "wrong").values(failed_attempts=0))
    return times


def report(label: str, times: dict[str, list[float]]) -> None:
    print(f"\n{label}: milliseconds per answer, {len(times['locked'])} runs each")
    print(f"  {'answer':<20} {'median':>8} {'min':>8} {'max':>8}")
    for case, values in times.items():
        print(f"  {case:<20} {statistics.median(values):8.1f} {min(values):8.1f} {max(values):8.1f}")
    refusals = [statistics.median(v) for case, v in times.items() if case != "right password"]
    print(f"  slowest/fastest refusal (medians): {max(refusals) / min(refusals):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report("SQLite", measure(f"sqlite:///{folder}/bench.sqlite3", args.runs))
    if os.environ.get("TRACKER_BENCH_POSTGRES_URL"):
        report("PostgreSQL", measure(os.environ["TRACKER_BENCH_POSTGRES_URL"], args.runs))


if __name__ == "__main__":
    main()
