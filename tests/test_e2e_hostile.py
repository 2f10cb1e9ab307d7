"""Hostile text in real Chromium against the app started with ``tracker serve`` (issue #11): a phishing link,
a remote image and a colour in the address and in an editor's name render as text, nothing is fetched from
the attacker's host, the known triggers of tracebacks answer with messages; and Streamlit's upload route
refuses visitors without a staff session and files larger than the import accepts."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
import requests

from dashboard.session_routes import SESSION_COOKIE
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


def _upload_request(page, base: str, tmp_path) -> dict:
    """The upload of a small file from the import page, as a signed-in editor's browser makes it."""
    sign_in_staff(page, base, "anna", PASSWORD, path="/import")
    with page.expect_request(lambda r: "/_stcore/upload_file/" in r.url and r.method == "PUT") as upload:
        small = tmp_path / "klein.csv"
        small.write_text("Nummer;Bewertung\n", encoding="utf-8")
        page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(small))
    request = upload.value
    return {"url": request.url, "xsrf": request.headers.get("x-xsrftoken", "")}


def test_only_a_signed_in_editor_may_upload_and_no_more_than_the_import_accepts(page, base, tmp_path):
    upload = _upload_request(page, base, tmp_path)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    xsrf = {name: value for name, value in cookies.items() if "xsrf" in name}
    small = {"files": ("a.csv", b"Nummer;Bewertung\n", "text/csv")}
    large = {"files": ("a.csv", b"x" * (3 * 1024 * 1024), "text/csv")}  # 3 MB: more than the import's 2 MB
    headers = {"X-Xsrftoken": upload["xsrf"], "Origin": base}

    # A visitor without a staff session, with everything else a browser would send: refused before a byte is read.
    refused = [requests.put(upload["url"], files=body, headers=headers, cookies=xsrf, timeout=30) for body in
               (small, large)]  # fmt: skip
    assert [r.status_code for r in refused] == [403, 403]
    assert all(r.text == "Dateien hochladen kann nur die angemeldete Redaktion." for r in refused)
    forged = {**xsrf, SESSION_COOKIE: "forged"}
    assert requests.put(upload["url"], files=small, headers=headers, cookies=forged, timeout=30).status_code == 403

    # The editor's own browser session: a small file is taken, one larger than the import accepts is not.
    taken = requests.put(upload["url"], files=small, headers=headers, cookies=cookies, timeout=30)
    too_large = requests.put(upload["url"], files=large, headers=headers, cookies=cookies, timeout=30)
    assert (taken.status_code, too_large.status_code) == (204, 413)
    print(f"\nuploads: {len(refused) + 1} without a staff session refused (403), 1 taken, 1 of 3 MB refused (413)")
