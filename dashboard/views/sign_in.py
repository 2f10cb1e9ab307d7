"""Sign-in for the editorial team (and sign-out), with links to the staff pages once signed in."""

import streamlit as st

from dashboard import auth, routes
from dashboard.i18n import _


def sign_in_page() -> None:
    actor = auth.current_actor()
    if actor is None:
        st.title(_("Sign in for the editorial team"))
        st.caption(_("Only for the people who keep this tracker up to date. Voters need no account."))
        auth.sign_in_form()
        return
    st.title(_("Editorial team"))
    auth.signed_in_bar(actor)
    st.page_link(routes.edit(), label=_("Rate a measure"), icon=":material/edit:")
    st.page_link(routes.decision(), label=_("One decision, several measures"), icon=":material/library_add_check:")
    st.page_link(routes.import_statuses(), label=_("Import a spreadsheet"), icon=":material/upload_file:")
    if actor.is_admin:
        st.page_link(routes.audit(), label=_("Audit trail"), icon=":material/history:")


if __name__ == "__main__":
    sign_in_page()
