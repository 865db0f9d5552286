"""The dashboard over a real built database (AppTest runs the real scripts)."""

from __future__ import annotations

import duckdb
from streamlit.testing.v1 import AppTest

from .conftest import PROJECT

APP = PROJECT / "app" / "streamlit_app.py"


def _chargeback_page(app_dir: str):
    # AppTest runs this function's source on its own: everything it uses is imported here.
    import sys

    sys.path.insert(0, app_dir)
    from app_pages import chargeback

    chargeback.render()


def test_overview_shows_the_latest_month_total(built_database, monkeypatch):
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(built_database))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    with duckdb.connect(str(built_database), read_only=True) as con:
        month, total = con.execute(
            "select billing_month, sum(list_cost) from main_marts.fct_chargeback_monthly where line_type = 'usage' group by 1 order by 1 desc limit 1"
        ).fetchone()
    spend = at.metric[0]
    assert spend.label == f"Spend in {month:%B %Y}"
    assert spend.value == f"${total:,.2f}"


def test_chargeback_rolls_up_and_sums_to_the_month(built_database, monkeypatch):
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(built_database))
    at = AppTest.from_function(_chargeback_page, args=(str(APP.parent),), default_timeout=60).run()
    assert not at.exception
    months = at.selectbox(key="selected_month").options
    assert len(months) == 3
    at.radio(key="chargeback_level").set_value("Business unit").run()
    with duckdb.connect(str(built_database), read_only=True) as con:
        month_filter = "billing_month = (select max(billing_month) from main_marts.fct_chargeback_monthly)"
        after, before, billed = con.execute(
            f"""select sum(list_cost), sum(case when line_type = 'usage' then list_cost end),
                       sum(billed_cost) from main_marts.fct_chargeback_monthly where {month_filter}"""
        ).fetchone()
    # after sharing (default): the unallocated line's money is shared out (its tokens stay visible),
    # and the total includes platform charges
    table = at.dataframe[0].value
    unallocated = table[table["business_unit_name"] == "unallocated"]
    assert unallocated["list_cost"].abs().sum() < 1e-9 and unallocated["total_tokens"].sum() > 0
    assert abs(table["list_cost"].sum() - after) < 1e-6
    # before sharing: the unallocated line is back and the total is usage only
    at.toggle(key="after_sharing").set_value(False).run()
    table = at.dataframe[0].value
    assert table.loc[table["business_unit_name"] == "unallocated", "list_cost"].sum() > 0
    assert abs(table["list_cost"].sum() - before) < 1e-6 and before < after
    # usage priced per unit (images, audio, tools) is shown as its part of the measure, and unpriced unit rows are counted
    with duckdb.connect(str(built_database), read_only=True) as con:
        unit_list, unpriced_unit_rows = con.execute(
            f"select sum(unit_usage_list_cost), sum(unpriced_unit_usage_rows) from main_marts.fct_chargeback_monthly where {month_filter}"
        ).fetchone()
    assert unit_list > 0 and unpriced_unit_rows > 0
    assert abs(table["unit_usage_list_cost"].sum() - unit_list) < 1e-6
    assert table["unpriced_unit_usage_rows"].sum() == unpriced_unit_rows
    assert any(f"{unpriced_unit_rows:,} daily rows of usage priced per unit" in w.value for w in at.warning)
    # the cost switch changes the measure
    at.radio(key="cost_basis").set_value("Billed").run()
    table = at.dataframe[0].value
    assert "billed_cost" in table and abs(table["billed_cost"].sum() - (billed - (after - before))) < 1e-6
    assert "unit_usage_contracted_cost" in table and "unit_usage_list_cost" not in table
    assert len(at.get("download_button")) == 4
    # the Excel file holds exactly the table shown
    import io
    import sys

    import pandas as pd

    sys.path.insert(0, str(APP.parent))
    from app_pages.chargeback import excel_bytes

    round_trip = pd.read_excel(io.BytesIO(excel_bytes(table, "2026-10 billed")))
    assert list(round_trip.columns) == list(table.columns) and len(round_trip) == len(table)
    assert abs(round_trip["billed_cost"].sum() - table["billed_cost"].sum()) < 1e-6
    # effective cost shows the per-unit part after commitments (credits cover unit usage too)
    at.radio(key="cost_basis").set_value("Effective").run()
    table = at.dataframe[0].value
    assert "unit_usage_effective_cost" in table
    with duckdb.connect(str(built_database), read_only=True) as con:
        unit_effective = con.execute(
            f"select sum(unit_usage_effective_cost) from main_marts.fct_chargeback_monthly where {month_filter} and line_type = 'usage'"
        ).fetchone()[0]
    assert abs(table["unit_usage_effective_cost"].sum() - unit_effective) < 1e-6


