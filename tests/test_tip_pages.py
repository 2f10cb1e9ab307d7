"""The pages of tips and corrections through AppTest: the form "Hinweis geben" on a measure's page (sent, refused
naming the field, the honeypot, the limit per session), the staff queue "Hinweise" (hostile text stays text,
accept and reject), the corrections log and the corrected entry on the measure's page, the counts on the method
page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard import tip_form
from tests.helpers import ADMIN, TODAY, as_read, count, make_change, open_app, stored
from tests.hostile import MARKUP, SCHEMES
from tests.test_hostile_pages import Inspection, opened
from tests.test_staff_pages import PASSWORD, page_text, sign_in
from tracker import services
from tracker.models import Evidence, Tip

pytestmark = pytest.mark.sqlite_only  # see tests/conftest.py: the services are tested on both databases

EDITOR = services.Actor("op", "editor", "cli", "Anna Schmidt")
EMAIL = "leserin@example.org"


def form_fields(app):
    round_ = app.session_state[tip_form.ROUND_KEY] if tip_form.ROUND_KEY in app.session_state else 0  # noqa: SIM401
    return (
        app.text_area(key=f"tip_text_{round_}"),
        app.text_input(key=f"tip_url_{round_}"),
        app.text_input(key=f"tip_email_{round_}"),
    )


def in_form(widget, form: str) -> bool:
    return widget.proto.form_id == form


def send_hint(app, text: str, url: str = "", email: str = "", trap: str = ""):
    text_field, url_field, email_field = form_fields(app)
    text_field.input(text)
    url_field.input(url)
    email_field.input(email)
    if trap:
        app.text_input(key=f"{tip_form.HONEYPOT}_field").input(trap)
    next(b for b in app.button if b.label == "Hinweis senden").click()
    return app.run()


@pytest.fixture
def measure_page(app_env, rated):
    return open_app(pledge="8.2-4")


def test_a_reader_sends_a_hint_from_the_measure_page(measure_page):
    app = measure_page
    [expander] = [e for e in app.expander if e.label == "Hinweis geben"]
    assert "nie veröffentlicht" in page_text(app) and "gelöscht" in page_text(app)
    send_hint(app, "Der Rat hat am 12.11. beschlossen.", "https://www.herne.de/rat/1", EMAIL)
    assert not app.exception
    assert any("Danke! Ihr Hinweis ist am" in s.value for s in app.success)
    assert stored(select(Tip.text, Tip.source_url, Tip.email)) == [
        ("Der Rat hat am 12.11. beschlossen.", "https://www.herne.de/rat/1", EMAIL)
    ]
    assert form_fields(app)[0].value == ""  # drawn afresh, empty
    assert EMAIL not in page_text(app) and "12.11." not in page_text(app)  # a hint is not published


@pytest.mark.parametrize(
    ("text", "url", "email", "message"),
    [
        ("", "", "", "Ihr Hinweis: darf nicht leer sein"),
        ("Hinweis", "javascript:alert(1)", "", "Webadresse einer Quelle (freiwillig): „javascript:alert(1)“ ist keine"),
        ("Hinweis", "", "leserin@", "Ihre E-Mail-Adresse für eine Antwort (freiwillig): „leserin@“ ist keine E-Mail"),
    ],
    ids=["empty", "bad-url", "bad-email"],
)
def test_a_bad_field_is_refused_naming_it(measure_page, text, url, email, message):
    app = send_hint(measure_page, text, url, email)
    assert any(message in as_read(e.value) for e in app.error), [e.value for e in app.error]
    assert count(Tip) == 0


def test_the_hint_field_takes_two_thousand_characters(measure_page):
    # the browser stops at 2,000 characters; the services refuse more from anywhere else (test_tips)
    assert form_fields(measure_page)[0].proto.max_chars == services.MAX_TIP_TEXT == 2000


def test_a_filled_honeypot_is_thanked_for_and_dropped(measure_page):
    app = send_hint(measure_page, "Billige Uhren", "https://spam.example", trap="https://spam.example")
    assert any("Danke! Ihr Hinweis ist am" in s.value for s in app.success)
    assert count(Tip) == 0


def test_the_fourth_hint_of_a_session_within_ten_minutes_is_refused_saying_when_again(measure_page):
    app = measure_page
    for n in range(3):
        send_hint(app, f"Hinweis {n}")
        assert app.success, n
    send_hint(app, "Hinweis 3")
    [error] = [as_read(e.value) for e in app.error]
    assert "3 Hinweise innerhalb von 10 Minuten" in error and "den nächsten können Sie ab" in error
    assert count(Tip) == 3


@pytest.fixture
def queue(app_env, rated):
    """Erika (editor) signed in; hints with the hostile corpus in their texts and addresses."""
    services.add_user(ADMIN, "erika", PASSWORD, "editor", "Erika Muster")
    for n, (_label, value) in enumerate(MARKUP + SCHEMES):
        services.submit_tip(rated, "8.2-4", services.TipInput(value, "", EMAIL), session_key=f"s{n}", address=None)
    services.submit_tip(
        rated, "1-1", services.TipInput("Neue Quelle", "https://www.herne.de/presse/1", EMAIL), session_key="x",
        address=None,
    )  # fmt: skip
    return rated


def test_hostile_hints_are_text_on_the_staff_page_and_nowhere_public(queue):
    token = services.start_session("erika", PASSWORD).token
    hostile = " ".join(value for _label, value in MARKUP + SCHEMES)
    marked_up = services.Actor("op", "editor", "cli", MARKUP[3][1])  # a full name that is a Markdown link
    correction = make_change("kept", "2026-03-01", rationale=hostile, corrects_sequence=1)
    services.record_status_change(queue, "8.2-4", correction, marked_up, today=TODAY)
    seen = Inspection()
    staff = opened("views/tips.py", {}, token)
    seen.check(staff, "views/tips.py")
    shown = [t.value for t in staff.text]
    assert all(value.strip() in shown for _label, value in MARKUP + SCHEMES)  # every hint, as text
    assert EMAIL in page_text(staff)  # staff see the address to reply
    # a hint's source address (http or https: the services take no other) is a link for staff to check
    assert any("(<https://www.herne.de/presse/1>)" in m.value for m in staff.markdown)
    for page, params in [("views/pledge.py", {"pledge": "8.2-4"}), ("views/method.py", {}),
                         ("views/corrections.py", {}), ("views/corrections.py", {"measure": hostile})]:  # fmt: skip
        public = opened(page, params)
        seen.check(public, f"{page} {params}")
        texts = {t.value for t in public.text}
        everything = page_text(public) + " ".join(texts)
        assert EMAIL not in everything and "Neue Quelle" not in everything, page
        assert not texts & {value.strip() for _label, value in MARKUP + SCHEMES}, page  # no hint as a text
    seen.report("Hints")


def test_staff_accept_a_hint_as_a_source_and_the_email_is_gone(queue):
    app = sign_in(open_app("views/tips.py"), "erika")
    [tip_id] = stored(select(Tip.id).where(Tip.text == "Neue Quelle"))[0]
    title = next(t for t in app.text_input if t.label == "Titel der Quelle" and in_form(t, f"tip_source_{tip_id}"))
    title.input("Pressemitteilung der Stadt")
    next(b for b in app.button if b.label == "Als Quelle hinzufügen" and in_form(b, f"tip_source_{tip_id}")).click()
    app.run()
    assert not app.exception
    assert any(f"Hinweis Nr. {tip_id} ist als Quelle zur Maßnahme 1-1 hinzugefügt." in s.value for s in app.success)
    assert stored(select(Tip.state, Tip.email).where(Tip.id == tip_id)) == [("accepted", None)]
    assert stored(select(Evidence.title, Evidence.url).where(Evidence.url.contains("presse"))) == [
        ("Pressemitteilung der Stadt", "https://www.herne.de/presse/1")
    ]


def test_rejecting_a_hint_needs_a_reason(queue):
    app = sign_in(open_app("views/tips.py"), "erika")
    [tip_id] = stored(select(Tip.id).where(Tip.text == "Neue Quelle"))[0]
    reject = next(b for b in app.button if b.label == "Hinweis ablehnen" and in_form(b, f"tip_reject_{tip_id}"))
    reject.click()
    app.run()
    assert any("Begründung: darf nicht leer sein" in as_read(e.value) for e in app.error)
    reason = next(t for t in app.text_area if t.label == "Begründung" and in_form(t, f"tip_reject_{tip_id}"))
    reason.input("Steht schon in Bewertung Nr. 1.")
    next(b for b in app.button if b.label == "Hinweis ablehnen" and in_form(b, f"tip_reject_{tip_id}")).click()
    app.run()
    assert stored(select(Tip.state, Tip.email, Tip.close_reason).where(Tip.id == tip_id)) == [
        ("rejected", None, "Steht schon in Bewertung Nr. 1.")
    ]


def test_the_method_page_counts_the_hints_and_links_the_corrections(queue):
    [tip_id] = stored(select(Tip.id).where(Tip.text == "Neue Quelle"))[0]
    services.reject_tip(queue, tip_id, "Doppelt", EDITOR)
    app = open_app("views/method.py")
    assert "Bisher 17 offen, 0 übernommen und 1 abgelehnt." in page_text(app)
    assert any(link.proto.label.startswith("Korrekturen:") for link in app.get("page_link"))


@pytest.fixture
def corrected(app_env, herne):
    services.record_status_change(herne, "8.2-4", make_change("kept", "2026-01-15"), EDITOR, today=TODAY)
    correction = make_change(
        "in_progress", "2026-01-15", rationale="Nur die Finanzierung ist beschlossen.", corrects_sequence=1
    )
    services.record_status_change(herne, "8.2-4", correction, EDITOR, today=TODAY)
    return herne


def test_the_corrections_log_lists_a_correction_beside_what_it_corrects(corrected):
    app = open_app("views/corrections.py")
    text = page_text(app)
    assert "1 Korrektur" in text and "Was falsch war: Nr. 1" in text and "Die Korrektur: Nr. 2" in text
    assert "Korrigiert am" in text and "von Anna Schmidt" in text
    assert [t.value for t in app.text] == ["Der Rat hat am 15.01.2026 die Finanzierung beschlossen.",
                                           "Nur die Finanzierung ist beschlossen."]  # fmt: skip
    assert any(as_read(link.proto.label).startswith("8.2-4:") for link in app.get("page_link"))
    other = open_app("views/corrections.py", measure="1-1")
    assert "0 Korrekturen" in page_text(other) and "Bisher wurde keine Bewertung korrigiert." in page_text(other)


def test_the_measure_page_marks_the_corrected_entry_with_the_numbers(corrected):
    app = open_app(pledge="8.2-4")
    assert [w.value for w in app.warning] == ["Korrigiert durch Nr. 2"]
    text = page_text(app)
    assert "Nr. 2 · Stichtag 15.01.2026" in text and "Nr. 1 · Stichtag 15.01.2026" in text
    [link] = [p for p in app.get("page_link") if p.proto.label == "Was korrigiert wurde und warum"]
    assert link.proto.query_string == "measure=8.2-4" and link.proto.page.endswith("corrections")


def test_staff_accept_a_hint_without_an_address_as_a_rating_with_a_source_they_found(queue):
    app = sign_in(open_app("views/tips.py"), "erika")
    services.submit_tip(queue, "1-2", services.TipInput("Das ist gekippt."), session_key="z", address=None)
    app.run()
    [tip_id] = stored(select(Tip.id).where(Tip.text == "Das ist gekippt."))[0]
    form = f"tip_rating_{tip_id}"
    next(s for s in app.selectbox if s.label == "Neue Bewertung" and in_form(s, form)).select("stalled")
    next(t for t in app.text_area if in_form(t, form)).input("Der Rat hat die Mittel gesperrt.")
    fields = {t.label: t for t in app.text_input if in_form(t, form)}
    fields["Adresse der Quelle"].input("https://www.herne.de/rat/sperre")
    fields["Titel der Quelle"].input("Ratsbeschluss Haushaltssperre")
    next(b for b in app.button if b.label == "Als Bewertung erfassen" and in_form(b, form)).click()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    view = services.pledge_view(queue, "1-2")
    assert view.status == "stalled" and view.history[0].rationale == "Der Rat hat die Mittel gesperrt."
    assert [s.title for s in view.history[0].sources] == ["Ratsbeschluss Haushaltssperre"]
    assert stored(select(Tip.state, Tip.email).where(Tip.id == tip_id)) == [("accepted", None)]
