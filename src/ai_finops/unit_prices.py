"""Unit prices (per image, character, second, query, session) from LiteLLM's price map, effective-dated.

Kept apart from the per-token price book (`prices.py`, `ai_finops__model_prices.csv`): these prices are
per unit of the OpenAI Usage API's non-token endpoints (`int_usage_units_daily`), in
`seeds/pricing/ai_finops__unit_prices.csv`. Same merge rules as the token book: a price unchanged
since the last snapshot adds nothing; a changed one closes its open row at the snapshot date and
starts a new one there (history is never re-priced); a price seen for the first time starts at
--backfill-from (first import) or the snapshot date; manual rows (price_source not starting with
"litellm") are never touched; a price a newer snapshot omits keeps its last row.

Map fields read (USD per unit):
- `input_cost_per_image` / `output_cost_per_image` -> `input_image` / `output_image` (per image);
  per-size keys `1024-x-1024/<model>` and per-quality-and-size keys `hd/1024-x-1024/<model>` give the
  price a `usage_detail` of `1024x1024` or `hd 1024x1024` (`*`: a price for any detail of the model);
- `input_cost_per_character` -> `input_character`; `input_cost_per_second` / `output_cost_per_second`
  -> `input_second` / `output_second`;
- `search_context_cost_per_query` {search_context_size_low|medium|high} -> `query` with detail
  `low|medium|high` (a web-search call); `input_cost_per_query` -> `query` with detail `*`;
- `code_interpreter_cost_per_session` -> `session`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ai_finops.prices import PROVIDERS

UNIT_PRICE_HEADER = [
    "provider",
    "model_id",
    "unit_price_type",
    "usage_detail",
    "usd_per_unit",
    "quantity_unit",
    "valid_from",
    "valid_to",
    "price_source",
]
UNIT_FIELDS = {
    "input_cost_per_image": ("input_image", "images"),
    "output_cost_per_image": ("output_image", "images"),
    "input_cost_per_character": ("input_character", "characters"),
    "input_cost_per_second": ("input_second", "seconds"),
    "output_cost_per_second": ("output_second", "seconds"),
    "input_cost_per_query": ("query", "calls"),
    "code_interpreter_cost_per_session": ("session", "sessions"),
}
SEARCH_FIELD = "search_context_cost_per_query"
SIZE = re.compile(r"^(\d+)-x-(\d+)$")
QUALITIES = {"low", "medium", "high", "standard", "hd"}


@dataclass(frozen=True)
class UnitPrice:
    provider: str
    model_id: str
    unit_price_type: str
    usage_detail: str
    usd_per_unit: float
    quantity_unit: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.provider, self.model_id, self.unit_price_type, self.usage_detail)


def split_key(key: str) -> tuple[str, str] | None:
    """`hd/1024-x-1024/dall-e-3` -> ("dall-e-3", "hd 1024x1024"); `openai/container` -> ("container", "*");
    anything else before the model (a region, another host) -> None: not a price we can match."""
    parts = key.split("/")
    model_id, quality, size = parts[-1], "", ""
    for part in parts[:-1]:
        match = SIZE.match(part)
        if match:
            size = f"{match.group(1)}x{match.group(2)}"
        elif part in QUALITIES:
            quality = part
        elif part not in PROVIDERS:
            return None
    return model_id, " ".join(p for p in (quality, size) if p) or "*"


def parse_unit_prices(price_map: dict) -> list[UnitPrice]:
    prices: dict[tuple, UnitPrice] = {}
    for key in sorted(price_map):
        entry = price_map[key]
        if not isinstance(entry, dict):
            continue
        provider = PROVIDERS.get(entry.get("litellm_provider", ""))
        split = split_key(key)
        if provider is None or split is None:
            continue
        model_id, detail = split
        found: list[UnitPrice] = []
        for field, value in entry.items():
            if field in UNIT_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
                unit_type, unit = UNIT_FIELDS[field]
                found.append(UnitPrice(provider, model_id, unit_type, detail, float(value), unit))
            elif field == SEARCH_FIELD and isinstance(value, dict):
                for size_key, per_query in value.items():
                    if isinstance(per_query, int | float) and size_key.startswith("search_context_size_"):
                        found.append(
                            UnitPrice(provider, model_id, "query", size_key.removeprefix("search_context_size_"), float(per_query), "calls")
                        )
        for price in found:
            prices.setdefault(price.key, price)  # first key in sorted order wins for duplicates
    return sorted(prices.values(), key=lambda p: p.key)


def _format(value: float) -> str:
    return f"{value:.12g}"


def merge_unit_prices(
    existing: list[dict], prices: list[UnitPrice], snapshot: date, backfill_from: date | None, source: str
) -> tuple[list[dict], dict[str, int]]:
    counts = {"added": 0, "changed": 0, "unchanged": 0, "manual_kept": 0}
    rows = [dict(r) for r in existing]
    history: dict[tuple, list[dict]] = {}
    for row in rows:
        history.setdefault((row["provider"], row["model_id"], row["unit_price_type"], row["usage_detail"]), []).append(row)
    label = f"{source} snapshot {snapshot.isoformat()}"

    def add(price: UnitPrice, valid_from: date) -> None:
        values = [*price.key, _format(price.usd_per_unit), price.quantity_unit, valid_from.isoformat(), "", label]
        rows.append(dict(zip(UNIT_PRICE_HEADER, values, strict=True)))

    for price in prices:
        past = history.get(price.key, [])
        open_rows = [r for r in past if not r["valid_to"]]
        if not past:
            add(price, backfill_from or snapshot)
            counts["added"] += 1
        elif not open_rows:  # history ended on purpose: a new window only from this snapshot on
            add(price, snapshot)
            counts["added"] += 1
        elif any(not r["price_source"].startswith("litellm") for r in open_rows):
            counts["manual_kept"] += 1
        elif all(float(r["usd_per_unit"]) == float(_format(price.usd_per_unit)) for r in open_rows):
            counts["unchanged"] += 1
        elif max(date.fromisoformat(r["valid_from"]) for r in open_rows) >= snapshot:
            counts["unchanged"] += 1  # an older snapshot never rewrites a newer price
        else:
            for row in open_rows:
                row["valid_to"] = snapshot.isoformat()
            add(price, snapshot)
            counts["changed"] += 1
    rows.sort(key=lambda r: (r["provider"], r["model_id"], r["unit_price_type"], r["usage_detail"], r["valid_from"]))
    return rows, counts


def refresh_unit_prices(
    seeds_dir: Path,
    price_map: dict,
    snapshot: date,
    source: str,
    backfill_from: date | None = None,
    providers: set[str] | None = None,
) -> dict[str, int]:
    """Merges the map's unit prices into seeds_dir/ai_finops__unit_prices.csv (created when absent)."""
    path = seeds_dir / "ai_finops__unit_prices.csv"
    existing: list[dict] = []
    if path.exists():
        with open(path, newline="") as f:
            existing = list(csv.DictReader(f))
    prices = parse_unit_prices(price_map)
    if providers:
        prices = [p for p in prices if p.provider in providers]
    rows, counts = merge_unit_prices(existing, prices, snapshot, backfill_from, source)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=UNIT_PRICE_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return {**{f"unit_{k}": v for k, v in counts.items()}, "unit_prices_in_map": len(prices)}
