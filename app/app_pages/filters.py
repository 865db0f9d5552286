"""Filters shared by every page; values live in st.session_state so they persist across pages."""

from __future__ import annotations

from datetime import date

import streamlit as st

MONTH_KEY = "selected_month"


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
