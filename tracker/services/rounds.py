"""Double-rating rounds: how often two raters, rating blind, give a measure the same status.

An admin draws a sample of the current measures (at random, or stratified by area with proportional
allocation; the seed is stored, so the same sample can be drawn again) and names two raters, two different
enabled accounts. Each rater rates every measure of the sample blind: their view (``rater_view``) holds the
measure, its goal, area, success criterion and the sources added without a status change, but neither the other
rater's rating nor the public status or history. A rating is final once given (so neither rater can adjust to
the other); nobody sees any rating of the round before both raters have rated every measure.

Then ``round_result`` gives the share of identical ratings and Cohen's kappa, overall and per area
(``tracker.agreement``), and the disagreements. A third person (a reviewer or an admin, neither rater) settles
each disagreement by recording a status change, a normal one, proposed for review when review is on; the item
points to it. An admin closes the round with a note on how the disagreements were settled; the method page
publishes every closed round (``closed_rounds``), without the raters' names.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker import clock
from tracker.agreement import Agreement, agreement
from tracker.models import Area, Evidence, Pledge, Programme, RatingRound, RoundItem, StatusChange, User
from tracker.services.audit_log import record_event
from tracker.services.auth import Actor, public_names, require
from tracker.services.browse import SourceView, _source
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied
from tracker.services.inputs import StatusChangeInput, check_status, check_text, shown
from tracker.services.programmes import find_programme
from tracker.services.status_changes import BulkItem, RecordedChange, append_changes, validate_change
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import ReviewState, Role

RANDOM, STRATIFIED = "random", "stratified"
MAX_SEED = 2**31 - 1  # RatingRound.seed is a 32-bit integer
MAX_NOTE = 5000
SETTLING_STATES = (ReviewState.PROPOSED, ReviewState.APPROVED)


@dataclass(frozen=True)
class RoundSummary:
    """A round as staff see it in a list: never anyone's ratings, only how far each rater has come."""

    id: int
    created_at: dt.datetime
    created_by: str
    sampling: str  # RANDOM or STRATIFIED
    sample_size: int
    seed: int
    rater_a: str  # account names (staff only; the public never sees them)
    rater_b: str
    rated_a: int  # how many measures each rater has rated
    rated_b: int
    closed_at: dt.datetime | None
    settlement_note: str

    @property
    def complete(self) -> bool:
        """Both raters have rated every measure of the sample."""
        return self.rated_a == self.sample_size and self.rated_b == self.sample_size

    @property
    def state(self) -> str:
        """ "rating" (ratings missing), "settling" (both complete, not closed) or "closed"."""
        if self.closed_at is not None:
            return "closed"
        return "settling" if self.complete else "rating"

    def is_rater(self, name: str) -> bool:
        return name in (self.rater_a, self.rater_b)


@dataclass(frozen=True)
class BlindItem:
    """One measure as a rater sees it: what the programme says and the free sources, never any rating but
    the rater's own."""

    code: str
    text: str
    area_number: int
    area_title: str
    goal_number: str | None
    goal_title: str | None
    success_criterion: str | None
    sources: tuple[SourceView, ...]  # sources added to the measure without a status change, newest first
    own_rating: str | None
    rated_at: dt.datetime | None


@dataclass(frozen=True)
class RaterView:
    round: RoundSummary
    rater: str
    items: tuple[BlindItem, ...]  # programme order

    @property
    def open(self) -> tuple[BlindItem, ...]:
        return tuple(item for item in self.items if item.own_rating is None)


@dataclass(frozen=True)
class AreaAgreement:
    number: int
    title: str
    agreement: Agreement


@dataclass(frozen=True)
class Disagreement:
    code: str
    text: str
    area_number: int
    rating_a: str
    rating_b: str
    settled_status: str | None  # the status of the change that settled it, once settled
    settled_by: str | None
    settled_state: str | None  # that change's review state (proposed, approved, ...)

    @property
    def settled(self) -> bool:
        """Settled by a change that is approved or waits for review; one returned or withdrawn settles nothing,
        and the disagreement can be settled again."""
        return self.settled_state in SETTLING_STATES


@dataclass(frozen=True)
class RoundResult:
    """A round's agreement once both raters are done (before that: no figures, no ratings)."""

    round: RoundSummary
    codes: tuple[str, ...]  # the sample, in programme order
    overall: Agreement | None
    areas: tuple[AreaAgreement, ...]
    disagreements: tuple[Disagreement, ...]

    @property
    def unsettled(self) -> tuple[Disagreement, ...]:
        return tuple(d for d in self.disagreements if not d.settled)


