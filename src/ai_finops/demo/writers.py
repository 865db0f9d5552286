"""Writers that turn the simulated requests into each source's real raw shape.

Shapes follow ../shared/reference/provider-formats.md field for field. Each writer returns the
files it wrote, so the generator can list them in the manifest.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ai_finops.demo.company import GATEWAY_UPSTREAM, LITELLM_PROVIDER, Account
from ai_finops.demo.simulate import MODALITY_COLUMNS

GATEWAY_UPSTREAM_KEY = {
    "openai": "key_LlmGatewayUpstream",
    "anthropic": "apikey_01LlmGatewayUpstream",
    "aws_bedrock": "arn:aws:sts::210987654321:assumed-role/litellm-gateway/gw-1",
    "azure_openai": "gateway",
    "google_vertex": "litellm-gateway@acme-llm-gateway.iam.gserviceaccount.com",
}
SERVICE_TIER_OPENAI = {"standard": "default", "batch": "default", "priority": "priority", "flex": "flex"}
COMPONENTS = [  # (token column, rate column, OpenAI line-item word)
    ("uncached_input_tokens", "input", "input"),
    ("cache_read_tokens", "cache_read", "cached input"),
    ("cache_write_5m_tokens", "cache_write_5m", "cache write"),
    ("output_tokens", "output", "output"),
]
FINE_TUNE_RATES = {"input": 0.30e-6, "cache_read": 0.15e-6, "cache_write_5m": 0.30e-6, "output": 1.20e-6}
# OpenAI bills the text part of each token type and its audio/image parts as their own line items
# (price_requests adds the text_* columns: the parent minus its audio/image subsets).
OPENAI_COMPONENTS = [
    ("text_uncached_input_tokens", "input", "input"),
    ("text_cache_read_tokens", "cache_read", "cached input"),
    ("cache_write_5m_tokens", "cache_write_5m", "cache write"),
    ("text_output_tokens", "output", "output"),
    ("input_audio_tokens", "input_audio", "audio input"),
    ("cache_read_audio_tokens", "cache_read_audio", "cached audio input"),
    ("output_audio_tokens", "output_audio", "audio output"),
    ("input_image_tokens", "input_image", "image input"),
    ("cache_read_image_tokens", "cache_read_image", "cached image input"),
    ("output_image_tokens", "output_image", "image output"),
]


def stable_int(*parts) -> int:
    """Deterministic across processes (Python's hash() of str is salted per process)."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:15], 16)


def _epoch(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def _iso(d: date) -> str:
    return f"{d.isoformat()}T00:00:00Z"


def _dump(path: Path, obj) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, separators=(",", ":")))
    return path


def _component_costs(df: pd.DataFrame, components: list = COMPONENTS) -> pd.DataFrame:
    """Provider-billed cost of each token component; the fine-tune uses the provider's own rates
    (it has no audio/image tokens)."""
    df = df.copy()
    for tokens, rate, _ in components:
        provider_rate = df[f"rate_{rate}"].fillna(FINE_TUNE_RATES.get(rate, 0.0))
        df[f"cost_{rate}"] = df[tokens] * provider_rate * df["discount_factor"]
    return df


def account_parents(accounts: list[Account]) -> dict[str, str]:
    return {a.account_id: a.parent_id for a in accounts if a.parent_id}


def _with_billing_identity(df: pd.DataFrame, provider: str, parents: dict[str, str]) -> pd.DataFrame:
    """Container (project/workspace/account/resource) and key as the provider's export shows them."""
    df = df.copy()
    gateway = df["route"] == "gateway"
    df["container_id"] = df["key_id"].map(parents)
    df.loc[gateway, "container_id"] = GATEWAY_UPSTREAM[provider][1]
    df["provider_key_id"] = df["key_id"]
    df.loc[gateway, "provider_key_id"] = GATEWAY_UPSTREAM_KEY[provider]
    return df


def _weekly_pages(days: list[date], buckets_by_day: dict[date, list], out_dir: Path, start_key: str, end_key: str, to_ts) -> list[Path]:
    """Pages of 7 one-day buckets (the APIs' default limit), chained with next_page cursors."""
    files = []
    for i in range(0, len(days), 7):
        window = days[i : i + 7]
        more = i + 7 < len(days)
        page = {
            "object": "page",
            "data": [
                {"object": "bucket", start_key: to_ts(d), end_key: to_ts(d + timedelta(days=1)), "results": buckets_by_day.get(d, [])}
                for d in window
            ],
            "has_more": more,
            "next_page": f"page_{days[i + 7].strftime('%Y%m%d')}" if more else None,
        }
        files.append(_dump(out_dir / f"{window[0].isoformat()}_{window[-1].isoformat()}.json", page))
    return files


