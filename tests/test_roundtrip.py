"""Restore accepts what export writes, always: generated histories (statuses, dates, texts with umlauts, quotes,
semicolons, line breaks and whatever else a person may type, sources with titles and kinds, corrections, loose
evidence, success criteria, a retired measure) go in through the services as people enter them; their export,
restored after the programme is gone, exports identically. On SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from tests.helpers import ADMIN, TODAY
from tracker import db, services
from tracker.models import Area, AuditEvent, Evidence, Goal, Pledge, Programme, StatusChange
from tracker.services import ProgrammeInfo, SourceInput, StatusChangeInput, TrackerError
from tracker.services.programmes import ProgrammeMetadata
from tracker.statuses import SOURCE_KINDS, STATUS_KEYS

ELECTION = dt.date(2025, 9, 14)
PROGRAMME = """Unser Programm für „Herne“; 2025
Präambel: Wir wollen's besser machen.
1. Wohnen & Stadtentwicklung
Warum wichtig: Mieten steigen; Leerstand wächst.
- Leerstände aktiv vermitteln.
- Zweckentfremdung von Wohnraum eindämmen („Airbnb“).
8. Bildung
Frühkindliche Bildung
8.1 Kitas ausbauen Ziel: Ein Platz für jedes Kind.
- 500 neue Kita-Plätze schaffen; davon 100 bis 2027.
- Öffnungszeiten bis 18 Uhr.
"""
REVISED = PROGRAMME.replace("- Öffnungszeiten bis 18 Uhr.\n", "")  # the last measure retired, its history kept
CODES = ("1-1", "1-2", "8.1-1", "8.1-2")
PEOPLE = (("anna", "Anna Schmidt-Öztürk"), ("ben", "Ben „Benny“ O'Brien; jr."))

# What people type: German text with quotes, semicolons, line breaks, tabs, emoji, other scripts; any other
# character but controls; and now and then anything at all (the services refuse what the rule refuses, the
# rest must survive the round trip).
TYPED = "abcxyzäöüßÄÖÜ ,.;:!?\"'„“‚‘«»–-/&%€@=+()[]<>#*_\\|~^`😀你好مرحبا\u200b\u00a0"
exotic = st.characters(exclude_categories=("Cc", "Cs"))
one_line = st.one_of(
    st.text(TYPED, min_size=1, max_size=60), st.text(exotic, min_size=1, max_size=20), st.text(min_size=1, max_size=20)
)
several_lines = st.one_of(
    st.text(TYPED + "\n\r\t", min_size=1, max_size=200),
    st.text(exotic, min_size=1, max_size=40),
    st.text(min_size=1, max_size=40),
)
dates = st.dates(ELECTION, TODAY)
urls = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{path}",
    st.sampled_from(["http", "https", "HTTP", "Https"]),
    st.sampled_from(["www.herne.de", "WAZ.de", "xn--mnchen-3ya.de", "[::1]:8080", "example.org:443"]),
    st.text("abcäöü0123456789-._~%!$&'()*+,;=:@/?#", max_size=40),
)
sources = st.builds(
    SourceInput,
    url=urls,
    title=one_line,
    kind=st.sampled_from(SOURCE_KINDS),
    published_on=st.none() | dates,
)


@st.composite
def changes(draw) -> list[tuple[str, int, StatusChangeInput, bool]]:
    """(code, person, change, corrects the pledge's latest change), in the order they are recorded."""
    drawn = []
    for _ in range(draw(st.integers(1, 6))):
        change = StatusChangeInput(
            status=draw(st.sampled_from(STATUS_KEYS)),
            rationale=draw(several_lines),
            sources=draw(st.lists(sources, min_size=1, max_size=3)),
            effective_date=draw(dates),
        )
        drawn.append((draw(st.sampled_from(CODES)), draw(st.integers(0, 1)), change, draw(st.booleans())))
    return drawn


_slugs = itertools.count(1)


def import_programme(slug: str, text: str, on_removed: str = "refuse") -> None:
    metadata = ProgrammeMetadata(
        slug=slug,
        title="Kommunalwahlprogramm 2025 – „Herne“",
        party="HAK; Herner Alternative",
        municipality="Herne",
        election_date=ELECTION,
        term_start=dt.date(2025, 11, 1),
        term_end=dt.date(2030, 10, 31),
    )
    services.import_programme(text.encode(), metadata, "programm.txt", ADMIN, on_removed, today=TODAY)


def remove_programme(slug: str) -> None:
    """Delete a programme with everything that belongs to it (the tracker itself never deletes history)."""
    with db.session_factory(db.get_engine())() as session, session.begin():
        programme = session.scalar(select(Programme.id).where(Programme.slug == slug))
        for model in (AuditEvent, Evidence, StatusChange, Pledge, Goal, Area):
            session.execute(delete(model).where(model.programme_id == programme))
        session.execute(delete(Programme).where(Programme.id == programme))


def people() -> list[services.Actor]:
    """The two staff accounts (created once per database) as whom the changes are recorded."""
    existing = {account.name for account in services.list_users(ADMIN)}
    for name, display_name in PEOPLE:
        if name not in existing:
            services.add_user(ADMIN, name, "ein langes passwort", "editor", display_name)
    return [services.Actor(name, "editor", "app", display_name) for name, display_name in PEOPLE]


def record(slug: str, actors, drawn, criteria, evidence) -> int:
    """Record what was drawn as people would; returns how many inputs the services refused."""
    refused = 0
    sequences: dict[str, list[int]] = {}
    for code, person, change, corrects in drawn:
        if corrects and sequences.get(code):
            change = StatusChangeInput(**{**change.__dict__, "corrects_sequence": sequences[code][-1]})
        try:
            recorded = services.record_status_change(slug, code, change, actors[person], today=TODAY)
            sequences.setdefault(code, []).append(recorded.sequence)
        except TrackerError:  # refused by the rule (a NUL, a control character ...) or already recorded
            refused += 1
    for code, text in criteria:
        try:
            services.set_success_criterion(slug, code, text, actors[0])
        except TrackerError:
            refused += 1
    for code, source in evidence:
        try:
            services.add_evidence(slug, code, source, actors[1], today=TODAY)
        except TrackerError:
            refused += 1
    return refused


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    drawn=changes(),
    criteria=st.lists(st.tuples(st.sampled_from(CODES), several_lines), max_size=2),
    evidence=st.lists(st.tuples(st.sampled_from(CODES), sources), max_size=2),
    retire=st.booleans(),
)
def test_export_restore_export_is_identical(engine, tmp_path, drawn, criteria, evidence, retire):
    slug = f"programm-{next(_slugs)}"
    import_programme(slug, PROGRAMME)
    refused = record(slug, people(), drawn, criteria, evidence)
    event(f"inputs refused: {min(refused, 3)}{'+' if refused >= 3 else ''}")
    if retire:
        import_programme(slug, REVISED, on_removed="retire")
    first_json, first_csv = services.export_json(slug), services.export_csv(slug)

    path = tmp_path / f"{slug}.json"
    path.write_text(first_json, encoding="utf-8")
    remove_programme(slug)
    restored = services.restore_programme(services.load_export(path), ADMIN, source=path.name)

    assert isinstance(restored, ProgrammeInfo) and restored.slug == slug
    assert services.export_json(slug) == first_json
    assert services.export_csv(slug) == first_csv
