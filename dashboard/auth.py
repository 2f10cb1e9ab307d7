"""Who is signed in to this browser: a staff session (its cookie) or, optionally, single sign-on.

Sign-in and sign-out of local accounts happen on plain HTTP pages (``dashboard.session_routes``); the
session cookie they set is read here from ``st.context.cookies`` and resolved by the services on every
run, so a reload, a second tab, a language switch or another replica keep the editor signed in, and a
session that was revoked, has been idle for 30 minutes or is older than 12 hours ends at the next run.
Every write is checked again in ``tracker.services``. Single sign-on (``st.login``) is offered when
``[auth]`` is configured in Streamlit's secrets; ``[tracker.sso_roles]`` there maps allowed e-mail
addresses to roles.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from dashboard.i18n import _, current_language
from dashboard.session_routes import SESSION_COOKIE, sign_in_url
from dashboard.sso import sso_allow_list, sso_configured
from dashboard.text import plain
from tracker import services
from tracker.services import Actor

# AppTest cannot send cookies: tests hand a session token to the script here instead (a browser cannot
# write this key; the token is resolved exactly like the cookie's).
TOKEN_KEY = "staff_session_token"


# Every write of a single-sign-on user is checked against the list as it is then, not as it was at sign-in.
services.use_sso_allow_list(sso_allow_list)


def _sso_actor() -> Actor | None:
    if not sso_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    try:
        return services.sso_actor(st.user.get("email"), sso_allow_list(), st.user.get("name"))
    except services.PermissionDenied:
        return None


def session_token() -> str | None:
    token = st.session_state.get(TOKEN_KEY) or st.context.cookies.get(SESSION_COOKIE)
    return token if isinstance(token, str) else None  # AppTest's stand-in cookies are no strings


def current_actor() -> Actor | None:
    """The signed-in actor (a live staff session, else single sign-on), or None."""
    return services.resolve_session(session_token()) or _sso_actor()


def sign_out(actor: Actor) -> None:
    """End the session in the database: its cookie opens nothing any more, in any tab or replica."""
    services.end_session(session_token())
    st.session_state.pop(TOKEN_KEY, None)
    if actor.channel == "sso":
        st.logout()


def sign_in_link(title: str) -> None:
    """The way to the sign-in page, which brings the editor back to this page's address afterwards."""
    st.title(title)
    st.caption(_("Only for the people who keep this tracker up to date. Voters need no account."))
    here = urlsplit(st.context.url or "")
    target = (here.path or "/staff") + (f"?{here.query}" if here.query else "")
    st.link_button(_("Sign in"), sign_in_url(target, current_language()), type="primary", icon=":material/login:")
    if sso_configured():
        st.divider()
        if st.button(_("Sign in with single sign-on")):
            st.login()


def require_staff(role: str = "editor") -> Actor:
    """The signed-in actor with at least ``role``; otherwise show the sign-in form and stop the page."""
    actor = current_actor()
    if actor is None:
        sign_in_link(_("Sign in for the editorial team"))
        st.stop()
    if role == "admin" and not actor.is_admin:
        st.error(_("This page is for admins only."))
        st.stop()
    return actor


def role_label(role: str | None) -> str:
    """A staff role in the reader's language ("Redaktion", "Administration"); an unknown one as stored."""
    labels = {"admin": _("admin"), "editor": _("editor"), "reviewer": _("reviewer")}
    return labels.get(role or "", role or "")


def signed_in_bar(actor: Actor) -> None:
    """Who is signed in, with a way to sign out."""
    columns = st.columns([4, 1], vertical_alignment="center")
    role = role_label(actor.role)
    columns[0].caption(plain(_("Signed in as {name} ({role})").format(name=actor.signature, role=role)))
    if columns[1].button(_("Sign out"), key="sign_out"):
        sign_out(actor)
        st.rerun()


def staff_page(role: str = "editor") -> tuple[Actor, services.ProgrammeInfo]:
    """The top of every staff page: the signed-in actor (or the sign-in form), the programme, who is in."""
    from dashboard import components

    actor = require_staff(role)
    programme = components.page_programme()
    signed_in_bar(actor)
    review_backlog(programme, actor)
    return actor, programme


def review_backlog(programme: services.ProgrammeInfo, actor: Actor) -> None:
    """On every staff page: how many proposals wait for review and since when the oldest waits, with the way to
    the page "Zu prüfen"."""
    from dashboard import components, routes
    from dashboard.i18n import format_datetime, ngettext

    backlog = services.review_backlog(programme.slug, actor)
    if not backlog.count:
        return
    text = ngettext(
        "{n} proposal waits for review; the oldest since {time}.",
        "{n} proposals wait for review; the oldest since {time}.",
        backlog.count,
    ).format(n=backlog.count, time=format_datetime(backlog.oldest))
    st.page_link(
        routes.review(), label=plain(text), icon=":material/pending_actions:", query_params=components.link_params()
    )