def write_openai(
    df: pd.DataFrame, days: list[date], parents: dict[str, str], out: Path, unit_cost_lines: dict[date, list[dict]] | None = None
) -> list[Path]:
    """Usage API pages and Costs API pages; ``unit_cost_lines`` (openai_other.unit_cost_lines) are the
    day's Costs API lines for images, audio and tools, billed in the same buckets as the token lines."""
    o = _component_costs(_with_billing_identity(df[(df["provider"] == "openai") & df["is_billable"]], "openai", parents), OPENAI_COMPONENTS)
    o["batch"] = o["service_tier"] == "batch"
    o["api_service_tier"] = o["service_tier"].map(SERVICE_TIER_OPENAI)
    files = _write_openai_embeddings(o[o["endpoint"] == "embeddings"], days, out)
    completions = o[o["endpoint"] != "embeddings"]
    usage = completions.groupby(
        ["usage_date", "container_id", "provider_key_id", "model", "batch", "api_service_tier"], as_index=False
    ).agg(
        input_tokens=("input_tokens", "sum"),
        input_cached_tokens=("cache_read_tokens", "sum"),
        input_cache_write_tokens=("cache_write_5m_tokens", "sum"),
        output_tokens=("output_tokens", "sum"),
        input_audio_tokens=("input_audio_tokens", "sum"),
        input_cached_audio_tokens=("cache_read_audio_tokens", "sum"),
        output_audio_tokens=("output_audio_tokens", "sum"),
        input_image_tokens=("input_image_tokens", "sum"),
        input_cached_image_tokens=("cache_read_image_tokens", "sum"),
        output_image_tokens=("output_image_tokens", "sum"),
        num_model_requests=("input_tokens", "size"),
    )
    buckets: dict[date, list] = {}
    for r in usage.itertuples(index=False):
        uncached = int(r.input_tokens - r.input_cached_tokens - r.input_cache_write_tokens)
        buckets.setdefault(r.usage_date, []).append(
            {
                "object": "organization.usage.completions.result",
                "input_tokens": int(r.input_tokens),
                "input_cached_tokens": int(r.input_cached_tokens),
                "output_tokens": int(r.output_tokens),
                "input_audio_tokens": int(r.input_audio_tokens),
                "output_audio_tokens": int(r.output_audio_tokens),
                "num_model_requests": int(r.num_model_requests),
                "input_cache_write_tokens": int(r.input_cache_write_tokens),
                "input_uncached_tokens": uncached,
                "input_text_tokens": uncached - int(r.input_audio_tokens + r.input_image_tokens),
                "output_text_tokens": int(r.output_tokens - r.output_audio_tokens - r.output_image_tokens),
                "input_cached_text_tokens": int(r.input_cached_tokens - r.input_cached_audio_tokens - r.input_cached_image_tokens),
                "input_cached_audio_tokens": int(r.input_cached_audio_tokens),
                "input_image_tokens": int(r.input_image_tokens),
                "input_cached_image_tokens": int(r.input_cached_image_tokens),
                "output_image_tokens": int(r.output_image_tokens),
                "project_id": r.container_id,
                "user_id": None,
                "api_key_id": r.provider_key_id,
                "model": r.model,
                "batch": bool(r.batch),
                "service_tier": r.api_service_tier,
            }
        )
    completion_files = _weekly_pages(days, buckets, out / "openai" / "usage_completions", "start_time", "end_time", _epoch)
    files += completion_files
    # Planted: one page re-extracted and re-delivered under another name (same buckets, new cursor).
    original = completion_files[min(6, len(completion_files) - 1)]
    redelivered = json.loads(original.read_text())
    redelivered["next_page"] = (redelivered["next_page"] or "") + "_r2"
    files.append(_dump(original.with_name(original.stem + "_redelivered.json"), redelivered))

    prefix = {"standard": "", "batch": "batch ", "priority": "priority ", "flex": "flex "}
    rows = []
    for tokens, rate, word in OPENAI_COMPONENTS:
        part = o.groupby(["usage_date", "container_id", "model", "service_tier"], as_index=False).agg(
            quantity=(tokens, "sum"), amount=(f"cost_{rate}", "sum")
        )
        part["line_item"] = part["model"] + ", " + part["service_tier"].map(prefix) + word
        rows.append(part[part["quantity"] > 0])
    costs = pd.concat(rows).sort_values(["usage_date", "container_id", "line_item"])
    cost_buckets: dict[date, list] = {}
    for r in costs.itertuples(index=False):
        cost_buckets.setdefault(r.usage_date, []).append(
            {
                "object": "organization.costs.result",
                "amount": {"value": round(float(r.amount), 10), "currency": "usd"},
                "line_item": r.line_item,
                "project_id": r.container_id,
                "api_key_id": None,
                "quantity": float(r.quantity),
                "quantity_unit": "tokens",
            }
        )
    for day, unit_lines in sorted((unit_cost_lines or {}).items()):
        cost_buckets.setdefault(day, []).extend(unit_lines)
    files += _weekly_pages(days, cost_buckets, out / "openai" / "costs", "start_time", "end_time", _epoch)
    return files


def _write_openai_embeddings(e: pd.DataFrame, days: list[date], out: Path) -> list[Path]:
    """`/v1/organization/usage/embeddings`: input tokens and requests only (no batch/tier group-by)."""
    usage = e.groupby(["usage_date", "container_id", "provider_key_id", "model"], as_index=False).agg(
        input_tokens=("input_tokens", "sum"), num_model_requests=("input_tokens", "size")
    )
    buckets: dict[date, list] = {}
    for r in usage.itertuples(index=False):
        buckets.setdefault(r.usage_date, []).append(
            {
                "object": "organization.usage.embeddings.result",
                "input_tokens": int(r.input_tokens),
                "num_model_requests": int(r.num_model_requests),
                "project_id": r.container_id,
                "user_id": None,
                "api_key_id": r.provider_key_id,
                "model": r.model,
            }
        )
    return _weekly_pages(days, buckets, out / "openai" / "usage_embeddings", "start_time", "end_time", _epoch)


