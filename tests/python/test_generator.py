"""The demo generator: deterministic, in the documented raw shapes, with its manifest of truth."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from ai_finops.demo.company import WORKFLOWS, build_accounts
from ai_finops.demo.generator import generate
from ai_finops.demo.seeds import render, seed_tables

from .conftest import PROJECT

PLANTED = {
    "runaway_agent_loop",
    "rag_oversized_context",
    "premium_model_classification",
    "pooled_keys_no_owner",
    "team_reorg",
    "price_change",
    "voice_audio_tokens",
    "gemini_audio_tokens",
    "bedrock_regional_price",
    "azure_data_zone_price",
    "unknown_model",
    "duplicate_export",
    "late_arriving_data",
    "gateway_log_gap",
    "streamed_zero_spend",
}


def _digest(folder):
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def test_same_seed_gives_identical_files(tmp_path):
    first = generate(tmp_path / "a", PROJECT, scale=0.005, seed=11, days=20)
    second = generate(tmp_path / "b", PROJECT, scale=0.005, seed=11, days=20)
    assert first == second
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    third = generate(tmp_path / "c", PROJECT, scale=0.005, seed=12, days=20)
    assert third["totals"] != first["totals"]


def test_company_has_the_promised_size():
    teams = {w.team_id for w in WORKFLOWS if w.team_id}
    assert len(teams) >= 10
    assert len(WORKFLOWS) >= 30
    assert len({a.account_id for a in build_accounts()}) >= 150


def test_manifest_lists_every_planted_event(manifest):
    assert {e["id"] for e in manifest["planted_events"]} == PLANTED
    events = {e["id"]: e for e in manifest["planted_events"]}
    runaway = events["runaway_agent_loop"]
    assert runaway["peak_calls_per_minute"] >= 20  # at test scale; hundreds per minute at the default
    assert runaway["list_cost"] > 0.5 * sum(
        v["list_cost"] for k, v in manifest["totals"]["by_provider_route"].items() if k == "anthropic|gateway"
    )
    assert 35_000 <= events["rag_oversized_context"]["mean_input_tokens"] <= 45_000
    assert events["premium_model_classification"]["mean_output_tokens"] < 10
    assert events["unknown_model"]["requests"] > 0 and events["unknown_model"]["provider_cost"] > 0
    assert events["gateway_log_gap"]["requests"] > 0
    gemini = events["gemini_audio_tokens"]
    assert gemini["requests"] > 0 and 0 < gemini["input_audio_tokens"] < gemini["uncached_input_tokens"]


def test_openai_pages_have_the_documented_shape(demo_raw):
    page = json.loads(sorted((demo_raw / "openai" / "usage_completions").glob("*.json"))[0].read_text())
    assert page["object"] == "page" and set(page) == {"object", "data", "has_more", "next_page"}
    bucket = page["data"][0]
    assert bucket["object"] == "bucket" and isinstance(bucket["start_time"], int)
    assert bucket["end_time"] - bucket["start_time"] == 86400
    result = bucket["results"][0]
    assert result["object"] == "organization.usage.completions.result"
    assert result["input_cached_tokens"] <= result["input_tokens"]
    costs = json.loads(sorted((demo_raw / "openai" / "costs").glob("*.json"))[0].read_text())
    line = costs["data"][0]["results"][0]
    assert line["amount"]["currency"] == "usd" and isinstance(line["amount"]["value"], float)
    assert ", " in line["line_item"]


def test_anthropic_cost_report_is_in_cents_as_strings(demo_raw):
    report = json.loads(sorted((demo_raw / "anthropic" / "cost_report").glob("*.json"))[0].read_text())
    row = report["data"][0]["results"][0]
    assert isinstance(row["amount"], str) and float(row["amount"]) >= 0
    assert row["currency"] == "USD"
    usage = json.loads(sorted((demo_raw / "anthropic" / "usage_report_messages").glob("*.json"))[0].read_text())
    assert usage["data"][0]["starting_at"].endswith("Z")
    assert "ephemeral_5m_input_tokens" in usage["data"][0]["results"][0]["cache_creation"]


def test_litellm_spend_logs_have_the_prisma_columns(demo_raw):
    frame = pd.read_parquet(sorted((demo_raw / "litellm" / "spend_logs").rglob("*.parquet"))[0])
    for column in (
        "request_id",
        "api_key",
        "spend",
        "prompt_tokens",
        "completion_tokens",
        "startTime",
        "endTime",
        "model",
        "custom_llm_provider",
        "metadata",
        "cache_hit",
        "request_tags",
        "status",
    ):
        assert column in frame.columns
    assert set(frame["cache_hit"]) <= {"True", "False"}
    metadata = json.loads(frame["metadata"].iloc[0])
    assert "user_api_key_alias" in metadata
    assert all(len(key) == 64 for key in frame["api_key"])  # SHA-256 hex, as LiteLLM stores keys


def test_every_source_is_written(manifest):
    prefixes = {f.split("/")[0] for f in manifest["files"]}
    assert prefixes == {"openai", "anthropic", "aws_bedrock", "azure", "gcp", "otel", "litellm"}


@pytest.mark.parametrize("name", list(seed_tables()))
def test_committed_ownership_seeds_match_the_company(name):
    header, rows = seed_tables()[name]
    committed = (PROJECT / "seeds" / "ownership" / f"ai_finops__{name}.csv").read_text()
    assert committed == render(header, rows), f"seeds/ownership/ai_finops__{name}.csv drifted: run `ai-finops demo-seeds`"
