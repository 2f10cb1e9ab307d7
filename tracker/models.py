"""SQLAlchemy 2 typed ORM: programme, area, goal, pledge, status change (append-only), evidence.

Every table except programme carries ``programme_id`` so that every query can be scoped by
programme with one indexed condition. ``pledge.current_status`` and ``pledge.status_date`` are a
materialisation of the history, maintained by ``tracker.services`` in the same transaction as each
status change; ``pledge.version`` is the optimistic lock that keeps two concurrent changes from
silently overwriting each other.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tracker.statuses import BROKEN_REASONS, REVIEW_STATES, ROLES, SOURCE_KINDS, STATUS_KEYS, TIP_STATES

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Reviewed:
    """The review columns of a row that a second person approves before the public sees it
    (``tracker.statuses.ReviewState``). Rows recorded before review existed, or with review off, are approved
    without a reviewer. ``author_account`` is the login name of who proposed it (None for the CLI operator),
    so that nobody approves their own proposal; the public sees display names only."""

    review_state: Mapped[str] = mapped_column(String(20), default="approved", server_default="approved")
    author_account: Mapped[str | None] = mapped_column(String(100))
    reviewed_by: Mapped[str | None] = mapped_column(String(200))  # the reviewer's public signature
    reviewer_account: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    review_note: Mapped[str | None] = mapped_column(Text)  # why it was returned (or a note on approval)


class Programme(Base):
    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    # The title line as printed at the top of the text, and the lines between it and the first area.
    printed_title: Mapped[str] = mapped_column(String(500), default="")
    preamble: Mapped[str] = mapped_column(Text, default="")
    party: Mapped[str] = mapped_column(String(200))
    municipality: Mapped[str] = mapped_column(String(200))
    election_date: Mapped[dt.date] = mapped_column(Date)
    term_start: Mapped[dt.date] = mapped_column(Date)
    term_end: Mapped[dt.date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(10), default="de")
    source_name: Mapped[str] = mapped_column(String(300), default="")
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    is_demo: Mapped[bool] = mapped_column(default=False)

    areas: Mapped[list[Area]] = relationship(
        back_populates="programme", order_by="Area.number", cascade="all, delete-orphan"
    )


class Area(Base):
    __tablename__ = "area"
    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    short_title: Mapped[str] = mapped_column(String(200))
    why_important: Mapped[str | None] = mapped_column(Text)
    focus: Mapped[str | None] = mapped_column(Text)

    programme: Mapped[Programme] = relationship(back_populates="areas")
    goals: Mapped[list[Goal]] = relationship(back_populates="area", order_by="Goal.position")


class Goal(Base):
    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    objective: Mapped[str | None] = mapped_column(Text)
    group_title: Mapped[str | None] = mapped_column(String(300))

    area: Mapped[Area] = relationship(back_populates="goals")


class Pledge(Base):
    __tablename__ = "pledge"
    __table_args__ = (
        UniqueConstraint("programme_id", "code"),
        CheckConstraint(_in("current_status", STATUS_KEYS), name="current_status_known"),
        Index("ix_pledge_programme_area_status", "programme_id", "area_id", "current_status"),
        Index("ix_pledge_programme_position", "programme_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # tracker.search.fold of code, text and goal title: what the public search looks in.
    search_text: Mapped[str] = mapped_column(Text, default="")
    success_criterion: Mapped[str | None] = mapped_column(Text)
    # Set when a revised programme text no longer contains the pledge but its history was kept.
    retired_on: Mapped[dt.date | None] = mapped_column(Date)
    current_status: Mapped[str] = mapped_column(String(20), default="not_rated")
    status_date: Mapped[dt.date | None] = mapped_column(Date)
    # Raised by one with every status change, in an UPDATE conditional on the version read before
    # (optimistic locking): a second writer who read the same version gets a conflict, not a silent win.
    version: Mapped[int] = mapped_column(Integer, default=0)
    # A deadline the programme names for this measure ("bis 2030"), None where it names none.
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    # False once an approved flag says the measure is too vague to check (``Checkability``): counted apart.
    checkable: Mapped[bool] = mapped_column(default=True, server_default=true())

    area: Mapped[Area] = relationship()
    goal: Mapped[Goal | None] = relationship()
    # The public history: approved changes only. Proposals, returned and withdrawn changes are in ``proposals``.
    changes: Mapped[list[StatusChange]] = relationship(
        primaryjoin="and_(Pledge.id == StatusChange.pledge_id, StatusChange.review_state == 'approved')",
        order_by="StatusChange.sequence",
        viewonly=True,
    )
    proposals: Mapped[list[StatusChange]] = relationship(
        primaryjoin="and_(Pledge.id == StatusChange.pledge_id, StatusChange.review_state != 'approved')",
        order_by="StatusChange.id",
        viewonly=True,
    )

    def current_change(self, *extra: StatusChange) -> StatusChange | None:
        """The change that sets the current status (among the history and ``extra`` not yet added)."""
        return max([*self.changes, *extra], key=precedence, default=None)

    def history(self) -> list[StatusChange]:
        """Every change, the one that counts first (newest effective date, then latest recorded)."""
        return sorted(self.changes, key=precedence, reverse=True)


class StatusChange(Reviewed, Base):
    """One dated rating of a pledge. Rows are only ever inserted, never deleted; what a rating says is never
    updated, only its review (``Reviewed``) moves once from proposed to approved, returned or withdrawn.
    An approved change gets its ``sequence`` (1, 2, 3 ... per pledge, the number the public sees) when it is
    approved; a proposal has none."""

    __tablename__ = "status_change"
    __table_args__ = (
        UniqueConstraint("pledge_id", "sequence"),
        CheckConstraint(_in("status", STATUS_KEYS), name="status_known"),
        CheckConstraint(_in("review_state", REVIEW_STATES), name="review_state_known"),
        CheckConstraint("broken_reason IS NULL OR " + _in("broken_reason", BROKEN_REASONS), name="broken_reason_known"),
        CheckConstraint("review_state != 'approved' OR sequence IS NOT NULL", name="approved_numbered"),
        Index("ix_status_change_programme_review", "programme_id", "review_state"),
        Index("ix_status_change_programme_effective", "programme_id", "effective_date"),
        Index("ix_status_change_programme_recorded", "programme_id", "recorded_at"),
        # a correction finds what it corrects, and deleting a programme finds the corrections, by this index
        Index("ix_status_change_corrects", "corrects_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"))
    # 1, 2, 3 ... per pledge among approved changes (None for a proposal); the unique constraint makes a
    # concurrent second insert fail loudly.
    sequence: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    effective_date: Mapped[dt.date] = mapped_column(Date)
    rationale: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("status_change.id"))
    # Why a ``broken`` pledge was broken (``tracker.statuses.BrokenReason``; with ``other``, the text says it).
    broken_reason: Mapped[str | None] = mapped_column(String(30))
    broken_reason_text: Mapped[str | None] = mapped_column(Text)
    # The returned proposal this one was edited from (its author proposing anew), if any.
    revises_id: Mapped[int | None] = mapped_column(ForeignKey("status_change.id"))

    pledge: Mapped[Pledge] = relationship()
    corrects: Mapped[StatusChange | None] = relationship(remote_side=[id], foreign_keys=[corrects_id])
    sources: Mapped[list[Evidence]] = relationship(back_populates="status_change", order_by="Evidence.id")


def precedence(change):
    """The current-status rule: the latest change by effective date, then by recording order (sequence).

    On a change this is the key to sort by; on the class it is the SQL ordering
    (``order_by=precedence(StatusChange)``), so Python and SQL follow the same rule.
    """
    return (change.effective_date, change.sequence)


class Evidence(Base):
    """A source: attached to a status change, or added to a pledge on its own."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(_in("kind", SOURCE_KINDS), name="kind_known"),
        CheckConstraint("url LIKE 'http://%' OR url LIKE 'https://%'", name="url_http"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    status_change_id: Mapped[int | None] = mapped_column(ForeignKey("status_change.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    pledge: Mapped[Pledge] = relationship()
    status_change: Mapped[StatusChange | None] = relationship(back_populates="sources")


class Checkability(Reviewed, Base):
    """A flag that a measure is too vague to check ("nicht überprüfbar"), or that it is checkable again, with
    the reason. Reviewed like a status change; the latest approved flag sets ``Pledge.checkable``."""

    __tablename__ = "checkability"
    __table_args__ = (CheckConstraint(_in("review_state", REVIEW_STATES), name="review_state_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    checkable: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    pledge: Mapped[Pledge] = relationship()


class PledgeTranslation(Reviewed, Base):
    """A translation of a measure's text into one language, made by staff and reviewed like a status change.
    The German text stays the original; the latest approved translation per language is the one shown."""

    __tablename__ = "pledge_translation"
    __table_args__ = (
        CheckConstraint(_in("review_state", REVIEW_STATES), name="review_state_known"),
        Index("ix_pledge_translation_pledge_language", "pledge_id", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    # tracker.search.fold of the text: what a search in this language also looks in.
    search_text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    pledge: Mapped[Pledge] = relationship()


class RatingRound(Base):
    """A double-rating round: a sample of measures that two staff members rate blind, one independently of the
    other and of the public rating; their agreement (share of identical ratings, Cohen's kappa) is published."""

    __tablename__ = "rating_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    sampling: Mapped[str] = mapped_column(String(20))  # "random" or "stratified" (by area)
    sample_size: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)  # the sample can be drawn again from it
    rater_a: Mapped[str] = mapped_column(String(100))  # account names
    rater_b: Mapped[str] = mapped_column(String(100))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # How the disagreements were settled, published on the method page.
    settlement_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    items: Mapped[list[RoundItem]] = relationship(back_populates="round", order_by="RoundItem.id")


class RoundItem(Base):
    """One measure of a round's sample, each rater's blind rating of it, and how a disagreement was settled."""

    __tablename__ = "round_item"
    __table_args__ = (
        UniqueConstraint("round_id", "pledge_id"),
        CheckConstraint("rating_a IS NULL OR " + _in("rating_a", STATUS_KEYS), name="rating_a_known"),
        CheckConstraint("rating_b IS NULL OR " + _in("rating_b", STATUS_KEYS), name="rating_b_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rating_round.id", ondelete="CASCADE"), index=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    rating_a: Mapped[str | None] = mapped_column(String(20))
    rated_a_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    rating_b: Mapped[str | None] = mapped_column(String(20))
    rated_b_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # A disagreement settled by a third person: the proposed change that carries the settled rating.
    settled_change_id: Mapped[int | None] = mapped_column(ForeignKey("status_change.id"))
    settled_by: Mapped[str | None] = mapped_column(String(200))

    round: Mapped[RatingRound] = relationship(back_populates="items")
    pledge: Mapped[Pledge] = relationship()


class Tip(Base):
    """A hint from the public about a measure. Its e-mail address (for a reply) is never shown publicly and is
    deleted when the tip is closed. ``sender`` is a key of the client address (``sign_in.address_key``), kept
    for the rate limit only."""

    __tablename__ = "tip"
    __table_args__ = (
        CheckConstraint(_in("state", TIP_STATES), name="state_known"),
        Index("ix_tip_programme_state", "programme_id", "state"),
        Index("ix_tip_sender_submitted", "sender", "submitted_at"),
        Index("ix_tip_session_submitted", "session_key", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(2000))
    email: Mapped[str | None] = mapped_column(String(320))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sender: Mapped[str] = mapped_column(String(100))
    session_key: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    close_reason: Mapped[str | None] = mapped_column(Text)
    # What an accepted tip became: a source of the measure, or a proposed status change.
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))
    status_change_id: Mapped[int | None] = mapped_column(ForeignKey("status_change.id", ondelete="SET NULL"))

    pledge: Mapped[Pledge] = relationship()


class User(Base):
    """A local staff account. Passwords are stored only as argon2id hashes."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # The person's full name, shown publicly on what they record (the login name never is); "" = unset.
    display_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    disabled: Mapped[bool] = mapped_column(default=False)
    # Sign-ins since the last successful one, counted before the password is checked (so: failed or still
    # running); the fifth sets ``locked_until`` and starts the count again (``tracker.services.sign_in``).
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SignInAddress(Base):
    """Sign-in attempts from one client address (an IPv6 address by its /64 network) in the current window.

    Counted before the password is checked and given back when it was right, so ``attempts`` is the number
    of failed (or still running) sign-ins since ``window_start``; a row whose window has passed is deleted.
    """

    __tablename__ = "sign_in_address"

    address: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer)


class StaffSession(Base):
    """A signed-in browser: the cookie holds a random token, the table only its SHA-256 (``id``).

    A session ends when it is revoked (sign-out, password change, account disabled), after
    ``IDLE_TIMEOUT`` without a request, or at ``expires_at`` (``MAX_AGE`` after sign-in).
    """

    __tablename__ = "staff_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class AuditEvent(Base):
    """One write: who did what, when, to which pledge. Rows are only ever inserted."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_at", "at"),
        Index("ix_audit_event_actor_at", "actor", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    pledge_code: Mapped[str | None] = mapped_column(String(40), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")  # JSON: what changed
