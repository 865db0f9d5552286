"""Pricing pitfalls of peer tools (../shared/reference/pricing-pitfalls.md) on the built demo: each test
recomputes a figure from the generator's truth (manifest.json) or the seeds, independently of the models.
The dbt unit tests with hand-computed dollars are mapped in docs/architecture.md."""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PRICES_CSV = PROJECT / "seeds" / "pricing" / "ai_finops__model_prices.csv"


def test_streamed_zero_spend_requests_are_priced_from_their_tokens(marts, manifest):
    """Pitfall 1: LiteLLM logs some streamed calls at $0 spend; the cost comes from the tokens."""
    event = next(e for e in manifest["planted_events"] if e["id"] == "streamed_zero_spend")
    expected_requests = manifest["totals"]["gateway"]["streamed_zero_spend_requests"]
    assert expected_requests > 0
    zero_spend = marts.execute(
        """
        select count(*), count(list_cost), min(list_cost), min(uncached_input_tokens + cache_read_tokens + output_tokens),
               count(distinct workflow_id), min(workflow_id)
        from main_intermediate.int_gateway_requests_enriched
        where gateway_reported_spend = 0
        """
    ).fetchone()
    assert zero_spend[0] == expected_requests  # only the planted calls are logged at $0 ...
    assert zero_spend[1] == expected_requests and zero_spend[2] > 0 and zero_spend[3] > 0  # ... and each costs > 0
    assert zero_spend[4] == 1 and zero_spend[5] == event["workflow_id"]
    # the gateway's priced requests equal the generator's list cost per provider: a tool that trusted the
    # logged spend would be short by exactly the $0 calls
    priced = dict(
        marts.execute("select provider, sum(list_cost) from main_intermediate.int_gateway_requests_enriched group by 1").fetchall()
    )
    truth = manifest["totals"]["gateway_logged_billable_by_provider"]
    assert set(priced) == set(truth)
    for provider, part in truth.items():
        assert math.isclose(priced[provider], part["list_cost"], rel_tol=1e-9), provider


def _price_windows(provider: str, model_id: str) -> list[tuple[date, date, dict[str, float]]]:
    """The seed's standard/standard windows of one model, read straight from the CSV."""
    windows: dict[tuple[date, date], dict[str, float]] = {}
    with PRICES_CSV.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if (row["provider"], row["model_id"], row["service_tier"], row["context_tier"]) != (provider, model_id, "standard", "standard"):
                continue
            start = date.fromisoformat(row["valid_from"])
            end = date.fromisoformat(row["valid_to"]) if row["valid_to"] else date.max
            windows.setdefault((start, end), {})[row["token_type"]] = float(row["usd_per_million_tokens"])
    return sorted((start, end, rates) for (start, end), rates in windows.items())


def test_a_price_change_reprices_only_from_its_date(marts, manifest):
    """Pitfall 10: the planted gpt-4o-mini price cut re-prices nothing before its effective date; every
    row is recomputed from its tokens and the seed window of its day."""
    event = next(e for e in manifest["planted_events"] if e["id"] == "price_change")
    change = date.fromisoformat(event["effective_date"])
    windows = _price_windows(event["provider"], event["model_id"])
    assert [w[0] for w in windows][-1] == change and windows[-2][1] == change  # the old window closes on D
    rows = marts.execute(
        """
        select usage_date, uncached_input_tokens, cache_read_tokens, cache_write_5m_tokens + cache_write_1h_tokens,
               output_tokens, input_audio_tokens + cache_read_audio_tokens + output_audio_tokens
                   + input_image_tokens + cache_read_image_tokens + output_image_tokens,
               input_usd_per_million, list_cost
        from main_intermediate.int_usage_priced
        where provider = ? and model_id = ? and service_tier = 'standard' and context_tier = 'standard'
            and usage_kind = 'tokens'
        """,
        [event["provider"], event["model_id"]],
    ).fetchall()
    before = [r for r in rows if r[0] < change]
    after = [r for r in rows if r[0] >= change]
    assert before and after  # the demo has usage on both sides of the change
    for usage_date, uncached, cached, writes, output, modality, input_rate, list_cost in rows:
        assert writes == 0 and modality == 0  # text tokens only: the three rates below price the whole row
        rates = next(r for start, end, r in windows if start <= usage_date < end)
        assert input_rate == rates["input"], usage_date
        expected = (uncached * rates["input"] + cached * rates["cache_read"] + output * rates["output"]) / 1e6
        assert math.isclose(list_cost, expected, rel_tol=1e-9, abs_tol=1e-12), usage_date
    assert {r[6] for r in before} == {windows[-2][2]["input"]} and {r[6] for r in after} == {windows[-1][2]["input"]}


def test_unpriced_usage_without_a_bill_is_warned(built_database, tmp_path, manifest):
    """Pitfall 14: unpriced usage is null, never $0 (test_pipeline.test_unknown_model_is_unpriced_not_zero);
    when no bill values it either, the build warns and names the model. The demo's unknown model is billed
    by OpenAI (no warning); without its bill the warning fires."""
    import shutil

    import duckdb

    from .conftest import run_cli

    database = tmp_path / "no_bill.duckdb"
    shutil.copyfile(built_database, database)
    unknown = next(e for e in manifest["planted_events"] if e["id"] == "unknown_model")["model"]
    with duckdb.connect(str(database)) as con:
        rows, billed = con.execute(
            "select count(*), count(billed_cost) from main_marts.fct_ai_cost_daily where model_id = ? and pricing_status = 'unpriced_unknown_model'",
            [unknown],
        ).fetchone()
        assert rows > 0 and billed == rows
        # as if OpenAI's Costs API were not loaded: the unknown model's dollars are unknown
        con.execute("update main_marts.fct_ai_cost_daily set billed_cost = null where model_id = ?", [unknown])
    log = run_cli("build", "--database", str(database), "--select", "assert_unpriced_usage_has_a_known_cost").stdout
    assert "assert_unpriced_usage_has_a_known_cost" in log and "WARN=1" in log
