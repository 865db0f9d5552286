"""Bad input is quarantined with a reason, counted, surfaced in the build log, and never summed."""

from __future__ import annotations

import csv
import json
import math
import shutil

import duckdb
import pandas as pd
import pytest

from .conftest import run_cli
from .test_pipeline import expected_in_scope, mart_totals

EXPECTED_QUARANTINE = {
    "openai.usage_completions": {
        "non-numeric input_tokens",
        "negative output_tokens",
        "unknown service_tier",
        "uncached audio and image tokens above uncached input",
    },
    "litellm.spend_logs": {"unparsable metadata JSON", "negative prompt_tokens", "unknown status", "missing startTime"},
    "aws_bedrock.cur": {"non-numeric line_item_usage_amount"},
    "gcp.billing_export": {"missing or non-numeric cost"},
    "gcp.gemini_usage_metadata": {"unknown modality in promptTokensDetails", "cached AUDIO tokens above prompt AUDIO tokens"},
}


def _inject_bad_rows(raw):
    page_path = sorted((raw / "openai" / "usage_completions").glob("*.json"))[0]
    page = json.loads(page_path.read_text())
    good = dict(page["data"][0]["results"][0], project_id="proj_bad", api_key_id="key_bad")
    page["data"][0]["results"] += [
        dict(good, input_tokens="abc"),
        dict(good, output_tokens=-5, model="gpt-4o-mini-2024-07-18"),
        dict(good, service_tier="turbo", model="gpt-4.1-2025-04-14"),
        # an audio subset larger than the uncached input it is part of
        dict(good, input_audio_tokens=good["input_tokens"] - good["input_cached_tokens"] + 1, model="gpt-4o-audio-preview-2024-12-17"),
    ]
    page_path.write_text(json.dumps(page))

    spend_log = sorted((raw / "litellm" / "spend_logs").rglob("*.parquet"))[0]
    rows = pd.read_parquet(spend_log).head(4).copy()
    rows["request_id"] = [f"bad-{i}" for i in range(4)]
    rows.loc[0, "metadata"] = "{not json"
    rows.loc[1, "prompt_tokens"] = -1
    rows.loc[2, "status"] = "exploded"
    rows["startTime"] = rows["startTime"].astype("datetime64[us]")
    rows.loc[3, "startTime"] = pd.NaT
    bad_dir = raw / "litellm" / "spend_logs" / "delivery=bad"
    bad_dir.mkdir()
    rows.to_parquet(bad_dir / "data_0.parquet", index=False)

    cur_path = sorted((raw / "aws_bedrock" / "cur").rglob("*.csv"))[0]
    with open(cur_path, newline="") as f:
        reader = list(csv.DictReader(f))
    bad = dict(reader[0], identity_line_item_id="li-bad", line_item_usage_amount="n/a")
    with open(cur_path, "a", newline="") as f:
        csv.DictWriter(f, fieldnames=list(reader[0]), lineterminator="\n").writerow(bad)

    gcp_path = sorted((raw / "gcp" / "billing_export").glob("*.jsonl"))[0]
    first = json.loads(gcp_path.read_text().splitlines()[0])
    first.update(cost="oops", sku={"id": "SKU-BAD", "description": first["sku"]["description"]})
    with open(gcp_path, "a") as f:
        f.write(json.dumps(first) + "\n")

    # usageMetadata modality arrays: an undocumented modality, and more cached AUDIO than prompt AUDIO
    meta_path = sorted((raw / "gcp" / "gemini_usage_metadata").rglob("*.json"))[0]
    record = json.loads(meta_path.read_text().splitlines()[0])
    usage = record["usageMetadata"]
    odd = dict(usage, promptTokensDetails=[{"modality": "HOLOGRAM", "tokenCount": usage["promptTokenCount"]}])
    cached = dict(
        usage,
        cachedContentTokenCount=10,
        promptTokensDetails=[{"modality": "TEXT", "tokenCount": usage["promptTokenCount"]}],
        cacheTokensDetails=[{"modality": "AUDIO", "tokenCount": 10}],
    )
    with open(meta_path, "a") as f:
        for i, bad_usage in enumerate((odd, cached)):
            f.write(json.dumps(dict(record, responseId=f"bad-{i}", usageMetadata=bad_usage)) + "\n")


@pytest.fixture(scope="module")
def bad_build(demo_raw, tmp_path_factory):
    raw = tmp_path_factory.mktemp("bad") / "raw"
    shutil.copytree(demo_raw, raw)
    _inject_bad_rows(raw)
    database = raw.parent / "bad.duckdb"
    run_cli("load", "--raw", str(raw), "--database", str(database))
    # no --warn-error: quarantined rows are meant to raise a warning, not to stop the build
    result = run_cli("build", "--database", str(database))
    return database, result.stdout


def test_bad_rows_are_quarantined_with_reasons(bad_build):
    database, _ = bad_build
    with duckdb.connect(str(database), read_only=True) as con:
        reasons = con.execute(
            "select source_name || '.' || source_table, list(distinct quarantine_reason) from main_intermediate.int_quarantined_rows group by 1"
        ).fetchall()
        accounting = con.execute(
            "select source_table_id, raw_rows, staged_rows, quarantined_rows, superseded_rows from main_marts.fct_source_row_accounting"
        ).fetchall()
    assert {table: set(found) for table, found in reasons} == EXPECTED_QUARANTINE
    for table, raw, staged, quarantined, superseded in accounting:
        assert raw == staged + quarantined + superseded, table
        assert quarantined == len(EXPECTED_QUARANTINE.get(table, ())), table


def test_quarantine_is_surfaced_in_the_build_log(bad_build):
    _, log = bad_build
    assert "assert_no_quarantined_rows" in log
    assert "WARN" in log


def test_bad_rows_change_no_total(bad_build, manifest):
    database, _ = bad_build
    with duckdb.connect(str(database), read_only=True) as con:
        actual = mart_totals(con)
    expected = expected_in_scope(manifest)
    assert math.isclose(actual.pop("list_cost"), expected.pop("list_cost"), rel_tol=1e-9)
    assert {k: int(v) for k, v in actual.items()} == {k: int(v) for k, v in expected.items()}
