"""Chargeback: the month's spend by business unit, cost center, team or workflow, exportable as shown."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

import data_access
from app_pages.filters import available_months_or_explain, month_selector
from formatting import money, tokens


def render() -> None:
    st.title("Chargeback")
    months = available_months_or_explain()
    if months is None:
        return
    month = month_selector(months)
    level = st.radio("Roll up by", list(data_access.GROUP_LEVELS), horizontal=True, key="chargeback_level", index=2)
    table = data_access.chargeback(month, level)
    total = table["list_cost"].sum()
    st.markdown(f"**{money(total)}** charged in {month:%B %Y} across {len(table):,} lines.")

    totals = data_access.monthly_totals()
    month_totals = totals[totals["billing_month"].dt.date == month].iloc[0]
    if month_totals["unallocated_list_cost"]:
        st.info(
            f"The **unallocated** line ({money(month_totals['unallocated_list_cost'])}) is usage that no request tag, key, "
            "project or account owner explains, mostly pooled keys. Assign those keys in seeds/ownership/account_owners.csv "
            "to move it to a team from the date of assignment."
        )
    if month_totals["unpriced_tokens"]:
        st.warning(
            f"{tokens(month_totals['unpriced_tokens'])} tokens are of models missing from the price book; their cost is "
            "not included above (shown as n/a, never $0). Add the model to seeds/pricing."
        )

    label = data_access.GROUP_LEVELS[level][-1]
    top = table.head(15)
    if len(top) and label in top:
        chart = px.bar(top, x="list_cost", y=label, orientation="h", labels={"list_cost": "List cost (USD)", label: ""})
        chart.update_layout(height=40 + 24 * len(top), margin={"t": 10, "b": 10}, yaxis={"autorange": "reversed"})
        st.plotly_chart(chart, width="stretch")

    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "business_unit_name": "Business unit",
            "cost_center_name": "Cost center",
            "team_name": "Team",
            "workflow_id": "Workflow",
            "provider": "Provider",
            "model_id": "Model",
            "list_cost": st.column_config.NumberColumn("List cost", format="dollar"),
            "request_count": st.column_config.NumberColumn("Requests", format="localized"),
            "total_tokens": st.column_config.NumberColumn("Tokens", format="compact"),
            "unpriced_tokens": st.column_config.NumberColumn("Unpriced tokens", format="compact"),
            "share_of_month": st.column_config.ProgressColumn("Share", format="percent", min_value=0, max_value=1),
        },
    )
    col1, col2 = st.columns(2)
    col1.download_button(
        "Download this view (CSV)",
        table.to_csv(index=False).encode(),
        file_name=f"chargeback_{month:%Y-%m}_{level.lower().replace(' ', '_').replace('&', 'and')}.csv",
        mime="text/csv",
    )
    col2.download_button(
        "Download all lines of the month (CSV)",
        data_access.chargeback_lines(month).to_csv(index=False).encode(),
        file_name=f"chargeback_{month:%Y-%m}_all_lines.csv",
        mime="text/csv",
    )
