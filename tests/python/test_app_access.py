"""Filters that persist across pages, and optional sign-in with business-unit row scoping (the whole app,
st.navigation included, run by AppTest over the built test warehouse)."""

from __future__ import annotations

import hashlib

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from .conftest import PROJECT

APP = PROJECT / "app" / "streamlit_app.py"


def _open(at: AppTest, url_path: str) -> AppTest:
    """Navigate as the sidebar link does: st.Page identifies a callable page by the hash of its url_path
    (AppTest.switch_page only knows file pages)."""
    at._page_hash = calc_hash(url_path)
    return at.run()


def _app(database, monkeypatch, **secrets) -> AppTest:
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(database))
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in secrets.items():
        at.secrets[key] = value
    return at


def _usage(database, month_rank: int, business_unit: str | None = None) -> tuple:
    """(month, usage list cost) of the n-th latest month, for one business unit or all."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            """select billing_month, sum(list_cost) from main_marts.fct_chargeback_monthly
               where line_type = 'usage' and (cast(? as varchar) is null or business_unit_id = ?)
               group by 1 order by 1 desc limit 1 offset ?""",
            [business_unit, business_unit, month_rank],
        ).fetchone()


def test_filters_set_on_one_page_apply_on_the_others(built_database, monkeypatch):
    at = _app(built_database, monkeypatch).run()
    assert not at.exception
    everyone = _usage(built_database, 0)
    assert at.metric[0].value == f"${everyone[1]:,.2f}"
    # on the Overview: business unit Product, the previous month
    at.selectbox(key="business_unit_choice").set_value("bu-product").run()
    month, product = _usage(built_database, 1, "bu-product")
    at.selectbox(key="selected_month").set_value(month).run()
    assert at.metric[0].label == f"Spend in {month:%B %Y}" and at.metric[0].value == f"${product:,.2f}"
    assert product < _usage(built_database, 1)[1]

    # the Chargeback page opens on the same month and business unit
    _open(at, "chargeback")
    assert not at.exception and at.title[0].value == "Chargeback"
    assert at.selectbox(key="selected_month").value == month
    assert at.selectbox(key="business_unit_choice").value == "bu-product"
    at.toggle(key="after_sharing").set_value(False).run()
    table = at.dataframe[0].value
    assert set(table["business_unit_name"]) == {"Product"}
    assert abs(table["list_cost"].sum() - product) < 1e-6
    at.radio(key="cost_basis").set_value("Billed").run()

    # a page without these widgets, then back: the cost basis and sharing choice are still there
    _open(at, "budgets")
    assert not at.exception
    _open(at, "chargeback")
    assert at.radio(key="cost_basis").value == "Billed" and at.toggle(key="after_sharing").value is False
    assert at.selectbox(key="selected_month").value == month
    assert "billed_cost" in at.dataframe[0].value
    # company-wide marts (provider bills) are not cut by the filter of an unrestricted viewer
    _open(at, "reconciliation")
    assert not at.exception and len(at.dataframe[0].value) == 15
    # and the URL carries them for a shared link
    assert at.query_params["cost"] == ["Billed"] or at.query_params["cost"] == "Billed"


def test_a_link_with_filters_opens_on_them(built_database, monkeypatch):
    month, platform = _usage(built_database, 2, "bu-platform")
    at = _app(built_database, monkeypatch)
    at.query_params = {"month": f"{month:%Y-%m}", "business_unit": "bu-platform"}
    at.run()
    assert not at.exception
    assert at.metric[0].label == f"Spend in {month:%B %Y}" and at.metric[0].value == f"${platform:,.2f}"


PASSWORD = "correct horse"
ACCESS = {
    "require_sign_in": True,
    "viewers": {
        "alice": {"password_sha256": hashlib.sha256(PASSWORD.encode()).hexdigest(), "business_unit_id": "bu-product"},
        "cfo@example.com": {"business_unit_id": "*"},
    },
}


def test_sign_in_is_off_by_default_and_required_when_configured(built_database, monkeypatch):
    at = _app(built_database, monkeypatch, ai_finops_access=ACCESS).run()
    assert not at.exception
    assert at.title[0].value == "AI FinOps: sign in" and not at.metric and not at.dataframe
    at.text_input(key="sign_in_user").input("alice")
    at.text_input(key="sign_in_password").input("wrong").run()
    at.button(key="sign_in_button").click().run()
    assert "wrong password" in at.error[0].value and not at.metric


def test_a_scoped_viewer_sees_only_their_business_unit_on_every_page(built_database, monkeypatch):
    at = _app(built_database, monkeypatch, ai_finops_access=ACCESS).run()
    at.text_input(key="sign_in_user").input("alice")
    at.text_input(key="sign_in_password").input(PASSWORD)
    at.button(key="sign_in_button").click().run()
    assert not at.exception
    month, product = _usage(built_database, 0, "bu-product")
    assert at.metric[0].value == f"${product:,.2f}"
    assert not [s for s in at.selectbox if s.key == "business_unit_choice"]  # no filter to widen the scope
    # even a forged filter value cannot widen it
    at.session_state["business_unit"] = "bu-corporate"
    at.run()
    assert at.metric[0].value == f"${product:,.2f}"

    _open(at, "chargeback")
    at.radio(key="chargeback_level").set_value("Team").run()
    table = at.dataframe[0].value
    assert set(table["business_unit_name"]) <= {"Product", "unallocated"}
    with duckdb.connect(str(built_database), read_only=True) as con:
        product_teams = {
            r[0]
            for r in con.execute(
                "select distinct team_name from main_marts.fct_chargeback_monthly where business_unit_id = 'bu-product'"
            ).fetchall()
        }
        owners = {r[0] for r in con.execute("select distinct owner_team_name from main_marts.fct_optimization_recommendations").fetchall()}
    assert set(table["team_name"]) <= product_teams
    _open(at, "optimization")
    assert not at.exception
    shown = set(at.dataframe[0].value["owner_team_name"])
    assert shown and shown <= product_teams and owners - product_teams  # other units' recommendations exist, unseen
    # company-wide marts (provider bills, row accounting) show no rows to a scoped viewer
    _open(at, "reconciliation")
    assert not at.exception
    assert all(len(frame.value) == 0 for frame in at.dataframe)


def test_a_viewer_signed_in_through_the_identity_provider_is_matched_on_email(built_database, monkeypatch):
    at = _app(built_database, monkeypatch, ai_finops_access=ACCESS)
    at.user = {"is_logged_in": True, "email": "cfo@example.com"}
    at.run()
    assert not at.exception
    assert at.metric[0].value == f"${_usage(built_database, 0)[1]:,.2f}"  # "*": every business unit


@pytest.mark.parametrize("business_unit", ["bu-product", "bu-corporate"])
def test_scoping_is_applied_in_data_access_with_bound_parameters(built_database, monkeypatch, business_unit):
    import sys

    sys.path.insert(0, str(APP.parent))
    import data_access

    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(built_database))
    token = data_access.scope_to(business_unit)
    try:
        month = data_access.available_months()[0]
        lines = data_access.chargeback_lines(month)
        download = data_access.deferred(data_access.chargeback_lines, month)  # a download built when clicked
        recommendations = data_access.optimization_recommendations()
        daily = data_access.scope_daily_spend("total", "total")
        budgets = data_access.budget_status_latest()
    finally:
        data_access._SCOPE_OVERRIDE.reset(token)
    assert set(lines["business_unit_id"]) == {business_unit}
    assert set(download()["business_unit_id"]) == {business_unit}  # called later, outside the scope: still bound to it
    with duckdb.connect(str(built_database), read_only=True) as con:
        teams = {
            r[0]
            for r in con.execute(
                "select team_id from main_marts.fct_chargeback_monthly where business_unit_id = ?", [business_unit]
            ).fetchall()
        }
        total = con.execute(
            "select sum(contracted_cost) from main_marts.fct_ai_cost_daily where business_unit_id = ?", [business_unit]
        ).fetchone()[0]
    assert set(recommendations["owner_team_id"]) <= teams
    # budgets: the unit's own, its cost centers', its teams' (never another unit's, a key's or the company's)
    assert set(budgets.loc[budgets["scope_type"] == "business_unit", "scope_id"]) <= {business_unit}
    assert set(budgets.loc[budgets["scope_type"] == "team", "scope_id"]) <= teams
    assert not set(budgets["scope_type"]) & {"total", "api_key"}
    assert abs(daily["contracted_cost"].sum() - total) < 1e-6
    sql, params = data_access.render_sql("select * from {marts}.fct_ai_cost_daily", [], "main_marts", "qmark", business_unit)
    assert business_unit not in sql and params == [business_unit]
