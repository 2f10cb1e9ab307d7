"""Pieces shared by several pages: the programme in view, badges, links, the overview block."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import charts, data, errors, routes
from dashboard.i18n import (
    LANG_KEY,
    _,
    current_language,
    format_date,
    format_percent,
    local_time,
    ngettext,
    unnamed_language,
)
from dashboard.statuses import DISPLAY_ORDER, badge_html, broken_reason_label, label
from dashboard.text import excerpt, link, plain
from dashboard.widget_texts import choose
from tracker import services
from tracker.statuses import BROKEN_REASONS, direction


def status_labels() -> dict[str, str]:
    return {status: label(status) for status in DISPLAY_ORDER}


PROGRAMME_KEY = "programme"  # the URL parameter naming the programme, while several are loaded
IN_VIEW_KEY = "programme_in_view"  # the programme in view, kept for this browser session


def link_params(**params: str) -> dict[str, str]:
    """Query parameters for an in-app link: the programme in view while several are loaded (first, as in
    ``?programme=hak-herne-2025&pledge=8.2-4``), the given ones, the chosen language."""
    in_view = st.session_state.get(IN_VIEW_KEY)
    if in_view:
        params = {PROGRAMME_KEY: in_view, **params}
    if current_language() != unnamed_language():
        params[LANG_KEY] = current_language()
    return params


def permalink(code: str) -> str:
    """The address of a measure's page, relative to the app (for a table's link column)."""
    return "./?" + urlencode(link_params(pledge=code))


def current_programme() -> services.ProgrammeInfo | None:
    """The programme in view: the only one; with several, the one the URL names (``?programme=``), else the
    one chosen before in this browser session (the menu's links drop the URL's parameters), else the default
    programme (``services.default_programme``). With several, it is written into the URL, and ``link_params``
    puts it into every link, so that every address names its programme."""
    if not data.schema_ready():
        st.error(
            _("The database has no schema, or one that does not match this version of the app. Run: tracker init"),
            icon=":material/database:",
        )
        return None
    available = data.programmes()
    if not available:
        st.info(
            _("No programme has been loaded yet. Load one with: tracker import-programme PATH"),
            icon=":material/info:",
        )
        return None
    if len(available) == 1:
        st.session_state.pop(IN_VIEW_KEY, None)
        return available[0]
    by_slug = {p.slug: p for p in available}
    wanted = st.query_params.get(PROGRAMME_KEY)
    if wanted and wanted not in by_slug:
        st.warning(plain(errors.message("no_programme", {"slug": excerpt(wanted), "known": ", ".join(by_slug)})))
    if wanted not in by_slug:
        wanted = st.session_state.get(IN_VIEW_KEY)
    if wanted not in by_slug:
        wanted = _default_programme(available)
    slugs = list(by_slug)
    # No key: the choice starts from the programme in view on every run, so a link or the URL can change it.
    chosen = st.selectbox(
        _("Programme"), slugs, index=slugs.index(wanted), format_func=lambda s: by_slug[s].title, placeholder=choose()
    )
    st.session_state[IN_VIEW_KEY] = chosen
    if st.query_params.get(PROGRAMME_KEY) != chosen:
        st.query_params[PROGRAMME_KEY] = chosen
    return by_slug[chosen]


def _default_programme(available: list[services.ProgrammeInfo]) -> str:
    try:
        return data.default_programme().slug
    except services.NotFound as error:  # TRACKER_PROGRAMME names a programme that is not loaded
        errors.show_error(error)
        return available[0].slug


def page_programme() -> services.ProgrammeInfo:
    """The programme a page shows, with the demo-data notice; stops the page when none is loaded."""
    programme = current_programme()
    if programme is None:
        st.stop()
    demo_notice(programme)
    return programme


def history_entry(change, heading: str, corrected_by: int | None = None, code: str | None = None) -> None:
    """One dated rating: its badge, a heading line, the rationale as plain text, its sources. A rating that a
    later one corrects (``corrected_by``, its number) says so, with a link to the corrections of the measure
    ``code``."""
    with st.container(border=True):
        status_badge(change.status)
        st.caption(plain(heading))
        if getattr(change, "reviewed_by", None):
            st.caption(plain(reviewed_line(change.reviewed_by, change.reviewed_at)))
        if corrected_by is not None:
            st.warning(_("Corrected by no. {n}").format(n=corrected_by), icon=":material/published_with_changes:")
            if code is not None:
                st.page_link(
                    routes.corrections(),
                    label=_("What was corrected, and why"),
                    query_params=link_params(measure=code),
                )
        if change.corrects:
            st.caption(_("Corrects change no. {n}").format(n=change.corrects))
        if reason := broken_reason_text(change):
            st.markdown(f"**{plain(_('Why it was broken'))}:** {plain(reason)}")
        st.text(change.rationale)
        st.markdown(sources_markdown(change.sources))


def broken_reason_text(change) -> str | None:
    """Why a broken rating was broken, in the reader's language ("Other reason: <its text>"), None without one."""
    if not getattr(change, "broken_reason", None):
        return None
    name = broken_reason_label(change.broken_reason)
    return f"{name}: {change.broken_reason_text}" if change.broken_reason_text else name


