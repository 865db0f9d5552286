"""Attribution, shared-cost allocation, coverage and the FOCUS export on the generated demo."""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import pytest

from .conftest import PROJECT, run_cli

SEEDS = PROJECT / "seeds" / "allocation"


def _seed(name: str) -> list[dict]:
    with open(SEEDS / f"ai_finops__{name}.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def test_virtual_tag_rule_claims_the_untagged_sandbox_gateway_keys(marts):
    rows = marts.execute(
        """
        select distinct team_id, workflow_id, source_system
        from main_marts.fct_ai_cost_daily where attribution_method = 'virtual_tag_rule'
        """
    ).fetchall()
    assert rows == [("ml-platform", "sandbox-experiments", "litellm_gateway")]
    # the rule never takes spend an owner already claimed: every ruled row had no owner at all
    owned = marts.execute(
        """
        select count(*) from main_intermediate.int_usage_attributed
        where attribution_method = 'virtual_tag_rule'
          and coalesce(valid_tag_team_id, gateway_key_team_id, api_key_team_id, container_team_id) is not null
        """
    ).fetchone()[0]
    assert owned == 0


def test_reorg_mid_month_splits_the_month_between_cost_centers(marts):
    """recommendations moves from cc-1001 to cc-1002 on 2026-09-16: September's chargeback has both
    lines, each exactly the spend of its own days."""
    by_cc = dict(
        marts.execute(
            """
            select cost_center_id, sum(list_cost) from main_marts.fct_chargeback_monthly
            where billing_month = date '2026-09-01' and team_id = 'recommendations' and line_type = 'usage'
            group by 1
            """
        ).fetchall()
    )
    before, after = marts.execute(
        """
        select sum(case when usage_date < date '2026-09-16' then list_cost end),
               sum(case when usage_date >= date '2026-09-16' then list_cost end)
        from main_marts.fct_ai_cost_daily
        where team_id = 'recommendations' and usage_date between date '2026-09-01' and date '2026-09-30'
        """
    ).fetchone()
    assert set(by_cc) == {"cc-1001", "cc-1002"}
    assert math.isclose(by_cc["cc-1001"], before, rel_tol=1e-12) and math.isclose(by_cc["cc-1002"], after, rel_tol=1e-12)


def test_unallocated_is_visible_before_sharing_and_gone_after(marts):
    rows = marts.execute(
        """
        select billing_month,
               sum(case when line_type = 'usage' and team_id = 'unallocated' then contracted_cost else 0 end),
               sum(case when team_id = 'unallocated' then contracted_cost else 0 end)
        from main_marts.fct_chargeback_monthly group by 1 order by 1
        """
    ).fetchall()
    assert rows
    for month, before, after in rows:
        assert before > 0, month
        assert abs(after) < 1e-9, (month, after)


def test_each_sharing_method_splits_exactly_as_configured(marts):
    # fixed: the seed's percentages
    fixed = dict(
        marts.execute(
            """
            select team_id, fraction_of_total from main_marts.fct_shared_cost_allocation_monthly
            where cost_pool_id = 'chat-assistant-seats' and billing_month = date '2026-10-01'
            """
        ).fetchall()
    )
    expected = {row["team_id"]: float(row["allocation_pct"]) / 100 for row in _seed("cost_pool_fixed_splits")}
    assert fixed.keys() == expected.keys()
    assert all(math.isclose(fixed[t], expected[t], rel_tol=1e-12) for t in expected)
    # even: 1/n across the teams with attributed spend that month
    teams_with_spend = marts.execute(
        """
        select count(distinct team_id) from main_marts.fct_ai_cost_daily
        where usage_date >= date '2026-10-01' and usage_date < date '2026-11-01'
          and team_id <> 'unallocated' and contracted_cost > 0
        """
    ).fetchone()[0]
    even = marts.execute(
        """
        select count(distinct team_id), min(fraction_of_total), max(fraction_of_total), sum(allocated_contracted_cost)
        from main_marts.fct_shared_cost_allocation_monthly
        where cost_pool_id = 'llm-gateway-platform' and billing_month = date '2026-10-01'
        """
    ).fetchone()
    charges = sum(float(r["monthly_amount"]) for r in _seed("cost_pool_charges") if r["cost_pool_id"] == "llm-gateway-platform")
    assert even[0] == teams_with_spend
    assert math.isclose(even[1], 1 / teams_with_spend) and math.isclose(even[2], 1 / teams_with_spend)
    assert math.isclose(even[3], charges, rel_tol=1e-12)
    # proportional: each team's share of the attributed contracted cost
    proportional = marts.execute(
        """
        with spend as (
            select team_id, sum(contracted_cost) as c from main_marts.fct_ai_cost_daily
            where usage_date >= date '2026-10-01' and usage_date < date '2026-11-01' and team_id <> 'unallocated'
            group by 1
        )
        select max(abs(a.fraction_of_total - s.c / (select sum(c) from spend)))
        from main_marts.fct_shared_cost_allocation_monthly as a join spend as s using (team_id)
        where a.cost_pool_id = 'unallocated-usage' and a.billing_month = date '2026-10-01'
        """
    ).fetchone()[0]
    assert proportional < 1e-12


def test_totals_are_preserved_at_every_step(marts):
    priced, daily, usage_lines, after_sharing, coverage = marts.execute(
        """
        select
            (select sum(contracted_cost) from main_intermediate.int_usage_priced),
            (select sum(contracted_cost) from main_marts.fct_ai_cost_daily),
            (select sum(contracted_cost) from main_marts.fct_chargeback_monthly where line_type = 'usage'),
            (select sum(contracted_cost) from main_marts.fct_chargeback_monthly),
            (select sum(contracted_cost) from main_marts.fct_attribution_coverage_monthly)
        """
    ).fetchone()
    months = [r[0] for r in marts.execute("select distinct billing_month from main_marts.fct_chargeback_monthly").fetchall()]
    charges = 0.0
    for row in _seed("cost_pool_charges"):
        for month in months:
            if row["valid_from"] <= month.isoformat() and (not row["valid_to"] or month.isoformat() < row["valid_to"]):
                charges += float(row["monthly_amount"])
    assert math.isclose(daily, priced, rel_tol=1e-12)
    assert math.isclose(usage_lines, priced, rel_tol=1e-12)
    assert math.isclose(coverage, priced, rel_tol=1e-12)
    assert math.isclose(after_sharing, priced + charges, rel_tol=1e-12)


def test_coverage_shows_shared_and_ruled_spend(marts):
    rows = dict(
        marts.execute(
            """
            select coverage_category, sum(contracted_cost) from main_marts.fct_attribution_coverage_monthly
            where provider = 'openai' group by 1
            """
        ).fetchall()
    )
    assert rows["direct"] > 0 and rows["rule"] > 0 and rows["shared"] > 0
    assert abs(rows["unallocated"]) < 1e-9


def test_billed_cost_on_usage_rows_adds_up_to_the_providers_bills(marts):
    rows = marts.execute(
        """
        with spread as (
            select date_trunc('month', usage_date) as m, provider, sum(billed_cost) as b
            from main_marts.fct_ai_cost_daily group by 1, 2
        )
        select r.billing_month, r.provider, r.net_billed_cost, spread.b
        from main_marts.fct_billing_reconciliation_monthly as r
        join spread on spread.m = r.billing_month and spread.provider = r.provider
        where r.has_billing_source
        """
    ).fetchall()
    assert len(rows) >= 15  # 5 providers x 3 months
    for month, provider, bill, spread in rows:
        assert math.isclose(spread, bill, rel_tol=1e-9), (month, provider, bill, spread)


@pytest.fixture(scope="module")
def focus_files(built_database, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("focus")
    run_cli("focus-export", "--database", str(built_database), "--out", str(out))
    return out


def test_focus_export_uses_focus_column_names_and_matches_the_mart(focus_files, marts):
    import pandas as pd

    frame = pd.read_parquet(focus_files / "focus_cost_and_usage.parquet")
    for column in ("BilledCost", "ListUnitPrice", "PricingQuantity", "SkuPriceId", "SubAccountId", "Tags", "x_PricingStatus"):
        assert column in frame.columns
    assert "focus_row_id" not in frame.columns
    mart_rows, mart_list = marts.execute("select count(*), sum(list_cost) from main_marts.fct_focus_cost_and_usage").fetchone()
    assert len(frame) == mart_rows and math.isclose(frame["ListCost"].sum(), mart_list, rel_tol=1e-12)
    # the FOCUS identity, exactly as the validator checks it
    assert ((frame["ListUnitPrice"] * frame["PricingQuantity"]) == frame["ListCost"]).all()
    csv_frame = pd.read_csv(focus_files / "focus_cost_and_usage.csv")
    assert len(csv_frame) == len(frame) and csv_frame["ChargePeriodStart"].str.endswith("Z").all()


def test_gateway_list_cost_in_the_cost_grain_equals_the_request_level_cost(marts):
    """The gateway's requests are priced twice: one by one (int_gateway_requests_enriched, for governance and
    the request views) and per day in the cost grain (int_usage_priced, for the marts). Both apply the same
    rules (price point, long context, region, modality): per provider the list costs agree, and the
    Bedrock / Vertex gateway rows carry the region their calls went to."""
    rows = marts.execute(
        """
        select coalesce(e.provider, p.provider), e.list_cost, p.list_cost
        from (select provider, sum(list_cost) as list_cost from main_intermediate.int_gateway_requests_enriched group by 1) as e
        full join (
            select provider, sum(list_cost) as list_cost from main_intermediate.int_usage_priced
            where source_system = 'litellm_gateway' group by 1
        ) as p on e.provider = p.provider
        """
    ).fetchall()
    assert len(rows) >= 5
    for provider, request_level, cost_grain in rows:
        assert math.isclose(request_level, cost_grain, rel_tol=1e-9), (provider, request_level, cost_grain)
    regions = dict(
        marts.execute(
            """
            select provider, count(*) filter (where region is null) from main_intermediate.int_usage_unioned
            where source_system = 'litellm_gateway' and provider in ('aws_bedrock', 'google_vertex') group by 1
            """
        ).fetchall()
    )
    assert regions == {"aws_bedrock": 0, "google_vertex": 0}


def test_focus_region_is_the_bedrock_region_that_served_the_usage(marts):
    """RegionId/RegionName: Bedrock CUR usage carries its region (the demo's GovCloud share included), Azure
    cost-export rows their resource's region, GCP export rows location.region; other sources and commitment
    rows leave it null; per region the FOCUS rows add up to the cost mart."""
    regions = dict(
        marts.execute(
            """
            select coalesce(region_id, '-'), count(*) from main_marts.fct_focus_cost_and_usage
            where charge_category = 'Usage' group by 1
            """
        ).fetchall()
    )
    assert {"us-east-1", "us-gov-west-1", "eastus2", "us-central1", "-"} <= set(regions), regions
    wrong = marts.execute(
        """
        select count(*) from main_marts.fct_focus_cost_and_usage
        where coalesce(region_name, '') <> coalesce(region_id, '')
            or (
                region_id is not null
                and (provider_name not in ('Amazon Web Services', 'Microsoft', 'Google Cloud') or charge_category <> 'Usage')
            )
        """
    ).fetchone()[0]
    assert wrong == 0
    focus_gov, mart_gov = marts.execute(
        """
        select
            (select sum(list_cost) from main_marts.fct_focus_cost_and_usage where region_id = 'us-gov-west-1'),
            (select sum(list_cost) from main_intermediate.int_usage_priced where region = 'us-gov-west-1')
        """
    ).fetchone()
    assert focus_gov > 0 and math.isclose(focus_gov, mart_gov, rel_tol=1e-9), (focus_gov, mart_gov)


VALIDATOR = PROJECT / ".venv-focus" / "bin" / "focus-validator"


@pytest.mark.skipif(
    not VALIDATOR.exists() and not os.environ.get("CI_REQUIRE_FOCUS_VALIDATOR"),
    reason="focus-validator needs Python 3.12: run `make focus-validator` (no python3.12 on this machine?)",
)
def test_focus_export_passes_the_focus_validator(focus_files):
    from ai_finops.focus import run_validator

    for name in ("focus_cost_and_usage.parquet", "focus_cost_and_usage.csv"):
        report = run_validator(focus_files / name, VALIDATOR, focus_files / f"{name}.junit.xml")
        assert report["checks"] > 500 and report["passed"] > 200, report
        assert report["unexpected_failures"] == [], report["unexpected_failures"]
