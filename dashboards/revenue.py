"""Revenue by month and category."""
import streamlit as st

from dashboards.common import chart_opening_lines, report, table_opening_lines
from models import charts, drilldown
from models.revenue import month_by_category_table

st.title("Revenue by month and category")
frame = report("revenue-by-category")
if frame.empty:
    st.info("No sales documents yet: once invoices or sales receipts are loaded, revenue shows here.")
    st.stop()

chart_opening_lines(charts.revenue_by_category(frame), "revenue_chart", drilldown.revenue_in_month)
table = month_by_category_table(frame)
money = {column: st.column_config.NumberColumn(format="dollar") for column in table.columns[1:]}
table_opening_lines(table, "revenue_table", drilldown.month_table_cell,
                    column_config={"Month": st.column_config.DateColumn(format="MMM YYYY"), **money})
st.caption("Invoices and sales receipts add revenue; credit memos and refund receipts subtract it. "
           "Months by transaction date; sales tax excluded; discounts spread over the lines they reduce. "
           "Click a bar or a cell for the lines behind it.")
