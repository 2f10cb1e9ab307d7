"""Zu prüfen: review by a second person. Reviewers and admins see every open proposal (of every kind the
services register) beside what the public sees now, and approve it or return it with a reason; the proposals
of one import or bulk save can be approved together. Everyone on the team sees their own proposals, and
those returned to them with the reason, and proposes anew or withdraws."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, change_form, components, editing
from dashboard.drafts import Draft
from dashboard.errors import show_error
from dashboard.i18n import _, format_date, format_datetime, ngettext
from dashboard.statuses import source_kind_label
from dashboard.text import excerpt, link, plain
from tracker import services

DONE_KEY = "review_done"  # the message of the last decision, shown once after the rerun


def review_page() -> None:
    actor, programme = auth.staff_page()
    st.title(_("To review"))
    mode = services.review_mode_now()
    if not mode.on:
        st.info(_("Review by a second person is off: what the team records is public at once."), icon=":material/info:")
    if done := st.session_state.pop(DONE_KEY, None):
        st.success(done, icon=":material/check:")
    if actor.may_review:
        waiting = [p for p in services.list_proposals(programme.slug, actor) if not own(p, actor)]
        st.subheader(_("Waiting for your review"))
        if not waiting:
            st.write(_("Nothing waits for your review."))
        batches = {}
        for proposal in waiting:
            if proposal.batch:
                batches.setdefault(proposal.batch, []).append(proposal)
        for proposal in waiting:
            proposal_card(programme, actor, proposal, batch=len(batches.get(proposal.batch, ())))
    else:
        st.caption(_("Reviewers and admins approve what the team proposes; you see your own proposals here."))
    mine = services.list_proposals(programme.slug, actor, states=("proposed", "returned"), mine=True)
    st.subheader(_("Your proposals"))
    if not mine:
        st.write(_("You have no proposal waiting or returned."))
    for proposal in mine:
        own_card(programme, actor, proposal)


def own(proposal: services.ProposalView, actor: services.Actor) -> bool:
    return proposal.author_account == (None if actor.is_operator else actor.name)


def proposal_card(
    programme: services.ProgrammeInfo, actor: services.Actor, proposal: services.ProposalView, batch: int
) -> None:
    with st.container(border=True):
        heading(proposal)
        side_by_side(proposal)
        approve_col, return_col = st.columns(2)
        key = f"{proposal.kind}:{proposal.id}"
        with approve_col:
            if st.button(_("Approve"), key=f"approve:{key}", type="primary", icon=":material/check:"):
                decide(lambda: editing.approve(programme.slug, proposal.kind, proposal.id, actor), _("Approved."))
            if batch > 1 and st.button(
                ngettext("Approve all {n} of this import", "Approve all {n} of this import", batch).format(n=batch),
                key=f"batch:{key}",
                icon=":material/done_all:",
            ):
                decide(
                    lambda: editing.approve_batch(programme.slug, proposal.kind, proposal.id, actor),
                    _("Approved together."),
                )
        with return_col:
            reason = st.text_input(_("Why it goes back (its author reads this)"), key=f"reason:{key}", max_chars=5000)
            if st.button(_("Return"), key=f"return:{key}", icon=":material/undo:"):
                decide(
                    lambda: editing.return_proposal(programme.slug, proposal.kind, proposal.id, actor, reason),
                    _("Returned to its author."),
                )


def decide(action, message: str) -> None:
    try:
        action()
    except services.TrackerError as error:
        show_error(error)
        return
    st.session_state[DONE_KEY] = message
    st.rerun()


def heading(proposal: services.ProposalView) -> None:
    st.markdown("**" + plain(f"{proposal.pledge}: {excerpt(proposal.pledge_text, 200)}") + "**")
    st.caption(
        plain(
            _("Proposed by {author} on {time}").format(
                author=proposal.author, time=format_datetime(proposal.recorded_at)
            )
        )
        + (" · " + _("part of an import or a bulk save") if proposal.batch else "")
    )
    components.pledge_link(proposal.pledge, _("Open the public page"))


def side_by_side(proposal: services.ProposalView) -> None:
    """What is proposed (left) beside what the public sees now (right); on a phone one below the other."""
    proposed, public = st.columns(2)
    with proposed:
        st.markdown("**" + _("Proposed") + "**")
        state(proposal.value, proposal.effective_date, proposal.text, proposal.sources, proposal.kind)
    with public:
        st.markdown("**" + _("Public now") + "**")
        state(proposal.public_value, proposal.public_date, proposal.public_text, proposal.public_sources, proposal.kind)


def state(value: str, date, text: str, sources, kind: str) -> None:
    if kind == "status_change":
        components.status_badge(value)
    elif value:
        st.caption(plain(value))
    if date:
        st.caption(_("Effective {date}").format(date=format_date(date)))
    if text:
        st.text(text)
    if sources:
        st.markdown(
            "\n".join(
                f"- {link(s.title, s.url)} ({source_kind_label(s.kind)}"
                + (f", {format_date(s.published_on)}" if s.published_on else "")
                + ")"
                for s in sources
            )
        )


def own_card(programme: services.ProgrammeInfo, actor: services.Actor, proposal: services.ProposalView) -> None:
    key = f"{proposal.kind}:{proposal.id}"
    with st.container(border=True):
        heading(proposal)
        if proposal.state == "returned":
            components.returned_note(proposal)
        else:
            st.caption(_("Waits for review by another person."))
        side_by_side(proposal)
        if proposal.state == "returned" and proposal.kind == "status_change":
            with st.expander(_("Correct it and propose anew")):
                propose_anew(programme, actor, proposal)
        if st.button(_("Withdraw"), key=f"withdraw:{key}", icon=":material/delete:"):
            decide(lambda: editing.withdraw(programme.slug, proposal.kind, proposal.id, actor), _("Withdrawn."))


def propose_anew(programme: services.ProgrammeInfo, actor: services.Actor, proposal: services.ProposalView) -> None:
    """The returned rating's fields, filled in with what it said, to correct and propose again."""
    draft = Draft(f"revise:{proposal.id}")
    if not draft.get("filled"):
        draft.set("filled", True)
        draft.set("status", proposal.value)
        draft.set("date", proposal.effective_date)
        draft.set("rationale", proposal.text)
        draft.set("source_count", max(1, len(proposal.sources)))
        for number, source in enumerate(proposal.sources, start=1):
            draft.set(f"url{number}", source.url)
            draft.set(f"title{number}", source.title)
            draft.set(f"kind{number}", source.kind)
            draft.set(f"published{number}", source.published_on)
    change = change_form.change_fields(draft, programme)
    if st.button(_("Propose anew"), key=draft.key("save"), type="primary"):
        try:
            change_form.require_status(change)
            editing.propose_anew(programme.slug, proposal.pledge, change, actor, proposal.id)
        except services.TrackerError as error:
            show_error(error)
            return
        draft.finish(None)
        st.session_state[DONE_KEY] = _("Proposed anew: it waits for review.")
        st.rerun()


if __name__ == "__main__":
    review_page()
