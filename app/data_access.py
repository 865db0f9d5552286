"""The dashboard's only way to the warehouse: read-only, parameterised queries over the marts.

Nothing connects at import time. The DuckDB file comes from AI_FINOPS_DUCKDB_PATH (default
data/ai_finops.duckdb) and the marts schema from AI_FINOPS_MARTS_SCHEMA (default main_marts).
Values from the user always travel as bound parameters; identifiers (schema, table) come only
from configuration and are validated.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
GROUP_LEVELS = {
    "Business unit": ["business_unit_name"],
    "Cost center": ["business_unit_name", "cost_center_name"],
    "Team": ["business_unit_name", "cost_center_name", "team_name"],
    "Workflow": ["business_unit_name", "cost_center_name", "team_name", "workflow_id"],
    "Provider & model": ["provider", "model_id"],
}


# The cost measures a viewer can switch between (column names, never user text, reach the SQL).
COST_BASES = {
    "List": "list_cost",
    "Contracted": "contracted_cost",
    "Effective": "effective_cost",
    "Billed": "billed_cost",
}


class MartsUnavailable(RuntimeError):
    """The marts cannot be read (no database yet, or dbt build has not run)."""


def database_path() -> Path:
    return Path(os.environ.get("AI_FINOPS_DUCKDB_PATH", "data/ai_finops.duckdb"))


def marts_schema() -> str:
    schema = os.environ.get("AI_FINOPS_MARTS_SCHEMA", "main_marts")
    if not _IDENTIFIER.match(schema):
        raise ValueError(f"AI_FINOPS_MARTS_SCHEMA is not a plain identifier: {schema!r}")
    return schema


def query(sql: str, params: list | None = None) -> pd.DataFrame:
    """Runs one read-only query; `{marts}` in the SQL is replaced by the configured schema."""
    path = database_path()
    if not path.exists():
        raise MartsUnavailable(f"No database at {path}. Run `make demo` (or `ai-finops demo`) first.")
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(sql.replace("{marts}", marts_schema()), params or []).df()
    except duckdb.CatalogException as exc:
        raise MartsUnavailable(f"The marts are not built in {path}: {exc}") from exc


def available_months() -> list[date]:
    frame = query("select distinct billing_month from {marts}.fct_chargeback_monthly order by billing_month desc")
    return [d.date() if hasattr(d, "date") else d for d in frame["billing_month"]]


def monthly_totals() -> pd.DataFrame:
    return query(
        """
        select
            billing_month,
            sum(case when line_type = 'usage' then list_cost else 0 end) as list_cost,
            sum(case when line_type = 'usage' and team_id = 'unallocated' then list_cost else 0 end)
                as unallocated_list_cost,
            sum(case when line_type = 'usage' and team_id = 'unallocated' then contracted_cost else 0 end)
                as unallocated_contracted_cost,
            sum(case when line_type = 'shared_allocation' and cost_pool_id in (
                select cost_pool_id from {marts}.fct_shared_cost_allocation_monthly where pool_type = 'fixed_charge'
            ) then contracted_cost else 0 end) as shared_charges,
            sum(unpriced_tokens) as unpriced_tokens,
            sum(unpriced_request_count) as unpriced_request_count,
            sum(request_count) as request_count,
            sum(total_tokens) as total_tokens,
            max(currency) as currency
        from {marts}.fct_chargeback_monthly
        group by billing_month
        order by billing_month
        """
    )


def chargeback(month: date, level: str, basis: str = "list_cost", after_sharing: bool = True) -> pd.DataFrame:
    """Chargeback lines of one month rolled up to a level of the hierarchy, in one cost measure,
    before sharing (usage lines only) or after (shared pools distributed)."""
    if basis not in COST_BASES.values():
        raise ValueError(f"unknown cost basis {basis!r}")
    columns = GROUP_LEVELS[level]
    keys = ", ".join(columns)
    return query(
        f"""
        select
            {keys},
            sum({basis}) as {basis},
            sum(case when line_type <> 'usage' then {basis} else 0 end) as shared_{basis},
            sum(request_count) as request_count,
            sum(total_tokens) as total_tokens,
            sum(unpriced_tokens) as unpriced_tokens,
            sum({basis}) / nullif(sum(sum({basis})) over (), 0) as share_of_month
        from {{marts}}.fct_chargeback_monthly
        where billing_month = ? and (? or line_type = 'usage')
        group by {keys}
        having abs(sum(coalesce({basis}, 0))) > 0.0000005 or sum(total_tokens) > 0
        order by {basis} desc nulls last
        """,
        [month, after_sharing],
    )


def shared_cost_allocation(month: date) -> pd.DataFrame:
    """How each shared pool of the month was split (one line per pool x receiving team)."""
    return query(
        """
        select cost_pool_name, allocation_method, team_name,
               max(fraction_of_total) as fraction_of_total,
               sum(allocated_contracted_cost) as allocated_contracted_cost
        from {marts}.fct_shared_cost_allocation_monthly
        where billing_month = ?
        group by cost_pool_name, allocation_method, team_name
        order by cost_pool_name, allocated_contracted_cost desc
        """,
        [month],
    )


def focus_rows(month: date) -> pd.DataFrame:
    """The month's FOCUS 1.2 rows with FOCUS column names (as `ai-finops focus-export` writes them)."""
    from ai_finops.focus import WAREHOUSE_ONLY, focus_name

    frame = query("select * from {marts}.fct_focus_cost_and_usage where x_billing_month = ? order by charge_period_start", [month])
    frame = frame.drop(columns=[c for c in WAREHOUSE_ONLY if c in frame.columns])
    return frame.rename(columns={c: focus_name(c) for c in frame.columns})


