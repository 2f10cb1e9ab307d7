"""Sign-in for the editorial team (and sign-out)."""

import streamlit as st

from dashboard import auth
from dashboard.i18n import _

actor = auth.current_actor()
if actor is None:
    st.title(_("Sign in for the editorial team"))
    st.caption(_("Only for the people who keep this tracker up to date. Voters need no account."))
    auth.sign_in_form()
else:
    st.title(_("Editorial team"))
    auth.signed_in_bar(actor)
    st.page_link("pages/edit.py", label=_("Rate a measure"), icon=":material/edit:")
    st.page_link("pages/bulk.py", label=_("Edit several measures"), icon=":material/table_edit:")
    st.page_link("pages/import_statuses.py", label=_("Import a spreadsheet"), icon=":material/upload_file:")
    if actor.is_admin:
        st.page_link("pages/audit.py", label=_("Audit trail"), icon=":material/history:")
