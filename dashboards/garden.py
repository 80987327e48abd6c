"""Client garden: clients ranked by 12-month labor, with the lines drawn."""
from decimal import Decimal

import streamlit as st

from dashboards.common import money_columns, owner_settings, percent_columns, report
from models import garden

st.title("Client garden")
owner = owner_settings()
defaults = [int(v) for v in owner.garden_lines]
c1, c2 = st.columns(2)
low = c1.number_input("Lower line ($ labor a year)", min_value=0, value=defaults[0], step=100)
high = c2.number_input("Upper line ($ labor a year)", min_value=0, value=defaults[-1], step=100)
lines = tuple(sorted({Decimal(low), Decimal(high)}))

summary = report("garden", summary=True, lines=lines)
ranked = report("garden", lines=lines)
if ranked.empty:
    st.info("No client has revenue in the 12 full months before this date.")
    st.stop()

cols = st.columns(len(summary))
for col, row in zip(cols, summary.itertuples(index=False)):
    col.metric(f"At or above ${row.line:,.0f}", f"{row.clients_at_or_above} clients",
               f"${row.labor_at_or_above:,.2f} labor", delta_color="off")
    col.caption(f"Below: {row.clients_below} clients, ${row.labor_below:,.2f}")

table = garden.with_trends(ranked, report("client-labor", by_month=True))
table = table[["rank", "customer", "labor_total", "share_of_labor", "band", "trend"]]
st.dataframe(
    table, hide_index=True, width="stretch", height=600,
    column_config={**money_columns(table, "labor_total"), **percent_columns(table, "share_of_labor"),
                   "trend": st.column_config.BarChartColumn("Labor by month (12 months)")},
    column_order=["rank", "customer", "labor_total", "share_of_labor", "band", "trend"],
)
