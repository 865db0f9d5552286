"""Generate the demo dataset: raw files in every source's real shape plus a manifest of truth."""

from __future__ import annotations

import csv
import json
import shutil
import time
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd

from ai_finops.demo import openai_other, writers
from ai_finops.demo import outcomes as business_outcomes
from ai_finops.demo.company import DEMO_DAYS, DEMO_START, KEY_TRANSFER_DATE, TEAM_REORG_DATE, WORKFLOW_BY_ID
from ai_finops.demo.simulate import (
    AZURE_DATA_ZONE,
    BEDROCK_REGIONAL,
    GATEWAY_LOG_GAP,
    GEMINI_AUDIO,
    MODALITY_COLUMNS,
    RUNAWAY,
    STREAMED_ZERO_SPEND,
    VOICE,
    price_requests,
    simulate,
)
from ai_finops.pricing import PriceBook

TOKEN_COLUMNS = [
    "input_tokens",
    "uncached_input_tokens",
    "cache_read_tokens",
    "cache_write_5m_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
    *MODALITY_COLUMNS,
]


def _openai_aliases(project_dir: Path) -> dict[str, str]:
    """OpenAI reported model -> canonical model id (seeds/pricing/ai_finops__model_aliases.csv)."""
    with open(project_dir / "seeds" / "pricing" / "ai_finops__model_aliases.csv", newline="") as f:
        return {r["reported_model"]: r["model_id"] for r in csv.DictReader(f) if r["provider"] == "openai"}


def _log(msg: str) -> None:
    print(f"[generate] {msg}", flush=True)


def _totals(df: pd.DataFrame) -> dict:
    out = {c: int(df[c].sum()) for c in TOKEN_COLUMNS}
    out["requests"] = int(len(df))
    out["list_cost"] = float(df["list_cost"].sum())  # NaN (unpriced) rows are skipped
    out["contracted_cost"] = float(df["contracted_cost"].sum())
    out["provider_cost"] = float(df["provider_cost"].sum())
    unpriced = df[df["list_cost"].isna()]
    out["unpriced_requests"] = int(len(unpriced))
    out["unpriced_tokens"] = int(unpriced["input_tokens"].sum() + unpriced["output_tokens"].sum())
    return out


