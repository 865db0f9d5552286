"""The cost-impact estimator, recomputed by hand from the price and contract seed rows."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from ai_finops.estimate import Candidate, EstimateRequest, estimate

from .conftest import PROJECT, run_cli


def seed_rate(provider: str, model_id: str, tier: str, token_type: str, day: date) -> float:
    """USD per million tokens straight from seeds/pricing/ai_finops__model_prices.csv (valid_from <= day < valid_to)."""
    with open(PROJECT / "seeds" / "pricing" / "ai_finops__model_prices.csv", newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if (r["provider"], r["model_id"], r["service_tier"], r["context_tier"], r["token_type"])
            == (provider, model_id, tier, "standard", token_type)
            and date.fromisoformat(r["valid_from"]) <= day
            and (not r["valid_to"] or day < date.fromisoformat(r["valid_to"]))
        ]
    assert len(rows) == 1, rows
    return float(rows[0]["usd_per_million_tokens"])


def test_estimate_recomputed_by_hand_from_price_seed():
    # October 2026, 1,000 requests a day, 1,000 input tokens (25% from cache) and 100 output tokens,
    # half of the requests through the batch tier, on claude-haiku-4-5.
    day = date(2026, 10, 1)
    assert seed_rate("anthropic", "claude-haiku-4-5", "standard", "input", day) == 1.0
    assert seed_rate("anthropic", "claude-haiku-4-5", "standard", "cache_read", day) == 0.1
    assert seed_rate("anthropic", "claude-haiku-4-5", "standard", "output", day) == 5.0
    assert seed_rate("anthropic", "claude-haiku-4-5", "batch", "input", day) == 0.5
    assert seed_rate("anthropic", "claude-haiku-4-5", "batch", "cache_read", day) == 0.05
    assert seed_rate("anthropic", "claude-haiku-4-5", "batch", "output", day) == 2.5
    # standard: 750 x 1 + 250 x 0.1 + 100 x 5 = 1,275 USD per million requests' tokens -> $0.001275 a request
    # batch:    750 x 0.5 + 250 x 0.05 + 100 x 2.5 = 637.5 -> $0.0006375 a request
    # 31 days x 1,000 requests x (0.5 x 0.001275 + 0.5 x 0.0006375) = $29.64375 list
    # contract anthropic-ea-2026: 10% off every Claude model from 2026-09-01 -> $26.679375 contracted
    result = estimate(
        EstimateRequest(
            candidates=[Candidate("anthropic", "claude-haiku-4-5")],
            requests_per_day_start=1000,
            requests_per_day_end=1000,
            input_tokens_per_request=1000,
            output_tokens_per_request=100,
            start_date=day,
            months=1,
            cache_hit_share=0.25,
            batch_share=0.5,
        ),
        PROJECT,
    )
    row = result["candidates"][0]
    assert row["is_priced"]
    assert row["monthly_list_cost"] == pytest.approx(29.64375)
    assert row["monthly_contracted_cost"] == pytest.approx(26.679375)
    assert row["monthly_effective_cost"] == pytest.approx(26.679375)
    assert row["monthly_effective_cost_low"] == pytest.approx(26.679375 * 0.7 * 0.8)
    assert row["monthly_effective_cost_high"] == pytest.approx(26.679375 * 1.3 * 1.2)
    assert row["months"][0]["requests"] == pytest.approx(31_000)


def test_ramp_and_mid_month_price_change():
    # gpt-4o-mini's standard price changes on 2026-09-15 (demo seed): input 0.15 -> 0.12, output 0.6 -> 0.48.
    # Ramp from 0 to 100 requests a day over 10 days: days 0..9 carry 0, 10, ..., 90 requests (450), then 100 a day.
    old_in = seed_rate("openai", "gpt-4o-mini", "standard", "input", date(2026, 9, 14))
    new_in = seed_rate("openai", "gpt-4o-mini", "standard", "input", date(2026, 9, 15))
    old_out = seed_rate("openai", "gpt-4o-mini", "standard", "output", date(2026, 9, 14))
    new_out = seed_rate("openai", "gpt-4o-mini", "standard", "output", date(2026, 9, 15))
    assert (old_in, new_in) == (0.15, 0.12)
    result = estimate(
        EstimateRequest(
            candidates=[Candidate("openai", "gpt-4o-mini")],
            requests_per_day_start=0,
            requests_per_day_end=100,
            ramp_days=10,
            input_tokens_per_request=1_000_000,
            output_tokens_per_request=1_000_000,
            start_date=date(2026, 9, 1),
            months=2,
        ),
        PROJECT,
    )
    september, october = result["candidates"][0]["months"]
    # Sept 1-14: 450 ramp requests + 4 days x 100 = 850 at the old price; Sept 15-30: 16 x 100 at the new price
    assert september["requests"] == pytest.approx(450 + 20 * 100)
    assert september["list_cost"] == pytest.approx(850 * (old_in + old_out) + 1600 * (new_in + new_out))
    # no OpenAI contract covers gpt-4o-mini: contracted = list
    assert september["contracted_cost"] == pytest.approx(september["list_cost"])
    assert october["list_cost"] == pytest.approx(31 * 100 * (new_in + new_out))


def test_cheapest_candidate_meeting_quality_tier():
    def run(output_tokens: float) -> dict:
        return estimate(
            EstimateRequest(
                candidates=[
                    Candidate("anthropic", "claude-opus-4-1"),
                    Candidate("anthropic", "claude-sonnet-4-5"),
                    Candidate("anthropic", "claude-haiku-4-5"),
                    Candidate("openai", "gpt-4o-mini"),
                ],
                requests_per_day_start=500,
                requests_per_day_end=500,
                input_tokens_per_request=1500,
                output_tokens_per_request=output_tokens,
                start_date=date(2026, 10, 1),
                quality_reference=Candidate("anthropic", "claude-opus-4-1"),
            ),
            PROJECT,
        )

    short = run(40)  # classification-like: haiku is a listed substitute up to 50 output tokens
    meets = {r["candidate"]: r["meets_quality_tier"] for r in short["candidates"]}
    assert meets == {
        "anthropic:claude-opus-4-1": True,
        "anthropic:claude-sonnet-4-5": True,
        "anthropic:claude-haiku-4-5": True,
        "openai:gpt-4o-mini": False,  # cheapest overall, but not a listed substitute for Opus
    }
    assert short["cheapest_meeting_quality_tier"] == "anthropic:claude-haiku-4-5"
    long = run(800)  # long-form output: only Sonnet (no output limit) substitutes for Opus
    assert long["cheapest_meeting_quality_tier"] == "anthropic:claude-sonnet-4-5"


def test_unpriced_candidate_is_reported_not_zero():
    result = estimate(
        EstimateRequest(
            candidates=[Candidate("anthropic", "claude-opus-4-1")],
            requests_per_day_start=10,
            requests_per_day_end=10,
            input_tokens_per_request=100,
            output_tokens_per_request=10,
            start_date=date(2026, 10, 1),
            service_tier="priority",
        ),
        PROJECT,
    )
    row = result["candidates"][0]
    assert not row["is_priced"] and "priority" in row["unpriced_reason"]
    assert result["cheapest_meeting_quality_tier"] is None


def test_estimate_cli_json_and_table():
    args = [
        "estimate",
        "--model",
        "anthropic:claude-haiku-4-5",
        "--requests-per-day",
        "1000",
        "--input-tokens",
        "1000",
        "--output-tokens",
        "100",
        "--cache-hit-share",
        "0.25",
        "--batch-share",
        "0.5",
        "--start-date",
        "2026-10-01",
        "--months",
        "1",
    ]
    result = json.loads(run_cli(*args, "--format", "json").stdout)
    assert result["candidates"][0]["monthly_contracted_cost"] == pytest.approx(26.679375)
    table = run_cli(*args).stdout
    assert "anthropic:claude-haiku-4-5" in table and "26.68" in table


def test_audio_tokens_priced_at_audio_rates():
    # gpt-4o-audio-preview on 2026-09-30 (a one-day month), 1,000 requests of 1,000 input tokens (400 of
    # them audio) and 500 output tokens (200 audio), 25% of the input from the cache (text and audio alike).
    day = date(2026, 9, 30)
    model = "gpt-4o-audio-preview-2024-12-17"
    assert seed_rate("openai", model, "standard", "input", day) == 2.5
    assert seed_rate("openai", model, "standard", "input_audio", day) == 40
    assert seed_rate("openai", model, "standard", "output", day) == 10
    assert seed_rate("openai", model, "standard", "output_audio", day) == 80
    # the model has no cache-read rates: cached text at the input rate; cached audio at the cached-audio
    # rate, else the cache-read rate, else the input rate (int_usage_priced's fallbacks): 2.5
    # text in 600 x 2.5 + audio in 300 x 40 (uncached) + 100 x 2.5 (cached) + text out 300 x 10
    # + audio out 200 x 80 = 1,500 + 12,000 + 250 + 3,000 + 16,000 = 32,750 per million requests
    # -> $0.03275 a request, $32.75 for the day; at text rates it would be 1,000 x 2.5 + 500 x 10 -> $7.50
    result = estimate(
        EstimateRequest(
            candidates=[Candidate("openai", model)],
            requests_per_day_start=1000,
            requests_per_day_end=1000,
            input_tokens_per_request=1000,
            output_tokens_per_request=500,
            input_audio_tokens_per_request=400,
            output_audio_tokens_per_request=200,
            start_date=day,
            months=1,
            cache_hit_share=0.25,
        ),
        PROJECT,
    )
    row = result["candidates"][0]
    assert row["is_priced"]
    assert row["monthly_list_cost"] == pytest.approx(32.75)
    assert row["monthly_contracted_cost"] == pytest.approx(32.75)  # no OpenAI contract covers the family
    with pytest.raises(ValueError, match="exceed"):
        estimate(
            EstimateRequest(
                candidates=[Candidate("openai", model)],
                requests_per_day_start=1,
                requests_per_day_end=1,
                input_tokens_per_request=100,
                output_tokens_per_request=10,
                input_audio_tokens_per_request=101,
                start_date=day,
            ),
            PROJECT,
        )