ANTHROPIC_DESCRIPTION = {
    "claude-sonnet-4-5-20250929": "Claude Sonnet 4.5",
    "claude-haiku-4-5-20251001": "Claude Haiku 4.5",
    "claude-opus-4-1-20250805": "Claude Opus 4.1",
}
ANTHROPIC_TOKEN_TYPES = [  # (token column, rate, report token_type, description suffix)
    ("uncached_input_tokens", "input", "uncached_input_tokens", "Input Tokens"),
    ("cache_read_tokens", "cache_read", "cache_read_input_tokens", "Cache Read Input Tokens"),
    ("cache_write_5m_tokens", "cache_write_5m", "cache_creation.ephemeral_5m_input_tokens", "Cache Write 5m Input Tokens"),
    ("output_tokens", "output", "output_tokens", "Output Tokens"),
]


def write_anthropic(df: pd.DataFrame, days: list[date], parents: dict[str, str], out: Path) -> list[Path]:
    a = _component_costs(_with_billing_identity(df[(df["provider"] == "anthropic") & df["is_billable"]], "anthropic", parents))
    a["context_window"] = np.where(a["input_tokens"] > 200_000, "200k-1M", "0-200k")
    usage = a.groupby(["usage_date", "provider_key_id", "container_id", "model", "service_tier", "context_window"], as_index=False).agg(
        uncached=("uncached_input_tokens", "sum"),
        cw5=("cache_write_5m_tokens", "sum"),
        cw1=("cache_write_1h_tokens", "sum"),
        cr=("cache_read_tokens", "sum"),
        out=("output_tokens", "sum"),
    )
    buckets: dict[date, list] = {}
    for r in usage.itertuples(index=False):
        buckets.setdefault(r.usage_date, []).append(
            {
                "uncached_input_tokens": int(r.uncached),
                "cache_creation": {"ephemeral_5m_input_tokens": int(r.cw5), "ephemeral_1h_input_tokens": int(r.cw1)},
                "cache_read_input_tokens": int(r.cr),
                "output_tokens": int(r.out),
                "server_tool_use": {"web_search_requests": 0},
                "api_key_id": r.provider_key_id,
                "workspace_id": r.container_id,
                "model": r.model,
                "service_tier": r.service_tier,
                "context_window": r.context_window,
            }
        )
    files = _anthropic_pages(days, buckets, out / "anthropic" / "usage_report_messages")
    cost_rows: dict[date, list] = {}
    for tokens, rate, token_type, suffix in ANTHROPIC_TOKEN_TYPES:
        part = a.groupby(["usage_date", "container_id", "model", "service_tier", "context_window"], as_index=False).agg(
            q=(tokens, "sum"), amount=(f"cost_{rate}", "sum")
        )
        for r in part[part["q"] > 0].itertuples(index=False):
            cost_rows.setdefault(r.usage_date, []).append(
                {
                    "amount": f"{r.amount * 100:.6f}",  # cents, as a decimal string
                    "currency": "USD",
                    "cost_type": "tokens",
                    "description": f"{ANTHROPIC_DESCRIPTION[r.model]} Usage - {suffix}",
                    "model": r.model,
                    "token_type": token_type,
                    "service_tier": r.service_tier,
                    "context_window": r.context_window,
                    "workspace_id": r.container_id,
                }
            )
    files += _anthropic_pages(days, cost_rows, out / "anthropic" / "cost_report")
    return files


def _anthropic_pages(days, buckets, out_dir: Path) -> list[Path]:
    files = []
    for i in range(0, len(days), 7):
        window = days[i : i + 7]
        more = i + 7 < len(days)
        page = {
            "data": [{"starting_at": _iso(d), "ending_at": _iso(d + timedelta(days=1)), "results": buckets.get(d, [])} for d in window],
            "has_more": more,
            "next_page": f"page_{days[i + 7].strftime('%Y%m%d')}" if more else None,
        }
        files.append(_dump(out_dir / f"{window[0].isoformat()}_{window[-1].isoformat()}.json", page))
    return files


BEDROCK_USAGE_MODEL = {
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0": ("Claude4.5Sonnet", ""),
    "global.anthropic.claude-sonnet-4-5-20250929-v1:0": ("Claude4.5Sonnet", "-cross-region-global"),
    "amazon.nova-lite-v1:0": ("Nova1.0Lite", ""),
}
BEDROCK_TOKEN_CLASSES = [  # (tokens, rate, first-party suffix, Marketplace count name)
    ("uncached_input_tokens", "input", "input-tokens", "InputTokenCount"),
    ("cache_read_tokens", "cache_read", "cache-read-input-token-count", "CacheReadInputTokenCount"),
    ("cache_write_5m_tokens", "cache_write_5m", "cache-write-input-token-count", "CacheWriteInputTokenCount"),
    ("output_tokens", "output", "output-tokens", "OutputTokenCount"),
]
# CUR usage types start with the region's billing code.
BEDROCK_REGION_CODE = {"us-east-1": "USE1", "us-gov-west-1": "UGW1"}
# Claude on Bedrock was billed as AWS Marketplace usage before this date (second usage-type family).
BEDROCK_FIRST_PARTY_FROM = date(2026, 9, 1)


