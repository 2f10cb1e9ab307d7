"""Single sign-on through Streamlit's ``st.login``: whether it is configured, and whom it admits with which role.

Its own module, so that the server's routes and middleware (``dashboard.session_routes``,
``dashboard.upload_gate``) and the pages' sign-in (``dashboard.auth``) ask the same place without importing
each other.
"""

from __future__ import annotations

import streamlit as st


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, AttributeError):
        return False
    except Exception:  # noqa: BLE001 - a missing or unreadable secrets file means: not configured
        return False


def sso_allow_list() -> dict[str, str]:
    """The e-mail addresses single sign-on admits, with their roles (``[tracker.sso_roles]`` in the secrets)."""
    if not sso_configured():
        return {}
    return dict(st.secrets.get("tracker", {}).get("sso_roles", {}))
