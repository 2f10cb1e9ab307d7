"""Double rating: admins start a round (a sample of measures, two raters); each rater rates the sample blind in
one compact form; once both are done, the agreement (share of identical ratings, Cohen's kappa, overall and per
area) and the disagreements, which a third person settles; an admin closes the round for the method page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, change_form, components, editing, routes
from dashboard.agreement_text import area_table, kappa_text, share_text
from dashboard.drafts import Draft
from dashboard.errors import show_error
from dashboard.i18n import _, format_date, format_datetime, ngettext
from dashboard.statuses import DISPLAY_ORDER, label
from dashboard.text import plain
from dashboard.urlstate import one_of, url_widget
from tracker import services


def rounds_page() -> None:
    actor, programme = auth.staff_page()
    st.title(_("Double rating"))
    st.caption(
        _(
            "Two raters rate the same sample of measures, each without seeing the other's rating or the public "
            "one. How often they agree is published on the method page."
        )
    )
    rounds = services.list_rounds(programme.slug, actor)
    if actor.is_admin:
        start_round(programme, actor)
    if not rounds:
        st.info(_("No round has been started yet."), icon=":material/info:")
        return
    chosen = pick_round(rounds, actor)
    round_header(chosen)
    if chosen.is_rater(actor.name) and chosen.state == "rating":
        rate_blind(programme, chosen, actor)
        return
    result = services.round_result(programme.slug, chosen.id, actor)
    if result.overall is None:
        st.info(
            _("The ratings and the agreement are shown once both raters have rated every measure."),
            icon=":material/visibility_off:",
        )
        return
    agreement_figures(result)
    disagreements(programme, result, actor)
    if result.round.state == "closed":
        st.markdown("**" + _("How the disagreements were settled") + "**")
        st.text(result.round.settlement_note or "–")
    elif actor.is_admin:
        close_form(programme, result, actor)


# ---------------------------------------------------------------------------------------------- choosing a round


def round_title(found: services.RoundSummary) -> str:
    states = {"rating": _("being rated"), "settling": _("to settle"), "closed": _("closed")}
    return _("Round {n} of {date} ({state})").format(
        n=found.id, date=format_date(found.created_at.date()), state=states[found.state]
    )


def pick_round(rounds: list[services.RoundSummary], actor: services.Actor) -> services.RoundSummary:
    """The round shown: from ``?round=``, else the first one this person still has to rate, else the newest."""
    by_id = {found.id: found for found in rounds}
    mine = next((r for r in rounds if r.is_rater(actor.name) and r.state == "rating"), rounds[0])
    chosen = url_widget(
        st.selectbox,
        "round",
        default=mine.id,
        parse=one_of(list(by_id), mine.id),
        label=_("Round"),
        options=list(by_id),
        format_func=lambda n: round_title(by_id[n]),
        filter_mode=None,
    )
    return by_id[chosen]


def round_header(found: services.RoundSummary) -> None:
    sampling = _("stratified by area") if found.sampling == "stratified" else _("random")
    st.caption(
        plain(
            _("{size} measures, {sampling} sample (seed {seed}), started by {by}").format(
                size=found.sample_size, sampling=sampling, seed=found.seed, by=found.created_by
            )
        )
    )
    columns = st.columns(2)
    for column, name, done in ((columns[0], found.rater_a, found.rated_a), (columns[1], found.rater_b, found.rated_b)):
        column.progress(
            done / found.sample_size,
            text=plain(_("{name}: {done} of {size} rated").format(name=name, done=done, size=found.sample_size)),
        )


# ---------------------------------------------------------------------------------------------- starting a round


def start_round(programme: services.ProgrammeInfo, actor: services.Actor) -> None:
    draft = Draft("round:start")
    with st.expander(_("Start a new round"), icon=":material/add:", expanded=False):
        accounts = [a.name for a in services.list_users(actor) if not a.disabled]
        with st.form(draft.key("form"), border=False):
            columns = st.columns(2)
            size = columns[0].number_input(_("Sample size"), min_value=2, max_value=1000, value=30, step=1)
            seed = columns[1].text_input(_("Seed (optional)"), max_chars=10, help=_("Leave empty for a random one."))
            stratified = st.toggle(_("Stratified by area (each area gets its proportional share)"), value=True)
            people = st.columns(2)
            first = people[0].selectbox(_("First rater"), accounts, index=None, placeholder=_("Choose an account"))
            second = people[1].selectbox(_("Second rater"), accounts, index=None, placeholder=_("Choose an account"))
            start = st.form_submit_button(_("Draw the sample"), type="primary")
        if start:
            try:
                raters = (first or "", second or "")
                seed_value = parse_seed(seed)
                created = services.create_round(
                    programme.slug, int(size), raters, actor, stratified=stratified, seed=seed_value
                )
            except services.TrackerError as error:
                show_error(error)
            else:
                draft.finish(created.id)
                st.query_params["round"] = str(created.id)
                st.rerun()
    if created := draft.take_saved():
        st.success(_("Round {n} started.").format(n=created), icon=":material/check:")


def parse_seed(text: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise services.InvalidInput("seed", "out_of_range", value=text, min=0, max=2**31 - 1)
    return int(text)


# ---------------------------------------------------------------------------------------------- rating blind


def rate_blind(programme: services.ProgrammeInfo, found: services.RoundSummary, actor: services.Actor) -> None:
    """The rater's measures, blind: each with its text, goal, area, criterion and free sources, and a status to
    choose; one save for all chosen. A rating is final once saved."""
    view = services.rater_view(programme.slug, found.id, actor)
    draft = Draft(f"round:{found.id}:rate")
    if saved := draft.take_saved():
        st.success(ngettext("{n} rating saved.", "{n} ratings saved.", saved).format(n=saved), icon=":material/check:")
    st.info(
        _(
            "Rate each measure from what it says and the sources given here; you do not see the other rater's "
            "rating nor the public one. A saved rating is final. Measures left without a status stay open."
        ),
        icon=":material/visibility_off:",
    )
    labels = components.status_labels()
    with st.form(draft.key("form"), border=False):
        chosen = {}
        for item in view.open:
            with st.container(border=True):
                st.markdown(plain(f"{item.code}: {item.text}"))
                place = _("Area {n}: {title}").format(n=item.area_number, title=item.area_title)
                if item.goal_title:
                    place += " · " + _("Goal {n}: {title}").format(n=item.goal_number, title=item.goal_title)
                st.caption(plain(place))
                if item.success_criterion:
                    st.caption(plain(_("Counts as kept: {text}").format(text=item.success_criterion)))
                if item.sources:
                    st.markdown(components.sources_markdown(item.sources))
                chosen[item.code] = st.selectbox(
                    _("Your rating of {code}").format(code=item.code),
                    list(DISPLAY_ORDER),
                    index=None,
                    format_func=labels.get,
                    placeholder=_("Choose a status"),
                    key=draft.key(item.code),
                    filter_mode=None,
                )
        save = st.form_submit_button(_("Save my ratings"), type="primary", disabled=not view.open)
    if save:
        ratings = {code: status for code, status in chosen.items() if status}
        if not ratings:
            st.warning(_("Choose a status for at least one measure."))
        else:
            try:
                services.rate_items(programme.slug, found.id, ratings, actor)
            except services.TrackerError as error:
                show_error(error)
            else:
                draft.finish(len(ratings))
                st.rerun()
    rated = [item for item in view.items if item.own_rating]
    if rated:
        st.markdown("**" + _("Rated by you") + "**")
        st.dataframe(
            pd.DataFrame(
                [(i.code, label(i.own_rating), format_datetime(i.rated_at)) for i in rated],
                columns=[_("Code"), _("Your rating"), _("Saved")],
            ),
            hide_index=True,
            width="stretch",
        )


# ---------------------------------------------------------------------------------------------- agreement


def agreement_figures(result: services.RoundResult) -> None:
    overall = result.overall
    columns = st.columns(3)
    columns[0].metric(_("Identical ratings"), f"{overall.agreed} / {overall.items}")
    columns[1].metric(_("Agreement"), share_text(overall.observed))
    columns[2].metric(_("Cohen's kappa"), kappa_text(overall.kappa))
    if overall.kappa is None:
        st.caption(_("Kappa is not computable: both raters gave every measure one and the same status."))
    st.markdown("**" + _("Per policy area") + "**")
    st.dataframe(area_table(result.areas), hide_index=True, width="stretch")


def disagreements(programme: services.ProgrammeInfo, result: services.RoundResult, actor: services.Actor) -> None:
    st.subheader(_("Disagreements"))
    if not result.disagreements:
        st.write(_("The two raters agreed on every measure."))
        return
    found = result.round
    states = {"proposed": _("proposed, waits for review"), "approved": _("approved")}
    rows = [  # the measure's text last: on a phone the ratings are seen first
        (
            d.code,
            label(d.rating_a),
            label(d.rating_b),
            f"{label(d.settled_status)} ({states.get(d.settled_state, d.settled_state)}, {d.settled_by})"
            if d.settled
            else _("not settled yet"),
            d.text,
        )
        for d in result.disagreements
    ]
    st.dataframe(
        pd.DataFrame(rows, columns=[_("Code"), found.rater_a, found.rater_b, _("Settled"), _("Measure")]),
        hide_index=True,
        width="stretch",
    )
    if result.unsettled and found.state != "closed":
        settle_form(programme, result, actor)


def settle_form(programme: services.ProgrammeInfo, result: services.RoundResult, actor: services.Actor) -> None:
    """One disagreement at a time, settled by a third person with a normal status change."""
    found = result.round
    st.markdown("**" + _("Settle a disagreement") + "**")
    if found.is_rater(actor.name):
        st.caption(_("You rated this round; a third person (a reviewer or an admin) settles its disagreements."))
        return
    if actor.role not in ("reviewer", "admin"):
        st.caption(_("A reviewer or an admin settles the disagreements."))
        return
    open_codes = {d.code: d for d in result.unsettled}
    code = st.selectbox(
        _("Disagreement"),
        list(open_codes),
        format_func=lambda c: f"{c}: {label(open_codes[c].rating_a)} / {label(open_codes[c].rating_b)}",
        filter_mode=None,
    )
    st.page_link(
        routes.pledge(),
        label=_("Open the public page"),
        icon=":material/open_in_new:",
        query_params=components.link_params(pledge=code),
    )
    draft = Draft(f"round:{found.id}:settle:{code}")
    change = change_form.change_fields(draft, programme)
    if st.button(_("Record the settled rating"), type="primary", key=draft.key("save")):
        try:
            change_form.require_status(change)
            recorded = editing.settle_disagreement(programme.slug, found.id, code, change, actor)
        except services.TrackerError as error:
            show_error(error)
        else:
            draft.finish(recorded)
            st.rerun()


def close_form(programme: services.ProgrammeInfo, result: services.RoundResult, actor: services.Actor) -> None:
    st.subheader(_("Close the round"))
    if result.unsettled:
        st.caption(_("Once every disagreement is settled, the round can be closed and is published."))
        return
    draft = Draft(f"round:{result.round.id}:close")
    with st.form(draft.key("form")):
        note = st.text_area(
            _("How the disagreements were settled (published on the method page)"),
            max_chars=5000,
            placeholder=_("e.g. Both disagreements were discussed; the third rating followed the council paper."),
        )
        close = st.form_submit_button(_("Close and publish the round"), type="primary")
    if close:
        try:
            editing.close_round(programme.slug, result.round.id, note, actor)
        except services.TrackerError as error:
            show_error(error)
        else:
            draft.finish(True)
            st.rerun()


if __name__ == "__main__":
    rounds_page()
