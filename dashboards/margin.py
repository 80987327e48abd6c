"""Margin: does each client, and each agreement, make money (report margin)."""
import streamlit as st

from dashboards.common import as_of, headline, money_columns, owner_settings, report, table_opening_lines
from models.figures import drilldown
from models.figures.formatting import column_label, money_text, month_text, months_text
from models.markdown import markdown_text
from models.figures.totals import TotalRow
from models.months import full_months_before
from models.figures import no_rows

st.title("Margin")
owner = owner_settings()
costing = owner.margin
day = as_of()
first, last = full_months_before(day)
st.markdown(
    f"What each client brought in over the last 12 full months ({month_text(first)} – {month_text(last)}) "
    "against what its work cost: the hours logged for it at what an hour costs you, your tools on its devices "
    "in the months it had an agreement, and the bills, expenses and journal entries that name it (hardware and "
    "software at the item's purchase cost where no bill names it). Clients are listed from the thinnest margin. "
    "Click a cell for the lines behind it."
)
clients = report("margin")
if clients.empty:
    st.info(no_rows.NO_MARGIN)
    st.stop()

money = ("revenue", "labor_cost", "tool_cost", "direct_cost", "gross_margin", "agreement_margin")
with st.container(horizontal=True, gap="medium"):
    for column in ("revenue", "labor_cost", "tool_cost", "direct_cost", "gross_margin"):
        headline(column_label(column), money_text(sum(clients[column], start=0)), drilldown.margin(column, day))

default_hours = sum(clients["default_rate_hours"], start=0)
if default_hours:
    st.warning(markdown_text(
        f"{default_hours} hours had no cost rate in QuickBooks nor one of yours for their worker, and are costed at "
        f"the default {money_text(costing.labor_cost)} an hour: set your technicians' rates in QuickBooks (Employee "
        "and Vendor cost rate) or under [margin] in settings.toml."))

problems = clients[clients["problem_client"]]
threshold = f"{costing.problem_percent}%"
st.subheader(f"Problem clients: two full months running under {threshold} gross margin")
if problems.empty:
    st.success(f"No client was under {threshold} two full months running.")
else:
    for row in problems.itertuples(index=False):
        st.markdown("- " + markdown_text(f"{row.client}: {months_text(row.problem_months)}"))  # a client's name is text
    st.caption("The margin by month of a client is in report margin --by-month; the Lines of a cell below list "
               "what made it.")

st.subheader("By client")
columns = ["client", "revenue", "labor_cost", "tool_cost", "direct_cost", "gross_margin", "gross_margin_pct",
           "agreement_revenue", "agreement_margin", "effective_rate", "markup_pct", "problem_months"]
clients = clients.assign(problem_months=clients["problem_months"].map(months_text))
table_opening_lines(clients, "margin", lambda row, column: drilldown.client_margin(day, row, column), "Margin",
                    total=TotalRow("client", (*money, "agreement_revenue")),
                    total_figure_of=lambda column: drilldown.margin(
                        column if column in money or column == "agreement_revenue" else "gross_margin", day),
                    column_config=money_columns(clients, *money, "agreement_revenue", "effective_rate"),
                    column_order=columns, wide=True)
st.caption(f"Effective rate: agreement revenue less tool cost per hour the agreement covered. Markup: on "
           f"hardware and software, against your {costing.markup_percent}%.")

st.subheader("Overhead")
overhead = report("margin", overhead=True)
st.caption("Costs that name no client (rent, tools bought for the company, ...): in no client's margin, and "
           "never spread over them.")
table_opening_lines(overhead, "overhead", lambda row, column: drilldown.overhead(day, row["month"]), "Overhead",
                    total=TotalRow("month", ("overhead",), label_text=month_text),
                    total_figure_of=lambda column: drilldown.overhead(day),
                    column_config=money_columns(overhead, "overhead"), column_order=["month", "overhead"])
