"""Chargeback: the month's spend by business unit, cost center, team or workflow, exportable as shown."""

from __future__ import annotations

import io

import plotly.express as px
import streamlit as st

import data_access
from app_pages.filters import available_months_or_explain, month_selector, persistent
from formatting import money, tokens

BASIS_HELP = (
    "List: public price book. Contracted: after negotiated discounts (what is owed). Effective: after "
    "commitments (prepaid credits, committed-spend drawdown, included usage; unused commitment shows as its own line). "
    "Billed: the provider's invoice spread over usage."
)


def render() -> None:
    st.title("Chargeback")
    months = available_months_or_explain()
    if months is None:
        return
    month = month_selector(months)
    left, middle, right = st.columns([3, 2, 2])
    levels, bases = list(data_access.GROUP_LEVELS), list(data_access.COST_BASES)
    level = persistent(left.radio, "Roll up by", levels, key="chargeback_level", default="Team", param="level", horizontal=True)
    basis_label = persistent(middle.radio, "Cost", bases, key="cost_basis", param="cost", horizontal=True, help=BASIS_HELP)
    after_sharing = persistent(
        right.toggle,
        "Share unallocated and platform costs",
        [True, False],
        key="after_sharing",
        default=True,
        help="On: shared pools are split to teams (seeds/allocation). Off: usage as attributed, unallocated line included.",
    )
    basis = data_access.COST_BASES[basis_label]
    table = data_access.chargeback(month, level, basis, after_sharing)
    total = table[basis].sum()
    view = "after sharing" if after_sharing else "before sharing"
    st.markdown(f"**{money(total)}** {basis_label.lower()} cost in {month:%B %Y} ({view}), {len(table):,} lines.")

    totals = data_access.monthly_totals()
    month_totals = totals[totals["billing_month"].dt.date == month].iloc[0]
    if month_totals["unallocated_contracted_cost"]:
        if after_sharing:
            st.info(
                f"**Unallocated** usage ({money(month_totals['unallocated_contracted_cost'])} contracted) that no request tag, "
                "key, project, account owner or virtual-tag rule explains is shared to teams in proportion to their spend "
                f"(the *shared* column). Platform charges ({money(month_totals['shared_charges'])}: gateway hosting, seats) "
                "are split by their pool's method. Turn sharing off to see the unallocated line itself."
            )
        else:
            st.info(
                f"The **unallocated** line ({money(month_totals['unallocated_contracted_cost'])} contracted) is usage that no "
                "request tag, key, project or account owner, nor any virtual-tag rule, explains: mostly pooled keys. Assign "
                "those keys in seeds/ownership/ai_finops__account_owners.csv or add a rule to seeds/allocation/ai_finops__attribution_rules.csv."
            )
    if month_totals["unpriced_tokens"]:
        st.warning(
            f"{tokens(month_totals['unpriced_tokens'])} tokens are of models missing from the price book; their list and "
            "contracted cost is not included above (n/a, never $0); billed cost includes what the provider charged for them."
        )

    if month_totals["unpriced_unit_usage_rows"]:
        st.warning(
            f"{int(month_totals['unpriced_unit_usage_rows']):,} daily rows of usage priced per unit (images, audio, tool calls, "
            "storage) have no unit price; their list and contracted cost is not included above (n/a, never $0). Add them to "
            "seeds/pricing/ai_finops__unit_prices.csv; billed cost includes what the provider charged."
        )
    elif month_totals["unit_usage_list_cost"]:
        st.caption(
            f"Of the month's usage, {money(month_totals['unit_usage_list_cost'])} list cost is priced per unit (images, audio, tool calls)."
        )

    label = data_access.GROUP_LEVELS[level][-1]
    unit_column = data_access.unit_usage_column(basis)
    top = table.head(15)
    if len(top) and label in top:
        chart = px.bar(top, x=basis, y=label, orientation="h", labels={basis: f"{basis_label} cost (USD)", label: ""})
        chart.update_layout(height=40 + 24 * len(top), margin={"t": 10, "b": 10}, yaxis={"autorange": "reversed"})
        st.plotly_chart(chart, width="stretch")

    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "business_unit_name": "Business unit",
            "cost_center_name": "Cost center",
            "team_name": "Team",
            "workflow_id": "Workflow",
            "provider": "Provider",
            "model_id": "Model",
            basis: st.column_config.NumberColumn(f"{basis_label} cost", format="dollar"),
            f"shared_{basis}": st.column_config.NumberColumn("of which shared", format="dollar"),
            "request_count": st.column_config.NumberColumn("Requests", format="localized"),
            "total_tokens": st.column_config.NumberColumn("Tokens", format="compact"),
            "unpriced_tokens": st.column_config.NumberColumn("Unpriced tokens", format="compact"),
            unit_column: st.column_config.NumberColumn(
                f"of which per-unit usage ({unit_column.removeprefix('unit_usage_').removesuffix('_cost')})",
                format="dollar",
                help="Images, audio, tool calls and storage priced per unit from the unit price book.",
            ),
            "unpriced_unit_usage_rows": st.column_config.NumberColumn("Unpriced unit rows", format="localized"),
            "share_of_month": st.column_config.ProgressColumn("Share", format="percent", min_value=0, max_value=1),
        },
    )
    if after_sharing:
        with st.expander("How the shared pools were split"):
            st.dataframe(
                data_access.shared_cost_allocation(month),
                hide_index=True,
                width="stretch",
                column_config={
                    "cost_pool_name": "Pool",
                    "allocation_method": "Method",
                    "team_name": "Team",
                    "fraction_of_total": st.column_config.NumberColumn("Fraction of pool", format="percent"),
                    "allocated_contracted_cost": st.column_config.NumberColumn("Allocated", format="dollar"),
                },
            )
    col1, col2, col3, col4 = st.columns(4)
    view_name = f"chargeback_{month:%Y-%m}_{level.lower().replace(' ', '_').replace('&', 'and')}_{basis}"
    col1.download_button("Download this view (CSV)", table.to_csv(index=False).encode(), file_name=f"{view_name}.csv", mime="text/csv")
    col4.download_button(
        "Download this view (Excel)",
        lambda: excel_bytes(table, sheet=f"{month:%Y-%m} {basis_label.lower()}"),  # built when clicked
        file_name=f"{view_name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    col2.download_button(
        "Download all lines of the month (CSV)",
        data_access.deferred(lambda: data_access.chargeback_lines(month).to_csv(index=False).encode()),
        file_name=f"chargeback_{month:%Y-%m}_all_lines.csv",
        mime="text/csv",
    )
    col3.download_button(
        "Download FOCUS 1.2 rows of the month (CSV)",
        data_access.deferred(lambda: data_access.focus_rows(month).to_csv(index=False).encode()),
        file_name=f"focus_cost_and_usage_{month:%Y-%m}.csv",
        mime="text/csv",
        help="FOCUS column names; the full file with Parquet: `ai-finops focus-export`.",
    )


def excel_bytes(table, sheet: str) -> bytes:
    """The table exactly as shown, as one Excel sheet."""
    buffer = io.BytesIO()
    table.to_excel(buffer, index=False, sheet_name=sheet[:31], engine="openpyxl")
    return buffer.getvalue()
