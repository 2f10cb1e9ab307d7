"""Every page through AppTest with hostile text in every URL parameter and in the database (issue #11):
nothing a person typed, a file held or an address carried is read as Markdown or HTML, and no page shows a
traceback; the known triggers of tracebacks get messages instead.

What Streamlit reads as Markdown is collected from each element's protobuf (bodies of Markdown, headings,
alerts; labels and help of every widget, expander, tab, metric and page link); ``live_markup`` finds in it
whatever would render as a link, an image, a colour, HTML, LaTeX or an autolink.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from dashboard.auth import TOKEN_KEY
from dashboard.text import excerpt
from tests.helpers import ADMIN, APP, ROOT, TODAY, as_read, make_change
from tests.hostile import MARKUP, SCHEMES
from tests.test_several_programmes import import_bochum
from tests.test_staff_pages import PASSWORD
from tracker import db, services
from tracker.models import Area, Goal, Pledge, Programme

PAYLOADS = MARKUP + SCHEMES
PARAMS = ("pledge", "programme", "lang", "q", "area", "goal", "status", "view", "page", "period", "as_of")
PUBLIC = ["views/overview.py", "views/measures.py", "views/timeline.py", "views/method.py", "views/open_data.py",
          "views/pledge.py"]  # fmt: skip
STAFF = ["views/sign_in.py", "views/edit.py", "views/decision.py", "views/import_statuses.py", "views/audit.py"]
# The pages that read parameters of their own get every payload; the others read only the programme and the
# language (as every page does, through ``components.current_programme``) and get three payloads at once.
OWN_PARAMETERS = ["views/measures.py", "views/pledge.py", "views/timeline.py", "views/edit.py"]
# Words of the payloads: a string holding one of them carries hostile text (escaped or not).
MARKERS = ("evil", "attacker", "Alle Versprechen", "kursiv", "pwned", "Rücktritt", "frac", "alert(", "msgbox",
           "PHNjcmlw")  # fmt: skip
# Everything in the corpus at once, for the database's fields (a hostile programme file, a hostile editor).
ALL = " ".join(value for _, value in PAYLOADS)
NAME = " ".join(value for _, value in MARKUP[3:6])  # link, image, colour: what a full name can hold (200)
UNEXPECTED = ("konnte nicht angezeigt werden", "could not be shown")

_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
_OWN_LINK = re.compile(r"\[[^\[\]]*\]\(<([^<>\s]*)>\)")  # the links the dashboard builds: [title](<url>)
_LIVE = re.compile(r"\]\(|!\[|<|:[a-z]+\[|\$|(?i:https?://|www\.|javascript:|vbscript:|data:)|@\w|#+ Rücktritt")
_MARKDOWN_FIELDS = {"body", "label", "help", "content"}
_NOT_MARKDOWN = {"Text", "Code", "Html"}  # shown as they are (Html is checked for hostile text on its own)


def live_markup(markdown: str) -> list[str]:
    """What in ``markdown`` would render as more than text: a link not built by the dashboard, or one to an
    address other than http(s) or to the attacker's hosts, an image, a colour directive, HTML, LaTeX, an
    autolink, the corpus's heading."""
    text = _ESCAPED.sub("·", markdown)
    problems = []
    for match in _OWN_LINK.finditer(text):
        url = match.group(1)
        if not re.match(r"(?i)https?://", url) or "evil" in url or "attacker" in url:
            problems.append(f"link to {url}")
    problems += _LIVE.findall(_OWN_LINK.sub("[link]", text).replace("**", ""))
    return problems


def markdown_strings(app: AppTest) -> tuple[list[tuple[str, str]], list[str]]:
    """Every string of the page that Streamlit reads as Markdown, with where it is; and the bodies of st.html."""
    found: list[tuple[str, str]] = []
    html: list[str] = []

    def fields(message, where: str) -> None:
        for field, value in message.ListFields():
            items = value if field.is_repeated else [value]
            if field.type == field.TYPE_MESSAGE:
                for item in items:
                    fields(item, f"{where}.{field.name}")
            elif field.type == field.TYPE_STRING and field.name in _MARKDOWN_FIELDS:
                found.extend((f"{where}.{field.name}", item) for item in items)

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        kind = type(proto).__name__
        if proto is not None and kind == "Html":
            html.append(proto.body)
        elif proto is not None and kind not in _NOT_MARKDOWN:
            fields(proto, kind)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    return found, html


