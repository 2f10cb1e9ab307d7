"""The audit trail (admins): every write with actor, time and what changed; filterable, downloadable."""

import json

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.i18n import _
from tracker import services


def audit_page() -> None:
    actor = auth.require_staff("admin")
    auth.signed_in_bar(actor)
    st.title(_("Audit trail"))
    everything = services.list_events(actor)
    people = sorted({row.actor for row in everything})
    columns = st.columns(4)
    person = columns[0].selectbox(_("Person"), [None, *people], format_func=lambda p: _("Everyone") if p is None else p)
    pledge = columns[1].text_input(_("Measure code"), max_chars=40).strip() or None
    since = columns[2].date_input(_("From"), value=None, format="DD.MM.YYYY")
    until = columns[3].date_input(_("Until"), value=None, format="DD.MM.YYYY", max_value=services.today())
    rows = services.list_events(actor, person, pledge, since, until)
    st.caption(_("{n} entries (newest first)").format(n=len(rows)))
    st.dataframe(
        pd.DataFrame(
            [(r.at, r.actor, r.action, r.pledge or "", json.dumps(r.detail, ensure_ascii=False)) for r in rows],
            columns=[_("Time (UTC)"), _("Person"), _("Action"), _("Measure"), _("What changed")],
        ),
        hide_index=True,
        width="stretch",
    )
    st.download_button(
        _("Download as CSV"),
        services.audit_csv(rows),
        file_name=f"audit-{services.today().isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
    )


if __name__ == "__main__":
    audit_page()
