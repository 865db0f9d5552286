"""Business outcomes of the demo company's workflows (tickets resolved, PRs merged, documents processed...).

Outcomes are what the business got for its AI spend: each workflow's systems of record (help desk,
code host, CRM, document pipeline) report a daily count. The demo derives them from the simulated
calls: every successful call of a workflow yields an outcome with a workflow-specific probability
(a binomial draw per day). The runaway agent loop produces no outcomes: spend without results.

Randomness comes from its own generator (``SeedSequence([seed, OUTCOME_STREAM])``) so the traffic
streams, the raw usage files and the manifest totals are the same with or without outcomes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ai_finops.demo.company import WORKFLOWS

OUTCOME_STREAM = 7_001  # spawn key of the outcome RNG stream (never shared with the traffic stream)

# workflow_id -> (outcome type, probability that one successful call yields one outcome, system of record)
WORKFLOW_OUTCOMES: dict[str, tuple[str, float, str]] = {
    "search-query-rewrite": ("searches_served", 0.98, "search_analytics"),
    "search-answer-synthesis": ("answers_delivered", 0.9, "search_analytics"),
    "kb-answer-rag": ("tickets_resolved", 0.35, "zendesk"),
    "ticket-classifier": ("tickets_classified", 0.99, "zendesk"),
    "support-reply-drafter": ("tickets_resolved", 0.6, "zendesk"),
    "deal-desk-agent": ("deals_touched", 0.05, "salesforce"),
    "rfp-responder": ("rfps_answered", 0.02, "salesforce"),
    "contract-review-agent": ("contracts_reviewed", 0.05, "ironclad"),
    "invoice-extraction": ("documents_processed", 0.95, "document_pipeline"),
    "expense-audit": ("expenses_audited", 0.9, "expense_system"),
    "product-recs-explainer": ("recommendations_explained", 0.95, "product_analytics"),
    "catalog-enrichment": ("products_enriched", 0.9, "product_catalog"),
    "mobile-chat": ("conversations_completed", 0.15, "product_analytics"),
    "code-review-agent": ("prs_merged", 0.08, "github"),
    "dev-copilot": ("prs_merged", 0.02, "github"),
    "sql-assistant": ("queries_written", 0.7, "warehouse_audit"),
    "moderation-appeals": ("appeals_decided", 0.8, "trust_safety_console"),
    "intent-router": ("intents_routed", 0.999, "product_analytics"),
    "growth-email-writer": ("emails_sent", 0.95, "marketing_automation"),
    "churn-insights": ("accounts_summarized", 0.9, "salesforce"),
    "voice-of-customer": ("feedback_items_tagged", 0.98, "zendesk"),
    "fraud-review-agent": ("cases_reviewed", 0.1, "trust_safety_console"),
    "content-moderation": ("items_moderated", 0.99, "trust_safety_console"),
    "embedding-refresh-summaries": ("documents_processed", 0.95, "document_pipeline"),
    "research-assistant": ("reports_drafted", 0.05, "confluence"),
    "pipeline-doc-gen": ("documents_processed", 0.9, "document_pipeline"),
    "log-triage": ("incidents_triaged", 0.3, "pagerduty"),
    "forecast-narratives": ("reports_drafted", 0.2, "confluence"),
    "clause-extraction": ("documents_processed", 0.9, "ironclad"),
    "sales-call-notes": ("deals_touched", 0.6, "salesforce"),
    "kb-embeddings": ("documents_processed", 0.1, "document_pipeline"),
    # shared-pool-misc, sandbox-experiments and eval-harness produce no business outcome
}

COLUMNS = ["event_date", "workflow_id", "outcome_type", "outcome_count", "source_system"]


def simulate_outcomes(requests: pd.DataFrame, seed: int) -> pd.DataFrame:
    """One row per day x workflow with outcomes: the count of business events that day."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, OUTCOME_STREAM]))
    useful = requests[~requests["is_failure"] & ~requests["is_runaway"] & requests["workflow_id"].isin(WORKFLOW_OUTCOMES)]
    daily = useful.groupby(["usage_date", "workflow_id"], as_index=False).size().sort_values(["usage_date", "workflow_id"], kind="stable")
    probability = daily["workflow_id"].map(lambda w: WORKFLOW_OUTCOMES[w][1]).to_numpy()
    daily["outcome_count"] = rng.binomial(daily["size"].to_numpy(), probability)
    daily["outcome_type"] = daily["workflow_id"].map(lambda w: WORKFLOW_OUTCOMES[w][0])
    daily["source_system"] = daily["workflow_id"].map(lambda w: WORKFLOW_OUTCOMES[w][2])
    daily["event_date"] = daily["usage_date"].map(lambda d: d.isoformat())
    return daily[daily["outcome_count"] > 0][COLUMNS].reset_index(drop=True)


def write_outcomes(outcomes: pd.DataFrame, out: Path) -> list[Path]:
    """One CSV per month under outcomes/business_outcomes/ (the shape a BI export would have)."""
    folder = out / "outcomes" / "business_outcomes"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for month, part in outcomes.groupby(outcomes["event_date"].str.slice(0, 7), sort=True):
        path = folder / f"business_outcomes_{month}.csv"
        part.to_csv(path, index=False, lineterminator="\n")
        files.append(path)
    return files


def outcomes_manifest(outcomes: pd.DataFrame, files: list[Path], out: Path) -> dict:
    """The truth the outcomes source must reproduce after load and staging."""
    month = outcomes["event_date"].str.slice(0, 7)
    return {
        "files": sorted(str(f.relative_to(out)) for f in files),
        "rows": int(len(outcomes)),
        "outcome_count_by_workflow": {
            f"{w}|{t}": int(part["outcome_count"].sum()) for (w, t), part in outcomes.groupby(["workflow_id", "outcome_type"])
        },
        "outcome_count_by_month_workflow": {
            f"{m}|{w}": int(part["outcome_count"].sum()) for (m, w), part in outcomes.groupby([month, "workflow_id"])
        },
        "workflows_without_outcomes": sorted(w.workflow_id for w in WORKFLOWS if w.workflow_id not in WORKFLOW_OUTCOMES),
    }
