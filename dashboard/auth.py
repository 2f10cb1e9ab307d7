"""Who is signed in to this browser session: local accounts (default) or optional single sign-on.

The session only remembers the actor; every write is checked again in ``tracker.services``. An idle
session expires after ``IDLE_TIMEOUT``. Single sign-on (``st.login``) is offered when ``[auth]`` is
configured in Streamlit's secrets; ``[tracker.sso_roles]`` there maps allowed e-mail addresses to roles.
"""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from dashboard.errors import show_error
from dashboard.i18n import _
from tracker import services
from tracker.services import Actor

IDLE_TIMEOUT = dt.timedelta(minutes=30)
ACTOR_KEY = "staff_actor"
SEEN_KEY = "staff_last_seen"


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, AttributeError):
        return False
    except Exception:  # noqa: BLE001 - a missing or unreadable secrets file means: not configured
        return False


def _sso_actor() -> Actor | None:
    if not sso_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    allowed = dict(st.secrets.get("tracker", {}).get("sso_roles", {}))
    try:
        return services.sso_actor(st.user.get("email"), allowed)
    except services.PermissionDenied:
        return None


def current_actor() -> Actor | None:
    """The signed-in actor (local account or single sign-on), or None; an idle session is signed out here."""
    stored = st.session_state.get(ACTOR_KEY)
    actor = Actor(**stored) if stored is not None else _sso_actor()
    if actor is None:
        return None
    now = time.monotonic()
    if now - st.session_state.get(SEEN_KEY, now) > IDLE_TIMEOUT.total_seconds():
        sign_out()
        st.session_state["staff_expired"] = True
        if actor.channel == "sso":
            st.logout()
        return None
    st.session_state[SEEN_KEY] = now
    return actor


def sign_in(name: str, password: str) -> Actor:
    """Check the password (the services count failures and lock the account after too many)."""
    actor = services.authenticate(name, password)
    st.session_state[ACTOR_KEY] = {"name": actor.name, "role": actor.role, "channel": actor.channel}
    st.session_state[SEEN_KEY] = time.monotonic()
    st.session_state.pop("staff_expired", None)
    return actor


def sign_out() -> None:
    st.session_state.pop(ACTOR_KEY, None)
    st.session_state.pop(SEEN_KEY, None)


def sign_in_form() -> None:
    """The sign-in form; on success the page reruns signed in."""
    if st.session_state.pop("staff_expired", False):
        st.info(
            _("You were signed out after {minutes} minutes without activity.").format(
                minutes=int(IDLE_TIMEOUT.total_seconds() // 60)
            )
        )
    with st.form("sign_in", enter_to_submit=True):
        name = st.text_input(_("Name"), autocomplete="username", max_chars=100)
        password = st.text_input(_("Password"), type="password", autocomplete="current-password", max_chars=200)
        submitted = st.form_submit_button(_("Sign in"), type="primary")
    if submitted:
        try:
            sign_in(name, password)
        except services.SignInFailed as error:
            show_error(error)
        else:
            st.rerun()
    if sso_configured():
        st.divider()
        if st.button(_("Sign in with single sign-on")):
            st.login()


def require_staff(role: str = "editor") -> Actor:
    """The signed-in actor with at least ``role``; otherwise show the sign-in form and stop the page."""
    actor = current_actor()
    if actor is None:
        st.title(_("Sign in for the editorial team"))
        sign_in_form()
        st.stop()
    if role == "admin" and not actor.is_admin:
        st.error(_("This page is for admins only."))
        st.stop()
    return actor


def signed_in_bar(actor: Actor) -> None:
    """Who is signed in, with a way to sign out."""
    columns = st.columns([4, 1], vertical_alignment="center")
    columns[0].caption(_("Signed in as {name} ({role})").format(name=actor.name, role=actor.role))
    if columns[1].button(_("Sign out"), key="sign_out"):
        sign_out()
        if actor.channel == "sso":
            st.logout()
        st.rerun()


def staff_page(role: str = "editor") -> tuple[Actor, services.ProgrammeInfo]:
    """The top of every staff page: the signed-in actor (or the sign-in form), the programme, who is in."""
    from dashboard import components

    actor = require_staff(role)
    programme = components.page_programme()
    signed_in_bar(actor)
    return actor, programme
