"""Snowflake portability without Snowflake: the project parses with the Snowflake adapter (warnings as
errors), every model and data test compiles for the snowflake target offline, and the compiled SQL holds
nothing Snowflake rejects. The checker itself is shown to catch the DuckDB dialect it guards against."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ai_finops.quality.snowflake_sql import check_contract_types, check_sql

from .conftest import PROJECT


def _dbt(*args: str) -> subprocess.CompletedProcess:
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    subprocess.run([*[sys.executable, "-m", "ai_finops.cli"], "profile"], cwd=PROJECT, check=True, capture_output=True)
    return subprocess.run([dbt, *args, "--profiles-dir", str(PROJECT / ".dbt")], cwd=PROJECT, capture_output=True, text=True)


def test_dbt_parse_snowflake_target_with_warnings_as_errors(tmp_path):
    result = _dbt("parse", "--target", "snowflake", "--warn-error", "--no-partial-parse", "--target-path", str(tmp_path))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Registered adapter: snowflake" in result.stdout
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    contracted = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["config"]["contract"]["enforced"]]
    assert len(contracted) >= 4
    # The YAML anchors render Snowflake types for this target.
    chargeback = manifest["nodes"]["model.ai_finops.fct_chargeback_monthly"]["columns"]
    assert chargeback["list_cost"]["data_type"] == "float"
    assert check_contract_types(manifest) == []


def test_every_model_and_data_test_compiles_to_snowflake_sql(built_database, tmp_path):
    target = tmp_path / "snowflake"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ai_finops.quality.snowflake_sql",
            "--project-dir",
            str(PROJECT),
            "--profiles-dir",
            str(PROJECT / ".dbt"),
            "--target-path",
            str(target),
            "--columns-from",
            str(built_database),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    checked = int(result.stdout.split("[snowflake] ")[1].split()[0])
    assert checked >= 140, result.stdout
    manifest = json.loads((target / "manifest.json").read_text())
    nodes = manifest["nodes"]
    # The Snowflake variants were rendered, not the DuckDB ones.
    assert "regexp_instr(" in nodes["model.ai_finops.base_azure__cost_details"]["compiled_code"]
    assert "reduce(" in nodes["model.ai_finops.base_gcp__billing_export"]["compiled_code"]
    assert "to_timestamp_ntz(" in nodes["model.ai_finops.base_otel__genai_spans"]["compiled_code"]
    # text start times with an offset are read as such, without one as UTC (to_utc_timestamp)
    assert "try_to_timestamp_tz(" in nodes["model.ai_finops.base_litellm__spend_logs"]["compiled_code"]
    # optional_column saw the landing table's real columns (OpenAI's cache-write column exists in the demo).
    assert "cast(null" not in nodes["model.ai_finops.base_openai__usage_completions"]["compiled_code"].replace("\n", " ")


@pytest.mark.parametrize(
    ("duckdb_sql", "expected"),
    [
        ("select json_extract_string(metadata, '$.team') from t", "json_extract_string() is not a known Snowflake function"),
        ("select make_timestamp(cast(cast(n as hugeint) // 1000 as bigint)) from t", "`//` starts a comment"),
        ("select cast(x as hugeint) from t", "cast to hugeint"),
        ("select coalesce(list_sum(cast(json_extract(c, '$[*].amount') as double[])), 0) from t", "cast to double[]"),
        ("select regexp_substr(m, '^(.+?)[ -](inp|outp)', 1, 1, 'e', 1) from t", "non-greedy quantifier"),
        ("select regexp_substr(m, '^\\d+', 1, 1, 'e') from t", "backslash"),
        ("select metadata->>'team' from t", "`->>`"),
        ("select sum(x from t", "sqlglot cannot parse"),
    ],
)
def test_checker_flags_duckdb_dialect(duckdb_sql, expected):
    problems = [str(p) for p in check_sql(duckdb_sql, "probe")]
    assert any(expected in p for p in problems), problems


def test_checker_accepts_snowflake_variants_of_our_macros():
    snowflake_sql = """
        select
            to_timestamp_ntz(cast(start_time_unix_nano as number(38, 0)), 9) as started_at,
            convert_timezone('UTC', try_to_timestamp_tz(cast(starting_at as varchar)))::timestamp_ntz as bucket_start_at,
            coalesce(reduce(to_array(try_parse_json(credits)), 0::float,
                (total float, item variant) -> total + coalesce(item:amount::float, 0::float)), 0) as credit_amount,
            json_extract_path_text(metadata, 'usage_object.cache_read_input_tokens') as cache_read,
            regexp_substr(request_tags, '"team:([^"]+)"', 1, 1, 'e', 1) as tag_team_id,
            case when regexp_instr(m, '[ -](inp|outp)([ -]|$)', 2) > 0
                then left(m, regexp_instr(m, '[ -](inp|outp)([ -]|$)', 2) - 1) end as meter_model,
            try_cast(cast(quantity as varchar) as float) as quantity
        from t
    """
    assert check_sql(snowflake_sql, "probe") == []


def test_contract_types_must_be_snowflake_types():
    manifest = {
        "nodes": {
            "model.x.m": {
                "resource_type": "model",
                "name": "m",
                "config": {"contract": {"enforced": True}},
                "columns": {"a": {"name": "a", "data_type": "hugeint"}, "b": {"name": "b", "data_type": "number(38, 0)"}},
            }
        }
    }
    assert [str(p) for p in check_contract_types(manifest)] == ["m: contract data_type 'hugeint' of a is not a Snowflake type"]
