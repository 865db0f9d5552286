"""The LiteLLM price-map refresh: parsing, effective dating, idempotence, manual rows kept."""

from __future__ import annotations

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
    }
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
