"""Rate one measure: pick it, see its state, then record a rating, add a source or set the success criterion
(the three forms are in ``dashboard.rating_forms``)."""

import streamlit as st

from dashboard import auth, checkability_forms, components, data, rating_forms, routes, translation_forms
from dashboard.errors import show_error
from dashboard.i18n import _, format_date
from dashboard.text import excerpt, plain
from dashboard.urlstate import pledge_code
from tracker import services

PICK_LIMIT = 200  # measures offered at once; more are found by typing
LAST_KEY = "edit_last_pledge"


def edit_page() -> None:
    actor, programme = auth.staff_page()
    st.title(_("Rate a measure"))
    checkability_forms.due_list(programme, actor)
    code = pick_measure(programme.slug)
    if code is None:
        return
    try:
        view = services.pledge_view(programme.slug, code)  # the newest state, not the cached one
    except services.NotFound as error:
        show_error(error)
        return
    current_state(view)
    seen_version = seen(view)
    record_tab, evidence_tab, criterion_tab, checkable_tab, translations_tab = st.tabs(
        [_("Record a rating"), _("Add a source"), _("Success criterion"), _("Checkable?"), _("Translations")]
    )
    form = rating_forms.Form(programme, view, actor, seen_version)
    with record_tab:
        rating_forms.record_rating(form)
    with evidence_tab:
        rating_forms.add_source(form)
    with criterion_tab:
        rating_forms.success_criterion(form)
    with translations_tab:
        translation_forms.translations(programme.slug, view.code, actor)
    with checkable_tab:
        checkability_forms.checkability_form(programme, view, actor)
    history(view)


def pick_measure(slug: str) -> str | None:
    """The measure to rate: searched by code or words, preselected from ``?pledge=`` (or, coming back through the
    menu, the one rated last in this tab, so that its half-filled form is there again), kept in the URL."""
    asked = st.query_params.get("pledge")
    wanted = pledge_code(asked) if asked else st.session_state.get(LAST_KEY)
    query = st.text_input(
        _("Find a measure"),
        placeholder=_("Type a code or words of the measure"),
        max_chars=services.MAX_QUERY_CHARACTERS,
    )
    found = searched(slug, query)
    texts = {row.code: row.text for row in found.rows}
    if asked and wanted is None:
        no_such_measure(asked)
    if wanted and wanted not in texts:
        try:
            texts = {wanted: data.pledge(slug, wanted).text, **texts}
        except services.NotFound:
            no_such_measure(wanted)
    codes = list(texts)
    if found.total > PICK_LIMIT:
        st.caption(
            _("{n} measures match; the first {limit} are listed. Type more to narrow it down.").format(
                n=found.total, limit=PICK_LIMIT
            )
        )
    code = st.selectbox(
        _("Measure"),
        codes,
        index=codes.index(wanted) if wanted in codes else None,
        format_func=lambda c: f"{c}: {texts[c]}",
        placeholder=_("Choose a measure"),
    )
    if code is not None and st.query_params.get("pledge") != code:
        st.query_params["pledge"] = code
    st.session_state[LAST_KEY] = code
    return code


def searched(slug: str, query: str) -> services.SearchResult:
    """The measures the words find (those the search takes; else a message saying what it takes, and none)."""
    try:
        return data.search(slug, query, None, None, (), PICK_LIMIT, 0)
    except services.InvalidInput as error:
        show_error(error)
        return services.SearchResult((), 0)


def no_such_measure(asked: str) -> None:
    st.warning(plain(_("There is no measure with the code “{code}” in this programme.").format(code=excerpt(asked))))


def current_state(view: services.PledgeView) -> None:
    components.status_badge(view.status)
    st.caption(
        _("Status since {date}").format(date=format_date(view.status_date))
        if view.status_date
        else _("Nobody has rated this measure yet.")
    )
    st.page_link(
        routes.pledge(),
        label=_("Open the public page"),
        icon=":material/open_in_new:",
        query_params=components.link_params(pledge=view.code),
    )


def seen(view: services.PledgeView) -> int:
    """The version the editor is looking at: a save fails with a conflict if someone else saved since."""
    seen = rating_forms.seen_versions().setdefault(view.code, view.version)
    if seen != view.version:
        st.warning(_("Someone else has changed this measure since you opened it; its newest state is shown below."))
    return seen


def history(view: services.PledgeView) -> None:
    st.subheader(_("History"))
    if not view.history:
        st.write(_("No status change has been recorded yet."))
    for change in view.history:
        components.history_entry(
            change,
            _("No. {n} · effective {date} · recorded by {author} on {recorded}").format(
                n=change.sequence,
                date=format_date(change.effective_date),
                author=change.author,
                recorded=format_date(change.recorded_at.date()),
            ),
        )


if __name__ == "__main__":
    edit_page()
