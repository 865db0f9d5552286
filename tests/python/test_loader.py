"""The raw loader: idempotent per file, tolerant of schema drift, dlt-style names."""

from __future__ import annotations

import json
import shutil
from datetime import datetime

import duckdb
import pandas as pd
import pytest

from ai_finops.load import SOURCES, flatten, load, snake_case


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("startTime", "start_time"),
        ("CostInBillingCurrency", "cost_in_billing_currency"),
        ("gen_ai.usage.input_tokens", "gen_ai_usage_input_tokens"),
        ("amount__value", "amount__value"),
    ],
)
def test_snake_case(raw, expected):
    assert snake_case(raw) == expected


def test_flatten_nests_objects_and_keeps_lists_as_json():
    row = flatten({"amount": {"value": 1.5, "currency": "usd"}, "labels": [{"key": "team"}], "requestMetadata": {"team": "x"}})
    assert row == {"amount__value": 1.5, "amount__currency": "usd", "labels": '[{"key":"team"}]', "request_metadata": '{"team":"x"}'}


def _counts(database):
    with duckdb.connect(str(database), read_only=True) as con:
        present = {r[0] for r in con.execute("select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
        return {s.table: con.execute(f"select count(*) from raw.{s.table}").fetchone()[0] for s in SOURCES if s.table in present}


def test_loading_the_same_files_twice_changes_nothing(demo_raw, tmp_path):
    database = tmp_path / "w.duckdb"
    first = load(demo_raw, database, log=lambda _: None)
    counts = _counts(database)
    second = load(demo_raw, database, log=lambda _: None)
    assert _counts(database) == counts
    assert all(c["loaded"] > 0 for c in first.values())
    assert all(c["loaded"] == 0 and c["replaced"] == 0 for c in second.values())


def test_a_changed_file_replaces_its_rows(demo_raw, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(demo_raw / "openai", raw / "openai")
    database = tmp_path / "w.duckdb"
    load(raw, database, log=lambda _: None)
    before = _counts(database)["openai_usage_completions"]
    page_path = sorted((raw / "openai" / "usage_completions").glob("*.json"))[0]
    page = json.loads(page_path.read_text())
    dropped = len(page["data"][0]["results"])
    page["data"][0]["results"] = []
    page_path.write_text(json.dumps(page))
    summary = load(raw, database, log=lambda _: None)
    assert summary["openai_usage_completions"]["replaced"] == 1
    assert _counts(database)["openai_usage_completions"] == before - dropped


def test_schema_drift_adds_columns_and_keeps_old_rows(tmp_path):
    folder = tmp_path / "raw" / "openai" / "usage_completions"
    folder.mkdir(parents=True)
    old = {
        "object": "organization.usage.completions.result",
        "input_tokens": 10,
        "input_cached_tokens": 2,
        "output_tokens": 3,
        "num_model_requests": 1,
        "project_id": "p",
        "model": "gpt-4o",
    }
    new = {**old, "input_cache_write_tokens": 4}

    def page(start, result):
        return {
            "object": "page",
            "data": [{"object": "bucket", "start_time": start, "end_time": start + 86400, "results": [result]}],
            "has_more": False,
            "next_page": None,
        }

    (folder / "2025-01-01.json").write_text(json.dumps(page(1735689600, old)))
    database = tmp_path / "w.duckdb"
    load(tmp_path / "raw", database, log=lambda _: None)
    (folder / "2026-08-01.json").write_text(json.dumps(page(1785542400, new)))
    load(tmp_path / "raw", database, log=lambda _: None)
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute("select start_time, input_cache_write_tokens from raw.openai_usage_completions order by start_time").fetchall()
    assert rows == [(1735689600, None), (1785542400, 4)]


def test_a_page_of_empty_buckets_loads_as_zero_rows(tmp_path):
    folder = tmp_path / "raw" / "openai" / "usage_completions"
    folder.mkdir(parents=True)
    quiet = {
        "object": "page",
        "data": [{"object": "bucket", "start_time": 1735689600, "end_time": 1735776000, "results": []}],
        "has_more": False,
        "next_page": None,
    }
    (folder / "quiet.json").write_text(json.dumps(quiet))
    database = tmp_path / "w.duckdb"
    summary = load(tmp_path / "raw", database, log=lambda _: None)
    assert summary["openai_usage_completions"]["loaded"] == 1
    assert load(tmp_path / "raw", database, log=lambda _: None)["openai_usage_completions"]["skipped"] == 1
    with duckdb.connect(str(database), read_only=True) as con:
        registered = con.execute(
            "select row_count from raw._ai_finops_loaded_files where table_name = 'openai_usage_completions'"
        ).fetchall()
    assert registered == [(0,)]
    with duckdb.connect(str(database), read_only=True) as con:
        buckets = con.execute(
            "select table_name, bucket_start_at, bucket_end_at, _loaded_from_file from raw._ai_finops_extracted_buckets"
        ).fetchall()
    # the empty bucket is registered: a later extraction that restates a day to zero rows supersedes it in staging
    assert buckets == [("openai_usage_completions", datetime(2025, 1, 1), datetime(2025, 1, 2), "openai/usage_completions/quiet.json")]
    quiet["data"].append({"object": "bucket", "start_time": 1735776000, "end_time": 1735862400, "results": []})
    (folder / "quiet.json").write_text(json.dumps(quiet))
    load(tmp_path / "raw", database, log=lambda _: None)
    with duckdb.connect(str(database), read_only=True) as con:
        buckets = con.execute("select bucket_start_at from raw._ai_finops_extracted_buckets order by 1").fetchall()
    assert buckets == [(datetime(2025, 1, 1),), (datetime(2025, 1, 2),)]  # a changed file replaces its register rows


def test_prompt_and_completion_content_is_never_stored(tmp_path):
    folder = tmp_path / "raw" / "litellm" / "spend_logs"
    folder.mkdir(parents=True)
    secret = "my card number is 4111"
    pd.DataFrame(
        [
            {
                "request_id": "r1",
                "prompt_tokens": 5,
                "messages": json.dumps([{"role": "user", "content": secret}]),
                "response": json.dumps({"text": secret}),
                "proxy_server_request": "{}",
            }
        ]
    ).to_parquet(folder / "part.parquet")
    logs = tmp_path / "raw" / "aws_bedrock" / "invocation_logs"
    logs.mkdir(parents=True)
    (logs / "day.json").write_text(
        json.dumps(
            {
                "requestId": "q1",
                "input": {"inputTokenCount": 3, "inputBodyJson": {"prompt": secret}},
                "output": {"outputBodyJson": {"text": secret}},
            }
        )
        + "\n"
    )
    database = tmp_path / "w.duckdb"
    load(tmp_path / "raw", database, log=lambda _: None)
    with duckdb.connect(str(database), read_only=True) as con:
        spend_columns = {r[0] for r in con.execute("describe raw.litellm_spend_logs").fetchall()}
        log_columns = {r[0] for r in con.execute("describe raw.aws_bedrock_invocation_logs").fetchall()}
        dump = str(con.execute("select * from raw.litellm_spend_logs").fetchall()) + str(
            con.execute("select * from raw.aws_bedrock_invocation_logs").fetchall()
        )
    assert {"request_id", "prompt_tokens"} <= spend_columns and not {"messages", "response", "proxy_server_request"} & spend_columns
    assert "input__input_token_count" in log_columns and "input__input_body_json" not in log_columns
    assert secret not in dump


def test_gzipped_exports_are_read(tmp_path):
    import gzip

    folder = tmp_path / "raw" / "openai" / "usage_completions"
    folder.mkdir(parents=True)
    page = {
        "object": "page",
        "data": [
            {"object": "bucket", "start_time": 1735689600, "end_time": 1735776000, "results": [{"input_tokens": 7, "model": "gpt-4o"}]}
        ],
        "has_more": False,
        "next_page": None,
    }
    with gzip.open(folder / "page.json.gz", "wt") as f:
        f.write(json.dumps(page))
    database = tmp_path / "w.duckdb"
    load(tmp_path / "raw", database, log=lambda _: None)
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select input_tokens from raw.openai_usage_completions").fetchall() == [(7,)]


def test_benchmark_replicates_gateway_rows_in_the_database(tmp_path):
    """`ai-finops benchmark` above 1M rows: every loaded gateway file holds k copies of its rows, with new
    request/session ids and row numbers; a re-delivered request's copies keep matching ids; later loads
    are replicated on their own."""
    from ai_finops.benchmark import replicate_in_database

    database = tmp_path / "bench.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw")
        con.execute(
            "create table raw.litellm_spend_logs (request_id varchar, session_id varchar, spend double,"
            " _loaded_from_file varchar, _file_row_number bigint, _loaded_at timestamp)"
        )
        con.execute("create table raw._ai_finops_loaded_files (table_name varchar, source_file varchar, row_count bigint)")
        con.execute(
            "insert into raw.litellm_spend_logs values ('a', 's1', 1.0, 'day1', 1, '2026-01-01'), ('b', null, 2.0, 'day1', 2, '2026-01-01'),"
            " (null, 's2', 3.0, 'day1', 3, '2026-01-01'), ('b', null, 2.0, 'late', 1, '2026-01-01')"
        )
        con.execute("insert into raw._ai_finops_loaded_files values ('litellm_spend_logs', 'day1', 3), ('litellm_spend_logs', 'late', 1)")
    replicate_in_database(database, 3)
    with duckdb.connect(str(database)) as con:
        rows = con.execute(
            "select _loaded_from_file, _file_row_number, request_id, session_id, spend from raw.litellm_spend_logs order by 1, 2"
        ).fetchall()
        assert rows == [
            ("day1", 1, "a", "s1", 1.0),
            ("day1", 2, "b", None, 2.0),
            ("day1", 3, None, "s2", 3.0),
            ("day1", 4, "a-r1", "s1-r1", 1.0),
            ("day1", 5, "b-r1", None, 2.0),
            ("day1", 6, None, "s2-r1", 3.0),
            ("day1", 7, "a-r2", "s1-r2", 1.0),
            ("day1", 8, "b-r2", None, 2.0),
            ("day1", 9, None, "s2-r2", 3.0),
            ("late", 1, "b", None, 2.0),
            ("late", 2, "b-r1", None, 2.0),
            ("late", 3, "b-r2", None, 2.0),
        ]
        assert con.execute("select source_file, row_count from raw._ai_finops_loaded_files order by 1").fetchall() == [
            ("day1", 9),
            ("late", 3),
        ]
        con.execute("insert into raw.litellm_spend_logs values ('c', null, 4.0, 'day2', 1, '2026-01-02')")
        con.execute("insert into raw._ai_finops_loaded_files values ('litellm_spend_logs', 'day2', 1)")
    replicate_in_database(database, 3, "2026-01-01 00:00:00")
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select count(*) from raw.litellm_spend_logs").fetchone()[0] == 15
        assert con.execute(
            "select list(request_id order by _file_row_number) from raw.litellm_spend_logs where _loaded_from_file = 'day2'"
        ).fetchone()[0] == ["c", "c-r1", "c-r2"]
