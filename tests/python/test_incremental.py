"""Incremental builds: a warehouse built as the data arrived (a full build, then newer deliveries
and incremental runs) holds exactly the marts of one full build over all the data."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from .conftest import run_cli

HELD_BACK_FROM = "2026-10-20"  # gateway deliveries from this day on (incl. the late 10-29 one) arrive later
MARTS = {
    "fct_ai_cost_daily": "ai_cost_daily_id",
    "fct_chargeback_monthly": "chargeback_line_id",
    "fct_shared_cost_allocation_monthly": "allocation_line_id",
}


@pytest.fixture(scope="module")
def incremental_database(demo_raw, tmp_path_factory):
    early_raw = tmp_path_factory.mktemp("early_raw")
    shutil.copytree(demo_raw, early_raw, dirs_exist_ok=True)
    held_back = [d for d in (early_raw / "litellm" / "spend_logs").iterdir() if d.name >= f"delivery={HELD_BACK_FROM}"]
    assert len(held_back) >= 10
    for directory in held_back:
        shutil.rmtree(directory)
    database = tmp_path_factory.mktemp("incremental") / "ai_finops.duckdb"
    run_cli("load", "--raw", str(early_raw), "--database", str(database))
    run_cli("build", "--database", str(database), "--select", "+fct_chargeback_monthly", "--indirect-selection", "cautious")
    with duckdb.connect(str(database), read_only=True) as con:
        first_max = con.execute("select max(usage_date) from main_intermediate.int_gateway_requests_enriched").fetchone()[0]
    run_cli("load", "--raw", str(demo_raw), "--database", str(database))  # the rest arrives: only new files load
    run_cli("build", "--database", str(database), "--select", "+fct_chargeback_monthly", "--indirect-selection", "cautious")
    run_cli(
        "build", "--database", str(database), "--select", "+fct_chargeback_monthly", "--indirect-selection", "cautious"
    )  # a re-run changes nothing
    return database, first_max


def _rounded_rows(con, table: str, key: str):
    columns = [
        r[0]
        for r in con.execute(
            f"select column_name from information_schema.columns where table_schema = 'main_marts' and table_name = '{table}'"
        ).fetchall()
    ]
    types = dict(
        con.execute(
            f"select column_name, data_type from information_schema.columns where table_schema = 'main_marts' and table_name = '{table}'"
        ).fetchall()
    )
    select = ", ".join(f"round({c}, 6) as {c}" if types[c] == "DOUBLE" else c for c in columns)
    return sorted(con.execute(f"select {select} from main_marts.{table} order by {key}").fetchall(), key=str)


def test_incremental_runs_equal_a_full_build(incremental_database, built_database):
    database, first_max = incremental_database
    assert str(first_max) < HELD_BACK_FROM  # the first build really stopped before the held-back days
    with duckdb.connect(str(database), read_only=True) as incremental, duckdb.connect(str(built_database), read_only=True) as full:
        for table, key in MARTS.items():
            assert _rounded_rows(incremental, table, key) == _rounded_rows(full, table, key), table
        assert (
            incremental.execute("select count(*), sum(output_tokens) from main_intermediate.int_gateway_requests_enriched").fetchone()
            == full.execute("select count(*), sum(output_tokens) from main_intermediate.int_gateway_requests_enriched").fetchone()
        )
