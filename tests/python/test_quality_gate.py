"""The quality gates fail loudly: `ai-finops check` (Great Expectations) passes on the demo warehouse and
writes Data Docs, then names every planted breach; a failing dbt test makes `ai-finops build` exit
non-zero naming the test."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from .conftest import CLI, PROJECT


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=PROJECT, env=dict(os.environ), capture_output=True, text=True)


def _corrupt(database: Path) -> None:
    """Plant one breach per gate in a copy of the built warehouse."""
    con = duckdb.connect(str(database))
    try:
        newest = con.execute("select max(usage_date) from main_marts.fct_ai_cost_daily").fetchall()[0][0]
        # rows older than both drift windows, so only the row-level gates see them
        old_rows = [
            r[0]
            for r in con.execute(
                "select ai_cost_daily_id from main_marts.fct_ai_cost_daily"
                " where usage_date < ? - interval 40 day and list_cost > 0 and total_tokens > 100000 and input_tokens > 0"
                " order by ai_cost_daily_id limit 3",
                [newest],
            ).fetchall()
        ]
        cache_row, negative_row, price_row = old_rows
        table = "main_marts.fct_ai_cost_daily"
        con.execute(f"update {table} set cache_read_tokens = input_tokens + 1000 where ai_cost_daily_id = ?", [cache_row])
        con.execute(f"update {table} set output_tokens = -5 where ai_cost_daily_id = ?", [negative_row])
        # dollars booked as milli-dollars: a unit error the price band catches
        con.execute(
            f"update {table} set list_cost = list_cost * 1000, contracted_cost = contracted_cost * 1000 where ai_cost_daily_id = ?",
            [price_row],
        )
        # the mart stops two days short of what staging holds (a stale build) ...
        con.execute(f"delete from {table} where usage_date > ? - interval 2 day", [newest])
        # ... its newest remaining day costs ten times its usual ...
        con.execute(
            f"update {table} set list_cost = list_cost * 10, contracted_cost = contracted_cost * 10 where usage_date = ? - interval 2 day",
            [newest],
        )
        # ... and in the recent window all spend moved to one provider (distribution drift)
        con.execute(f"update {table} set provider = 'openai' where usage_date > ? - interval 7 day", [newest])
        # a landing table loses most of its rows; another loses a key field; a third stops arriving
        con.execute("delete from raw.litellm_spend_logs where hash(request_id) % 10 < 6")
        con.execute(
            "update raw.anthropic_usage_report_messages set model = null where hash(starting_at || coalesce(api_key_id, '')) % 10 = 0"
        )
        con.execute("update raw.openai_costs set _loaded_at = _loaded_at - interval 30 day")
    finally:
        con.close()


@pytest.fixture(scope="module")
def gate_runs(built_database, tmp_path_factory):
    work = tmp_path_factory.mktemp("gate")
    database = work / "warehouse.duckdb"
    shutil.copyfile(built_database, database)
    docs = work / "gx"
    clean = _cli("check", "--database", str(database), "--docs-dir", str(docs))
    history = json.loads((docs / "raw_volume_history.json").read_text())
    _corrupt(database)
    bad = _cli("check", "--database", str(database), "--docs-dir", str(docs))
    return clean, bad, docs, history, database


def test_check_passes_on_the_demo_warehouse_and_writes_data_docs(gate_runs, built_database):
    clean, _, docs, history, database = gate_runs
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    passed = re.search(r"PASSED: (\d+) expectations over (\d+) suites", clean.stdout)
    assert passed, clean.stdout
    assert int(passed.group(1)) >= 85 and int(passed.group(2)) == 17
    index = docs / "data_docs" / "index.html"
    assert index.exists()
    html = index.read_text()
    for suite in (
        "raw.litellm_spend_logs",
        "main_marts.fct_ai_cost_daily",
        "main_marts.fct_chargeback_monthly",
        "main_marts.fct_billing_reconciliation_monthly",
    ):
        assert suite in html
    # the volume history holds the real row counts of the landing tables
    con = duckdb.connect(str(built_database), read_only=True)
    try:
        litellm_rows = con.execute("select count(*) from raw.litellm_spend_logs").fetchall()[0][0]
    finally:
        con.close()
    assert history[str(database.resolve())]["row_counts"]["litellm_spend_logs"] == litellm_rows


def test_check_names_every_breach_and_exits_non_zero(gate_runs):
    _, bad, _, _, _ = gate_runs
    assert bad.returncode == 1, bad.stdout[-3000:] + bad.stderr[-3000:]
    assert "[check] FAILED: 10 of" in bad.stderr, bad.stderr
    lines = [line.strip()[len("BREACH ") :] for line in bad.stderr.splitlines() if line.startswith("  BREACH ")]
    found = {line.split(")")[0] + ")" for line in lines}
    assert found == {
        "raw.litellm_spend_logs: expect_table_row_count_to_be_between(table)",
        "raw.anthropic_usage_report_messages: expect_column_values_to_not_be_null(model)",
        "raw.openai_costs: expect_column_max_to_be_between(_loaded_at)",
        "main_marts.fct_ai_cost_daily: expect_column_pair_values_a_to_be_greater_than_b(input_tokens, cache_read_tokens)",
        "main_marts.fct_ai_cost_daily: expect_column_pair_values_a_to_be_greater_than_b(input_tokens, cache_tokens)",
        "main_marts.fct_ai_cost_daily: expect_column_values_to_be_between(output_tokens)",
        "main_marts.fct_ai_cost_daily: expect_column_pair_values_a_to_be_greater_than_b(band_ceiling, usd_per_million_tokens)",
        "main_marts.fct_ai_cost_daily.newest_day: expect_column_max_to_be_between(usage_date)",
        "main_marts.fct_ai_cost_daily.newest_day: expect_column_values_to_be_between(volume_ratio)",
        "main_marts.fct_ai_cost_daily.provider_mix: expect_column_sum_to_be_between(abs_share_change)",
    }, "\n".join(lines)
    # each line says what was seen and why it matters
    volume = next(line for line in lines if line.startswith("raw.litellm_spend_logs"))
    assert "observed" in volume and "volume vs history" in volume


def test_failing_dbt_test_fails_the_build_and_names_the_test(built_database, tmp_path):
    database = tmp_path / "warehouse.duckdb"
    shutil.copyfile(built_database, database)
    con = duckdb.connect(str(database))
    con.execute(
        "update main_marts.fct_chargeback_monthly set chargeback_line_id = (select min(chargeback_line_id) from main_marts.fct_chargeback_monthly)"
        " where chargeback_line_id = (select max(chargeback_line_id) from main_marts.fct_chargeback_monthly)"
    )
    con.close()
    result = _cli("build", "--database", str(database), "--select", "unique_fct_chargeback_monthly_chargeback_line_id")
    assert result.returncode != 0
    assert "dbt build failed; 1 node(s) failed: unique_fct_chargeback_monthly_chargeback_line_id (fail, 1 failing rows)" in result.stderr, (
        result.stderr
    )


def test_source_freshness_warns_then_errors_on_stale_sources(built_database, tmp_path):
    database = tmp_path / "warehouse.duckdb"
    shutil.copyfile(built_database, database)
    fresh = _cli("freshness", "--database", str(database))
    assert fresh.returncode == 0, fresh.stdout[-3000:]
    assert "PASS freshness of openai.costs" in fresh.stdout
    con = duckdb.connect(str(database))
    # a report source last loaded 30 days ago (error_after 7 days); the gateway 2 days ago (warn_after 1 day)
    con.execute("update raw.openai_costs set _loaded_at = _loaded_at - interval 30 day")
    con.execute("update raw.litellm_spend_logs set _loaded_at = _loaded_at - interval 2 day")
    con.close()
    stale = _cli("freshness", "--database", str(database))
    assert stale.returncode == 1
    assert "ERROR STALE freshness of openai.costs" in stale.stdout
    assert "WARN freshness of litellm.spend_logs" in stale.stdout
    assert "PASS freshness of anthropic.cost_report" in stale.stdout