@dataclass(frozen=True)
class PublishedRound:
    """A closed round as the method page publishes it: no names, no single measure."""

    id: int
    closed_at: dt.datetime
    sampling: str
    sample_size: int
    overall: Agreement
    areas: tuple[AreaAgreement, ...]
    disagreements: int
    settled: int
    settlement_note: str


# --- drawing the sample -------------------------------------------------------------------------------------


def draw_sample(candidates: Sequence[tuple[str, int]], size: int, stratified: bool, seed: int) -> list[str]:
    """The codes of a sample of ``size`` among ``candidates`` ((code, area number) in programme order), in
    programme order; the same candidates, size, kind and seed always give the same sample.

    Stratified: each area gets its proportional share of the sample, size × (its measures / all measures),
    rounded by the largest remainder (Hamilton's method; ties to the lower area number), so that the shares
    add up to ``size``; then that many measures are drawn at random within each area."""
    rng = random.Random(seed)
    order = {code: index for index, (code, _) in enumerate(candidates)}
    if not stratified:
        chosen = rng.sample([code for code, _ in candidates], size)
    else:
        by_area: dict[int, list[str]] = defaultdict(list)
        for code, area in candidates:
            by_area[area].append(code)
        quotas = proportional_quotas({area: len(codes) for area, codes in by_area.items()}, size)
        chosen = [code for area in sorted(by_area) for code in rng.sample(by_area[area], quotas[area])]
    return sorted(chosen, key=order.__getitem__)


def proportional_quotas(counts: dict[int, int], size: int) -> dict[int, int]:
    """``size`` split over the strata in proportion to their ``counts`` (largest remainder method)."""
    total = sum(counts.values())
    exact = {stratum: size * count / total for stratum, count in counts.items()}
    quotas = {stratum: int(share) for stratum, share in exact.items()}
    left = size - sum(quotas.values())
    by_remainder = sorted(counts, key=lambda stratum: (-(exact[stratum] - quotas[stratum]), stratum))
    for stratum in by_remainder[:left]:
        quotas[stratum] += 1
    return quotas


def _candidates(session: Session, programme: Programme) -> list[tuple[str, int]]:
    """The measures a round samples from: current (not retired) and checkable, in programme order."""
    rows = session.execute(
        select(Pledge.code, Area.number)
        .join(Area, Area.id == Pledge.area_id)
        .where(Pledge.programme_id == programme.id, Pledge.retired_on.is_(None), Pledge.checkable.is_(True))
        .order_by(Pledge.position)
    )
    return [(code, number) for code, number in rows]


# --- use cases ----------------------------------------------------------------------------------------------


def create_round(
    programme: str | None,
    size: int,
    raters: tuple[str, str],
    actor: Actor,
    *,
    stratified: bool = False,
    seed: int | None = None,
) -> RoundSummary:
    """Draw a sample of ``size`` current measures and assign it to two raters (admins only)."""
    with unit_of_work() as session:
        actor = require(session, actor, Role.ADMIN)
        prog = find_programme(session, programme)
        rater_a, rater_b = (_check_rater(session, name) for name in raters)
        if rater_a == rater_b:
            raise InvalidInput("raters", "raters_same", name=rater_a)
        candidates = _candidates(session, prog)
        if not 2 <= size <= len(candidates):
            raise InvalidInput("size", "out_of_range", value=size, min=2, max=len(candidates))
        if seed is None:
            seed = secrets.randbelow(MAX_SEED + 1)
        elif not 0 <= seed <= MAX_SEED:
            raise InvalidInput("seed", "out_of_range", value=seed, min=0, max=MAX_SEED)
        codes = draw_sample(candidates, size, stratified, seed)
        ids = {
            code: pledge_id
            for code, pledge_id in session.execute(
                select(Pledge.code, Pledge.id).where(Pledge.programme_id == prog.id, Pledge.code.in_(codes))
            )
        }
        new = RatingRound(
            programme_id=prog.id,
            created_at=clock.now_utc(),
            created_by=actor.signature,
            sampling=STRATIFIED if stratified else RANDOM,
            sample_size=size,
            seed=seed,
            rater_a=rater_a,
            rater_b=rater_b,
            items=[RoundItem(pledge_id=ids[code]) for code in codes],
        )
        session.add(new)
        session.flush()
        record_event(
            session,
            actor,
            "round.create",
            prog.id,
            detail={
                "round": new.id,
                "size": size,
                "sampling": new.sampling,
                "seed": seed,
                "raters": [rater_a, rater_b],
            },
        )
        return _summary(new)