def write_bedrock(df: pd.DataFrame, parents: dict[str, str], out: Path, con: duckdb.DuckDBPyConnection) -> list[Path]:
    b = _component_costs(_with_billing_identity(df[(df["provider"] == "aws_bedrock") & df["is_billable"]], "aws_bedrock", parents))
    direct = b["route"] == "direct"
    b.loc[direct, "provider_key_id"] = (
        b.loc[direct, "key_id"].str.replace(":iam::", ":sts::").str.replace(":role/", ":assumed-role/") + "/session"
    )
    rows = []
    for tokens, rate, klass, marketplace_count in BEDROCK_TOKEN_CLASSES:
        part = b.groupby(
            ["usage_date", "container_id", "provider_key_id", "model", "workflow_id", "team_id", "region"], as_index=False
        ).agg(q=(tokens, "sum"), cost=(f"cost_{rate}", "sum"))
        part = part[part["q"] > 0]
        for r in part.itertuples(index=False):
            model_code, suffix = BEDROCK_USAGE_MODEL[r.model]
            code = BEDROCK_REGION_CODE[r.region]
            marketplace = "Claude" in model_code and r.usage_date < BEDROCK_FIRST_PARTY_FROM
            if marketplace:
                usage_type = f"{code}-MP:{code}_{marketplace_count}{'_Global' if suffix else ''}-Units"
            else:
                usage_type = f"{code}-{model_code}-{klass}{suffix}"
            line_key = (r.usage_date, r.provider_key_id, r.model, klass) + (() if r.region == "us-east-1" else (r.region,))
            rows.append(
                {
                    "identity_line_item_id": f"li-{stable_int(*line_key) % 10**12:012d}",
                    "identity_time_interval": f"{_iso(r.usage_date)}/{_iso(r.usage_date + timedelta(days=1))}",
                    "bill_billing_period_start_date": f"{r.usage_date.replace(day=1).isoformat()}T00:00:00Z",
                    "bill_payer_account_id": "111122223333",
                    "line_item_usage_account_id": r.container_id,
                    "line_item_line_item_type": "Usage",
                    "line_item_usage_start_date": _iso(r.usage_date),
                    "line_item_usage_end_date": _iso(r.usage_date + timedelta(days=1)),
                    "line_item_product_code": "" if marketplace else "AmazonBedrock",
                    "line_item_usage_type": usage_type,
                    "line_item_operation": "InvokeModelInference",
                    "line_item_resource_id": r.model,
                    "line_item_usage_amount": round(r.q / 1e6, 9),
                    "pricing_unit": "Units",
                    "line_item_unblended_rate": round(r.cost / (r.q / 1e6), 6),
                    "line_item_unblended_cost": round(r.cost, 10),
                    "line_item_net_unblended_cost": round(r.cost, 10),
                    "line_item_currency_code": "USD",
                    "line_item_line_item_description": f"Amazon Bedrock {model_code} {klass}",
                    "product_region_code": r.region,
                    "line_item_iam_principal": r.provider_key_id,
                    "resource_tags": json.dumps(
                        {"user_team": r.team_id} if r.container_id != GATEWAY_UPSTREAM["aws_bedrock"][1] else {"user_team": "ml-platform"}
                    ),
                }
            )
    cur = pd.DataFrame(rows)
    files = []
    for period, part in cur.groupby("bill_billing_period_start_date"):
        path = out / "aws_bedrock" / "cur" / f"BILLING_PERIOD={period[:7]}" / "acme-ai-cur-00001.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        part.to_csv(path, index=False)
        files.append(path)
    # Model invocation logs are enabled on the team accounts (direct traffic), one object per call.
    logs = b[direct][
        [
            "started_at_ms",
            "container_id",
            "provider_key_id",
            "model",
            "uncached_input_tokens",
            "cache_read_tokens",
            "cache_write_5m_tokens",
            "output_tokens",
            "team_id",
            "workflow_id",
            "request_seq",
            "usage_date",
            "region",
        ]
    ]
    con.register("bedrock_calls", logs)
    log_dir = out / "aws_bedrock" / "invocation_logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    con.execute(f"""
        copy (
            select
                'ModelInvocationLog' as "schemaType",
                '1.0' as "schemaVersion",
                strftime(make_timestamp(started_at_ms * 1000), '%Y-%m-%dT%H:%M:%S.%gZ') as "timestamp",
                container_id as "accountId",
                {{'arn': provider_key_id}} as identity,
                region,
                case when model like 'global.%' then 'us-west-2' else region end as "inferenceRegion",
                regexp_replace(md5('req' || request_seq::varchar), '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\\1-\\2-\\3-\\4-\\5') as "requestId",
                'Converse' as operation,
                model as "modelId",
                {{'inputContentType': 'application/json', 'inputTokenCount': uncached_input_tokens::bigint,
                  'cacheReadInputTokenCount': cache_read_tokens::bigint, 'cacheWriteInputTokenCount': cache_write_5m_tokens::bigint}} as input,
                {{'outputContentType': 'application/json', 'outputTokenCount': output_tokens::bigint}} as output,
                {{'team': team_id, 'workflow': workflow_id}} as "requestMetadata",
                strftime(usage_date, '%Y-%m-%d') as log_date
            from bedrock_calls
            order by started_at_ms
        ) to '{log_dir}' (format json, partition_by (log_date), overwrite_or_ignore true)
    """)
    files += sorted(log_dir.rglob("*.json"))
    return files


AZURE_METER_MODEL = {"gpt-4o-2024-08-06": "gpt-4o-0806", "gpt-4o-mini-2024-07-18": "gpt-4o-mini-0718"}
AZURE_COMPONENTS = [
    ("uncached_input_tokens", "input", "Inp"),
    ("cache_read_tokens", "cache_read", "cached-Inp"),
    ("output_tokens", "output", "Outp"),
]
# From this date the export uses the newer meter grammar (`4o 0806 inp Gl 1M Tokens`), UnitOfMeasure
# 1M, and Quantity in tokens rather than in blocks (the two identities staging must tell apart).
AZURE_NEW_METERS_FROM = date(2026, 10, 1)
AZURE_NEW_METER_MODEL = {"gpt-4o-2024-08-06": "4o 0806", "gpt-4o-mini-2024-07-18": "4o-mini 0718"}
AZURE_NEW_WORDS = {"Inp": "inp", "cached-Inp": "cd inp", "Outp": "opt"}
# The meter's deployment word (old grammar `...-glbl Tokens` / `...-DZone Tokens`, new `... Gl 1M` / `... Dz 1M`).
AZURE_DEPLOYMENT_WORDS = {"global": ("glbl", "Gl"), "data_zone": ("DZone", "Dz")}


def write_azure(df: pd.DataFrame, parents: dict[str, str], out: Path) -> list[Path]:
    z = _component_costs(_with_billing_identity(df[(df["provider"] == "azure_openai") & df["is_billable"]], "azure_openai", parents))
    sub = "0b1c2d3e-aaaa-bbbb-cccc-111122223333"
    rows = []
    for tokens, rate, word in AZURE_COMPONENTS:
        part = z.groupby(["usage_date", "container_id", "model", "region", "deployment_type"], as_index=False).agg(
            q=(tokens, "sum"), cost=(f"cost_{rate}", "sum"), team=("team_id", "first")
        )
        for r in part[part["q"] > 0].itertuples(index=False):
            gateway = r.container_id == GATEWAY_UPSTREAM["azure_openai"][1]
            rg = "rg-ai-platform" if gateway else f"rg-ai-{r.team}"
            old_word, new_word = AZURE_DEPLOYMENT_WORDS[r.deployment_type]
            if r.usage_date >= AZURE_NEW_METERS_FROM:
                meter, unit, quantity, block = (
                    f"{AZURE_NEW_METER_MODEL[r.model]} {AZURE_NEW_WORDS[word]} {new_word} 1M Tokens",
                    "1M",
                    float(r.q),
                    1_000_000,
                )
            else:
                meter, unit, quantity, block = f"{AZURE_METER_MODEL[r.model]}-{word}-{old_word} Tokens", "1K", r.q / 1000, 1000
            rows.append(
                {
                    "Date": r.usage_date.isoformat(),
                    "SubscriptionId": sub,
                    "SubscriptionName": "acme-ai-prod",
                    "ResourceGroup": rg,
                    "ResourceId": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{r.container_id}",
                    "ResourceLocation": r.region,
                    "ConsumedService": "Microsoft.CognitiveServices",
                    "MeterCategory": "Foundry Models" if r.usage_date >= date(2026, 9, 1) else "Cognitive Services",
                    "MeterSubCategory": "Azure OpenAI",
                    "MeterName": meter,
                    "ProductName": "Azure OpenAI",
                    "UnitOfMeasure": unit,
                    "Quantity": round(quantity, 6),
                    # price per UnitOfMeasure block
                    "EffectivePrice": round(r.cost / (r.q / block), 8),
                    "CostInBillingCurrency": round(r.cost, 10),
                    "BillingCurrency": "USD",
                    "ChargeType": "Usage",
                    "PricingModel": "OnDemand",
                    "Tags": f'"team": "{"ml-platform" if gateway else r.team}","env": "prod"',
                }
            )
    cost = pd.DataFrame(rows)
    files = []
    for month, part in cost.groupby(cost["Date"].str[:7]):
        path = out / "azure" / "cost_details" / f"acme-ai-actualcost-{month}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        part.to_csv(path, index=False)
        files.append(path)
    return files


GCP_SKU_MODEL = {"gemini-2.5-pro": "Gemini 2.5 Pro", "gemini-2.5-flash": "Gemini 2.5 Flash"}
# One SKU per model x modality x class (provider-formats 5.2): the text part of each token type on the
# Text SKUs (thinking is its own output SKU), audio/image parts on their own SKUs at their own rates.
GCP_COMPONENTS = [
    ("text_uncached_input_tokens", "input", "Text Input"),
    ("text_cache_read_tokens", "cache_read", "Input Text Caching"),
    ("visible_text_output_tokens", "output", "Text Output"),
    ("reasoning_tokens", "output", "Thinking Text Output"),
    ("input_audio_tokens", "input_audio", "Audio Input"),
    ("cache_read_audio_tokens", "cache_read_audio", "Input Audio Caching"),
    ("output_audio_tokens", "output_audio", "Audio Output"),
    ("input_image_tokens", "input_image", "Image Input"),
    ("cache_read_image_tokens", "cache_read_image", "Input Image Caching"),
    ("output_image_tokens", "output_image", "Image Output"),
]


def write_gcp(df: pd.DataFrame, parents: dict[str, str], out: Path) -> list[Path]:
    g = _with_billing_identity(df[(df["provider"] == "google_vertex") & df["is_billable"]], "google_vertex", parents)
    g["hour"] = (g["started_at_ms"] // 3_600_000) * 3600
    # thinking tokens are text output, billed on their own SKU
    g["visible_text_output_tokens"] = g["text_output_tokens"] - g["reasoning_tokens"]
    components = []
    for i, (tokens, rate, words) in enumerate(GCP_COMPONENTS):
        g[f"cost_{i}"] = g[tokens] * g[f"rate_{rate}"] * g["discount_factor"]
        components.append((tokens, f"cost_{i}", words))
    lines = []
    for tokens, cost_col, words in components:
        part = g.groupby(["hour", "container_id", "model", "context_tier", "service_tier", "team_id"], as_index=False).agg(
            q=(tokens, "sum"), cost=(cost_col, "sum")
        )
        for r in part[part["q"] > 0].itertuples(index=False):
            start = datetime.fromtimestamp(r.hour, tz=UTC)
            long_flag = " (Long)" if r.context_tier == "long" else ""
            mode = "Batch Predictions" if r.service_tier == "batch" else "Predictions"
            gateway = r.container_id == GATEWAY_UPSTREAM["google_vertex"][1]
            credit = (
                []
                if gateway
                else [
                    {
                        "name": "Committed use discount",
                        "amount": round(-0.05 * r.cost, 10),
                        "full_name": None,
                        "id": "cud-2026-ai",
                        "type": "COMMITTED_USAGE_DISCOUNT",
                    }
                ]
            )
            lines.append(
                {
                    "billing_account_id": "01A2B3-C4D5E6-F7A8B9",
                    "invoice": {"month": start.strftime("%Y%m")},
                    "cost_type": "regular",
                    "service": {"id": "C7E2-9256-1C43", "description": "Vertex AI"},
                    "sku": {
                        "id": f"SKU-{stable_int(r.model, words, long_flag, mode) % 10**8:08d}",
                        "description": f"{GCP_SKU_MODEL[r.model]} {words}{long_flag} - {mode}",
                    },
                    "usage_start_time": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "usage_end_time": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "project": {
                        "id": r.container_id,
                        "number": str(stable_int(r.container_id) % 10**12),
                        "name": r.container_id,
                        "labels": [{"key": "team", "value": "ml-platform" if gateway else r.team_id}],
                    },
                    "labels": [],
                    "location": {"location": "us-central1", "country": "US", "region": "us-central1", "zone": None},
                    "export_time": (start + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    "cost": round(r.cost, 10),
                    "currency": "USD",
                    "currency_conversion_rate": 1.0,
                    "usage": {"amount": float(r.q), "unit": "count", "amount_in_pricing_units": float(r.q), "pricing_unit": "count"},
                    "credits": credit,
                }
            )
    files = []
    by_day: dict[str, list] = {}
    for line in lines:
        by_day.setdefault(line["usage_start_time"][:10], []).append(line)
    for day, day_lines in sorted(by_day.items()):
        path = out / "gcp" / "billing_export" / f"gcp_billing_export_v1_{day}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(json.dumps(x, separators=(",", ":")) for x in day_lines) + "\n")
        files.append(path)
    return files


GEMINI_LOGGED_WORKFLOWS = ("forecast-narratives", "pipeline-doc-gen")


def write_gemini_usage_metadata(df: pd.DataFrame, out: Path, con: duckdb.DuckDBPyConnection) -> list[Path]:
    """generateContent responses logged by two direct Vertex apps: usageMetadata as the API returns it."""
    g = df[df["workflow_id"].isin(GEMINI_LOGGED_WORKFLOWS) & df["is_billable"]]
    g = g[
        [
            "started_at_ms",
            "request_seq",
            "model",
            "input_tokens",
            "cache_read_tokens",
            "output_tokens",
            "reasoning_tokens",
            "usage_date",
            *MODALITY_COLUMNS,
        ]
    ]
    con.register("gemini_calls", g)
    folder = out / "gcp" / "gemini_usage_metadata"
    folder.mkdir(parents=True, exist_ok=True)
    con.execute(f"""
        copy (
            select
                md5('resp' || request_seq::varchar) as "responseId",
                strftime(make_timestamp(started_at_ms * 1000), '%Y-%m-%dT%H:%M:%S.%gZ') as "createTime",
                model as "modelVersion",
                {{
                    'promptTokenCount': input_tokens::bigint,
                    'cachedContentTokenCount': cache_read_tokens::bigint,
                    -- candidates exclude thoughts; thoughts are billed as output
                    'candidatesTokenCount': (output_tokens - reasoning_tokens)::bigint,
                    'thoughtsTokenCount': reasoning_tokens::bigint,
                    'toolUsePromptTokenCount': 0,
                    'totalTokenCount': (input_tokens + output_tokens)::bigint,
                    -- ModalityTokenCount[] per part; AUDIO/IMAGE entries only where the call had them
                    'promptTokensDetails': list_concat(
                        [{{'modality': 'TEXT', 'tokenCount': (input_tokens - input_audio_tokens - cache_read_audio_tokens
                            - input_image_tokens - cache_read_image_tokens)::bigint}}],
                        case when input_audio_tokens + cache_read_audio_tokens > 0 then [{{'modality': 'AUDIO',
                            'tokenCount': (input_audio_tokens + cache_read_audio_tokens)::bigint}}] end,
                        case when input_image_tokens + cache_read_image_tokens > 0 then [{{'modality': 'IMAGE',
                            'tokenCount': (input_image_tokens + cache_read_image_tokens)::bigint}}] end),
                    'cacheTokensDetails': case when cache_read_tokens > 0 then list_concat(
                        [{{'modality': 'TEXT', 'tokenCount': (cache_read_tokens - cache_read_audio_tokens - cache_read_image_tokens)::bigint}}],
                        case when cache_read_audio_tokens > 0 then [{{'modality': 'AUDIO', 'tokenCount': cache_read_audio_tokens::bigint}}] end,
                        case when cache_read_image_tokens > 0 then [{{'modality': 'IMAGE', 'tokenCount': cache_read_image_tokens::bigint}}] end)
                        end,
                    'candidatesTokensDetails': list_concat(
                        [{{'modality': 'TEXT', 'tokenCount': (output_tokens - reasoning_tokens - output_audio_tokens - output_image_tokens)::bigint}}],
                        case when output_audio_tokens > 0 then [{{'modality': 'AUDIO', 'tokenCount': output_audio_tokens::bigint}}] end,
                        case when output_image_tokens > 0 then [{{'modality': 'IMAGE', 'tokenCount': output_image_tokens::bigint}}] end)
                }} as "usageMetadata",
                strftime(usage_date, '%Y-%m-%d') as log_date
            from gemini_calls
            order by started_at_ms
        ) to '{folder}' (format json, partition_by (log_date), overwrite_or_ignore true)
    """)
    return sorted(folder.rglob("*.json"))


OTEL_WORKFLOWS = {"fraud-review-agent": "current", "voice-of-customer": "legacy"}


def write_otel(df: pd.DataFrame, out: Path, con: duckdb.DuckDBPyConnection) -> list[Path]:
    """GenAI client spans from two instrumented services: one on current semconv, one on the old names."""
    s = df[df["workflow_id"].isin(list(OTEL_WORKFLOWS)) & df["is_billable"]]
    s = s[
        [
            "started_at_ms",
            "request_seq",
            "workflow_id",
            "model",
            "input_tokens",
            "cache_read_tokens",
            "cache_write_5m_tokens",
            "output_tokens",
            "usage_date",
            "is_agent",
        ]
    ].copy()
    s["convention"] = s["workflow_id"].map(OTEL_WORKFLOWS)
    con.register("otel_calls", s)
    span_dir = out / "otel" / "genai_spans"
    span_dir.mkdir(parents=True, exist_ok=True)
    con.execute(f"""
        copy (
            select
                'chat ' || model as name,
                'SPAN_KIND_CLIENT' as kind,
                md5('trace' || request_seq::varchar) as "traceId",
                substr(md5('span' || request_seq::varchar), 1, 16) as "spanId",
                (started_at_ms * 1000000)::varchar as "startTimeUnixNano",
                ((started_at_ms + 1500 + output_tokens * 20) * 1000000)::varchar as "endTimeUnixNano",
                case when convention = 'current' then to_json({{
                    'gen_ai.operation.name': 'chat',
                    'gen_ai.provider.name': 'anthropic',
                    'gen_ai.request.model': regexp_replace(model, '-[0-9]{{8}}$', ''),
                    'gen_ai.response.model': model,
                    'gen_ai.response.id': 'msg_' || substr(md5(request_seq::varchar), 1, 24),
                    'gen_ai.usage.input_tokens': input_tokens::bigint,
                    'gen_ai.usage.cache_read.input_tokens': cache_read_tokens::bigint,
                    'gen_ai.usage.cache_creation.input_tokens': cache_write_5m_tokens::bigint,
                    'gen_ai.usage.output_tokens': output_tokens::bigint,
                    'gen_ai.conversation.id': 'conv_' || substr(md5((request_seq // 6)::varchar), 1, 20),
                    'gen_ai.agent.name': 'Fraud Review',
                    'gen_ai.agent.id': workflow_id,
                    'server.address': 'api.anthropic.com'}})
                else to_json({{
                    'gen_ai.operation.name': 'chat',
                    'gen_ai.system': 'anthropic',
                    'gen_ai.request.model': model,
                    'gen_ai.response.model': model,
                    'gen_ai.usage.prompt_tokens': (input_tokens - cache_read_tokens - cache_write_5m_tokens)::bigint,
                    'gen_ai.usage.completion_tokens': output_tokens::bigint,
                    'service.name': workflow_id,
                    'server.address': 'api.anthropic.com'}})
                end as attributes,
                strftime(usage_date, '%Y-%m-%d') as span_date
            from otel_calls
            order by started_at_ms
        ) to '{span_dir}' (format json, partition_by (span_date), overwrite_or_ignore true)
    """)
    return sorted(span_dir.rglob("*.json"))


LATE_DAY = date(2026, 10, 27)
REDELIVERED_DAY = date(2026, 9, 20)


def write_litellm(df: pd.DataFrame, accounts: list[Account], out: Path, con: duckdb.DuckDBPyConnection, seed: int) -> list[Path]:
    """LiteLLM_SpendLogs rows for every request the gateway logged, as daily parquet exports."""
    g = df[df["is_logged_by_gateway"]][
        [
            "request_seq",
            "started_at_ms",
            "workflow_id",
            "team_id",
            "provider",
            "model",
            "key_id",
            "service_tier",
            "input_tokens",
            "cache_read_tokens",
            "cache_write_5m_tokens",
            "output_tokens",
            "reasoning_tokens",
            "input_audio_tokens",
            "cache_read_audio_tokens",
            "output_audio_tokens",
            "is_failure",
            "is_gateway_cache_hit",
            "has_tags",
            "is_agent",
            "is_runaway",
            "is_streamed_zero_spend",
            "list_cost",
            "provider_cost",
            "usage_date",
        ]
    ].copy()
    alias = {a.account_id: a.parent_id for a in accounts if a.account_type == "gateway_key"}
    key_team = {a.account_id: a.owner_team_id for a in accounts if a.account_type == "gateway_key"}
    g["key_alias"] = g["key_id"].map(alias)
    g["key_team"] = g["key_id"].map(key_team)
    g["litellm_provider"] = g["provider"].map(LITELLM_PROVIDER)
    rng = np.random.default_rng(seed + 1)
    g["end_user_n"] = rng.integers(1, 5000, len(g))
    late = (g["usage_date"] == LATE_DAY) & (rng.random(len(g)) < 0.3)
    g["delivery"] = g["usage_date"].map(lambda d: d.isoformat())
    g.loc[late, "delivery"] = "2026-10-29-late"
    dup = g[g["usage_date"] == REDELIVERED_DAY].copy()
    dup["delivery"] = "2026-09-20-redelivered"
    g = pd.concat([g, dup], ignore_index=True)
    con.register("gateway_calls", g)
    log_dir = out / "litellm" / "spend_logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    con.execute(f"""
        copy (
            with calls as (
                select
                    *,
                    case provider when 'anthropic' then 'msg_01' when 'aws_bedrock' then 'bedrock-' else 'chatcmpl-' end
                        || substr(md5('{seed}-' || request_seq::varchar), 1, 24) as provider_request_id,
                    case when is_failure then 0 else input_tokens end::bigint as prompt_tokens,
                    case when is_failure then 0 else output_tokens end::bigint as completion_tokens,
                    make_timestamp(started_at_ms * 1000) as start_at,
                    (400 + output_tokens * 25 + input_tokens / 20)::bigint as duration_ms
                from gateway_calls
            )
            select
                provider_request_id || case when is_gateway_cache_hit then '_cache_hit' || (started_at_ms // 1000)::varchar else '' end as request_id,
                case when provider = 'anthropic' then 'anthropic_messages' else 'acompletion' end as call_type,
                key_id as api_key,
                case when is_failure or is_gateway_cache_hit or is_streamed_zero_spend then 0.0 else round(coalesce(list_cost, provider_cost), 10) end as spend,
                prompt_tokens + completion_tokens as total_tokens,
                prompt_tokens,
                completion_tokens,
                start_at as "startTime",
                start_at + to_milliseconds(duration_ms) as "endTime",
                start_at + to_milliseconds(250) as "completionStartTime",
                duration_ms as request_duration_ms,
                model,
                substr(md5(model || litellm_provider), 1, 8) || '-deployment' as model_id,
                regexp_replace(regexp_replace(model, '-[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$', ''), '-[0-9]{{8}}(-v1:0)?$', '') as model_group,
                litellm_provider as custom_llm_provider,
                case litellm_provider when 'openai' then 'https://api.openai.com/v1' when 'anthropic' then 'https://api.anthropic.com'
                    when 'azure' then 'https://aoai-gateway-eus2.openai.azure.com' when 'bedrock' then 'https://bedrock-runtime.us-east-1.amazonaws.com'
                    else 'https://us-central1-aiplatform.googleapis.com' end as api_base,
                'svc-' || workflow_id as "user",
                case when workflow_id in ('mobile-chat', 'search-answer-synthesis', 'kb-answer-rag', 'support-reply-drafter')
                    then 'customer-' || end_user_n::varchar end as end_user,
                case when key_team <> '' then 'team_' || key_team end as team_id,
                'org_acme' as organization_id,
                to_json({{
                    'user_api_key': key_id,
                    'user_api_key_alias': key_alias,
                    'user_api_key_team_id': case when key_team <> '' then 'team_' || key_team end,
                    'user_api_key_team_alias': nullif(key_team, ''),
                    'user_api_key_user_id': 'svc-' || workflow_id,
                    'spend_logs_metadata': null,
                    'usage_object': case when not is_failure then {{
                        'prompt_tokens': prompt_tokens,
                        'completion_tokens': completion_tokens,
                        'total_tokens': prompt_tokens + completion_tokens,
                        'prompt_tokens_details': {{'cached_tokens': cache_read_tokens::bigint,
                            'audio_tokens': case when provider = 'openai' then (input_audio_tokens + cache_read_audio_tokens)::bigint end}},
                        'completion_tokens_details': {{'reasoning_tokens': reasoning_tokens::bigint,
                            'audio_tokens': case when provider = 'openai' then output_audio_tokens::bigint end}},
                        'cache_creation_input_tokens': case when provider in ('anthropic', 'aws_bedrock') then cache_write_5m_tokens::bigint end,
                        'cache_read_input_tokens': case when provider in ('anthropic', 'aws_bedrock') then cache_read_tokens::bigint end
                    }} end,
                    'status': case when is_failure then 'failure' else 'success' end,
                    'error_information': case when is_failure then {{'error_code': '429', 'error_class': 'RateLimitError'}} end
                }})::varchar as metadata,
                case when is_gateway_cache_hit then 'True' else 'False' end as cache_hit,
                case when is_gateway_cache_hit then md5(provider_request_id) else 'Cache OFF' end as cache_key,
                to_json(case when has_tags then list_concat(
                    ['team:' || team_id, 'workflow:' || workflow_id, 'env:prod'],
                    case when is_agent then ['agent:' || workflow_id] else []::varchar[] end) else []::varchar[] end)::varchar as request_tags,
                '10.20.' || (end_user_n % 250)::varchar || '.' || (end_user_n % 200)::varchar as requester_ip_address,
                '{{}}' as messages,
                '{{}}' as response,
                '{{}}' as proxy_server_request,
                case when is_runaway then 'sess_dealdesk_7f3a9c' when is_agent then 'sess_' || substr(md5(workflow_id || (request_seq // 12)::varchar), 1, 12) end as session_id,
                case when is_failure then 'failure' else 'success' end as status,
                null::varchar as mcp_namespaced_tool_name,
                case when is_agent then workflow_id end as agent_id,
                delivery
            from calls
            order by "startTime"
        ) to '{log_dir}' (format parquet, partition_by (delivery), overwrite_or_ignore true)
    """)
    return sorted(log_dir.rglob("*.parquet"))
