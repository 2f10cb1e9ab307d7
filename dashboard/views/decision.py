"""One decision, several measures: pick the measures a council decision (or any one source) covers, enter
the status, date, rationale and sources once, see what will change for each, save all in one transaction.

The choice of measures and the half-filled decision are drafts (``dashboard.drafts``): they survive a
language switch and a visit to another page. What the preview showed is what is saved: each measure is
saved with the version the editor saw in it, so a change someone else recorded meanwhile is refused and
named instead of silently overtaken.
"""

from __future__ import annotations

import re

import streamlit as st

from dashboard import auth, change_form, components, data, editing
from dashboard.drafts import Draft
from dashboard.errors import show_error
from dashboard.i18n import _, ngettext
from dashboard.statuses import DISPLAY_ORDER, label
from dashboard.text import plain
from tracker import services

SHOWN = 60  # measures listed to pick from at once; more are found by narrowing the filters
LIST_HEIGHT = 360  # pixels of the list of measures to pick from, when it is longer than that
SHORT = 90  # characters of a measure's text in the preview
PICK = "pick:"  # draft fields of the checkboxes: pick:<code>
SEEN = "seen:"  # the version of each measure as the preview first showed it: seen:<code>
ALL = 0  # the area and goal filters' choice "all" (a selectbox showing None would read "Choose an option")


def decision_page() -> None:
    actor, programme = auth.staff_page()
    st.title(_("One decision, several measures"))
    st.caption(
        _(
            "Pick the measures a decision covers, enter the new status, its date, rationale and source once, and "
            "check the preview. Saving records the change for every measure listed, or for none."
        )
    )
    filters = Draft("decision:filters")
    decision = Draft("decision")
    saved_summary(decision)
    st.subheader(_("1. Measures"))
    pick_measures(programme.slug, filters, decision)
    decide(programme, decision, actor)


def decide(programme: services.ProgrammeInfo, decision: Draft, actor: services.Actor) -> None:
    """The decision, its preview and the save (not a fragment: see ``rating_forms.record_rating``)."""
    st.subheader(_("2. Decision"))
    change = change_form.change_fields(decision, programme)
    st.subheader(_("3. Preview and save"))
    previews = preview(programme.slug, decision, change)
    save(programme.slug, decision, change, previews, actor)


# --------------------------------------------------------------------------- picking measures


def pick_measures(slug: str, filters: Draft, decision: Draft) -> None:
    """Search and filters, then the matching measures with a checkbox each; the choice is kept in ``decision``."""
    query = filters.field(
        st.text_input,
        "query",
        "",
        label=_("Search"),
        placeholder=_("Type a code or words of the measure"),
        max_chars=services.MAX_QUERY_CHARACTERS,
    )
    areas = {ALL: _("All areas")} | {int(o.key): o.label for o in data.area_options(slug)}
    columns = st.columns(3)
    with columns[0]:
        area = filters.field(
            st.selectbox,
            "area",
            ALL,
            label=_("Policy area"),
            options=list(areas),
            format_func=areas.get,
            filter_mode=None,
        )
    goals = {ALL: _("All goals")} | {o.key: o.label for o in data.goal_options(slug, area or None)}
    if filters.get("goal", ALL) not in goals:  # a goal of another area than the one chosen now
        filters.set("goal", ALL)
    with columns[1]:
        goal = filters.field(
            st.selectbox,
            "goal",
            ALL,
            label=_("Goal"),
            options=list(goals),
            format_func=goals.get,
            filter_mode=None,
        )
    with columns[2]:
        statuses = filters.field(
            st.multiselect,
            "statuses",
            [],
            label=_("Current status"),
            options=list(DISPLAY_ORDER),
            format_func=components.status_labels().get,
            placeholder=_("All statuses"),
            select_all=False,
            filter_mode=None,
        )
    if not (query or area or goal or statuses):
        st.info(_("Search, or choose a policy area, goal or status, to list the measures to pick from."))
        found = services.SearchResult((), 0)
    else:
        try:
            found = data.search(slug, query or "", area or None, goal or None, tuple(statuses), SHOWN, 0)
        except services.InvalidInput as error:  # more words than a search takes: the message says how many
            show_error(error)
            found = services.SearchResult((), 0)
        more = " " + _("The first {limit} are listed; narrow the search down.").format(limit=SHOWN)
        st.caption(
            ngettext("{n} measure found.", "{n} measures found.", found.total).format(n=found.total)
            + (more if found.total > SHOWN else "")
        )
    shown = [row.code for row in found.rows]
    buttons = st.columns(2)
    buttons[0].button(
        _("Select all listed"),
        key=decision.key("all"),
        on_click=_pick,
        args=(decision, shown, True),
        disabled=not shown,
        width="stretch",
    )
    chosen = picked(decision)
    buttons[1].button(
        _("Select none"),
        key=decision.key("none"),
        on_click=_pick,
        args=(decision, chosen, False),
        disabled=not chosen,
        width="stretch",
    )
    if found.rows:  # a long list scrolls in its own box, so that the decision and preview stay near
        with st.container(border=True, height=LIST_HEIGHT if len(found.rows) > 8 else "content"):
            for row in found.rows:
                decision.field(
                    st.checkbox,
                    PICK + row.code,
                    False,
                    label=f"**{plain(row.code)}** {plain(row.text)} · {plain(label(row.status))}",
                )
    elif query or area or goal or statuses:
        st.write(_("No measure matches the search and filters."))
    st.caption(ngettext("{n} measure picked.", "{n} measures picked.", len(chosen)).format(n=len(chosen)))


