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


def _mf_query(database: Path, out: Path, metrics: str, group_by: str) -> list[dict]:
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT / ".dbt"), "AI_FINOPS_DUCKDB_PATH": str(database)}
    # mf reads target/semantic_manifest.json: parse for this warehouse first (its catalog name is in the manifest)
    subprocess.run(
        [str(BIN / "dbt"), "parse", "--profiles-dir", str(PROJECT / ".dbt")], cwd=PROJECT, env=env, check=True, capture_output=True
    )
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
