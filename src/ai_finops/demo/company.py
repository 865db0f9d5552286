"""The fictional company behind the demo dataset: org chart, workflows, keys and planted events.

Everything the generator produces and every ownership seed under ``seeds/ownership`` derives from
this module, so the seeds and the raw data cannot drift apart (a test regenerates the seeds and
compares them with the committed files).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

DEMO_START = date(2026, 8, 1)
DEMO_DAYS = 90
OPEN_END = ""  # empty valid_to = still valid

BUSINESS_UNITS = [
    ("bu-product", "Product"),
    ("bu-customer", "Customer Operations"),
    ("bu-platform", "Platform & Data"),
    ("bu-corporate", "Corporate"),
]

COST_CENTERS = [
    ("cc-1001", "Search & Discovery", "bu-product"),
    ("cc-1002", "Personalization & Growth", "bu-product"),
    ("cc-2001", "Support Operations", "bu-customer"),
    ("cc-2002", "Trust & Safety", "bu-customer"),
    ("cc-3001", "ML Platform", "bu-platform"),
    ("cc-3002", "Data & Analytics", "bu-platform"),
    ("cc-4001", "Finance & Legal", "bu-corporate"),
    ("cc-4002", "Sales", "bu-corporate"),
]

# Planted re-org: the recommendations team moves from cc-1001 to cc-1002 on this date.
TEAM_REORG_DATE = "2026-09-16"

# (team_id, team_name, cost_center_id, valid_from, valid_to)
TEAMS = [
    ("search", "Search", "cc-1001", "2024-01-01", OPEN_END),
    ("recommendations", "Recommendations", "cc-1001", "2024-01-01", TEAM_REORG_DATE),
    ("recommendations", "Recommendations", "cc-1002", TEAM_REORG_DATE, OPEN_END),
    ("growth", "Growth", "cc-1002", "2024-01-01", OPEN_END),
    ("mobile-assistant", "Mobile Assistant", "cc-1002", "2024-01-01", OPEN_END),
    ("support-automation", "Support Automation", "cc-2001", "2024-01-01", OPEN_END),
    ("customer-insights", "Customer Insights", "cc-2001", "2024-01-01", OPEN_END),
    ("trust-safety", "Trust & Safety", "cc-2002", "2024-01-01", OPEN_END),
    ("ml-platform", "ML Platform", "cc-3001", "2024-01-01", OPEN_END),
    ("developer-productivity", "Developer Productivity", "cc-3001", "2024-01-01", OPEN_END),
    ("data-eng", "Data Engineering", "cc-3002", "2024-01-01", OPEN_END),
    ("finance-ops", "Finance Operations", "cc-4001", "2024-01-01", OPEN_END),
    ("legal-ops", "Legal Operations", "cc-4001", "2024-01-01", OPEN_END),
    ("sales-engineering", "Sales Engineering", "cc-4002", "2024-01-01", OPEN_END),
]

PROVIDERS = ["openai", "anthropic", "aws_bedrock", "azure_openai", "google_vertex"]

# LiteLLM `custom_llm_provider` values for each provider.
LITELLM_PROVIDER = {
    "openai": "openai",
    "anthropic": "anthropic",
    "aws_bedrock": "bedrock",
    "azure_openai": "azure",
    "google_vertex": "vertex_ai",
}


@dataclass(frozen=True)
class Workflow:
    workflow_id: str
    name: str
    team_id: str
    provider: str
    model: str  # model name as the provider reports it
    route: str  # "gateway" (through LiteLLM) or "direct" (provider key)
    requests_per_day: float
    input_tokens: float  # mean total input tokens per request (incl. cached)
    output_tokens: float  # mean output tokens per request (incl. reasoning)
    cache_read_share: float = 0.0  # share of input served from the prompt cache
    cache_write_share: float = 0.0  # share of input written to the cache (5-minute TTL)
    reasoning_share: float = 0.0  # share of output that is reasoning
    batch_share: float = 0.0
    priority_share: float = 0.0
    interactive: bool = True  # follows office hours; False = flat around the clock
    is_agent: bool = False
    monthly_growth: float = 0.05
    long_context_share: float = 0.0  # requests with a >= 200k prompt (long-context tier)
    tag_share: float = 1.0  # share of gateway requests that carry team/workflow tags
    gateway_cache_hit_share: float = 0.0  # LiteLLM response-cache hits (never billed upstream)
    endpoint: str = "completions"  # OpenAI usage endpoint: completions or embeddings (input only)


W = Workflow
WORKFLOWS: list[Workflow] = [
    # --- gateway traffic (LiteLLM, request-level, tagged) ---
    W("search-query-rewrite", "Search query rewrite", "search", "openai", "gpt-4o-mini-2024-07-18", "gateway", 9000, 450, 60, 0.3),
    W("search-answer-synthesis", "Search answer synthesis", "search", "openai", "gpt-4o-2024-08-06", "gateway", 2200, 8000, 420, 0.4),
    W(
        "kb-answer-rag",
        "Knowledge-base answer (RAG)",
        "support-automation",
        "openai",
        "gpt-4.1-2025-04-14",
        "gateway",
        1400,
        40000,
        380,
        0.05,
    ),
    W(
        "ticket-classifier",
        "Support ticket classifier",
        "support-automation",
        "anthropic",
        "claude-opus-4-1-20250805",
        "gateway",
        2600,
        900,
        6,
    ),
    W(
        "support-reply-drafter",
        "Support reply drafter",
        "support-automation",
        "anthropic",
        "claude-sonnet-4-5-20250929",
        "gateway",
        1800,
        12000,
        650,
        0.55,
        0.05,
    ),
    W(
        "deal-desk-agent",
        "Deal desk agent",
        "sales-engineering",
        "anthropic",
        "claude-sonnet-4-5-20250929",
        "gateway",
        260,
        14000,
        900,
        0.5,
        0.04,
        is_agent=True,
    ),
    W(
        "rfp-responder",
        "RFP responder",
        "sales-engineering",
        "google_vertex",
        "gemini-2.5-pro",
        "gateway",
        120,
        60000,
        2500,
        0.2,
        0.0,
        0.3,
        long_context_share=0.06,
    ),
    W(
        "contract-review-agent",
        "Contract review agent",
        "legal-ops",
        "anthropic",
        "claude-sonnet-4-5-20250929",
        "gateway",
        150,
        22000,
        1400,
        0.6,
        0.05,
        is_agent=True,
    ),
    W(
        "invoice-extraction",
        "Invoice field extraction",
        "finance-ops",
        "azure_openai",
        "gpt-4o-mini-2024-07-18",
        "gateway",
        2400,
        2600,
        180,
        batch_share=0.0,
        interactive=False,
    ),
    W("expense-audit", "Expense policy audit", "finance-ops", "azure_openai", "gpt-4o-2024-08-06", "gateway", 300, 3000, 300),
    W(
        "product-recs-explainer",
        "Recommendation explainer",
        "recommendations",
        "openai",
        "gpt-4o-mini-2024-07-18",
        "gateway",
        7000,
        700,
        90,
        0.25,
        gateway_cache_hit_share=0.08,
    ),
    W(
        "catalog-enrichment",
        "Catalog enrichment",
        "recommendations",
        "aws_bedrock",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "gateway",
        900,
        2400,
        500,
        interactive=False,
    ),
    W(
        "mobile-chat",
        "Mobile assistant chat",
        "mobile-assistant",
        "openai",
        "gpt-5-2025-08-07",
        "gateway",
        3200,
        4000,
        700,
        0.35,
        0.0,
        0.45,
    ),
    W(
        "code-review-agent",
        "Code review agent",
        "developer-productivity",
        "anthropic",
        "claude-sonnet-4-5-20250929",
        "gateway",
        1500,
        35000,
        1200,
        0.65,
        0.05,
        is_agent=True,
    ),
    W(
        "dev-copilot",
        "Developer copilot chat",
        "developer-productivity",
        "openai",
        "gpt-5-2025-08-07",
        "gateway",
        1500,
        9000,
        900,
        0.4,
        0.0,
        0.5,
    ),
    W("sql-assistant", "SQL assistant", "data-eng", "google_vertex", "gemini-2.5-flash", "gateway", 1100, 3500, 400, 0.3),
    W(
        "moderation-appeals",
        "Moderation appeals review",
        "trust-safety",
        "anthropic",
        "claude-haiku-4-5-20251001",
        "gateway",
        1600,
        1800,
        250,
        0.2,
        0.02,
    ),
    W(
        "sandbox-experiments",
        "Shared sandbox experiments",
        "ml-platform",
        "openai",
        "gpt-4o-2024-08-06",
        "gateway",
        500,
        2500,
        400,
        tag_share=0.0,
    ),
    # --- direct provider traffic (no gateway; attributed by key/project/workspace/account) ---
    W(
        "intent-router",
        "Intent router (fine-tuned)",
        "growth",
        "openai",
        "ft:gpt-4o-mini-2024-07-18:acme:intent-router:Xy12Ab34",
        "direct",
        5000,
        300,
        8,
    ),
    W(
        "growth-email-writer",
        "Lifecycle email writer",
        "growth",
        "openai",
        "gpt-4o-2024-08-06",
        "direct",
        600,
        1500,
        600,
        batch_share=0.7,
        interactive=False,
    ),
    W(
        "churn-insights",
        "Churn insight summaries",
        "customer-insights",
        "openai",
        "gpt-4.1-2025-04-14",
        "direct",
        400,
        30000,
        700,
        0.2,
        batch_share=0.5,
    ),
    W(
        "voice-of-customer",
        "Voice-of-customer tagging",
        "customer-insights",
        "anthropic",
        "claude-haiku-4-5-20251001",
        "direct",
        2500,
        1200,
        60,
        0.3,
        0.02,
        batch_share=0.4,
    ),
    W(
        "fraud-review-agent",
        "Fraud review agent",
        "trust-safety",
        "anthropic",
        "claude-sonnet-4-5-20250929",
        "direct",
        600,
        25000,
        700,
        0.5,
        0.05,
        is_agent=True,
    ),
    W(
        "content-moderation",
        "Content moderation",
        "trust-safety",
        "openai",
        "gpt-5-mini-2025-08-07",
        "direct",
        6000,
        900,
        40,
        0.1,
        0.0,
        0.3,
        interactive=False,
    ),
    W(
        "eval-harness",
        "Model evaluation harness",
        "ml-platform",
        "openai",
        "gpt-5-2025-08-07",
        "direct",
        1500,
        12000,
        1500,
        0.0,
        0.0,
        0.5,
        batch_share=0.7,
        priority_share=0.1,
        interactive=False,
    ),
    W(
        "embedding-refresh-summaries",
        "Doc summaries for embeddings",
        "ml-platform",
        "aws_bedrock",
        "amazon.nova-lite-v1:0",
        "direct",
        4000,
        1800,
        200,
        interactive=False,
    ),
    W(
        "research-assistant",
        "Research assistant",
        "ml-platform",
        "aws_bedrock",
        "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "direct",
        600,
        20000,
        900,
        0.3,
    ),
    W(
        "pipeline-doc-gen",
        "Pipeline documentation generator",
        "data-eng",
        "google_vertex",
        "gemini-2.5-flash",
        "direct",
        500,
        5000,
        800,
        interactive=False,
    ),
    W(
        "log-triage",
        "Log triage summaries",
        "data-eng",
        "azure_openai",
        "gpt-4o-mini-2024-07-18",
        "direct",
        3000,
        1600,
        120,
        interactive=False,
    ),
    W(
        "forecast-narratives",
        "Forecast narratives",
        "finance-ops",
        "google_vertex",
        "gemini-2.5-pro",
        "direct",
        60,
        12000,
        1500,
        0.0,
        0.0,
        0.3,
    ),
    W(
        "clause-extraction",
        "Clause extraction",
        "legal-ops",
        "azure_openai",
        "gpt-4o-2024-08-06",
        "direct",
        500,
        20000,
        500,
        batch_share=0.0,
    ),
    W("sales-call-notes", "Sales call notes", "sales-engineering", "openai", "gpt-4o-mini-2024-07-18", "direct", 900, 6000, 500, 0.2),
    W("shared-pool-misc", "Unowned pooled-key traffic", "", "openai", "gpt-4o-2024-08-06", "direct", 700, 2000, 350, 0.1),
    W(
        "kb-embeddings",
        "Knowledge-base embeddings",
        "support-automation",
        "openai",
        "text-embedding-3-small",
        "direct",
        9000,
        900,
        0,
        interactive=False,
        endpoint="embeddings",
    ),
]
WORKFLOW_BY_ID = {w.workflow_id: w for w in WORKFLOWS}


@dataclass(frozen=True)
class Account:
    """A billing identity: API key, project, workspace, AWS account, deployment or gateway key."""

    provider: str  # provider id, or "litellm" for gateway virtual keys
    account_type: str
    account_id: str
    owner_team_id: str = ""  # "" = no owner (pooled)
    owner_workflow_id: str = ""
    valid_from: str = "2024-01-01"
    valid_to: str = OPEN_END
    workflows: tuple[str, ...] = field(default_factory=tuple)  # workflows whose traffic uses it
    parent_id: str = ""  # project/workspace/account the key belongs to (gateway keys: the alias)
    environment: str = ""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def litellm_key_hash(alias: str) -> str:
    """LiteLLM stores the SHA-256 hex of the virtual key; the demo's keys are `sk-<alias>`."""
    return _sha(f"sk-{alias}")


