"""The audit trail (admins): every write and every failed sign-in, in local time and in words;
filterable by action, person, measure and days, downloadable as CSV."""

import streamlit as st

from dashboard import audit_trail, auth
from dashboard.i18n import _
from dashboard.widget_texts import choose, date_format
from tracker import services


def audit_page() -> None:
    actor = auth.require_staff("admin")
    auth.signed_in_bar(actor)
    st.title(_("Audit trail"))
    actions = sorted(audit_trail.ACTIONS, key=audit_trail.action_label)
    span = services.audit_span(actor)
    first, second = st.columns(2), st.columns(3)
    action = first[0].selectbox(
        _("Action"),
        [None, *actions],
        format_func=lambda a: _("All actions") if a is None else audit_trail.action_label(a),
        placeholder=choose(),
    )
    person = first[1].selectbox(
        _("Person"),
        [None, *span.people],
        format_func=lambda p: _("Everyone") if p is None else p,
        placeholder=choose(),
    )
    pledge = second[0].text_input(_("Measure code"), max_chars=40).strip() or None
    # Days from the first event to today (local days): a filled field shows no English "dd.mm.yyyy" placeholder.
    since = second[1].date_input(_("From"), value=span.first_day, format=date_format(), max_value=span.today)
    until = second[2].date_input(_("Until"), value=span.today, format=date_format(), max_value=span.today)
    rows = services.list_events(actor, person, pledge, since, until, action)
    with_programme = len({row.programme for row in rows if row.programme}) > 1
    st.caption(_("{n} entries, newest first; times in German time (Europe/Berlin)").format(n=len(rows)))
    st.dataframe(audit_trail.table(rows, with_programme), hide_index=True, width="stretch")
    st.download_button(
        _("Download as CSV"),
        audit_trail.csv(rows, with_programme),
        file_name=f"audit-{services.today().isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
    )


if __name__ == "__main__":
    audit_page()