def reviewed_line(reviewer: str, at) -> str:
    """The second signature of an approved change: who checked it, and when."""
    when = f"{format_date(local_time(at).date())}, {local_time(at):%H:%M}" if at else ""
    return _("Checked and approved by {reviewer} on {time}").format(reviewer=reviewer, time=when)


def demo_notice(programme: services.ProgrammeInfo) -> None:
    if programme.is_demo:
        st.warning(
            _("Demo data: the statuses, sources and dates shown here are invented for trying the tracker."),
            icon=":material/science:",
        )


def status_badge(status: str) -> None:
    st.html(badge_html(status))


def translation_of(measure) -> str | None:
    """The current translation of a measure (a ``PledgeRow`` or ``PledgeView``) into the page's language, if any
    (German pages show the original: German is never translated into)."""
    return measure.translations.get(current_language())


def text_of(measure) -> str:
    """A measure's text as the page's reader sees it first: its translation where there is one, else the German."""
    return translation_of(measure) or measure.text


def german_original(measure, note: bool = True) -> None:
    """Under a measure's translated text: the label saying so, and the German original one click away; under the
    German text on a page in another language (with ``note``), a note that it is the original."""
    if translation_of(measure):
        st.caption(_("Translation – original in German"))
        with st.expander(_("Show the German original")):
            st.markdown(plain(measure.text))
    elif note and current_language() != "de":
        st.caption(_("The measure's text is the German original."))


def code_text(code: str) -> str:
    """A measure's code ("8.2-4") as written in a right-to-left page too: isolated left to right (Unicode's
    LRI ... PDI), which the bidirectional algorithm would otherwise turn into "4-8.2"."""
    return f"\u2066{code}\u2069" if direction(current_language()) == "rtl" else code


def pledge_link(code: str, text: str) -> None:
    st.page_link(routes.pledge(), label=plain(f"{code_text(code)}: {text}"), query_params=link_params(pledge=code))


def checkability_note(checkable: int, total: int, past_deadline: int = 0) -> None:
    """How many of the ``total`` measures can be checked (the figures count those ``checkable``), and how many
    are overdue (``past_deadline``)."""
    text = _("{checkable} of {total} measures can be checked.").format(checkable=checkable, total=total)
    if checkable < total:
        text += " " + _("The figures and shares here count these {checkable} only.").format(checkable=checkable)
    st.caption(text)
    if past_deadline:
        st.caption(
            ngettext(
                "{n} measure is past the deadline the programme names, without a final rating.",
                "{n} measures are past the deadline the programme names, without a final rating.",
                past_deadline,
            ).format(n=past_deadline)
        )


def broken_reasons(programme: services.ProgrammeInfo, figures: services.CredibilityFigures) -> None:
    """Why the measures rated broken now were broken: a small bar chart, one bar per reason."""
    broken = figures.counts["broken"]
    if not broken:
        return
    st.header(_("Why pledges were broken"))
    st.caption(
        ngettext(
            "{n} measure is rated broken now; each bar counts those broken for that reason.",
            "{n} measures are rated broken now; each bar counts those broken for that reason.",
            broken,
        ).format(n=broken)
    )
    labels = {reason: broken_reason_label(reason) for reason in BROKEN_REASONS}
    st.plotly_chart(
        charts.broken_reasons_figure(figures.broken_reasons, labels, _("Number of measures")),
        width="stretch",
        key="broken_reasons_chart",
        config=charts.png_config(
            f"{programme.slug}-broken-reasons-{services.today().isoformat()}",
            current_language(),
            _("Download the chart as a PNG image"),
        ),
        alt=_("Bar chart: number of broken measures per reason.")
        + " "
        + "; ".join(f"{labels[r]}: {n}" for r, n in figures.broken_reasons.items()),
    )


