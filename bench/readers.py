"""Readers under load: 30 browser sessions on the overview for 60 s against one app process.

    .venv/bin/python bench/readers.py [--sessions 30] [--seconds 60] [--alone 10]

One app process (``tracker serve``, as deployed, on a SQLite file with the Herne programme and a rating
for every measure) and one headless Chromium. First one session alone loads the overview ``--alone``
times, one after another; then ``--sessions`` sessions, each in its own browser context (its own
cookies, its own Streamlit session), load the overview again and again for ``--seconds`` seconds.

Time to chart: from navigation start (``performance.now()`` in the page) until the plotly SVG is present
and Streamlit's script has finished, as in bench/pages.py. Errors: a load that did not reach that state
within the timeout, a response with status 500 or more, an exception element (``stException``) or our
error page on the page, and every "Traceback" in the server's log. The figures: loads done, errors, p50
and p95 alone and under load, their ratio, and the server's resident memory before and after.

The readers arrive one after another within the first 10 s; a load still under way when the time is up is
finished and counted. Chromium and the server share the machine, so the ratio measures the whole machine
under 30 readers, not the server alone; the server's CPU seconds say how much of the machine it took.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
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
    condition_script,
    handle_termination,
    machine_info,
    rss_kib,
    tracker_command,
)

HERNE = ROOT / "data" / "programmes" / "hak-herne-2025.txt"
CHART_SCRIPT = condition_script(SCRIPT_DONE, CHART_DRAWN)
LOAD_TIMEOUT_MS = 240_000  # a load started near the end of the window may finish after it
ARRIVAL_SPREAD_S = 10  # the readers arrive one after another within the first seconds, not in the same millisecond
# What a broken page shows: Streamlit's exception element, or our own error page's heading.
BROKEN = "document.querySelector(\"[data-testid='stException']\") !== null"


@dataclass
class Readings:
    times_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float | None:
        if not self.times_ms:
            return None
        if len(self.times_ms) == 1:
            return self.times_ms[0]
        return statistics.quantiles(self.times_ms, n=100, method="inclusive")[round(share * 100) - 1]


def build_database(url: str) -> None:
    """The Herne programme imported by the CLI, and one rating per measure (a fuller overview)."""
    env = {**os.environ, "TRACKER_DATABASE_URL": url}
    for args in (["init"], ["import-programme", str(HERNE)]):
        subprocess.run([*tracker_command(), *args], cwd=ROOT, env=env, check=True, capture_output=True)
    script = """
import datetime as dt
from sqlalchemy import select
from tracker import services
from tracker.db import get_engine
from tracker.models import Pledge
statuses = ["in_progress", "kept", "stalled", "broken", "partially_kept"]
with get_engine().connect() as connection:
    codes = list(connection.scalars(select(Pledge.code).order_by(Pledge.position)))
items = [
    services.BulkItem(code, services.StatusChangeInput(
        statuses[i % len(statuses)], f"Bewertung für die Messung {i}",
        [services.SourceInput(f"https://www.herne.de/rat/{i}", f"Ratsbeschluss {i}", "council")],
        effective_date=dt.date(2026, 1, 1),
        broken_reason="no_budget" if statuses[i % len(statuses)] == "broken" else None))
    for i, code in enumerate(codes)
]
services.record_status_changes(None, items, services.Actor("bench", "admin", "cli"))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"rating the measures failed:\n{done.stderr}")


async def load_once(context, url: str, readings: Readings) -> None:
    page = await context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None)
    try:
        await page.add_init_script(CHART_SCRIPT)
        await page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        await page.wait_for_function("() => window.__benchDone !== undefined", timeout=LOAD_TIMEOUT_MS, polling=100)
        done = float(await page.evaluate("() => window.__benchDone"))
        if await page.evaluate(f"() => {BROKEN}"):
            failed.append("exception shown on the page")
    except Exception as error:  # a timeout or a crashed page is what this benchmark counts
        failed.append(f"{type(error).__name__}: {str(error).splitlines()[0][:120]}")
        done = None
    finally:
        await page.close()
    if failed:
        readings.errors.extend(failed)
    elif done is not None:
        readings.times_ms.append(done)


