"""Why pledges were broken, measures that cannot be checked, and deadlines (issue #12): the rules in the
services on the real database, and what the overview and a measure's page say."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from sqlalchemy import select

from tests.helpers import ADMIN, EDITOR, TODAY, add_account, make_change, open_app, stored, stored_scalars
from tracker import clock, services
from tracker.models import Pledge, StatusChange
from tracker.services import InvalidInput, RowErrors, import_statuses, preview_status_import
from tracker.statuses import BROKEN_REASONS

GERMAN = ["Nummer", "Bewertung", "Stichtag", "Begründung", "Adresse der Quelle", "Titel der Quelle", "Art der Quelle"]
CELLS = ["Der Rat hat abgelehnt.", "https://www.herne.de/rat/9", "Ratsbeschluss", "Ratsvorlage oder -beschluss"]


def texts(app) -> str:
    return "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption] + [t.value for t in app.text])


# --------------------------------------------------------------------------- reasons of broken pledges


def test_broken_without_a_reason_is_refused_naming_the_field_and_the_reasons(herne):
    with pytest.raises(InvalidInput) as error:
        services.record_status_change(herne, "1-1", make_change("broken", broken_reason=None), EDITOR, today=TODAY)
    assert error.value.field == "broken_reason" and error.value.code == "reason_required"
    assert str(error.value).startswith("reason it was broken: a broken pledge needs the reason")
    assert "no_majority" in str(error.value) and "Kein Geld im Haushalt" in str(error.value)
    assert stored_scalars(select(StatusChange.id)) == []


def test_other_needs_its_text_and_a_reason_goes_with_broken_only(herne):
    other = make_change("broken", broken_reason="Anderer Grund")
    with pytest.raises(InvalidInput) as error:
        services.record_status_change(herne, "1-1", other, EDITOR, today=TODAY)
    assert (error.value.field, error.value.code) == ("broken_reason_text", "empty")
    with pytest.raises(InvalidInput) as error:
        services.record_status_change(herne, "1-1", make_change("kept", broken_reason="no_budget"), EDITOR)
    assert (error.value.field, error.value.code) == ("broken_reason", "reason_only_broken")
    with pytest.raises(InvalidInput) as error:
        services.record_status_change(herne, "1-1", make_change("broken", broken_reason="Pech"), EDITOR, today=TODAY)
    assert error.value.code == "unknown_reason" and "'Pech'" in str(error.value)

    text = "Das Land hat die Förderung gestrichen."
    services.record_status_change(herne, "1-1", make_change("broken", broken_reason="other", broken_reason_text=text),
                                  EDITOR, today=TODAY)  # fmt: skip
    assert stored(select(StatusChange.broken_reason, StatusChange.broken_reason_text)) == [("other", text)]


def test_the_overview_figures_count_the_reasons_of_pledges_broken_now(herne):
    def rate(code, status, date, reason=None):
        change = make_change(status, date, broken_reason=reason)
        services.record_status_change(herne, code, change, EDITOR, today=TODAY)

    rate("1-1", "broken", "2026-02-01", "no_budget")
    rate("1-2", "broken", "2026-02-01", "no_budget")
    rate("2-1", "broken", "2026-02-01", "no_majority")
    rate("2-1", "broken", "2026-03-01", "changed_position")  # the current rating's reason counts
    rate("2-2", "broken", "2026-02-01", "not_municipal")
    rate("2-2", "kept", "2026-04-01")  # no longer broken: its reason is not counted
    figures = services.programme_figures(herne, TODAY)
    assert figures.counts["broken"] == 3 and list(figures.broken_reasons) == list(BROKEN_REASONS)
    assert figures.broken_reasons == {
        "no_majority": 0, "not_prioritised": 0, "changed_position": 1, "not_municipal": 0, "no_budget": 2, "other": 0,
    }  # fmt: skip


def test_import_takes_the_reason_column_in_german_and_names_line_and_column_of_a_wrong_one(herne):
    import openpyxl

    def workbook(reason: str) -> bytes:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append([*GERMAN, "Grund des Bruchs"])
        sheet.append(["8.2-4", "In Arbeit", "15.01.2026", *CELLS, None])
        sheet.append(["1-2", "Gebrochen", "10.03.2026", *CELLS, reason])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    plan = preview_status_import(herne, workbook("Weil halt"), EDITOR, today=TODAY)
    [problem] = plan.errors
    assert (problem.row, problem.field, problem.code) == ("line 3", "Grund des Bruchs", "unknown_reason")
    assert "Keine Mehrheit im Rat" in problem.message
    with pytest.raises(RowErrors):
        import_statuses(herne, workbook("Weil halt"), EDITOR, today=TODAY)

    plan = import_statuses(herne, workbook("keine mehrheit im rat"), EDITOR, today=TODAY)
    assert [(row.code, row.broken_reason) for row in plan.new] == [("8.2-4", None), ("1-2", "no_majority")]


def test_export_and_restore_keep_the_reason_the_deadline_and_the_flag(herne):
    change = make_change("broken", broken_reason="other", broken_reason_text="Der Bund zahlt nicht.")
    services.record_status_change(herne, "6-2", change, EDITOR, today=TODAY)
    services.record_checkability(herne, "1-1", False, "Zu vage.", EDITOR)
    exported = services.export_programme(herne)
    pledges = {p["code"]: p for p in exported["pledges"]}
    assert pledges["6-2"]["history"][0]["broken_reason"] == "other"
    assert pledges["6-2"]["deadline"] == "2030-12-31" and pledges["1-1"]["checkable"] is False

    import jsonschema

    jsonschema.validate(json.loads(services.export_json(herne)), services.export_schema())  # the published schema
    exported["programme"]["slug"] = "kopie"
    services.restore_programme(exported, ADMIN)
    again = {p["code"]: p for p in services.export_programme("kopie")["pledges"]}
    assert again["6-2"]["history"][0]["broken_reason_text"] == "Der Bund zahlt nicht."
    assert (again["6-2"]["deadline"], again["1-1"]["checkable"]) == ("2030-12-31", False)
    assert "Grund des Bruchs" in services.export_excel_csv("kopie").decode("utf-8-sig").splitlines()[0]


# --------------------------------------------------------------------------- not checkable


def test_a_flag_is_a_proposal_with_review_on_and_once_approved_changes_the_figures(herne, monkeypatch):
    monkeypatch.setenv("TRACKER_REVIEW", "on")
    reviewer = add_account("rita", "Rita Prüfer", "reviewer")
    services.record_status_change(herne, "1-2", make_change("kept", "2026-02-01"), EDITOR, today=TODAY)
    services.approve_proposal(herne, "status_change", 1, reviewer)
    before = services.programme_figures(herne, TODAY)
    assert (before.checkable, before.total, before.share("kept")) == (262, 262, 1 / 262)

    recorded = services.record_checkability(herne, "1-1", False, "Zu vage: kein Ziel, kein Zeitraum.", EDITOR)
    assert recorded.proposed
    assert services.programme_figures(herne, TODAY).checkable == 262  # the public sees nothing yet
    assert stored_scalars(select(Pledge.checkable).where(Pledge.code == "1-1")) == [True]
    [proposal] = [p for p in services.list_proposals(herne, reviewer) if p.kind == "checkability"]
    assert (proposal.pledge, proposal.value, proposal.ref) == ("1-1", "not_checkable", f"c{recorded.id}")

    services.approve_proposal(herne, "checkability", recorded.id, reviewer)
    after = services.programme_figures(herne, TODAY)
    assert (after.checkable, after.total, after.share("kept")) == (261, 262, 1 / 261)
    view = services.pledge_view(herne, "1-1")
    assert (view.checkable, view.checkability_reason) == (False, "Zu vage: kein Ziel, kein Zeitraum.")
    with pytest.raises(InvalidInput) as error:
        services.record_checkability(herne, "1-1", False, "Nochmal.", EDITOR)
    assert error.value.code == "checkability_unchanged"


def test_the_overview_says_how_many_are_checkable_and_charts_the_reasons(app_env, herne):
    services.record_status_change(herne, "1-2", make_change("broken", "2026-03-10", broken_reason="no_budget"), EDITOR)
    services.record_checkability(herne, "1-1", False, "Zu vage.", EDITOR)
    app = open_app()
    page = texts(app)
    assert "261 von 262 Maßnahmen sind überprüfbar." in page
    assert "Die Zahlen und Anteile hier zählen nur diese 261." in page
    assert {m.label: m.value for m in app.metric}["Noch nicht bewertet"] == "260"
    assert "Warum Versprechen gebrochen wurden" in [s.value for s in app.header]
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert dict(zip(chart["data"][0]["y"], chart["data"][0]["x"], strict=True))["Kein Geld im Haushalt"] == 1

    measure = texts(open_app("views/pledge.py", pledge="1-2"))
    assert "Warum gebrochen:** Kein Geld im Haushalt" in measure
    flagged = open_app("views/pledge.py", pledge="1-1")
    assert "Warum nicht überprüfbar:** Zu vage" in texts(flagged)
    assert "Nicht überprüfbar" in "".join(h.proto.body for h in flagged.get("html"))  # the badge


# --------------------------------------------------------------------------- deadlines


def test_deadlines_come_from_the_real_programme_text(herne):
    deadlines = dict(stored(select(Pledge.code, Pledge.deadline).where(Pledge.deadline.is_not(None))))
    assert deadlines == {"6-2": dt.date(2030, 12, 31), "15.1-2": dt.date(2030, 12, 31)}
    assert services.pledge_view(herne, "15.1-2").text == "CO₂-neutrale Verwaltung bis 2030 anstreben."


def test_end_of_term_lists_every_unrated_measure_once_the_clock_is_past_the_lead_time(herne, monkeypatch):
    programme = services.get_programme(herne)
    early = programme.term_end - dt.timedelta(days=91)
    assert services.due_for_rating(herne, EDITOR, today=early).measures == ()
    services.record_status_change(herne, "1-1", make_change("kept", "2026-01-15"), EDITOR, today=TODAY)
    late = programme.term_end - dt.timedelta(days=89)
    due = services.due_for_rating(herne, EDITOR, today=late)
    assert due.term_ending and len(due.measures) == 261 and "1-1" not in {m.code for m in due.measures}
    assert {m.code: m.why for m in due.measures}["6-2"] == "term_ending"  # its deadline (end of 2030) is still ahead

    after = dt.date(2031, 1, 5)  # both deadlines passed: listed as such, and counted on the overview
    assert {m.code: m.why for m in services.due_for_rating(herne, EDITOR, today=after).measures}["6-2"] == (
        "deadline_passed"
    )
    assert services.programme_figures(herne, after).past_deadline == 2
    assert services.programme_figures(herne, late).past_deadline == 0

    monkeypatch.setattr(clock, "today", lambda: late)
    monkeypatch.setenv("TRACKER_TERM_END_LEAD_DAYS", "30")
    assert services.due_for_rating(herne, EDITOR).term_ending is False


# --------------------------------------------------------------------------- the rating page


def test_the_rating_page_asks_why_when_broken_and_flags_a_measure(app_env, herne, monkeypatch):
    from dashboard.auth import TOKEN_KEY

    monkeypatch.setenv("TRACKER_REVIEW", "off")
    services.add_user(ADMIN, "erika", "korrekt pferd batterie", "editor")
    app = open_app("views/edit.py", pledge="2-2")
    app.session_state[TOKEN_KEY] = services.start_session("erika", "korrekt pferd batterie").token
    app.run()
    next(s for s in app.selectbox if s.label == "Neue Bewertung").set_value("broken").run()
    next(t for t in app.text_area if t.label.startswith("Begründung")).input("Der Rat hat abgelehnt.")
    next(t for t in app.text_input if t.label == "Adresse der Quelle").input("https://www.herne.de/rat/2")
    next(t for t in app.text_input if t.label == "Titel der Quelle").input("Ratsbeschluss")
    next(b for b in app.button if b.label == "Bewertung speichern").click().run()
    assert any("Warum gebrochen" in e.value and "Kein Geld im Haushalt" in e.value for e in app.error)
    assert stored_scalars(select(StatusChange.id)) == []
    next(s for s in app.selectbox if s.label == "Warum gebrochen").set_value("no_budget").run()
    next(b for b in app.button if b.label == "Bewertung speichern").click().run()
    assert stored(select(StatusChange.status, StatusChange.broken_reason)) == [("broken", "no_budget")]

    next(t for t in app.text_area if t.label.startswith("Warum sie nicht überprüfbar ist")).input("Zu vage.")
    next(b for b in app.button if b.label == "Als nicht überprüfbar markieren").click().run()
    assert not app.exception and stored_scalars(select(Pledge.checkable).where(Pledge.code == "2-2")) == [False]
