"""Page speed against the framework's floor, in headless Chromium: overview chart, a search, a permalink.

    .venv/bin/python bench/pages.py [--quick] [--runs 7]

Every figure is a ratio to a floor measured in the same run: a minimal Streamlit app drawing one
constant plotly bar chart (bench/floor_app.py). Floor and page loads alternate (ABBA order), so
drift on the machine affects both alike.

For each page: time from navigation start (``performance.now()`` in the page) until
  overview   the plotly SVG is present and Streamlit's script has finished (connected, notRunning);
  search     ``/measures?q=WORD``: the "… Maßnahmen gefunden" line is visible and the script finished;
  permalink  ``/?pledge=CODE``: the measure's text and a status badge are visible, script finished.
The floor is timed to "plotly SVG present and script finished", the same condition as the overview.
Warm: 2 untimed loads of each first (the first app load is reported as "cold"), then --runs timed
loads, each in a fresh tab (page) of the same browser context, so the browser's HTTP cache is warm
as for a returning visitor, but every load is a new Streamlit session. Figures are medians.

Databases: built in a temporary directory: the Herne programme (262 pledges, imported as the
CLI does, no statuses) and one demo programme of 100,000 pledges with 1,000,000 changes
(``--quick``: 10,000 / 100,000) from ``tracker demo-data``. With ``TRACKER_BENCH_POSTGRES_URL``
set (a PostgreSQL database the benchmark may WIPE), both are measured on PostgreSQL too.
The app runs as shipped: started with ``tracker serve`` (``.streamlit/config.toml``, read cache TTL 60 s);
the floor with ``streamlit run bench/floor_app.py`` (both through tests/browser.py's AppServer).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _browser import (  # noqa: E402
    CHART_DRAWN,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SCRIPT_DONE,
    AppServer,
    Load,
    condition_script,
    handle_termination,
    machine_info,
    median,
    timed_load,
    tracker_command,
    visible_text,
)

HERNE = ROOT / "data" / "programmes" / "hak-herne-2025.txt"
FLOOR_APP = ROOT / "bench" / "floor_app.py"
LOAD_TIMEOUT_S = 120
WARMUP = 2

CHART_SCRIPT = condition_script(SCRIPT_DONE, CHART_DRAWN)
FOUND = (
    "Array.from(document.querySelectorAll(\"[data-testid='stMarkdownContainer']\"))"
    ".some(e => /Maßnahmen? gefunden/.test(e.textContent) && e.getClientRects().length > 0)"
)
BADGE = (
    "Array.from(document.querySelectorAll(\"[data-testid='stHtml'] span\")).some(e => e.getClientRects().length > 0)"
)


@dataclass
class Result:
    target: str
    data: str
    backend: str
    limit: float
    app: list[Load] = field(default_factory=list)
    floor: list[Load] = field(default_factory=list)
    cold: float | None = None
    error: str = ""

    @property
    def ratio(self) -> float | None:
        if self.error or not self.app or not self.floor:
            return None
        return median([x.done for x in self.app]) / median([x.done for x in self.floor])


def measure(context, floor: AppServer, url: str, script: str, result: Result, runs: int) -> Result:
    """Untimed warm-up loads (the first one of the app reported as cold), then ABBA-alternated timed loads.

    A page that does not get there within LOAD_TIMEOUT_S is recorded as a timeout (a miss), not a crash.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    floor_url = floor.base + "/"

    def page() -> Load:
        return timed_load(context, url, script, timeout_ms=LOAD_TIMEOUT_S * 1000)

    def floor_page() -> Load:
        return timed_load(context, floor_url, CHART_SCRIPT, timeout_ms=LOAD_TIMEOUT_S * 1000)

    try:
        for i in range(WARMUP):
            floor_page()
            first = page()
            if i == 0:
                result.cold = first.done
        for i in range(runs):
            if i % 2 == 0:
                result.floor.append(floor_page())
                result.app.append(page())
            else:
                result.app.append(page())
                result.floor.append(floor_page())
    except PlaywrightTimeout:
        result.error = f"timeout: not done within {LOAD_TIMEOUT_S} s"
    return result


