"""Shared helpers for the benchmarks in bench/: app servers, headless Chromium, timing, machine info.

Imported by bench/pages.py and bench/memory.py; running this file directly does nothing but say so
(``make bench`` runs every ``bench/*.py``).

Timing is taken inside the page: an init script registers a MutationObserver before Streamlit's
own code runs and records ``performance.now()`` (milliseconds since the navigation started) the
first time the page's condition holds, e.g. "the plotly SVG is present and the script has finished".
"""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The servers are the browser tests' own (tests/browser.py): the dashboard started with ``tracker serve``
# as deployed (AppServer.dashboard), the floor app with ``streamlit run`` (AppServer.script).
from tests.browser import CHROMIUM, CHROMIUM_ARGS, AppServer  # noqa: E402
from tests.helpers import tracker_command  # noqa: E402

__all__ = [
    "CHART_DRAWN", "CHROMIUM", "CHROMIUM_ARGS", "ROOT", "SCRIPT_DONE", "AppServer", "Load", "condition_script",
    "handle_termination", "machine_info", "median", "rss_kib", "timed_load", "tracker_command", "visible_text",
]  # fmt: skip

# Streamlit has connected and finished running the script (the same test as tests.browser.wait_until_rendered).
SCRIPT_DONE = (
    "(() => { const app = document.querySelector(\"[data-testid='stApp']\");"
    " return !!app && app.getAttribute('data-test-script-state') === 'notRunning'"
    " && app.getAttribute('data-test-connection-state') === 'CONNECTED'; })()"
)
# A plotly chart has been drawn: its SVG is in the page.
CHART_DRAWN = "!!document.querySelector(\"[data-testid='stPlotlyChart'] .main-svg\")"


def visible_text(selector: str, text: str) -> str:
    """A JS expression: some element matching ``selector`` contains ``text`` and takes up space on the page."""
    return (
        f"Array.from(document.querySelectorAll({json.dumps(selector)}))"
        f".some(e => e.textContent.includes({json.dumps(text)}) && e.getClientRects().length > 0)"
    )


# Milestones recorded on the way (ms since navigation start): websocket connected, script started,
# script finished (the last running -> notRunning before the end condition), plotly SVG present.
_MILESTONES = """
  const marks = {};
  let last = null;
  const mark = (k) => { if (!(k in marks)) marks[k] = performance.now(); };
  const milestones = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (app) {
      if (app.getAttribute('data-test-connection-state') === 'CONNECTED') mark('connected');
      const state = app.getAttribute('data-test-script-state');
      if (state === 'running') mark('started');
      if (last === 'running' && state === 'notRunning') marks['finished'] = performance.now();
      last = state;
    }
    if (document.querySelector("[data-testid='stPlotlyChart'] .main-svg")) mark('svg');
  };
"""


def condition_script(*expressions: str) -> str:
    """An init script that stores in ``window.__benchDone`` the time (ms since navigation) all expressions held.

    The expressions are checked in order, with ``&&``, on every batch of DOM mutations (and attribute
    changes) from the start of the document, and no longer once they all hold; ``window.__benchMarks``
    then holds the milestones up to that moment. Put cheap tests first (``SCRIPT_DONE``): a test that
    forces a layout (``visible_text``) on every mutation would slow a big page down quadratically.
    """
    test = " && ".join(f"({e})" for e in expressions)
    return f"""
(() => {{
  window.__benchDone = undefined;
  window.__benchMarks = undefined;
{_MILESTONES}
  const check = () => {{
    if (window.__benchDone !== undefined) return;
    milestones();
    let ok = false;
    try {{ ok = {test}; }} catch (e) {{ ok = false; }}
    if (ok) {{ window.__benchDone = performance.now(); window.__benchMarks = marks; observer.disconnect(); }}
  }};
  const observer = new MutationObserver(check);
  observer.observe(document, {{subtree: true, childList: true, attributes: true, characterData: true}});
}})();
"""


@dataclass
class Load:
    """One page load: ms from navigation start until the condition held, and the milestones before it."""

    done: float
    marks: dict[str, float]


def timed_load(context, url: str, script: str, timeout_ms: float = 300_000) -> Load:
    """Open ``url`` in a fresh page (tab) of ``context`` and wait until ``script``'s condition held."""
    page = context.new_page()
    try:
        page.add_init_script(script)
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function("() => window.__benchDone !== undefined", timeout=timeout_ms, polling=50)
        done, marks = page.evaluate("() => [window.__benchDone, window.__benchMarks]")
        return Load(float(done), {key: float(value) for key, value in marks.items()})
    finally:
        page.close()


def median(values: list[float]) -> float:
    return statistics.median(values)


def handle_termination() -> None:
    """Turn SIGTERM/SIGHUP into SystemExit and SIGINT into KeyboardInterrupt (also when started with SIGINT
    ignored, as a background job is), so that ``finally`` blocks and atexit stop the servers."""

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def rss_kib(pid: int) -> int:
    """Resident set size of process ``pid`` in KiB (VmRSS from /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def machine_info(chromium_version: str | None = None) -> list[str]:
    """Lines describing the machine and the versions that the figures depend on."""
    import plotly
    import sqlalchemy
    import streamlit

    meminfo = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, _, value = line.partition(":")
        meminfo[key] = value.strip()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.partition(":")[2].strip()
            break
    load = os.getloadavg()
    import sqlite3

    return [
        f"cpu: {os.cpu_count()} logical cores ({usable} usable){', ' + model if model else ''};"
        f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        f"memory: MemTotal {meminfo.get('MemTotal', '?')}, MemAvailable {meminfo.get('MemAvailable', '?')}",
        f"os: {platform.platform()}",
        f"python {platform.python_version()}, streamlit {streamlit.__version__}, plotly {plotly.__version__},"
        f" sqlalchemy {sqlalchemy.__version__}, sqlite {sqlite3.sqlite_version}",
        f"chromium: {chromium_version or '?'} ({CHROMIUM}, headless)",
    ]


if __name__ == "__main__":
    print("bench/_browser.py: helpers for bench/pages.py and bench/memory.py; nothing to run.")