# Gateway upstream accounts: all gateway traffic to a provider is billed on these.
GATEWAY_UPSTREAM = {
    "openai": ("project", "proj_llmgateway01"),
    "anthropic": ("workspace", "wrkspc_01LlmGateway00000000"),
    "aws_bedrock": ("aws_account", "210987654321"),
    "azure_openai": ("azure_resource", "aoai-gateway-eus2"),
    "google_vertex": ("gcp_project", "acme-llm-gateway"),
}

# Planted transfer: the sales-call-notes prod key moves from sales-engineering to growth (re-org).
KEY_TRANSFER_DATE = "2026-10-01"

DIRECT_PARENT = {
    "openai": ("project", "proj_{team}"),
    "anthropic": ("workspace", "wrkspc_01{team}"),
    "aws_bedrock": ("aws_account", "{team}"),
    "azure_openai": ("azure_resource", "aoai-{team}-eus2"),
    "google_vertex": ("gcp_project", "acme-{team}"),
}
AWS_ACCOUNTS = {"ml-platform": "345678901234", "data-eng": "456789012345"}


def _slug(text: str) -> str:
    return "".join(ch for ch in text.title() if ch.isalnum())


def build_accounts() -> list[Account]:
    accounts: list[Account] = []
    teams = sorted({t[0] for t in TEAMS})
    # Parent containers per team and provider (projects, workspaces, accounts, resources).
    for team in teams:
        for provider in PROVIDERS:
            users = [w for w in WORKFLOWS if w.team_id == team and w.provider == provider and w.route == "direct"]
            if not users and provider not in ("openai", "anthropic"):
                continue
            kind, pattern = DIRECT_PARENT[provider]
            parent = (
                AWS_ACCOUNTS.get(team, "")
                if provider == "aws_bedrock"
                else pattern.format(team=_slug(team) if provider == "anthropic" else team)
            )
            if not parent:
                continue
            accounts.append(Account(provider, kind, parent, team, workflows=tuple(w.workflow_id for w in users)))
    # Gateway upstream accounts belong to the platform team that runs the gateway.
    for provider, (kind, account_id) in GATEWAY_UPSTREAM.items():
        accounts.append(Account(provider, kind, account_id, "ml-platform"))
    # Pooled sandbox project with no owner at all.
    accounts.append(Account("openai", "project", "proj_sharedsandbox", ""))
    for w in WORKFLOWS:
        if w.route == "gateway":
            for env in ("prod", "staging", "dev"):
                alias = f"{w.workflow_id}-{env}"
                owner = "" if w.workflow_id == "sandbox-experiments" else w.team_id
                accounts.append(
                    Account(
                        "litellm",
                        "gateway_key",
                        litellm_key_hash(alias),
                        owner,
                        w.workflow_id if owner else "",
                        workflows=(w.workflow_id,),
                        parent_id=alias,
                        environment=env,
                    )
                )
            continue
        if w.workflow_id == "shared-pool-misc":
            for i in range(1, 4):
                accounts.append(
                    Account(
                        "openai",
                        "api_key",
                        f"key_SharedPool{i:02d}",
                        "",
                        workflows=(w.workflow_id,),
                        parent_id="proj_sharedsandbox",
                        environment="prod",
                    )
                )
            continue
        kind, pattern = DIRECT_PARENT[w.provider]
        parent = (
            AWS_ACCOUNTS[w.team_id]
            if w.provider == "aws_bedrock"
            else pattern.format(team=_slug(w.team_id) if w.provider == "anthropic" else w.team_id)
        )
        key_kind = {
            "openai": "api_key",
            "anthropic": "api_key",
            "aws_bedrock": "iam_role",
            "azure_openai": "azure_deployment",
            "google_vertex": "gcp_service_account",
        }[w.provider]
        for env in ("prod", "staging", "dev"):
            key_id = _direct_key_id(w, env)
            accounts.append(
                Account(
                    w.provider, key_kind, key_id, w.team_id, w.workflow_id, workflows=(w.workflow_id,), parent_id=parent, environment=env
                )
            )
    # Unused keys still exist (hygiene): one per team and provider, so the registry is realistic.
    for team in teams:
        accounts.append(Account("openai", "api_key", f"key_{_slug(team)}Legacy", team, parent_id=f"proj_{team}"))
        accounts.append(Account("anthropic", "api_key", f"apikey_01{_slug(team)}Legacy", team, parent_id=f"wrkspc_01{_slug(team)}"))
    return _apply_key_transfer(accounts)


