"""Method: what each status means, the rules every rating follows, who maintains the tracker."""

import streamlit as st

from dashboard import components, data, routes
from dashboard.agreement_text import area_table, kappa_text, share_text
from dashboard.i18n import _, format_date, machine_translated_languages, ngettext
from dashboard.statuses import DISPLAY_ORDER, description
from tracker import services
from tracker.services import settings


def review_rule() -> str:
    """Which review mode is on (the setting TRACKER_REVIEW and, in mode auto, the number of accounts)."""
    if data.review_on():
        return _(
            "Review by a second person is on: a rating is published only once a second member of the team, not "
            "its author, has checked and approved it; both names and both times are shown with it."
        )
    return _("Review by a second person is off (a one-person team): a rating is published as soon as it is recorded.")


def method_page() -> None:
    programme = components.page_programme()
    st.title(_("Method"))
    st.markdown(
        _(
            "Every measure of the election programme is one pledge, quoted word for word. We follow each of them "
            "through the council term ({start} to {end}) and rate it with one of six statuses."
        ).format(start=format_date(programme.term_start), end=format_date(programme.term_end))
    )
    st.header(_("The statuses"))
    for status in DISPLAY_ORDER:
        columns = st.columns([1, 3], vertical_alignment="center")
        with columns[0]:
            components.status_badge(status)
        with columns[1]:
            st.write(description(status))

    st.header(_("The rules"))
    st.markdown(
        "\n".join(
            [
                "- " + _("Every pledge starts as “not yet rated”. We never assume a status."),
                "- "
                + _(
                    "Every rating carries a dated rationale and at least one public source: a council paper, a "
                    "press report, an announcement of the city or the party."
                ),
                "- " + _("The current status is the latest rating by its effective date."),
                "- "
                + _(
                    "Nothing is deleted or overwritten. A mistake is corrected by a new rating that says which "
                    "one it corrects; the whole history stays visible on each measure's page."
                ),
                "- " + _("Each rating shows who recorded it and when."),
                "- " + review_rule(),
            ]
        )
    )
    rater_agreement(programme)
    st.page_link(
        routes.corrections(),
        label=_("Corrections: every rating we corrected, what was wrong and why"),
        icon=":material/published_with_changes:",
        query_params=components.link_params(),
    )
    st.header(_("Hints from the public"))
    counts = data.tip_counts(programme.slug)
    st.markdown(
        _(
            "Anyone can send the editorial team a hint from a measure's page. Hints are read by people; what can "
            "be checked becomes a source or a rating. So far {open} open, {accepted} accepted and {rejected} "
            "rejected."
        ).format(open=counts.open, accepted=counts.accepted, rejected=counts.rejected)
    )
    st.header(_("Who maintains this tracker"))
    maintainer = settings.get("TRACKER_MAINTAINER")
    contact = settings.get("TRACKER_CONTACT")
    st.text(maintainer or _("The editorial team of this pledge tracker."))
    if contact:
        st.text(_("Corrections and hints: {contact}").format(contact=contact))
    machine = machine_translated_languages()
    if machine:
        st.header(_("Translations"))
        st.write(
            _(
                "Machine translation: the pages in {languages} were translated by a machine and have not yet been "
                "checked by a native speaker."
            ).format(languages=machine)
        )
        st.text(
            _("Corrections of the translations are welcome: {contact}").format(contact=contact)
            if contact
            else _("Corrections of the translations are welcome: please tell the editorial team.")
        )
    last = data.overview(programme.slug, None).last_update
    st.caption(
        _("Last updated: {date}").format(date=format_date(last.date()))
        if last
        else _("No rating has been recorded yet.")
    )
    st.page_link(
        routes.sign_in(),
        label=_("Sign in for the editorial team"),
        icon=":material/badge:",
        query_params=components.link_params(),
    )


def rater_agreement(programme: services.ProgrammeInfo) -> None:
    """Every closed double-rating round: when, how large a sample, how often the raters agreed, kappa overall and
    per area, and how the disagreements were settled."""
    st.header(_("Agreement between raters"))
    st.markdown(
        _(
            "From time to time two of us rate the same sample of measures independently: each without seeing the "
            "other's rating or the published one. We publish how often they gave the same status, and Cohen's "
            "kappa, which discounts the agreement expected by chance (1 means complete agreement, 0 no more than "
            "chance). A third person settles every disagreement with a normal rating, dated and sourced like any other."
        )
    )
    rounds = data.closed_rounds(programme.slug)
    if not rounds:
        st.write(_("No double-rating round has been completed yet."))
        return
    for published in rounds:
        with st.container(border=True):
            overall = published.overall
            sampling = _("stratified by area") if published.sampling == "stratified" else _("random")
            st.markdown(
                "**"
                + _("Round of {date}: {size} measures, {sampling} sample").format(
                    date=format_date(published.closed_at.date()), size=published.sample_size, sampling=sampling
                )
                + "**"
            )
            columns = st.columns(2)
            columns[0].metric(_("Agreement"), share_text(overall.observed))
            columns[1].metric(_("Cohen's kappa"), kappa_text(overall.kappa))
            st.write(
                _("{agreed} of {n} measures rated alike").format(agreed=overall.agreed, n=overall.items)
                + "; "
                + ngettext(
                    "{n} disagreement, {settled} of them settled by a third person.",
                    "{n} disagreements, {settled} of them settled by a third person.",
                    published.disagreements,
                ).format(n=published.disagreements, settled=published.settled)
            )
            if published.settlement_note:
                st.text(published.settlement_note)
            with st.expander(_("Per policy area")):
                st.dataframe(area_table(published.areas), hide_index=True, width="stretch")


if __name__ == "__main__":
    method_page()
