"""Python reading of the price book seed.

The dbt models price usage in SQL; this module is an independent implementation of the same
rules, used by the demo generator to write provider bills and the expected totals that the
tests compare the marts against.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

TOKEN_TYPES = (
    "input",
    "cache_read",
    "cache_write_5m",
    "cache_write_1h",
    "output",
    "input_audio",
    "cache_read_audio",
    "output_audio",
    "input_image",
    "cache_read_image",
    "output_image",
)
# An audio/image subset without its own rate is priced at its parent's text rate (int_usage_priced).
MODALITY_PARENT = {
    "input_audio": "input",
    "input_image": "input",
    "cache_read_audio": "cache_read",
    "cache_read_image": "cache_read",
    "output_audio": "output",
    "output_image": "output",
}


@dataclass(frozen=True)
class PricePoint:
    provider: str
    model_id: str
    service_tier: str
    context_tier: str
    valid_from: date
    valid_to: date | None
    usd_per_million: dict[str, float]

    def rate(self, token_type: str) -> float:
        """USD per token, with the documented fallbacks for missing cache rates."""
        p = self.usd_per_million
        if token_type in MODALITY_PARENT:
            return p[token_type] / 1_000_000 if token_type in p else self.rate(MODALITY_PARENT[token_type])
        if token_type == "cache_write_1h":
            value = p.get("cache_write_1h", p.get("cache_write_5m", p["input"]))
        elif token_type in ("cache_read", "cache_write_5m"):
            value = p.get(token_type, p["input"])
        else:
            value = p[token_type]
        return value / 1_000_000


class PriceBook:
    def __init__(self, prices_csv: Path, catalog_csv: Path, aliases_csv: Path, contracts_csv: Path | None = None):
        grouped: dict[tuple, dict[str, float]] = {}
        with open(prices_csv, newline="") as f:
            for row in csv.DictReader(f):
                key = (
                    row["provider"],
                    row["model_id"],
                    row["service_tier"],
                    row["context_tier"],
                    date.fromisoformat(row["valid_from"]),
                    date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                )
                grouped.setdefault(key, {})[row["token_type"]] = float(row["usd_per_million_tokens"])
        self.points = [PricePoint(*k, usd_per_million=v) for k, v in grouped.items()]
        self._by_point: dict[tuple, list[PricePoint]] = {}
        for p in self.points:
            self._by_point.setdefault((p.provider, p.model_id, p.service_tier, p.context_tier), []).append(p)
        with open(catalog_csv, newline="") as f:
            self.thresholds = {
                (r["provider"], r["model_id"]): int(r["long_context_threshold_tokens"])
                for r in csv.DictReader(f)
                if r["long_context_threshold_tokens"]
            }
        with open(aliases_csv, newline="") as f:
            self.aliases = {(r["provider"], r["reported_model"]): r["model_id"] for r in csv.DictReader(f)}
        with open(catalog_csv, newline="") as f:
            self.families = {(r["provider"], r["model_id"]): r["model_family"] for r in csv.DictReader(f)}
        self.contracts: list[dict] = []
        if contracts_csv is not None and contracts_csv.exists():
            with open(contracts_csv, newline="") as f:
                self.contracts = list(csv.DictReader(f))
        # Azure region -> data zone (`us` / `eu`): Data Zone deployments are priced at `<zone>/<model id>`
        self.data_zones: dict[str, str] = {}
        data_zones_csv = Path(prices_csv).parent / "ai_finops__azure_data_zones.csv"
        if data_zones_csv.exists():
            with open(data_zones_csv, newline="") as f:
                self.data_zones = {r["azure_region"]: r["data_zone"] for r in csv.DictReader(f)}

    @classmethod
    def from_project(cls, project_dir: Path) -> PriceBook:
        seeds = project_dir / "seeds" / "pricing"
        contracts = project_dir / "seeds" / "contracts" / "ai_finops__contract_discounts.csv"
        return cls(
            seeds / "ai_finops__model_prices.csv", seeds / "ai_finops__model_catalog.csv", seeds / "ai_finops__model_aliases.csv", contracts
        )

    def discount_factor(self, provider: str, model_id: str, day: date) -> float:
        """1 - negotiated discount on that day; a family-specific contract wins over `*`."""
        family = self.families.get((provider, model_id))
        best: tuple[int, float] | None = None
        for c in self.contracts:
            if c["provider"] != provider or c["model_family"] not in (family, "*"):
                continue
            if date.fromisoformat(c["valid_from"]) <= day and (not c["valid_to"] or day < date.fromisoformat(c["valid_to"])):
                rank = 0 if c["model_family"] == family else 1
                if best is None or rank < best[0]:
                    best = (rank, float(c["discount_pct"]))
        return 1 - (best[1] / 100 if best else 0.0)

    def model_id(self, provider: str, reported_model: str) -> str:
        return self.aliases.get((provider, reported_model), reported_model)

    def context_tier(self, provider: str, model_id: str, prompt_tokens: int) -> str:
        threshold = self.thresholds.get((provider, model_id))
        return "long" if threshold is not None and prompt_tokens >= threshold else "standard"

    def price_location(self, provider: str, region: str | None, deployment_type: str | None = None) -> str | None:
        """Where a regional price point can apply (int_usage_priced.price_location): a Bedrock call's
        region; the data zone of an Azure Data Zone deployment's region; `regional` for Vertex usage
        outside the `global` endpoint (the uplifted `regional/<model>` points); None otherwise (Azure
        global and regional deployments take the model's global price)."""
        if provider == "azure_openai":
            return self.data_zones.get(region or "") if deployment_type == "data_zone" else None
        if provider == "google_vertex":
            return "regional" if region and region.lower() != "global" else None
        return region or None

    def lookup(
        self, provider: str, model_id: str, service_tier: str, context_tier: str, day: date, region: str | None = None
    ) -> PricePoint | None:
        """The price point valid on `day`; usage in a region with its own point (`<region>/<model id>`,
        Bedrock's regional prices, or an Azure data zone's `<zone>/<model id>`: pass the price location)
        is priced there, else at the model's global point."""
        candidates = [f"{region}/{model_id}", model_id] if region else [model_id]
        for candidate in candidates:
            for p in self._by_point.get((provider, candidate, service_tier, context_tier), []):
                if p.valid_from <= day and (p.valid_to is None or day < p.valid_to):
                    return p
        return None
