"""Optimization: what each owner should change and what it is worth, and what one business outcome costs."""

from __future__ import annotations

import streamlit as st

import data_access
from formatting import money

ALL_TEAMS = "All teams"


def render() -> None:
    st.title("Optimization")
    try:
        teams = data_access.recommendation_owner_teams()
        workflows = data_access.unit_economics_workflows()
    except data_access.MartsUnavailable as exc:
        st.error(str(exc))
        return

    left, right = st.columns([2, 1])
    team = left.selectbox("Owner team", [ALL_TEAMS, *teams], key="optimization_team")
    include_hygiene = right.toggle("Include hygiene (no savings claimed)", value=False, key="optimization_hygiene")
    recommendations = data_access.optimization_recommendations(None if team == ALL_TEAMS else team, include_hygiene)

    total = float(recommendations["incremental_monthly_savings"].sum())
    standalone = float(recommendations["estimated_monthly_savings"].sum())
    first, second, third = st.columns(3)
    first.metric("Savings a month (no double counting)", money(total))
    second.metric("Open recommendations", f"{int((recommendations['recommendation_status'] == 'open').sum()):,}")
    third.metric("Sum of standalone savings", money(standalone))
    if not recommendations.empty:
        window = recommendations.iloc[0]
        st.caption(
            f"Based on usage from {window['window_start']:%Y-%m-%d} to {window['window_end']:%Y-%m-%d}, at list prices. "
            "Recommendations touching the same tokens are ranked; each is credited only with what it saves on the cost "
            "the higher-ranked ones leave, so the total above is what doing all of them would save."
        )
    st.dataframe(
        recommendations.drop(columns=["window_start", "window_end", "currency", "owner_team_id"]),
        hide_index=True,
        width="stretch",
        column_config={
            "recommendation_type": "Type",
            "owner_team_name": "Owner",
            "workflow_id": "Workflow",
            "provider": "Provider",
            "model_id": "Model",
            "scope_type": "Scope",
            "scope_id": "Scope id",
            "recommended_change": "Change",
            "evidence": st.column_config.TextColumn("Evidence", width="large"),
            "estimated_monthly_savings": st.column_config.NumberColumn("Savings / month (alone)", format="dollar"),
            "incremental_monthly_savings": st.column_config.NumberColumn("Savings / month (incremental)", format="dollar"),
            "current_monthly_list_cost": st.column_config.NumberColumn("Cost touched / month", format="dollar"),
            "savings_assumption": st.column_config.TextColumn("Assumption", width="large"),
            "confidence": "Confidence",
            "recommendation_status": "Status",
            "rank_in_overlap_group": "Rank among overlapping",
            "recommendations_in_overlap_group": "Overlapping",
        },
    )

    st.subheader("Unit economics: cost per business outcome")
    if not workflows:
        st.info("No business outcomes are loaded (data/raw/outcomes/): cost per outcome needs them.")
        return
    workflow = st.selectbox("Workflow", workflows, key="unit_economics_workflow")
    economics = data_access.unit_economics(workflow)
    trend = economics.pivot_table(index="usage_month", columns="team_name", values="contracted_cost_per_outcome", aggfunc="sum")
    st.line_chart(trend, y_label="Contracted cost per outcome (USD)")
    st.dataframe(
        economics.drop(columns=["team_id", "workflow_id", "currency"]),
        hide_index=True,
        width="stretch",
        column_config={
            "usage_month": st.column_config.DateColumn("Month", format="MMM YYYY"),
            "team_name": "Team",
            "workflow_name": "Workflow",
            "outcome_type": "Outcome",
            "outcome_count": st.column_config.NumberColumn("Outcomes", format="localized"),
            "contracted_cost": st.column_config.NumberColumn("Cost", format="dollar"),
            "contracted_cost_per_outcome": st.column_config.NumberColumn("Cost / outcome", format="dollar"),
            "prior_month_contracted_cost_per_outcome": st.column_config.NumberColumn("Prior month", format="dollar"),
            "cost_per_outcome_change_pct": st.column_config.NumberColumn("Change %", format="%.1f%%"),
            "daily_cost_outcome_correlation": st.column_config.NumberColumn("Daily cost/outcome correlation", format="%.2f"),
            "consumption_signal": "Reading",
        },
    )
    latest = economics[economics["usage_month"] == economics["usage_month"].max()]
    for row in latest.itertuples():
        if row.consumption_signal in ("spend does not track outcomes", "spend without outcomes"):
            st.warning(f"{row.team_name} on {workflow} in {row.usage_month:%B %Y}: {row.consumption_signal}.")
