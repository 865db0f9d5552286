"""Optional sign-in and business-unit scoping: off unless `[ai_finops_access]` is in the secrets.

    [ai_finops_access]
    require_sign_in = true
    [ai_finops_access.viewers.alice]                  # password sign-in (sha256 of the password)
    password_sha256 = "2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90"
    business_unit_id = "bu_research"                   # alice only ever sees Research's rows
    [ai_finops_access.viewers."cfo@example.com"]       # st.login (OIDC, `[auth]` section): matched on st.user.email
    business_unit_id = "*"                             # every business unit

A viewer's business unit is applied to every query in data_access (bound parameters), whatever page
or filter; this module only decides who is looking.
"""

from __future__ import annotations

import hashlib
import hmac

import streamlit as st

import data_access

SECTION = "ai_finops_access"


def access_config() -> dict:
    return data_access._secrets_section(SECTION)


def sign_in_required() -> bool:
    return bool(access_config().get("require_sign_in", False))


def _viewers() -> dict:
    return dict(access_config().get("viewers") or {})


def _scope(entry: dict) -> str | None:
    business_unit = entry.get("business_unit_id")
    return None if business_unit in (None, "", "*") else str(business_unit)


def _password_matches(entry: dict, password: str) -> bool:
    expected = str(entry.get("password_sha256") or "")
    return bool(expected) and hmac.compare_digest(hashlib.sha256(password.encode()).hexdigest(), expected.lower())


def _sso_email() -> str | None:
    try:
        user = st.user
        return str(user.get("email")) if user.get("is_logged_in") and user.get("email") else None
    except Exception:  # no [auth] section: st.login is not configured
        return None


def identify() -> bool:
    """Who is looking, re-read from the configuration on every run; True when the dashboard may render."""
    if not sign_in_required():
        st.session_state.pop(data_access.VIEWER_STATE_KEY, None)
        return True
    viewers = _viewers()
    current = st.session_state.get(data_access.VIEWER_STATE_KEY)
    name = current.get("name") if current else _sso_email()
    if name is not None and name in viewers:
        st.session_state[data_access.VIEWER_STATE_KEY] = {"name": name, "business_unit_id": _scope(dict(viewers[name]))}
        _signed_in_sidebar(name)
        return True
    st.session_state.pop(data_access.VIEWER_STATE_KEY, None)
    _sign_in_form(viewers)
    return False


def _sign_in_form(viewers: dict) -> None:
    st.title("AI FinOps: sign in")
    user = st.text_input("User", key="sign_in_user")
    password = st.text_input("Password", type="password", key="sign_in_password")
    if st.button("Sign in", key="sign_in_button"):
        entry = viewers.get(user)
        if entry is not None and _password_matches(dict(entry), password):
            st.session_state[data_access.VIEWER_STATE_KEY] = {"name": user, "business_unit_id": _scope(dict(entry))}
            st.session_state.pop("sign_in_password", None)
            st.rerun()
        st.error("Unknown user or wrong password.")
    if "auth" in data_access._secrets_section():
        st.button("Sign in with your identity provider", on_click=st.login, key="sso_button")


def _signed_in_sidebar(name: str) -> None:
    viewer = st.session_state[data_access.VIEWER_STATE_KEY]
    scope = viewer["business_unit_id"] or "all business units"
    st.sidebar.caption(f"Signed in as **{name}** ({scope})")
    if st.sidebar.button("Sign out", key="sign_out_button"):
        st.session_state.pop(data_access.VIEWER_STATE_KEY, None)
        if _sso_email():
            st.logout()
        st.rerun()
