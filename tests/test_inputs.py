"""One rule for what a text may hold, wherever it comes in: forms, CLI, status import, programme import, restore,
account names. Each refusal names the field and the place; what is accepted is stored so that the export can
always be restored (on SQLite and PostgreSQL alike)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from sqlalchemy import select, update

from tests.helpers import ADMIN, EDITOR, HERNE, TODAY, add_account, count, make_change, run_cli, stored_scalars
from tracker import db, services
from tracker.models import Evidence, Pledge, Programme, StatusChange, User
from tracker.programme import ProgrammeParseError, parse_programme
from tracker.services import STATUS_CSV_COLUMNS, InvalidInput, RowErrors, SourceInput
from tracker.textfiles import printable, unsafe_character

CLI_CHANGE = [
    "set-status", "8.2-4", "kept", "--rationale", "Beschlossen.", "--date", "2026-01-15",
    "--source-url", "https://www.herne.de/rat", "--source-title", "Ratsbeschluss",
]  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value", "code", "where"),
    [
        ("rationale", "vor\x00nach", "nul", None),
        ("rationale", "Titel\x1b]0;gekapert\x07", "control_character", ("U+001B", 6)),
        ("rationale", "a\x85b", "control_character", ("U+0085", 2)),  # C1: NEL
        ("rationale", "Ma\udcffnahme", "not_utf8_text", ("0xFF", 3)),  # bytes of an argument that are not UTF-8
        ("source.title", "Ratsbeschluss\nvom Montag", "one_line", ("U+000A", 14)),
        ("source.title", "Rats\tbeschluss", "one_line", ("U+0009", 5)),
        ("source.title", "Kita\u202egnubesiE", "bidi_control", ("U+202E", 5)),
        ("source.title", "Kita\u2066x\u2069", "bidi_control", ("U+2066", 5)),
        ("source.url", "https://example.org/\x1b[2J", "control_character", ("U+001B", 21)),
    ],
)
def test_a_change_with_a_character_its_field_may_not_hold_is_refused_naming_field_and_position(
    herne, field, value, code, where
):
    source = {"url": "https://www.herne.de/rat", "title": "Ratsbeschluss"}
    rationale = "Der Rat hat beschlossen."
    if field == "rationale":
        rationale = value
    else:
        source[field.removeprefix("source.")] = value
    change = make_change(rationale=rationale, sources=[SourceInput(**source)])
    with pytest.raises(InvalidInput) as refused:
        services.record_status_change(herne, "8.2-4", change, EDITOR, today=TODAY)
    assert (refused.value.field, refused.value.code) == (field, code)
    if where:
        assert (refused.value.params["char"], refused.value.params["position"]) == where
        assert f"position {where[1]}" in str(refused.value)
    assert count(StatusChange) == 0 and count(Evidence) == 0


def test_texts_of_several_lines_keep_line_breaks_tabs_and_reading_direction_marks(herne):
    rationale = "Erster Absatz;\r\n\tzweiter „Absatz“ mit \u202bعربي\u202c und Ki\u200bta.\rEnde"
    services.record_status_change(herne, "8.2-4", make_change(rationale=rationale), EDITOR, today=TODAY)
    services.set_success_criterion(herne, "8.2-4", "Alle Schulen\r\nhaben WLAN;\tbis 2027.", EDITOR)
    [stored] = stored_scalars(select(StatusChange.rationale))
    assert stored == "Erster Absatz;\n\tzweiter „Absatz“ mit \u202bعربي\u202c und Ki\u200bta.\nEnde"  # CR LF, CR -> LF
    assert stored_scalars(select(Pledge.success_criterion).where(Pledge.code == "8.2-4")) == [
        "Alle Schulen\nhaben WLAN;\tbis 2027."
    ]
    with pytest.raises(InvalidInput) as refused:
        services.set_success_criterion(herne, "8.2-4", "Kriterium mit \x00", EDITOR)
    assert (refused.value.field, refused.value.code) == ("success_criterion", "nul")


def test_an_upper_case_scheme_is_stored_in_lower_case_and_the_export_restores(herne, tmp_path, monkeypatch):
    source = SourceInput("HTTP://EXAMPLE.ORG/Rat?id=1", "Ratsbeschluss")
    services.record_status_change(herne, "8.2-4", make_change(sources=[source]), EDITOR, today=TODAY)
    services.add_evidence(herne, "8.2-4", SourceInput("HTTPS://Example.org/Presse", "Presse", "press"), EDITOR)
    assert sorted(stored_scalars(select(Evidence.url))) == ["http://EXAMPLE.ORG/Rat?id=1", "https://Example.org/Presse"]
    path = tmp_path / "export.json"
    path.write_text(services.export_json(herne), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    services.upgrade_schema()
    services.restore_programme(services.load_export(path), ADMIN, source=str(path))
    assert services.export_json(herne) == path.read_text(encoding="utf-8")


def test_an_old_export_with_an_upper_case_scheme_is_restored_as_it_is_stored_now(herne, tmp_path, monkeypatch):
    services.record_status_change(herne, "8.2-4", make_change(), EDITOR, today=TODAY)
    data = services.export_programme(herne)
    [change] = next(p for p in data["pledges"] if p["code"] == "8.2-4")["history"]
    change["sources"][0]["url"] = "HTTPS://www.herne.de/rat/2026-01-15"  # what an older version exported
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    services.upgrade_schema()
    services.restore_programme(services.load_export(path), ADMIN)
    assert stored_scalars(select(Evidence.url)) == ["https://www.herne.de/rat/2026-01-15"]


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("Https://example.org/a", "https://example.org/a"),
        ("  http://example.org  ", "http://example.org"),
        ("http://[::1", None),  # a bracket that does not close: not a traceback
        ("javascript:alert(1)", None),
        ("http:/example.org", None),
        ("ftp://example.org", None),
    ],
)
def test_web_addresses_are_http_or_https_with_the_scheme_in_lower_case(url, accepted):
    if accepted is None:
        with pytest.raises(InvalidInput) as refused:
            services.check_web_address(url, "--base-url")
        assert refused.value.field == "--base-url" and refused.value.code == "not_url"
    else:
        assert services.check_web_address(url, "--base-url") == accepted


def test_an_author_longer_than_its_column_is_refused_before_the_database_sees_it(herne, engine):
    add_account("anna", "Anna Schmidt")
    result = run_cli(*CLI_CHANGE, "--as", "a" * 300)  # the CLI's --as: no account can have such a name
    assert result.exit_code == 2 and "No account named" in result.stderr
    # The signature is the account's, read from the database: what a session claims does not sign anything.
    claimed = services.Actor("anna", "editor", "app", "Anna " + "S" * 300)
    services.record_status_change(herne, "8.2-4", make_change(), claimed, today=TODAY)
    assert stored_scalars(select(StatusChange.author)) == ["Anna Schmidt"]
    if engine.dialect.name == "sqlite":  # a display name too long that SQLite kept from an older version
        with db.session_factory(engine)() as session, session.begin():
            session.execute(update(User).values(display_name="Anna " + "S" * 300))
        with pytest.raises(InvalidInput) as refused:
            services.add_evidence(herne, "8.2-4", SourceInput("https://x.de", "t"), claimed)
        assert (refused.value.field, refused.value.code, refused.value.params["max"]) == ("author", "too_long", 200)
    assert count(StatusChange) == 1 and count(Evidence) == 1


def test_account_names_and_display_names_follow_the_rule_for_one_line_fields(engine):
    with pytest.raises(InvalidInput) as refused:
        services.add_user(ADMIN, "anna\x1b]0;x\x07", "ein langes passwort", "editor")
    assert (refused.value.field, refused.value.code) == ("name", "control_character")
    with pytest.raises(InvalidInput) as refused:
        services.add_user(ADMIN, "anna", "ein langes passwort", "editor", "Anna \u202eztimhcS")
    assert (refused.value.field, refused.value.code) == ("display_name", "bidi_control")
    assert count(User) == 0


def test_a_lookup_of_a_code_or_programme_no_one_can_have_is_not_found_without_a_query(herne):
    for code in ("8.2-4\x00", "x" * 10_000, "8.2-4\udcff"):
        with pytest.raises(services.NotFound):
            services.pledge_view(herne, code)
    with pytest.raises(services.NotFound) as missing:
        services.get_programme("hak\x00" + "x" * 500)
    assert "characters)" in str(missing.value)  # the slug is repeated shortened, not all 500 characters


def test_programme_lines_with_control_characters_are_refused_with_line_and_position():
    with pytest.raises(ProgrammeParseError) as refused:
        parse_programme("Titel\n1. Wohnen\n- Gut\n- Leer\x1b[2Jstand\n", "p.txt")
    assert refused.value.line_no == 4 and "U+001B at position 7" in str(refused.value)
    with pytest.raises(ProgrammeParseError) as refused:
        parse_programme("Titel\n1. Wohnen \u202e\n- Gut\n", "p.txt")
    assert refused.value.line_no == 2 and "reverses the reading direction" in str(refused.value)
    tabs = parse_programme("Titel\n1.\tWohnen\n-\tLeerstand\tvermitteln\n", "p.txt")  # a tab counts as a space
    assert [p.text for p in tabs.pledges()] == ["Leerstand vermitteln"] and tabs.areas[0].title == "Wohnen"


def test_programme_headings_longer_than_the_database_keeps_and_huge_numbers_are_refused():
    with pytest.raises(ProgrammeParseError, match="area title is 501 characters long; at most 500"):
        parse_programme("Titel\n1. " + "W" * 501 + "\n- Gut\n")
    with pytest.raises(ProgrammeParseError, match="more than 4 digits") as refused:
        parse_programme("Titel\n" + "9" * 5000 + ". Wohnen\n- Gut\n")
    assert refused.value.line_no == 2 and len(str(refused.value)) < 500


def test_metadata_texts_follow_the_rule_for_one_line_fields(tmp_path, engine):
    text = tmp_path / "p.txt"
    text.write_text("Titel\n1. Wohnen\n- Gut\n", encoding="utf-8")
    meta = HERNE.with_suffix(".toml").read_text(encoding="utf-8")
    (tmp_path / "p.toml").write_text(meta.replace('party = "', 'party = "\\u001b]0;x\\u0007'), encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        services.import_programme_file(text, ADMIN)
    assert "field party" in str(refused.value) and "control character U+001B" in str(refused.value)
    assert count(Programme) == 0


def test_a_csv_cell_longer_than_pythons_csv_limit_is_reported_as_too_long_with_line_and_column(herne):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(STATUS_CSV_COLUMNS)
    writer.writerow(["8.2-4", "kept", "2026-01-15", "x" * 200_000, "https://x.de", "Titel", "press"])
    with pytest.raises(RowErrors) as refused:
        services.import_statuses(herne, out.getvalue().encode(), EDITOR, today=TODAY)
    [problem] = refused.value.errors
    assert (problem.line, problem.field, problem.code) == (2, "rationale", "too_long")
    assert problem.params == {"length": 200_000, "max": 5000}


def test_status_import_cells_follow_the_rule_of_their_field(herne):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(STATUS_CSV_COLUMNS)
    writer.writerow(["8.2-4", "kept", "2026-01-15", "Begründung\x1b[31m", "https://x.de", "Titel", "press"])
    writer.writerow(["1-1", "kept", "2026-01-15", "Gut", "https://x.de", "Ti\ntel", "press"])
    with pytest.raises(RowErrors) as refused:
        services.import_statuses(herne, out.getvalue().encode(), EDITOR, today=TODAY)
    assert [(e.line, e.field, e.code) for e in refused.value.errors] == [
        (2, "rationale", "control_character"),
        (3, "source_title", "one_line"),
    ]
    assert count(StatusChange) == 0


@pytest.mark.parametrize(
    ("edit", "field", "code"),
    [
        (lambda change: change.update(rationale="vor\x00nach"), "change #1, rationale", "nul"),
        (lambda change: change.update(author="A" * 201), "change #1, author", "too_long"),
        (lambda change: change["sources"][0].update(title="T\x1b"), "source 1, title", "control_character"),
        (lambda change: change.update(effective_date="2026-02-31"), "change #1, effective_date", "not_date"),
        (lambda change: change.update(recorded_at="2026-13-01T00:00:00Z"), "change #1, recorded_at", "not_time"),
        (lambda change: change.update(sequence=2**40), "change #1099511627776, sequence", "out_of_range"),
    ],
)
def test_restore_of_what_the_database_cannot_hold_names_file_measure_and_field(
    herne, tmp_path, monkeypatch, edit, field, code
):
    services.record_status_change(herne, "8.2-4", make_change(), EDITOR, today=TODAY)
    data = services.export_programme(herne)
    [change] = next(p for p in data["pledges"] if p["code"] == "8.2-4")["history"]
    edit(change)
    path = tmp_path / "old-export.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    services.upgrade_schema()
    with pytest.raises(InvalidInput) as refused:
        services.restore_programme(services.load_export(path), ADMIN, source=str(path))
    assert refused.value.code == code
    assert refused.value.field.startswith(f"{path}, pledge 8.2-4") and field in refused.value.field
    assert count(Programme) == 0


def test_restore_refuses_a_measure_listed_twice_before_the_database_does(herne, tmp_path, monkeypatch):
    data = services.export_programme(herne)
    data["pledges"].append(dict(data["pledges"][0]))
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    services.upgrade_schema()
    with pytest.raises(InvalidInput, match="'1-1' is in the file more than once"):
        services.restore_programme(services.load_export(path), ADMIN, source=str(path))


def test_the_rule_and_the_terminal_escape_agree():
    hostile = "a\x00b\x1b]0;x\x07c\x9bd\u202ee\udcfff\u2028g"
    assert printable(hostile) == "a\\x00b\\x1b]0;x\\x07c\\x9bd\\u202ee\\xfff\\u2028g"
    assert unsafe_character(printable(hostile)) is None  # nothing that reaches a terminal is left raw
    assert printable("Zeile 1\n\tZeile 2 „Zitat“ ÄÖÜß 😀") == "Zeile 1\n\tZeile 2 „Zitat“ ÄÖÜß 😀"


def test_dates_cannot_be_left_empty_to_mean_today():
    with pytest.raises(InvalidInput) as refused:
        services.parse_date("", "--date")
    assert refused.value.field == "--date" and refused.value.code == "not_date"
    assert services.parse_date(" 2026-01-15 ", "--date") == dt.date(2026, 1, 15)


def test_the_rating_page_words_the_refusal_in_german_naming_field_and_position(app_env, rated):
    from dashboard.auth import TOKEN_KEY
    from tests.helpers import as_read, open_app

    services.add_user(ADMIN, "erika", "korrekt pferd batterie", "editor")
    app = open_app("views/edit.py", pledge="3-1")
    app.session_state[TOKEN_KEY] = services.start_session("erika", "korrekt pferd batterie").token
    app.run()
    next(s for s in app.selectbox if s.label == "Neue Bewertung").set_value("kept")
    next(t for t in app.text_area if t.label.startswith("Begründung")).input("Beschlossen.\x1b]0;x\x07")
    next(t for t in app.text_input if t.label == "Adresse der Quelle").input("HTTPS://www.herne.de/rat")
    next(t for t in app.text_input if t.label == "Titel der Quelle").input("Beschluss \u202eztaseG")
    next(b for b in app.button if b.label == "Bewertung speichern").click().run()
    assert not app.exception, app.exception
    assert [as_read(e.value) for e in app.error] == [
        "Nicht gespeichert. Begründung: enthält an Stelle 13 das Steuerzeichen U+001B; bitte entfernen"
    ]
    next(t for t in app.text_area if t.label.startswith("Begründung")).input("Beschlossen.")
    next(b for b in app.button if b.label == "Bewertung speichern").click().run()
    assert [as_read(e.value) for e in app.error] == [
        "Nicht gespeichert. Titel der Quelle 1: enthält an Stelle 11 das unsichtbare Zeichen U+202E, das die "
        "Leserichtung umkehrt; bitte entfernen"
    ]
    assert services.pledge_view(None, "3-1").history == ()
