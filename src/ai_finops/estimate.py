"""Cost-impact estimate for a planned AI feature, priced with the same seeds as the marts.

Inputs: expected requests per day with a linear ramp, input/output tokens per request, candidate
models, the share of input tokens served from the prompt cache, the share of requests sent
through the batch tier, the service tier of the rest, and the owning team and workflow.

Every day of the horizon is priced with the price point valid on that day
(seeds/pricing/ai_finops__model_prices.csv, effective-dated) and discounted with the contract valid on that
day (seeds/contracts/ai_finops__contract_discounts.csv), exactly as int_usage_priced does for real usage:
list = tokens x list rate; contracted = list x (1 - discount); effective = contracted (no
commitment amortisation is modelled). Costs are in USD, the reporting currency of the marts.
Audio/image tokens per request (subsets of the input / output tokens) are priced at their own
rates like int_usage_priced (input_audio, cache_read_audio, output_audio, input_image, ...; a price
point without one uses the parent's text rate); the cache-hit share applies to them too.

The low/high range assumes the request volume is uncertain by +/- volume_uncertainty (default
30%) and the mean tokens per request by +/- token_uncertainty (default 20%), independently and
in the same direction at the extremes: low = expected x (1 - v) x (1 - t), high = expected x
(1 + v) x (1 + t). Cost is linear in both, so these are the corners of the assumed box.

The quality tier is "as good as <reference model>": a candidate meets it when it is the
reference model itself or a substitute listed for it in seeds/optimization/ai_finops__model_substitutions.csv
whose max_output_tokens_per_request (blank = any) is at least the planned output per request.
"""

from __future__ import annotations

import calendar
import csv
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ai_finops.pricing import PriceBook


@dataclass(frozen=True)
class Candidate:
    provider: str
    model_id: str

    @classmethod
    def parse(cls, text: str) -> Candidate:
        provider, sep, model = text.partition(":")
        if not sep or not provider or not model:
            raise ValueError(f"candidate {text!r} must be provider:model_id, e.g. openai:gpt-4o-mini")
        return cls(provider.strip(), model.strip())

    def __str__(self) -> str:
        return f"{self.provider}:{self.model_id}"


