"""Outcomes source, unit economics and optimization recommendations on the demo data."""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from ai_finops.demo import outcomes as business_outcomes
from ai_finops.demo.generator import generate

from .conftest import PROJECT


def _usage_digest(folder):
    """Digest of every generated file except the outcomes folder and the manifest."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if relative.parts[0] == "outcomes" or relative.name == "manifest.json":
            continue
        h.update(str(relative).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def test_outcomes_do_not_perturb_the_usage_data(tmp_path, monkeypatch):
    with_outcomes = generate(tmp_path / "a", PROJECT, scale=0.005, seed=11, days=20)
    monkeypatch.setattr(business_outcomes, "simulate_outcomes", lambda df, seed: pd.DataFrame(columns=business_outcomes.COLUMNS))
    without = generate(tmp_path / "b", PROJECT, scale=0.005, seed=11, days=20)
    assert _usage_digest(tmp_path / "a") == _usage_digest(tmp_path / "b")
    outcomes = with_outcomes.pop("outcomes")
    without.pop("outcomes")
    assert with_outcomes == without  # usage truth identical
    assert outcomes["rows"] > 0 and len(outcomes["files"]) == 1  # 20 days: one monthly file


def test_outcomes_file_shape(demo_raw, manifest):
    files = manifest["outcomes"]["files"]
    assert files == [f"outcomes/business_outcomes/business_outcomes_2026-{m}.csv" for m in ("08", "09", "10")]
    frame = pd.concat(pd.read_csv(demo_raw / f) for f in files)
    assert list(frame.columns) == business_outcomes.COLUMNS
    assert len(frame) == manifest["outcomes"]["rows"]
    assert (frame["outcome_count"] > 0).all()
    assert set(manifest["outcomes"]["workflows_without_outcomes"]) == {"shared-pool-misc", "sandbox-experiments", "eval-harness"}
    assert not frame["workflow_id"].isin(manifest["outcomes"]["workflows_without_outcomes"]).any()


def test_outcomes_are_staged_exactly_as_generated(marts, manifest):
    staged = marts.execute(
        "select workflow_id || '|' || outcome_type, sum(outcome_count) from main_staging.stg_outcomes__business_outcomes group by 1"
    ).fetchall()
    assert dict(staged) == manifest["outcomes"]["outcome_count_by_workflow"]
    by_month = marts.execute(
        """select strftime(usage_month, '%Y-%m') || '|' || workflow_id, sum(outcome_count)
           from main_marts.fct_unit_economics_monthly where outcome_type <> 'none' group by 1 having sum(outcome_count) > 0"""
    ).fetchall()
    assert dict(by_month) == manifest["outcomes"]["outcome_count_by_month_workflow"]


def test_cost_per_outcome_recomputes_from_attributed_cost(marts):
    """Ticket classifier, September: attributed contracted cost / tickets classified, by hand."""
    cost = marts.execute(
        """select sum(contracted_cost) from main_intermediate.int_usage_attributed
           where workflow_id = 'ticket-classifier' and team_id = 'support-automation'
             and usage_date >= date '2026-09-01' and usage_date < date '2026-10-01'"""
    ).fetchone()[0]
    tickets = marts.execute(
        """select sum(outcome_count) from main_staging.stg_outcomes__business_outcomes
           where workflow_id = 'ticket-classifier' and event_date >= date '2026-09-01' and event_date < date '2026-10-01'"""
    ).fetchone()[0]
    row = marts.execute(
        """select contracted_cost_per_outcome, outcome_count, consumption_signal from main_marts.fct_unit_economics_monthly
           where workflow_id = 'ticket-classifier' and usage_month = date '2026-09-01'"""
    ).fetchone()
    assert row[1] == tickets
    assert abs(row[0] - cost / tickets) < 1e-12
    assert row[2] == "spend tracks outcomes"


def test_runaway_loop_shows_as_spend_without_results(marts, manifest):
    """The October runaway weekend bought no deals: the deal desk's cost per deal explodes."""
    rows = dict(
        marts.execute(
            """select strftime(usage_month, '%Y-%m'), contracted_cost_per_outcome from main_marts.fct_unit_economics_monthly
               where workflow_id = 'deal-desk-agent' and team_id = 'sales-engineering'"""
        ).fetchall()
    )
    assert rows["2026-10"] > 20 * rows["2026-09"]
    change = marts.execute(
        """select cost_per_outcome_change_pct, consumption_signal from main_marts.fct_unit_economics_monthly
           where workflow_id = 'deal-desk-agent' and usage_month = date '2026-10-01'"""
    ).fetchone()
    assert change[0] > 1000
    assert change[1] == "spend does not track outcomes"
    # workflows with no business outcome are shown as such, not as free or infinitely expensive
    evals = marts.execute(
        "select distinct outcome_type, consumption_signal from main_marts.fct_unit_economics_monthly where workflow_id = 'eval-harness'"
    ).fetchall()
    assert evals == [("none", "no outcomes reported")]
    assert json.dumps(manifest["outcomes"])  # the truth is serialisable (written to manifest.json)


