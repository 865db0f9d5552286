"""AI FinOps dashboard for finance: `streamlit run app/streamlit_app.py` (or `ai-finops dashboard`)."""

from __future__ import annotations

import streamlit as st

import access
from app_pages import anomalies, budgets, chargeback, estimates, filters, optimization, overview, reconciliation


def main() -> None:
    st.set_page_config(page_title="AI FinOps", page_icon=":material/payments:", layout="wide")
    if not access.identify():  # sign-in configured and nobody signed in yet
        return
    navigation = st.navigation(
        [
            st.Page(overview.render, title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
            st.Page(chargeback.render, title="Chargeback", icon=":material/account_balance:", url_path="chargeback"),
            st.Page(budgets.render, title="Budgets & forecast", icon=":material/savings:", url_path="budgets"),
            st.Page(anomalies.render, title="Anomalies & policies", icon=":material/warning:", url_path="anomalies"),
            st.Page(optimization.render, title="Optimization", icon=":material/trending_down:", url_path="optimization"),
            st.Page(reconciliation.render, title="Reconciliation & data quality", icon=":material/fact_check:", url_path="reconciliation"),
            st.Page(estimates.render, title="Estimates", icon=":material/request_quote:", url_path="estimates"),
        ]
    )
    # drawn here, in the entrypoint, so they are on (and apply to) every page
    filters.business_unit_selector()
    filters.build_caption()
    navigation.run()


main()
