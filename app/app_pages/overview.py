"""Overview: this month's spend against last month, the trend, who moved, and how much is attributed."""

from __future__ import annotations

from datetime import timedelta

import plotly.express as px
import streamlit as st

import data_access
from app_pages.filters import available_months_or_explain, month_selector
from formatting import money, percent, tokens

METHOD_LABELS = {
    "request_tag": "Request tags",
    "gateway_key_owner": "Gateway key owner",
    "api_key_owner": "Provider key owner",
    "container_owner": "Project / workspace owner",
    "virtual_tag_rule": "Virtual-tag rule",
    "shared_allocation": "Shared to teams",
    "unallocated": "Unallocated",
}


def render() -> None:
    st.title("AI spend overview")
    months = available_months_or_explain()
    if months is None:
        return
    month = month_selector(months)
    totals = data_access.monthly_totals().set_index("billing_month")
    totals.index = [d.date() if hasattr(d, "date") else d for d in totals.index]
    current = totals.loc[month]
    previous_month = next((m for m in months if m < month), None)
    previous = totals.loc[previous_month] if previous_month else None

    c1, c2, c3, c4 = st.columns(4)
    delta = None if previous is None else current["list_cost"] - previous["list_cost"]
    c1.metric(
        f"Spend in {month:%B %Y}",
        money(current["list_cost"]),
        delta=None if delta is None else money(delta),
        delta_color="inverse",
        delta_description="vs last month",
        help="List cost of all attributed and unallocated usage in the month (shared platform charges not included).",
    )
    c2.metric("Requests", f"{int(current['request_count']):,}", help="Billed model requests.")
    c3.metric(
        "Unallocated",
        money(current["unallocated_list_cost"]),
        delta=f"{percent(current['unallocated_list_cost'] / current['list_cost'])} of spend" if current["list_cost"] else None,
        delta_color="off",
        delta_arrow="off",
        help="Usage no tag, key, project or account owner, nor a virtual-tag rule, explains (pooled keys); the chargeback shares it to teams.",
    )
    c4.metric(
        "Unpriced tokens",
        tokens(current["unpriced_tokens"]),
        delta=f"{int(current['unpriced_request_count']):,} requests",
        delta_color="off",
        delta_arrow="off",
        help="Usage of models missing from the price book: cost unknown, not counted as $0.",
    )

    last_day = data_access.last_usage_date()
    daily = data_access.daily_spend(last_day - timedelta(days=89), last_day)
    st.subheader("Daily spend by provider")
    chart = px.bar(daily, x="usage_date", y="list_cost", color="provider", labels={"usage_date": "", "list_cost": "List cost (USD)"})
    chart.update_layout(height=320, margin={"t": 10, "b": 10}, legend_title_text="")
    st.plotly_chart(chart, width="stretch")

    left, right = st.columns(2)
    with left:
        st.subheader("Teams: this month vs last")
        movers = data_access.team_movers(month, previous_month)
        movers["change"] = movers["this_month"] - movers["last_month"]
        st.dataframe(
            movers.head(12),
            hide_index=True,
            width="stretch",
            column_config={
                "team_name": "Team",
                "this_month": st.column_config.NumberColumn("This month", format="dollar"),
                "last_month": st.column_config.NumberColumn("Last month", format="dollar"),
                "change": st.column_config.NumberColumn("Change", format="dollar"),
            },
        )
    with right:
        st.subheader("How spend was attributed")
        business_unit, strict = data_access.effective_scope()
        if business_unit:
            st.caption(
                "Company-wide, not shown to a viewer limited to one business unit."
                if strict
                else "Company-wide (attribution coverage has no business unit)."
            )
        coverage = data_access.attribution_coverage(month)
        coverage["method"] = coverage["attribution_method"].map(METHOD_LABELS).fillna(coverage["attribution_method"])
        pie = px.pie(coverage, names="method", values="contracted_cost", hole=0.5)
        pie.update_layout(height=320, margin={"t": 10, "b": 10}, legend_title_text="")
        st.plotly_chart(pie, width="stretch")
    st.subheader("Attribution coverage over time")
    trend = data_access.attribution_coverage_trend()
    if len(trend):
        trend["month"] = trend["billing_month"].dt.strftime("%Y-%m")
        bars = px.bar(
            trend,
            x="month",
            y="share",
            color="coverage_category",
            facet_col="provider",
            category_orders={"coverage_category": ["direct", "rule", "shared", "unallocated"]},
            labels={"share": "Share of contracted cost", "month": "", "coverage_category": ""},
        )
        bars.update_layout(height=300, margin={"t": 30, "b": 10}, yaxis_tickformat=".0%")
        st.plotly_chart(bars, width="stretch")
    st.caption(f"Usage through {last_day:%Y-%m-%d} (UTC). Costs at list price from the effective-dated price book.")
