"""Anomalies & policies: spend anomaly episodes with excess dollars and owner; policy violations."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

import data_access
from formatting import money


def render() -> None:
    st.title("Anomalies & policies")
    try:
        anomalies = data_access.spend_anomalies()
        violations = data_access.policy_violation_summary()
    except data_access.MartsUnavailable as exc:
        st.error(str(exc))
        return

    st.subheader("Spend anomalies")
    if anomalies.empty:
        st.success("No spend anomaly: every workflow, agent and key stayed near its usual hourly spend.")
    else:
        critical = anomalies[anomalies["severity"] == "critical"]
        cols = st.columns(3)
        cols[0].metric("Anomaly episodes", len(anomalies))
        cols[1].metric("Critical", len(critical))
        # one incident shows in several scopes and both grains: the excess is counted once, on hourly workflow episodes
        hourly_workflows = (anomalies["scope_type"] == "workflow") & (anomalies["granularity"] == "hour")
        cols[2].metric("Excess spend (hourly, workflows)", money(anomalies.loc[hourly_workflows, "excess_cost"].sum()))
        # an episode is consecutive periods, so it ends anomalous_periods hours (days) after its start, ongoing ones too
        unit = anomalies["granularity"].map({"hour": 1, "day": 24})
        timeline = anomalies.assign(
            label=anomalies["granularity"] + " · " + anomalies["scope_type"] + ": " + anomalies["scope_id"],
            end=anomalies["started_at"] + pd.to_timedelta(anomalies["anomalous_periods"] * unit, unit="h"),
        )
        chart = px.timeline(
            timeline,
            x_start="started_at",
            x_end="end",
            y="label",
            color="severity",
            hover_data={"excess_cost": ":$,.2f", "owner_team_id": True, "anomalous_periods": True},
            color_discrete_map={"critical": "#d62728", "high": "#ff7f0e", "medium": "#bcbd22"},
        )
        chart.update_layout(height=120 + 30 * len(timeline), margin={"t": 10, "b": 10}, yaxis_title="", legend_title_text="")
        st.plotly_chart(chart, width="stretch")
        st.dataframe(
            anomalies.drop(columns=["anomaly_id", "currency"]),
            hide_index=True,
            width="stretch",
            column_config={
                "severity": "Severity",
                "scope_type": "Scope",
                "scope_id": "Scope id",
                "owner_team_id": "Owner",
                "started_at": st.column_config.DatetimeColumn("Started (UTC)"),
                "ended_at": st.column_config.DatetimeColumn("Ended (UTC)"),
                "is_ongoing": "Ongoing",
                "granularity": "Grain",
                "detection_period_at": st.column_config.DatetimeColumn("Detected in period"),
                "anomalous_periods": "Periods",
                "request_count": st.column_config.NumberColumn("Requests", format="localized"),
                "baseline_request_count": st.column_config.NumberColumn("Expected requests", format="localized"),
                "contracted_cost": st.column_config.NumberColumn("Spent", format="dollar"),
                "baseline_cost": st.column_config.NumberColumn("Expected", format="dollar"),
                "excess_cost": st.column_config.NumberColumn("Excess", format="dollar"),
                "is_runaway_loop": "Runaway loop",
            },
        )

    st.subheader("Policy violations")
    if violations.empty:
        st.success("No policy violation.")
        return
    st.metric("Spend in violation", money(violations["contracted_cost"].sum()))
    st.dataframe(
        violations,
        hide_index=True,
        width="stretch",
        column_config={
            "policy_id": "Policy",
            "policy_name": "Rule",
            "policy_type": "Type",
            "severity": "Severity",
            "team_id": "Owner",
            "workflow_id": "Workflow",
            "first_date": st.column_config.DateColumn("First seen"),
            "last_date": st.column_config.DateColumn("Last seen"),
            "days": "Days",
            "request_count": st.column_config.NumberColumn("Requests", format="localized"),
            "contracted_cost": st.column_config.NumberColumn("Spend", format="dollar"),
        },
    )