@dataclass
class EstimateRequest:
    candidates: list[Candidate]
    requests_per_day_start: float
    requests_per_day_end: float
    input_tokens_per_request: float
    output_tokens_per_request: float
    start_date: date
    ramp_days: int = 0
    months: int = 3
    cache_hit_share: float = 0.0
    batch_share: float = 0.0
    service_tier: str = "standard"
    team_id: str | None = None
    workflow_id: str | None = None
    quality_reference: Candidate | None = None
    volume_uncertainty: float = 0.3
    token_uncertainty: float = 0.2
    # audio/image subsets of the tokens per request (inside input / output, like the usage grain)
    input_audio_tokens_per_request: float = 0.0
    input_image_tokens_per_request: float = 0.0
    output_audio_tokens_per_request: float = 0.0
    output_image_tokens_per_request: float = 0.0

    def validate(self) -> None:
        if not self.candidates:
            raise ValueError("at least one candidate model is needed")
        for name in ("cache_hit_share", "batch_share", "volume_uncertainty", "token_uncertainty"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must be between 0 and 1 (got {value})")
        for name in ("requests_per_day_start", "requests_per_day_end", "input_tokens_per_request", "output_tokens_per_request"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        subsets = ("input_audio_tokens_per_request", "input_image_tokens_per_request")
        out_subsets = ("output_audio_tokens_per_request", "output_image_tokens_per_request")
        if any(getattr(self, n) < 0 for n in subsets + out_subsets):
            raise ValueError("audio/image tokens per request must not be negative")
        if sum(getattr(self, n) for n in subsets) > self.input_tokens_per_request:
            raise ValueError("input audio + image tokens per request exceed the input tokens per request")
        if sum(getattr(self, n) for n in out_subsets) > self.output_tokens_per_request:
            raise ValueError("output audio + image tokens per request exceed the output tokens per request")
        if self.ramp_days < 0 or self.months < 1:
            raise ValueError("ramp_days must be >= 0 and months >= 1")

    def requests_on(self, day_index: int) -> float:
        """Requests on the n-th day (0-based): linear from start to end over ramp_days, then flat."""
        if self.ramp_days == 0 or day_index >= self.ramp_days:
            return self.requests_per_day_end
        return self.requests_per_day_start + (self.requests_per_day_end - self.requests_per_day_start) * day_index / self.ramp_days


@dataclass
class MonthEstimate:
    month: date
    requests: float
    list_cost: float
    contracted_cost: float
    effective_cost: float


@dataclass
class CandidateEstimate:
    candidate: str
    provider: str
    model_id: str
    is_priced: bool
    unpriced_reason: str | None
    meets_quality_tier: bool
    months: list[MonthEstimate] = field(default_factory=list)

    @property
    def monthly_effective_cost(self) -> float:
        """Mean effective cost per month over the horizon."""
        return sum(m.effective_cost for m in self.months) / len(self.months) if self.months else 0.0

    def total(self, attr: str) -> float:
        return sum(getattr(m, attr) for m in self.months)


def horizon_months(start: date, months: int) -> list[tuple[date, date]]:
    """(first day, first day of next month) for each calendar month; the first starts at `start`."""
    out = []
    cur = start
    for _ in range(months):
        last = calendar.monthrange(cur.year, cur.month)[1]
        nxt = date(cur.year, cur.month, last) + timedelta(days=1)
        out.append((cur, nxt))
        cur = nxt
    return out


def load_substitutions(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def meets_quality(candidate: Candidate, reference: Candidate | None, output_tokens: float, substitutions: list[dict]) -> bool:
    if reference is None:
        return True
    if candidate == reference:
        return True
    for row in substitutions:
        if (row["provider"], row["premium_model_id"], row["substitute_model_id"]) == (
            reference.provider,
            reference.model_id,
            candidate.model_id,
        ) and candidate.provider == reference.provider:
            limit = row["max_output_tokens_per_request"]
            return not limit or output_tokens <= float(limit)
    return False


def price_candidate(book: PriceBook, req: EstimateRequest, candidate: Candidate, substitutions: list[dict]) -> CandidateEstimate:
    model_id = book.model_id(candidate.provider, candidate.model_id)
    result = CandidateEstimate(
        candidate=str(candidate),
        provider=candidate.provider,
        model_id=model_id,
        is_priced=True,
        unpriced_reason=None,
        meets_quality_tier=meets_quality(
            Candidate(candidate.provider, model_id), req.quality_reference, req.output_tokens_per_request, substitutions
        ),
    )
    context_tier = book.context_tier(candidate.provider, model_id, int(req.input_tokens_per_request))
    # the cache-hit share applies to every input modality; audio/image at their own rates (text rate
    # of the same token type when the price point has none), the rest of each parent at the text rate
    audio_in, image_in = req.input_audio_tokens_per_request, req.input_image_tokens_per_request
    audio_out, image_out = req.output_audio_tokens_per_request, req.output_image_tokens_per_request
    text_in = req.input_tokens_per_request - audio_in - image_in
    cached = text_in * req.cache_hit_share
    uncached = text_in - cached
    text_out = req.output_tokens_per_request - audio_out - image_out
    tiers = [(req.service_tier, 1 - req.batch_share), ("batch", req.batch_share)]
    day_index = 0
    for first, nxt in horizon_months(req.start_date, req.months):
        month = MonthEstimate(first.replace(day=1), 0.0, 0.0, 0.0, 0.0)
        day = first
        while day < nxt:
            requests = req.requests_on(day_index)
            factor = book.discount_factor(candidate.provider, model_id, day)
            for tier, share in tiers:
                if share == 0:
                    continue
                point = book.lookup(candidate.provider, model_id, tier, context_tier, day)
                if point is None:
                    result.is_priced = False
                    result.unpriced_reason = f"no {tier}/{context_tier} price for {candidate.provider}:{model_id} on {day}"
                    continue
                per_request = uncached * point.rate("input") + cached * point.rate("cache_read") + text_out * point.rate("output")
                for tokens, uncached_type, cached_type in (
                    (audio_in, "input_audio", "cache_read_audio"),
                    (image_in, "input_image", "cache_read_image"),
                ):
                    if tokens:
                        per_request += tokens * (1 - req.cache_hit_share) * point.rate(uncached_type)
                        per_request += tokens * req.cache_hit_share * point.rate(cached_type)
                for tokens, token_type in ((audio_out, "output_audio"), (image_out, "output_image")):
                    if tokens:
                        per_request += tokens * point.rate(token_type)
                list_cost = requests * share * per_request
                month.list_cost += list_cost
                month.contracted_cost += list_cost * factor
            month.requests += requests
            day += timedelta(days=1)
            day_index += 1
        month.effective_cost = month.contracted_cost
        result.months.append(month)
    return result


def estimate(req: EstimateRequest, project: Path) -> dict:
    """Price every candidate; returns a JSON-ready dict (see module docstring for the rules)."""
    req.validate()
    book = PriceBook.from_project(project)
    substitutions = load_substitutions(project / "seeds" / "optimization" / "ai_finops__model_substitutions.csv")
    results = [price_candidate(book, req, c, substitutions) for c in req.candidates]
    low_factor = (1 - req.volume_uncertainty) * (1 - req.token_uncertainty)
    high_factor = (1 + req.volume_uncertainty) * (1 + req.token_uncertainty)
    rows = []
    for r in results:
        expected = r.monthly_effective_cost
        rows.append(
            {
                "candidate": r.candidate,
                "provider": r.provider,
                "model_id": r.model_id,
                "is_priced": r.is_priced,
                "unpriced_reason": r.unpriced_reason,
                "meets_quality_tier": r.meets_quality_tier,
                "monthly_list_cost": r.total("list_cost") / len(r.months),
                "monthly_contracted_cost": r.total("contracted_cost") / len(r.months),
                "monthly_effective_cost": expected,
                "monthly_effective_cost_low": expected * low_factor,
                "monthly_effective_cost_high": expected * high_factor,
                "months": [{**asdict(m), "month": m.month.isoformat()} for m in r.months],
            }
        )
    eligible = [row for row in rows if row["is_priced"] and row["meets_quality_tier"]]
    cheapest = min(eligible, key=lambda row: row["monthly_effective_cost"]) if eligible else None
    return {
        "inputs": {
            **{k: v for k, v in asdict(req).items() if k not in ("candidates", "quality_reference", "start_date")},
            "candidates": [str(c) for c in req.candidates],
            "quality_reference": str(req.quality_reference) if req.quality_reference else None,
            "start_date": req.start_date.isoformat(),
        },
        "currency": "USD",
        "range_assumption": (
            f"low/high = expected x (1 -/+ {req.volume_uncertainty:.0%} request volume) "
            f"x (1 -/+ {req.token_uncertainty:.0%} tokens per request)"
        ),
        "candidates": rows,
        "cheapest_meeting_quality_tier": cheapest["candidate"] if cheapest else None,
    }


def format_table(result: dict) -> str:
    """A readable table of the estimate: one line per candidate, monthly means over the horizon."""
    head = f"{'candidate':<40} {'list/mo':>12} {'contracted/mo':>14} {'effective/mo':>13} {'low':>12} {'high':>12}  quality"
    lines = [head, "-" * len(head)]
    for row in result["candidates"]:
        if not row["is_priced"]:
            lines.append(f"{row['candidate']:<40} unpriced: {row['unpriced_reason']}")
            continue
        lines.append(
            f"{row['candidate']:<40} {row['monthly_list_cost']:>12,.2f} {row['monthly_contracted_cost']:>14,.2f} "
            f"{row['monthly_effective_cost']:>13,.2f} {row['monthly_effective_cost_low']:>12,.2f} "
            f"{row['monthly_effective_cost_high']:>12,.2f}  {'meets' if row['meets_quality_tier'] else '-'}"
        )
    lines.append("")
    lines.append(f"Costs in {result['currency']} per month (mean over {result['inputs']['months']} months).")
    lines.append(f"Range: {result['range_assumption']}.")
    ref = result["inputs"]["quality_reference"]
    tier = f"as good as {ref}" if ref else "any model"
    lines.append(f"Cheapest candidate meeting the quality tier ({tier}): {result['cheapest_meeting_quality_tier'] or 'none'}")
    return "\n".join(lines)


def available_models(project: Path, on: date | None = None) -> list[str]:
    """provider:model_id of every model with a standard-tier price in the price book (on a day, if given)."""
    book = PriceBook.from_project(project)
    return sorted(
        {
            f"{p.provider}:{p.model_id}"
            for p in book.points
            if p.service_tier == "standard" and (on is None or (p.valid_from <= on and (p.valid_to is None or on < p.valid_to)))
        }
    )
