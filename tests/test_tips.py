"""Hints from the public: the checks of the form, the honeypot, the limits per browser session and per client
address, accepting (as a source or a rating) and rejecting, and that a closed hint's e-mail address is gone
from the database. On both databases (the ``database_url`` fixtures)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.helpers import EDITOR, TODAY, count, make_change, stored
from tracker import services
from tracker.models import AuditEvent, Evidence, StatusChange, Tip
from tracker.services import TipInput

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
HINT = TipInput("Der Rat hat die Kita am 12.11. beschlossen.", "https://www.herne.de/rat/kita", "leserin@example.org")


def send(slug: str, tip: TipInput = HINT, *, session: str = "browser-1", address: str | None = "198.51.100.7", now=NOW):
    return services.submit_tip(slug, "8.2-4", tip, session_key=session, address=address, now=now)


def test_a_hint_is_stored_open_with_its_email_and_counted(herne):
    receipt = send(herne)
    assert receipt.code == "8.2-4"
    [tip] = services.list_tips(herne, "open", EDITOR)
    assert (tip.code, tip.text, tip.source_url, tip.email) == ("8.2-4", HINT.text, HINT.source_url, HINT.email)
    assert services.tip_counts(herne) == services.TipCounts(1, 0, 0)


@pytest.mark.parametrize(
    ("tip", "field", "code"),
    [
        (TipInput(""), "tip.text", "empty"),
        (TipInput("x" * 2001), "tip.text", "too_long"),
        (TipInput("Hinweis", "javascript:alert(1)"), "tip.source_url", "not_url"),
        (TipInput("Hinweis", "www.herne.de"), "tip.source_url", "not_url"),
        (TipInput("Hinweis", "", "keine-adresse"), "tip.email", "not_email"),
        (TipInput("Hinweis", "", "a@b"), "tip.email", "not_email"),
        (TipInput("Hinweis", "", "a b@example.org"), "tip.email", "not_email"),
        (TipInput("vor\x00nach"), "tip.text", "nul"),
    ],
    ids=["empty", "too-long", "javascript-url", "no-scheme", "email-no-at", "email-no-dot", "email-space", "nul"],
)
def test_a_bad_field_is_refused_naming_it_and_nothing_is_stored(herne, tip, field, code):
    with pytest.raises(services.InvalidInput) as error:
        send(herne, tip)
    assert (error.value.field, error.value.code) == (field, code)
    assert count(Tip) == 0


def test_two_thousand_characters_are_accepted(herne):
    send(herne, TipInput("x" * 2000))
    assert count(Tip) == 1


def test_a_filled_honeypot_is_answered_like_success_and_stores_nothing(herne):
    receipt = send(herne, TipInput("Kaufen Sie jetzt", "https://spam.example", website="https://spam.example"))
    assert receipt.code == "8.2-4"
    assert count(Tip) == 0


def test_a_browser_session_may_send_three_hints_in_ten_minutes(herne):
    for minute in range(3):
        send(herne, now=NOW + dt.timedelta(minutes=minute))
    with pytest.raises(services.TooManyTips) as error:
        send(herne, now=NOW + dt.timedelta(minutes=5))
    assert error.value.code == "tips_per_session"
    assert error.value.params["again"] == NOW + dt.timedelta(minutes=10)  # when the first leaves the window
    assert count(Tip) == 3
    send(herne, session="browser-2", now=NOW + dt.timedelta(minutes=5))  # another session from the same address
    send(herne, now=NOW + dt.timedelta(minutes=10, seconds=1))  # the first left the window
    assert count(Tip) == 5


def test_a_client_address_may_send_ten_hints_in_an_hour_whatever_the_sessions(herne):
    for n in range(10):
        send(herne, session=f"browser-{n}", now=NOW + dt.timedelta(minutes=n))
    with pytest.raises(services.TooManyTips) as error:
        send(herne, session="browser-new", now=NOW + dt.timedelta(minutes=30))
    assert error.value.code == "tips_per_address"
    assert error.value.params["again"] == NOW + dt.timedelta(hours=1)
    # an IPv6 address counts by its /64 network; another network is not limited
    send(herne, session="browser-new", address="2001:db8:1::5", now=NOW + dt.timedelta(minutes=30))
    assert count(Tip) == 11


def test_accepting_a_hint_as_a_source_adds_it_to_the_measure_and_deletes_the_email(herne):
    send(herne)
    [tip] = services.list_tips(herne, "open", EDITOR)
    closed = services.accept_tip_as_source(herne, tip.id, "Ratsbeschluss Kita", EDITOR, kind="council")
    assert closed.state == "accepted" and closed.email is None
    view = services.pledge_view(herne, "8.2-4")
    assert [(s.url, s.title, s.kind) for s in view.evidence] == [(HINT.source_url, "Ratsbeschluss Kita", "council")]
    [(email, sender, evidence_id)] = stored(select(Tip.email, Tip.sender, Tip.evidence_id))
    assert email is None and sender == ""
    assert evidence_id == stored(select(Evidence.id))[0][0]
    assert services.tip_counts(herne) == services.TipCounts(0, 1, 0)
    assert "leserin@example.org" not in str(stored(select(AuditEvent.detail)))


def test_accepting_a_hint_as_a_rating_records_it_linked_to_the_hint(herne):
    send(herne)
    [tip] = services.list_tips(herne, "open", EDITOR)
    change = make_change(
        "in_progress", "2026-11-20", sources=[services.SourceInput(HINT.source_url, "Hinweis: Ratsbeschluss")]
    )
    services.accept_tip_as_change(herne, tip.id, change, EDITOR, today=TODAY)
    [(email, change_id)] = stored(select(Tip.email, Tip.status_change_id))
    [(linked_id, status)] = stored(select(StatusChange.id, StatusChange.status))
    assert email is None and change_id == linked_id and status == "in_progress"


def test_rejecting_needs_a_reason_and_deletes_the_email(herne):
    send(herne)
    [tip] = services.list_tips(herne, "open", EDITOR)
    with pytest.raises(services.InvalidInput) as error:
        services.reject_tip(herne, tip.id, "  ", EDITOR)
    assert error.value.field == "tip.reason"
    assert stored(select(Tip.email)) == [("leserin@example.org",)]
    services.reject_tip(herne, tip.id, "Keine Quelle, nicht nachprüfbar.", EDITOR)
    assert stored(select(Tip.email, Tip.state, Tip.close_reason)) == [
        (None, "rejected", "Keine Quelle, nicht nachprüfbar.")
    ]
    assert services.tip_counts(herne) == services.TipCounts(0, 0, 1)
    with pytest.raises(services.InvalidInput) as again:
        services.reject_tip(herne, tip.id, "nochmal", EDITOR)
    assert again.value.code == "tip_closed"


def test_a_hint_without_an_address_cannot_become_a_source(herne):
    send(herne, TipInput("Da passiert nichts mehr."))
    [tip] = services.list_tips(herne, "open", EDITOR)
    with pytest.raises(services.InvalidInput) as error:
        services.accept_tip_as_source(herne, tip.id, "Titel", EDITOR)
    assert error.value.code == "tip_without_source"
    assert count(Evidence) == 0 and stored(select(Tip.state)) == [("open",)]


def test_the_hints_are_for_staff_only(herne):
    send(herne)
    with pytest.raises(services.PermissionDenied):
        services.list_tips(herne, "open", services.Actor("", "editor", "app"))


def test_with_review_on_a_hint_accepted_as_a_rating_is_a_proposal_the_public_does_not_see(herne, monkeypatch):
    monkeypatch.setenv("TRACKER_REVIEW", "on")
    send(herne)
    [tip] = services.list_tips(herne, "open", EDITOR)
    change = make_change("kept", "2026-11-20", sources=[services.SourceInput(HINT.source_url, "Hinweis")])
    services.accept_tip_as_change(herne, tip.id, change, EDITOR, today=TODAY)
    [(state, sequence, linked)] = stored(
        select(StatusChange.review_state, StatusChange.sequence, Tip.status_change_id).join(
            Tip, Tip.status_change_id == StatusChange.id
        )
    )
    assert (state, sequence) == ("proposed", None) and linked is not None
    view = services.pledge_view(herne, "8.2-4")
    assert view.status == "not_rated" and view.history == ()
    assert stored(select(Tip.email)) == [(None,)]


def test_a_trusted_proxys_forwarded_address_is_the_one_counted(monkeypatch):
    from dashboard.session_routes import forwarded_client

    assert forwarded_client("203.0.113.9", ["6.6.6.6"]) == "203.0.113.9"  # no proxy trusted: the peer
    monkeypatch.setenv("TRACKER_TRUSTED_PROXIES", "127.0.0.1")
    assert forwarded_client("127.0.0.1", ["6.6.6.6, 198.51.100.7"]) == "198.51.100.7"
    assert forwarded_client("203.0.113.9", ["198.51.100.7"]) == "203.0.113.9"  # not from the proxy
