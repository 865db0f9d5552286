"""Each policy type produces the violations the demo's planted events imply, with the right dollars."""

from __future__ import annotations

import pytest

VIOLATIONS = "main_marts.fct_policy_violations"


def _policy_total(marts, policy_id: str) -> tuple:
    return marts.execute(
        f"select count(*), sum(request_count), sum(list_cost), sum(contracted_cost) from {VIOLATIONS} where policy_id = ?",
        [policy_id],
    ).fetchone()


def _event(manifest, event_id: str) -> dict:
    return next(e for e in manifest["planted_events"] if e["id"] == event_id)


def test_model_not_allowed_catches_premium_classifier(marts, manifest):
    event = _event(manifest, "premium_model_classification")
    expected = marts.execute(
        """select sum(list_cost), sum(contracted_cost) from main_marts.fct_ai_cost_daily
           where workflow_id = 'ticket-classifier' and model_id like 'claude-opus%'"""
    ).fetchone()
    for policy in ("pol-classifier-no-premium", "pol-support-no-opus"):  # workflow- and team-scoped
        rows, _, list_cost, contracted = _policy_total(marts, policy)
        assert rows > 0
        assert (list_cost, contracted) == pytest.approx(expected, abs=1e-6)
    # and it is the planted premium-model cost (within 1%)
    assert list_cost == pytest.approx(event["list_cost"], rel=0.01)


def test_max_input_tokens_catches_oversized_rag_prompts(marts, manifest):
    event = _event(manifest, "rag_oversized_context")
    # recount from the staged gateway rows: prompt_tokens is the whole prompt
    oversized = marts.execute(
        """select count(*) from main_staging.stg_litellm__spend_logs
           where is_billable and tag_workflow_id = 'kb-answer-rag' and prompt_tokens > 16000"""
    ).fetchone()[0]
    rows, requests, list_cost, _ = _policy_total(marts, "pol-rag-max-context")
    assert requests == oversized > 0
    assert event["mean_input_tokens"] > 16000
    assert list_cost == pytest.approx(event["list_cost"], rel=0.01)
    # the global 200k cap only catches the few huge RFP prompts
    over_200k = marts.execute(
        "select count(*) from main_staging.stg_litellm__spend_logs where is_billable and prompt_tokens > 200000"
    ).fetchone()[0]
    assert _policy_total(marts, "pol-global-max-context")[1] == over_200k > 0


def test_required_owner_catches_pooled_keys(marts, manifest):
    event = _event(manifest, "pooled_keys_no_owner")
    _, _, list_cost, _ = _policy_total(marts, "pol-owner-required")
    # the planted unowned spend, less what a virtual-tag rule gives an owner (the sandbox gateway keys)
    ruled = marts.execute(
        "select sum(list_cost) from main_marts.fct_ai_cost_daily where attribution_method = 'virtual_tag_rule'"
    ).fetchone()[0]
    assert ruled > 0
    assert list_cost == pytest.approx(event["list_cost_visible_to_attribution"] - ruled, abs=0.01)
    teams = {r[0] for r in marts.execute(f"select distinct team_id from {VIOLATIONS} where policy_id = 'pol-owner-required'").fetchall()}
    assert teams == {"unallocated"}


def test_provider_not_approved(marts):
    expected = marts.execute(
        """select sum(contracted_cost) from main_marts.fct_ai_cost_daily
           where team_id = 'sales-engineering' and provider not in ('openai', 'anthropic')"""
    ).fetchone()[0]
    _, _, _, contracted = _policy_total(marts, "pol-sales-approved-providers")
    assert expected > 0 and contracted == pytest.approx(expected, abs=1e-6)
    providers = {
        r[0]
        for r in marts.execute(f"select distinct provider from {VIOLATIONS} where policy_id = 'pol-sales-approved-providers'").fetchall()
    }
    assert providers and not providers & {"openai", "anthropic"}


def test_batch_eligible_run_interactively_respects_threshold(marts):
    daily = dict(
        marts.execute(
            """select usage_date, sum(contracted_cost) from main_marts.fct_ai_cost_daily
               where workflow_id = 'churn-insights' and service_tier = 'standard' and usage_kind = 'tokens' group by 1"""
        ).fetchall()
    )
    flagged = dict(
        marts.execute(
            f"select usage_date, sum(contracted_cost) from {VIOLATIONS} where policy_id = 'pol-batch-churn-insights' group by 1"
        ).fetchall()
    )
    over = {d: c for d, c in daily.items() if c > 0.2}
    assert over and set(flagged) == set(over)  # days at or under $0.20 are not violations
    for day, cost in flagged.items():
        assert cost == pytest.approx(over[day], abs=1e-9)