# --- databases -------------------------------------------------------------------------------------


def reset_postgres(url: str) -> None:
    from sqlalchemy import text

    from tracker import db

    engine = db.get_engine(url)
    engine.dispose()
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def build_herne(url: str) -> str:
    """Import the Herne programme through the use cases, as ``tracker import-programme`` does."""
    from tracker import db, services

    started = time.perf_counter()
    os.environ["TRACKER_DATABASE_URL"] = url  # the use cases work on the configured database
    services.upgrade_schema()
    services.import_programme_file(HERNE, services.Actor("bench", "admin", "cli"))
    db.get_engine(url).dispose()
    return f"imported in {time.perf_counter() - started:.1f} s"


def build_demo(url: str, pledges: int, changes: int) -> str:
    started = time.perf_counter()
    command = [*tracker_command(), "demo-data", "--programmes", "1", "--pledges", str(pledges),
               "--changes", str(changes), "--seed", "1"]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, env={**os.environ, "TRACKER_DATABASE_URL": url}, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"tracker demo-data failed:\n{done.stdout}\n{done.stderr}")
    return f"built by `tracker demo-data` in {time.perf_counter() - started:.0f} s"


@dataclass
class Targets:
    search_word: str
    code: str
    text: str
    changes_of_code: int
    pledges: int
    changes: int


