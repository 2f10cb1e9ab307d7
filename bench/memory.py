"""Server memory over many browser sessions: does the dashboard keep growing per visitor?

    .venv/bin/python bench/memory.py [--sessions 50] [--no-expiry-check]

The tracker app (``tracker serve``, which runs ``streamlit run dashboard/app.py``, on a temporary
SQLite database with the Herne programme) gets ``--sessions`` sequential browser sessions: each a
new browser context (no shared cache or cookies) that loads the overview until its chart is drawn
and Streamlit's script has finished, then closes. The server's RSS (VmRSS of the Python process
running Streamlit; there is no wrapper process: ``tracker serve`` execs Streamlit in its own place)
is read after sessions 1, 10, 25 and the last, each time after a pause for Streamlit to notice the
closed websocket and clean up.

The floor is the same server after its first session: the figures are RSS after N sessions / RSS
after the first, and the growth per session in KiB. The minimal floor app (bench/floor_app.py)
gets the same sessions, interleaved, to show what Streamlit itself keeps per session.

Streamlit keeps a disconnected session (its state, for a reconnect) for
``server.disconnectedSessionTTL`` seconds, default 120, which the app does not change; expired
sessions are dropped lazily, when another session is stored. So during the run most closed
sessions are still held. With the expiry check (the default), the script then waits until that
TTL has passed, runs one more session (which purges the expired ones) and reads RSS again.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import urllib.request
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
    median,
    rss_kib,
    timed_load,
)

HERNE = ROOT / "data" / "programmes" / "hak-herne-2025.txt"
FLOOR_APP = ROOT / "bench" / "floor_app.py"
CHART = condition_script(SCRIPT_DONE, CHART_DRAWN)
SETTLE_S = 5  # after closing a session, before reading memory
LOAD_TIMEOUT_MS = 120_000


def ttl_seconds() -> tuple[int, str]:
    """``server.disconnectedSessionTTL`` as the app runs it: from .streamlit/config.toml, else Streamlit's default."""
    import tomllib

    from streamlit import config

    path = ROOT / ".streamlit" / "config.toml"
    configured = tomllib.loads(path.read_text()).get("server", {}) if path.exists() else {}
    if "disconnectedSessionTTL" in configured:
        return int(configured["disconnectedSessionTTL"]), "set in .streamlit/config.toml"
    default = config._config_options_template["server.disconnectedSessionTTL"].default_val
    return int(default), "Streamlit's default; .streamlit/config.toml does not set it"


