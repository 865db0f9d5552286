"""The OpenAI Usage API's other endpoints: images, audio, moderations, vector stores, code
interpreter, file search and web search (provider-formats.md 1.3), in their real page shapes.

These are not token-priced: each reports its own unit (images, characters, seconds, bytes,
sessions, calls). The demo draws daily quantities for a few direct OpenAI projects and keys.

Randomness comes from its own generator (``SeedSequence([seed, OTHER_USAGE_STREAM])``) so the
traffic streams, the token usage files, the Costs API pages and the manifest totals are the same
with or without these files. The Costs API bills these units on their own line items
(``unit_cost_lines``, merged into the day's Costs API bucket by ``writers.write_openai``): usage our
unit price book prices (seeds/pricing/ai_finops__unit_prices.csv) is billed at that price; the rest at
OpenAI's own published rates (``PROVIDER_RATES``), which the book lacks. Moderations are free (no line).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

from ai_finops.demo.company import Account
from ai_finops.demo.writers import _epoch, _weekly_pages

OTHER_USAGE_STREAM = 7_003  # spawn key of this RNG stream (never shared with the traffic stream)

# endpoint -> (result object, metric fields). The first metric is the endpoint's unit quantity.
ENDPOINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "usage_images": ("organization.usage.images.result", ("images", "num_model_requests")),
    "usage_audio_speeches": ("organization.usage.audio_speeches.result", ("characters", "num_model_requests")),
    "usage_audio_transcriptions": ("organization.usage.audio_transcriptions.result", ("seconds", "num_model_requests")),
    "usage_moderations": ("organization.usage.moderations.result", ("input_tokens", "num_model_requests")),
    "usage_vector_stores": ("organization.usage.vector_stores.result", ("usage_bytes",)),
    "usage_code_interpreter_sessions": ("organization.usage.code_interpreter_sessions.result", ("num_sessions",)),
    "usage_file_search_calls": ("organization.usage.file_searches.result", ("num_requests",)),
    "usage_web_search_calls": ("organization.usage.web_searches.result", ("num_requests", "num_model_requests")),
}


# OpenAI's rates for the units our unit price book cannot price (USD per unit): gpt-image-1 at medium
# quality (the Usage API does not report the quality), web search tool calls per context size,
# file search tool calls, vector storage per GiB-day beyond the first free GiB (billed per GiB-hour).
PROVIDER_RATES = {
    ("images", "1024x1024"): 0.042,
    ("images", "1024x1792"): 0.063,
    ("web_search_calls", "low"): 0.030,
    ("web_search_calls", "medium"): 0.035,
    ("file_search_calls", None): 0.0025,
    ("vector_stores", None): 0.10 / 24,  # per GiB-hour
}
FREE_VECTOR_STORE_GIB = 1.0
# endpoint -> (unit price type and the field whose value picks a detail price, in ai_finops__unit_prices)
UNIT_PRICE_KEYS = {
    "usage_images": ("input_image", "size"),
    "usage_audio_speeches": ("input_character", None),
    "usage_audio_transcriptions": ("input_second", None),
    "usage_code_interpreter_sessions": ("session", None),
    "usage_web_search_calls": ("query", "context_level"),
}


def _unit_price_book(project_dir: Path) -> dict[tuple[str, str, str], list[tuple[date, date | None, float]]]:
    """OpenAI rows of the unit price seed: (model, type, detail) -> [(valid_from, valid_to, usd_per_unit)]."""
    book: dict[tuple[str, str, str], list] = defaultdict(list)
    with open(project_dir / "seeds" / "pricing" / "ai_finops__unit_prices.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["provider"] == "openai":
                valid_to = date.fromisoformat(r["valid_to"]) if r["valid_to"] else None
                book[(r["model_id"], r["unit_price_type"], r["usage_detail"])].append(
                    (date.fromisoformat(r["valid_from"]), valid_to, float(r["usd_per_unit"]))
                )
    return book


def _book_price(book, model: str, price_type: str, detail: str | None, day: date) -> float | None:
    for key in ((model, price_type, detail), (model, price_type, "*")):
        for start, end, usd in book.get(key, []):
            if start <= day and (end is None or day < end):
                return usd
    return None


def unit_cost_lines(
    usage: dict[str, dict[date, list[dict]]], project_dir: Path, aliases: dict[str, str]
) -> tuple[dict[date, list[dict]], list[dict]]:
    """Costs API results (``organization.costs.result``) billing the day's unit usage, per day, and
    the truth behind each line (endpoint, month, whether the unit price book prices it)."""
    book = _unit_price_book(project_dir)
    lines: dict[date, list[dict]] = defaultdict(list)
    truth: list[dict] = []

    def add(day, project, line_item, quantity, unit, amount, endpoint, book_priced):
        lines[day].append(
            {
                "object": "organization.costs.result",
                "amount": {"value": round(float(amount), 10), "currency": "usd"},
                "line_item": line_item,
                "project_id": project,
                "api_key_id": None,
                "quantity": float(quantity),
                "quantity_unit": unit,
            }
        )
        truth.append({"month": day.strftime("%Y-%m"), "endpoint": endpoint, "amount": round(float(amount), 10), "book_priced": book_priced})

    for name, buckets in usage.items():
        endpoint = name.removeprefix("usage_")
        for day, results in sorted(buckets.items()):
            for r in results:
                model = r.get("model")
                price_key = UNIT_PRICE_KEYS.get(name)
                detail = r.get(price_key[1]) if price_key and price_key[1] else None
                price_model = "container" if endpoint == "code_interpreter_sessions" else aliases.get(model, model)
                book_usd = _book_price(book, price_model, price_key[0], detail, day) if price_key else None
                if endpoint == "images":
                    source = r["source"].split(".")[-1]
                    qty, unit, item = r["images"], "images", f"{model}, image {source} {r['size']}"
                    rate = PROVIDER_RATES[("images", r["size"])]
                elif endpoint == "audio_speeches":
                    qty, unit, item, rate = r["characters"], "characters", f"{model}, characters", None
                elif endpoint == "audio_transcriptions":
                    qty, unit, item, rate = r["seconds"], "duration_seconds", f"{model}, transcription", None
                elif endpoint == "code_interpreter_sessions":
                    qty, unit, item, rate = r["num_sessions"], "sessions", "code interpreter sessions", None
                elif endpoint == "file_search_calls":
                    qty, unit, item = r["num_requests"], "calls", "file search tool calls"
                    rate = PROVIDER_RATES[("file_search_calls", None)]
                elif endpoint == "web_search_calls":
                    qty, unit = r["num_requests"], "calls"
                    item = f"{model}, web search tool calls ({r['context_level']} context)"
                    rate = PROVIDER_RATES[("web_search_calls", r["context_level"])]
                elif endpoint == "vector_stores":
                    gib = r["usage_bytes"] / 2**30
                    qty, unit, item = round(gib * 24, 6), "gibibyte_hours", "vector store storage"
                    amount = max(gib - FREE_VECTOR_STORE_GIB, 0.0) * PROVIDER_RATES[("vector_stores", None)] * 24
                    add(day, r["project_id"], item, qty, unit, amount, endpoint, False)
                    continue
                else:  # moderations are free: no cost line
                    continue
                usd = book_usd if book_usd is not None else rate
                add(day, r["project_id"], item, qty, unit, qty * usd, endpoint, book_usd is not None)
    return lines, truth


def unit_costs_manifest(truth: list[dict]) -> dict:
    """Billed unit lines per month: total, the part the unit price book prices, per endpoint."""
    out: dict[str, dict] = {}
    for t in truth:
        m = out.setdefault(t["month"], {"billed": 0.0, "billed_book_priced": 0.0, "billed_unpriced": 0.0, "lines": 0, "by_endpoint": {}})
        m["billed"] += t["amount"]
        m["billed_book_priced" if t["book_priced"] else "billed_unpriced"] += t["amount"]
        m["lines"] += 1
        m["by_endpoint"][t["endpoint"]] = m["by_endpoint"].get(t["endpoint"], 0.0) + t["amount"]
    for m in out.values():
        for k in ("billed", "billed_book_priced", "billed_unpriced"):
            m[k] = round(m[k], 6)
        m["by_endpoint"] = {k: round(v, 6) for k, v in sorted(m["by_endpoint"].items())}
    return out


def _keys(accounts: list[Account]) -> list[tuple[str, str]]:
    """(project, key) pairs of owned, direct OpenAI keys, in a stable order."""
    pairs = {
        (a.parent_id, a.account_id)
        for a in accounts
        if a.provider == "openai" and a.account_type == "api_key" and a.parent_id and a.owner_team_id and "Legacy" not in a.account_id
    }
    return sorted(pairs)


def simulate_other_usage(accounts: list[Account], days: list[date], seed: int, scale: float) -> dict[str, dict[date, list[dict]]]:
    """Per endpoint, per day, the result objects of that day's bucket (empty list = no usage)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, OTHER_USAGE_STREAM]))
    pairs = _keys(accounts)
    project, key = pairs[0]
    project_b, key_b = pairs[len(pairs) // 2]
    out: dict[str, dict[date, list[dict]]] = {name: {} for name in ENDPOINTS}

    def volume(mean: float) -> int:
        return int(rng.poisson(max(mean * scale / 0.4, 0.5)))

    stored_bytes = 512 * 1024 * 1024
    for i, day in enumerate(days):
        identity = {"project_id": project, "user_id": None, "api_key_id": key}
        weekday = day.weekday() < 5
        rows: dict[str, list[dict]] = {name: [] for name in ENDPOINTS}
        for size, source, mean in (
            ("1024x1024", "image.generation", 40),
            ("1024x1792", "image.generation", 8),
            ("1024x1024", "image.edit", 6),
        ):
            n = volume(mean if weekday else mean / 4)
            if n:
                rows["usage_images"].append(
                    {"images": n, "num_model_requests": n, "source": source, "size": size, **identity, "model": "gpt-image-1"}
                )
        speeches = volume(30)
        if speeches:
            characters = int(speeches * rng.integers(300, 900))
            rows["usage_audio_speeches"].append({"characters": characters, "num_model_requests": speeches, **identity, "model": "tts-1"})
        calls = volume(12)
        if calls:
            seconds = int(calls * rng.integers(60, 420))
            rows["usage_audio_transcriptions"].append(
                {
                    "seconds": seconds,
                    "num_model_requests": calls,
                    "project_id": project_b,
                    "user_id": None,
                    "api_key_id": key_b,
                    "model": "whisper-1",
                }
            )
        checks = volume(400)
        if checks:
            rows["usage_moderations"].append(
                {
                    "input_tokens": int(checks * rng.integers(80, 300)),
                    "num_model_requests": checks,
                    **identity,
                    "model": "omni-moderation-latest",
                }
            )
        # storage is a level, not a flow: it grows with uploads and shrinks when files expire
        stored_bytes = max(64 * 1024 * 1024, stored_bytes + int(rng.normal(8, 20) * 1024 * 1024))
        rows["usage_vector_stores"].append({"usage_bytes": stored_bytes, "project_id": project})
        sessions = volume(6)
        if sessions:
            rows["usage_code_interpreter_sessions"].append({"num_sessions": sessions, "project_id": project_b})
        searches = volume(90)
        if searches:
            rows["usage_file_search_calls"].append(
                {"num_requests": searches, "project_id": project, "user_id": None, "api_key_id": key, "vector_store_id": "vs_KbArticles01"}
            )
        for level, mean in (("low", 20), ("medium", 10)):
            n = volume(mean)
            if n:
                rows["usage_web_search_calls"].append(
                    {
                        "num_model_requests": n,
                        "num_requests": n + int(rng.integers(0, n + 1)),  # a response can search more than once
                        "context_level": level,
                        **identity,
                        "model": "gpt-4o-2024-08-06",
                    }
                )
        if i % 29 == 11:
            rows["usage_code_interpreter_sessions"] = []  # a quiet day: the bucket comes back empty
        for name, results in rows.items():
            obj = ENDPOINTS[name][0]
            out[name][day] = [{"object": obj, **r} for r in results]
    return out


def write_other_usage(usage: dict[str, dict[date, list[dict]]], days: list[date], out: Path) -> list[Path]:
    files: list[Path] = []
    for name, buckets in usage.items():
        files += _weekly_pages(days, buckets, out / "openai" / name, "start_time", "end_time", _epoch)
    return files


def other_usage_manifest(usage: dict[str, dict[date, list[dict]]], files: list[Path], out: Path) -> dict:
    """Truth per endpoint: result rows and the sum of every metric field."""
    totals = {}
    for name, buckets in usage.items():
        results = [r for day in buckets.values() for r in day]
        totals[name] = {"rows": len(results), **{m: int(sum(r[m] for r in results)) for m in ENDPOINTS[name][1]}}
    return {"files": sorted(str(f.relative_to(out)) for f in files), "totals": totals}