def _list_rates(provider: str, model_id: str, on: str) -> dict[str, float]:
    """USD per million tokens of one standard price point on a day, read from the seed, with the
    documented fallbacks (cache read / 5-minute write -> input; 1-hour write -> 5-minute write)."""
    book = pd.read_csv(PROJECT / "seeds/pricing/ai_finops__model_prices.csv", keep_default_na=False)
    rows = book[
        (book["provider"] == provider)
        & (book["model_id"] == model_id)
        & (book["service_tier"] == "standard")
        & (book["context_tier"] == "standard")
        & (book["valid_from"] <= on)  # ISO dates compare as text
        & ((book["valid_to"] == "") | (book["valid_to"] > on))
    ]
    rate = dict(zip(rows["token_type"], rows["usd_per_million_tokens"].astype(float), strict=True))
    rate.setdefault("cache_read", rate["input"])
    rate.setdefault("cache_write_5m", rate["input"])
    rate.setdefault("cache_write_1h", rate["cache_write_5m"])
    return rate


def _recommendation(marts, recommendation_type: str, workflow_id: str) -> dict:
    frame = marts.execute(
        "select * from main_marts.fct_optimization_recommendations where recommendation_type = ? and workflow_id = ?",
        [recommendation_type, workflow_id],
    ).df()
    assert len(frame) == 1, f"expected one {recommendation_type} recommendation for {workflow_id}"
    return frame.iloc[0].to_dict()


def _requests(marts, workflow_id: str, start, end) -> pd.DataFrame:
    """The workflow's billed gateway requests in the window, read from request-level data by key alias."""
    return marts.execute(
        """select usage_date, uncached_input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
                  output_tokens, provider, model_id, service_tier, context_tier
           from main_intermediate.int_gateway_requests_enriched
           where gateway_key_alias like ? and usage_date between ? and ?""",
        [f"{workflow_id}-%", start, end],
    ).df()


def test_premium_model_classification_gets_a_downgrade_worth_what_the_prices_say(marts, manifest):
    event = next(e for e in manifest["planted_events"] if e["id"] == "premium_model_classification")
    rec = _recommendation(marts, "model_downgrade", event["workflow_id"])
    assert rec["model_id"] == "claude-opus-4-1" and event["model"].startswith(rec["model_id"])
    assert rec["recommended_change"] == "move to claude-haiku-4-5"
    assert rec["owner_team_id"] == "support-automation" and rec["confidence"] == "high"
    requests = _requests(marts, event["workflow_id"], rec["window_start"], rec["window_end"])
    assert set(requests["model_id"]) == {"claude-opus-4-1"} and set(requests["service_tier"]) == {"standard"}
    assert (rec["window_end"] - rec["window_start"]).days == 29  # 30-day window: monthly = window savings
    opus = _list_rates("anthropic", "claude-opus-4-1", str(rec["window_end"]))
    haiku = _list_rates("anthropic", "claude-haiku-4-5", str(rec["window_end"]))
    tokens = {
        "input": requests["uncached_input_tokens"].sum(),
        "cache_read": requests["cache_read_tokens"].sum(),
        "cache_write_5m": requests["cache_write_5m_tokens"].sum(),
        "cache_write_1h": requests["cache_write_1h_tokens"].sum(),
        "output": requests["output_tokens"].sum(),
    }
    by_hand = sum(tokens[t] * (opus[t] - haiku[t]) for t in tokens) / 1_000_000
    assert by_hand > 20  # ~$28.7 a month at test scale (15x cheaper model)
    assert abs(rec["estimated_monthly_savings"] - by_hand) < 1e-9
    assert abs(rec["incremental_monthly_savings"] - by_hand) < 1e-9  # nothing else touches these tokens
    assert len(requests) == rec["request_count"]
    assert abs(rec["avg_output_tokens_per_request"] - requests["output_tokens"].mean()) < 1e-9
    assert abs(rec["avg_output_tokens_per_request"] - event["mean_output_tokens"]) < 1  # the planted ~6-token outputs


