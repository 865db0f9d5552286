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


def daily_contracted(marts, provider: str) -> dict[date, float]:
    rows = marts.execute(
        """
        select usage_date, sum(contracted_cost) from main_marts.fct_ai_cost_daily
        where provider = ? and pricing_status = 'priced' group by 1 order by 1
        """,
        [provider],
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
    """OpenAI's $300 of credits bought for $270 cover usage from 2026-09-01 in date order; covered
    dollars cost 0.9, the day that exhausts them is covered pro rata, the rest is on demand."""
    commitment = seeded_commitments()["openai-prepaid-2026"]
    face, paid = float(commitment["included_usage"]), float(commitment["amount"])
    start = date.fromisoformat(commitment["valid_from"])
    left = face
    expected: dict[date, float] = defaultdict(float)
    covered_total = 0.0
    for day, cost in daily_contracted(marts, "openai").items():
        covered = 0.0 if day < start else min(left, cost)
        left -= covered
        covered_total += covered
        expected[day.replace(day=1)] += covered * paid / face + (cost - covered)
    assert left == pytest.approx(0) and covered_total == pytest.approx(face)
    actual = dict(
        marts.execute(
            """
            select cast(date_trunc('month', usage_date) as date), sum(effective_cost)
            from main_marts.fct_ai_cost_daily where provider = 'openai' group by 1
            """
        ).fetchall()
    )
    assert set(actual) == set(expected)
    for month, value in expected.items():
        assert actual[month] == pytest.approx(value, abs=1e-6), month
    # the credits saved exactly (face - paid): the discount bought with them
    saved = marts.execute(
        "select sum(contracted_cost - effective_cost) from main_marts.fct_ai_cost_daily where provider = 'openai'"
    ).fetchone()[0]
    assert saved == pytest.approx(face - paid, abs=1e-6)
    # FOCUS EffectiveCost is the same amortised money
    focus = marts.execute(
        "select sum(effective_cost) from main_marts.fct_focus_cost_and_usage where provider_name = 'OpenAI' and x_pricing_status = 'priced'"
    ).fetchone()[0]
    daily = marts.execute(
        "select sum(effective_cost) from main_marts.fct_ai_cost_daily where provider = 'openai' and pricing_status = 'priced'"
    ).fetchone()[0]
    assert focus == pytest.approx(daily, abs=1e-6)


def test_bills_are_in_the_reporting_currency(marts):
    """Every demo bill line is USD (the reporting currency): converted at exactly 1, none missing a rate."""
    rows = marts.execute("select fx_status, count(*) from main_intermediate.int_billed_costs_daily group by 1").fetchall()
    assert rows == [("same_currency", rows[0][1])] and rows[0][1] > 0
    assert marts.execute("select sum(unconverted_bill_lines) from main_marts.fct_billing_reconciliation_monthly").fetchone()[0] == 0
