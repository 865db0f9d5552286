"""The OpenAI Usage API's other endpoints: images, audio, moderations, vector stores, code
interpreter, file search and web search (provider-formats.md 1.3), in their real page shapes.

These are not token-priced: each reports its own unit (images, characters, seconds, bytes,
sessions, calls). The demo draws daily quantities for a few direct OpenAI projects and keys.

Randomness comes from its own generator (``SeedSequence([seed, OTHER_USAGE_STREAM])``) so the
traffic streams, the token usage files, the Costs API pages and the manifest totals are the same
with or without these files. The demo's Costs API pages carry no lines for these units (see
docs/architecture.md, "OpenAI non-token usage"): their spend is not part of the reconciled bill.
"""

from __future__ import annotations

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