def chargeback_lines(month: date) -> pd.DataFrame:
    """Every chargeback line of a month, as stored (for the full export)."""
    return query("select * from {marts}.fct_chargeback_monthly where billing_month = ? order by list_cost desc nulls last", [month])


def daily_spend(start: date, end: date) -> pd.DataFrame:
    return query(
        """
        select usage_date, provider, sum(list_cost) as list_cost
        from {marts}.fct_ai_cost_daily
        where usage_date >= ? and usage_date <= ?
        group by usage_date, provider
        order by usage_date, provider
        """,
        [start, end],
    )


def team_movers(month: date, previous: date | None) -> pd.DataFrame:
    """Spend per team this month and last, with the change."""
    return query(
        """
        select
            team_name,
            sum(case when billing_month = ? then list_cost else 0 end) as this_month,
            sum(case when billing_month = ? then list_cost else 0 end) as last_month
        from {marts}.fct_chargeback_monthly
        where billing_month in (?, ?) and line_type = 'usage'
        group by team_name
        order by this_month desc
        """,
        [month, previous, month, previous],
    )


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def attribution_coverage(month: date) -> pd.DataFrame:
    """Contracted cost of the month by how it reached an owner (direct / rule / shared / unallocated)."""
    return query(
        """
        select coverage_category, attribution_method, sum(contracted_cost) as contracted_cost
        from {marts}.fct_attribution_coverage_monthly
        where billing_month = ?
        group by coverage_category, attribution_method
        having sum(contracted_cost) > 0.0000005
        order by contracted_cost desc
        """,
        [month],
    )


def attribution_coverage_trend() -> pd.DataFrame:
    """Share of each month's contracted cost per coverage category, per provider (pooled keys shrinking)."""
    return query(
        """
        select billing_month, provider, coverage_category, sum(share_of_provider_month) as share
        from {marts}.fct_attribution_coverage_monthly
        group by billing_month, provider, coverage_category
        order by billing_month, provider, coverage_category
        """
    )


def billing_reconciliation() -> pd.DataFrame:
    return query(
        """
        select billing_month, provider, computed_list_cost, billed_cost, credit_amount, net_billed_cost,
               explained_by_unpriced_models, unexplained_variance, unexplained_variance_pct, unpriced_tokens
        from {marts}.fct_billing_reconciliation_monthly
        order by billing_month desc, provider
        """
    )


