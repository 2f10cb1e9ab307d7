"""Several replicas on one PostgreSQL (docs/deploy.md): a write through one app process shows on another.

Each replica caches read results for ``TRACKER_CACHE_TTL`` seconds and clears its own cache when it
writes; the other replicas see the write once their cache entry expires, at the next rerun. The test
starts two real app processes (``tracker serve``) on the test PostgreSQL database and drives them in Chromium.
"""

from __future__ import annotations

import contextlib
import re
import time

import pytest

from tests.browser import running_app, sign_in, wait_until_rendered
from tests.helpers import ADMIN, HERNE, ROOT
from tracker import db, services, settings

DEPLOY_DOC = ROOT / "docs" / "deploy.md"
PASSWORD = "korrekt pferd batterie"
CODE = "8.2-4"
RATIONALE = "Der Rat hat die Leihgeräte für alle Grundschulen beschlossen (Replikat A)."
WRITER_TTL = 600  # replica A: so long that only its own invalidation can show the write at once
READER_TTL = 3  # replica B: the write must show within this, plus one page rerun
MARGIN = 10  # seconds for B's page reload and rerun on a slow machine


def settle(page) -> None:
    page.wait_for_timeout(300)
    wait_until_rendered(page)


def open_pledge(page, base: str) -> str:
    """Load the permalink (a new Streamlit session, hence a rerun) and return the page's text."""
    page.goto(f"{base}/?pledge={CODE}")
    settle(page)
    page.wait_for_selector(f"text=Maßnahme {CODE}", timeout=30_000)
    return page.inner_text("body")


def prepare(url: str) -> None:
    """Schema, programme and one editor in the database ``url``, which the ``database_url`` fixture has
    made the configured one (the use cases work on the configured database)."""
    assert db.database_url() == url
    services.upgrade_schema()
    services.import_programme_file(HERNE, ADMIN)
    services.add_user(ADMIN, "erika", PASSWORD, "editor")
    db.get_engine(url).dispose()


@pytest.mark.browser
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_write_through_one_replica_shows_on_the_other_within_the_ttl(database_url, browser, monkeypatch):
    prepare(database_url)
    with contextlib.ExitStack() as stack:
        monkeypatch.setenv("TRACKER_CACHE_TTL", str(WRITER_TTL))
        replica_a = stack.enter_context(running_app(database_url))
        monkeypatch.setenv("TRACKER_CACHE_TTL", str(READER_TTL))
        replica_b = stack.enter_context(running_app(database_url))
        reader = stack.enter_context(contextlib.closing(browser.new_context(viewport={"width": 1280, "height": 900})))
        writer = stack.enter_context(contextlib.closing(browser.new_context(viewport={"width": 1280, "height": 900})))
        page_b, page_a = reader.new_page(), writer.new_page()

        # Both replicas cache the unrated pledge.
        for page, base in ((page_b, replica_b), (page_a, replica_a)):
            body = open_pledge(page, base)
            assert "Noch nicht bewertet" in body and RATIONALE not in body

        # An editor fills in the rating on replica A.
        editor = writer.new_page()
        editor.goto(f"{replica_b}/edit?pledge={CODE}")
        sign_in(editor, "erika", PASSWORD)  # signed in on replica B ...
        editor.wait_for_selector("text=Angemeldet als erika (Redaktion)", timeout=30_000)
        editor.goto(f"{replica_a}/edit?pledge={CODE}")  # ... and still signed in on replica A
        settle(editor)
        editor.wait_for_selector("text=Angemeldet als erika (Redaktion)", timeout=30_000)
        status = editor.get_by_role("combobox", name="Neue Bewertung")
        status.click()
        status.fill("In Arbeit")
        status.press("Enter")
        editor.get_by_label("Begründung (öffentlich sichtbar)").fill(RATIONALE)
        editor.get_by_label("Adresse der Quelle").first.fill("https://www.herne.de/rat/leihgeraete")
        editor.get_by_label("Titel der Quelle").first.fill("Ratsbeschluss Leihgeräte")

        # Replica B's cache entry is renewed just before the save, so it is as fresh as it can be.
        assert RATIONALE not in open_pledge(page_b, replica_b)
        editor.get_by_role("button", name="Bewertung speichern").click()
        editor.wait_for_selector("text=Gespeichert als Bewertung Nr. 1.", timeout=30_000)
        saved = time.monotonic()

        # The writing replica cleared its own cache: the next rerun there shows the change at once,
        # although its cache would keep the old entry for another ten minutes.
        body = open_pledge(page_a, replica_a)
        assert RATIONALE in body and "eingetragen von erika" in body

        # Replica B shows it once its entry has expired: poll by reloading, with a deadline.
        deadline = saved + READER_TTL + MARGIN
        attempts, stale_after_write = 0, None
        while True:
            body = open_pledge(page_b, replica_b)
            attempts += 1
            if stale_after_write is None:
                stale_after_write = RATIONALE not in body
            if RATIONALE in body:
                break
            assert time.monotonic() < deadline, (
                f"replica B still showed the old state {time.monotonic() - saved:.1f} s after the write "
                f"(TTL {READER_TTL} s + {MARGIN} s margin)"
            )
            page_b.wait_for_timeout(300)
        delay = time.monotonic() - saved
        print(
            f"\nreplica B showed the write {delay:.1f} s after it was saved on replica A "
            f"(TTL {READER_TTL} s, {attempts} page loads; old state on the first reload: {stale_after_write})"
        )
        assert "In Arbeit" in body and "eingetragen von erika" in body
        assert page_b.get_by_role("link", name="Ratsbeschluss Leihgeräte").first.get_attribute("href") == (
            "https://www.herne.de/rat/leihgeraete"
        )


def test_the_deploy_guide_states_the_ttl_default_of_the_code():
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    stated = re.findall(r"`TRACKER_CACHE_TTL`[^\n]*?default[^\d\n]*(\d+)", text)
    assert stated, "docs/deploy.md no longer states the default of TRACKER_CACHE_TTL"
    default = float(settings.default("TRACKER_CACHE_TTL"))
    assert {int(s) for s in stated} == {default}, (
        f"docs/deploy.md says the cache TTL defaults to {stated}, tracker/settings.py to {default:g}"
    )
    assert "tests/test_replicas.py" in text


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("3", 3), (" 2.5 ", 2.5), ("0", 0), (None, None), ("", None), ("eine Minute", None), ("-5", None)]
    + [("nan", None), ("inf", None), ("1e30", None)],
)
def test_the_ttl_comes_from_the_environment_and_bad_values_mean_the_default(monkeypatch, value, seconds):
    """``TRACKER_CACHE_TTL`` in seconds; unset or anything but a number >= 0 gives the default (None here)."""
    from dashboard import data

    if value is None:
        monkeypatch.delenv("TRACKER_CACHE_TTL", raising=False)
    else:
        monkeypatch.setenv("TRACKER_CACHE_TTL", value)
    expected = float(settings.default("TRACKER_CACHE_TTL")) if seconds is None else seconds
    assert data.ttl_from_env().total_seconds() == expected
