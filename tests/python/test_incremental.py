"""Incremental builds: a warehouse built as the data arrived (a full build, then newer deliveries
and incremental runs) holds exactly the marts of one full build over all the data."""

from __future__ import annotations

import math
import shutil

import duckdb
import pandas as pd
import pytest

from .conftest import run_cli

HELD_BACK_FROM = "2026-10-20"  # gateway deliveries from this day on (incl. the late 10-29 one) arrive later
REDELIVERED_AGAIN = "2026-09-01"  # this day's gateway delivery arrives again with the held-back ones
MARTS = {
    "fct_ai_cost_daily": "ai_cost_daily_id",
    "fct_chargeback_monthly": "chargeback_line_id",
    "fct_shared_cost_allocation_monthly": "allocation_line_id",
    "fct_policy_violations": "violation_id",
}
SELECTION = ["--select", "+fct_chargeback_monthly", "+fct_policy_violations", "+int_gateway_spend_hourly"]
# the data tests run once, on the final state (the first two builds only build: it saves two test passes)
MODELS_ONLY = ["--exclude-resource-type", "test", "unit_test"]


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
    run_cli("build", "--database", str(database), *SELECTION, *MODELS_ONLY)
    with duckdb.connect(str(database), read_only=True) as con:
        first_max = con.execute("select max(usage_date) from main_intermediate.int_gateway_requests_enriched").fetchone()[0]
    # the rest arrives (only new files load), with a re-delivery of a day built long before (identical
    # copies of its requests, loaded later: the incremental run must rank them with the copies it holds)
    spend_logs = early_raw / "litellm" / "spend_logs"
    for directory in held_back:
        shutil.copytree(demo_raw / "litellm" / "spend_logs" / directory.name, directory)
    shutil.copytree(spend_logs / f"delivery={REDELIVERED_AGAIN}", spend_logs / f"delivery={REDELIVERED_AGAIN}-again")
    run_cli("load", "--raw", str(early_raw), "--database", str(database))
    run_cli("build", "--database", str(database), *SELECTION, *MODELS_ONLY)
    run_cli("build", "--database", str(database), *SELECTION, "--indirect-selection", "cautious")  # a re-run changes nothing
    return database, first_max


def _rows_by_key(con, table: str, key: str) -> dict:
    frame = con.execute(f"select * from main_marts.{table}").df()
    return {row[key]: row for row in frame.to_dict("records")}


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b or (a != a and b != b)  # NaN/NaT equal to themselves here


def test_incremental_runs_equal_a_full_build(incremental_database, built_database):
    database, first_max = incremental_database
    assert str(first_max) < HELD_BACK_FROM  # the first build really stopped before the held-back days
    with duckdb.connect(str(database), read_only=True) as incremental, duckdb.connect(str(built_database), read_only=True) as full:
        for table, key in MARTS.items():
            got, want = _rows_by_key(incremental, table, key), _rows_by_key(full, table, key)
            assert got.keys() == want.keys(), table
            for line, row in want.items():
                diff = {c: (got[line][c], v) for c, v in row.items() if not _same(got[line][c], v)}
                assert not diff, (table, line, diff)
        assert (
            incremental.execute("select count(*), sum(output_tokens) from main_intermediate.int_gateway_requests_enriched").fetchone()
            == full.execute("select count(*), sum(output_tokens) from main_intermediate.int_gateway_requests_enriched").fetchone()
        )


def test_incremental_hourly_spend_equals_a_full_build(incremental_database, built_database):
    """The dense hourly grid (zero hours included) built day by day equals the full build, row for row."""
    database, _ = incremental_database
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute(f"attach '{built_database}' as full_build (read_only)")
        counts = con.execute(
            "select (select count(*) from main_intermediate.int_gateway_spend_hourly),"
            " (select count(*) from full_build.main_intermediate.int_gateway_spend_hourly)"
        ).fetchone()
        assert counts[0] == counts[1] > 0
        differing = con.execute(
            """
            select count(*)
            from main_intermediate.int_gateway_spend_hourly as got
            full join full_build.main_intermediate.int_gateway_spend_hourly as want
                using (hour_at, scope_type, scope_id)
            where got.hour_at is null or want.hour_at is null
                or got.usage_date <> want.usage_date
                or got.owner_team_id is distinct from want.owner_team_id
                or got.request_count <> want.request_count
                or got.input_tokens <> want.input_tokens
                or got.output_tokens <> want.output_tokens
                or got.top_session_request_count <> want.top_session_request_count
                or abs(got.list_cost - want.list_cost) > 1e-9
                or abs(got.contracted_cost - want.contracted_cost) > 1e-9
            """
        ).fetchone()[0]
        assert differing == 0


INCREMENTAL_ROLL_UPS = [
    "int_gateway_requests_enriched",
    "int_usage_gateway_daily",
    "int_gateway_requests_hourly",
    "int_gateway_spend_hourly",
    "int_prompt_limit_violations_daily",
]
# the price-book view the var re-points, and the incremental models (their other parents are already built)
ROLL_UP_SELECTION = ["--select", "int_model_prices", "int_gateway_requests_priced", *INCREMENTAL_ROLL_UPS]
EDITED_PRICES = ["--vars", "{ai_finops__model_prices_relation: ref_edit.model_prices}"]


