"""Hints from the public (staff): the open hints, newest first, each with its measure, text, source and e-mail
address (to reply); accept one as a source of the measure or as a rating (which goes through review like any
other), or reject it with a reason. A hint's text and address are shown as text; only an http(s) address
becomes a link. Closing a hint deletes its e-mail address."""

import streamlit as st

from dashboard import auth, components, editing
from dashboard.errors import show_error
from dashboard.i18n import _, format_datetime
from dashboard.statuses import DISPLAY_ORDER, source_kind_label
from dashboard.text import link, plain, safe_url
from tracker import services
from tracker.statuses import SOURCE_KINDS

DONE_KEY = "tip_done"  # what was done with the hint just closed, shown once


def tips_page() -> None:
    actor, programme = auth.staff_page()
    st.title(_("Hints from the public"))
    counts = services.tip_counts(programme.slug)
    st.caption(
        _("{open} open · {accepted} accepted · {rejected} rejected").format(
            open=counts.open, accepted=counts.accepted, rejected=counts.rejected
        )
    )
    if done := st.session_state.pop(DONE_KEY, None):
        st.success(done, icon=":material/check:")
    tips = services.list_tips(programme.slug, "open", actor)
    if not tips:
        st.write(_("No open hints."))
    for tip in tips:
        hint(programme.slug, tip, actor)


def hint(slug: str, tip: services.TipView, actor: services.Actor) -> None:
    with st.container(border=True, key=f"tip_{tip.id}"):
        st.caption(plain(_("Hint no. {n} · {time}").format(n=tip.id, time=format_datetime(tip.submitted_at))))
        components.pledge_link(tip.code, tip.pledge_text)
        st.text(tip.text)  # never Markdown, never a link
        if tip.source_url:
            shown = link(tip.source_url, tip.source_url) if safe_url(tip.source_url) else plain(tip.source_url)
            st.markdown(_("Source") + ": " + shown)
        if tip.email:
            st.markdown(_("E-mail for a reply") + ": " + plain(tip.email))
            st.caption(_("Deleted when the hint is closed."))
        as_source, as_rating, reject = st.tabs([_("As a source"), _("As a rating"), _("Reject")])
        with as_source:
            accept_as_source(slug, tip, actor)
        with as_rating:
            accept_as_rating(slug, tip, actor)
        with reject:
            reject_hint(slug, tip, actor)


def accept_as_source(slug: str, tip: services.TipView, actor: services.Actor) -> None:
    if not tip.source_url:
        st.caption(_("This hint names no web address; accept it as a rating or reject it."))
        return
    kinds = {kind: source_kind_label(kind) for kind in SOURCE_KINDS}
    with st.form(f"tip_source_{tip.id}", border=False):
        title = st.text_input(_("Source title"), max_chars=500)
        kind = st.selectbox(_("Kind of source"), list(kinds), format_func=kinds.get, filter_mode=None)
        accept = st.form_submit_button(_("Add as a source"), type="primary")
    if accept:
        close(
            lambda: editing.accept_tip_as_source(slug, tip.id, title, kind, actor),
            _("Hint no. {n} was added to measure {code} as a source.").format(n=tip.id, code=tip.code),
        )


def accept_as_rating(slug: str, tip: services.TipView, actor: services.Actor) -> None:
    statuses = components.status_labels()
    with st.form(f"tip_rating_{tip.id}", border=False):
        status = st.selectbox(
            _("New status"),
            list(DISPLAY_ORDER),
            format_func=statuses.get,
            index=None,
            placeholder=_("Choose a status"),
            filter_mode=None,
        )
        rationale = st.text_area(_("Rationale (shown publicly)"), max_chars=5000)
        # every rating needs a source: the hint's address, or one the editor found
        url = st.text_input(_("Source URL"), value=tip.source_url or "", placeholder="https://", max_chars=2000)
        title = st.text_input(_("Source title"), max_chars=500)
        accept = st.form_submit_button(_("Record as a rating"), type="primary")
    if accept:
        sources = [services.SourceInput(url, title)] if (url or title).strip() else []
        change = services.StatusChangeInput(status or "", rationale, sources)
        close(
            lambda: editing.accept_tip_as_change(slug, tip.id, change, actor),
            _("Hint no. {n} was recorded as a rating of measure {code}.").format(n=tip.id, code=tip.code),
        )


def reject_hint(slug: str, tip: services.TipView, actor: services.Actor) -> None:
    with st.form(f"tip_reject_{tip.id}", border=False):
        reason = st.text_area(_("Reason"), max_chars=2000)
        rejected = st.form_submit_button(_("Reject hint"))
    if rejected:
        close(
            lambda: services.reject_tip(slug, tip.id, reason, actor),
            _("Hint no. {n} was rejected.").format(n=tip.id),
        )


def close(save, done: str) -> None:
    try:
        save()
    except services.TrackerError as error:
        show_error(error)
    else:
        st.session_state[DONE_KEY] = done + " " + _("Its e-mail address, if it had one, was deleted.")
        st.rerun()


if __name__ == "__main__":
    tips_page()
