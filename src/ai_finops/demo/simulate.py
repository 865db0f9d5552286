"""Request-level simulation of the demo company's AI traffic (vectorised with numpy).

One row per model call, provider-neutral token counts:
``input_tokens`` is the whole prompt (uncached + cache read + cache write), ``output_tokens``
includes reasoning. Writers turn this table into each provider's raw shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from ai_finops.demo.company import (
    DEMO_DAYS,
    DEMO_START,
    WORKFLOWS,
    Workflow,
    build_accounts,
    keys_for_workflow,
)
from ai_finops.pricing import TOKEN_TYPES, PriceBook

# Office-hours shape in UTC for interactive workloads (US-centric company).
_HOURLY = np.array([3, 2, 2, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 12, 11, 10, 8, 6, 5, 4], dtype=float)
_HOURLY /= _HOURLY.sum()

RUNAWAY = {
    "workflow_id": "deal-desk-agent",
    "start": datetime(2026, 10, 10, 1, 0, tzinfo=UTC),  # a Saturday
    "hours": 50,
    "calls_per_minute_at_scale_1": 300,
    "session_id": "sess_dealdesk_7f3a9c",
}
GATEWAY_LOG_GAP = (datetime(2026, 9, 3, 13, 0, tzinfo=UTC), datetime(2026, 9, 3, 15, 0, tzinfo=UTC))
GATEWAY_FAILURE_RATE = 0.01
STREAMED_ZERO_SPEND = {"workflow_id": "sql-assistant", "share": 0.3}  # LiteLLM #37923-style $0 spend rows

# Voice mode of the mobile assistant: a share of mobile-chat calls goes to OpenAI's audio model
# through the gateway, with spoken input and spoken replies (audio tokens inside input/output).
VOICE = {
    "workflow_id": "mobile-chat",
    "model": "gpt-4o-audio-preview-2024-12-17",
    "share": 0.05,
    "input_audio_share": (0.5, 0.9),  # of the uncached input
    "output_audio_share": (0.6, 0.9),  # of the output
}
# Recorded design reviews: a share of the pipeline documentation generator's Gemini calls (direct on
# Vertex) send the meeting audio with the diff; the audio tokens are inside the uncached input. Vertex
# bills them on `... Audio Input` SKUs and usageMetadata reports them as AUDIO in promptTokensDetails.
GEMINI_AUDIO = {
    "workflow_id": "pipeline-doc-gen",
    "share": 0.1,
    "input_audio_share": (0.3, 0.7),  # of the uncached input
}
# Bedrock regions: calls run in us-east-1, except a share of the Nova Lite summaries batch that runs in
# GovCloud (us-gov-west-1, a regulated corpus), where Bedrock charges a regional price (LiteLLM's
# `bedrock/us-gov-west-1/amazon.nova-lite-v1:0` key: 7.2e-08 per input token vs 6e-08 in us-east-1).
BEDROCK_DEFAULT_REGION = "us-east-1"
BEDROCK_REGIONAL = {"workflow_id": "embedding-refresh-summaries", "region": "us-gov-west-1", "share": 0.2}
# Azure resources live in eastus2. Legal's clause extraction runs half its calls on a Data Zone
# Standard deployment of the same resource (customer contracts stay in the US data zone): `DZone` / `Dz`
# meters, priced at LiteLLM's `azure/us/gpt-4o-2024-08-06` key (2.75e-06 per input token vs 2.5e-06 global).
AZURE_DEFAULT_REGION = "eastus2"
AZURE_DATA_ZONE = {"workflow_id": "clause-extraction", "share": 0.5}
MODALITY_COLUMNS = (
    "input_audio_tokens",
    "cache_read_audio_tokens",
    "output_audio_tokens",
    "input_image_tokens",
    "cache_read_image_tokens",
    "output_image_tokens",
)

# Provider's real price for the fine-tuned model (not in our price book -> unpriced by us, billed by them).
FINE_TUNE_PROVIDER_PRICES = {"input": 0.30, "cache_read": 0.15, "output": 1.20}


@dataclass
class Simulation:
    requests: pd.DataFrame
    accounts: list
    scale: float
    seed: int


def _lognormal(rng: np.random.Generator, mean: float, sigma: float, n: int) -> np.ndarray:
    mu = np.log(max(mean, 1.0)) - sigma**2 / 2
    return rng.lognormal(mu, sigma, n)


def _workflow_day(rng, w: Workflow, day_index: int, scale: float) -> int:
    day = DEMO_START + timedelta(days=day_index)
    weekend = day.weekday() >= 5
    factor = (0.3 if weekend else 1.0) if w.interactive else (0.9 if weekend else 1.0)
    growth = (1 + w.monthly_growth) ** (day_index / 30)
    return int(rng.poisson(w.requests_per_day * scale * factor * growth))


def _tokens(rng, w: Workflow, n: int) -> dict[str, np.ndarray]:
    sigma_in = 0.25 if w.input_tokens >= 20000 else 0.6
    prompt = np.maximum(_lognormal(rng, w.input_tokens, sigma_in, n), 20).round()
    if w.long_context_share:
        long_mask = rng.random(n) < w.long_context_share
        prompt[long_mask] = rng.integers(200_000, 420_000, long_mask.sum())
    cache_read = np.minimum((prompt * w.cache_read_share * rng.uniform(0.6, 1.4, n)).round(), prompt)
    cache_write = np.minimum((prompt * w.cache_write_share * rng.uniform(0.5, 1.5, n)).round(), prompt - cache_read)
    output = np.maximum(_lognormal(rng, w.output_tokens, 0.5, n), 1).round()
    reasoning = (output * w.reasoning_share * rng.uniform(0.7, 1.3, n)).round().clip(0, output)
    return {
        "input_tokens": prompt,
        "cache_read_tokens": cache_read,
        "cache_write_5m_tokens": cache_write,
        "cache_write_1h_tokens": np.zeros(n),
        "output_tokens": output,
        "reasoning_tokens": reasoning,
    }


def _timestamps(rng, w: Workflow, day_index: int, n: int) -> np.ndarray:
    base = datetime(DEMO_START.year, DEMO_START.month, DEMO_START.day, tzinfo=UTC).timestamp() + day_index * 86400
    hours = rng.choice(24, size=n, p=_HOURLY) if w.interactive else rng.integers(0, 24, n)
    return ((base + hours * 3600 + rng.uniform(0, 3600, n)) * 1000).astype(np.int64)


def simulate(scale: float = 0.4, seed: int = 42, days: int = DEMO_DAYS) -> Simulation:
    rng = np.random.default_rng(seed)
    accounts = build_accounts()
    chunks = []
    for wi, w in enumerate(WORKFLOWS):
        keys = keys_for_workflow(accounts, w.workflow_id)
        key_weights = np.array([0.8 if k.environment == "prod" else 0.2 for k in keys])
        key_weights = key_weights / key_weights.sum()
        for d in range(days):
            n = _workflow_day(rng, w, d, scale)
            if n == 0:
                continue
            chunk = _tokens(rng, w, n)
            if w.endpoint == "embeddings":  # embeddings bill input only
                chunk["output_tokens"] = np.zeros(n)
                chunk["reasoning_tokens"] = np.zeros(n)
            chunk["started_at_ms"] = _timestamps(rng, w, d, n)
            chunk["workflow_index"] = np.full(n, wi)
            chunk["key_index"] = rng.choice(len(keys), size=n, p=key_weights)
            tier = np.full(n, "standard", dtype=object)
            if w.batch_share:
                tier[rng.random(n) < w.batch_share] = "batch"
            if w.priority_share:
                tier[rng.random(n) < w.priority_share] = "priority"
            chunk["service_tier"] = tier
            chunk["is_runaway"] = np.zeros(n, dtype=bool)
            chunks.append(pd.DataFrame(chunk))
    chunks.append(_runaway(rng, scale, accounts))
    df = pd.concat(chunks, ignore_index=True)
    df = df.sort_values("started_at_ms", kind="stable").reset_index(drop=True)
    wf = pd.DataFrame([w.__dict__ for w in WORKFLOWS])
    for col in ("workflow_id", "team_id", "provider", "model", "route", "is_agent", "tag_share", "gateway_cache_hit_share", "endpoint"):
        df[col] = wf[col].to_numpy()[df["workflow_index"].to_numpy()]
    key_ids = {w.workflow_id: [k.account_id for k in keys_for_workflow(accounts, w.workflow_id)] for w in WORKFLOWS}
    df["key_id"] = [key_ids[wid][ki] for wid, ki in zip(df["workflow_id"], df["key_index"], strict=True)]
    n = len(df)
    gateway = (df["route"] == "gateway").to_numpy()
    df["is_failure"] = gateway & (rng.random(n) < GATEWAY_FAILURE_RATE)
    df["is_gateway_cache_hit"] = gateway & ~df["is_failure"].to_numpy() & (rng.random(n) < df["gateway_cache_hit_share"].to_numpy())
    df["has_tags"] = gateway & (rng.random(n) < df["tag_share"].to_numpy())
    ts = pd.to_datetime(df["started_at_ms"], unit="ms", utc=True)
    gap = (ts >= GATEWAY_LOG_GAP[0]) & (ts < GATEWAY_LOG_GAP[1])
    df["is_logged_by_gateway"] = gateway & ~gap.to_numpy()
    df["is_streamed_zero_spend"] = (df["workflow_id"] == STREAMED_ZERO_SPEND["workflow_id"]).to_numpy() & (
        rng.random(n) < STREAMED_ZERO_SPEND["share"]
    )
    _voice(df, seed)
    _gemini_audio(df, seed)
    _bedrock_regions(df, seed)
    _azure_deployments(df, seed)
    df["request_seq"] = np.arange(n)
    df["usage_date"] = ts.dt.date
    # A failed call bills nothing; a gateway cache hit never reaches the provider.
    df["is_billable"] = ~df["is_failure"] & ~df["is_gateway_cache_hit"]
    return Simulation(df, accounts, scale, seed)


def _voice(df: pd.DataFrame, seed: int) -> None:
    """Turns a share of VOICE's workflow calls into audio calls, with their own RNG stream so that
    every other request is exactly what it was without them."""
    for column in MODALITY_COLUMNS:
        df[column] = 0.0
    rng = np.random.default_rng([seed, 31])
    is_workflow = (df["workflow_id"] == VOICE["workflow_id"]).to_numpy()
    voice = is_workflow & (rng.random(len(df)) < VOICE["share"])
    n = int(voice.sum())
    uncached = (df["input_tokens"] - df["cache_read_tokens"] - df["cache_write_5m_tokens"] - df["cache_write_1h_tokens"]).to_numpy()[voice]
    df.loc[voice, "model"] = VOICE["model"]
    df.loc[voice, "service_tier"] = "standard"
    df.loc[voice, "reasoning_tokens"] = 0.0
    df.loc[voice, "input_audio_tokens"] = (uncached * rng.uniform(*VOICE["input_audio_share"], n)).round()
    df.loc[voice, "output_audio_tokens"] = (
        df.loc[voice, "output_tokens"].to_numpy() * rng.uniform(*VOICE["output_audio_share"], n)
    ).round()


def _gemini_audio(df: pd.DataFrame, seed: int) -> None:
    """Gives a share of GEMINI_AUDIO's workflow calls audio input, on their own RNG stream (every other
    request, and every token total, is unchanged: audio is a part of the uncached input)."""
    rng = np.random.default_rng([seed, 37])
    is_workflow = (df["workflow_id"] == GEMINI_AUDIO["workflow_id"]).to_numpy()
    audio = is_workflow & (rng.random(len(df)) < GEMINI_AUDIO["share"])
    uncached = (df["input_tokens"] - df["cache_read_tokens"] - df["cache_write_5m_tokens"] - df["cache_write_1h_tokens"]).to_numpy()[audio]
    df.loc[audio, "input_audio_tokens"] = (uncached * rng.uniform(*GEMINI_AUDIO["input_audio_share"], int(audio.sum()))).round()


def _bedrock_regions(df: pd.DataFrame, seed: int) -> None:
    """The AWS region of each Bedrock call (empty for other providers), on its own RNG stream."""
    rng = np.random.default_rng([seed, 41])
    df["region"] = np.where(df["provider"] == "aws_bedrock", BEDROCK_DEFAULT_REGION, "")
    moved = (df["workflow_id"] == BEDROCK_REGIONAL["workflow_id"]).to_numpy() & (rng.random(len(df)) < BEDROCK_REGIONAL["share"])
    df.loc[moved, "region"] = BEDROCK_REGIONAL["region"]


def _runaway(rng, scale: float, accounts) -> pd.DataFrame:
    w = next(x for x in WORKFLOWS if x.workflow_id == RUNAWAY["workflow_id"])
    minutes = RUNAWAY["hours"] * 60
    n = int(RUNAWAY["calls_per_minute_at_scale_1"] * scale * minutes)
    start_ms = int(RUNAWAY["start"].timestamp() * 1000)
    ts = np.sort(start_ms + rng.uniform(0, minutes * 60_000, n)).astype(np.int64)
    # Each recursive call re-sends a growing transcript (20k -> ~60k tokens).
    progress = (ts - start_ms) / (minutes * 60_000)
    prompt = (20_000 + 40_000 * progress * rng.uniform(0.8, 1.2, n)).round()
    cache_read = (prompt * 0.5).round()
    keys = keys_for_workflow(accounts, w.workflow_id)
    prod = next(i for i, k in enumerate(keys) if k.environment == "prod")
    return pd.DataFrame(
        {
            "input_tokens": prompt,
            "cache_read_tokens": cache_read,
            "cache_write_5m_tokens": np.zeros(n),
            "cache_write_1h_tokens": np.zeros(n),
            "output_tokens": _lognormal(rng, 800, 0.3, n).round(),
            "reasoning_tokens": np.zeros(n),
            "started_at_ms": ts,
            "workflow_index": np.full(n, WORKFLOWS.index(w)),
            "key_index": np.full(n, prod),
            "service_tier": np.full(n, "standard", dtype=object),
            "is_runaway": np.ones(n, dtype=bool),
        }
    )


def _azure_deployments(df: pd.DataFrame, seed: int) -> None:
    """The Azure region and deployment type of each Azure call (empty for other providers), on its own
    RNG stream: every other request is unchanged."""
    rng = np.random.default_rng([seed, 43])
    azure = (df["provider"] == "azure_openai").to_numpy()
    df.loc[azure, "region"] = AZURE_DEFAULT_REGION
    df["deployment_type"] = np.where(azure, "global", "")
    zoned = (df["workflow_id"] == AZURE_DATA_ZONE["workflow_id"]).to_numpy() & (rng.random(len(df)) < AZURE_DATA_ZONE["share"])
    df.loc[zoned, "deployment_type"] = "data_zone"


def price_requests(df: pd.DataFrame, book: PriceBook) -> pd.DataFrame:
    """Adds model_id, context_tier, list cost per token type (our price book) and provider cost.

    ``list_cost`` is NaN for usage our price book cannot price; ``provider_cost`` is what the
    provider actually bills (it knows its fine-tune prices).
    """
    df = df.copy()
    combos = df[["provider", "model", "service_tier"]].drop_duplicates()
    combos["model_id"] = [book.model_id(p, m) for p, m in zip(combos["provider"], combos["model"], strict=True)]
    df = df.merge(combos, on=["provider", "model", "service_tier"], how="left")
    thresholds = np.array([book.thresholds.get((p, m), np.inf) for p, m in zip(df["provider"], df["model_id"], strict=True)])
    df["context_tier"] = np.where(df["input_tokens"].to_numpy() >= thresholds, "long", "standard")
    df["uncached_input_tokens"] = df["input_tokens"] - df["cache_read_tokens"] - df["cache_write_5m_tokens"] - df["cache_write_1h_tokens"]
    # a Bedrock call's region, an Azure Data Zone deployment's zone (`us`): where a regional price applies
    locations = df[["provider", "region", "deployment_type"]].drop_duplicates()
    locations["price_location"] = [
        book.price_location(p, r, t) or ""
        for p, r, t in zip(locations["provider"], locations["region"], locations["deployment_type"], strict=True)
    ]
    df = df.merge(locations, on=["provider", "region", "deployment_type"], how="left")
    point_keys = ["provider", "model_id", "service_tier", "context_tier", "usage_date", "price_location"]
    keys = df[point_keys].drop_duplicates()
    rate_rows = []
    for p, m, t, c, d, r in keys.itertuples(index=False):
        point = book.lookup(p, m, t, c, d, region=r or None)
        rate_rows.append([p, m, t, c, d, r] + [point.rate(tt) if point else np.nan for tt in TOKEN_TYPES])
    rates = pd.DataFrame(rate_rows, columns=point_keys + [f"rate_{t}" for t in TOKEN_TYPES])
    df = df.merge(rates, on=point_keys, how="left")
    token_col = {
        "input": "uncached_input_tokens",
        "cache_read": "cache_read_tokens",
        "cache_write_5m": "cache_write_5m_tokens",
        "cache_write_1h": "cache_write_1h_tokens",
        "output": "output_tokens",
    }
    # audio/image tokens are subsets of their parent column: the parent's text part at its rate
    parts = {
        "input": ("uncached_input_tokens", ("input_audio", "input_image")),
        "cache_read": ("cache_read_tokens", ("cache_read_audio", "cache_read_image")),
        "output": ("output_tokens", ("output_audio", "output_image")),
    }
    for parent, (column, subsets) in parts.items():
        df[f"text_{column}"] = df[column] - sum(df[f"{t}_tokens"] for t in subsets)
        token_col[parent] = f"text_{column}"
        for t in subsets:
            token_col[t] = f"{t}_tokens"
    df["list_cost"] = sum(df[token_col[t]] * df[f"rate_{t}"] for t in TOKEN_TYPES)
    factors = df[["provider", "model_id", "usage_date"]].drop_duplicates()
    factors["discount_factor"] = [
        book.discount_factor(p, m, d) for p, m, d in zip(factors["provider"], factors["model_id"], factors["usage_date"], strict=True)
    ]
    df = df.merge(factors, on=["provider", "model_id", "usage_date"], how="left")
    # providers invoice at the negotiated (contracted) rate
    df["contracted_cost"] = df["list_cost"] * df["discount_factor"]
    ft = df["list_cost"].isna()
    df["provider_cost"] = df["contracted_cost"]
    df.loc[ft, "provider_cost"] = (
        (
            df.loc[ft, "uncached_input_tokens"] * FINE_TUNE_PROVIDER_PRICES["input"]
            + df.loc[ft, "cache_read_tokens"] * FINE_TUNE_PROVIDER_PRICES["cache_read"]
            + df.loc[ft, "output_tokens"] * FINE_TUNE_PROVIDER_PRICES["output"]
        )
        / 1_000_000
        * df.loc[ft, "discount_factor"]
    )
    return df.sort_values("request_seq").reset_index(drop=True)
