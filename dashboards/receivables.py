"""Receivables: what clients owe, how late, and the finance charges to assess."""
import streamlit as st

from dashboards.common import as_of, headline, money_columns, month_end_trend, owner_settings, report, table_opening_lines
from models.documents import charts
from models.figures import drilldown, trends
from models.figures.formatting import column_label, money_text
from models.figures.totals import TotalRow
from models.figures.vocabulary import AGING_COLUMNS, AGING_TOTALS
from models.figures import no_rows

st.title("Receivables")
aging = report("ar-aging")
buckets = AGING_COLUMNS
# each figure as wide as its text, wrapping to a second row in a narrow window rather than cut
with st.container(horizontal=True, gap="medium"):
    for bucket in buckets:
        headline(column_label(bucket), money_text(sum(aging[bucket], start=0) if len(aging) else 0),
                 drilldown.receivables(bucket))

st.subheader("Aging by client")
# the table's headers short, their meaning on hover: the long ones took the width of two columns
SHORT_HEADERS = {code: st.column_config.NumberColumn(short, format="dollar", help=name)
                 for code, (short, name) in AGING_TOTALS.items() if short != name}
table_opening_lines(aging, "aging", drilldown.client_receivables, "Aging by client",
                    total=TotalRow("customer", buckets),
                    total_figure_of=lambda column: drilldown.receivables("total" if column == "customer" else column),
                    column_config={**money_columns(aging, *buckets), **SHORT_HEADERS}, column_order=["customer", *buckets],
                    wide=True)


st.subheader(trends.month_ends_title("At", as_of()))
month_end_trend(trends.aging_over_time, charts.aging_trend, trends.aging_figure, "aging_trend")

charges = report("ar-aging", finance_charges=True)
rate = owner_settings().finance_charge_percent
st.subheader(f"Finance charges to assess on the next 1st ({rate}% a month)")
if charges.empty:
    st.info(no_rows.NOTHING_PAST_DUE)
else:
    st.caption(f"{len(charges)} client(s), {money_text(sum(charges['finance_charge'], start=0))} in charges "
               f"on {charges['assess_on'].iloc[0].isoformat()}")
    columns = ["customer", "past_due", "oldest_days_past_due", "finance_charge"]
    table_opening_lines(charges, "finance_charges", lambda row, column: drilldown.client_receivables(row, "past_due"),
                        "Finance charges", total=TotalRow("customer", ("past_due", "finance_charge")),
                        total_figure_of=lambda column: drilldown.receivables("past_due"),
                        column_config=money_columns(charges, "past_due", "finance_charge"), column_order=columns)