def _direct_key_id(w: Workflow, env: str) -> str:
    slug = _slug(w.workflow_id)
    if w.provider == "openai":
        return f"key_{slug}{env.title()}"
    if w.provider == "anthropic":
        return f"apikey_01{slug}{env.title()}"
    if w.provider == "aws_bedrock":
        return f"arn:aws:iam::{AWS_ACCOUNTS[w.team_id]}:role/{w.workflow_id}-{env}"
    if w.provider == "azure_openai":
        return f"{w.workflow_id}-{env}"
    return f"{w.workflow_id}-{env}@acme-{w.team_id}.iam.gserviceaccount.com"


def _apply_key_transfer(accounts: list[Account]) -> list[Account]:
    """The sales-call-notes prod key changes hands mid-period (planted re-org)."""
    out = []
    moved = _direct_key_id(WORKFLOW_BY_ID["sales-call-notes"], "prod")
    for a in accounts:
        if a.account_id == moved:
            out.append(
                Account(
                    a.provider,
                    a.account_type,
                    a.account_id,
                    a.owner_team_id,
                    a.owner_workflow_id,
                    a.valid_from,
                    KEY_TRANSFER_DATE,
                    a.workflows,
                    a.parent_id,
                    a.environment,
                )
            )
            out.append(
                Account(
                    a.provider,
                    a.account_type,
                    a.account_id,
                    "growth",
                    a.owner_workflow_id,
                    KEY_TRANSFER_DATE,
                    OPEN_END,
                    a.workflows,
                    a.parent_id,
                    a.environment,
                )
            )
        else:
            out.append(a)
    return out


def keys_for_workflow(accounts: list[Account], workflow_id: str) -> list[Account]:
    """Distinct key-level accounts a workflow's requests use (first effective row per key)."""
    seen: dict[str, Account] = {}
    for a in accounts:
        if workflow_id in a.workflows and a.account_type not in ("project", "workspace", "aws_account", "azure_resource", "gcp_project"):
            seen.setdefault(a.account_id, a)
    return list(seen.values())
