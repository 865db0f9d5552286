"""Commitments on the demo (seeds/contracts/ai_finops__commitments.csv), recomputed by hand from the daily fact."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date

import pytest

from .conftest import PROJECT


def seeded_commitments() -> dict[str, dict]:
    with open(PROJECT / "seeds" / "contracts" / "ai_finops__commitments.csv", newline="") as f:
        return {r["commitment_id"]: r for r in csv.DictReader(f)}


def daily_contracted(marts, provider: str, usage_kind: str | None = None) -> dict[date, float]:
    """Priced contracted cost per day: all usage (tokens + units, what a drawdown commitment draws), or one kind."""
    rows = marts.execute(
        """
        select usage_date, sum(contracted_cost) from main_marts.fct_ai_cost_daily
        where provider = ? and pricing_status = 'priced' and usage_kind = coalesce(?, usage_kind)
        group by 1 order by 1
        """,
        [provider, usage_kind],
    ).fetchall()
    return {day: cost for day, cost in rows}


def test_committed_spend_shortfall_is_a_visible_line(marts):
    """Anthropic commits $200 a month: August and September use less, so the shortfall is unused
    commitment (a chargeback line in effective cost); October's runaway weekend draws it all."""
    commitment = seeded_commitments()["anthropic-commit-2026"]
    monthly_commit = float(commitment["amount"])
    by_month: dict[date, float] = defaultdict(float)
    for day, cost in daily_contracted(marts, "anthropic").items():
        by_month[day.replace(day=1)] += cost
    utilization = {
        row[0]: row[1:]
        for row in marts.execute(
            """
            select period_start, period_status, drawn_usage_cost, unused_cost, amortized_cost
            from main_marts.fct_commitment_utilization where commitment_id = 'anthropic-commit-2026'
            """
        ).fetchall()
    }
    for month in (date(2026, 8, 1), date(2026, 9, 1)):
        assert by_month[month] < monthly_commit
        status, drawn, unused, amortized = utilization[month]
        assert status == "closed"
        assert drawn == pytest.approx(by_month[month], abs=1e-6)
        assert unused == pytest.approx(monthly_commit - by_month[month], abs=1e-6)
        assert amortized + unused == pytest.approx(monthly_commit, abs=1e-9)
        (line,) = marts.execute(
            """
            select effective_cost from main_marts.fct_chargeback_monthly
            where line_type = 'unused_commitment' and billing_month = ? and commitment_id = 'anthropic-commit-2026'
            """,
            [month],
        ).fetchall()
        assert line[0] == pytest.approx(monthly_commit - by_month[month], abs=1e-6)
    status, drawn, unused, _ = utilization[date(2026, 10, 1)]
    assert status == "open" and by_month[date(2026, 10, 1)] > monthly_commit
    assert drawn == pytest.approx(monthly_commit) and unused == 0
    # a drawdown is paid 1:1: Anthropic's effective cost is its contracted cost
    eff, contracted = marts.execute(
        "select sum(effective_cost), sum(contracted_cost) from main_marts.fct_ai_cost_daily where provider = 'anthropic'"
    ).fetchone()
    assert eff == pytest.approx(contracted, abs=1e-6)


