"""Forecasts: the backtest beats the naive run-rate, and the numbers are what the method says."""

from __future__ import annotations

from datetime import date, timedelta

import pytest


def backtest_mape(marts) -> list[tuple]:
    return marts.execute(
        """select scope_type, count(*), avg(forecast_ape), avg(naive_ape), avg(case when is_actual_within_interval then 1.0 else 0 end)
           from main_marts.fct_forecast_backtest where actual_month_spend > 0 group by 1 order by 1"""
    ).fetchall()


def test_forecast_beats_naive_run_rate_in_backtest(marts):
    rows = backtest_mape(marts)
    print("\nbacktest (scope_type, forecasts, MAPE ours, MAPE naive, interval coverage):", rows)
    assert {r[0] for r in rows} == {"total", "business_unit", "team", "workflow"}
    for scope_type, n, ours, naive, _ in rows:
        assert n > 0
        assert ours < naive, (scope_type, ours, naive)
    # made on days 10, 15 and 20 of the complete months only (August and September)
    days = marts.execute("select distinct forecast_made_on_date from main_marts.fct_forecast_backtest order by 1").fetchall()
    assert [d[0] for d in days] == [
        date(2026, 8, 10),
        date(2026, 8, 15),
        date(2026, 8, 20),
        date(2026, 9, 10),
        date(2026, 9, 15),
        date(2026, 9, 20),
    ]


def test_backtest_recomputed_by_hand_for_total(marts):
    """The total's 15 September forecast from the raw daily fact: medians of the 28 days up to the 15th."""
    daily = dict(
        marts.execute(
            "select usage_date, sum(contracted_cost) from main_marts.fct_ai_cost_daily where usage_date <= '2026-09-30' group by 1"
        ).fetchall()
    )
    origin = date(2026, 9, 15)
    window = [origin - timedelta(days=i) for i in range(28)]

    def median(values):
        v = sorted(values)
        return (v[len(v) // 2] + v[(len(v) - 1) // 2]) / 2

    weekday = median([daily.get(d, 0) for d in window if d.weekday() < 5])
    weekend = median([daily.get(d, 0) for d in window if d.weekday() >= 5])
    rest = [origin + timedelta(days=i) for i in range(1, 16)]
    mtd = sum(daily.get(date(2026, 9, d), 0) for d in range(1, 16))
    expected = mtd + sum(weekend if d.weekday() >= 5 else weekday for d in rest)
    actual = sum(daily.get(date(2026, 9, d), 0) for d in range(1, 31))
    row = marts.execute(
        """select forecast_month_spend, naive_forecast_month_spend, actual_month_spend from main_marts.fct_forecast_backtest
           where scope_type = 'total' and forecast_made_on_date = '2026-09-15'"""
    ).fetchone()
    assert row == pytest.approx((expected, mtd / 15 * 30, actual), rel=1e-9)


def test_spend_forecast_is_robust_to_the_runaway_weekend(marts):
    rows = {
        r[0]: r[1:]
        for r in marts.execute(
            """select horizon, as_of_date, actual_to_date_spend, forecast_lower_spend, forecast_spend, forecast_upper_spend, naive_forecast_spend
               from main_marts.fct_spend_forecast where scope_type = 'team' and scope_id = 'sales-engineering'"""
        ).fetchall()
    }
    assert set(rows) == {"month_end", "next_90_days"}
    as_of, mtd, low, mid, high, naive = rows["month_end"]
    assert as_of == date(2026, 10, 29)
    assert mtd <= low <= mid <= high
    # the loop's $1,800 is in October's actuals but not carried forward: 90 days ahead stay near normal months
    _, _, low90, mid90, high90, naive90 = rows["next_90_days"]
    normal_month = marts.execute(
        "select sum(contracted_cost) from main_marts.fct_ai_cost_daily where team_id = 'sales-engineering' and usage_date between '2026-09-01' and '2026-09-30'"
    ).fetchone()[0]
    assert low90 <= mid90 <= high90
    assert 2 * normal_month < mid90 < 4 * normal_month
    assert naive90 > 10 * mid90
    # every scope type forecasts the same total
    totals = marts.execute(
        """select scope_type, sum(forecast_spend) from main_marts.fct_spend_forecast where horizon = 'month_end' group by 1"""
    ).fetchall()
    reference = dict(totals)["total"]
    for scope_type, total in totals:
        assert total == pytest.approx(reference, rel=0.05), scope_type
