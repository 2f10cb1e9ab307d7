"""Method: what each status means, the rules every rating follows, who maintains the tracker."""

import streamlit as st

from dashboard import components, data, routes
from dashboard.i18n import _, format_date
from dashboard.statuses import DISPLAY_ORDER, description
from tracker.services import settings


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
            ]
        )
    )
    st.header(_("Who maintains this tracker"))
    maintainer = settings.get("TRACKER_MAINTAINER")
    contact = settings.get("TRACKER_CONTACT")
    st.text(maintainer or _("The editorial team of this pledge tracker."))
    if contact:
        st.text(_("Corrections and hints: {contact}").format(contact=contact))
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


if __name__ == "__main__":
    method_page()
