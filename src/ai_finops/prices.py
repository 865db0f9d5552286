"""Refresh the price book seed from LiteLLM's public price map, effective-dated.

The map ships inside the `litellm` wheel as `litellm/model_prices_and_context_window_backup.json`;
we download the wheel (no install, no import) or read a JSON file given on the command line.

Merge rules (the price book is history, never rewritten):
- a price point (provider x model x tier x context) unchanged since the last snapshot: nothing;
- a changed price point: its open rows are closed at the snapshot date and all its token types
  start again there (they share one validity window), so usage before the snapshot keeps its price;
- a price point seen for the first time: a row from --backfill-from (first import) or the snapshot date;
- rows whose price_source does not start with "litellm" are manual (overrides, negotiated, demo):
  never touched;
- a model LiteLLM dropped keeps its last price (retired models are still billed in history), and so
  does a token type a snapshot omits (the map leaves out rates it does not model);
- a token type the point never had (e.g. audio/image rates, read since the parser learned them)
  on a point whose other rates are unchanged joins the open window from its start ("extended"):
  nothing else changes, so it is not a price change.

Bedrock's regional keys (`bedrock/<aws region>/<model>`) are price points of their own, model id
`<aws region>/<model>`: int_usage_priced uses one for usage that ran in that region and the model's
global point otherwise. Azure's data-zone keys (`azure/eu/<model>`, `azure/us/<model>`) likewise
become `eu/<model>` / `us/<model>`, priced for Data Zone deployments in a region of that zone
(seeds/pricing/ai_finops__azure_data_zones.csv). A Vertex entry's `regional_endpoint_uplift_multiplier`
(regional endpoints cost more than the `global` one) becomes the point `regional/<model>`: every rate of
the entry times the multiplier, priced for Vertex usage in a region other than `global`. None of them
gets a catalog entry (the model's own applies).
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PROVIDERS = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "bedrock": "aws_bedrock",
    "bedrock_converse": "aws_bedrock",
    "azure": "azure_openai",
    # Vertex: Google's own models (newer entries say plain `vertex_ai`), partner models (Model Garden)
    "vertex_ai": "google_vertex",
    "vertex_ai-language-models": "google_vertex",
    "vertex_ai-embedding-models": "google_vertex",
    "vertex_ai-anthropic_models": "google_vertex",
    "vertex_ai-ai21_models": "google_vertex",
    "vertex_ai-deepseek_models": "google_vertex",
    "vertex_ai-llama_models": "google_vertex",
    "vertex_ai-minimax_models": "google_vertex",
    "vertex_ai-mistral_models": "google_vertex",
    "vertex_ai-moonshot_models": "google_vertex",
    "vertex_ai-openai_models": "google_vertex",
    "vertex_ai-qwen_models": "google_vertex",
    "vertex_ai-zai_models": "google_vertex",
    "gemini": "google_ai_studio",
}
MODES = {"chat", "completion", "responses", "embedding"}
# Longest first: `cache_creation_input_token_cost_above_1hr` must win over its prefix.
# Audio/image token rates price the modality subsets of input, cache read and output
# (`input_cost_per_image` / `_per_second` / `_per_character` are per-unit prices, not token rates,
# and `cache_creation_input_audio_token_cost` has no token column yet: both are left out).
TOKEN_FIELDS = [
    ("cache_creation_input_token_cost_above_1hr", "cache_write_1h"),
    ("cache_creation_input_token_cost", "cache_write_5m"),
    ("cache_read_input_audio_token_cost", "cache_read_audio"),
    ("cache_read_input_image_token_cost", "cache_read_image"),
    ("cache_read_input_token_cost", "cache_read"),
    ("input_cost_per_audio_token", "input_audio"),
    ("input_cost_per_image_token", "input_image"),
    ("input_cost_per_token", "input"),
    ("output_cost_per_audio_token", "output_audio"),
    ("output_cost_per_image_token", "output_image"),
    ("output_cost_per_token", "output"),
]
TIERS = {"_batches": "batch", "_priority": "priority", "_flex": "flex"}
PRICE_HEADER = [
    "provider",
    "model_id",
    "service_tier",
    "context_tier",
    "token_type",
    "usd_per_million_tokens",
    "valid_from",
    "valid_to",
    "price_source",
]
CATALOG_HEADER = ["provider", "model_id", "model_family", "long_context_threshold_tokens"]
MAP_FILE = "litellm/model_prices_and_context_window_backup.json"


@dataclass(frozen=True)
class Price:
    provider: str
    model_id: str
    service_tier: str
    context_tier: str
    token_type: str
    usd_per_million: float

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.provider, self.model_id, self.service_tier, self.context_tier, self.token_type)


def parse_field(field: str) -> tuple[str, str, str, int | None] | None:
    """`output_cost_per_token_above_200k_tokens_batches` -> ("output", "batch", "long", 200000)."""
    for prefix, token_type in TOKEN_FIELDS:
        if not field.startswith(prefix):
            continue
        rest = field[len(prefix) :]
        threshold = None
        match = re.match(r"^_above_(\d+)k_tokens", rest)
        if match:
            threshold = int(match.group(1)) * 1000
            rest = rest[match.end() :]
        tier = "standard"
        if rest in TIERS:
            tier, rest = TIERS[rest], ""
        if rest:  # a variant we do not model (e.g. `_cache_hit`, per-region suffixes)
            return None
        return token_type, tier, "long" if threshold else "standard", threshold
    return None


# An AWS region code (`us-east-1`, `us-gov-west-1`, `ap-southeast-3`): the middle part of LiteLLM's
# regional Bedrock keys `bedrock/<region>/<model>`.
AWS_REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")


# Azure OpenAI data zones (Data Zone Standard / Provisioned deployments): LiteLLM's `azure/eu/<model>` and
# `azure/us/<model>` keys. Other scoped Azure keys are skipped: `azure/global/...` and
# `azure/global-standard/...` repeat the model's own price (its global price, checked for 1.106.2),
# `azure/us-gov/...` (Azure Government) and `azure/apac/...` name no documented data zone of the
# commercial cloud, and `azure/<quality>/<size>/...` are image prices (unit_prices.py).
AZURE_DATA_ZONES = ("eu", "us")

# Vertex prices a model on a regional endpoint (`<region>-aiplatform.googleapis.com`) at its price times
# the entry's `regional_endpoint_uplift_multiplier` (1.1 on 38 entries of 1.106.2: Claude 4.5+, Gemini
# 3.1+); the map's rates are the `global` endpoint's. The regional rates form the point `regional/<model>`.
VERTEX_REGIONAL = "regional"
UPLIFT_FIELD = "regional_endpoint_uplift_multiplier"


def model_id_of(key: str) -> str | None:
    """Map keys carry a provider prefix (`azure/gpt-4o`). Bedrock's regional keys
    (`bedrock/us-gov-west-1/amazon.nova-lite-v1:0`) become the regional price point
    `us-gov-west-1/amazon.nova-lite-v1:0` (region / model id), priced for usage in that region;
    Azure's data-zone keys (`azure/eu/gpt-4o`) the data-zone price point `eu/gpt-4o`, priced for
    Data Zone deployments in that zone; other scoped variants (`bedrock/*/1-month-commitment/...`,
    `bedrock/invoke/...`, `azure/global/...`, `azure/us-gov/...`) are skipped."""
    parts = key.split("/")
    if len(parts) == 3 and parts[0] == "bedrock" and AWS_REGION.match(parts[1]):
        return f"{parts[1]}/{parts[2]}"
    if len(parts) == 3 and parts[0] == "azure" and parts[1] in AZURE_DATA_ZONES:
        return f"{parts[1]}/{parts[2]}"
    if len(parts) > 2:
        return None
    return parts[-1]


def is_regional(model_id: str) -> bool:
    """A regional price point (`<region or data zone>/<model id>`): priced per region, not a model of its own."""
    return "/" in model_id


def parse_price_map(price_map: dict) -> tuple[list[Price], dict[tuple[str, str], int | None]]:
    prices: dict[tuple, Price] = {}
    thresholds: dict[tuple[str, str], int | None] = {}
    modes: dict[tuple[str, str], str] = {}
    for key in sorted(price_map):
        entry = price_map[key]
        if not isinstance(entry, dict) or entry.get("mode") not in MODES:
            continue
        provider = PROVIDERS.get(entry.get("litellm_provider", ""))
        model_id = model_id_of(key)
        if provider is None or model_id is None:
            continue
        modes.setdefault((provider, model_id), entry["mode"])
        uplift = entry.get(UPLIFT_FIELD)
        regional_id = f"{VERTEX_REGIONAL}/{model_id}" if provider == "google_vertex" and isinstance(uplift, int | float) else None
        if regional_id:
            modes.setdefault((provider, regional_id), entry["mode"])
        for field, value in entry.items():
            parsed = parse_field(field)
            if parsed is None or not isinstance(value, int | float):
                continue
            token_type, tier, context_tier, threshold = parsed
            price = Price(provider, model_id, tier, context_tier, token_type, round(float(value) * 1_000_000, 10))
            prices.setdefault(price.key, price)  # first key in sorted order wins for duplicates
            if regional_id:
                regional = Price(provider, regional_id, tier, context_tier, token_type, round(float(value) * uplift * 1_000_000, 10))
                prices.setdefault(regional.key, regional)
            if is_regional(model_id):  # the model's own catalog entry (threshold, family) applies
                continue
            if threshold:
                thresholds[(provider, model_id)] = thresholds.get((provider, model_id)) or threshold
            else:
                thresholds.setdefault((provider, model_id), None)
    return _complete_points(list(prices.values()), modes), thresholds


def _complete_points(prices: list[Price], modes: dict[tuple[str, str], str]) -> list[Price]:
    """Keeps price points that can price a token request: an input rate, and an output rate
    (0 for embeddings, which have no output). A tier listed with only one rate would otherwise
    look priced while its cost is null; left out, that usage is reported as unpriced."""
    points: dict[tuple, list[Price]] = {}
    for price in prices:
        points.setdefault(price.key[:4], []).append(price)
    kept: list[Price] = []
    for point, members in points.items():
        types = {p.token_type for p in members}
        if "input" not in types:
            continue
        if "output" not in types:
            if modes.get(point[:2]) != "embedding":
                continue
            members = [*members, Price(*point, "output", 0.0)]
        kept += members
    return kept


def read_litellm_map(version: str | None = None, json_path: Path | None = None) -> tuple[dict, str]:
    """The price map from a JSON file, or from the litellm wheel of `version` (downloaded, not installed)."""
    if json_path is not None:
        return json.loads(Path(json_path).read_text()), f"file {Path(json_path).name}"
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary",
                ":all:",
                "-d",
                folder,
                f"litellm=={version}",
            ],
            check=True,
        )
        wheel = next(Path(folder).glob("litellm-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            return json.loads(archive.read(MAP_FILE)), f"litellm {version}"


def _read_csv(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def merge(
    existing: list[dict], prices: list[Price], snapshot: date, backfill_from: date | None, source: str
) -> tuple[list[dict], dict[str, int]]:
    """Merges per price point (provider x model x tier x context): its token types share one
    validity window, so a change to any of them closes the whole point and re-opens it."""
    counts = {"added": 0, "changed": 0, "unchanged": 0, "manual_kept": 0, "extended": 0}
    rows = [dict(r) for r in existing]
    history: dict[tuple, list[dict]] = {}
    for row in rows:
        history.setdefault((row["provider"], row["model_id"], row["service_tier"], row["context_tier"]), []).append(row)
    points: dict[tuple, dict[str, float]] = {}
    for price in prices:
        points.setdefault(price.key[:4], {})[price.token_type] = price.usd_per_million
    label = f"{source} snapshot {snapshot.isoformat()}"

    def add(point: tuple, token_prices: dict[str, float], valid_from: date) -> None:
        for token_type, value in sorted(token_prices.items()):
            rows.append(dict(zip(PRICE_HEADER, [*point, token_type, f"{value:g}", valid_from.isoformat(), "", label], strict=True)))

    for point, snapshot_prices in sorted(points.items()):
        past = history.get(point, [])
        open_rows = [r for r in past if not r["valid_to"]]
        # A token type the snapshot omits keeps its last price: LiteLLM's map leaves out rates it
        # does not model (e.g. batch cache reads), and dropping ours would fall back to the input rate.
        token_prices = {**{r["token_type"]: float(r["usd_per_million_tokens"]) for r in open_rows}, **snapshot_prices}
        open_prices = {r["token_type"]: float(r["usd_per_million_tokens"]) for r in open_rows}
        new_types = set(token_prices) - {r["token_type"] for r in past}
        if not past:
            add(point, token_prices, backfill_from or snapshot)
            counts["added"] += 1
        elif not open_rows:  # history ended on purpose: a new window only from this snapshot on
            add(point, token_prices, snapshot)
            counts["added"] += 1
        elif any(not r["price_source"].startswith("litellm") for r in open_rows):
            counts["manual_kept"] += 1
        elif open_prices == token_prices:
            counts["unchanged"] += 1
        elif new_types and all(open_prices[t] == v for t, v in token_prices.items() if t not in new_types):
            window_from = date.fromisoformat(max(r["valid_from"] for r in open_rows))
            add(point, {t: token_prices[t] for t in new_types}, window_from)
            counts["extended"] += 1
        elif max(date.fromisoformat(r["valid_from"]) for r in open_rows) >= snapshot:
            counts["unchanged"] += 1  # an older snapshot never rewrites a newer price
        else:
            for row in open_rows:
                row["valid_to"] = snapshot.isoformat()
            add(point, token_prices, snapshot)
            counts["changed"] += 1
    rows.sort(key=lambda r: (r["provider"], r["model_id"], r["service_tier"], r["context_tier"], r["valid_from"], r["token_type"]))
    return rows, counts


def merge_catalog(existing: list[dict], thresholds: dict[tuple[str, str], int | None]) -> tuple[list[dict], int]:
    rows = [dict(r) for r in existing]
    known = {(r["provider"], r["model_id"]) for r in rows}
    added = 0
    for (provider, model_id), threshold in sorted(thresholds.items()):
        if (provider, model_id) in known:
            continue
        rows.append(
            {"provider": provider, "model_id": model_id, "model_family": model_id, "long_context_threshold_tokens": str(threshold or "")}
        )
        added += 1
    rows.sort(key=lambda r: (r["provider"], r["model_id"]))
    return rows, added


def refresh(
    project_dir: Path,
    snapshot: date,
    version: str | None = None,
    json_path: Path | None = None,
    backfill_from: date | None = None,
    providers: set[str] | None = None,
) -> dict:
    price_map, source = read_litellm_map(version, json_path)
    prices, thresholds = parse_price_map(price_map)
    if providers:
        prices = [p for p in prices if p.provider in providers]
        thresholds = {k: v for k, v in thresholds.items() if k[0] in providers}
    seeds = project_dir / "seeds" / "pricing"
    price_rows, counts = merge(_read_csv(seeds / "ai_finops__model_prices.csv"), prices, snapshot, backfill_from, source)
    catalog_rows, catalog_added = merge_catalog(_read_csv(seeds / "ai_finops__model_catalog.csv"), thresholds)
    _write_csv(seeds / "ai_finops__model_prices.csv", PRICE_HEADER, price_rows)
    _write_csv(seeds / "ai_finops__model_catalog.csv", CATALOG_HEADER, catalog_rows)
    # per-unit prices (images, characters, seconds, queries, sessions): their own seed, same merge rules
    from ai_finops.unit_prices import refresh_unit_prices

    unit_counts = refresh_unit_prices(seeds, price_map, snapshot, source, backfill_from, providers)
    return {**counts, **unit_counts, "catalog_added": catalog_added, "token_prices_in_map": len(prices), "source": source}