def test_prepaid_credits_are_used_first_and_amortised_at_their_price(marts):
    """OpenAI's $300 of credits bought for $270 cover all priced usage of the account (token and unit
    usage: images, speech, transcription, code interpreter) from 2026-09-01 in date order; covered
    dollars cost 0.9, the day that exhausts them is covered pro rata across its token and unit rows,
    the rest is on demand."""
    commitment = seeded_commitments()["openai-prepaid-2026"]
    face, paid = float(commitment["included_usage"]), float(commitment["amount"])
    start = date.fromisoformat(commitment["valid_from"])
    unit_cost = daily_contracted(marts, "openai", "units")
    left = face
    expected: dict[date, float] = defaultdict(float)
    expected_units: dict[date, float] = defaultdict(float)
    covered_total = covered_units = 0.0
    for day, cost in daily_contracted(marts, "openai").items():
        covered = 0.0 if day < start else min(left, cost)
        left -= covered
        covered_total += covered
        expected[day.replace(day=1)] += covered * paid / face + (cost - covered)
        # the day's unit rows take the day's covered fraction like its token rows
        units = unit_cost.get(day, 0.0)
        covered_units += units * covered / cost
        expected_units[day.replace(day=1)] += units * (covered / cost * paid / face + 1 - covered / cost)
    assert left == pytest.approx(0) and covered_total == pytest.approx(face)
    actual: dict[date, float] = defaultdict(float)
    actual_units: dict[date, float] = defaultdict(float)
    for month, kind, effective in marts.execute(
        """
        select cast(date_trunc('month', usage_date) as date), usage_kind, sum(effective_cost)
        from main_marts.fct_ai_cost_daily where provider = 'openai' group by 1, 2
        """
    ).fetchall():
        actual[month] += effective or 0.0
        if kind == "units":
            actual_units[month] += effective or 0.0
    assert set(actual) == set(expected)
    for month, value in expected.items():
        assert actual[month] == pytest.approx(value, abs=1e-6), month
        assert actual_units[month] == pytest.approx(expected_units[month], abs=1e-9), month
    # unit usage under the credits is cheaper than contracted, by exactly 10% of what the credits covered
    unit_contracted, unit_effective, unit_covered, unit_amortised = marts.execute(
        """
        select sum(contracted_cost), sum(effective_cost), sum(commitment_covered_cost), sum(amortized_commitment_cost)
        from main_marts.fct_ai_cost_daily where provider = 'openai' and usage_kind = 'units' and pricing_status = 'priced'
        """
    ).fetchone()
    assert covered_units > 1.0 and unit_covered == pytest.approx(covered_units, abs=1e-9)
    assert unit_amortised == pytest.approx(covered_units * paid / face, abs=1e-9)
    assert unit_effective < unit_contracted
    assert unit_contracted - unit_effective == pytest.approx(covered_units * (1 - paid / face), abs=1e-9)
    chargeback_unit_effective = marts.execute(
        "select sum(unit_usage_effective_cost) from main_marts.fct_chargeback_monthly where provider = 'openai'"
    ).fetchone()[0]
    assert chargeback_unit_effective == pytest.approx(unit_effective, abs=1e-9)
    # the credits saved exactly (face - paid): the discount bought with them
    saved = marts.execute(
        "select sum(contracted_cost - effective_cost) from main_marts.fct_ai_cost_daily where provider = 'openai'"
    ).fetchone()[0]
    assert saved == pytest.approx(face - paid, abs=1e-6)
    # FOCUS EffectiveCost is the same amortised money (token and unit usage)
    focus = marts.execute(
        "select sum(effective_cost) from main_marts.fct_focus_cost_and_usage where provider_name = 'OpenAI' and x_pricing_status = 'priced'"
    ).fetchone()[0]
    daily = marts.execute(
        "select sum(effective_cost) from main_marts.fct_ai_cost_daily where provider = 'openai' and pricing_status = 'priced'"
    ).fetchone()[0]
    assert focus == pytest.approx(daily, abs=1e-6)
    # the unit rows the credits covered are FOCUS 'Used' parts of the credits, in contracted dollars drawn
    used_units, used_quantity, used_effective, used_billed = marts.execute(
        """
        select count(*), sum(commitment_discount_quantity), sum(effective_cost), sum(billed_cost)
        from main_marts.fct_focus_cost_and_usage
        where commitment_discount_id = 'openai-prepaid-2026' and commitment_discount_status = 'Used'
          and sku_price_details like '%x_UsageEndpoint%'
        """
    ).fetchone()
    assert used_units > 0 and used_billed == 0
    assert used_quantity == pytest.approx(covered_units, abs=1e-9)
    assert used_effective == pytest.approx(covered_units * paid / face, abs=1e-9)


def test_bills_are_in_the_reporting_currency(marts):
    """Every demo bill line is USD (the reporting currency): converted at exactly 1, none missing a rate."""
    rows = marts.execute("select fx_status, count(*) from main_intermediate.int_billed_costs_daily group by 1").fetchall()
    assert rows == [("same_currency", rows[0][1])] and rows[0][1] > 0
    assert marts.execute("select sum(unconverted_bill_lines) from main_marts.fct_billing_reconciliation_monthly").fetchone()[0] == 0


