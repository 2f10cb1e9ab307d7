"""The fields of a status change that the rating form and the decision for several measures share, and how
either tells what was saved.

Status (with "broken" also why), effective date, rationale and one or more sources, each held in a ``Draft``
(so a half-filled form survives a language switch and a visit to another page). No ``st.form``: its values
would stay in the browser until submitted, where a page switch loses them.
"""

from __future__ import annotations

import streamlit as st

from dashboard import components, routes
from dashboard.drafts import Draft
from dashboard.i18n import _, format_date
from dashboard.statuses import DISPLAY_ORDER, broken_reason_label, label, source_kind_label
from dashboard.text import plain
from dashboard.widget_texts import choose, date_format
from tracker import services
from tracker.statuses import BROKEN_REASONS, SOURCE_KINDS, BrokenReason, Status

# Widgets get their labels as dictionaries made in the run (``format_func=labels.get``), not as functions that
# translate when called: the texts then belong to the language of the run that drew the widget.

# Streamlit writes "Press Enter to apply" under a text field being typed into, in English whatever the
# page's language; the fields say what they take, so the hint is hidden on the forms that use these fields.
_NO_ENGLISH_INPUT_HINTS = "<style>[data-testid='InputInstructions'] {display: none !important;}</style>"


def change_fields(draft: Draft, programme: services.ProgrammeInfo) -> services.StatusChangeInput:
    """Draw the fields of a status change; what they hold as the services' input."""
    st.html(_NO_ENGLISH_INPUT_HINTS)
    today = services.today()
    columns = st.columns(2)
    with columns[0]:
        status = draft.field(
            st.selectbox,
            "status",
            label=_("New status"),
            options=list(DISPLAY_ORDER),
            format_func=components.status_labels().get,
            index=None,
            placeholder=_("Choose a status"),
            filter_mode=None,
        )
    with columns[1]:
        effective = draft.field(
            st.date_input,
            "date",
            today,
            label=_("Effective date"),
            min_value=programme.election_date,
            max_value=today,
            format=date_format(),
        )
    reason, reason_text = broken_reason_fields(draft) if status == Status.BROKEN else (None, None)
    rationale = draft.field(
        st.text_area,
        "rationale",
        "",
        label=_("Rationale (shown publicly)"),
        max_chars=5000,
        placeholder=_("What happened, and why does it lead to this status?"),
    )
    return services.StatusChangeInput(
        status=status or "",
        rationale=rationale or "",
        sources=source_fields(draft),
        effective_date=effective,
        broken_reason=reason,
        broken_reason_text=reason_text,
    )


def broken_reason_fields(draft: Draft) -> tuple[str | None, str | None]:
    """Why a pledge was broken (required with that status), and with "other" what the reason was."""
    reasons = {reason: broken_reason_label(reason) for reason in BROKEN_REASONS}
    reason = draft.field(
        st.selectbox,
        "broken_reason",
        label=_("Why it was broken"),
        options=list(reasons),
        format_func=reasons.get,
        index=None,
        placeholder=_("Choose a reason"),
        filter_mode=None,
    )
    text = None
    if reason == BrokenReason.OTHER:
        text = draft.field(
            st.text_input, "broken_reason_text", "", label=_("The other reason"), max_chars=services.MAX_REASON_TEXT
        )
    return reason, text


def require_status(change: services.StatusChangeInput) -> None:
    """A change without a status is refused here, naming the field (the services would list the status keys)."""
    if not change.status:
        raise services.InvalidInput("status", "empty")


def source_fields(draft: Draft) -> list[services.SourceInput]:
    """One source, and more on request; a further source left empty is left out."""
    today = services.today()
    count = draft.get("source_count", 1)
    kinds = {kind: source_kind_label(kind) for kind in SOURCE_KINDS}
    sources = []
    for number in range(1, count + 1):
        suffix = "" if number == 1 else f" {number}"
        st.markdown("**" + (_("Source") + suffix) + "**")
        url = draft.field(
            st.text_input, f"url{number}", "", label=_("Source URL") + suffix, placeholder="https://", max_chars=2000
        )
        title = draft.field(st.text_input, f"title{number}", "", label=_("Source title") + suffix, max_chars=500)
        columns = st.columns(2)
        with columns[0]:
            kind = draft.field(
                st.selectbox,
                f"kind{number}",
                "other",
                label=_("Kind of source") + suffix,
                options=SOURCE_KINDS,
                format_func=kinds.get,
                filter_mode=None,
                placeholder=choose(),
            )
        with columns[1]:
            published = draft.field(
                st.date_input,
                f"published{number}",
                None,
                label=_("Published on") + suffix,
                value=None,
                max_value=today,
                format=date_format(),
            )
        if number == 1 or (url or "").strip() or (title or "").strip():
            sources.append(services.SourceInput(url or "", title or "", kind or "other", published))
    st.button(
        _("Add another source"),
        key=draft.key("add_source"),
        icon=":material/add:",
        on_click=draft.set,
        args=("source_count", count + 1),
    )
    return sources


def status_stays(status: str, date) -> str:
    """A change that only extends the history: which status stays, and the date of the rating that keeps it."""
    return _("History extended, the current status stays “{status}” (newer rating of {date})").format(
        status=label(status), date=format_date(date)
    )


def preview_under_review() -> None:
    """Above a preview of several ratings while review is on: what it shows happens once a reviewer approves."""
    if services.review_mode_now().on:
        st.info(
            _(
                "Review is on: saving makes proposals. The preview shows the public status as it will be once a "
                "reviewer has approved them."
            ),
            icon=":material/fact_check:",
        )


def status_after(change: services.RecordedChange) -> str:
    """What a saved change did to the public status."""
    if change.proposed:
        return _("It waits for review: the public sees it once another person has approved it.")
    if change.current_status == change.status and change.status_date == change.effective_date:
        return _("The new current status.")
    return status_stays(change.current_status, change.status_date) + "."


def saved_change(change: services.RecordedChange, text: str | None = None) -> None:
    """One saved change: its number, status and date, what it did to the public status, a link to the measure."""
    template = (
        _("{code}: proposed rating “{status}” as of {date}.")
        if change.proposed
        else _("{code}: rating no. {n}, “{status}” as of {date}.")
    )
    st.markdown(
        plain(
            template.format(
                code=change.code,
                n=change.sequence,
                status=label(change.status),
                date=format_date(change.effective_date),
            )
        )
        + "  \n"
        + plain(status_after(change))
    )
    st.page_link(
        routes.pledge(),
        label=plain(f"{change.code}: {text}") if text else _("Open the public page"),
        icon=":material/open_in_new:",
        query_params=components.link_params(pledge=change.code),
    )