def test_rag_oversized_context_gets_a_trim_worth_what_the_prices_say(marts, manifest):
    event = next(e for e in manifest["planted_events"] if e["id"] == "rag_oversized_context")
    rec = _recommendation(marts, "oversized_context", event["workflow_id"])
    assert rec["model_id"] == "gpt-4.1" and rec["owner_team_id"] == "support-automation"
    requests = _requests(marts, event["workflow_id"], rec["window_start"], rec["window_end"])
    assert set(requests["context_tier"]) == {"standard"} and set(requests["service_tier"]) == {"standard"}
    rates = _list_rates("openai", "gpt-4.1", str(rec["window_end"]))
    prompt = requests[["uncached_input_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens"]].sum(axis=1)
    trimmed_share = ((prompt - 8000).clip(lower=0) / prompt).astype(float)
    input_cost = (
        requests["uncached_input_tokens"] * rates["input"]
        + requests["cache_read_tokens"] * rates["cache_read"]
        + requests["cache_write_5m_tokens"] * rates["cache_write_5m"]
        + requests["cache_write_1h_tokens"] * rates["cache_write_1h"]
    ) / 1_000_000
    by_hand = float((trimmed_share * input_cost).sum())
    assert by_hand > 50  # ~$70 a month at test scale: 40k-token prompts trimmed to 8k
    assert abs(rec["estimated_monthly_savings"] - by_hand) < 1e-9
    assert abs(rec["p95_input_tokens"] - prompt.quantile(0.95)) < 1e-6
    assert abs(rec["avg_input_tokens_per_request"] - event["mean_input_tokens"]) < 0.05 * event["mean_input_tokens"]
    # the same tokens also get a caching recommendation: ranked second, credited only on what trimming leaves
    caching = _recommendation(marts, "prompt_caching", event["workflow_id"])
    assert caching["overlap_group"] == rec["overlap_group"] and rec["rank_in_overlap_group"] == 1
    left = 1 - rec["estimated_monthly_savings"] / rec["current_monthly_list_cost"]
    assert abs(caching["incremental_monthly_savings"] - caching["estimated_monthly_savings"] * left) < 1e-9
    assert caching["incremental_monthly_savings"] < caching["estimated_monthly_savings"]


def test_recommendation_totals_never_double_count(marts):
    rows = marts.execute(
        """select overlap_group, sum(incremental_monthly_savings), max(current_monthly_list_cost), sum(estimated_monthly_savings)
           from main_marts.fct_optimization_recommendations group by 1"""
    ).fetchall()
    for group, incremental, cost, standalone in rows:
        assert incremental <= cost + 1e-9, group
        assert incremental <= standalone + 1e-9, group
    types = dict(
        marts.execute("select recommendation_type, count(*) from main_marts.fct_optimization_recommendations group by 1").fetchall()
    )
    # the demo plants idle legacy keys, unowned pooled keys and a deprecated Azure model
    assert types["idle_key"] >= 20 and types["key_without_owner"] >= 3 and types["deprecated_model"] >= 1
    # the runaway weekend makes Sonnet traffic too unsteady for a commitment: shown as watch, no savings
    commitment = marts.execute(
        """select recommendation_status, incremental_monthly_savings, daily_token_cv, break_even_tokens_per_month
           from main_marts.fct_optimization_recommendations where scope_id = 'anthropic-sonnet-4-5-pt'"""
    ).fetchone()
    assert commitment[0] == "watch" and commitment[1] == 0 and commitment[2] > 1 and commitment[3] > 0
    # an agent is never a batch candidate, however flat its runaway traffic looked
    assert not marts.execute(
        "select count(*) from main_marts.fct_optimization_recommendations where recommendation_type = 'batch_api' and workflow_id = 'deal-desk-agent'"
    ).fetchone()[0]
