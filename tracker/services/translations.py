"""Translations of a measure's text: staff propose one per measure and language, a second person approves it
(where review is on), and the public pages, the exports, the edition and the feeds show the approved one
beside the German original, which stays the measure's text, verbatim.

The one rule of which translation counts: per measure and language, the latest approved one (by the time it
was approved, or recorded when approved at once; then the later row). ``current_translations`` is that rule as
SQL, so that the search looks in exactly the texts the pages show.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tracker.models import PledgeTranslation
from tracker.statuses import LANGUAGES, ReviewState

ORIGINAL_LANGUAGE = "de"  # the language the programmes are written in: never translated into
TRANSLATION_LANGUAGES: tuple[str, ...] = tuple(language for language in LANGUAGES if language != ORIGINAL_LANGUAGE)
MAX_TRANSLATION = 2000  # characters of a translation (the longest measure of the Herne programme has 400)


def current_translations(programme_id: int, language: str | None = None) -> Select:
    """The current translations of a programme's measures (of one ``language``, or of every one), as rows of
    ``pledge_id, language, text, search_text``: per measure and language the latest approved one."""
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
        PledgeTranslation.pledge_id,
        PledgeTranslation.language,
        PledgeTranslation.text,
        PledgeTranslation.search_text,
        rank,
    ).where(PledgeTranslation.programme_id == programme_id, approved)
    if language is not None:
        ranked = ranked.where(PledgeTranslation.language == language)
    ranked = ranked.subquery("ranked")
    return select(ranked.c.pledge_id, ranked.c.language, ranked.c.text, ranked.c.search_text).where(ranked.c.rank == 1)


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
