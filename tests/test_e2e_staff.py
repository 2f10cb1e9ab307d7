"""The editorial workflow end to end against the app started with ``tracker serve``: its sign-in routes
over plain HTTP, and the pages in real Chromium."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from dashboard.session_routes import SESSION_COOKIE
from tests.browser import running_app, sign_in, wait_until_rendered
from tests.helpers import ADMIN, HERNE
from tracker import db, services

pytestmark = pytest.mark.browser
PASSWORD = "korrekt pferd batterie"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-staff') / 'tracker.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:  # the use cases work on the configured database
        env.setenv("TRACKER_DATABASE_URL", url)
        services.upgrade_schema()
        services.import_programme_file(HERNE, ADMIN)
        services.add_user(ADMIN, "erika", PASSWORD, "editor")
        services.add_user(ADMIN, "lotte", PASSWORD, "editor")
    db.get_engine(url).dispose()
    # two accounts turn review on (TRACKER_REVIEW=auto); these flows are about signing in and recording, so what
    # is recorded is public at once (the review flow is tests/test_e2e_review.py)
    with running_app(url, env={"TRACKER_REVIEW": "off"}) as base:
        yield base


def settle(page) -> None:
    page.wait_for_timeout(300)
    wait_until_rendered(page)


def session_cookie(page) -> dict:
    return next(c for c in page.context.cookies() if c["name"] == SESSION_COOKIE)


def test_staff_page_by_url_without_session_leads_to_the_sign_in_and_back(page, app_url):
    for path in ("edit", "bulk", "import", "audit", "staff"):
        page.goto(f"{app_url}/{path}")
        page.wait_for_selector("text=Anmeldung für die Redaktion", timeout=30_000)
        assert urlsplit(page.url).path == "/staff/sign-in"
        assert parse_qs(urlsplit(page.url).query)["next"] == [f"/{path}"]
        assert page.get_by_role("button", name="Bewertung speichern").count() == 0
        assert "Page not found" not in page.inner_text("body")


def test_session_survives_reload_and_a_second_tab_and_sign_out_ends_it_everywhere(page, app_url):
    page.goto(f"{app_url}/edit?pledge=3-2")
    sign_in(page, "erika", PASSWORD)
    page.wait_for_selector("text=Angemeldet als erika (Redaktion)", timeout=30_000)
    assert urlsplit(page.url).path == "/edit" and "pledge=3-2" in page.url
    cookie = session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert "erika" not in cookie["value"] and "editor" not in cookie["value"]

    page.reload()
    settle(page)
    page.wait_for_selector("text=Angemeldet als erika (Redaktion)", timeout=30_000)
    second = page.context.new_page()
    second.goto(f"{app_url}/staff")
    settle(second)
    second.wait_for_selector("text=Angemeldet als erika (Redaktion)", timeout=30_000)
    second.get_by_role("button", name="Abmelden").click()
    settle(second)
    second.wait_for_selector("text=Anmeldung für die Redaktion", timeout=30_000)

    page.reload()  # the first tab, same cookie: signed out too
    page.wait_for_selector("text=Anmeldung für die Redaktion", timeout=30_000)
    replay = requests.get(f"{app_url}/edit", cookies={SESSION_COOKIE: cookie["value"]}, allow_redirects=False)
    assert replay.status_code == 303 and replay.headers["location"].startswith("/staff/sign-in")


def test_a_single_sign_on_cookie_where_single_sign_on_is_not_configured_leads_to_the_sign_in(app_url):
    forged = requests.get(f"{app_url}/edit", cookies={"_streamlit_user": "forged"}, allow_redirects=False)
    assert forged.status_code == 303 and forged.headers["location"].startswith("/staff/sign-in")


def test_a_forged_cookie_shows_the_sign_in(page, app_url):
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": "forged", "url": app_url}])
    page.goto(f"{app_url}/edit")
    page.wait_for_selector("text=Anmeldung für die Redaktion", timeout=30_000)
    page.wait_for_selector("text=Ihre Sitzung ist beendet", timeout=30_000)


def _sign_in_form(session: requests.Session, app_url: str) -> str:
    """Open the sign-in page like a browser; the CSRF token of its form."""
    answer = session.get(f"{app_url}/staff/sign-in")
    assert answer.status_code == 200 and '<html lang="de" dir="ltr">' in answer.text
    return answer.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_sign_in_posts_from_other_sites_are_refused(app_url):
    with requests.Session() as session:
        csrf = _sign_in_form(session, app_url)
        form = {"name": "erika", "password": PASSWORD, "csrf": csrf, "next": "/edit"}
        for headers, data in (
            ({"Origin": "https://evil.example"}, form),  # another site posts the form
            ({}, form),  # no Origin and no Referer
            ({"Origin": app_url}, {**form, "csrf": "guessed"}),  # the right site, but not the page's token
        ):
            answer = session.post(f"{app_url}/staff/sign-in", data=data, headers=headers, allow_redirects=False)
            assert answer.status_code == 403 and "kam nicht von dieser Seite" in answer.text
            assert SESSION_COOKIE not in answer.cookies


def test_sign_in_sets_a_safe_cookie_and_goes_on_only_within_the_site(app_url):
    with requests.Session() as session:
        csrf = _sign_in_form(session, app_url)
        form = {"name": "erika", "password": PASSWORD, "csrf": csrf, "next": "//evil.example/phish"}
        answer = session.post(f"{app_url}/staff/sign-in", data=form, headers={"Origin": app_url}, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/staff?lang=de"
        cookie = answer.headers["set-cookie"]
        assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Path=/" in cookie and "Secure" not in cookie and "Max-Age=43200" in cookie

    with requests.Session() as session:  # behind an https proxy the cookie is Secure
        csrf = _sign_in_form(session, app_url)
        answer = session.post(
            f"{app_url}/staff/sign-in",
            data={"name": "erika", "password": PASSWORD, "csrf": csrf, "next": "/audit"},
            headers={"Origin": app_url, "X-Forwarded-Proto": "https"},
            allow_redirects=False,
        )
        assert answer.headers["location"] == "/audit?lang=de" and "Secure" in answer.headers["set-cookie"]


def test_wrong_password_and_unknown_name_get_the_same_german_message(app_url):
    texts = []
    for name in ("erika", "niemand"):
        with requests.Session() as session:
            csrf = _sign_in_form(session, app_url)
            answer = session.post(
                f"{app_url}/staff/sign-in",
                data={"name": name, "password": "falsches passwort", "csrf": csrf},
                headers={"Origin": app_url},
                allow_redirects=False,
            )
            assert answer.status_code == 401 and SESSION_COOKIE not in answer.cookies
            texts.append(answer.text.split('role="alert">', 1)[1].split("<", 1)[0])
    assert texts[0] == texts[1] and texts[0].startswith("Anmeldung fehlgeschlagen")


def test_editor_records_a_change_and_the_permalink_shows_it(page, app_url):
    page.goto(f"{app_url}/edit?pledge=10.5-2")
    sign_in(page, "erika", PASSWORD)
    page.wait_for_selector("text=Angemeldet als erika (Redaktion)", timeout=30_000)
    status = page.get_by_role("combobox", name="Neue Bewertung")
    status.click()
    # the option itself, not typing and Enter: the list does not filter, so Enter took whichever option was
    # highlighted when the machine was busy
    page.get_by_role("option", name="In Arbeit", exact=True).click()
    page.get_by_label("Begründung (öffentlich sichtbar)").fill("Die Ehrenamtskarte ist im Haushaltsentwurf 2027.")
    page.get_by_label("Adresse der Quelle").first.fill("https://www.herne.de/haushalt-2027")
    page.get_by_label("Titel der Quelle").first.fill("Haushaltsentwurf 2027")
    page.get_by_role("button", name="Bewertung speichern").click()
    page.wait_for_selector("text=Gespeichert als Bewertung Nr. 1.", timeout=30_000)

    page.goto(f"{app_url}/?pledge=10.5-2")
    settle(page)
    page.wait_for_selector("text=Die Ehrenamtskarte ist im Haushaltsentwurf 2027.", timeout=30_000)
    body = page.inner_text("body")
    assert "In Arbeit" in body and "eingetragen von erika" in body
    link = page.get_by_role("link", name="Haushaltsentwurf 2027").first
    assert link.get_attribute("href") == "https://www.herne.de/haushalt-2027"


def test_five_wrong_passwords_lock_the_account(page, app_url):
    page.goto(f"{app_url}/staff")
    for _ in range(5):
        sign_in(page, "lotte", "falsches passwort")
        page.wait_for_selector("text=Anmeldung fehlgeschlagen", timeout=30_000)
    sign_in(page, "lotte", PASSWORD)  # the right password, but the account is locked now
    page.wait_for_selector("text=Anmeldung fehlgeschlagen", timeout=30_000)
    assert "Angemeldet als lotte" not in page.inner_text("body")


def test_a_shared_permalink_previews_in_german_without_javascript(app_url):
    """Messengers and search engines read the HTML as served: language, title, description, preview tags."""
    page = requests.get(f"{app_url}/?pledge=10.5-2").text
    assert '<html lang="de" dir="ltr">' in page and "<title>Streamlit</title>" not in page
    assert "<title>Maßnahme 10.5-2: " in page and '<meta property="og:description" content="' in page
    english = requests.get(f"{app_url}/method?lang=en").text
    assert '<html lang="en" dir="ltr">' in english and "<title>Method · " in english
