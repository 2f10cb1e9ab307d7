"""Sign-in for the editorial team (and sign-out), with links to the staff pages once signed in."""

import streamlit as st

from dashboard import auth, components, routes
from dashboard.i18n import _


def sign_in_page() -> None:
    actor = auth.current_actor()
    if actor is None:
        auth.sign_in_link(_("Sign in for the editorial team"))
        return
    st.title(_("Editorial team"))
    auth.signed_in_bar(actor)
    params = components.link_params()
    st.page_link(routes.edit(), label=_("Rate a measure"), icon=":material/edit:", query_params=params)
    st.page_link(
        routes.decision(),
        label=_("One decision, several measures"),
        icon=":material/library_add_check:",
        query_params=params,
    )
    st.page_link(
        routes.import_statuses(), label=_("Import a spreadsheet"), icon=":material/upload_file:", query_params=params
    )
    st.page_link(routes.review(), label=_("To review"), icon=":material/fact_check:", query_params=params)
    if actor.is_admin:
        st.page_link(routes.audit(), label=_("Audit trail"), icon=":material/history:", query_params=params)


if __name__ == "__main__":
    sign_in_page()
