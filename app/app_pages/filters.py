"""Filters shared by the pages. Each filter's value lives under its own Session State key (not the
widget's), so it survives pages that do not show the widget; the first run of a session also reads
it from the URL (?month=2026-10&business_unit=bu_x&cost=Billed), and changes are written back there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

MONTH_KEY = "selected_month"  # widget keys (tests address the widgets by them)
BUSINESS_UNIT_WIDGET_KEY = "business_unit_choice"
ALL_BUSINESS_UNITS = "All business units"


def _remembered(widget_key: str, options: list, default, param: str | None = None, parse: Callable | None = None):
    """Puts the remembered value (or the URL's, or the default) into the widget before it is drawn."""
    store = f"filter_{widget_key}"
    if store not in st.session_state:
        value = default
        if param and param in st.query_params:
            try:
                value = (parse or str)(st.query_params[param])
            except ValueError:
                value = default
        st.session_state[store] = value
    if st.session_state[store] not in options:
        st.session_state[store] = default if default in options else options[0]
    st.session_state[widget_key] = st.session_state[store]


def _remember(widget_key: str, param: str | None = None, render: Callable = str) -> Callable[[], None]:
    def callback() -> None:
        value = st.session_state[widget_key]
        st.session_state[f"filter_{widget_key}"] = value
        if param:
            st.query_params[param] = render(value)

    return callback


def persistent(
    widget: Callable, label: str, options: list, key: str, default=None, param: str | None = None, parse=None, render=str, **kwargs
):
    """Draws `widget` (st.radio, st.selectbox, st.sidebar.selectbox, st.toggle...) with a value that persists across pages."""
    _remembered(key, options, options[0] if default is None else default, param, parse)
    if widget in (st.toggle, st.checkbox) or getattr(widget, "__name__", "") in ("toggle", "checkbox"):
        return widget(label, key=key, on_change=_remember(key, param, render), **kwargs)
    return widget(label, options, key=key, on_change=_remember(key, param, render), **kwargs)


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
    return persistent(
        st.sidebar.selectbox,
        "Month",
        months,
        key=MONTH_KEY,
        param="month",
        parse=lambda text: date.fromisoformat(f"{text}-01"),
        render=lambda d: f"{d:%Y-%m}",
        format_func=lambda d: d.strftime("%B %Y"),
    )


def business_unit_selector() -> str | None:
    """Sidebar business-unit filter applied by data_access to every query of the session (None: all).
    A viewer limited to one business unit sees it fixed instead."""
    import data_access

    viewer = st.session_state.get(data_access.VIEWER_STATE_KEY) or {}
    try:
        units = data_access.business_units()
    except data_access.MartsUnavailable:
        return None
    if viewer.get("business_unit_id"):
        name = units.loc[units["business_unit_id"] == viewer["business_unit_id"], "business_unit_name"]
        st.sidebar.caption(f"Business unit: **{name.iloc[0] if len(name) else viewer['business_unit_id']}** (your access)")
        st.session_state[data_access.BUSINESS_UNIT_FILTER_KEY] = None
        return viewer["business_unit_id"]
    names = dict(zip(units["business_unit_id"], units["business_unit_name"], strict=True))
    options = [ALL_BUSINESS_UNITS, *names]
    choice = persistent(
        st.sidebar.selectbox,
        "Business unit",
        options,
        key=BUSINESS_UNIT_WIDGET_KEY,
        param="business_unit",
        format_func=lambda value: names.get(value, value),
    )
    selected = None if choice == ALL_BUSINESS_UNITS else choice
    st.session_state[data_access.BUSINESS_UNIT_FILTER_KEY] = selected
    return selected


def build_caption() -> None:
    """The data's build time, on every page (changes when a new build is published)."""
    import data_access

    build = data_access.data_build()
    if build is not None:
        st.sidebar.caption(f"Data built {build['built_at']:%Y-%m-%d %H:%M:%S} UTC (dbt {build['dbt_version']})")
