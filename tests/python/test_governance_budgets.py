"""Budgets mart on the demo data: spend to date, period reset, mid-period changes, roll-up, overrun date."""

from __future__ import annotations

from datetime import date

import pytest

BUDGETS = "main_marts.fct_budget_status_daily"


def _row(marts, budget_id: str, day: str) -> dict:
    cur = marts.execute(f"select * from {BUDGETS} where budget_id = ? and budget_date = ?", [budget_id, day])
    cols = [d[0] for d in cur.description]
    found = cur.fetchall()
    assert len(found) == 1, (budget_id, day, found)
    return dict(zip(cols, found[0], strict=True))


def _team_spend(marts, team_id: str, start: str, end_inclusive: str) -> float:
    return marts.execute(
        "select coalesce(sum(contracted_cost), 0) from main_marts.fct_ai_cost_daily where team_id = ? and usage_date between ? and ?",
        [team_id, start, end_inclusive],
    ).fetchone()[0]


def test_budget_spend_to_date_equals_team_spend(marts):
    row = _row(marts, "bud-team-legal-ops", "2026-09-30")
    assert row["spend_to_date"] == pytest.approx(_team_spend(marts, "legal-ops", "2026-09-01", "2026-09-30"), abs=1e-9)
    assert row["days_elapsed"] == 30 and row["days_in_period"] == 30


def test_budget_period_resets_at_period_start(marts):
    first = _row(marts, "bud-team-legal-ops", "2026-10-01")
    assert first["period_start_date"] == date(2026, 10, 1)
    assert first["spend_to_date"] == pytest.approx(first["daily_spend"], abs=1e-12)
    assert first["spend_to_date"] == pytest.approx(_team_spend(marts, "legal-ops", "2026-10-01", "2026-10-01"), abs=1e-9)
    # quarterly budget: 1 October starts Q4 from zero, 30 September still holds Q3 (August + September)
    q3 = _row(marts, "bud-cc-3001-quarterly", "2026-09-30")
    q4 = _row(marts, "bud-cc-3001-quarterly", "2026-10-01")
    cc_q3 = marts.execute(
        "select sum(contracted_cost) from main_marts.fct_ai_cost_daily where cost_center_id = 'cc-3001' and usage_date < '2026-10-01'"
    ).fetchone()[0]
    assert q3["spend_to_date"] == pytest.approx(cc_q3, abs=1e-9)
    assert q4["spend_to_date"] == pytest.approx(q4["daily_spend"], abs=1e-12)
    # a custom period exists only inside its range
    days = marts.execute(
        f"select min(budget_date), max(budget_date) from {BUDGETS} where budget_id = 'bud-team-ml-platform-eval-sprint'"
    ).fetchone()
    assert days == (date(2026, 9, 1), date(2026, 10, 15))


def test_budget_changed_mid_period_keeps_spend_to_date(marts):
    before = _row(marts, "bud-team-support-automation", "2026-10-14")
    after = _row(marts, "bud-team-support-automation", "2026-10-15")
    assert (before["budget_amount"], after["budget_amount"]) == (180.0, 170.0)
    # the new version does not restart the period: spend continues from the month start
    assert after["spend_to_date"] == pytest.approx(before["spend_to_date"] + after["daily_spend"], abs=1e-9)
    assert after["spend_to_date"] == pytest.approx(_team_spend(marts, "support-automation", "2026-10-01", "2026-10-15"), abs=1e-9)


def test_budget_hierarchy_rolls_up_children(marts):
    parent = _row(marts, "bud-bu-corporate", "2026-10-20")
    kids = [_row(marts, b, "2026-10-20") for b in ("bud-team-sales-engineering", "bud-team-legal-ops", "bud-team-finance-ops")]
    assert parent["child_budget_count"] == 3
    assert parent["child_budgets_spend_to_date"] == pytest.approx(sum(k["spend_to_date"] for k in kids), abs=1e-9)
    assert parent["child_budgets_amount"] == pytest.approx(30 + 35 + 8)
    # the three budgeted teams are the whole Corporate BU, so the roll-up equals the BU's own spend
    assert parent["child_budgets_spend_to_date"] == pytest.approx(parent["spend_to_date"], abs=1e-9)


def test_team_blows_budget_early_and_another_stays_under(marts):
    sales = _row(marts, "bud-team-sales-engineering", "2026-10-29")
    assert sales["overrun_date"] == date(2026, 10, 10)  # the weekend runaway loop
    assert sales["budget_status"] == "hard_cap_breached"
    legal = _row(marts, "bud-team-legal-ops", "2026-10-29")
    assert legal["budget_status"] == "ok" and legal["spend_to_date"] < legal["budget_amount"]
    assert legal["overrun_date"] is None and legal["projected_overrun_date"] is None


def test_projected_overrun_date_follows_the_burn_rate(marts):
    rows = marts.execute(
        f"""select budget_id, budget_date, budget_amount, spend_to_date, burn_rate_daily, projected_overrun_date, period_end_date
            from {BUDGETS} where overrun_date is null and projected_overrun_date is not null"""
    ).fetchall()
    assert rows, "some budget should be projected to overrun before it does"
    for budget_id, day, amount, spent, burn, projected, period_end in rows:
        days = (projected - day).days
        # the projected day is the first whole day on which burn x days covers what is left
        assert spent + burn * days >= amount - 1e-9, budget_id
        assert spent + burn * (days - 1) < amount + 1e-9, budget_id
        assert projected < period_end, budget_id
    # developer-productivity is on course to cross its October budget before the month ends
    dev = _row(marts, "bud-team-developer-productivity", "2026-10-29")
    assert dev["budget_status"] == "warning"
    assert dev["projected_overrun_date"] == date(2026, 10, 30)
    assert dev["highest_threshold_crossed_pct"] == 90.0
