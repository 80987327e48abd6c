"""Prepayments: money held for clients until their months start."""
import streamlit as st

from dashboards.common import (as_of, chart_opening_lines, closed_month, headline, money_columns, month_end_trend,
                               report, table_opening_lines)
from models.documents import charts
from models.figures import drilldown, trends
from models.figures.formatting import money_text
from models.figures.totals import TotalRow
from models.figures import no_rows

st.title("Prepayments")
held = report("prepayments")
with st.container(horizontal=True, gap="medium"):  # figures wrap rather than being cut in a narrow window
    headline("Prepayment liability", money_text(sum(held["liability"], start=0) if len(held) else 0),
             drilldown.prepayments("liability"))
    headline("Refund if every client cancelled",
             money_text(sum(held["refund_if_cancelled"], start=0) if len(held) else 0),
             drilldown.prepayments("refund_if_cancelled"))
    headline("Clients with money held", len(held))

st.subheader("By client")
columns = ["customer", "liability", "refund_if_cancelled", "prepaid_service", "unapplied_payments", "credits"]
table_opening_lines(held, "prepaid_by_client", drilldown.client_prepayments, "Prepayments by client",
                    total=TotalRow("customer", tuple(columns[1:])),
                    total_figure_of=lambda column: drilldown.prepayments(
                        "liability" if column == "customer" else column),
                    column_config=money_columns(held, *columns[1:]), column_order=columns, wide=True)


st.subheader(trends.month_ends_title("Held at", as_of()))
month_end_trend(trends.liability_over_time, charts.liability_trend, trends.liability_figure, "liability_trend")

st.subheader("When it becomes revenue")
schedule = report("prepayments", schedule=True)
scheduled = schedule.dropna(subset=["month"])
if len(scheduled):
    chart_opening_lines(charts.prepayment_schedule(scheduled), "prepayment_schedule",
                        lambda month, part: drilldown.becomes_revenue(month))
unscheduled = schedule[schedule["month"].isna()]
if len(unscheduled):
    st.caption(f"{money_text(unscheduled['amount'].iloc[0])} is unapplied payments and credits that no invoice "
               "assigns to a month yet.")

st.subheader("Roll-forward")
month = closed_month("Month", "roll_forward_month", help="The month to roll forward: one over by the as-of date")
rolled = report("prepayments", roll_forward=month) if month else None
if rolled is not None and rolled.empty:
    st.info(no_rows.NO_ROLL_FORWARD)
elif rolled is not None:
    totals = {c: sum(rolled[c], start=0) for c in ("opening", "received", "recognised", "refunded", "closing")}
    st.caption("opening + received − recognised − refunded = closing: "
               + " · ".join(f"{k} {money_text(v)}" for k, v in totals.items()))
    columns = ["customer", "opening", "received", "recognised", "refunded", "closing"]
    table_opening_lines(rolled, "roll_forward", lambda row, column: drilldown.roll_forward_cell(month, row, column),
                        f"Prepayments roll-forward {month:%B %Y}", column_order=columns,
                        total=TotalRow("customer", tuple(columns[1:])),
                        total_figure_of=lambda column: drilldown.roll_forward(
                            month, "closing" if column == "customer" else column),
                        column_config=money_columns(rolled, *columns[1:]))
