"""The published edition against the Streamlit app and Datasette, as a phone sees them; and publishing speed.

    .venv/bin/python bench/edition.py [--quick] [--skip-lighthouse]

Lighthouse (npm package ``lighthouse``, pinned to LIGHTHOUSE_VERSION, which runs on Node 20; installed into
``bench/.cache/`` on first use) in its default mobile profile (simulated slow 4G, 4x CPU slowdown) with
Debian's Chromium scores, in one run and on the same Herne database (the six known statuses of the tests):
  edition overview   the published overview, served by ``python -m http.server``
  edition measure    a published measure page, same server
  app overview       the Streamlit overview started with ``tracker serve``
  datasette facets   a Datasette facet page over the same pledges (status and area facets), Datasette
                     installed for this benchmark only, into ``bench/.cache/datasette-venv``
and prints performance, accessibility, best practices, SEO, first and largest contentful paint and bytes.

Publishing: wall time of ``tracker publish`` for Herne and for a demo programme of 100,000 pledges
(``--quick``: 10,000) with ten changes each, as pages per second; then a republish after no change and after
one status change, with how many files were written (the command reports written / unchanged).
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _browser import CHROMIUM, ROOT, AppServer, machine_info, tracker_command  # noqa: E402

from tests.helpers import KNOWN_STATUSES  # noqa: E402  (the six statuses the tests know)

HERNE = ROOT / "data" / "programmes" / "hak-herne-2025.txt"
HERNE_SLUG = "hak-herne-2025"
CACHE = ROOT / "bench" / ".cache"
LIGHTHOUSE_VERSION = "12.2.3"  # 13.x needs Node 22; 12.2.3 installs with `npm i -E` on Node 20
DATASETTE_VERSION = "0.65.5"


def run(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), env=env, check=True, capture_output=True, text=True, **kwargs)


def tracker(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    return run(*tracker_command(), *args, env=env, input=stdin).stdout


def lighthouse_binary() -> Path:
    directory = CACHE / f"lighthouse-{LIGHTHOUSE_VERSION}"
    binary = directory / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        directory.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse {LIGHTHOUSE_VERSION} into {directory} ...", flush=True)
        subprocess.run(["npm", "i", "-E", "--silent", f"lighthouse@{LIGHTHOUSE_VERSION}"], cwd=directory, check=True)
    return binary


def datasette_binary() -> Path:
    venv = CACHE / "datasette-venv"
    binary = venv / "bin" / "datasette"
    if not binary.exists():
        print(f"installing datasette {DATASETTE_VERSION} into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"datasette=={DATASETTE_VERSION}"], check=True)
    return binary


def score(url: str) -> dict:
    """One Lighthouse run (mobile profile) of ``url``: scores, paints and bytes."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            [
                str(lighthouse_binary()), url, "--quiet", "--output=json", f"--output-path={report.name}",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=False,
            capture_output=True,
        )  # fmt: skip
        data = json.loads(Path(report.name).read_text() or "{}")
    if "categories" not in data:
        return {"error": "lighthouse produced no report"}
    audits = data["audits"]
    figures = {key: round((value["score"] or 0) * 100) for key, value in data["categories"].items()}
    figures["fcp_s"] = audits["first-contentful-paint"]["numericValue"] / 1000
    figures["lcp_s"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    figures["kib"] = audits["total-byte-weight"]["numericValue"] / 1024
    figures["fails"] = [k for k, v in audits.items() if v.get("scoreDisplayMode") == "binary" and v.get("score") == 0]
    return figures


class StaticSite:
    """``python -m http.server``'s handler on a free port, in a thread, serving ``root``."""

    def __init__(self, root: Path):
        handler = partial(QuietHandler, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def published(outdir: Path, env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    output = tracker(env, "publish", str(outdir), *args)
    return time.perf_counter() - started, output


def html_pages(outdir: Path) -> int:
    return sum(1 for _ in outdir.rglob("*.html"))


def written_counts(output: str) -> str:
    """The command's own "N written, M unchanged" line, as reported."""
    match = re.search(r"(\d[\d,]*) (?:files? )?written.*?(\d[\d,]*) unchanged", output)
    return f"{match.group(1)} written, {match.group(2)} unchanged" if match else output.strip().splitlines()[-1]


def measure_page(outdir: Path) -> Path:
    """The published page of measure 8.2-4 (in progress, with a history) in German."""
    return outdir / HERNE_SLUG / "de" / "measures" / "8.2-4.html"


def lighthouse_comparison(work: Path, env: dict[str, str]) -> None:
    outdir = work / "site"
    published(outdir, env, "--programme", HERNE_SLUG)
    site = StaticSite(outdir)
    database = Path(env["TRACKER_DATABASE_URL"].removeprefix("sqlite:///"))
    datasette = subprocess.Popen(
        [str(datasette_binary()), "serve", str(database), "--port", "0", "--host", "127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        datasette_base = _datasette_address(datasette)
        overview = outdir / HERNE_SLUG / "de" / "index.html"
        pages = {
            "edition overview": f"{site.base}/{overview.relative_to(outdir).as_posix()}",
            "edition measure": f"{site.base}/{measure_page(outdir).relative_to(outdir).as_posix()}",
            "datasette facets": f"{datasette_base}/{database.stem}/pledge?_facet=current_status&_facet=area_id",
        }
        with AppServer.dashboard(env["TRACKER_DATABASE_URL"]) as app:
            pages["app overview"] = f"{app.base}/"
            results = {name: score(url) for name, url in pages.items()}
    finally:
        datasette.terminate()
        site.stop()
    print(f"\nLighthouse {LIGHTHOUSE_VERSION}, mobile profile (slow 4G, 4x CPU), Chromium {CHROMIUM}")
    print(f"{'page':<18} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'FCP s':>6} {'LCP s':>6} {'KiB':>7}")
    for name, r in results.items():
        if "error" in r:
            print(f"{name:<18} {r['error']}")
            continue
        print(
            f"{name:<18} {r['performance']:>4} {r['accessibility']:>4} {r['best-practices']:>4} {r['seo']:>4} "
            f"{r['fcp_s']:>6.2f} {r['lcp_s']:>6.2f} {r['kib']:>7.0f}"
            + (f"  fails: {', '.join(r['fails'])}" if r["fails"] else "")
        )


def _datasette_address(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)", line or "")
        if match:
            return match.group(1)
    raise SystemExit("datasette did not start within 60 s")


def publishing_speed(work: Path, env: dict[str, str], pledges: int) -> None:
    print("\nPublishing (tracker publish, wall time)")
    seconds, output = published(work / "herne", env, "--programme", HERNE_SLUG)
    pages = html_pages(work / "herne")
    print(f"  Herne: {seconds:.2f} s for {pages} HTML pages ({pages / seconds:,.0f} pages/s); {written_counts(output)}")
    seconds, output = published(work / "herne", env, "--programme", HERNE_SLUG)
    print(f"  Herne again, nothing changed: {seconds:.2f} s; {written_counts(output)}")
    tracker(
        env, "set-status", "--programme", HERNE_SLUG, "8.2-4", "kept", "--date", "2026-09-01",
        "--rationale", "Alle Schulen haben Leihgeräte.", "--source-url", "https://www.herne.de/leihgeraete",
        "--source-title", "Stadt Herne", "--as", "bench",
    )  # fmt: skip
    seconds, output = published(work / "herne", env, "--programme", HERNE_SLUG)
    print(f"  Herne after one status change: {seconds:.2f} s; {written_counts(output)}")

    tracker(env, "demo-data", "--pledges", str(pledges), "--changes", str(pledges * 10))
    slug = next(
        line.split("\t")[0]
        for line in tracker(env, "programmes").splitlines()
        if line != HERNE_SLUG and not line.startswith(HERNE_SLUG)
    )
    seconds, output = published(work / "demo", env, "--programme", slug)
    pages = html_pages(work / "demo")
    print(
        f"  demo, {pledges:,} pledges: {seconds:.1f} s for {pages:,} HTML pages ({pages / seconds:,.0f} pages/s); "
        f"{written_counts(output)}"
    )


def prepare(work: Path) -> dict[str, str]:
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{work / 'tracker.sqlite3'}"}
    tracker(env, "init")
    tracker(env, "import-programme", str(HERNE))
    tracker(env, "user", "add", "bench", "--role", "editor", "--password-stdin", stdin="bench-passwort-lang\n")
    for code, status, day in KNOWN_STATUSES:
        tracker(
            env, "set-status", "--programme", HERNE_SLUG, code, status, "--date", day,
            "--rationale", f"Bewertung von {code}.", "--source-url", f"https://www.herne.de/rat/{code}",
            "--source-title", "Ratsbeschluss", "--as", "bench",
        )  # fmt: skip
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 demo pledges instead of 100,000")
    parser.add_argument("--skip-lighthouse", action="store_true", help="only the publishing figures")
    args = parser.parse_args()
    print("\n".join(machine_info()))
    work = Path(tempfile.mkdtemp(prefix="bench-edition-"))
    try:
        env = prepare(work)
        if not args.skip_lighthouse:
            lighthouse_comparison(work, env)
        publishing_speed(work, env, 10_000 if args.quick else 100_000)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