def metrics(server: AppServer) -> dict[str, float]:
    """Session counters from Streamlit's /_stcore/metrics (connects, disconnects, active sessions)."""
    try:
        with urllib.request.urlopen(f"{server.base}/_stcore/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return {}
    found = {}
    for key, pattern in (
        ("connects", r'session_events_total\{type="connect"\} (\d+)'),
        ("disconnects", r'session_events_total\{type="disconnect"\} (\d+)'),
        ("active", r"^active_sessions (\d+)"),
    ):
        match = re.search(pattern, text, re.MULTILINE)
        if match:
            found[key] = float(match.group(1))
    return found


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (to make sure the RSS we read is the whole server)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def session(browser, server: AppServer) -> float:
    """One visitor: a fresh browser context loads the overview until the chart is drawn, then leaves."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        return timed_load(context, server.base + "/", CHART, timeout_ms=LOAD_TIMEOUT_MS).done
    finally:
        context.close()


def build_herne(url: str) -> None:
    """Import the Herne programme through the use cases, as ``tracker import-programme`` does."""
    from tracker import db, services

    os.environ["TRACKER_DATABASE_URL"] = url  # the use cases work on the configured database
    services.upgrade_schema()
    services.import_programme_file(HERNE, services.Actor("bench", "admin", "cli"))
    db.get_engine(url).dispose()


def kib(value: float) -> str:
    return f"{value:,.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50, help="sequential browser sessions (default 50)")
    parser.add_argument(
        "--no-expiry-check", action="store_true", help="skip waiting for Streamlit to drop the disconnected sessions"
    )
    args = parser.parse_args()
    total = max(10, args.sessions)
    checkpoints = sorted({1, 10, 25, total} & set(range(1, total + 1)))
    handle_termination()

    import tempfile

    from playwright.sync_api import sync_playwright

    ttl, ttl_source = ttl_seconds()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp, sync_playwright() as playwright:
        url = f"sqlite:///{Path(tmp) / 'herne.sqlite3'}"
        build_herne(url)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        print("# Server memory over sequential browser sessions (bench/memory.py)")
        for line in machine_info(browser.version):
            print(line)
        print(
            f"{total} sessions against the overview (Herne programme, SQLite); each a new browser context, closed"
            f" after the chart is drawn; RSS read {SETTLE_S} s after closing; server.disconnectedSessionTTL = {ttl} s"
            f" ({ttl_source})"
        )
        print(flush=True)
        servers = {"tracker": AppServer.dashboard(url), "floor app": AppServer.script(FLOOR_APP)}
        readings: dict[str, dict[int, int]] = {name: {} for name in servers}
        counters: dict[str, dict[int, dict[str, float]]] = {name: {} for name in servers}
        times: dict[str, list[float]] = {name: [] for name in servers}
        try:
            for server in servers.values():
                server.wait_healthy()
            for name, server in servers.items():
                extra = children(server.pid)
                cmdline = Path(f"/proc/{server.pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                print(
                    f"{name}: pid {server.pid} ({cmdline.split(' --server.port')[0]}),"
                    f" {len(extra)} child processes; RSS before any session {kib(rss_kib(server.pid))} KiB"
                )
            for number in range(1, total + 1):
                for name in servers if number % 2 else reversed(servers):
                    times[name].append(session(browser, servers[name]))
                if number in checkpoints:
                    time.sleep(SETTLE_S)
                    for name, server in servers.items():
                        readings[name][number] = rss_kib(server.pid)
                        counters[name][number] = metrics(server)
                    print(
                        f"  after session {number:>3}: "
                        + ", ".join(f"{name} {kib(readings[name][number])} KiB" for name in servers),
                        flush=True,
                    )
            expired: dict[str, int] = {}
            if not args.no_expiry_check:
                wait = ttl + 10
                print(f"  waiting {wait} s for the disconnected sessions to pass the {ttl} s TTL ...", flush=True)
                time.sleep(wait)
                for server in servers.values():
                    session(browser, server)  # storing this session purges the expired ones
                time.sleep(SETTLE_S)
                for name, server in servers.items():
                    expired[name] = rss_kib(server.pid)
                    counters[name][total + 1] = metrics(server)
        finally:
            for server in servers.values():
                server.stop()
            try:
                browser.close()
            except Exception as error:  # the browser is gone already; do not hide the error that got us here
                print(f"(closing the browser: {error.__class__.__name__})", file=sys.stderr)

    first, last = checkpoints[0], checkpoints[-1]
    print()
    print("## RSS of the server process (KiB); growth measured against its RSS after the first session")
    header = ["server", *(f"after {n}" for n in checkpoints), f"{last}/1", f"KiB/session 1->{last}"]
    if 10 in checkpoints and last > 10:
        header.append(f"KiB/session 10->{last}")
    if expired:
        header += ["after TTL (+1 session)", "after TTL/1"]
    rows = []
    for name in servers:
        r = readings[name]
        row = [
            name,
            *(kib(r[n]) for n in checkpoints),
            f"{r[last] / r[first]:.3f}",
            kib((r[last] - r[first]) / (last - first)),
        ]
        if 10 in checkpoints and last > 10:
            row.append(kib((r[last] - r[10]) / (last - 10)))
        if expired:
            row += [kib(expired[name]), f"{expired[name] / r[first]:.3f}"]
        rows.append(row)
    widths = [max(len(str(x[i])) for x in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(str(c).rjust(w) for c, w in zip(row, widths, strict=True)))
    print()
    print("## Growth per session between readings (KiB/session): does it level off?")
    intervals = list(zip(checkpoints[:-1], checkpoints[1:], strict=True))
    header = ["server", *(f"{a}->{b}" for a, b in intervals)]
    rows = [[name, *(kib((readings[name][b] - readings[name][a]) / (b - a)) for a, b in intervals)] for name in servers]
    widths = [max(len(str(x[i])) for x in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(str(c).rjust(w) for c, w in zip(row, widths, strict=True)))
    tracker, floor = readings["tracker"], readings["floor app"]
    extra = ((tracker[last] - tracker[first]) - (floor[last] - floor[first])) / (last - first)
    print(
        f"tracker growth per session beyond the floor app's: {kib(extra)} KiB/session"
        f" (the floor app grows {kib((floor[last] - floor[first]) / (last - first))} KiB/session by itself)"
    )
    print()
    print("## Streamlit's session counters (/_stcore/metrics): connects, disconnects, active")
    for name in servers:
        parts = []
        for number, values in sorted(counters[name].items()):
            label = f"after {number}" if number <= total else "after TTL+1"
            counts = "/".join(f"{values.get(key, 0):.0f}" for key in ("connects", "disconnects", "active"))
            parts.append(f"{label}: {counts}")
        print(f"{name}: " + "; ".join(parts))
    print()
    print(
        "load times (ms, navigation to chart drawn, median of all sessions, new context each so cold browser cache):"
        + ", ".join(f" {name} {median(t):,.0f}" for name, t in times.items())
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
