"""Estimates: did submitted cost estimates hold, do per-outcome vendor invoices match our outcomes, and what would a new feature cost."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

import data_access
from formatting import money

PROJECT = Path(__file__).resolve().parents[2]  # seeds/ (price book, contracts, substitutions) live here
DEFAULT_CANDIDATES = ["anthropic:claude-sonnet-4-5", "anthropic:claude-haiku-4-5", "openai:gpt-4.1", "openai:gpt-4.1-mini"]
NO_TIER = "No quality requirement"


def render() -> None:
    st.title("Estimates")
    _estimate_vs_actual()
    _outcome_fees()
    _estimator()


def _estimate_vs_actual() -> None:
    st.subheader("Estimate vs actual")
    try:
        frame = data_access.estimate_vs_actual()
    except data_access.MartsUnavailable as exc:
        st.error(str(exc))
        return
    if frame.empty:
        st.info("No submitted estimates cover a month with usage (seeds/estimates/ai_finops__cost_estimates.csv).")
        return
    over = frame[frame["is_over_estimate"]]
    first, second, third = st.columns(3)
    first.metric("Estimates tracked", f"{frame['estimate_id'].nunique():,}")
    second.metric("Months over estimate (>125%)", f"{len(over):,}")
    third.metric(
        "Cost above estimates in those months", money(float((over["actual_contracted_cost"] - over["estimated_contracted_cost"]).sum()))
    )
    for estimate_id, rows in over.groupby("estimate_id"):
        worst = rows.sort_values("contracted_cost_variance_pct").iloc[-1]
        st.warning(
            f"{estimate_id} ({worst['workflow_id']}, owner {worst['owner']}): {len(rows)} month(s) over estimate, "
            f"worst {worst['estimate_month']:%B %Y} at {worst['contracted_cost_variance_pct']:+.0f}% "
            f"({money(worst['actual_contracted_cost'])} vs {money(worst['estimated_contracted_cost'])})."
        )
    st.dataframe(
        frame.drop(columns=["currency"]),
        hide_index=True,
        width="stretch",
        column_config={
            "estimate_id": "Estimate",
            "estimate_month": st.column_config.DateColumn("Month", format="MMM YYYY"),
            "workflow_id": "Workflow",
            "team_id": "Team",
            "owner": "Owner",
            "estimated_provider": "Provider",
            "estimated_model_id": "Model",
            "estimated_request_count": st.column_config.NumberColumn("Requests (est.)", format="localized"),
            "actual_request_count": st.column_config.NumberColumn("Requests", format="localized"),
            "estimated_input_tokens_per_request": st.column_config.NumberColumn("Input tok/req (est.)", format="%.0f"),
            "actual_input_tokens_per_request": st.column_config.NumberColumn("Input tok/req", format="%.0f"),
            "estimated_output_tokens_per_request": st.column_config.NumberColumn("Output tok/req (est.)", format="%.0f"),
            "actual_output_tokens_per_request": st.column_config.NumberColumn("Output tok/req", format="%.0f"),
            "estimated_contracted_cost": st.column_config.NumberColumn("Cost (est.)", format="dollar"),
            "actual_contracted_cost": st.column_config.NumberColumn("Cost", format="dollar"),
            "contracted_cost_variance_pct": st.column_config.NumberColumn("Variance %", format="%+.1f%%"),
            "is_over_estimate": "Over estimate",
            "is_month_complete": "Complete month",
        },
    )


def _outcome_fees() -> None:
    st.subheader("Per-outcome vendor fees")
    try:
        fees = data_access.outcome_fee_reconciliation()
    except data_access.MartsUnavailable:
        st.info("No per-outcome reconciliation: it needs business outcomes (ai_finops__using_outcomes) and the outcome-fee seeds.")
        return
    first, second = st.columns(2)
    first.metric("Billed by per-outcome vendors", money(float(fees["billed_amount"].sum())))
    second.metric("To dispute", money(float(fees["amount_to_dispute"].sum())))
    for row in fees[fees["amount_to_dispute"] > 0].itertuples():
        st.warning(
            f"{row.vendor} billed {row.billed_outcomes:,} {row.outcome_type} in {row.billing_month:%B %Y}; "
            f"we observed {row.observed_outcomes:,}: dispute {money(row.amount_to_dispute)}."
        )
    st.dataframe(
        fees.drop(columns=["currency"]),
        hide_index=True,
        width="stretch",
        column_config={
            "billing_month": st.column_config.DateColumn("Month", format="MMM YYYY"),
            "vendor": "Vendor",
            "outcome_fee_contract_id": "Contract",
            "workflow_id": "Workflow",
            "outcome_type": "Outcome",
            "invoice_id": "Invoice",
            "usd_per_outcome": st.column_config.NumberColumn("Fee / outcome", format="dollar"),
            "billed_outcomes": st.column_config.NumberColumn("Billed outcomes", format="localized"),
            "observed_outcomes": st.column_config.NumberColumn("Observed outcomes", format="localized"),
            "outcome_count_difference": st.column_config.NumberColumn("Difference", format="localized"),
            "billed_amount": st.column_config.NumberColumn("Billed", format="dollar"),
            "expected_amount": st.column_config.NumberColumn("Expected", format="dollar"),
            "amount_difference": st.column_config.NumberColumn("Billed - expected", format="dollar"),
            "amount_to_dispute": st.column_config.NumberColumn("To dispute", format="dollar"),
            "has_mismatch": "Mismatch",
        },
    )


def _estimator() -> None:
    from ai_finops.estimate import Candidate, EstimateRequest, available_models, estimate

    st.subheader("Estimate a new feature")
    st.caption(
        "Priced day by day with the same price book and contracts as the marts (seeds/pricing, seeds/contracts). "
        "Low/high: request volume and tokens per request each uncertain by the shares below."
    )
    models = available_models(PROJECT)
    with st.form("estimator"):
        candidates = st.multiselect("Candidate models", models, default=[m for m in DEFAULT_CANDIDATES if m in models], key="est_models")
        left, middle, right = st.columns(3)
        start_requests = left.number_input("Requests / day at launch", min_value=0.0, value=1000.0, step=100.0, key="est_start")
        end_requests = middle.number_input("Requests / day after ramp", min_value=0.0, value=5000.0, step=100.0, key="est_end")
        ramp_days = right.number_input("Ramp days", min_value=0, value=30, step=1, key="est_ramp")
        input_tokens = left.number_input("Input tokens / request", min_value=0.0, value=2000.0, step=100.0, key="est_input")
        output_tokens = middle.number_input("Output tokens / request", min_value=0.0, value=300.0, step=10.0, key="est_output")
        months = right.number_input("Months", min_value=1, max_value=24, value=3, step=1, key="est_months")
        cache_share = left.slider("Cache-hit share of input", 0.0, 1.0, 0.0, 0.05, key="est_cache")
        batch_share = middle.slider("Batch share of requests", 0.0, 1.0, 0.0, 0.05, key="est_batch")
        tier = right.selectbox("Service tier", ["standard", "priority", "flex"], key="est_tier")
        start = left.date_input("First day", value=date.today(), key="est_date")
        quality = middle.selectbox("Must be as good as", [NO_TIER, *models], key="est_quality")
        volume_uncertainty = right.slider("Volume uncertainty", 0.0, 1.0, 0.3, 0.05, key="est_volume_unc")
        team = left.text_input("Owning team", key="est_team")
        workflow = middle.text_input("Workflow", key="est_workflow")
        token_uncertainty = right.slider("Token uncertainty", 0.0, 1.0, 0.2, 0.05, key="est_token_unc")
        submitted = st.form_submit_button("Estimate", key="est_submit")
    if not submitted:
        return
    if not candidates:
        st.error("Pick at least one candidate model.")
        return
    request = EstimateRequest(
        candidates=[Candidate.parse(c) for c in candidates],
        requests_per_day_start=start_requests,
        requests_per_day_end=end_requests,
        ramp_days=int(ramp_days),
        input_tokens_per_request=input_tokens,
        output_tokens_per_request=output_tokens,
        start_date=start,
        months=int(months),
        cache_hit_share=cache_share,
        batch_share=batch_share,
        service_tier=tier,
        team_id=team or None,
        workflow_id=workflow or None,
        quality_reference=None if quality == NO_TIER else Candidate.parse(quality),
        volume_uncertainty=volume_uncertainty,
        token_uncertainty=token_uncertainty,
    )
    try:
        result = estimate(request, PROJECT)
    except ValueError as exc:
        st.error(str(exc))
        return
    table = pd.DataFrame(result["candidates"]).drop(columns=["months", "provider", "model_id"])
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "candidate": "Model",
            "is_priced": "Priced",
            "unpriced_reason": "Why unpriced",
            "meets_quality_tier": "Meets quality tier",
            "monthly_list_cost": st.column_config.NumberColumn("List / month", format="dollar"),
            "monthly_contracted_cost": st.column_config.NumberColumn("Contracted / month", format="dollar"),
            "monthly_effective_cost": st.column_config.NumberColumn("Effective / month", format="dollar"),
            "monthly_effective_cost_low": st.column_config.NumberColumn("Low", format="dollar"),
            "monthly_effective_cost_high": st.column_config.NumberColumn("High", format="dollar"),
        },
    )
    st.caption(f"Monthly means over {int(months)} month(s) in {result['currency']}. {result['range_assumption']}.")
    cheapest = result["cheapest_meeting_quality_tier"]
    if cheapest:
        st.success(f"Cheapest candidate meeting the quality tier: {cheapest}")
    else:
        st.info("No priced candidate meets the quality tier.")
