"""Measures: every pledge in programme order, searchable and filterable, the filters kept in the URL."""

import math

import pandas as pd
import streamlit as st

from dashboard import components, data
from dashboard.errors import show_error
from dashboard.i18n import _, current_language, ngettext
from dashboard.statuses import DISPLAY_ORDER, label
from dashboard.text import plain
from dashboard.urlstate import one_of, page_number, search_query, some_of, url_widget
from tracker import services

PAGE_SIZE = 25
TABLE_LIMIT = 5000


def measures_page() -> None:
    programme = components.page_programme()
    st.title(_("All measures"))
    filters = chosen_filters(programme.slug)
    view = url_widget(
        st.segmented_control,
        "view",
        default="list",
        parse=one_of(["list", "table"], "list"),
        label=_("View"),
        options=["list", "table"],
        format_func=lambda v: _("List") if v == "list" else _("Table"),
        required=True,
        label_visibility="collapsed",
    )
    try:
        if view == "table":
            result, number = data.search(*filters, TABLE_LIMIT, 0, current_language()), 1
        else:
            result, number = one_page(filters)
    except services.InvalidInput as error:  # a search longer than the search takes: the message says what it takes
        show_error(error)
        return
    st.markdown(ngettext("**{n}** measure found", "**{n}** measures found", result.total).format(n=result.total))
    if not result.total:
        st.info(_("Nothing matches. Try fewer or shorter words, or remove a filter."), icon=":material/search_off:")
    elif view == "table":
        as_table(result)
    else:
        as_list(result, number)


def chosen_filters(slug: str) -> tuple[str, str, int | None, str | None, tuple[str, ...]]:
    """The search words, area, goal and statuses chosen (and kept in the URL): ``data.search``'s first arguments."""
    query = url_widget(
        st.text_input,
        "q",
        default="",
        parse=search_query,
        label=_("Search"),
        placeholder=_("e.g. Kita, Straße, Radweg"),
        type="search",
        icon=":material/search:",
    )
    areas = {o.key: o.label for o in data.area_options(slug)}
    with st.expander(_("Filter by area, goal and status"), expanded=bool(st.query_params.get("area"))):
        area_key = url_widget(
            st.selectbox,
            "area",
            parse=one_of(list(areas)),
            label=_("Policy area"),
            options=[None, *areas],
            format_func=lambda k: _("All areas") if k is None else areas[k],
            placeholder=_("All areas"),
        )
        area = int(area_key) if area_key else None
        goals = {o.key: o.label for o in data.goal_options(slug, area)}
        if st.session_state.get("goal") not in (None, *goals):
            st.session_state["goal"] = None  # the goal belongs to another area
        goal_key = url_widget(
            st.selectbox,
            "goal",
            parse=one_of(list(goals)),
            label=_("Goal"),
            options=[None, *goals],
            format_func=lambda k: _("All goals") if k is None else goals[k],
            placeholder=_("All goals"),
            disabled=not goals,
        )
        statuses = url_widget(
            st.multiselect,
            "status",
            default=[],
            parse=some_of(list(DISPLAY_ORDER)),
            multi=True,
            label=_("Status"),
            options=list(DISPLAY_ORDER),
            format_func=label,
            placeholder=_("All statuses"),
        )
    goal = goal_key if goal_key in goals else None
    return slug, query or "", area, goal, tuple(statuses)


def one_page(filters: tuple) -> tuple[services.SearchResult, int]:
    """The page of results chosen in the URL (``?page=``), and its number."""
    first = data.search(*filters, PAGE_SIZE, 0, current_language())
    pages = max(1, math.ceil(first.total / PAGE_SIZE))
    if pages == 1:
        return first, 1
    number = url_widget(
        st.number_input,
        "page",
        default=1,
        parse=lambda raw: page_number(raw, pages),
        label=_("Page"),
        min_value=1,
        max_value=pages,
        step=1,
    )
    result = first if number == 1 else data.search(*filters, PAGE_SIZE, (number - 1) * PAGE_SIZE, current_language())
    return result, number


def as_table(result: services.SearchResult) -> None:
    columns = {
        _("Code"): [r.code for r in result.rows],
        _("Status"): [label(r.status) for r in result.rows],
        _("Measure"): [components.text_of(r) for r in result.rows],
    }
    if current_language() != "de":  # the measures in another language: the German original beside them
        columns[_("German original")] = [r.text for r in result.rows]
    frame = pd.DataFrame(
        {
            **columns,
            _("Policy area"): [f"{r.area_number}. {r.area_short_title}" for r in result.rows],
            _("Goal"): [f"{r.goal_code} {r.goal_title}" if r.goal_code else "" for r in result.rows],
            _("Link"): [components.permalink(r.code) for r in result.rows],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={_("Link"): st.column_config.LinkColumn(_("Link"), display_text=_("open"))},
    )


def as_list(result: services.SearchResult, number: int) -> None:
    if current_language() != "de":
        st.caption(_("Measures without a translation into this language are shown in the German original."))
    for row in result.rows:
        with st.container(border=True):
            components.status_badge(row.status)
            components.pledge_link(row.code, components.text_of(row))
            components.german_original(row, note=False)
            where = f"{row.area_number}. {row.area_short_title}"
            if row.goal_code:
                where += f" · {row.goal_code} {row.goal_title}"
            st.caption(plain(where))
    if result.total > PAGE_SIZE:
        shown_from = (number - 1) * PAGE_SIZE + 1
        st.caption(
            _("Showing {first} to {last} of {total}.").format(
                first=shown_from, last=shown_from + len(result.rows) - 1, total=result.total
            )
        )


if __name__ == "__main__":
    measures_page()