def test_missing_database_is_explained(tmp_path, monkeypatch):
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(tmp_path / "nope.duckdb"))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    assert "make demo" in at.error[0].value


def _reconciliation_page(app_dir: str):
    import sys

    sys.path.insert(0, app_dir)
    from app_pages import reconciliation

    reconciliation.render()


def test_reconciliation_page_shows_every_provider_month_and_row_accounting(built_database, monkeypatch):
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(built_database))
    at = AppTest.from_function(_reconciliation_page, args=(str(APP.parent),), default_timeout=60).run()
    assert not at.exception
    assert "Every provider-month reconciles" in at.success[0].value
    reconciliation = at.dataframe[0].value
    assert len(reconciliation) == 15
    # unit bills (OpenAI images, audio, tools) are shown, and the part without a unit price is explained
    with duckdb.connect(str(built_database), read_only=True) as con:
        billed_units, unit_explained = con.execute(
            "select sum(billed_unit_usage_cost), sum(explained_by_unpriced_unit_usage) from main_marts.fct_billing_reconciliation_monthly"
        ).fetchone()
    assert billed_units > 0 and unit_explained > 0
    assert abs(reconciliation["billed_unit_usage_cost"].sum() - billed_units) < 1e-6
    assert any("priced per unit" in i.value and f"${unit_explained:,.2f}" in i.value for i in at.info)
    accounting = at.dataframe[1].value
    assert (accounting["raw_rows"] == accounting["staged_rows"] + accounting["quarantined_rows"] + accounting["superseded_rows"]).all()


def _optimization_page(app_dir: str):
    import sys

    sys.path.insert(0, app_dir)
    from app_pages import optimization

    optimization.render()


def test_optimization_page_ranks_recommendations_and_shows_cost_per_outcome(built_database, monkeypatch):
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(built_database))
    at = AppTest.from_function(_optimization_page, args=(str(APP.parent),), default_timeout=60).run()
    assert not at.exception
    with duckdb.connect(str(built_database), read_only=True) as con:
        total = con.execute(
            """select sum(incremental_monthly_savings) from main_marts.fct_optimization_recommendations
               where estimated_monthly_savings > 0 or recommendation_type = 'commitment_break_even'"""
        ).fetchone()[0]
        deal_desk = con.execute(
            "select count(*) from main_marts.fct_unit_economics_monthly where workflow_id = 'deal-desk-agent'"
        ).fetchone()[0]
    assert at.metric[0].value == f"${total:,.2f}"
    table = at.dataframe[0].value
    assert table.iloc[0]["recommendation_type"] == "oversized_context" and table.iloc[0]["workflow_id"] == "kb-answer-rag"
    assert "model_downgrade" in set(table["recommendation_type"])
    assert "idle_key" not in set(table["recommendation_type"])  # hygiene hidden by default
    at.toggle(key="optimization_hygiene").set_value(True).run()
    assert "idle_key" in set(at.dataframe[0].value["recommendation_type"])
    at.selectbox(key="optimization_team").set_value("support-automation").run()
    assert set(at.dataframe[0].value["owner_team_name"]) == {"Support Automation"}
    at.selectbox(key="unit_economics_workflow").set_value("deal-desk-agent").run()
    economics = at.dataframe[1].value
    assert len(economics) == deal_desk
    assert any("deal-desk-agent" in w.value for w in at.warning)  # the runaway month: spend does not track deals