def opened(page: str, params: dict[str, str], token: str | None = None) -> AppTest:
    """The page's file run on its own (one run, no menu) with ``params`` in the URL, signed in with ``token``."""
    app = AppTest.from_file(str(ROOT / "dashboard" / page), default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    if token:
        app.session_state[TOKEN_KEY] = token
    return app.run()


class Inspection:
    """What the pages showed: counts, and every problem found (empty when all is well)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.problems: list[str] = []

    def check(self, app: AppTest, case: str) -> None:
        self.counts["page runs"] += 1
        if app.exception:
            self.problems.append(f"{case}: exception {app.exception[0].value}")
        if any(word in e.value for e in app.error for word in UNEXPECTED):
            self.problems.append(f"{case}: an unexpected error was caught: {app.error[0].value}")
        strings, html = markdown_strings(app)
        self.counts["Markdown strings read"] += len(strings)
        for where, value in strings:
            if any(marker in value for marker in MARKERS):
                self.counts["Markdown strings with hostile text"] += 1
                self.problems += [f"{case}: {where} renders {p!r} in {value[:120]!r}" for p in live_markup(value)]
        for body in html:
            if any(marker in body for marker in MARKERS):
                self.problems.append(f"{case}: hostile text inside st.html: {body[:120]!r}")

    def report(self, title: str) -> None:
        print(f"\n{title}: " + ", ".join(f"{n} {what}" for what, n in self.counts.items()))
        assert not self.problems, "\n".join(self.problems[:20])


@pytest.fixture
def hostile(app_env, herne, tmp_path):
    """Herne with hostile text in every field a page shows: the programme's and areas', goals' and measures'
    texts (as a hostile programme file would hold them), an editor's full name, a rationale, sources' titles
    and a success criterion (as a hostile editor would type them). (A source's address is http(s) by the
    database's own check; ``test_plain_text`` shows that a page would not link any other.) A second programme
    is loaded, so that the pages read ``?programme=``."""
    import_bochum(tmp_path)
    services.add_user(ADMIN, "erika", PASSWORD, "editor", NAME)
    services.add_user(ADMIN, "bert", PASSWORD, "admin", NAME)
    erika = services.Actor("erika", "editor", "cli", NAME)
    # a title is one line (tracker.services.inputs): the tab of "java\tscript:" is typed as a space there
    sources = [
        services.SourceInput(f"https://www.herne.de/rat/{i}", value[:500].replace("\t", " "), "council")
        for i, (_, value) in enumerate(PAYLOADS)
    ]
    for code in ("1-1", "8.2-4"):
        change = make_change("kept", "2026-05-02", rationale=ALL, sources=sources)
        services.record_status_change(herne, code, change, erika, today=TODAY)
        services.set_success_criterion(herne, code, ALL, erika, services.pledge_view(herne, code).version)
    with db.session_factory(db.get_engine())() as session, session.begin():
        session.execute(update(Programme).values(title=ALL[:300], party=NAME, municipality=NAME))
        session.execute(update(Area).values(title=ALL[:500], short_title=NAME, why_important=ALL, focus=ALL))
        session.execute(update(Goal).values(title=ALL[:500], objective=ALL, group_title=ALL[:300]))
        session.execute(update(Pledge).where(Pledge.code.in_(["1-1", "8.2-4", "8.2-3"])).values(text=ALL))
    return herne


def test_hostile_address_parameters_on_every_page_are_shown_as_text(hostile):
    token = services.start_session("bert", PASSWORD).token
    seen = Inspection()
    for page in PUBLIC + STAFF:
        for label, value in PAYLOADS if page in OWN_PARAMETERS else [("link, image and colour", NAME)]:
            app = opened(page, dict.fromkeys(PARAMS, value), token if page in STAFF else None)
            seen.check(app, f"{page} with every parameter = {label}")
    seen.counts["parameters"] = len(PARAMS)
    seen.counts["payloads"] = len(PAYLOADS)
    seen.report("Address parameters")


def test_hostile_database_text_on_every_page_is_shown_as_text(hostile):
    token = services.start_session("erika", PASSWORD).token
    seen = Inspection()
    cases = [(page, {}) for page in PUBLIC + STAFF] + [
        ("views/pledge.py", {"pledge": "1-1"}),  # text, context, history with rationale and sources
        ("views/pledge.py", {"pledge": "8.2-4"}),  # a goal's measure: its goal, group and objective too
        ("views/measures.py", {"q": "evil"}),  # the hostile measures found by their words
        ("views/measures.py", {"q": "evil", "view": "table"}),
        ("views/timeline.py", {"as_of": "2026-06-01"}),  # the overview as of a day, with the recent changes
        ("views/edit.py", {"pledge": "1-1"}),  # the rating page with its history
    ]
    for page, params in cases:
        app = opened(page, params, token if page in STAFF else None)
        seen.check(app, f"{page} {params}")
        if page == "views/decision.py":  # the list of measures to pick from, with their texts as labels
            next(t for t in app.text_input if t.label == "Suche").input("evil").run()
            seen.check(app, "views/decision.py searching for the hostile measures")
    seen.report("Database fields")
    assert seen.counts["Markdown strings with hostile text"] >= 30  # the hostile text did reach the pages


def test_the_address_is_echoed_as_text_on_the_public_and_the_staff_page(hostile):
    link, image, colour = (value for _, value in MARKUP[3:6])
    asked = f"{link} {image} {colour}"
    public = opened("views/pledge.py", {"pledge": asked})
    [body] = [as_read(m.value) for m in public.markdown if "keine Maßnahme" in m.value]
    assert body == f"In diesem Wahlprogramm gibt es keine Maßnahme mit der Nummer „{excerpt(asked)}“."
    token = services.start_session("erika", PASSWORD).token
    staff = opened("views/edit.py", {"pledge": colour}, token)
    assert [as_read(w.value) for w in staff.warning] == [
        f"In diesem Wahlprogramm gibt es keine Maßnahme mit der Nummer „{colour}“."
    ]
    assert not live_markup(staff.warning[0].value) and not live_markup(public.markdown[0].value)


def test_the_known_triggers_of_tracebacks_get_messages(app_env, herne):
    nul = opened("views/pledge.py", {"pledge": "1-1\x00"})
    assert not nul.exception and nul.title[0].value == "Maßnahme nicht gefunden"
    assert "1-1\N{REPLACEMENT CHARACTER}" in as_read(nul.markdown[0].value)
    superscript = opened("views/measures.py", {"page": "²"})
    assert not superscript.exception and [n.value for n in superscript.number_input] == [1]
    words = " ".join(f"wort{i}" for i in range(1000))
    thousand = opened("views/measures.py", {"q": words})
    assert [as_read(e.value) for e in thousand.error] == [
        f"Suche: ist {len(words)} Zeichen lang; eine Suche nimmt höchstens 200 Zeichen und 10 Wörter an"
    ]
    eleven = opened("views/measures.py", {"q": " ".join(f"w{i}" for i in range(11)), "lang": "en"})
    assert [as_read(e.value) for e in eleven.error] == [
        "Search: has 11 different words; a search takes at most 10 words and 200 characters"
    ]
    repeated = opened("views/measures.py", {"q": "kita " * 30 + "plätze"})  # 155 characters, 2 different words
    two = opened("views/measures.py", {"q": "kita plätze"})
    assert not repeated.error and repeated.markdown[0].value == two.markdown[0].value == "**4** Maßnahmen gefunden"


def test_an_unexpected_failure_says_so_in_the_page_language_with_a_reference_and_logs_the_details(
    tmp_path, monkeypatch, caplog
):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is no SQLite database " * 200)  # a database file that was overwritten
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{broken}")
    for language, words in (("de", "Diese Seite konnte nicht angezeigt werden."), ("en", "This page could not")):
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="dashboard.errors"):
            app = AppTest.from_file(str(APP), default_timeout=60)  # through the router, which catches it
            app.query_params["lang"] = language
            app.run()
        assert not app.exception
        [message] = [as_read(e.value) for e in app.error]
        assert message.startswith(words)
        record = [r for r in caplog.records if r.name == "dashboard.errors"][-1]  # of the page's last run
        reference = re.search(r"(?:Referenz|reference) ([0-9a-f]{8})", message).group(1)
        assert reference in record.getMessage() and record.exc_info  # the traceback goes to the log
        assert "Traceback" not in message and "sqlite" not in message.lower()
    db.get_engine(f"sqlite:///{broken}").dispose()