def source_row_accounting() -> pd.DataFrame:
    return query(
        """
        select source_name, source_table, raw_rows, staged_rows, quarantined_rows, superseded_rows
        from {marts}.fct_source_row_accounting
        order by source_name, source_table
        """
    )


def last_usage_date() -> date | None:
    frame = query("select max(usage_date) as last_day from {marts}.fct_ai_cost_daily")
    value = frame["last_day"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def optimization_recommendations(team_id: str | None = None, include_hygiene: bool = True) -> pd.DataFrame:
    """Recommendations ranked by what they add to the total (incremental savings, never double counted)."""
    return query(
        """
        select
            recommendation_type, owner_team_id, owner_team_name, workflow_id, provider, model_id, scope_type, scope_id,
            recommended_change, evidence, estimated_monthly_savings, incremental_monthly_savings,
            current_monthly_list_cost, savings_assumption, confidence, recommendation_status,
            rank_in_overlap_group, recommendations_in_overlap_group, window_start, window_end, currency
        from {marts}.fct_optimization_recommendations
        where (cast(? as varchar) is null or owner_team_id = ?)
            and (? or estimated_monthly_savings > 0 or recommendation_type = 'commitment_break_even')
        order by incremental_monthly_savings desc, estimated_monthly_savings desc, recommendation_type, scope_id
        """,
        [team_id, team_id, include_hygiene],
    )


def recommendation_owner_teams() -> list[str]:
    frame = query("select distinct owner_team_id from {marts}.fct_optimization_recommendations order by owner_team_id")
    return list(frame["owner_team_id"])


def unit_economics_workflows() -> list[str]:
    frame = query(
        """select distinct workflow_id from {marts}.fct_unit_economics_monthly
           where outcome_type <> 'none' order by workflow_id"""
    )
    return list(frame["workflow_id"])


def unit_economics(workflow_id: str | None = None) -> pd.DataFrame:
    """Cost per outcome by month, team, workflow and outcome type (one workflow, or all)."""
    return query(
        """
        select
            usage_month, team_id, team_name, workflow_id, workflow_name, outcome_type, outcome_count,
            contracted_cost, contracted_cost_per_outcome, prior_month_contracted_cost_per_outcome,
            cost_per_outcome_change_pct, daily_cost_outcome_correlation, consumption_signal, currency
        from {marts}.fct_unit_economics_monthly
        where (cast(? as varchar) is null or workflow_id = ?)
        order by usage_month, workflow_id, team_id, outcome_type
        """,
        [workflow_id, workflow_id],
    )


# --- Governance: budgets, forecasts, anomalies, policies -------------------------------------------------------------

_FORECAST_SCOPE_TYPES = ("total", "business_unit", "team", "workflow")


def budget_status_latest() -> pd.DataFrame:
    return query(
        """
        select budget_id, budget_name, scope_type, scope_id, owner_team_id, period_type, period_start_date, period_end_date,
               budget_amount, hard_cap_amount, spend_to_date, spend_pct_of_budget, burn_rate_daily,
               projected_period_end_spend, overrun_date, projected_overrun_date, highest_threshold_crossed_pct,
               budget_status, parent_budget_id, child_budgets_spend_to_date, currency, budget_date
        from {marts}.fct_budget_status_daily
        where is_latest
        order by case budget_status when 'hard_cap_breached' then 0 when 'over' then 1 when 'warning' then 2 else 3 end,
                 spend_pct_of_budget desc
        """
    )


def budget_history(budget_id: str) -> pd.DataFrame:
    return query(
        """
        select budget_date, period_start_date, daily_spend, spend_to_date, budget_amount, hard_cap_amount,
               projected_period_end_spend, budget_status
        from {marts}.fct_budget_status_daily
        where budget_id = ?
        order by budget_date
        """,
        [budget_id],
    )


def forecast_scopes(scope_type: str) -> list[str]:
    if scope_type not in _FORECAST_SCOPE_TYPES:
        raise ValueError(f"unknown forecast scope type {scope_type!r}")
    frame = query("select distinct scope_id from {marts}.fct_spend_forecast where scope_type = ? order by scope_id", [scope_type])
    return list(frame["scope_id"])


def spend_forecast(scope_type: str, scope_id: str) -> pd.DataFrame:
    return query(
        """
        select horizon, as_of_date, period_start_date, period_end_date, actual_to_date_spend, forecast_spend,
               forecast_lower_spend, forecast_upper_spend, naive_forecast_spend, weekday_median_spend, weekend_median_spend, currency
        from {marts}.fct_spend_forecast
        where scope_type = ? and scope_id = ?
        order by horizon
        """,
        [scope_type, scope_id],
    )


def scope_daily_spend(scope_type: str, scope_id: str) -> pd.DataFrame:
    """Daily contracted cost of one forecast scope from the core fact (the history under the forecast)."""
    columns = {"total": None, "business_unit": "business_unit_id", "team": "team_id", "workflow": "workflow_id"}
    if scope_type not in columns:
        raise ValueError(f"unknown forecast scope type {scope_type!r}")
    where = "" if columns[scope_type] is None else f"where {columns[scope_type]} = ?"
    return query(
        f"select usage_date, sum(contracted_cost) as contracted_cost from {{marts}}.fct_ai_cost_daily {where} group by 1 order by 1",
        [] if columns[scope_type] is None else [scope_id],
    )


def forecast_backtest_summary() -> pd.DataFrame:
    return query(
        """
        select scope_type, count(*) as forecasts, avg(forecast_ape) as forecast_mape, avg(naive_ape) as naive_mape,
               avg(case when is_actual_within_interval then 1.0 else 0.0 end) as interval_coverage
        from {marts}.fct_forecast_backtest
        where actual_month_spend > 0
        group by scope_type
        order by scope_type
        """
    )


def spend_anomalies() -> pd.DataFrame:
    return query(
        """
        select anomaly_id, severity, granularity, scope_type, scope_id, owner_team_id, started_at, ended_at, is_ongoing,
               detection_period_at, anomalous_periods, request_count, baseline_request_count, contracted_cost, baseline_cost, excess_cost,
               is_runaway_loop, currency
        from {marts}.fct_spend_anomalies
        order by started_at desc, granularity desc, excess_cost desc
        """
    )


def policy_violation_summary() -> pd.DataFrame:
    return query(
        """
        select policy_id, policy_name, policy_type, severity, team_id, workflow_id,
               min(usage_date) as first_date, max(usage_date) as last_date, count(distinct usage_date) as days,
               sum(request_count) as request_count, sum(contracted_cost) as contracted_cost
        from {marts}.fct_policy_violations
        group by all
        order by contracted_cost desc
        """
    )


def estimate_vs_actual(estimate_id: str | None = None) -> pd.DataFrame:
    """Submitted estimates against the workflow's actual cost, per month (one estimate, or all)."""
    return query(
        """
        select
            estimate_id, estimate_month, workflow_id, team_id, owner, estimated_provider, estimated_model_id,
            estimated_request_count, actual_request_count, estimated_input_tokens_per_request,
            actual_input_tokens_per_request, estimated_output_tokens_per_request, actual_output_tokens_per_request,
            estimated_contracted_cost, actual_contracted_cost, contracted_cost_variance_pct, is_over_estimate,
            is_month_complete, currency
        from {marts}.fct_estimate_vs_actual_monthly
        where (cast(? as varchar) is null or estimate_id = ?)
        order by estimate_id, estimate_month
        """,
        [estimate_id, estimate_id],
    )


def outcome_fee_reconciliation() -> pd.DataFrame:
    """Per-outcome vendor invoices against our own outcome counts, per contract and month."""
    return query(
        """
        select
            billing_month, vendor, outcome_fee_contract_id, workflow_id, outcome_type, invoice_id, usd_per_outcome,
            billed_outcomes, observed_outcomes, outcome_count_difference, billed_amount, expected_amount,
            amount_difference, amount_to_dispute, has_mismatch, currency
        from {marts}.fct_outcome_fee_reconciliation_monthly
        order by billing_month, vendor, outcome_type
        """
    )