async def reader(browser, url: str, delay: float, until: float, readings: Readings) -> None:
    """One reader: arrives after ``delay`` seconds, then loads the overview again and again until ``until``
    (the load under way then is finished and counted)."""
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    try:
        while time.monotonic() < until:
            await load_once(context, url, readings)
    finally:
        await context.close()


async def measure(url: str, sessions: int, seconds: float, alone_runs: int) -> tuple[Readings, Readings]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            warm = await browser.new_context()
            for _ in range(2):
                await load_once(warm, url, Readings())
            await warm.close()
            alone = Readings()
            context = await browser.new_context(viewport={"width": 390, "height": 844})
            for _ in range(alone_runs):
                await load_once(context, url, alone)
            await context.close()
            loaded = Readings()
            until = time.monotonic() + seconds
            arrivals = [ARRIVAL_SPREAD_S * i / sessions for i in range(sessions)]
            await asyncio.gather(*(reader(browser, url, delay, until, loaded) for delay in arrivals))
            return alone, loaded
        finally:
            await browser.close()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time process ``pid`` has used so far (from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value / 1000:.2f} s"


def main() -> int:
    handle_termination()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--alone", type=int, default=10, help="loads by one session alone, for the baseline")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-readers-") as folder:
        url = f"sqlite:///{Path(folder) / 'readers.sqlite3'}"
        build_database(url)
        with AppServer.dashboard(url) as app:
            rss_before, cpu_before, wall_before = rss_kib(app.pid), cpu_seconds(app.pid), time.monotonic()
            alone, loaded = asyncio.run(measure(f"{app.base}/", args.sessions, args.seconds, args.alone))
            rss_after, cpu_used = rss_kib(app.pid), cpu_seconds(app.pid) - cpu_before
            wall = time.monotonic() - wall_before
            tracebacks = app.output().count("Traceback")

    print(f"# Readers under load ({dt.date.today().isoformat()})")
    for line in machine_info():
        print(f"  {line}")
    print("  one app process, SQLite, Herne programme with a rating for each of its measures; viewport 390 px")
    print()
    p50_alone, p95_alone = alone.percentile(0.5), alone.percentile(0.95)
    p50_load, p95_load = loaded.percentile(0.5), loaded.percentile(0.95)
    print("| readers | loads | errors | p50 time to chart | p95 time to chart |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| 1 (alone) | {len(alone.times_ms)} | {len(alone.errors)} | {fmt(p50_alone)} | {fmt(p95_alone)} |")
    print(
        f"| {args.sessions} for {args.seconds:.0f} s | {len(loaded.times_ms)} | {len(loaded.errors)} |"
        f" {fmt(p50_load)} | {fmt(p95_load)} |"
    )
    if p50_alone and p50_load and p95_alone and p95_load:
        print(f"\nratio under load / alone: p50 {p50_load / p50_alone:.1f}x, p95 {p95_load / p95_alone:.1f}x")
    print(f"server memory: {rss_before / 1024:.0f} MiB before, {rss_after / 1024:.0f} MiB after")
    loads = max(1, len(alone.times_ms) + len(loaded.times_ms))
    print(
        f"server CPU: {cpu_used:.0f} s in {wall:.0f} s of measuring ({cpu_used / wall:.2f} cores of"
        f" {os.cpu_count()}; Chromium had the rest), {cpu_used / loads:.2f} s per load"
    )
    print(f"tracebacks in the server's log: {tracebacks}")
    for error in sorted(set(alone.errors + loaded.errors))[:10]:
        print(f"  error: {error}")
    return 0 if not (alone.errors or loaded.errors or tracebacks) else 1


if __name__ == "__main__":
    sys.exit(main())