def _pick(decision: Draft, codes: list[str], value: bool) -> None:
    for code in codes:
        decision.set(PICK + code, value)


def picked(decision: Draft) -> list[str]:
    """The codes chosen, listed or not, in programme-like order (8.2-4 before 8.10-1)."""
    codes = [field.removeprefix(PICK) for field, value in decision.fields(PICK).items() if value]
    return sorted(codes, key=_natural)


def _natural(code: str) -> list:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", code) if part]


# --------------------------------------------------------------------------- preview


def preview(slug: str, decision: Draft, change: services.StatusChangeInput) -> list[services.ChangePreview]:
    """What saving would do to each chosen measure, read fresh; the versions seen are kept for the save."""
    codes = picked(decision)
    if not codes:
        st.info(_("Pick at least one measure above."), icon=":material/checklist:")
        return []
    if not change.status:
        st.info(_("Choose the new status to see what will change."), icon=":material/rule:")
        return []
    seen = decision.fields(SEEN)
    items = [services.BulkItem(code, change, expected_version=seen.get(SEEN + code)) for code in codes]
    try:
        previews = services.preview_status_changes(slug, items)
    except services.TrackerError as error:
        show_error(error)
        return []
    for field in seen:  # forget what was seen of measures no longer chosen
        if field.removeprefix(SEEN) not in codes:
            decision.remember(field, None)
    for row in previews:
        if decision.get(SEEN + row.code) is None:
            decision.remember(SEEN + row.code, row.version)
    lines = [preview_line(row) for row in previews]
    change_form.preview_under_review()
    st.markdown("\n".join(f"- {line}" for line in lines))
    return previews


def preview_line(row: services.ChangePreview) -> str:
    """One measure of the preview as Markdown: code, short text, and what will happen to its status."""
    text = row.text if len(row.text) <= SHORT else row.text[:SHORT].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    if row.effect == services.Effect.ALREADY_RECORDED:
        what = plain(_("already recorded (rating no. {n}); skipped").format(n=row.identical.sequence))
    elif row.effect == services.Effect.HISTORY_ONLY:
        what = plain(change_form.status_stays(row.public_status, row.newer.effective_date))
    else:
        what = f"{plain(label(row.status))} → **{plain(label(row.public_status))}**"
    if row.changed_since is not None:
        other = row.changed_since
        what += " · ⚠ " + plain(
            _("changed meanwhile: {author} recorded “{status}” (no. {n})").format(
                author=other.author, status=label(other.status), n=other.sequence
            )
        )
    return f"**{plain(row.code)}** {plain(text)} — {what}"


# --------------------------------------------------------------------------- saving


def save(
    slug: str,
    decision: Draft,
    change: services.StatusChangeInput,
    previews: list[services.ChangePreview],
    actor: services.Actor,
) -> None:
    """The save button; saving records every chosen measure but those already recorded, in one transaction."""
    to_save = [row for row in previews if row.saves]
    skipped = len(previews) - len(to_save)
    pressed = st.button(
        ngettext("Save {n} change", "Save {n} changes", len(to_save)).format(n=len(to_save))
        if to_save
        else _("Save changes"),
        type="primary",
        key=decision.key("save"),
        disabled=not to_save,
    )
    if not pressed:
        return
    items = [services.BulkItem(row.code, change, expected_version=decision.get(SEEN + row.code)) for row in to_save]
    texts = {row.code: row.text for row in previews}
    try:
        change_form.require_status(change)
        services.check_status_change(slug, change)
        recorded = editing.record_changes(slug, items, actor)
        decision.finish(([(r, texts[r.code]) for r in recorded], skipped))  # at once after the commit
    except services.Conflict as error:
        show_error(error)
        code = error.params.get("pledge")
        decision.remember(SEEN + code, None)  # the next preview shows the measure as it is now, and is taken as seen
        return
    except services.TrackerError as error:
        show_error(error)
        return
    st.rerun()


def saved_summary(decision: Draft) -> None:
    """After a save, until the next decision is begun: what was saved, each with a link to its measure."""
    done = decision.saved
    if done is None:
        return
    recorded, skipped = done
    message = ngettext("Saved {n} change.", "Saved {n} changes.", len(recorded)).format(n=len(recorded))
    if skipped:
        message += " " + ngettext(
            "{n} measure was skipped: the same change is recorded already.",
            "{n} measures were skipped: the same change is recorded already.",
            skipped,
        ).format(n=skipped)
    with st.container(border=True):
        st.success(message, icon=":material/check:")
        for change, text in recorded:
            change_form.saved_change(change, text)


if __name__ == "__main__":
    decision_page()
