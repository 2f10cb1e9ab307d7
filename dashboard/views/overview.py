"""Overview: how much of the programme has been kept, in figures and by policy area."""

import streamlit as st

from dashboard import components, routes
from dashboard.i18n import _, format_date
from dashboard.text import plain


def overview_page() -> None:
    programme = components.page_programme()
    st.title(plain(programme.title))
    st.caption(
        plain(
            _("{party} · {municipality} · elected {election} · council term {start} to {end}").format(
                party=programme.party,
                municipality=programme.municipality,
                election=format_date(programme.election_date),
                start=format_date(programme.term_start),
                end=format_date(programme.term_end),
            )
        )
    )
    components.render_overview(programme, as_of=None)
    st.page_link(
        routes.method(),
        label=_("How we rate: the method"),
        icon=":material/rule:",
        query_params=components.link_params(),
    )


if __name__ == "__main__":
    overview_page()
