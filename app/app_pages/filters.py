"""Filters shared by every page; values live in st.session_state so they persist across pages."""

from __future__ import annotations

from datetime import date

import streamlit as st

MONTH_KEY = "selected_month"


def available_months_or_explain() -> list[date] | None:
    """The months the marts hold, or None after telling the user why there are none."""
    import data_access

    try:
        months = data_access.available_months()
    except data_access.MartsUnavailable as exc:
        st.error(str(exc))
        return None
    if not months:
        st.warning("The marts are empty: no usage has been loaded yet.")
        return None
    return months


def month_selector(months: list[date]) -> date:
    """Sidebar month picker; keeps the choice when the user switches pages."""
    if st.session_state.get(MONTH_KEY) not in months:
        st.session_state[MONTH_KEY] = months[0]
    return st.sidebar.selectbox(
        "Month",
        months,
        key=MONTH_KEY,
        format_func=lambda d: d.strftime("%B %Y"),
    )