def list_rounds(programme: str | None, actor: Actor) -> list[RoundSummary]:
    """Every round of the programme, newest first (staff only)."""
    with unit_of_work() as session:
        require(session, actor)
        prog = find_programme(session, programme)
        rounds = session.scalars(
            select(RatingRound)
            .where(RatingRound.programme_id == prog.id)
            .order_by(RatingRound.id.desc())
            .options(selectinload(RatingRound.items))
        )
        return [_summary(r) for r in rounds]


def rater_view(programme: str | None, round_id: int, actor: Actor) -> RaterView:
    """The round's measures as ``actor``, one of its two raters, sees them: blind (see ``BlindItem``)."""
    with unit_of_work() as session:
        actor = require(session, actor)
        prog = find_programme(session, programme)
        found = _find_round(session, prog, round_id)
        side = _side(found, actor)
        items = session.scalars(
            select(RoundItem)
            .where(RoundItem.round_id == found.id)
            .options(selectinload(RoundItem.pledge).selectinload(Pledge.area))
            .options(selectinload(RoundItem.pledge).selectinload(Pledge.goal))
        ).all()
        free = _free_sources(session, [item.pledge_id for item in items])
        names = public_names(session)
        blind = [
            BlindItem(
                code=item.pledge.code,
                text=item.pledge.text,
                area_number=item.pledge.area.number,
                area_title=item.pledge.area.short_title,
                goal_number=item.pledge.goal.number if item.pledge.goal else None,
                goal_title=item.pledge.goal.title if item.pledge.goal else None,
                success_criterion=item.pledge.success_criterion,
                sources=tuple(_source(e, names) for e in free.get(item.pledge_id, ())),
                own_rating=getattr(item, f"rating_{side}"),
                rated_at=_utc(getattr(item, f"rated_{side}_at")),
            )
            for item in sorted(items, key=lambda i: i.pledge.position)
        ]
        return RaterView(_summary(found), actor.name, tuple(blind))


def rate_items(programme: str | None, round_id: int, ratings: dict[str, str], actor: Actor) -> RoundSummary:
    """Record ``actor``'s ratings (code -> status) in the round, all or none. A rating is final once given:
    a measure the rater has rated already is refused, and so is a closed round."""
    with unit_of_work() as session:
        actor = require(session, actor)
        prog = find_programme(session, programme)
        found = _find_round(session, prog, round_id)
        side = _side(found, actor)
        if found.closed_at is not None:
            raise InvalidInput("round", "round_closed", round=found.id)
        if not ratings:
            raise InvalidInput("status", "empty")
        items = _items_by_code(session, found)
        now = clock.now_utc()
        rated = {}
        for code, status in ratings.items():
            item = _item(found, items, code)
            key = check_status(status)
            if getattr(item, f"rating_{side}") is not None:
                raise InvalidInput("status", "rating_final", pledge=item.pledge.code, round=found.id)
            setattr(item, f"rating_{side}", key)
            setattr(item, f"rated_{side}_at", now)
            rated[item.pledge.code] = key
        # Only the count goes into the audit trail while the round is open: the trail is read by admins,
        # and the ratings stay unseen until both raters are done.
        record_event(session, actor, "round.rate", prog.id, detail={"round": found.id, "rated": len(rated)})
        return _summary(found)


def round_result(programme: str | None, round_id: int, actor: Actor) -> RoundResult:
    """The round's agreement, overall and per area, and its disagreements (staff only). Until both raters have
    rated every measure there are no figures and no ratings: ``overall`` is None."""
    with unit_of_work() as session:
        require(session, actor)
        prog = find_programme(session, programme)
        found = _find_round(session, prog, round_id)
        return _result(session, found)


