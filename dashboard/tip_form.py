"""The form "Hinweis geben" on every measure's public page: a reader tells the editorial team what happened.

The rules (lengths, the honeypot, the limits per browser session and client address) are the services'
(``tracker.services.tips``); this draws the form, names the browser session and finds the client address:
Streamlit's ``st.context.ip_address`` (None for a browser on this machine), or, when that connection comes
from a trusted proxy (``TRACKER_TRUSTED_PROXIES``), the client it names in ``X-Forwarded-For``, by the same
rule as the sign-in (``session_routes.forwarded_client``).
"""

from __future__ import annotations

import secrets

import streamlit as st

from dashboard.errors import show_error
from dashboard.i18n import _, format_datetime
from tracker import services

SESSION_KEY = "tip_session_key"  # names this browser session for the limit per session
ROUND_KEY = "tip_form_round"  # raised after each hint sent: the form is drawn afresh, empty
SENT_KEY = "tip_sent"  # the receipt of the hint just sent, shown once
HONEYPOT = "website"  # the field people never see
# The honeypot is hidden from people: display none takes it out of the layout, the tab order and the
# accessibility tree (what aria-hidden would do; Streamlit widgets take no ARIA attributes).
_HIDE_HONEYPOT = f"<style>.st-key-{HONEYPOT}_field {{display: none !important;}}</style>"
LOOPBACK = "127.0.0.1"  # what st.context.ip_address reports as None


def session_key() -> str:
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = secrets.token_hex(16)
    return st.session_state[SESSION_KEY]


def client_address() -> str | None:
    """The reader's address as the limit per address counts it; None when it is this machine itself."""
    from dashboard.session_routes import forwarded_client

    ip = st.context.ip_address
    peer = ip if isinstance(ip, str) and ip else LOOPBACK  # (AppTest's context holds stand-ins, no strings)
    forwarded = [value for value in st.context.headers.get_all("X-Forwarded-For") if isinstance(value, str)]
    client = forwarded_client(peer, forwarded)
    return None if client == LOOPBACK else client


def tip_form(slug: str, code: str) -> None:
    """The form in an expander, with what happens to a hint and to the e-mail address said beside it."""
    receipt = st.session_state.pop(SENT_KEY, None)
    if receipt is not None:  # outside the expander: seen whether it is open or not
        st.success(
            _("Thank you! Your hint reached the editorial team on {time}. We check every hint.").format(
                time=format_datetime(receipt.submitted_at)
            ),
            icon=":material/check:",
        )
    with st.expander(_("Send a hint"), icon=":material/campaign:"):
        st.caption(
            _(
                "Do you know something about this measure: a council decision, a press report, a mistake of ours? "
                "Tell the editorial team. Hints are read by people and are not published; what we can check may "
                "become a source or a new rating."
            )
        )
        st.html(_HIDE_HONEYPOT)
        form_round = st.session_state.setdefault(ROUND_KEY, 0)
        with st.form(f"tip_{form_round}", enter_to_submit=False, border=False):
            text = st.text_area(
                _("Your hint"), max_chars=services.MAX_TIP_TEXT, height=140, key=f"tip_text_{form_round}"
            )
            url = st.text_input(
                _("Web address of a source (optional)"),
                max_chars=2000,
                placeholder="https://",
                key=f"tip_url_{form_round}",
            )
            email = st.text_input(
                _("Your e-mail address for a reply (optional)"), max_chars=320, key=f"tip_email_{form_round}"
            )
            st.caption(
                _("Your e-mail address is never shown publicly and is deleted when we have dealt with your hint.")
            )
            trap = st.text_input(_("Your website"), key=f"{HONEYPOT}_field")
            send = st.form_submit_button(_("Send hint"), icon=":material/send:")
    if send:
        try:
            sent = services.submit_tip(
                slug,
                code,
                services.TipInput(text, url, email, trap),
                session_key=session_key(),
                address=client_address(),
            )
        except services.TrackerError as error:
            show_error(error)
        else:
            st.session_state[SENT_KEY] = sent
            st.session_state[ROUND_KEY] = form_round + 1
            st.rerun()
