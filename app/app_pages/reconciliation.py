"""Reconciliation & data quality: does our cost match each provider's bill, and did every raw row land?"""

from __future__ import annotations

import streamlit as st

import data_access
from formatting import money, percent


def render() -> None:
    st.title("Reconciliation & data quality")
    try:
        reconciliation = data_access.billing_reconciliation()
        accounting = data_access.source_row_accounting()
    except data_access.MartsUnavailable as exc:
        st.error(str(exc))
        return

    business_unit, strict = data_access.effective_scope()
    if business_unit and strict:
        st.info("Provider bills and row accounting are company-wide: they are not shown to a viewer limited to one business unit.")
    elif business_unit:
        st.caption("Provider bills and row accounting are company-wide: the business-unit filter does not apply to this page.")

    # float dust from summing millions of rows would show as "-$0.00"; + 0.0 also clears negative zero
    reconciliation["unexplained_variance"] = reconciliation["unexplained_variance"].round(2) + 0.0
    reconciliation["unexplained_variance_pct"] = reconciliation["unexplained_variance_pct"].round(6) + 0.0
    st.subheader("Computed cost vs provider bills")
    worst = reconciliation["unexplained_variance_pct"].abs().max()
    if reconciliation.empty:
        st.warning("No provider cost source is loaded yet.")
    elif worst <= 0.005:
        st.success(f"Every provider-month reconciles: largest unexplained variance {percent(worst)} (tolerance 0.5%).")
    else:
        st.error(f"Largest unexplained variance is {percent(worst)}: look at the rows above 0.5% below.")
    explained = reconciliation["explained_by_unpriced_models"].sum()
    if explained:
        st.info(
            f"{money(explained)} was billed for models missing from the price book (explained, not an error): add them to seeds/pricing."
        )
    unit_explained = reconciliation["explained_by_unpriced_unit_usage"].sum()
    if unit_explained:
        st.info(
            f"{money(unit_explained)} was billed for usage priced per unit (images, audio, tool calls, storage) that the unit "
            "price book does not price (explained, not an error): add it to seeds/pricing/ai_finops__unit_prices.csv."
        )
    st.dataframe(
        reconciliation,
        hide_index=True,
        width="stretch",
        column_config={
            "billing_month": st.column_config.DateColumn("Month", format="MMM YYYY"),
            "provider": "Provider",
            "computed_list_cost": st.column_config.NumberColumn("Computed (list)", format="dollar"),
            "billed_cost": st.column_config.NumberColumn("Billed", format="dollar"),
            "credit_amount": st.column_config.NumberColumn("Credits", format="dollar"),
            "net_billed_cost": st.column_config.NumberColumn("Net billed", format="dollar"),
            "explained_by_unpriced_models": st.column_config.NumberColumn("Explained: unpriced models", format="dollar"),
            "unexplained_variance": st.column_config.NumberColumn("Unexplained", format="dollar"),
            "unexplained_variance_pct": st.column_config.NumberColumn("Unexplained %", format="percent"),
            "unpriced_tokens": st.column_config.NumberColumn("Unpriced tokens", format="compact"),
            "explained_by_unpriced_unit_usage": st.column_config.NumberColumn("Explained: unpriced unit usage", format="dollar"),
            "billed_unit_usage_cost": st.column_config.NumberColumn("Billed per unit", format="dollar"),
            "computed_unit_usage_contracted_cost": st.column_config.NumberColumn("Computed per unit", format="dollar"),
        },
    )

    st.subheader("Where every raw row went")
    quarantined = int(accounting["quarantined_rows"].sum())
    if quarantined:
        st.warning(f"{quarantined:,} raw rows are quarantined (bad values); reasons are in int_quarantined_rows.")
    else:
        st.success("No raw row was quarantined.")
    st.dataframe(
        accounting,
        hide_index=True,
        width="stretch",
        column_config={
            "source_name": "Source",
            "source_table": "Table",
            "raw_rows": st.column_config.NumberColumn("Raw rows", format="localized"),
            "staged_rows": st.column_config.NumberColumn("Staged", format="localized"),
            "quarantined_rows": st.column_config.NumberColumn("Quarantined", format="localized"),
            "superseded_rows": st.column_config.NumberColumn("Superseded copies", format="localized"),
        },
    )
    st.caption("Raw rows = staged + quarantined + superseded copies (re-delivered files, re-extracted buckets, restated rows).")
