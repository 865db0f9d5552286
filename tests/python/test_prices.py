"""The LiteLLM price-map refresh: parsing, effective dating, idempotence, manual rows kept."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from ai_finops.prices import parse_field, parse_price_map, refresh
from ai_finops.pricing import PriceBook

FIXTURE = Path(__file__).parent / "fixtures" / "litellm_price_map.json"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("input_cost_per_token", ("input", "standard", "standard", None)),
        ("cache_creation_input_token_cost_above_1hr", ("cache_write_1h", "standard", "standard", None)),
        ("output_cost_per_token_above_200k_tokens_batches", ("output", "batch", "long", 200000)),
        ("cache_read_input_token_cost_priority", ("cache_read", "priority", "standard", None)),
        ("input_cost_per_token_cache_hit", None),
        ("output_cost_per_image", None),
        ("input_cost_per_audio_token", ("input_audio", "standard", "standard", None)),
        ("input_cost_per_audio_token_batches", ("input_audio", "batch", "standard", None)),
        ("cache_read_input_audio_token_cost", ("cache_read_audio", "standard", "standard", None)),
        ("output_cost_per_audio_token", ("output_audio", "standard", "standard", None)),
        ("input_cost_per_image_token", ("input_image", "standard", "standard", None)),
        ("cache_read_input_image_token_cost", ("cache_read_image", "standard", "standard", None)),
        ("output_cost_per_image_token", ("output_image", "standard", "standard", None)),
        ("input_cost_per_audio_per_second", None),
        ("cache_creation_input_audio_token_cost", None),
        # pitfall 3 (litellm #30344): any `_above_<N>k_tokens` threshold is read, not only 128k/200k/272k
        ("input_cost_per_token_above_128k_tokens", ("input", "standard", "long", 128000)),
        ("input_cost_per_token_above_272k_tokens_priority", ("input", "priority", "long", 272000)),
        ("cache_read_input_token_cost_above_100k_tokens", ("cache_read", "standard", "long", 100000)),
        ("output_cost_per_token_above_512k_tokens", ("output", "standard", "long", 512000)),
    ],
)
def test_parse_field(field, expected):
    assert parse_field(field) == expected


def test_parse_price_map_keeps_the_providers_and_modes_we_price():
    prices, thresholds = parse_price_map(json.loads(FIXTURE.read_text()))
    keys = {(p.provider, p.model_id) for p in prices}
    assert keys == {
        ("openai", "gpt-4o"),
        ("anthropic", "claude-sonnet-4-5"),
        ("google_vertex", "gemini-2.5-pro"),
        ("aws_bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        ("azure_openai", "gpt-4o"),
        ("aws_bedrock", "us-west-2/mistral.mistral-large"),  # a regional price point (bedrock/<region>/<model>)
    }
    assert ("aws_bedrock", "us-west-2/mistral.mistral-large") not in thresholds
    assert thresholds[("google_vertex", "gemini-2.5-pro")] == 200000
    sonnet = {(p.service_tier, p.token_type): p.usd_per_million for p in prices if p.model_id == "claude-sonnet-4-5"}
    assert sonnet[("standard", "cache_write_1h")] == 6.0 and sonnet[("batch", "output")] == 7.5


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "seeds" / "pricing").mkdir(parents=True)
    (tmp_path / "seeds" / "pricing" / "ai_finops__model_prices.csv").write_text(
        "provider,model_id,service_tier,context_tier,token_type,usd_per_million_tokens,valid_from,valid_to,price_source\n"
        "openai,gpt-4o,standard,standard,input,2.5,2024-01-01,,litellm 1.75.0 snapshot 2024-01-01\n"
        "openai,gpt-4o,standard,standard,output,10,2024-01-01,,litellm 1.75.0 snapshot 2024-01-01\n"
        "openai,gpt-4o,standard,standard,cache_read,1.25,2024-01-01,,litellm 1.75.0 snapshot 2024-01-01\n"
        "azure_openai,gpt-4o,standard,standard,input,2.0,2024-01-01,,negotiated override\n"
    )
    (tmp_path / "seeds" / "pricing" / "ai_finops__model_catalog.csv").write_text(
        "provider,model_id,model_family,long_context_threshold_tokens\nopenai,gpt-4o,gpt-4o,\n"
    )
    shutil.copyfile(
        FIXTURE.parent.parent.parent.parent / "seeds" / "pricing" / "ai_finops__model_aliases.csv",
        tmp_path / "seeds" / "pricing" / "ai_finops__model_aliases.csv",
    )
    return tmp_path


def test_refresh_is_idempotent_and_never_reprices_history(project, tmp_path):
    first = refresh(project, snapshot=date(2026, 11, 1), json_path=FIXTURE, backfill_from=date(2024, 1, 1))
    assert first["changed"] == 0 and first["added"] > 0 and first["manual_kept"] == 1
    prices_csv = project / "seeds" / "pricing" / "ai_finops__model_prices.csv"
    after_first = prices_csv.read_text()
    assert refresh(project, snapshot=date(2026, 11, 1), json_path=FIXTURE)["added"] == 0
    assert prices_csv.read_text() == after_first  # the same snapshot twice changes nothing

    newer = json.loads(FIXTURE.read_text())
    newer["gpt-4o"]["input_cost_per_token"] = 2.0e-06
    newer["azure/gpt-4o"]["input_cost_per_token"] = 3.0e-06
    del newer["gpt-4o"]["cache_read_input_token_cost"]  # omitted from the map: keeps its last price
    newer_path = tmp_path / "newer.json"
    newer_path.write_text(json.dumps(newer))
    second = refresh(project, snapshot=date(2026, 12, 1), json_path=newer_path)
    assert second["changed"] == 1 and second["added"] == 0

    book = PriceBook.from_project(project)
    before = book.lookup("openai", "gpt-4o", "standard", "standard", date(2026, 11, 30))
    after = book.lookup("openai", "gpt-4o", "standard", "standard", date(2026, 12, 1))
    assert before.usd_per_million["input"] == 2.5 and after.usd_per_million["input"] == 2.0
    assert after.usd_per_million["output"] == 10  # unchanged token types carry over into the new window
    assert after.usd_per_million["cache_read"] == 1.25  # an omitted rate is not dropped (no silent fallback to input)
    azure = book.lookup("azure_openai", "gpt-4o", "standard", "standard", date(2026, 12, 1))
    assert azure.usd_per_million["input"] == 2.0  # the manual (negotiated) row wins over the snapshot
    first_seen = book.lookup("anthropic", "claude-sonnet-4-5", "standard", "standard", date(2025, 6, 1))
    assert first_seen.usd_per_million["cache_write_1h"] == 6.0  # first import backfilled from --backfill-from
    assert book.thresholds[("google_vertex", "gemini-2.5-pro")] == 200000


def _seed_rows(project) -> set[tuple[str, ...]]:
    with (project / "seeds" / "pricing" / "ai_finops__model_prices.csv").open(newline="") as handle:
        return {tuple(row.values()) for row in csv.DictReader(handle)}


def test_a_newer_snapshot_adds_dated_rows_and_leaves_history_alone(project, tmp_path):
    """Issue #4: a newer snapshot closes the changed window at its date and adds rows from that date;
    every other row is kept as it was (history is never re-priced); the same snapshot again changes nothing."""
    refresh(project, snapshot=date(2026, 11, 1), json_path=FIXTURE, backfill_from=date(2024, 1, 1))
    before = _seed_rows(project)
    newer = json.loads(FIXTURE.read_text())
    newer["gpt-4o"]["output_cost_per_token"] = 8e-06  # $10 -> $8 per million from 2026-12-01
    newer_path = tmp_path / "newer.json"
    newer_path.write_text(json.dumps(newer))
    refresh(project, snapshot=date(2026, 12, 1), json_path=newer_path)
    after = _seed_rows(project)
    # columns: provider, model_id, service_tier, context_tier, token_type, usd_per_million_tokens, valid_from, valid_to, price_source
    removed, added = before - after, after - before
    point = ("openai", "gpt-4o", "standard", "standard")
    old_rates = {"cache_read": "1.25", "input": "2.5", "output": "10"}
    new_rates = {**old_rates, "output": "8"}
    # the price point's open window (all its token types: one window per point) closes on D ...
    assert sorted(r[:8] for r in removed) == sorted((*point, t, v, "2024-01-01", "") for t, v in old_rates.items())
    assert sorted(r[:8] for r in added) == sorted(
        [(*point, t, v, "2024-01-01", "2026-12-01") for t, v in old_rates.items()]  # ... keeping its prices
        + [(*point, t, v, "2026-12-01", "") for t, v in new_rates.items()]  # and the new window opens on D
    )
    refresh(project, snapshot=date(2026, 12, 1), json_path=newer_path)
    assert _seed_rows(project) == after  # the newer snapshot run twice changes nothing either
    book = PriceBook.from_project(project)
    assert book.lookup("openai", "gpt-4o", "standard", "standard", date(2026, 11, 30)).usd_per_million["output"] == 10
    assert book.lookup("openai", "gpt-4o", "standard", "standard", date(2026, 12, 1)).usd_per_million["output"] == 8


def test_an_older_snapshot_never_rewrites_a_newer_price(project, tmp_path):
    refresh(project, snapshot=date(2026, 11, 1), json_path=FIXTURE, backfill_from=date(2024, 1, 1))
    cheaper = json.loads(FIXTURE.read_text())
    cheaper["gpt-4o"]["output_cost_per_token"] = 9e-06
    path = tmp_path / "cheaper.json"
    path.write_text(json.dumps(cheaper))
    refresh(project, snapshot=date(2026, 12, 1), json_path=path)
    stale = refresh(project, snapshot=date(2026, 11, 15), json_path=FIXTURE)
    assert stale["changed"] == 0
    book = PriceBook.from_project(project)
    assert book.lookup("openai", "gpt-4o", "standard", "standard", date(2026, 12, 2)).usd_per_million["output"] == 9.0


def test_incomplete_price_points_are_left_out():
    price_map = {
        "video-model": {"litellm_provider": "bedrock", "mode": "chat", "output_cost_per_token": 7.5e-06, "input_cost_per_second": 0.01},
        "nano": {
            "litellm_provider": "openai",
            "mode": "chat",
            "input_cost_per_token": 5e-08,
            "output_cost_per_token": 4e-07,
            "input_cost_per_token_priority": 2.5e-06,
        },
        "embed": {"litellm_provider": "gemini", "mode": "embedding", "input_cost_per_token": 1.5e-07},
    }
    prices, _ = parse_price_map(price_map)
    points = {(p.model_id, p.service_tier): {} for p in prices}
    for p in prices:
        points[(p.model_id, p.service_tier)][p.token_type] = p.usd_per_million
    assert points == {("nano", "standard"): {"input": 0.05, "output": 0.4}, ("embed", "standard"): {"input": 0.15, "output": 0.0}}


def test_bedrock_regional_keys_become_regional_price_points():
    """LiteLLM 1.106.2 entries (verbatim rates): `bedrock/<region>/<model>` is the regional price point
    `<region>/<model>`; commitment, invoke and wildcard keys are not token prices we can place; a regional
    point gets no catalog entry of its own (the model's applies)."""
    rates = {"input_cost_per_token": 6e-08, "output_cost_per_token": 2.4e-07, "cache_read_input_token_cost": 1.5e-08}
    price_map = {
        "amazon.nova-lite-v1:0": {"litellm_provider": "bedrock_converse", "mode": "chat", **rates},
        "bedrock/us-gov-west-1/amazon.nova-lite-v1:0": {
            "litellm_provider": "bedrock",
            "mode": "chat",
            "input_cost_per_token": 7.2e-08,
            "output_cost_per_token": 2.88e-07,
            "cache_read_input_token_cost": 1.8e-08,
        },
        "bedrock/eu-central-1/1-month-commitment/anthropic.claude-v1": {"litellm_provider": "bedrock", "mode": "chat", **rates},
        "bedrock/*/1-month-commitment/cohere.command-text-v14": {"litellm_provider": "bedrock", "mode": "chat", **rates},
        "bedrock/invoke/anthropic.claude-3-5-sonnet-20240620-v1:0": {"litellm_provider": "bedrock", "mode": "chat", **rates},
    }
    prices, thresholds = parse_price_map(price_map)
    points = {}
    for p in prices:
        points.setdefault(p.model_id, {})[p.token_type] = p.usd_per_million
    assert points == {
        "amazon.nova-lite-v1:0": {"input": 0.06, "output": 0.24, "cache_read": 0.015},
        "us-gov-west-1/amazon.nova-lite-v1:0": {"input": 0.072, "output": 0.288, "cache_read": 0.018},
    }
    assert set(thresholds) == {("aws_bedrock", "amazon.nova-lite-v1:0")}


def test_azure_data_zone_keys_become_data_zone_price_points():
    """LiteLLM 1.106.2 entries (verbatim rates): `azure/eu/<model>` and `azure/us/<model>` are the
    data-zone price points `eu/<model>` / `us/<model>` (with their batch tier); `azure/global/...`
    repeats the model's own (global) price and `azure/us-gov/...` / `azure/apac/...` name no data zone
    of the commercial cloud: skipped. No catalog entry for a data-zone point."""
    base = {"litellm_provider": "azure", "mode": "chat", "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05}
    zone = {
        "litellm_provider": "azure",
        "mode": "chat",
        "input_cost_per_token": 2.75e-06,
        "output_cost_per_token": 1.1e-05,
        "cache_read_input_token_cost": 1.375e-06,
        "input_cost_per_token_batches": 1.375e-06,
        "output_cost_per_token_batches": 5.5e-06,
    }
    price_map = {
        "azure/gpt-4o-2024-08-06": {**base, "cache_read_input_token_cost": 1.25e-06},
        "azure/eu/gpt-4o-2024-08-06": zone,
        "azure/us/gpt-4o-2024-08-06": zone,
        "azure/us/text-embedding-3-small": {"litellm_provider": "azure", "mode": "embedding", "input_cost_per_token": 2.2e-08},
        "azure/global/gpt-4o-2024-08-06": {**base, "cache_read_input_token_cost": 1.25e-06},
        "azure/us-gov/o3-mini": {**base, "input_cost_per_token": 1.513e-06},
        "azure/apac/gpt-6.1-sol": {**base, "input_cost_per_token": 2.4e-06},
    }
    prices, thresholds = parse_price_map(price_map)
    points = {}
    for p in prices:
        points.setdefault((p.model_id, p.service_tier), {})[p.token_type] = p.usd_per_million
    assert points == {
        ("gpt-4o-2024-08-06", "standard"): {"input": 2.5, "output": 10.0, "cache_read": 1.25},
        ("eu/gpt-4o-2024-08-06", "standard"): {"input": 2.75, "output": 11.0, "cache_read": 1.375},
        ("eu/gpt-4o-2024-08-06", "batch"): {"input": 1.375, "output": 5.5},
        ("us/gpt-4o-2024-08-06", "standard"): {"input": 2.75, "output": 11.0, "cache_read": 1.375},
        ("us/gpt-4o-2024-08-06", "batch"): {"input": 1.375, "output": 5.5},
        ("us/text-embedding-3-small", "standard"): {"input": 0.022, "output": 0.0},
    }
    assert set(thresholds) == {("azure_openai", "gpt-4o-2024-08-06")}


def test_committed_seed_has_the_azure_data_zone_points_of_the_snapshot():
    """The committed price book holds LiteLLM 1.106.2's data-zone points (refresh-prices on the same
    snapshot as the rest of the seed), and the demo's data-zone seed maps regions to those zones."""
    seeds = Path(__file__).resolve().parents[2] / "seeds" / "pricing"
    with open(seeds / "ai_finops__model_prices.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["provider"] == "azure_openai" and r["service_tier"] == "standard"]
    rate = {(r["model_id"], r["token_type"]): float(r["usd_per_million_tokens"]) for r in rows}
    assert rate[("us/gpt-4o", "input")] == 2.75 and rate[("eu/gpt-4o", "output")] == 11.0 and rate[("gpt-4o", "input")] == 2.5
    assert {r["price_source"] for r in rows if "/" in r["model_id"]} == {"litellm 1.106.2 snapshot 2026-11-22"}
    with open(seeds / "ai_finops__azure_data_zones.csv", newline="") as f:
        zones = {r["azure_region"]: r["data_zone"] for r in csv.DictReader(f)}
    assert zones["eastus2"] == "us" and zones["swedencentral"] == "eu" and "uksouth" not in zones and "switzerlandnorth" not in zones


def test_vertex_regional_uplift_becomes_regional_price_points():
    """LiteLLM 1.106.2 entries (verbatim rates): a Vertex entry's `regional_endpoint_uplift_multiplier`
    (regional endpoints cost more than the `global` one the map prices) becomes the point
    `regional/<model>` with every rate (tiers and long context too) times the multiplier; an entry
    without one gets no regional point; plain `vertex_ai` entries (newer Gemini) are Vertex too.
    No catalog entry for a regional point."""
    price_map = {
        "vertex_ai/claude-sonnet-4-5": {
            "litellm_provider": "vertex_ai-anthropic_models",
            "mode": "chat",
            "input_cost_per_token": 3e-06,
            "output_cost_per_token": 1.5e-05,
            "cache_read_input_token_cost": 3e-07,
            "cache_creation_input_token_cost": 3.75e-06,
            "input_cost_per_token_above_200k_tokens": 6e-06,
            "output_cost_per_token_above_200k_tokens": 2.25e-05,
            "input_cost_per_token_batches": 1.5e-06,
            "output_cost_per_token_batches": 7.5e-06,
            "regional_endpoint_uplift_multiplier": 1.1,
        },
        "vertex_ai/gemini-3.5-flash": {
            "litellm_provider": "vertex_ai",
            "mode": "chat",
            "input_cost_per_token": 5e-07,
            "output_cost_per_token": 3e-06,
            "regional_endpoint_uplift_multiplier": 1.1,
        },
        "gemini-2.5-flash": {
            "litellm_provider": "vertex_ai-language-models",
            "mode": "chat",
            "input_cost_per_token": 3e-07,
            "output_cost_per_token": 2.5e-06,
        },
    }
    prices, thresholds = parse_price_map(price_map)
    points = {}
    for p in prices:
        points.setdefault((p.provider, p.model_id, p.service_tier, p.context_tier), {})[p.token_type] = p.usd_per_million
    assert points == {
        ("google_vertex", "claude-sonnet-4-5", "standard", "standard"): {
            "input": 3.0,
            "output": 15.0,
            "cache_read": 0.3,
            "cache_write_5m": 3.75,
        },
        ("google_vertex", "claude-sonnet-4-5", "standard", "long"): {"input": 6.0, "output": 22.5},
        ("google_vertex", "claude-sonnet-4-5", "batch", "standard"): {"input": 1.5, "output": 7.5},
        ("google_vertex", "regional/claude-sonnet-4-5", "standard", "standard"): {
            "input": 3.3,
            "output": 16.5,
            "cache_read": 0.33,
            "cache_write_5m": 4.125,
        },
        ("google_vertex", "regional/claude-sonnet-4-5", "standard", "long"): {"input": 6.6, "output": 24.75},
        ("google_vertex", "regional/claude-sonnet-4-5", "batch", "standard"): {"input": 1.65, "output": 8.25},
        ("google_vertex", "gemini-3.5-flash", "standard", "standard"): {"input": 0.5, "output": 3.0},
        ("google_vertex", "regional/gemini-3.5-flash", "standard", "standard"): {"input": 0.55, "output": 3.3},
        ("google_vertex", "gemini-2.5-flash", "standard", "standard"): {"input": 0.3, "output": 2.5},
    }
    assert set(thresholds) == {("google_vertex", m) for m in ("claude-sonnet-4-5", "gemini-3.5-flash", "gemini-2.5-flash")}
    assert thresholds[("google_vertex", "claude-sonnet-4-5")] == 200_000


def test_committed_seed_has_the_vertex_regional_points_of_the_snapshot():
    """The committed price book holds LiteLLM 1.106.2's uplifted Vertex entries as `regional/` points at
    1.1x their global rates (37 token models; the 38th, gemini-3.1-flash-image, is priced per image), and
    the demo price book places Vertex usage outside `global` there."""
    root = Path(__file__).resolve().parents[2]
    with open(root / "seeds" / "pricing" / "ai_finops__model_prices.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["provider"] == "google_vertex" and r["service_tier"] == "standard"]
    rate = {(r["model_id"], r["context_tier"], r["token_type"]): float(r["usd_per_million_tokens"]) for r in rows if not r["valid_to"]}
    regional = {m for m, _, _ in rate if m.startswith("regional/")}
    assert len(regional) == 37
    for model, context, token_type in rate:
        if model.startswith("regional/"):
            assert rate[(model, context, token_type)] == pytest.approx(1.1 * rate[(model.removeprefix("regional/"), context, token_type)])
    assert rate[("regional/claude-sonnet-4-5", "standard", "input")] == 3.3
    book = PriceBook.from_project(root)
    assert book.price_location("google_vertex", "us-east5") == "regional"
    assert book.price_location("google_vertex", "global") is None
    assert book.price_location("google_vertex", None) is None
    point = book.lookup("google_vertex", "claude-sonnet-4-5", "standard", "standard", date(2026, 9, 14), region="regional")
    assert point is not None and point.model_id == "regional/claude-sonnet-4-5"


UNIT_MAP = {
    "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04},
    "hd/1024-x-1792/dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "input_cost_per_image": 0.12},
    "1024-x-1024/gpt-image-1.5": {"litellm_provider": "openai", "mode": "image_generation", "input_cost_per_image": 0.034},
    "tts-1": {"litellm_provider": "openai", "mode": "audio_speech", "input_cost_per_character": 1.5e-05},
    "whisper-1": {
        "litellm_provider": "openai",
        "mode": "audio_transcription",
        "input_cost_per_second": 0.0001,
        "output_cost_per_second": 0.0001,
    },
    "gpt-4o-mini": {
        "litellm_provider": "openai",
        "mode": "chat",
        "input_cost_per_token": 1.5e-07,
        "output_cost_per_token": 6e-07,
        "search_context_cost_per_query": {"search_context_size_low": 0.025, "search_context_size_high": 0.03},
    },
    "openai/container": {"litellm_provider": "openai", "mode": "chat", "code_interpreter_cost_per_session": 0.03},
    "bedrock/us-east-1/stability.sd3": {"litellm_provider": "bedrock", "mode": "image_generation", "output_cost_per_image": 0.08},
    "fal_ai/flux": {"litellm_provider": "fal_ai", "mode": "image_generation", "output_cost_per_image": 0.05},
}


def test_parse_unit_prices_reads_per_unit_fields_with_size_quality_and_context():
    from ai_finops.unit_prices import parse_unit_prices

    got = {p.key: (p.usd_per_unit, p.quantity_unit) for p in parse_unit_prices(UNIT_MAP)}
    assert got == {
        ("openai", "dall-e-3", "output_image", "*"): (0.04, "images"),
        ("openai", "dall-e-3", "input_image", "hd 1024x1792"): (0.12, "images"),
        ("openai", "gpt-image-1.5", "input_image", "1024x1024"): (0.034, "images"),
        ("openai", "tts-1", "input_character", "*"): (1.5e-05, "characters"),
        ("openai", "whisper-1", "input_second", "*"): (0.0001, "seconds"),
        ("openai", "whisper-1", "output_second", "*"): (0.0001, "seconds"),
        ("openai", "gpt-4o-mini", "query", "low"): (0.025, "calls"),
        ("openai", "gpt-4o-mini", "query", "high"): (0.03, "calls"),
        ("openai", "container", "session", "*"): (0.03, "sessions"),
        # a region-scoped key (bedrock/us-east-1/...) and a provider we do not ingest are left out
    }


def test_unit_price_refresh_is_idempotent_and_effective_dated(project, tmp_path):
    import csv

    from ai_finops.unit_prices import refresh_unit_prices

    seeds = project / "seeds" / "pricing"
    (seeds / "ai_finops__unit_prices.csv").write_text(
        "provider,model_id,unit_price_type,usage_detail,usd_per_unit,quantity_unit,valid_from,valid_to,price_source\n"
        "openai,tts-1,input_character,*,0.00001,characters,2024-01-01,,negotiated override\n"
    )
    first = refresh_unit_prices(seeds, UNIT_MAP, date(2026, 11, 1), "litellm 1.106.2", backfill_from=date(2024, 1, 1))
    assert (first["unit_added"], first["unit_changed"], first["unit_manual_kept"]) == (8, 0, 1)
    path = seeds / "ai_finops__unit_prices.csv"
    after_first = path.read_text()
    again = refresh_unit_prices(seeds, UNIT_MAP, date(2026, 11, 1), "litellm 1.106.2")
    assert again["unit_added"] == again["unit_changed"] == 0 and path.read_text() == after_first

    newer = json.loads(json.dumps(UNIT_MAP))
    newer["whisper-1"]["input_cost_per_second"] = 0.00012
    newer["tts-1"]["input_cost_per_character"] = 2e-05  # the manual row still wins
    del newer["dall-e-3"]  # a dropped model keeps its last price
    second = refresh_unit_prices(seeds, newer, date(2026, 12, 1), "litellm 1.107.0")
    assert (second["unit_added"], second["unit_changed"], second["unit_manual_kept"]) == (0, 1, 1)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    whisper = [
        (r["usd_per_unit"], r["valid_from"], r["valid_to"])
        for r in rows
        if r["model_id"] == "whisper-1" and r["unit_price_type"] == "input_second"
    ]
    assert whisper == [("0.0001", "2024-01-01", "2026-12-01"), ("0.00012", "2026-12-01", "")]
    assert [r["usd_per_unit"] for r in rows if r["model_id"] == "tts-1"] == ["0.00001"]
    assert [r["valid_to"] for r in rows if r["model_id"] == "dall-e-3" and r["usage_detail"] == "*"] == [""]
    stale = refresh_unit_prices(seeds, UNIT_MAP, date(2026, 11, 15), "litellm 1.106.2")
    assert stale["unit_changed"] == 0  # an older snapshot never rewrites a newer price


def test_refresh_writes_the_unit_price_seed_too(project):
    summary = refresh(project, snapshot=date(2026, 11, 1), json_path=FIXTURE, backfill_from=date(2024, 1, 1))
    assert summary["unit_added"] == 2  # the fixture's dall-e-3 per-image price and Sonnet's web-search price
    assert (
        "openai,dall-e-3,output_image,*,0.04,images,2024-01-01,,"
        in (project / "seeds" / "pricing" / "ai_finops__unit_prices.csv").read_text()
    )


def test_new_audio_rates_join_the_open_window_without_repricing(project, tmp_path):
    """A token type the book never had (audio rates, once the parser reads them) joins the point's
    open window from its start; the text rates and their window are untouched; a re-run is a no-op."""
    refresh(project, snapshot=date(2026, 11, 1), json_path=FIXTURE, backfill_from=date(2024, 1, 1))
    with_audio = json.loads(FIXTURE.read_text())
    with_audio["gpt-4o"]["input_cost_per_audio_token"] = 4e-05
    with_audio["gpt-4o"]["output_cost_per_audio_token"] = 8e-05
    path = tmp_path / "audio.json"
    path.write_text(json.dumps(with_audio))
    summary = refresh(project, snapshot=date(2026, 12, 1), json_path=path)
    assert summary["extended"] == 1 and summary["changed"] == 0
    book = PriceBook.from_project(project)
    point = book.lookup("openai", "gpt-4o", "standard", "standard", date(2024, 6, 1))
    assert point.valid_from == date(2024, 1, 1) and point.valid_to is None
    assert point.usd_per_million["input_audio"] == 40.0 and point.rate("output_audio") == 80.0 / 1e6
    assert point.rate("cache_read_audio") == point.rate("cache_read")  # no cached-audio rate: the cache-read rate
    again = refresh(project, snapshot=date(2026, 12, 1), json_path=path)
    assert again["extended"] == 0 and again["changed"] == 0