def pick_targets(url: str, herne: bool) -> Targets:
    """The permalink: 8.2-4 for Herne; for the demo the pledge in the middle of the programme order.

    Not the pledge with the longest history: the demo generator piles about 2.5 % of all changes on
    the last pledge (25,000 at 1,000,000 changes), which no real pledge will have.
    """
    from sqlalchemy import func, select

    from tracker import db
    from tracker.models import Pledge, StatusChange

    engine = db.get_engine(url)
    with db.session_factory(engine)() as session:  # a direct look at the rows, read only
        pledges = session.scalar(select(func.count(Pledge.id)))
        changes = session.scalar(select(func.count(StatusChange.id)))
        if herne:
            pledge = session.scalars(select(Pledge).where(Pledge.code == "8.2-4")).one()
        else:
            pledge = session.scalars(select(Pledge).order_by(Pledge.position).offset(pledges // 2).limit(1)).one()
        history = session.scalar(select(func.count(StatusChange.id)).where(StatusChange.pledge_id == pledge.id))
        code, text = pledge.code, pledge.text
    engine.dispose()
    return Targets("kita" if herne else "radwege", code, text, history, pledges, changes)


# --- output ----------------------------------------------------------------------------------------


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def summary(result: Result) -> str:
    if result.error:
        return result.error
    page, floor = median([x.done for x in result.app]), median([x.done for x in result.floor])
    return f"median {fmt_ms(page)} ms, floor {fmt_ms(floor)} ms, ratio {result.ratio:.2f}"


def print_table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print(
            "  ".join(
                str(c).rjust(w) if i >= 3 else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="10,000 pledges / 100,000 changes instead of 100,000 / 1,000,000"
    )
    parser.add_argument(
        "--runs", type=int, default=7, help="timed loads per page and per floor (at least 5; default 7)"
    )
    args = parser.parse_args()
    runs = max(5, args.runs)
    handle_termination()
    pledges, changes = (10_000, 100_000) if args.quick else (100_000, 1_000_000)
    big = f"{pledges // 1000}k"

    from playwright.sync_api import sync_playwright

    backends = [("sqlite", None)]
    postgres = os.environ.get("TRACKER_BENCH_POSTGRES_URL", "").strip()
    if postgres:
        backends.append(("postgres", postgres))

    results: list[Result] = []
    datasets: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        print("# Pages against the floor (bench/pages.py)")
        for line in machine_info(browser.version):
            print(line)
        print(
            f"sizes: Herne programme and {pledges:,} pledges / {changes:,} changes"
            f"{' (--quick)' if args.quick else ''}; {runs} timed loads per page, medians, ms since navigation"
        )
        print(flush=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        floor = AppServer.script(FLOOR_APP)
        try:
            floor.wait_healthy()
            for backend, pg_url in backends:
                for name in ("herne", big):
                    if pg_url:
                        reset_postgres(pg_url)
                        url = pg_url
                    else:
                        url = f"sqlite:///{Path(tmp) / f'{name}.sqlite3'}"
                    how = build_herne(url) if name == "herne" else build_demo(url, pledges, changes)
                    targets = pick_targets(url, name == "herne")
                    datasets.append(
                        f"{name}/{backend}: {targets.pledges:,} pledges, {targets.changes:,} changes, {how};"
                        f" search '{targets.search_word}', permalink {targets.code} ({targets.changes_of_code} changes)"
                    )
                    print(datasets[-1], flush=True)
                    limit = 1.3 if name == "herne" else 1.5
                    heading = visible_text("[data-testid='stMarkdownContainer'] h3", targets.text)
                    pages = [
                        ("overview", "/", CHART_SCRIPT),
                        (f"search ?q={targets.search_word}", f"/measures?q={targets.search_word}",
                         condition_script(SCRIPT_DONE, FOUND)),
                        (f"permalink {targets.code}", f"/?pledge={targets.code}",
                         condition_script(SCRIPT_DONE, heading, BADGE)),
                    ]  # fmt: skip
                    app = AppServer.dashboard(url)
                    try:
                        app.wait_healthy()
                        for target, path, script in pages:
                            result = Result(target, name, backend, limit)
                            measure(context, floor, app.base + path, script, result, runs)
                            results.append(result)
                            print(f"  measured {target}: {summary(result)}", flush=True)
                    finally:
                        app.stop()
        finally:
            floor.stop()
            try:
                browser.close()
            except Exception as error:  # the browser is gone already; do not hide the error that got us here
                print(f"(closing the browser: {error.__class__.__name__})", file=sys.stderr)

    print()
    print("## Ratio to the floor (median of the page / median of the floor loads interleaved with it)")
    rows = []
    for r in results:
        app_ms = [x.done for x in r.app]
        floor_ms = [x.done for x in r.floor]
        ratio = r.ratio
        rows.append([
            r.target, r.data, r.backend, fmt_ms(median(app_ms)) if app_ms else "-",
            f"{fmt_ms(min(app_ms))}-{fmt_ms(max(app_ms))}" if app_ms else "-",
            fmt_ms(median(floor_ms)) if floor_ms else "-", "-" if ratio is None else f"{ratio:.2f}",
            f"<= {r.limit:.1f}", "pass" if ratio is not None and ratio <= r.limit else "MISS", fmt_ms(r.cold),
        ])  # fmt: skip
    print_table(rows, ["target", "size", "db", "median ms", "min-max", "floor ms", "ratio", "target", "", "cold ms"])
    for r in results:
        if r.error:
            print(f"{r.target} ({r.data}, {r.backend}): {r.error}")
    if args.quick:
        print(f"(--quick: the {big} rows are indicative; the issue's 1.5x target is for 100,000 pledges)")

    print()
    print("## Where the time goes (medians, ms since navigation): websocket connected, script started,")
    print("## script finished (last running -> notRunning), plotly SVG present, end condition met")
    rows = []
    for r in results:
        for who, loads in (("page", r.app), ("floor", r.floor)):

            def mark(key, loads=loads):
                values = [x.marks[key] for x in loads if key in x.marks]
                return fmt_ms(median(values)) if values else "-"

            if not loads:
                continue
            name = r.target if who == "page" else "  floor"
            done = fmt_ms(median([x.done for x in loads]))
            rows.append(
                [name, r.data, r.backend, *(mark(k) for k in ("connected", "started", "finished", "svg")), done]
            )
    print_table(rows, ["", "size", "db", "connected", "started", "finished", "svg", "done"])
    print()
    print(f"run finished {dt.datetime.now().isoformat(timespec='seconds')}; raw loads (ms):")
    for r in results:
        print(json.dumps({"target": r.target, "size": r.data, "db": r.backend,
                          "page": [round(x.done) for x in r.app], "floor": [round(x.done) for x in r.floor]},
                         ensure_ascii=False))  # fmt: skip
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
