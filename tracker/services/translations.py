"""Translations of a measure's text: staff propose one per measure and language, a second person approves it
(where review is on), and the public pages, the exports, the edition and the feeds show the approved one
beside the German original, which stays the measure's text, verbatim.

The one rule of which translation counts: per measure and language, the latest approved one (by the time it
was approved, or recorded when approved at once; then the later row). ``current_translations`` is that rule as
SQL, so that the search looks in exactly the texts the pages show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import Pledge, PledgeTranslation
from tracker.search import fold
from tracker.services import review
from tracker.services.actor import Actor
from tracker.services.audit_log import record_event
from tracker.services.auth import public_names, require
from tracker.services.errors import InvalidInput
from tracker.services.inputs import check_text, shown
from tracker.services.pledges import find_pledge
from tracker.services.programmes import find_programme
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import LANGUAGES, ReviewState

ORIGINAL_LANGUAGE = "de"  # the language the programmes are written in: never translated into
TRANSLATION_LANGUAGES: tuple[str, ...] = tuple(language for language in LANGUAGES if language != ORIGINAL_LANGUAGE)
MAX_TRANSLATION = 2000  # characters of a translation (the longest line of the Herne programme has 247)


def current_translations(programme_id: int, language: str | None = None, pledge_id: int | None = None) -> Select:
    """The current translations of a programme's measures (of one ``language`` and of one pledge, or of all), as
    rows of ``id, pledge_id, language, text, search_text``: per measure and language the latest approved one."""
    approved = PledgeTranslation.review_state == ReviewState.APPROVED
    rank = (
        func.row_number()
        .over(
            partition_by=(PledgeTranslation.pledge_id, PledgeTranslation.language),
            order_by=(
                func.coalesce(PledgeTranslation.reviewed_at, PledgeTranslation.recorded_at).desc(),
                PledgeTranslation.id.desc(),
            ),
        )
        .label("rank")
    )
    ranked = select(
        PledgeTranslation.id,
        PledgeTranslation.pledge_id,
        PledgeTranslation.language,
        PledgeTranslation.text,
        PledgeTranslation.search_text,
        rank,
    ).where(PledgeTranslation.programme_id == programme_id, approved)
    if language is not None:
        ranked = ranked.where(PledgeTranslation.language == language)
    if pledge_id is not None:
        ranked = ranked.where(PledgeTranslation.pledge_id == pledge_id)
    ranked = ranked.subquery("ranked")
    return select(ranked.c.id, ranked.c.pledge_id, ranked.c.language, ranked.c.text, ranked.c.search_text).where(
        ranked.c.rank == 1
    )


def translations_by_pledge(
    session: Session, programme_id: int, pledge_ids: list[int] | None = None
) -> dict[int, dict[str, str]]:
    """``{pledge id: {language: text}}`` of the current translations (of the given pledges, or of all)."""
    current = current_translations(programme_id).subquery("current")
    stmt = select(current.c.pledge_id, current.c.language, current.c.text).order_by(current.c.language)
    if pledge_ids is not None:
        if not pledge_ids:
            return {}
        stmt = stmt.where(current.c.pledge_id.in_(pledge_ids))
    found: dict[int, dict[str, str]] = {}
    for pledge_id, language, text in session.execute(stmt):
        found.setdefault(pledge_id, {})[language] = text
    return found


# ------------------------------------------------------------------------------------------------ staff


@dataclass(frozen=True)
class TranslationView:
    """One translation as staff see it: proposed, approved, returned (with the reviewer's reason) or withdrawn."""

    id: int
    code: str  # the measure's
    language: str
    text: str
    state: str  # tracker.statuses.ReviewState
    author: str
    recorded_at: dt.datetime
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_note: str | None
    author_account: str | None


@dataclass(frozen=True)
class LanguageTranslations:
    """A measure in one language: the translation the public sees (or None) and those waiting or returned."""

    language: str
    current: TranslationView | None
    open: tuple[TranslationView, ...]  # proposed or returned, newest first


def check_language(language: str) -> str:
    """``language`` if a measure can be translated into it; ``InvalidInput`` on "language" naming those accepted."""
    if language not in TRANSLATION_LANGUAGES:
        raise InvalidInput(
            "language", "unknown_choice", value=shown(language), accepted=", ".join(TRANSLATION_LANGUAGES)
        )
    return language


def propose_translation(programme: str | None, code: str, language: str, text: str, actor: Actor) -> TranslationView:
    """Record a translation of the measure ``code`` into ``language``: proposed where review is on (the public
    sees it once a reviewer who is not its author approved it), else approved at once; audited."""
    with unit_of_work() as session:
        actor = require(session, actor)
        prog = find_programme(session, programme)
        pledge = find_pledge(session, prog, code)
        row = PledgeTranslation(
            programme_id=prog.id,
            pledge_id=pledge.id,
            language=check_language(language),
            text=(checked := check_text(text, "translation", MAX_TRANSLATION, multiline=True)),
            search_text=fold(checked),
            author=actor.signature,
            recorded_at=clock.now_utc(),
            **review.new_review(session, actor),
        )
        session.add(row)
        session.flush()
        record_event(
            session,
            actor,
            "translation.propose",
            prog.id,
            pledge.code,
            {"id": row.id, "language": language, "state": row.review_state},
        )
        return _view(row, pledge.code, public_names(session))


def measure_translations(programme: str | None, code: str, actor: Actor) -> tuple[LanguageTranslations, ...]:
    """For staff, per language a measure can be translated into: the current translation and the open ones."""
    with unit_of_work() as session:
        require(session, actor)
        prog = find_programme(session, programme)
        pledge = find_pledge(session, prog, code)
        rows = session.scalars(
            select(PledgeTranslation).where(PledgeTranslation.pledge_id == pledge.id).order_by(PledgeTranslation.id)
        ).all()
        current = set(session.scalars(select(current_translations(prog.id, pledge_id=pledge.id).subquery().c.id)))
        names = public_names(session)
        return tuple(
            LanguageTranslations(
                language,
                next((_view(r, pledge.code, names) for r in rows if r.id in current and r.language == language), None),
                tuple(
                    _view(r, pledge.code, names)
                    for r in reversed(rows)
                    if r.language == language and r.review_state in (ReviewState.PROPOSED, ReviewState.RETURNED)
                ),
            )
            for language in TRANSLATION_LANGUAGES
        )


def _view(row: PledgeTranslation, code: str, names: dict[str, str]) -> TranslationView:
    return TranslationView(
        row.id,
        code,
        row.language,
        row.text,
        row.review_state,
        names.get(row.author, row.author),
        clock.as_utc(row.recorded_at),
        row.reviewed_by,
        clock.as_utc(row.reviewed_at) if row.reviewed_at else None,
        row.review_note,
        row.author_account,
    )


# ------------------------------------------------------------------------------------------------ review


def _proposal(session: Session, row: PledgeTranslation) -> review.ProposalView:
    """A translation as the staff page "Zu prüfen" shows it, beside the translation the public sees now."""
    pledge = session.get(Pledge, row.pledge_id)
    public = session.scalar(
        select(current_translations(row.programme_id, row.language, row.pledge_id).subquery().c.text)
    )
    return review.ProposalView(
        kind="translation",
        id=row.id,
        pledge=pledge.code,
        summary=f"translation into {row.language}: {shown(row.text)}",
        author=public_names(session).get(row.author, row.author),
        **review.review_columns(row),
        value=row.language,
        text=row.text,
        public_value=row.language if public is not None else "",
        public_text=public or "",
        pledge_text=pledge.text,
    )


def _approve(session: Session, row: PledgeTranslation, actor: Actor) -> dict:
    """Approving a translation needs nothing more: from now on it is the current one (``current_translations``)."""
    return {"language": row.language}


review.register(review.ReviewKind("translation", PledgeTranslation, "t", _proposal, _approve))