def _manifest(df: pd.DataFrame, files: list[Path], out: Path, scale: float, seed: int, days: int) -> dict:
    billable = df[df["is_billable"]]
    gateway = df[df["route"] == "gateway"]
    by_provider_route = {f"{p}|{r}": _totals(part) for (p, r), part in billable.groupby(["provider", "route"])}
    by_month_provider = {
        f"{m}|{p}": round(float(part["provider_cost"].sum()), 6)
        for (m, p), part in billable.groupby([billable["usage_date"].map(lambda d: d.strftime("%Y-%m")), "provider"])
    }
    runaway = billable[billable["is_runaway"]]
    rag = billable[billable["workflow_id"] == "kb-answer-rag"]
    classifier = billable[billable["workflow_id"] == "ticket-classifier"]
    unknown = billable[billable["list_cost"].isna()]
    gap = billable[(billable["route"] == "gateway") & ~billable["is_logged_by_gateway"]]
    voice = billable[billable["model"] == VOICE["model"]]
    regional = billable[(billable["provider"] == "aws_bedrock") & (billable["region"] == BEDROCK_REGIONAL["region"])]
    data_zone = billable[(billable["provider"] == "azure_openai") & (billable["deployment_type"] == "data_zone")]
    gemini_audio = billable[(billable["workflow_id"] == GEMINI_AUDIO["workflow_id"]) & (billable["input_audio_tokens"] > 0)]
    unowned = billable[billable["workflow_id"].isin(["shared-pool-misc", "sandbox-experiments"])]
    logged = gateway[gateway["is_logged_by_gateway"]]
    return {
        "generator": {"scale": scale, "seed": seed, "start_date": DEMO_START.isoformat(), "days": days, "generated_files": len(files)},
        "files": sorted(str(f.relative_to(out)) for f in files),
        "totals": {
            "billable_all_sources": _totals(billable),
            "by_provider_route": by_provider_route,
            "provider_cost_by_month_provider": by_month_provider,
            "gateway_logged_billable_by_provider": {
                p: _totals(part)
                for p, part in billable[(billable["route"] == "gateway") & billable["is_logged_by_gateway"]].groupby("provider")
            },
            "gateway": {
                "logged_requests": int(len(logged)),
                "logged_failures": int(logged["is_failure"].sum()),
                "logged_gateway_cache_hits": int(logged["is_gateway_cache_hit"].sum()),
                "logged_billable_requests": int((logged["is_billable"]).sum()),
                "streamed_zero_spend_requests": int((logged["is_streamed_zero_spend"] & logged["is_billable"]).sum()),
            },
        },
        "planted_events": [
            {
                "id": "runaway_agent_loop",
                "description": "deal-desk-agent recursing over a weekend through the gateway, one session",
                "workflow_id": RUNAWAY["workflow_id"],
                "session_id": RUNAWAY["session_id"],
                "start_at": RUNAWAY["start"].isoformat(),
                "end_at": (RUNAWAY["start"] + timedelta(hours=RUNAWAY["hours"])).isoformat(),
                "requests": int(len(runaway)),
                "list_cost": round(float(runaway["list_cost"].sum()), 6),
                "peak_calls_per_minute": int(runaway.groupby(runaway["started_at_ms"] // 60000).size().max()) if len(runaway) else 0,
            },
            {
                "id": "rag_oversized_context",
                "description": "kb-answer-rag sends ~40k input tokens per query",
                "workflow_id": "kb-answer-rag",
                "mean_input_tokens": round(float(rag["input_tokens"].mean()), 1),
                "list_cost": round(float(rag["list_cost"].sum()), 6),
            },
            {
                "id": "premium_model_classification",
                "description": "ticket-classifier uses claude-opus-4-1 for single-label outputs",
                "workflow_id": "ticket-classifier",
                "model": WORKFLOW_BY_ID["ticket-classifier"].model,
                "mean_output_tokens": round(float(classifier["output_tokens"].mean()), 2),
                "list_cost": round(float(classifier["list_cost"].sum()), 6),
            },
            {
                "id": "pooled_keys_no_owner",
                "description": "OpenAI proj_sharedsandbox keys and the untagged sandbox-experiments gateway keys have no owner",
                "workflow_ids": ["shared-pool-misc", "sandbox-experiments"],
                "list_cost": round(float(unowned["list_cost"].sum()), 6),
                # what reaches the unallocated line: gateway calls lost in the log gap are reconciled to the gateway's owner
                "list_cost_visible_to_attribution": round(
                    float(unowned[(unowned["route"] == "direct") | unowned["is_logged_by_gateway"]]["list_cost"].sum()), 6
                ),
            },
            {
                "id": "team_reorg",
                "description": "recommendations moves from cc-1001 to cc-1002; sales-call-notes prod key moves to growth",
                "team_reorg_date": TEAM_REORG_DATE,
                "key_transfer_date": KEY_TRANSFER_DATE,
            },
            {
                "id": "price_change",
                "description": "gpt-4o-mini list price cut (seeds/pricing/ai_finops__model_prices.csv)",
                "provider": "openai",
                "model_id": "gpt-4o-mini",
                "effective_date": "2026-09-15",
            },
            {
                "id": "unknown_model",
                "description": "fine-tuned model absent from the price book: unpriced (null cost), billed by the provider",
                "model": WORKFLOW_BY_ID["intent-router"].model,
                "requests": int(len(unknown)),
                "tokens": int(unknown["input_tokens"].sum() + unknown["output_tokens"].sum()),
                "provider_cost": round(float(unknown["provider_cost"].sum()), 6),
            },
            {
                "id": "duplicate_export",
                "description": "the 2026-09-20 spend-log export and one OpenAI usage page are delivered twice",
                "spend_log_rows_duplicated": int((logged["usage_date"] == writers.REDELIVERED_DAY).sum()),
                "openai_page": "openai/usage_completions/*_redelivered.json",
            },
            {
                "id": "late_arriving_data",
                "description": "30% of 2026-10-27 gateway rows arrive in the 2026-10-29 late delivery",
                "usage_date": writers.LATE_DAY.isoformat(),
                "delivery": "delivery=2026-10-29-late",
            },
            {
                "id": "gateway_log_gap",
                "description": "the gateway failed to write spend logs for two hours; providers still billed the calls",
                "start_at": GATEWAY_LOG_GAP[0].isoformat(),
                "end_at": GATEWAY_LOG_GAP[1].isoformat(),
                "requests": int(len(gap)),
                "list_cost": round(float(gap["list_cost"].sum()), 6),
                "by_provider_list_cost": {p: round(float(x["list_cost"].sum()), 6) for p, x in gap.groupby("provider")},
            },
            {
                "id": "voice_audio_tokens",
                "description": "mobile-chat voice mode: OpenAI audio model calls through the gateway, audio tokens at the audio rates",
                "workflow_id": VOICE["workflow_id"],
                "model": VOICE["model"],
                "requests": int(len(voice)),
                "input_audio_tokens": int(voice["input_audio_tokens"].sum()),
                "output_audio_tokens": int(voice["output_audio_tokens"].sum()),
                "list_cost": round(float(voice["list_cost"].sum()), 6),
            },
            {
                "id": "gemini_audio_tokens",
                "description": "pipeline-doc-gen sends recorded design reviews to Gemini on Vertex: Audio Input SKUs and AUDIO usageMetadata",
                "workflow_id": GEMINI_AUDIO["workflow_id"],
                "provider": "google_vertex",
                "model": str(gemini_audio["model"].iloc[0]) if len(gemini_audio) else None,
                "requests": int(len(gemini_audio)),
                "input_audio_tokens": int(gemini_audio["input_audio_tokens"].sum()),
                "uncached_input_tokens": int(gemini_audio["uncached_input_tokens"].sum()),
                "list_cost": round(float(gemini_audio["list_cost"].sum()), 6),
            },
            {
                "id": "bedrock_regional_price",
                "description": "part of the Nova Lite summaries batch runs in us-gov-west-1, at Bedrock's regional price (CUR product_region_code)",
                "workflow_id": BEDROCK_REGIONAL["workflow_id"],
                "region": BEDROCK_REGIONAL["region"],
                "model_id": str(regional["model_id"].iloc[0]) if len(regional) else None,
                "requests": int(len(regional)),
                "uncached_input_tokens": int(regional["uncached_input_tokens"].sum()),
                "cache_read_tokens": int(regional["cache_read_tokens"].sum()),
                "output_tokens": int(regional["output_tokens"].sum()),
                "list_cost": round(float(regional["list_cost"].sum()), 9),
            },
            {
                "id": "azure_data_zone_price",
                "description": "half of legal's clause extraction runs on a Data Zone deployment of its eastus2 resource (DZone meters), at the US data-zone price",
                "workflow_id": AZURE_DATA_ZONE["workflow_id"],
                "region": str(data_zone["region"].iloc[0]) if len(data_zone) else None,
                "data_zone": str(data_zone["price_location"].iloc[0]) if len(data_zone) else None,
                "model_id": str(data_zone["model_id"].iloc[0]) if len(data_zone) else None,
                "requests": int(len(data_zone)),
                "uncached_input_tokens": int(data_zone["uncached_input_tokens"].sum()),
                "cache_read_tokens": int(data_zone["cache_read_tokens"].sum()),
                "output_tokens": int(data_zone["output_tokens"].sum()),
                "list_cost": round(float(data_zone["list_cost"].sum()), 9),
            },
            {
                "id": "streamed_zero_spend",
                "description": "LiteLLM logged streamed sql-assistant calls at $0 spend (re-pricing recovers them)",
                "workflow_id": STREAMED_ZERO_SPEND["workflow_id"],
            },
        ],
    }


def generate(out: Path, project_dir: Path, scale: float = 0.4, seed: int = 42, days: int = DEMO_DAYS) -> dict:
    t0 = time.time()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _log(f"simulating {days} days of traffic (scale={scale}, seed={seed})")
    sim = simulate(scale=scale, seed=seed, days=days)
    _log(f"{len(sim.requests):,} model calls simulated in {time.time() - t0:.1f}s; pricing")
    df = price_requests(sim.requests, PriceBook.from_project(project_dir))
    parents = writers.account_parents(sim.accounts)
    calendar = [DEMO_START + timedelta(days=i) for i in range(days)]
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    files: list[Path] = []
    # OpenAI's non-token usage (own RNG stream): simulated first, its Costs API lines join the token lines' buckets
    other_usage = openai_other.simulate_other_usage(sim.accounts, calendar, seed, scale)
    unit_lines, unit_truth = openai_other.unit_cost_lines(other_usage, project_dir, _openai_aliases(project_dir))
    steps = [
        ("openai usage + costs", lambda: writers.write_openai(df, calendar, parents, out, unit_lines)),
        ("anthropic usage + cost report", lambda: writers.write_anthropic(df, calendar, parents, out)),
        ("aws bedrock CUR + invocation logs", lambda: writers.write_bedrock(df, parents, out, con)),
        ("azure cost details", lambda: writers.write_azure(df, parents, out)),
        ("gcp billing export", lambda: writers.write_gcp(df, parents, out)),
        ("gemini usageMetadata records", lambda: writers.write_gemini_usage_metadata(df, out, con)),
        ("otel genai spans", lambda: writers.write_otel(df, out, con)),
        ("litellm spend logs", lambda: writers.write_litellm(df, sim.accounts, out, con, seed)),
    ]
    for i, (name, step) in enumerate(steps, 1):
        t = time.time()
        written = step()
        files += written
        _log(f"[{i}/{len(steps)}] {name}: {len(written)} files ({time.time() - t:.1f}s)")
    manifest = _manifest(df, files, out, scale, seed, days)
    # business outcomes: their own RNG stream and their own manifest section, so the usage files
    # and the usage truth above are identical with or without them
    outcomes = business_outcomes.simulate_outcomes(df, seed)
    outcome_files = business_outcomes.write_outcomes(outcomes, out)
    manifest["outcomes"] = business_outcomes.outcomes_manifest(outcomes, outcome_files, out)
    _log(f"business outcomes: {len(outcome_files)} files, {len(outcomes):,} workflow-days")
    # OpenAI's non-token usage endpoints: their own RNG stream and manifest section, like outcomes
    other_files = openai_other.write_other_usage(other_usage, calendar, out)
    manifest["openai_other_usage"] = openai_other.other_usage_manifest(other_usage, other_files, out)
    manifest["openai_other_usage"]["costs_api_unit_lines_by_month"] = openai_other.unit_costs_manifest(unit_truth)
    _log(f"openai non-token usage: {len(other_files)} files")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    _log(f"done in {time.time() - t0:.1f}s -> {out}")
    return manifest
