"""One measure, at its permalink ``?pledge=<code>``: text, context, status, dated history, sources."""

import html

import streamlit as st

from dashboard import components, data, routes
from dashboard.auth import current_actor
from dashboard.i18n import _, format_date, ngettext
from dashboard.text import excerpt, plain
from dashboard.tip_form import tip_form
from dashboard.urlstate import pledge_code
from tracker import services
from tracker.services import NotFound, PledgeView
from tracker.statuses import FINAL_STATUSES

HISTORY_PAGE = 20  # changes shown at once


def pledge_page() -> None:
    programme = components.page_programme()
    asked = st.query_params.get("pledge") or ""
    if not asked.strip():
        st.title(_("Measure"))
        st.info(_("Choose a measure from the list."), icon=":material/info:")
        back_link()
        return
    code = pledge_code(asked)  # None: no code looks like that, so nothing is looked up
    view = find(programme.slug, code) if code else None
    if view is None:
        not_found(programme.slug, asked, code)
        return
    back_link()
    if current_actor() is not None:
        st.page_link(
            routes.edit(),
            label=_("Rate this measure"),
            icon=":material/edit:",
            query_params=components.link_params(pledge=view.code),
        )
    heading(view)
    context(view)
    history(programme.slug, view)
    sources(view)
    tip_form(programme.slug, view.code)
    siblings(view)


def find(slug: str, code: str) -> PledgeView | None:
    try:
        return data.pledge(slug, code)
    except NotFound:
        return None


def back_link() -> None:
    st.page_link(
        routes.measures(), label=_("All measures"), icon=":material/arrow_back:", query_params=components.link_params()
    )


def not_found(slug: str, asked: str, code: str | None) -> None:
    """What the address asked for (shown as text, shortened), and the codes close to it."""
    st.title(_("Measure not found"))
    st.write(plain(_("There is no measure with the code “{code}” in this programme.").format(code=excerpt(asked))))
    close = data.close_codes(slug, code) if code else []
    if close:
        st.write(_("Did you mean one of these?"))
        for candidate in close:
            st.page_link(
                routes.pledge(),
                label=plain(components.code_text(candidate)),
                query_params=components.link_params(pledge=candidate),
            )
    back_link()


# The measure's text is the page's one h1 (what a screen reader announces and lists first), at a size that
# suits a sentence rather than a title.
HEADING_STYLE = "<style>.st-key-measure_heading h1 {font-size: 1.6rem; font-weight: 600; line-height: 1.35;}</style>"


def heading(view: PledgeView) -> None:
    st.caption(plain(_("Measure {code}").format(code=components.code_text(view.code))))
    with st.container(key="measure_heading"):
        st.html(HEADING_STYLE)
        st.markdown(f"# {plain(components.text_of(view))}")
    components.german_original(view)
    components.status_badge(view.status)
    if view.status_date:
        st.caption(_("Status since {date}").format(date=format_date(view.status_date)))
    else:
        st.caption(_("Nobody has rated this measure yet."))
    if view.history and (reason := components.broken_reason_text(view.history[0])):
        st.markdown(f"**{plain(_('Why it was broken'))}:** {plain(reason)}")
    deadline_and_checkability(view)
    if view.retired_on:
        st.warning(
            _("This measure is no longer in the current programme text (since {date}); its history is kept.").format(
                date=format_date(view.retired_on)
            )
        )
    if view.success_criterion:
        st.markdown("**" + _("What would count as kept") + "**")
        st.text(view.success_criterion)


def deadline_and_checkability(view: PledgeView) -> None:
    """The deadline the programme names, and a clear mark when the measure is flagged as not checkable."""
    if view.deadline:
        line = _("Deadline named in the programme: {date}").format(date=format_date(view.deadline))
        if view.deadline < services.today() and view.status not in FINAL_STATUSES:
            line += " · " + _("passed without a final rating")
        st.markdown(f":material/event: {plain(line)}")
    if not view.checkable:
        st.html(
            '<span style="border:2px solid #555;color:#222;padding:0.1rem 0.55rem;border-radius:0.75rem;'
            'font-size:0.85rem;font-weight:600;white-space:nowrap">' + html.escape(_("Not checkable")) + "</span>"
        )
        st.markdown(
            f"**{plain(_('Why it cannot be checked'))}:** {plain(view.checkability_reason or '')}  \n"
            + plain(_("This measure is too vague to check; it is not counted in the shares of the overview."))
        )


def context_line(name: str, text: str) -> None:
    st.markdown(f"**{plain(name)}:** {plain(text)}")


def context(view: PledgeView) -> None:
    st.header(_("Context"))
    context_line(_("Policy area {n}").format(n=view.area_number), view.area_title)
    if view.why_important:
        context_line(_("Why it matters"), view.why_important)
    if view.focus:
        context_line(_("Focus"), view.focus)
    if view.goal_code:
        if view.group:
            context_line(_("Topic"), view.group)
        context_line(_("Goal {number}").format(number=view.goal_number), view.goal_title)
        if view.objective:
            context_line(_("Objective"), view.objective)


def history(slug: str, view: PledgeView) -> None:
    """The dated ratings, newest first; a long history is paged."""
    st.header(_("History"))
    if not view.history:
        st.write(_("No status change has been recorded yet."))
    shown = view.history
    if len(view.history) > HISTORY_PAGE:
        pages = -(-len(view.history) // HISTORY_PAGE)
        number = st.number_input(_("Page"), min_value=1, max_value=pages, value=1, step=1, key="history_page")
        shown = view.history[(number - 1) * HISTORY_PAGE : number * HISTORY_PAGE]
        st.caption(
            _("Showing {first} to {last} of {total}.").format(
                first=(number - 1) * HISTORY_PAGE + 1,
                last=(number - 1) * HISTORY_PAGE + len(shown),
                total=len(view.history),
            )
        )
    corrected_by = {c.corrects: c.sequence for c in view.history if c.corrects}
    for change in shown:
        components.history_entry(
            change,
            _("No. {n} · effective {date} · recorded by {author} on {recorded}").format(
                n=change.sequence,
                date=format_date(change.effective_date),
                author=change.author,
                recorded=format_date(change.recorded_at.date()),
            ),
            corrected_by=corrected_by.get(change.sequence),
            code=view.code,
        )


def sources(view: PledgeView) -> None:
    evidence = [s for change in view.history for s in change.sources] + list(view.evidence)
    st.header(_("All sources"))
    if evidence:
        st.markdown(components.sources_markdown(evidence))
    else:
        st.write(_("No sources yet."))


def siblings(view: PledgeView) -> None:
    if not view.siblings:
        return
    st.header(_("Other measures of this goal") if view.goal_code else _("Other measures of this area"))
    st.caption(ngettext("{n} measure", "{n} measures", len(view.siblings)).format(n=len(view.siblings)))
    for sibling in view.siblings:
        with st.container(border=True):
            components.status_badge(sibling.status)
            components.pledge_link(sibling.code, components.text_of(sibling))


if __name__ == "__main__":
    pledge_page()