def settle_disagreement(
    programme: str | None,
    round_id: int,
    code: str,
    change: StatusChangeInput,
    actor: Actor,
    today: dt.date | None = None,
) -> RecordedChange:
    """Settle a disagreement of a complete round: a third person (a reviewer or an admin, neither of the two
    raters) records the status the measure gets, with a rationale and sources, as a normal status change (a
    proposal when review is on); the round's item points to it."""
    today = today or clock.today()
    with unit_of_work() as session:
        actor = require(session, actor)
        prog = find_programme(session, programme)
        found = _find_round(session, prog, round_id)
        if actor.name in (found.rater_a, found.rater_b):
            raise PermissionDenied("rater_cannot_settle", round=found.id)
        actor = require(session, actor, Role.REVIEWER)
        if found.closed_at is not None:
            raise InvalidInput("round", "round_closed", round=found.id)
        _require_complete(found)
        item = _item(found, _items_by_code(session, found), code)
        if item.rating_a == item.rating_b:
            raise InvalidInput("code", "no_disagreement", pledge=item.pledge.code, round=found.id, status=item.rating_a)
        if _settles(session.get(StatusChange, item.settled_change_id) if item.settled_change_id else None):
            raise InvalidInput("code", "already_settled", pledge=item.pledge.code, round=found.id, by=item.settled_by)
        valid = validate_change(prog, change, today)
        [recorded] = append_changes(session, prog, [BulkItem(item.pledge.code, change)], [valid], actor)
        item.settled_change_id = recorded.change_id
        item.settled_by = actor.signature
        record_event(
            session,
            actor,
            "round.settle",
            prog.id,
            item.pledge.code,
            {"round": found.id, "status": valid.status, "ratings": [item.rating_a, item.rating_b]},
        )
        return recorded


def close_round(programme: str | None, round_id: int, note: str, actor: Actor) -> RoundSummary:
    """Close a complete round whose disagreements are all settled, with a note on how they were settled (admins
    only); from then on the method page publishes it."""
    with unit_of_work() as session:
        actor = require(session, actor, Role.ADMIN)
        prog = find_programme(session, programme)
        found = _find_round(session, prog, round_id)
        if found.closed_at is not None:
            raise InvalidInput("round", "round_closed", round=found.id)
        _require_complete(found)
        result = _result(session, found)
        if result.unsettled:
            codes = ", ".join(d.code for d in result.unsettled)
            raise InvalidInput("round", "unsettled", round=found.id, count=len(result.unsettled), codes=codes)
        if result.disagreements or (note or "").strip():
            note = check_text(note, "note", MAX_NOTE, multiline=True)
        found.settlement_note = note or ""
        found.closed_at = clock.now_utc()
        record_event(session, actor, "round.close", prog.id, detail={"round": found.id})
        return _summary(found)


def closed_rounds(programme: str | None) -> tuple[PublishedRound, ...]:
    """Every closed round of the programme, newest first, as the method page publishes it (public)."""
    with unit_of_work() as session:
        return published_rounds(session, find_programme(session, programme))


def published_rounds(session: Session, programme: Programme) -> tuple[PublishedRound, ...]:
    """``closed_rounds`` in the caller's unit of work (the published edition reads them with the rest)."""
    rounds = session.scalars(
        select(RatingRound)
        .where(RatingRound.programme_id == programme.id, RatingRound.closed_at.is_not(None))
        .order_by(RatingRound.closed_at.desc(), RatingRound.id.desc())
        .options(selectinload(RatingRound.items))
    ).all()
    published = []
    for found in rounds:
        result = _result(session, found)
        published.append(
            PublishedRound(
                id=found.id,
                closed_at=clock.as_utc(found.closed_at),
                sampling=found.sampling,
                sample_size=found.sample_size,
                overall=result.overall,
                areas=result.areas,
                disagreements=len(result.disagreements),
                settled=len(result.disagreements) - len(result.unsettled),
                settlement_note=found.settlement_note,
            )
        )
    return tuple(published)


# --- helpers ------------------------------------------------------------------------------------------------


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return clock.as_utc(value) if value is not None else None


def _summary(found: RatingRound) -> RoundSummary:
    return RoundSummary(
        id=found.id,
        created_at=clock.as_utc(found.created_at),
        created_by=found.created_by,
        sampling=found.sampling,
        sample_size=found.sample_size,
        seed=found.seed,
        rater_a=found.rater_a,
        rater_b=found.rater_b,
        rated_a=sum(1 for i in found.items if i.rating_a is not None),
        rated_b=sum(1 for i in found.items if i.rating_b is not None),
        closed_at=_utc(found.closed_at),
        settlement_note=found.settlement_note,
    )


