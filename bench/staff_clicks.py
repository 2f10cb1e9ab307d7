"""Clicks, typed fields and seconds for the editors' everyday work, before and after "one decision, several
measures", in headless Chromium.

    .venv/bin/python bench/staff_clicks.py [--before REF] [--no-before]

Flows, scripted as an editor works (signing in is not counted):
  (a) one status change on the rating page: pick the measure, choose the status, type rationale, source URL
      and title, choose the kind of source, save;
  (b) one council decision for five measures, the same rationale and source for each:
      before  the rating page five times, and the per-row table (area filter, one row per measure: status,
              rationale, URL, title, kind; then "Alle speichern"),
      after   the decision page (area filter, five checkboxes, the decision once, save).

"Before" is the app as it was at REF (default: BASELINE, main before this work), taken from git with
``git archive`` into a temporary directory and served from there; "after" is this working tree. Without
git or without that commit (a shallow clone), only "after" is measured. Each app gets a fresh SQLite
database with the Herne programme; flows use different measures.

Counted by the script itself, as it drives the page: clicks (every mouse click, also opening a dropdown
and choosing in it), fields (every text field or cell typed into, including the filter text typed to pick
a measure), typed (the characters typed into them: what a person types by hand), keys (other keys: Enter
in the table, a sideways scroll of the table). Seconds: wall
clock from the first interaction until the page confirms the save, one run on a shared machine, so they
are indicative; the counts are exact. Each flow ends by reading the database: what was really recorded.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _browser import CHROMIUM, CHROMIUM_ARGS, ROOT, AppServer, handle_termination, machine_info  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from tests.browser import sign_in_staff, wait_until_rendered  # noqa: E402

BASELINE = "86799e3"  # main before one decision for several measures: the st.form rating page, the per-row table
HERNE = ROOT / "data" / "programmes" / "hak-herne-2025.txt"
PASSWORD = "korrekt pferd batterie"
RATIONALE = "Der Rat hat am 12.11.2026 das Schulpaket beschlossen (Vorlage 2026/0815)."
URL = "https://www.herne.de/rat/vorlage-2026-0815"
TITLE = "Ratsbeschluss 2026/0815"
KIND = "Ratsvorlage oder -beschluss"
STATUS = "Umgesetzt"
AREA = "8. Bildung (konkrete Ziele)"
AREA_CODES = ("8.1-1", "8.1-2", "8.1-3", "8.2-1", "8.2-2")  # the first five measures the area filter lists
ONE = "8.2-4"
# Counts the app's script runs: every change of the app's script state to "running", seen as it happens.
RUN_COUNTER = """
window.__runs = 0;
new MutationObserver((changes) => {
  for (const change of changes) {
    if (change.target.getAttribute('data-test-script-state') === 'running') window.__runs += 1;
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""
FIVE_ONE_BY_ONE = ("9.1-1", "9.1-2", "9.1-3", "9.1-4", "9.2-1")


@dataclass
class Result:
    flow: str
    app: str
    clicks: int = 0
    fields: int = 0
    chars: int = 0
    keys: int = 0
    seconds: float | None = None
    recorded: int = 0
    wanted: int = 0
    note: str = ""


class Editor:
    """Drives the page and counts what a person would do."""

    def __init__(self, page, result: Result):
        self.page = page
        self.result = result
        self.started = time.monotonic()
        self.step = "start"  # where the flow is, for a note when it gets no further
        self.runs = page.evaluate("window.__runs")  # script runs counted so far

    def done(self) -> None:
        self.result.seconds = time.monotonic() - self.started

    def settle(self, locator=None) -> None:
        """Wait for the run an action started (if one starts within a second) to finish; not for a field of a
        form (``locator``), which starts none. Runs are counted in the page (``RUN_COUNTER``): one that starts
        and ends between two looks is not missed."""
        if locator is not None and self.in_form(locator):
            return
        with contextlib.suppress(PlaywrightTimeout):
            self.page.wait_for_function(f"window.__runs > {self.runs}", timeout=1_000, polling=20)
        wait_until_rendered(self.page)
        self.runs = self.page.evaluate("window.__runs")

    def click(self, locator) -> None:
        locator.click()
        self.result.clicks += 1
        self.settle()

    def click_at(self, x: float, y: float) -> None:
        self.page.mouse.click(x, y)
        self.result.clicks += 1

    def fill(self, locator, text: str) -> None:
        locator.fill(text)
        locator.press("Tab")  # leave the field, as a person moving on does: its value is sent
        self.result.fields += 1
        self.result.chars += len(text)
        self.settle(locator)

    @staticmethod
    def in_form(locator) -> bool:
        """Whether ``locator`` is in an ``st.form``, whose fields send nothing (start no run) until submitted."""
        return locator.evaluate("e => !!e.closest(\"[data-testid='stForm']\")")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.result.fields += 1
        self.result.chars += len(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.result.keys += 1

    def choose(self, label: str, option: str | re.Pattern, typed: str | None = None) -> None:
        """Open the dropdown labelled ``label`` (typing ``typed`` to filter it) and choose ``option``; a list
        closed by a rerun finishing just then is opened again, and that click counts too."""
        box = self.page.get_by_role("combobox", name=label).first
        for attempt in range(3):
            box.click()
            self.result.clicks += 1
            if typed:
                self.type(typed)
            try:
                self.page.get_by_role("option", name=option, exact=isinstance(option, str)).first.click(timeout=5_000)
                self.result.clicks += 1
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
                self.settle()
        self.settle(box)


# --------------------------------------------------------------------------- the flows


def rating_page(editor: Editor, codes: tuple[str, ...]) -> None:
    """The rating page, once per measure: pick it, enter the rating, save."""
    page = editor.page
    for code in codes:
        editor.step = code
        editor.choose("Maßnahme", re.compile(rf"^{re.escape(code)}: "), typed=code)
        editor.choose("Neue Bewertung", STATUS)
        editor.fill(page.get_by_label("Begründung (öffentlich sichtbar)"), RATIONALE)
        editor.fill(page.get_by_label("Adresse der Quelle").first, URL)
        editor.fill(page.get_by_label("Titel der Quelle").first, TITLE)
        editor.choose("Art der Quelle", KIND)
        editor.click(page.get_by_role("button", name="Bewertung speichern"))
        page.get_by_text("Gespeichert als Bewertung Nr. 1.").wait_for(timeout=30_000)
    editor.done()


def per_row_table(editor: Editor, codes: tuple[str, ...]) -> None:
    """The per-row table of main: filter the area, scroll the table to its editable columns, fill one row per
    measure cell by cell (a cell is opened with Enter before typing: typed straight into, a URL cell loses its
    first character), waiting for the page after each cell, then save all."""
    page = editor.page
    editor.choose("Themenbereich", AREA)
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    page.mouse.move(box["x"] + 500, box["y"] + 200)
    page.mouse.wheel(3000, 0)  # to the right end: the table is wider than its column
    editor.result.keys += 1
    page.wait_for_timeout(300)
    # the editable columns, seen from the right end (pixels from the table's left edge at 1280 px)
    x = {"status": 427, "rationale": 649, "url": 783, "title": 927, "kind": 1057}

    def text_cell(column: str, y: float, text: str) -> None:
        editor.click_at(box["x"] + x[column], y)
        editor.press("Enter")
        editor.type(text)
        editor.press("Enter")
        editor.settle()

    def choice_cell(column: str, y: float, option: str) -> None:
        editor.click_at(box["x"] + x[column], y)
        editor.press("Enter")
        page.get_by_text(option, exact=True).filter(visible=True).last.click(timeout=5_000)  # its list of options
        editor.result.clicks += 1
        editor.settle()

    for row, code in enumerate(codes):
        y = box["y"] + 35 * (row + 1) + 17
        for column, fill, value in [
            ("status", choice_cell, STATUS),
            ("rationale", text_cell, RATIONALE),
            ("url", text_cell, URL),
            ("title", text_cell, TITLE),
            ("kind", choice_cell, KIND),
        ]:
            editor.step = f"{code} {column}"
            fill(column, y, value)
    editor.step = "save"
    editor.click(page.get_by_role("button", name="Alle speichern"))
    page.get_by_text(re.compile("gespeichert")).last.wait_for(timeout=30_000)
    editor.done()
    problems = page.get_by_text(re.compile(r"Nichts wurde gespeichert: \d+ Probleme?\."))
    if problems.count():
        editor.result.note = problems.first.inner_text()


def decision_page(editor: Editor, codes: tuple[str, ...]) -> None:
    """The decision page: the area, a checkbox per measure, the decision once, save."""
    page = editor.page
    editor.choose("Themenbereich", AREA)
    for code in codes:
        editor.step = code
        editor.click(page.locator("[data-testid='stCheckbox']").filter(has_text=f"{code} ").locator("label"))
    editor.choose("Neue Bewertung", STATUS)
    editor.fill(page.get_by_label("Begründung (öffentlich sichtbar)"), RATIONALE)
    editor.fill(page.get_by_label("Adresse der Quelle"), URL)
    editor.fill(page.get_by_label("Titel der Quelle"), TITLE)
    editor.choose("Art der Quelle", KIND)
    editor.click(page.get_by_role("button", name=f"{len(codes)} Änderungen speichern"))
    page.get_by_text(f"{len(codes)} Änderungen gespeichert.").wait_for(timeout=30_000)
    editor.done()


# --------------------------------------------------------------------------- apps and runs


def checkout(ref: str, into: Path) -> Path | None:
    """The repository at ``ref`` extracted into ``into`` (``git archive``), or None without git or ``ref``."""
    if not shutil.which("git"):
        return None
    found = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{ref}^{{commit}}"], capture_output=True)
    if found.returncode != 0:
        return None
    archive = into / "before.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", ref], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "before", filter="data")
    return into / "before"


def database(path: Path) -> str:
    """A fresh SQLite database with the Herne programme and the editor's account (through this tree's services)."""
    from tracker import db, services

    url = f"sqlite:///{path}"
    os.environ["TRACKER_DATABASE_URL"] = url
    admin = services.Actor("bench", "admin", "cli")
    services.upgrade_schema()
    services.import_programme_file(HERNE, admin)
    services.add_user(admin, "erika", PASSWORD, "editor")
    db.get_engine(url).dispose()
    return url


def recorded(url: str, codes: tuple[str, ...]) -> int:
    """How many of ``codes`` have a status change with the flow's rationale, read from the database."""
    from tracker import db, services

    os.environ["TRACKER_DATABASE_URL"] = url
    count = sum(any(c.rationale == RATIONALE for c in services.pledge_view(None, code).history) for code in codes)
    db.get_engine(url).dispose()
    return count


def run(browser, base: str, url: str, result: Result, flow, path: str, codes: tuple[str, ...]) -> Result:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.add_init_script(RUN_COUNTER)
    try:
        sign_in_staff(page, base, "erika", PASSWORD, path)
        editor = Editor(page, result)
        flow(editor, codes)
    except PlaywrightTimeout as error:
        where = editor.step if "editor" in locals() else "sign-in"
        result.note = f"got no further than {where}: {str(error).splitlines()[0]}"
        if os.environ.get("BENCH_SCREENSHOTS"):
            page.screenshot(path=f"{os.environ['BENCH_SCREENSHOTS']}/{result.app}-{flow.__name__}.png")
    finally:
        context.close()
    result.wanted = len(codes)
    result.recorded = recorded(url, codes)
    return result


def measure(browser, app: str, base: str, url: str) -> list[Result]:
    results = [
        run(browser, base, url, Result("(a) one status change: rating page", app), rating_page, "/edit", (ONE,)),
        run(
            browser, base, url, Result("(b) five measures: rating page 5 times", app), rating_page, "/edit",
            FIVE_ONE_BY_ONE,
        ),
    ]  # fmt: skip
    if app == "before":
        results.append(
            run(browser, base, url, Result("(b) five measures: per-row table", app), per_row_table, "/bulk", AREA_CODES)
        )
    else:
        results.append(
            run(browser, base, url, Result("(b) five measures: decision page", app), decision_page, "/bulk", AREA_CODES)
        )
    return results


def print_results(results: list[Result]) -> None:
    header = ["flow", "app", "clicks", "fields", "typed", "keys", "seconds", "recorded", "note"]
    rows = [
        [r.flow, r.app, str(r.clicks), str(r.fields), str(r.chars), str(r.keys),
         f"{r.seconds:.1f}" if r.seconds is not None else "-", f"{r.recorded}/{r.wanted}", r.note]
        for r in results
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BASELINE, help=f"the commit to measure as before (default {BASELINE})")
    parser.add_argument("--no-before", action="store_true", help="measure this working tree only")
    args = parser.parse_args()
    handle_termination()
    from playwright.sync_api import sync_playwright

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-staff-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        apps = [("after", None)]
        if not args.no_before:
            before = checkout(args.before, Path(tmp))
            if before is None:
                print(f"before: not measured (no git, or commit {args.before} is not in this clone)")
            else:
                apps.insert(0, ("before", before))
        for app, code in apps:
            url = database(Path(tmp) / f"{app}.sqlite3")
            with AppServer.dashboard(url, code=code) as server:
                results.extend(measure(browser, app, server.base, url))
        version = browser.version
        browser.close()
    print_results(results)
    print()
    for line in machine_info(version):
        print(line)
    return 0 if all(r.recorded == r.wanted for r in results if r.app == "after") else 1


if __name__ == "__main__":
    sys.exit(main())
