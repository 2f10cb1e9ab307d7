"""axe-core on every public page in every language, and on every kind of page of the published edition.

    .venv/bin/python bench/accessibility.py

The whole matrix that tests/test_accessibility.py samples (it takes every page in German and Arabic, two
pages in the other languages, to stay fast): one app server (``tracker serve``) on a SQLite file with the
Herne programme and the tests' known ratings, one headless Chromium at 1280 px. Prints, per language, the
violations per rule with their impact and number of nodes, then the totals per rule; and the time taken.
docs/accessibility.md records the figures.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from dashboard.i18n import LANGUAGES  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402
from tests.helpers import ADMIN, HERNE, HERNE_SLUG, rate_known_statuses, tracker_command  # noqa: E402
from tests.test_accessibility import PUBLIC_PAGES, open_page, page_url  # noqa: E402
from tracker import db, services  # noqa: E402

EDITION_PAGES = ("index.html", "method.html", "over-time.html", "data.html", "leichte-sprache.html")
EDITION_PAGES += ("areas/8.html", "measures/8.2-4.html")


def count(results: dict, tally: collections.Counter, where: str, lines: list[str]) -> None:
    for violation in results["violations"]:
        key = (violation["id"], violation["impact"])
        tally[key] += len(violation["nodes"])
        lines.append(f"  {where}: {violation['id']} ({violation['impact']}) x{len(violation['nodes'])}")


def main() -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/tracker.sqlite3"
        with pytest.MonkeyPatch.context() as env:
            env.setenv("TRACKER_DATABASE_URL", url)
            services.upgrade_schema()
            services.import_programme_file(HERNE, ADMIN)
            rate_known_statuses(HERNE_SLUG)
        edition = Path(folder) / "edition"
        published = subprocess.run(
            [*tracker_command(), "publish", str(edition), "--programme", HERNE_SLUG],
            env={**os.environ, "TRACKER_DATABASE_URL": url}, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        edition_error = published.stderr.strip().splitlines()[-1] if published.returncode else None
        db.get_engine(url).dispose()
        axe = Axe()
        per_language: dict[str, collections.Counter] = {}
        lines: list[str] = []
        with running_app(url) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for language in LANGUAGES:
                tally = per_language.setdefault(f"app {language}", collections.Counter())
                for name, path in PUBLIC_PAGES.items():
                    open_page(page, page_url(base, path, language))
                    count(axe.run(page).response, tally, f"app {language} {name}", lines)
                if edition_error is None:
                    tally = per_language.setdefault(f"edition {language}", collections.Counter())
                    for name in EDITION_PAGES:
                        page.goto((edition / HERNE_SLUG / language / name).as_uri())
                        count(axe.run(page).response, tally, f"edition {language} {name}", lines)
            browser.close()
    print("\n".join(lines) or "  no violation on any page")
    print("\nper language (rule, impact: nodes):")
    totals: collections.Counter = collections.Counter()
    for where, tally in per_language.items():
        totals.update(tally)
        summary = ", ".join(f"{rule} ({impact}): {n}" for (rule, impact), n in sorted(tally.items())) or "none"
        print(f"  {where}: {summary}")
    print("\ntotals:", ", ".join(f"{rule} ({impact}): {n}" for (rule, impact), n in sorted(totals.items())) or "none")
    if edition_error is not None:
        print(f"\nthe edition could not be published: {edition_error}")
    print(f"\n{len(LANGUAGES)} languages x {len(PUBLIC_PAGES)} app pages, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