def _check_rater(session: Session, name: str) -> str:
    """An existing, enabled account's name, for a rater."""
    name = (name or "").strip()
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise InvalidInput("raters", "rater_unknown", name=shown(name))
    if user.disabled:
        raise InvalidInput("raters", "rater_disabled", name=name)
    return user.name


def _find_round(session: Session, programme: Programme, round_id: int) -> RatingRound:
    found = session.scalar(
        select(RatingRound)
        .where(RatingRound.programme_id == programme.id, RatingRound.id == round_id)
        .options(selectinload(RatingRound.items))
    )
    if found is None:
        known = session.scalars(
            select(RatingRound.id).where(RatingRound.programme_id == programme.id).order_by(RatingRound.id)
        ).all()
        raise NotFound(
            "no_round", round=shown(round_id), programme=programme.slug, known=", ".join(map(str, known)) or "none"
        )
    return found


def _side(found: RatingRound, actor: Actor) -> str:
    """ "a" or "b": which of the round's raters ``actor`` is; anyone else is refused."""
    if not actor.is_operator and actor.channel != "sso":
        if actor.name == found.rater_a:
            return "a"
        if actor.name == found.rater_b:
            return "b"
    raise PermissionDenied("not_a_rater", round=found.id, name=actor.name)


def _items_by_code(session: Session, found: RatingRound) -> dict[str, RoundItem]:
    rows = session.execute(
        select(Pledge.code, RoundItem)
        .join(Pledge, Pledge.id == RoundItem.pledge_id)
        .where(RoundItem.round_id == found.id)
    )
    return {code: item for code, item in rows}


def _item(found: RatingRound, items: dict[str, RoundItem], code: str) -> RoundItem:
    item = items.get((code or "").strip())
    if item is None:
        raise InvalidInput("code", "not_in_round", pledge=shown(code), round=found.id, known=", ".join(items))
    return item


def _require_complete(found: RatingRound) -> None:
    missing = sum((i.rating_a is None) + (i.rating_b is None) for i in found.items)
    if missing:
        raise InvalidInput("round", "round_incomplete", round=found.id, missing=missing)


def _free_sources(session: Session, pledge_ids: list[int]) -> dict[int, list[Evidence]]:
    """The sources of these measures added without a status change, newest first."""
    found: dict[int, list[Evidence]] = defaultdict(list)
    rows = session.scalars(
        select(Evidence)
        .where(Evidence.pledge_id.in_(pledge_ids), Evidence.status_change_id.is_(None))
        .order_by(Evidence.added_at.desc(), Evidence.id.desc())
    )
    for evidence in rows:
        found[evidence.pledge_id].append(evidence)
    return found


def _result(session: Session, found: RatingRound) -> RoundResult:
    summary = _summary(found)
    rows = session.execute(
        select(RoundItem, Pledge.code, Pledge.text, Pledge.position, Area.number, Area.short_title)
        .join(Pledge, Pledge.id == RoundItem.pledge_id)
        .join(Area, Area.id == Pledge.area_id)
        .where(RoundItem.round_id == found.id)
        .order_by(Pledge.position)
    ).all()
    codes = tuple(row[1] for row in rows)
    if not summary.complete:
        return RoundResult(summary, codes, None, (), ())
    settled = _settling_changes(session, [row[0].settled_change_id for row in rows if row[0].settled_change_id])
    per_area: dict[int, list[tuple[str, str]]] = defaultdict(list)
    titles: dict[int, str] = {}
    disagreements = []
    for item, code, text, _position, number, title in rows:
        per_area[number].append((item.rating_a, item.rating_b))
        titles[number] = title
        if item.rating_a != item.rating_b:
            change = settled.get(item.settled_change_id)
            disagreements.append(
                Disagreement(
                    code,
                    text,
                    number,
                    item.rating_a,
                    item.rating_b,
                    change.status if change else None,
                    item.settled_by if change else None,
                    change.review_state if change else None,
                )
            )
    overall = agreement((item.rating_a, item.rating_b) for item, *_ in rows)
    areas = tuple(AreaAgreement(n, titles[n], agreement(per_area[n])) for n in sorted(per_area))
    return RoundResult(summary, codes, overall, areas, tuple(disagreements))


def _settles(change: StatusChange | None) -> bool:
    return change is not None and change.review_state in SETTLING_STATES


def _settling_changes(session: Session, ids: list[int]) -> dict[int, StatusChange]:
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(StatusChange).where(StatusChange.id.in_(ids)))}