def render_overview(programme: services.ProgrammeInfo, as_of: dt.date | None) -> None:
    """Headline figures, progress by area (chart and table), recent changes: now or as of a day."""
    view = data.overview(programme.slug, as_of)
    areas = data.area_counts(programme.slug, as_of)
    figures = view.figures
    # the checkable measures only, now and as of a day (``services.CredibilityFigures``, the edition's too)
    counts = figures.counts if figures else view.counts
    total = figures.checkable if figures else view.total
    not_checkable = view.not_checkable  # per area: in none of the counts, shown apart
    kept = counts["kept"] + counts["partially_kept"]
    if as_of:
        st.subheader(_("As it stood on {date}").format(date=format_date(as_of)))
    st.markdown(
        _("**{kept} of {total}** measures have been put into practice fully or in part so far.").format(
            kept=kept, total=total
        )
        if not as_of
        else _("**{kept} of {total}** measures had been put into practice fully or in part by then.").format(
            kept=kept, total=total
        )
    )
    if figures:
        checkability_note(figures.checkable, figures.total, figures.past_deadline)
    else:
        checkability_note(total, total + sum(not_checkable.values()))
    for column, status in zip(st.columns(len(DISPLAY_ORDER)), DISPLAY_ORDER, strict=True):
        count = counts[status]
        with column:
            st.metric(
                label(status),
                count,
                delta=format_percent(count / total if total else 0),
                delta_color="off",
                delta_arrow="off",
                border=True,
            )

    if figures:
        broken_reasons(programme, figures)

    st.header(_("Progress by policy area"))
    st.caption(_("Each bar is one policy area; click a bar to see its measures."))
    figure = charts.area_progress_figure(areas, status_labels(), _("Number of measures"))
    day = (as_of or services.today()).isoformat()
    event = st.plotly_chart(
        figure,
        width="stretch",
        on_select="rerun",
        selection_mode="points",
        key="area_chart",
        config=charts.png_config(
            f"{programme.slug}-progress-by-area-{day}", current_language(), _("Download the chart as a PNG image")
        ),
        alt=_("Stacked bar chart: number of measures per status in each of the {n} policy areas.").format(
            n=areas["area_number"].nunique()
        ),
    )
    points = getattr(getattr(event, "selection", None), "points", None) or []
    if points:
        area_number = int(points[0]["customdata"][0])
        st.switch_page(routes.measures(), query_params=link_params(area=str(area_number)))

    with st.expander(_("Open the measures of an area")):
        for number, title in areas[["area_number", "area_short_title"]].drop_duplicates().itertuples(index=False):
            n = int(areas[areas["area_number"] == number]["count"].sum()) + not_checkable.get(number, 0)
            st.page_link(
                routes.measures(),
                label=plain(f"{number}. {title} ({ngettext('{n} measure', '{n} measures', n).format(n=n)})"),
                query_params=link_params(area=str(number)),
            )
    with st.expander(_("Show as a table")):
        st.dataframe(area_table(areas, not_checkable), hide_index=True, width="stretch")
    if flagged := sum(not_checkable.values()):
        st.caption(
            ngettext(
                "Not counted in the figures by status, the chart or the status columns of the table: {n} measure "
                "that cannot be checked (column “Not checkable”). An area's total counts all its measures.",
                "Not counted in the figures by status, the chart or the status columns of the table: {n} measures "
                "that cannot be checked (column “Not checkable”). An area's total counts all its measures.",
                flagged,
            ).format(n=flagged)
        )

    st.header(_("Latest status changes"))
    if not view.recent:
        st.write(_("No status has been recorded yet: every measure is still “not yet rated”."))
    for change in view.recent:
        with st.container(border=True):
            status_badge(change.status)
            pledge_link(change.code, change.text)
            st.caption(
                plain(
                    _("{date} · {area} · recorded by {author}").format(
                        date=format_date(change.effective_date), area=change.area_short_title, author=change.author
                    )
                )
            )
    if view.last_update:
        st.caption(_("Last updated: {date}").format(date=format_date(view.last_update.date())))


def area_table(areas: pd.DataFrame, not_checkable: dict[int, int] | None = None) -> pd.DataFrame:
    """The area chart as a table: one row per area, one column per status, the measures that cannot be checked
    (``not_checkable`` per area number; a column only while there are any: they are in no status column), and
    the total of every measure of the area."""
    table = areas.pivot_table(
        index=["area_number", "area_short_title"], columns="status", values="count", aggfunc="sum", fill_value=0
    ).reindex(columns=list(DISPLAY_ORDER), fill_value=0)
    table.columns = [label(s) for s in table.columns]
    if not_checkable and any(not_checkable.values()):
        numbers = table.index.get_level_values("area_number")
        table[_("Not checkable")] = [not_checkable.get(int(n), 0) for n in numbers]
    table[_("Total")] = table.sum(axis=1)
    table = table.reset_index().rename(columns={"area_number": _("No."), "area_short_title": _("Policy area")})
    return table


def sources_markdown(sources) -> str:
    """A Markdown list of sources: each a safe link, with its publication date when known."""
    return "\n".join(
        f"- {link(s.title, s.url)}" + (f" ({format_date(s.published_on)})" if s.published_on else "") for s in sources
    )


def _css_text(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def translate_file_uploader(button: str, instructions: str) -> None:
    """Put the page's words on Streamlit's file uploader, which writes "Upload" and "… per file" in English
    whatever the page's language: its texts are hidden and ours shown in their place (our own static style)."""
    st.html(
        "<style>"
        "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p,"
        "[data-testid='stFileUploaderDropzoneInstructions'] span {font-size: 0 !important;}"
        "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p::after"
        f"{{content: {_css_text(button)}; font-size: 0.875rem;}}"
        "[data-testid='stFileUploaderDropzoneInstructions'] span::after"
        f"{{content: {_css_text(instructions)}; font-size: 0.875rem;}}"
        "</style>"
    )


def returned_note(proposal: services.ProposalView) -> None:
    """Why a reviewer returned a proposal, and who: shown to its author wherever the proposal is listed."""
    st.warning(
        plain(
            _("Returned by {reviewer}: {reason}").format(
                reviewer=proposal.reviewed_by or "", reason=proposal.review_note or ""
            )
        ),
        icon=":material/undo:",
    )
