"""The corrections log: every published rating that corrects an earlier one, newest first, with what was
wrong (the corrected entry), when and why it was corrected, and by whom. ``?measure=<code>`` shows one
measure's corrections (the measure's page links here from each corrected entry)."""

import streamlit as st

from dashboard import components, data, routes
from dashboard.i18n import _, format_date, ngettext
from dashboard.text import excerpt, plain
from dashboard.urlstate import pledge_code
from tracker import services

MEASURE_KEY = "measure"


def corrections_page() -> None:
    programme = components.page_programme()
    st.title(_("Corrections"))
    st.markdown(
        _(
            "We never overwrite a rating. When one was wrong, a new rating corrects it and says which one; both "
            "stay on the measure's page. Here are all corrections, the latest first."
        )
    )
    every = data.corrections(programme.slug)
    asked = st.query_params.get(MEASURE_KEY)
    code = pledge_code(asked) if asked else None
    shown = [c for c in every if c.code == code] if asked else every
    if asked:
        st.caption(plain(_("Corrections of measure {code}").format(code=excerpt(asked, 40))))
        st.page_link(
            routes.corrections(),
            label=_("All corrections"),
            icon=":material/arrow_back:",
            query_params=components.link_params(),
        )
    st.caption(ngettext("{n} correction", "{n} corrections", len(shown)).format(n=len(shown)))
    if not shown:
        st.write(_("No rating has been corrected so far."))
    for correction in shown:
        entry(correction)


def entry(correction: services.CorrectionView) -> None:
    new, old = correction.correction, correction.corrected
    with st.container(border=True):
        components.pledge_link(correction.code, correction.pledge_text)
        signed = _("Corrected on {date} by {author}").format(
            date=format_date(new.recorded_at.date()), author=new.author
        )
        if correction.reviewed_by:
            signed += " · " + _("approved by {reviewer}").format(reviewer=correction.reviewed_by)
        st.caption(plain(signed))
        wrong, right = st.columns(2)
        with wrong:
            st.markdown("**" + _("What was wrong: no. {n}").format(n=old.sequence) + "**")
            components.status_badge(old.status)
            st.caption(
                plain(
                    _("Effective {date} · recorded by {author} on {recorded}").format(
                        date=format_date(old.effective_date),
                        author=old.author,
                        recorded=format_date(old.recorded_at.date()),
                    )
                )
            )
            st.text(old.rationale)
        with right:
            st.markdown("**" + _("The correction: no. {n}").format(n=new.sequence) + "**")
            components.status_badge(new.status)
            st.caption(_("Effective {date}").format(date=format_date(new.effective_date)))
            st.text(new.rationale)


if __name__ == "__main__":
    corrections_page()
