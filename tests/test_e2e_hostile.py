"""Hostile text in real Chromium against the app started with ``tracker serve`` (issue #11): a phishing link,
a remote image and a colour in the address and in an editor's name render as text, nothing is fetched from
the attacker's host, the known triggers of tracebacks answer with messages."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from tests.browser import running_app, sign_in_staff, wait_until_rendered
from tests.helpers import ADMIN, EDITOR, HERNE, make_change
from tests.hostile import MARKUP
from tracker import db, services

pytestmark = pytest.mark.browser
PASSWORD = "korrekt pferd batterie"
LINK, IMAGE, COLOUR = (value for _, value in MARKUP[3:6])
HOSTILE = f"{LINK} {IMAGE} {COLOUR}"  # the address of issue #11, and the editor's full name
ATTACKER_HOSTS = ("evil.example", "attacker.example")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-hostile') / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:  # the use cases work on the configured database
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        services.add_user(ADMIN, "anna", PASSWORD, "editor", HOSTILE)
        services.record_status_change(None, "1-1", make_change("kept", "2026-09-20"), EDITOR)
    db.get_engine(url).dispose()
    with running_app(url) as address:
        yield address


def watched(page) -> list[str]:
    """The addresses the page requests from now on."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    return requested


def rendered(page, address: str) -> str:
    page.goto(address)
    page.wait_for_timeout(300)
    wait_until_rendered(page)
    page.wait_for_timeout(500)  # an image would be requested by now
    return page.inner_text("[data-testid='stMain']").replace("\N{WORD JOINER}", "")  # as a reader sees it


def assert_inert(page, requested: list[str]) -> tuple[int, int]:
    """No link to the attacker, no image, no colour, no traceback; the counts of links and requests seen."""
    links = page.eval_on_selector_all("a[href]", "found => found.map(a => a.href)")
    assert not [link for link in links if urlsplit(link).hostname in ATTACKER_HOSTS], links
    assert not [link for link in links if not link.startswith(("http://", "https://"))], links
    assert page.locator("[data-testid='stMain'] img").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert not [url for url in requested if urlsplit(url).hostname in ATTACKER_HOSTS]
    return len(links), len(requested)


def test_the_address_of_a_missing_measure_is_shown_as_text(page, base):
    requested = watched(page)
    text = rendered(page, f"{base}/?pledge={quote(HOSTILE)}")
    assert "Maßnahme nicht gefunden" in text
    assert f"„{HOSTILE}“" in text  # every character as typed: no link, no image, no colour
    links, requests_made = assert_inert(page, requested)
    print(f"\nnot-found page: {links} links (none to the attacker), {requests_made} requests (none to the attacker)")


def test_an_editors_name_is_shown_as_text_on_the_overview(page, base):
    requested = watched(page)
    text = rendered(page, base)
    assert f"eingetragen von {HOSTILE}" in text
    links, requests_made = assert_inert(page, requested)
    print(f"\noverview: {links} links (none to the attacker), {requests_made} requests (none to the attacker)")


def test_the_warning_of_the_rating_page_shows_the_address_as_text(page, base):
    sign_in_staff(page, base, "anna", PASSWORD)
    assert f"Angemeldet als {HOSTILE}" in page.inner_text("[data-testid='stMain']").replace("\N{WORD JOINER}", "")
    requested = watched(page)
    text = rendered(page, f"{base}/edit?pledge={quote(COLOUR)}")
    assert f"keine Maßnahme mit der Nummer „{COLOUR}“" in text
    links, requests_made = assert_inert(page, requested)
    print(f"\nrating page: {links} links (none to the attacker), {requests_made} requests (none to the attacker)")


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("/?pledge=1-1%00", "Maßnahme nicht gefunden"),
        ("/measures?page=%C2%B2", "262 Maßnahmen gefunden"),
        ("/measures?q=" + "+".join(f"wort{i}" for i in range(1000)), "höchstens 200 Zeichen und 10 Wörter"),
        ("/measures?q=" + "+".join(f"w{i}" for i in range(11)) + "&lang=en", "at most 10 words"),
    ],
    ids=["nul-byte", "superscript-page", "thousand-words", "eleven-words"],
)
def test_the_known_triggers_of_tracebacks_answer_with_a_message(page, base, address, says):
    text = rendered(page, base + address)
    assert says in text and "Traceback" not in text
    assert page.locator("[data-testid='stException']").count() == 0
