"""Client garden: clients ranked by 12-month labor, with the lines drawn."""
from decimal import Decimal

import streamlit as st

from dashboards.common import as_of, money_columns, owner_settings, report, table_opening_lines
from models.figures import drilldown, garden
from models.figures.formatting import money_text
from models.markdown import markdown_text
from models.figures.totals import TotalRow
from models.figures import no_rows

st.title("Client garden")
st.markdown(
    "**Weeding the client garden**, as the playbook has it: every client ranked by what it paid for labor "
    "(hourly and agreement together) over the last 12 full months, with lines drawn at so much labor a year "
    "(the playbook's are \\$500 and \\$1,000; change them below). Above the upper line are the clients "
    "who buy the most of your work; under the lower line, those who buy the least of it. The figures say how "
    "many clients, and how much labor money, sit at or above each line and below it; each client's band says "
    "between which lines it sits."
)
owner = owner_settings()
defaults = [int(v) for v in owner.garden_lines]
# The lines chosen live under keys of their own: a widget's state is dropped when another page runs,
# so each input starts from the kept value and writes it back when changed.
kept = {"garden_low": defaults[0], "garden_high": defaults[-1]}
for key, default in kept.items():
    st.session_state.setdefault(key, default)
    st.session_state[f"{key}_input"] = st.session_state[key]


def keep(key: str) -> None:
    st.session_state[key] = st.session_state[f"{key}_input"]


c1, c2 = st.columns(2)
low = c1.number_input("Lower line ($ labor a year)", min_value=0, step=100, key="garden_low_input",
                      on_change=keep, args=("garden_low",))
high = c2.number_input("Upper line ($ labor a year)", min_value=0, step=100, key="garden_high_input",
                       on_change=keep, args=("garden_high",))
lines = tuple(sorted({Decimal(low), Decimal(high)}))

summary = report("garden", summary=True, lines=lines)
ranked = report("garden", lines=lines)
if ranked.empty:
    st.info(no_rows.NO_CLIENT_REVENUE)
    st.stop()

cols = st.columns(len(summary))
for col, row in zip(cols, summary.itertuples(index=False)):
    col.metric(f"At or above {garden.line_text(row.line)}", f"{row.clients_at_or_above} clients")
    col.caption(markdown_text(f"{money_text(row.labor_at_or_above)} of labor at or above; below: "
                              f"{row.clients_below} clients, {money_text(row.labor_below)}"))

table = garden.with_payment(
    garden.with_margin(garden.with_bands(garden.with_trends(ranked, report("client-labor", by_month=True)), lines),
                       report("margin")),
    report("payment-behaviour"))
columns = ["rank", "customer", "labor_total", "share_of_labor", "band", "gross_margin_pct", "margin_problem",
           "weighted_days_to_pay", "late_payer", "trend"]
lowest, highest = garden.trend_scale(table["trend"])
day = as_of()
table_opening_lines(
    table, "garden", lambda row, column: drilldown.twelve_months(day, "labor", row["customer_id"], row["customer"],
                                                                 row["realm_id"]),
    "Client garden",
    total=TotalRow("customer", ("labor_total",)),
    total_figure_of=lambda column: drilldown.twelve_months(day, "labor"),
    column_config={**money_columns(table, "labor_total"),
                   "trend": st.column_config.BarChartColumn("Labor by month (12 months)", y_min=lowest,
                                                            y_max=highest)},
    column_order=columns, wide=True,
)
st.caption("Every client's bars are drawn on the same scale, from the smallest to the largest month of all. "
           "Under the margin line: the months a client's gross margin was under the problem line two months "
           "running (the Margin page). Days to pay: from invoice to paid in full, weighted by the amounts; a late "
           f"payer has an invoice more than {owner.payments.late_days} days past due today (the Policies page). "
           "Click a client for its labor lines.")
