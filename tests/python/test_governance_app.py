"""The Budgets & forecast and Anomalies & policies pages over the built demo (AppTest runs the real scripts)."""

from __future__ import annotations

import duckdb
from streamlit.testing.v1 import AppTest

from .conftest import PROJECT

APP = PROJECT / "app" / "streamlit_app.py"


def _page(app_dir: str, name: str):
    # AppTest runs this function's source on its own: everything it uses is imported here.
    import importlib
    import sys

    sys.path.insert(0, app_dir)
    importlib.import_module(f"app_pages.{name}").render()


def test_budgets_page_shows_statuses_and_forecast(built_database, monkeypatch):
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(built_database))
    at = AppTest.from_function(_page, args=(str(APP.parent), "budgets"), default_timeout=60).run()
    assert not at.exception
    with duckdb.connect(str(built_database), read_only=True) as con:
        statuses = dict(
            con.execute("select budget_status, count(*) from main_marts.fct_budget_status_daily where is_latest group by 1").fetchall()
        )
        month_end = con.execute(
            "select forecast_spend from main_marts.fct_spend_forecast where scope_type = 'total' and horizon = 'month_end'"
        ).fetchone()[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["⛔ hard cap breached"] == str(statuses["hard_cap_breached"])
    assert metrics["🟢 ok"] == str(statuses["ok"])
    assert metrics["Month end (October)"] == f"${month_end:,.2f}"
    table = at.dataframe[0].value
    assert len(table) == sum(statuses.values())
    assert table.iloc[0]["status"].endswith("hard_cap_breached")
    # another budget and another forecast scope re-render without error
    at.selectbox(key="budget_choice").set_value("Legal Operations monthly").run()
    at.radio(key="forecast_level").set_value("Team").run()
    at.selectbox(key="forecast_scope").set_value("sales-engineering").run()
    assert not at.exception


def test_anomalies_page_shows_the_runaway_loop_and_violations(built_database, monkeypatch):
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(built_database))
    at = AppTest.from_function(_page, args=(str(APP.parent), "anomalies"), default_timeout=60).run()
    assert not at.exception
    anomalies, violations = at.dataframe[0].value, at.dataframe[1].value
    loop = anomalies[
        (anomalies["granularity"] == "hour") & (anomalies["scope_type"] == "workflow") & (anomalies["scope_id"] == "deal-desk-agent")
    ].iloc[0]
    assert loop["severity"] == "critical" and loop["owner_team_id"] == "sales-engineering" and loop["excess_cost"] > 1000
    assert {"pol-classifier-no-premium", "pol-rag-max-context", "pol-owner-required"} <= set(violations["policy_id"])
    with duckdb.connect(str(built_database), read_only=True) as con:
        total = con.execute("select sum(contracted_cost) from main_marts.fct_policy_violations").fetchone()[0]
    assert abs(violations["contracted_cost"].sum() - total) < 1e-6


def test_governance_pages_are_in_the_navigation(built_database, monkeypatch):
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(built_database))
    source = APP.read_text()
    assert 'url_path="budgets"' in source and 'url_path="anomalies"' in source
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
