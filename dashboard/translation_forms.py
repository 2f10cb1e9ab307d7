"""The rating page's section on translations of a measure: per language the translation the public sees, those
waiting for review or returned, and a form to propose a (new) one. The German text stays the original."""

from __future__ import annotations

import streamlit as st
from babel import Locale

from dashboard import components, editing
from dashboard.errors import show_error
from dashboard.i18n import _, current_language, format_datetime
from dashboard.text import plain
from tracker import services

SAVED_KEY = "translation_saved"  # the state of the translation saved last (shown once after the rerun)


def language_name(code: str) -> str:
    """A language's name in the page's language ("Englisch" on a German page)."""
    return Locale.parse(code).get_display_name(current_language())


def translations(slug: str, code: str, actor: services.Actor) -> None:
    """The section: what there is per language, then the form."""
    st.caption(_("The German text stays the original; a translation is shown beside it, labelled as such."))
    try:
        languages = services.measure_translations(slug, code, actor)
    except services.TrackerError as error:
        show_error(error)
        return
    for each in languages:
        language(each)
    propose(slug, code, actor)


def language(each: services.LanguageTranslations) -> None:
    with st.container(border=True):
        st.markdown(f"**{plain(language_name(each.language))}**")
        if each.current is None:
            st.caption(_("No translation yet."))
        else:
            st.text(each.current.text)
            st.caption(
                _("Public since {date} · by {author}").format(
                    date=format_datetime(each.current.reviewed_at or each.current.recorded_at),
                    author=plain(each.current.author),
                )
            )
        for proposal in each.open:
            if proposal.state == "returned":
                components.returned_note(proposal)
            else:
                st.info(
                    plain(
                        _("Waiting for review (proposed by {author} on {date}):").format(
                            author=proposal.author, date=format_datetime(proposal.recorded_at)
                        )
                    ),
                    icon=":material/hourglass_top:",
                )
            st.text(proposal.text)


def propose(slug: str, code: str, actor: services.Actor) -> None:
    with st.form(f"translation_{code}", clear_on_submit=True):
        # The names themselves are the options (no format_func): a widget whose names change with the page's
        # language would keep the other language's names after a switch.
        names = {language_name(language): language for language in services.TRANSLATION_LANGUAGES}
        chosen = names[
            st.selectbox(
                _("Language"),
                list(names),
                filter_mode=None,
                key=f"translation_language_{code}_{current_language()}",
            )
        ]
        text = st.text_area(_("Translation"), max_chars=services.MAX_TRANSLATION)
        save = st.form_submit_button(_("Propose translation"))
    if save:
        try:
            saved = editing.propose_translation(slug, code, chosen, text, actor)
        except services.TrackerError as error:
            show_error(error)
        else:
            st.session_state[SAVED_KEY] = saved.state
            st.rerun()
    state = st.session_state.pop(SAVED_KEY, None)
    if state == "proposed":
        st.success(_("Saved. The translation is shown once a second person has approved it."))
    elif state is not None:
        st.success(_("Saved. The translation is public now."))
