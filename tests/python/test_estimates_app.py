"""The Estimates page over a real built database (AppTest runs the real page and estimator)."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from .conftest import PROJECT

APP = PROJECT / "app" / "streamlit_app.py"


def _estimates_page(app_dir: str):
    # AppTest runs this function's source on its own: everything it uses is imported here.
    import sys

    sys.path.insert(0, app_dir)
    from app_pages import estimates

    estimates.render()


def test_estimates_page_flags_overruns_disputes_and_estimates(built_database, monkeypatch):
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(built_database))
    at = AppTest.from_function(_estimates_page, args=(str(APP.parent),), default_timeout=60).run()
    assert not at.exception
    with duckdb.connect(str(built_database), read_only=True) as con:
        over_months, dispute = con.execute(
            """select (select count(*) from main_marts.fct_estimate_vs_actual_monthly where is_over_estimate),
                      (select sum(amount_to_dispute) from main_marts.fct_outcome_fee_reconciliation_monthly)"""
        ).fetchone()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Estimates tracked"] == "2"
    assert metrics["Months over estimate (>125%)"] == f"{over_months:,}" and over_months > 0
    assert metrics["To dispute"] == f"${dispute:,.2f}" and dispute > 0
    assert any("est-2026-017" in w.value for w in at.warning)
    vs_actual = at.dataframe[0].value
    assert set(vs_actual["estimate_id"]) == {"est-2026-014", "est-2026-017"}
    assert not vs_actual.loc[vs_actual["estimate_id"] == "est-2026-014", "is_over_estimate"].any()

    # the estimator form: one candidate, flat 1,000 requests a day for October 2026 (recomputed by hand in test_estimate.py)
    at.multiselect(key="est_models").set_value(["anthropic:claude-haiku-4-5"])
    at.number_input(key="est_start").set_value(1000.0)
    at.number_input(key="est_end").set_value(1000.0)
    at.number_input(key="est_ramp").set_value(0)
    at.number_input(key="est_input").set_value(1000.0)
    at.number_input(key="est_output").set_value(100.0)
    at.number_input(key="est_months").set_value(1)
    at.slider(key="est_cache").set_value(0.25)
    at.slider(key="est_batch").set_value(0.5)
    at.date_input(key="est_date").set_value(date(2026, 10, 1))
    at.button(key="est_submit").click().run()
    assert not at.exception
    result = at.dataframe[-1].value
    assert list(result["candidate"]) == ["anthropic:claude-haiku-4-5"]
    assert result["monthly_contracted_cost"].iloc[0] == pytest.approx(26.679375)
    assert "claude-haiku-4-5" in at.success[0].value
