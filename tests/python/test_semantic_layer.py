"""The semantic layer returns the marts' numbers: `mf query` (MetricFlow over the dbt semantic models)
against the built demo warehouse, checked figure by figure against SQL on the marts."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from .conftest import PROJECT

BIN = Path(sys.executable).parent


_PARSED_FOR: set[Path] = set()


def _env(database: Path) -> dict[str, str]:
    # mf only reads target/semantic_manifest.json: this module's dbt parse writes there, not to a worker's own path
    env = {key: value for key, value in os.environ.items() if key != "DBT_TARGET_PATH"}
    return {**env, "DBT_PROFILES_DIR": str(PROJECT / ".dbt"), "AI_FINOPS_DUCKDB_PATH": str(database)}


def _mf_query(database: Path, out: Path, metrics: str, group_by: str) -> list[dict]:
    env = _env(database)
    if database not in _PARSED_FOR:
        # mf reads target/semantic_manifest.json: parse for this warehouse first (its catalog name is in
        # the manifest); once per module, the tests in between run no other dbt command
        subprocess.run(
            [str(BIN / "dbt"), "parse", "--profiles-dir", str(PROJECT / ".dbt")], cwd=PROJECT, env=env, check=True, capture_output=True
        )
        _PARSED_FOR.clear()
        _PARSED_FOR.add(database)
    result = subprocess.run(
        [str(BIN / "mf"), "query", "--metrics", metrics, "--group-by", group_by, "--csv", str(out)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and out.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    with open(out, newline="") as f:
        return list(csv.DictReader(f))


def test_mf_query_matches_the_cost_mart(built_database, tmp_path):
    rows = _mf_query(
        built_database,
        tmp_path / "by_month_provider.csv",
        "total_list_cost,effective_cost,requests,total_tokens,cache_read_tokens,cost_per_1k_tokens",
        "metric_time__month,ai_cost_daily__provider",
    )
    con = duckdb.connect(str(built_database), read_only=True)
    try:
        expected = {
            (str(month)[:10], provider): values
            for month, provider, *values in con.execute(
                """
                select date_trunc('month', usage_date), provider, sum(list_cost), sum(contracted_cost),
                    sum(request_count), sum(total_tokens), sum(cache_read_tokens), sum(list_cost) * 1000 / sum(total_tokens)
                from main_marts.fct_ai_cost_daily
                group by 1, 2
                """
            ).fetchall()
        }
    finally:
        con.close()
    assert len(rows) == len(expected) >= 10
    names = ["total_list_cost", "effective_cost", "requests", "total_tokens", "cache_read_tokens", "cost_per_1k_tokens"]
    for row in rows:
        want = expected[(row["metric_time__month"][:10], row["ai_cost_daily__provider"])]
        for name, value in zip(names, want, strict=True):
            assert float(row[name]) == pytest.approx(float(value), rel=1e-9), (row, name)
    # discounts only ever lower cost, and some contract applied in the demo
    assert any(float(r["effective_cost"]) < float(r["total_list_cost"]) for r in rows)


def test_chargeback_metric_equals_total_cost_per_month(built_database, tmp_path):
    core = _mf_query(built_database, tmp_path / "core.csv", "total_list_cost", "metric_time__month")
    chargeback = _mf_query(built_database, tmp_path / "chargeback.csv", "chargeback_list_cost", "metric_time__month")
    core_by_month = {r["metric_time__month"]: float(r["total_list_cost"]) for r in core}
    charged = {r["metric_time__month"]: float(r["chargeback_list_cost"]) for r in chargeback}
    assert core_by_month.keys() == charged.keys() and len(charged) == 3
    for month, value in charged.items():
        assert value == pytest.approx(core_by_month[month], rel=1e-9)


def test_cost_per_outcome_metric_matches_the_unit_economics_mart(built_database, tmp_path):
    rows = _mf_query(
        built_database,
        tmp_path / "cost_per_outcome.csv",
        "cost_per_outcome,outcomes,costed_outcome_count",
        "metric_time__month,unit_economics__outcome_type",
    )
    con = duckdb.connect(str(built_database), read_only=True)
    try:
        # only rows with a cost per outcome count (priced, attributed, outcomes reported): recomputed by hand
        expected = {
            (str(month)[:10], outcome_type): (cpo, outcomes, costed)
            for month, outcome_type, cpo, outcomes, costed in con.execute(
                """
                select usage_month, outcome_type,
                    sum(contracted_cost) filter (where contracted_cost_per_outcome is not null)
                        / sum(outcome_count) filter (where contracted_cost_per_outcome is not null),
                    sum(outcome_count),
                    coalesce(sum(outcome_count) filter (where contracted_cost_per_outcome is not null), 0)
                from main_marts.fct_unit_economics_monthly
                group by 1, 2
                """
            ).fetchall()
        }
        # at the mart's own grain the ratio is the mart's column: one single-row group checked directly
        single = con.execute(
            """
            select usage_month, outcome_type, max(contracted_cost_per_outcome)
            from main_marts.fct_unit_economics_monthly
            group by 1, 2
            having count(*) = 1 and max(contracted_cost_per_outcome) is not null
            limit 1
            """
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == len(expected) >= 10
    got = {(r["metric_time__month"][:10], r["unit_economics__outcome_type"]): r for r in rows}
    for key, (cpo, outcomes, costed) in expected.items():
        row = got[key]
        assert float(row["outcomes"] or 0) == pytest.approx(float(outcomes or 0))
        assert float(row["costed_outcome_count"] or 0) == pytest.approx(float(costed))
        if cpo is None:
            assert not row["cost_per_outcome"], (key, row)
        else:
            assert float(row["cost_per_outcome"]) == pytest.approx(float(cpo), rel=1e-9), key
    # unpriced usage really is excluded somewhere (else the filter above would be untested)
    assert any(float(r["costed_outcome_count"] or 0) < float(r["outcomes"] or 0) for r in rows)
    month, outcome_type, cpo = single[0]
    assert float(got[(str(month)[:10], outcome_type)]["cost_per_outcome"]) == pytest.approx(cpo, rel=1e-9)


def test_budget_utilisation_metric_matches_the_budget_mart(built_database, tmp_path):
    daily = _mf_query(built_database, tmp_path / "budget_daily.csv", "budget_utilisation_pct", "metric_time__day,budget")
    monthly = _mf_query(
        built_database, tmp_path / "budget_monthly.csv", "budget_utilisation_pct,budget_spend_to_date", "metric_time__month,budget"
    )
    con = duckdb.connect(str(built_database), read_only=True)
    try:
        by_day = {
            (str(day)[:10], budget): pct
            for day, budget, pct in con.execute(
                "select budget_date, budget_id, spend_pct_of_budget from main_marts.fct_budget_status_daily"
            ).fetchall()
        }
        # semi-additive over time: each budget's last day in the month
        by_month = {
            (str(month)[:10], budget): (pct, spend)
            for month, budget, pct, spend in con.execute(
                """
                select date_trunc('month', budget_date), budget_id, spend_pct_of_budget, spend_to_date
                from main_marts.fct_budget_status_daily
                qualify budget_date = max(budget_date) over (partition by budget_id, date_trunc('month', budget_date))
                """
            ).fetchall()
        }
    finally:
        con.close()
    assert len(daily) == len(by_day) >= 100
    for row in daily:
        want = by_day[(row["metric_time__day"][:10], row["budget"])]
        assert float(row["budget_utilisation_pct"]) == pytest.approx(want, rel=1e-9), row
    assert len(monthly) == len(by_month)
    for row in monthly:
        pct, spend = by_month[(row["metric_time__month"][:10], row["budget"])]
        assert float(row["budget_utilisation_pct"]) == pytest.approx(pct, rel=1e-9), row
        assert float(row["budget_spend_to_date"]) == pytest.approx(spend, rel=1e-9), row
    # some budget is over (the demo plants overruns), so the metric is not trivially below 100
    assert any(float(r["budget_utilisation_pct"]) > 100 for r in monthly)