def test_focus_export_carries_commitment_purchases_usage_and_unused(marts):
    """FOCUS commitment discounts on the demo: each commitment period is a Purchase row (BilledCost = what
    was paid, EffectiveCost 0), the usage it covered is 'Used' (BilledCost 0, EffectiveCost amortised) and
    the rest of a closed period is 'Unused'. Both demo commitments are consumed or closed, so the Used +
    Unused effective cost of each equals what its purchases billed (FOCUS EffectiveCost-C-012)."""
    seeds = seeded_commitments()
    rows = marts.execute(
        """
        select commitment_discount_id, charge_category, coalesce(commitment_discount_status, '-'),
               count(*), sum(billed_cost), sum(effective_cost), sum(commitment_discount_quantity),
               min(commitment_discount_category), min(pricing_category), sum(coalesce(consumed_quantity, 0))
        from main_marts.fct_focus_cost_and_usage
        where commitment_discount_id is not null
        group by 1, 2, 3
        """
    ).fetchall()
    got = {(r[0], r[1], r[2]): r[3:] for r in rows}
    periods = dict(marts.execute("select commitment_id, count(*) from main_intermediate.int_commitment_periods group by 1").fetchall())
    anthropic, openai = "anthropic-commit-2026", "openai-prepaid-2026"
    # purchases: $200 for each begun month, $270 once for $300 of credits
    n, billed, effective, quantity, category, pricing, _ = got[(anthropic, "Purchase", "-")]
    assert (n, category, pricing) == (periods[anthropic], "Spend", "Standard")
    assert billed == pytest.approx(float(seeds[anthropic]["amount"]) * periods[anthropic], abs=1e-9)
    assert effective == 0 and quantity == pytest.approx(billed, abs=1e-9)
    n, billed, effective, quantity, *_ = got[(openai, "Purchase", "-")]
    assert (n, billed, effective) == (1, pytest.approx(float(seeds[openai]["amount"])), 0)
    assert quantity == pytest.approx(float(seeds[openai]["included_usage"]))
    # used: the drawn contracted dollars, paid by the purchase (billed 0), at the amortised rate
    drawn = dict(
        marts.execute("select commitment_id, sum(drawn_usage_cost) from main_marts.fct_commitment_utilization group by 1").fetchall()
    )
    for commitment in (anthropic, openai):
        n, billed, effective, quantity, category, pricing, tokens = got[(commitment, "Usage", "Used")]
        assert n > 0 and billed == 0 and pricing == "Committed" and tokens > 0
        assert quantity == pytest.approx(drawn[commitment], abs=1e-6)
    assert got[(openai, "Usage", "Used")][2] == pytest.approx(270.0, abs=1e-6)  # $300 of credits at 0.9
    # unused: the shortfall of closed months, no tokens, no bill
    n, billed, effective, quantity, _, _, tokens = got[(anthropic, "Usage", "Unused")]
    unused = marts.execute(
        "select sum(unused_cost) from main_marts.fct_commitment_utilization where commitment_id = ?", [anthropic]
    ).fetchone()[0]
    assert billed == 0 and tokens == 0 and effective == pytest.approx(unused, abs=1e-9) and unused > 0
    assert (openai, "Usage", "Unused") not in got
    for commitment in (anthropic, openai):
        used_and_unused = sum(v[2] for k, v in got.items() if k[0] == commitment and k[1] == "Usage")
        assert used_and_unused == pytest.approx(got[(commitment, "Purchase", "-")][1], abs=1e-6), commitment


def test_focus_export_totals_match_the_cost_and_chargeback_marts(marts):
    """sum(EffectiveCost) = our effective cost + unused commitment; sum(BilledCost) = the billed cost of
    the chargeback's usage lines, less the part on usage a commitment covered, plus the purchases."""
    focus_effective, focus_billed, focus_unpriced = marts.execute(
        """
        select sum(effective_cost), sum(billed_cost),
               sum(case when x_pricing_status = 'unpriced_billed_rate' then effective_cost else 0 end)
        from main_marts.fct_focus_cost_and_usage
        """
    ).fetchone()
    daily_effective, covered_billed = marts.execute(
        """
        select sum(case when pricing_status = 'priced' then effective_cost else 0 end),
               sum(case when commitment_covered_cost > 0
                        then billed_cost * commitment_covered_cost / contracted_cost else 0 end)
        from main_marts.fct_ai_cost_daily
        """
    ).fetchone()
    chargeback_usage_billed, chargeback_unused = marts.execute(
        """
        select sum(case when line_type = 'usage' then billed_cost else 0 end),
               sum(case when line_type = 'unused_commitment' then effective_cost else 0 end)
        from main_marts.fct_chargeback_monthly
        """
    ).fetchone()
    # unit usage (images, audio, tools) is in both: the chargeback's usage lines and FOCUS Usage rows; the
    # part of it the OpenAI credits covered is billed by their purchase, not on the usage rows
    focus_unit_billed, daily_unit_billed, unit_covered_billed = marts.execute(
        """
        select (select sum(billed_cost) from main_marts.fct_focus_cost_and_usage
                where sku_price_details like '%x_UsageEndpoint%'),
               (select sum(billed_cost) from main_marts.fct_ai_cost_daily where usage_kind = 'units'),
               (select sum(case when commitment_covered_cost > 0
                                then billed_cost * commitment_covered_cost / contracted_cost else 0 end)
                from main_marts.fct_ai_cost_daily where usage_kind = 'units')
        """
    ).fetchone()
    assert daily_unit_billed > 0 and unit_covered_billed > 1.0
    assert focus_unit_billed == pytest.approx(daily_unit_billed - unit_covered_billed, abs=1e-6)
    purchases = marts.execute("select sum(period_amount) from main_intermediate.int_commitment_periods").fetchone()[0]
    assert chargeback_unused > 0 and covered_billed > 0 and purchases > 0
    assert focus_effective == pytest.approx(daily_effective + focus_unpriced + chargeback_unused, abs=1e-6)
    assert focus_billed == pytest.approx(chargeback_usage_billed - covered_billed + purchases, abs=1e-4)