def _sorted_frame(con, table: str):
    frame = con.execute(f"select * from main_intermediate.{table}").df()
    keys = [c for c in frame.columns if frame[c].dtype.kind != "f"]
    return frame.sort_values(keys, na_position="last").reset_index(drop=True)


def test_reference_data_change_rebuilds_built_days(incremental_database, tmp_path):
    """A price-book change with no new data: the incremental run (reference_fingerprint differs) restates
    every built day, not only the lookback or the days with new copies, and equals a full refresh."""
    source, _ = incremental_database
    database = tmp_path / "edited.duckdb"
    shutil.copyfile(source, database)  # the module's warehouse stays as the other tests expect it
    with duckdb.connect(str(database)) as con:
        con.execute("create schema ref_edit")
        con.execute(
            "create table ref_edit.model_prices as select * replace (usd_per_million_tokens * 1.25 as usd_per_million_tokens)"
            " from main_reference.ai_finops__model_prices"
        )
        before = con.execute(
            "select min(usage_date), sum(list_cost) from main_intermediate.int_gateway_requests_enriched"
            " where usage_date = (select min(usage_date) from main_intermediate.int_gateway_requests_enriched)"
        ).fetchone()
    only_models = ["--exclude-resource-type", "test", "unit_test"]
    run_cli("build", "--database", str(database), *ROLL_UP_SELECTION, *only_models, *EDITED_PRICES)
    with duckdb.connect(str(database), read_only=True) as con:
        incremental = {table: _sorted_frame(con, table) for table in INCREMENTAL_ROLL_UPS}
        first_day_cost = con.execute(
            "select sum(list_cost) from main_intermediate.int_gateway_requests_enriched where usage_date = ?", [before[0]]
        ).fetchone()[0]
    assert first_day_cost == pytest.approx(before[1] * 1.25, rel=1e-9)  # the oldest day (far past the lookback) restated
    run_cli("build", "--database", str(database), *ROLL_UP_SELECTION, *only_models, *EDITED_PRICES, "--full-refresh")
    with duckdb.connect(str(database), read_only=True) as con:
        for table in INCREMENTAL_ROLL_UPS:
            full = _sorted_frame(con, table)
            assert len(full) > 0, table
            assert full["reference_fingerprint"].nunique() == 1, table
            pd.testing.assert_frame_equal(incremental[table], full, check_exact=False, rtol=1e-9, atol=1e-9, obj=table)


# a damaged measure per incremental model the lookback test restates
LOOKBACK_MEASURES = [("int_gateway_requests_enriched", "list_cost"), ("int_usage_gateway_daily", "uncached_input_tokens")]


def test_lookback_days_restate_the_trailing_days_without_new_data(incremental_database, tmp_path):
    """No new copies and unchanged reference data: a run rebuilds nothing, unless ai_finops__lookback_days
    asks for the trailing days. A damaged newest day (cost zeroed in the models) stays damaged with the
    default 0 and is restated from base with lookback 1 (the newest day and the one before), to the
    values a full build gives; older days are not touched."""
    source, _ = incremental_database
    database = tmp_path / "lookback.duckdb"
    shutil.copyfile(source, database)
    with duckdb.connect(str(database)) as con:
        newest, oldest = con.execute(
            "select max(usage_date), min(usage_date) from main_intermediate.int_gateway_requests_enriched"
        ).fetchone()
        want = {
            (table, column): con.execute(f"select sum({column}) from main_intermediate.{table} where usage_date = ?", [newest]).fetchone()[
                0
            ]
            for table, column in LOOKBACK_MEASURES
        }
        for table, column in want:
            con.execute(f"update main_intermediate.{table} set {column} = 0 where usage_date in (?, ?)", [newest, oldest])
    assert all(v > 0 for v in want.values())
    only_models = ["--exclude-resource-type", "test", "unit_test"]

    def newest_and_oldest(table, column):
        with duckdb.connect(str(database), read_only=True) as con:
            return [
                con.execute(f"select sum({column}) from main_intermediate.{table} where usage_date = ?", [day]).fetchone()[0]
                for day in (newest, oldest)
            ]

    run_cli("build", "--database", str(database), *ROLL_UP_SELECTION, *only_models)
    assert [newest_and_oldest(*measure) for measure in want] == [[0, 0], [0, 0]]  # default 0: nothing new, nothing rebuilt
    run_cli("build", "--database", str(database), *ROLL_UP_SELECTION, *only_models, "--vars", "{ai_finops__lookback_days: 1}")
    for measure, value in want.items():
        restated, untouched = newest_and_oldest(*measure)
        assert restated == pytest.approx(value, rel=1e-12), measure
        assert untouched == 0, measure  # far outside the trailing days
