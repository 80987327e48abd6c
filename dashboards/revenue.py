"""Revenue by month and category."""
import streamlit as st

from dashboards.common import report
from models import charts
from models.revenue import month_by_category_table

st.title("Revenue by month and category")
frame = report("revenue-by-category")
if frame.empty:
    st.info("No sales documents yet: once invoices or sales receipts are loaded, revenue shows here.")
    st.stop()

st.altair_chart(charts.revenue_by_category(frame), width="stretch")
table = month_by_category_table(frame)
money = {column: st.column_config.NumberColumn(format="dollar") for column in table.columns[1:]}
st.dataframe(
    table, hide_index=True, width="stretch",
    column_config={"Month": st.column_config.DateColumn(format="MMM YYYY"), **money},
)
st.caption("Invoices and sales receipts add revenue; credit memos and refund receipts subtract it. "
           "Months by transaction date; sales tax excluded; discounts spread over the lines they reduce.")
