"""The warehouse is configuration: connection selection, placeholder rendering per paramstyle, and the
generic DB-API path (run here with DuckDB's own DB-API module) answering exactly as the native one."""

from __future__ import annotations

import sys
from datetime import date

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from .conftest import PROJECT

APP = PROJECT / "app" / "streamlit_app.py"
sys.path.insert(0, str(APP.parent))
import data_access  # noqa: E402


def test_duckdb_file_is_the_default_and_environment_wins_over_secrets():
    assert data_access.resolve_config({}, env={}) == data_access.ConnectionConfig()
    section = {"type": "snowflake", "marts_database": "ANALYTICS", "marts_schema": "AI_FINOPS_MARTS", "ttl_seconds": 60,
               "connect_args": {"account": "xy12345", "user": "FINANCE_APP", "authenticator": "externalbrowser"}}  # fmt: skip
    config = data_access.resolve_config(section, env={})
    assert config.type == "snowflake" and config.marts == "ANALYTICS.AI_FINOPS_MARTS" and config.ttl_seconds == 60
    assert config.driver_module == "snowflake.connector" and dict(config.connect_args)["account"] == "xy12345"
    assert config.paramstyle == "pyformat"  # the connector's default: client-side binding with %s
    qmark = data_access.resolve_config({**section, "connect_args": {"paramstyle": "qmark"}}, env={})
    assert qmark.paramstyle == "qmark"  # server-side binding, if configured so
    overridden = data_access.resolve_config(section, env={"AI_FINOPS_CONNECTION_TYPE": "duckdb", "AI_FINOPS_MARTS_SCHEMA": "main_marts"})
    assert overridden.type == "duckdb" and overridden.marts == "ANALYTICS.main_marts"
    with pytest.raises(ValueError, match="identifier"):
        data_access.resolve_config({"marts_schema": "marts; drop table x"}, env={})
    with pytest.raises(ValueError, match="module"):
        data_access.resolve_config({"type": "dbapi"}, env={})
    with pytest.raises(ValueError, match="unknown connection type"):
        data_access.resolve_config({"type": "oracle"}, env={})


SQL = "select a from {marts}.fct_ai_cost_daily where d = ? and note like 'x?%' -- what?\n and b in (?, ?)"


@pytest.mark.parametrize(
    ("paramstyle", "expected_sql", "expected_params"),
    [
        ("qmark", "select a from S.fct_ai_cost_daily where d = ? and note like 'x?%' -- what?\n and b in (?, ?)", [1, 2, 3]),
        ("format", "select a from S.fct_ai_cost_daily where d = %s and note like 'x?%%' -- what?\n and b in (%s, %s)", [1, 2, 3]),
        ("pyformat", "select a from S.fct_ai_cost_daily where d = %s and note like 'x?%%' -- what?\n and b in (%s, %s)", [1, 2, 3]),
        ("numeric", "select a from S.fct_ai_cost_daily where d = :1 and note like 'x?%' -- what?\n and b in (:2, :3)", [1, 2, 3]),
        (
            "named",
            "select a from S.fct_ai_cost_daily where d = :p1 and note like 'x?%' -- what?\n and b in (:p2, :p3)",
            {"p1": 1, "p2": 2, "p3": 3},
        ),
    ],
)
def test_placeholders_are_rendered_in_the_drivers_paramstyle(paramstyle, expected_sql, expected_params):
    assert data_access.render_sql(SQL, [1, 2, 3], "S", paramstyle) == (expected_sql, expected_params)


def test_placeholders_and_parameters_must_match_and_percent_stays_when_nothing_is_bound():
    with pytest.raises(ValueError):
        data_access.render_sql(SQL, [1, 2], "S")
    with pytest.raises(ValueError):
        data_access.render_sql("select ?", [1, 2], "S")
    assert data_access.render_sql("select '100%' as x", [], "S", "pyformat") == ("select '100%' as x", [])
    # scoped: the business unit joins the parameters at its place in the text, before the user's
    sql, params = data_access.render_sql(
        "select * from {marts}.fct_chargeback_monthly where billing_month = ?", [date(2026, 9, 1)], "DB.S", "pyformat", "bu-x"
    )
    assert (
        sql
        == "select * from (select * from DB.S.fct_chargeback_monthly where business_unit_id = %s) as fct_chargeback_monthly where billing_month = %s"
    )
    assert params == ["bu-x", date(2026, 9, 1)]


def test_the_generic_dbapi_path_answers_like_the_native_one(built_database, monkeypatch):
    native = data_access.resolve_config({"database_path": str(built_database)}, env={})
    generic = data_access.resolve_config(
        {"type": "dbapi", "module": "duckdb", "connect_args": {"database": str(built_database), "read_only": True}}, env={}
    )
    assert generic.paramstyle == "qmark" and generic.driver_module == "duckdb"
    answers = {}
    for name, config in (("native", native), ("generic", generic)):
        monkeypatch.setattr(data_access, "connection_config", lambda config=config: config)
        month = data_access.available_months()[1]
        answers[name] = {
            "months": pd.DataFrame({"m": data_access.available_months()}),
            "totals": data_access.monthly_totals(),
            "chargeback": data_access.chargeback(month, "Workflow", "billed_cost", after_sharing=False),
            "budgets": data_access.budget_status_latest(),
            "forecast": data_access.spend_forecast("total", "total"),
            "policies": data_access.policy_violation_summary(),
            "recommendations": data_access.optimization_recommendations(None, False),
        }
    for key, frame in answers["native"].items():
        other = answers["generic"][key]
        assert len(frame) > 0, key
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), other.reset_index(drop=True), check_dtype=False, rtol=1e-9, obj=key)


def test_the_app_reads_the_warehouse_named_in_its_secrets(built_database, monkeypatch):
    monkeypatch.delenv("AI_FINOPS_DUCKDB_PATH", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.secrets["connections"] = {
        "ai_finops": {"type": "dbapi", "module": "duckdb", "connect_args": {"database": str(built_database), "read_only": True}}
    }
    at.run()
    assert not at.exception
    with duckdb.connect(str(built_database), read_only=True) as con:
        month, total = con.execute(
            "select billing_month, sum(list_cost) from main_marts.fct_chargeback_monthly where line_type = 'usage' group by 1 order by 1 desc limit 1"
        ).fetchone()
    assert at.metric[0].label == f"Spend in {month:%B %Y}" and at.metric[0].value == f"${total:,.2f}"
