"""The audit trail: failed sign-ins recorded (never a password), local days, and the admin's page in German
with Europe/Berlin times, action names, readable summaries, filters and the CSV download."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from sqlalchemy import select
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.helpers import ADMIN, ROOT, TODAY, make_change, open_app, stored
from tests.test_staff_pages import sign_in
from tracker import clock, services
from tracker.models import AuditEvent
from tracker.services import Actor

PASSWORD = "korrekt pferd batterie"
WRONG = "falsches passwort 123"
JULY_FIRST = dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)  # 12:00 in Berlin (summer time)
ERIKA = Actor("erika", "editor", "app", "Erika Muster")


def fail(name: str, password: str, now: dt.datetime = JULY_FIRST) -> None:
    with pytest.raises(services.SignInFailed):
        services.authenticate(name, password, now)


def everything_stored() -> str:
    """Every column of every audit event as the database holds it."""
    return "\n".join(repr(tuple(row)) for row in stored(select(AuditEvent)))


@pytest.fixture
def accounts(herne):
    services.add_user(ADMIN, "bert", PASSWORD, "admin", "Bert Berger")
    services.add_user(ADMIN, "erika", PASSWORD, "editor", "Erika Muster")
    services.add_user(ADMIN, "carla", PASSWORD, "editor")
    services.disable_user(ADMIN, "carla")
    return herne


def test_failed_sign_ins_are_recorded_with_the_reason_but_never_the_password(accounts):
    fail("niemand", PASSWORD)
    for _ in range(5):
        fail("erika", WRONG)
    fail("erika", PASSWORD, JULY_FIRST + dt.timedelta(minutes=5))  # locked: the right password does not help
    fail("carla", PASSWORD)
    fail(PASSWORD, PASSWORD)  # the password typed into the name field as well
    fail("x" * 100, WRONG)
    rows = services.list_events(ADMIN, action="sign_in.failed")
    assert [(r.actor, r.detail["reason"]) for r in reversed(rows)] == [
        ("niemand", "unknown_account"),
        *[("erika", "wrong_password")] * 5,
        ("erika", "locked"),
        ("carla", "disabled"),
        ("?", "unknown_account"),
        ("x" * 39 + "…", "unknown_account"),
    ]
    erika = [r.detail for r in reversed(rows) if r.actor == "erika"]
    assert [d.get("attempts") for d in erika] == [1, 2, 3, 4, 5, None]
    locked_until = (JULY_FIRST + dt.timedelta(minutes=15)).isoformat()
    assert erika[4]["locked_until"] == locked_until and erika[5]["locked_until"] == locked_until
    assert "locked_until" not in erika[3]
    assert rows[1].detail["name_withheld"] is True
    assert PASSWORD not in everything_stored() and WRONG not in everything_stored()
    with pytest.raises(services.SignInFailed) as error:  # the form still says one thing for every reason
        services.authenticate("carla", PASSWORD, JULY_FIRST)
    assert error.value.code == "sign_in_failed"


def test_the_days_of_the_audit_trail_are_local_days(accounts, monkeypatch):
    monkeypatch.setattr(clock, "now_utc", lambda: dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC))  # 00:30, 1 July
    services.record_status_change(accounts, "1-1", make_change("kept"), ERIKA, today=TODAY)
    july, june = dt.date(2026, 7, 1), dt.date(2026, 6, 30)
    assert len(services.list_events(ADMIN, since=july, until=july, action="status.change")) == 1
    assert services.list_events(ADMIN, since=june, until=june, action="status.change") == []


def recorded_actions() -> set[str]:
    """Every action code the services pass to ``record_event``, read from their source."""
    actions = set()
    for path in (ROOT / "tracker").rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        for call in re.finditer(r"\brecord_event\(", code):
            if code[call.start() - 4 : call.start()] == "def ":
                continue
            found = re.search(r'"([a-z_]+\.[a-z_.]+)"', code[call.end() : call.end() + 300])
            assert found, f"{path.name}: a record_event call without a literal action code"
            actions.add(found.group(1))
    return actions


def test_every_recorded_action_has_a_name_in_the_dashboard():
    from dashboard.audit_trail import ACTIONS, SUMMARIES

    actions = recorded_actions()
    assert {"status.change", "account.add", "sign_in.failed", "account.display_name"} <= actions
    assert actions <= set(ACTIONS), f"no name in dashboard/audit_trail.py ACTIONS: {actions - set(ACTIONS)}"
    assert set(SUMMARIES) == set(ACTIONS)


@pytest.fixture
def downloads(monkeypatch) -> list[tuple[str, bytes]]:
    """What the page offers for download (file name, bytes), as Streamlit stores it for the browser."""
    offered: list[tuple[str, bytes]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        offered.append((filename, path_or_data))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return offered


def test_audit_page_in_german_with_local_times_action_names_summaries_and_csv(
    app_env, accounts, monkeypatch, downloads
):
    two_sources = [
        services.SourceInput("https://www.herne.de/rat/1", "Ratsbeschluss", "council"),
        services.SourceInput("https://www.waz.de/herne/2", "WAZ", "press"),
    ]
    with monkeypatch.context() as then:
        then.setattr(clock, "now_utc", lambda: JULY_FIRST)
        services.record_status_change(accounts, "8.2-4", make_change("in_progress", "2026-03-01"), ERIKA, today=TODAY)
        services.record_status_change(
            accounts, "8.2-4", make_change("kept", "2026-06-30", sources=two_sources), ERIKA, today=TODAY
        )
        services.set_password(ADMIN, "erika", "ein ganz neues passwort")
        fail("niemand", PASSWORD)
        for _ in range(5):
            fail("erika", WRONG)
        fail("erika", "ein ganz neues passwort")  # locked
        fail("carla", PASSWORD)  # disabled

    app = sign_in(open_app("views/audit.py"), "bert")
    assert app.title[0].value == "Protokoll"
    table = app.dataframe[0].value
    assert list(table.columns) == ["Zeit", "Person", "Aktion", "Maßnahme", "Was sich geändert hat", "Kanal"]
    rated = table[table["Aktion"] == "Status geändert"]
    assert list(rated["Zeit"]) == ["01.07.2026, 12:00:00"] * 2
    assert list(rated["Was sich geändert hat"]) == [
        "Nr. 2: In Arbeit → Umgesetzt, gültig ab 30.06.2026, 2 Quellen",
        "Nr. 1: Noch nicht bewertet → In Arbeit, gültig ab 01.03.2026, 1 Quelle",
    ]
    assert set(rated["Person"]) == {"erika"} and set(rated["Kanal"]) == {"Web"} and set(rated["Maßnahme"]) == {"8.2-4"}
    said = dict(zip(table["Aktion"], table["Was sich geändert hat"], strict=True))
    assert said["Passwort gesetzt"] == "Passwort gesetzt für erika"
    assert said["Konto gesperrt"] == "Konto gesperrt: carla"
    assert "Konto erika (Erika Muster), Rolle Redaktion" in set(table["Was sich geändert hat"])
    failed = table[table["Aktion"] == "Anmeldung fehlgeschlagen"]
    assert list(failed["Was sich geändert hat"])[::-1] == [
        "Unbekannter Name",
        *[f"Falsches Passwort ({n}. Fehlversuch in Folge)" for n in range(1, 5)],
        "Falsches Passwort (5. Fehlversuch in Folge); Konto vorübergehend gesperrt bis 01.07.26, 12:15",
        "Konto nach Fehlversuchen vorübergehend gesperrt (bis 01.07.26, 12:15)",
        "Konto ist gesperrt",
    ]
    shown = table.to_csv()
    assert PASSWORD not in shown and WRONG not in shown and "ein ganz neues passwort" not in shown
    assert not any(re.search(r"\b[a-z_]+\.[a-z_]+\b", action) for action in table["Aktion"])  # no internal codes

    [(name, data)] = [d for d in downloads if (d[0] or "").endswith(".csv")]
    assert name == f"audit-{services.today().isoformat()}.csv"
    text = data.decode("utf-8")
    assert text.startswith("\ufeffZeit;Person;Aktion;Maßnahme;Was sich geändert hat;Kanal;Details (JSON)\r\n")
    assert "2026-07-01 12:00:00;erika;Status geändert;8.2-4;Nr. 2: In Arbeit → Umgesetzt" in text
    row = next(r for r in csv.reader(io.StringIO(text[1:]), delimiter=";") if r[4].startswith("Nr. 2:"))
    assert row[5] == "Web"
    detail = json.loads(row[6])
    assert detail["status"] == "kept" and detail["previous_status"] == "in_progress" and len(detail["sources"]) == 2
    assert PASSWORD not in text and WRONG not in text

    next(s for s in app.selectbox if s.label == "Aktion").set_value("sign_in.failed").run()
    assert set(app.dataframe[0].value["Aktion"]) == {"Anmeldung fehlgeschlagen"}
    next(s for s in app.selectbox if s.label == "Person").set_value("carla").run()
    assert list(app.dataframe[0].value["Was sich geändert hat"]) == ["Konto ist gesperrt"]
    next(s for s in app.selectbox if s.label == "Aktion").set_value(None).run()
    next(s for s in app.selectbox if s.label == "Person").set_value(None).run()
    next(t for t in app.text_input if t.label == "Nummer der Maßnahme").input("8.2-4").run()
    assert set(app.dataframe[0].value["Maßnahme"]) == {"8.2-4"} and len(app.dataframe[0].value) == 2
    dates = {d.label: d for d in app.date_input}
    assert dates["Von"].value == dt.date(2026, 7, 1)  # the first day with an event: everything by default
    assert dates["Bis"].value == clock.local_date(clock.now_utc())
    dates["Von"].set_value(dt.date(2026, 7, 2)).run()
    assert app.dataframe[0].value.empty


def test_a_role_change_reads_in_the_staffs_words():
    from dashboard.audit_trail import SUMMARIES
    from dashboard.i18n import speaking

    detail = {"account": "bert", "from": "admin", "to": "editor"}
    with speaking("de"):
        assert SUMMARIES["account.role"](detail) == "Rolle von bert: Administration → Redaktion"
    with speaking("en"):
        assert SUMMARIES["account.role"](detail) == "Role of bert: admin → editor"
