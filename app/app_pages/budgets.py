"""Budgets & forecast: every budget's burn, projected period end and overrun date; spend forecasts with intervals."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import data_access
from formatting import money, percent

STATUS_ICON = {"hard_cap_breached": "⛔", "over": "🔴", "warning": "🟠", "ok": "🟢"}
SCOPE_TYPES = {"Total": "total", "Business unit": "business_unit", "Team": "team", "Workflow": "workflow"}


def render() -> None:
    st.title("Budgets & forecast")
    try:
        budgets = data_access.budget_status_latest()
    except data_access.MartsUnavailable as exc:
        st.error(str(exc))
        return
    if budgets.empty:
        st.info("No budgets are defined: add rows to seeds/governance/ai_finops__budgets.csv and rebuild.")
        return

    as_of = pd.Timestamp(budgets["budget_date"].max()).date()
    counts = budgets["budget_status"].value_counts()
    cols = st.columns(4)
    for col, status in zip(cols, ["hard_cap_breached", "over", "warning", "ok"], strict=True):
        col.metric(f"{STATUS_ICON[status]} {status.replace('_', ' ')}", int(counts.get(status, 0)))
    st.caption(f"As of {as_of:%d %b %Y} (last day with data). Spend is contracted cost (what is owed after discounts).")

    budgets["status"] = budgets["budget_status"].map(lambda s: f"{STATUS_ICON[s]} {s}")
    budgets["spend_pct_of_budget"] = budgets["spend_pct_of_budget"] / 100
    st.dataframe(
        budgets[
            [
                "status",
                "budget_name",
                "scope_type",
                "scope_id",
                "period_start_date",
                "budget_amount",
                "spend_to_date",
                "spend_pct_of_budget",
                "burn_rate_daily",
                "projected_period_end_spend",
                "overrun_date",
                "projected_overrun_date",
                "hard_cap_amount",
                "child_budgets_spend_to_date",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "status": "Status",
            "budget_name": "Budget",
            "scope_type": "Scope",
            "scope_id": "Scope id",
            "period_start_date": st.column_config.DateColumn("Period start"),
            "budget_amount": st.column_config.NumberColumn("Budget", format="dollar"),
            "spend_to_date": st.column_config.NumberColumn("Spent", format="dollar"),
            "spend_pct_of_budget": st.column_config.NumberColumn("Used", format="percent"),
            "burn_rate_daily": st.column_config.NumberColumn("Burn / day", format="dollar"),
            "projected_period_end_spend": st.column_config.NumberColumn("Projected period end", format="dollar"),
            "overrun_date": st.column_config.DateColumn("Over since"),
            "projected_overrun_date": st.column_config.DateColumn("Projected overrun"),
            "hard_cap_amount": st.column_config.NumberColumn("Hard cap", format="dollar"),
            "child_budgets_spend_to_date": st.column_config.NumberColumn("Child budgets spent", format="dollar"),
        },
    )

    st.subheader("Burn of one budget")
    names = dict(zip(budgets["budget_name"], budgets["budget_id"], strict=True))
    chosen = st.selectbox("Budget", list(names), key="budget_choice")
    history = data_access.budget_history(names[chosen])
    chart = go.Figure()
    chart.add_bar(x=history["budget_date"], y=history["daily_spend"], name="Daily spend", marker_color="#9db4d0")
    chart.add_scatter(x=history["budget_date"], y=history["spend_to_date"], name="Spend to date", mode="lines")
    chart.add_scatter(x=history["budget_date"], y=history["budget_amount"], name="Budget", mode="lines", line={"dash": "dash"})
    if history["hard_cap_amount"].notna().any():
        chart.add_scatter(x=history["budget_date"], y=history["hard_cap_amount"], name="Hard cap", mode="lines", line={"dash": "dot"})
    chart.update_layout(height=320, margin={"t": 10, "b": 10}, yaxis_title="USD", legend_title_text="")
    st.plotly_chart(chart, width="stretch")

    _forecast_section()


def _forecast_section() -> None:
    st.subheader("Spend forecast")
    level = st.radio("Forecast for", list(SCOPE_TYPES), horizontal=True, key="forecast_level")
    scope_type = SCOPE_TYPES[level]
    scope_ids = data_access.forecast_scopes(scope_type)
    scope_id = scope_ids[0] if len(scope_ids) == 1 else st.selectbox(level, scope_ids, key="forecast_scope")
    forecast = data_access.spend_forecast(scope_type, scope_id).set_index("horizon")
    month = forecast.loc["month_end"]
    horizon_name = next(h for h in forecast.index if h != "month_end")
    ahead = forecast.loc[horizon_name]
    cols = st.columns(3)
    cols[0].metric(
        f"Month end ({pd.Timestamp(month['period_start_date']):%B})",
        money(month["forecast_spend"]),
        help=f"80% interval {money(month['forecast_lower_spend'])} - {money(month['forecast_upper_spend'])}",
    )
    cols[1].metric("Spent this month", money(month["actual_to_date_spend"]))
    cols[2].metric(
        horizon_name.replace("_", " ").capitalize(),
        money(ahead["forecast_spend"]),
        help=f"80% interval {money(ahead['forecast_lower_spend'])} - {money(ahead['forecast_upper_spend'])}",
    )
    st.caption(
        f"Month-end 80% interval {money(month['forecast_lower_spend'])} - {money(month['forecast_upper_spend'])}; "
        f"naive run-rate says {money(month['naive_forecast_spend'])}. Each future day is forecast at the trailing median "
        "of its day type (weekday / weekend), so a one-off spike is not carried forward."
    )

    history = data_access.scope_daily_spend(scope_type, scope_id)
    as_of = pd.Timestamp(month["as_of_date"])
    future = pd.date_range(as_of + pd.Timedelta(days=1), pd.Timestamp(ahead["period_end_date"]) - pd.Timedelta(days=1))
    daily = [ahead["weekend_median_spend"] if d.weekday() >= 5 else ahead["weekday_median_spend"] for d in future]
    chart = go.Figure()
    chart.add_bar(x=history["usage_date"], y=history["contracted_cost"], name="Actual", marker_color="#4c78a8")
    chart.add_bar(x=future, y=daily, name="Forecast", marker_color="#f58518", opacity=0.6)
    chart.update_layout(height=320, margin={"t": 10, "b": 10}, yaxis_title="USD / day", legend_title_text="", bargap=0.1)
    st.plotly_chart(chart, width="stretch")

    backtest = data_access.forecast_backtest_summary()
    if not backtest.empty:
        st.caption(
            "Backtest of month-end forecasts made on days 10, 15 and 20 of complete months (MAPE): "
            + "; ".join(f"{r.scope_type}: ours {percent(r.forecast_mape)} vs naive {percent(r.naive_mape)}" for r in backtest.itertuples())
        )
