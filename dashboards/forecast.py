"""Forecast: MRR of the coming months as the recurring templates and the agreements billed commit it, what the
trailing rates make of it (report forecast), the cash coming in (report forecast --cash), and how agreement revenue
has been kept (report retention)."""
from decimal import Decimal as D

import pandas as pd
import streamlit as st

from dashboards.common import (as_of, chart_opening_lines, headline, money_columns, owner_settings, reader, realm,
                               report, saved_scenarios, scenario_changes, scenarios_file, table, table_opening_lines)
from models.documents import charts
from models.figures import drilldown, whatifs
from models.figures.formatting import column_label, money_text, month_text, percent_text, share_text
from models.figures.vocabulary import AT_RISK_REASONS, FORECAST_SOURCES
from models.markdown import markdown_text
from models.settings import scenarios
from models.figures import no_rows


# A month reads "Jan 2027" as on every page (its first day, 2027-01-01, reads as a day); the value stays a date for
# the cell's lines and the downloads
MONTHS = {"month": st.column_config.DateColumn(column_label("month"), format="MMM YYYY")}


def mrr_forecast(forecast: pd.DataFrame) -> None:
    """Headlines, the chart by where the MRR comes from and the table by month, each figure opening its lines."""
    first, last = forecast.iloc[0], forecast.iloc[-1]
    with st.container(horizontal=True, gap="medium"):
        headline(f"Committed MRR, {month_text(first['month'])}", money_text(first["committed_mrr"]),
                 drilldown.forecast("committed", first["month"]))
        headline(f"Expected MRR, {month_text(first['month'])}", money_text(first["expected_mrr"]))
        headline(f"Committed MRR, {month_text(last['month'])}", money_text(last["committed_mrr"]),
                 drilldown.forecast("committed", last["month"]))
        headline(f"Expected MRR, {month_text(last['month'])}", money_text(last["expected_mrr"]))
    # in words and as every page writes a percentage: "churn -0.7431%" read as churn going down
    st.caption(f"In an average month of the last 12 full months, clients who left took "
               f"{percent_text(-first['churn_percent'])} of the MRR clients started the month with, clients who cut "
               f"back {percent_text(-first['contraction_percent'])}, and clients who grew added "
               f"{percent_text(first['expansion_percent'])}: Expected repeats that month after month.")
    parts = pd.DataFrame([{"month": row["month"], "part": source, "amount": row[column]}
                          for _, row in forecast.iterrows() for source, (_, _, column) in FORECAST_SOURCES.items()])
    chart_opening_lines(charts.forecast_by_source(parts), "forecast_by_source",
                        lambda month, source: drilldown.forecast(source, month))
    st.subheader("By month")
    columns = ["month", "committed_mrr", "from_templates", "billed_ahead", "carried", "expected_mrr", "clients"]
    # every month on the page (a box of ten rows hid the last two) and, in a narrow window, scrolled sideways
    # with the cue, as Expected MRR and Clients were cut off at 1024 px
    table_opening_lines(forecast, "forecast", drilldown.forecast_cell, "MRR forecast", column_order=columns,
                        column_config=money_columns(forecast, *columns[1:6]) | MONTHS, wide=True, height="content")


SCENARIO_COLUMNS = ["month", "base_mrr", "scenario_mrr", "mrr_change", "base_recurring_share",
                    "scenario_recurring_share", "base_hourly", "scenario_hourly", "hourly_change", "base_cash_in",
                    "scenario_cash_in", "cash_change", "base_expected_mrr", "scenario_expected_mrr"]


def what_ifs() -> None:
    """The saved what-ifs: one chosen against the base month by month, every change opening the clients and lines
    it moved; the Most Likely to Sign lists; a form to save one, and its deletion."""
    st.subheader("What-ifs")
    st.caption("Saved, named scenarios that never touch the books: raise the tier prices or the hourly rates with "
               "30 days' notice (from the first 1st 30 days after notice), weed the clients under a garden line "
               "(as long after notice), sign the first clients of a tier's Most Likely to Sign list (billed from the "
               "1st after notice, the setup fee with it). Click a change for the clients and lines behind it.")
    saved = saved_scenarios()
    if saved:
        name = st.selectbox("Scenario", list(saved), key="whatif_scenario")
        scenario = saved[name]
        st.text(scenarios.described(scenario))  # the owner's own name: text, never markdown
        try:
            changes = scenario_changes(scenario)
        except scenarios.ScenarioError as err:
            st.error(markdown_text(str(err)))
        else:
            scenario_against_base(changes)
        if st.button("Delete this scenario", key="whatif_delete", icon=":material/delete:"):
            scenarios.delete(scenarios_file(), name)
            st.rerun()
    else:
        st.info("No what-if saved yet: make one below (or `whatif save` on the command line).")
    most_likely = most_likely_to_sign()
    save_form(most_likely)


def scenario_against_base(changes: whatifs.ScenarioChanges) -> None:
    rows = report("forecast", scenario=changes)
    last = rows.iloc[-1]
    with st.container(horizontal=True, gap="medium"):
        headline(f"What-if MRR, {month_text(last['month'])}", money_text(last["scenario_mrr"]),
                 drilldown.scenario_cell(changes, last, "mrr_change"),
                 note=f"base {money_text(last['base_mrr'])}, change {money_text(last['mrr_change'])}")
        headline(f"What-if recurring share, {month_text(last['month'])}", share_text(last["scenario_recurring_share"]),
                 note=f"base {share_text(last['base_recurring_share'])}")
        headline("What-if cash in, all months", money_text(sum(rows["scenario_cash_in"], start=0)),
                 note=f"base {money_text(sum(rows['base_cash_in'], start=0))}, change "
                      f"{money_text(sum(rows['cash_change'], start=0))}")
    table_opening_lines(rows, "whatif_by_month", lambda row, column: drilldown.scenario_cell(changes, row, column),
                        "What-if against the base forecast", column_order=SCENARIO_COLUMNS,
                        column_config=money_columns(rows, *(c for c in SCENARIO_COLUMNS[1:] if "share" not in c))
                        | MONTHS, wide=True, height="content")


def most_likely_to_sign() -> dict[str, list[dict]]:
    """The playbook's lists, from the tier what-if (report tiers), shown so the owner sees whom a scenario signs."""
    lists = whatifs.most_likely_to_sign(report("tiers").to_dict("records"), owner_settings())
    with st.expander("Most Likely to Sign, by tier"):
        st.caption("Clients paying by the hour whose device counts price a tier, each on the tier whose fee plus the "
                   "hourly work it would not cover comes out lowest against what it paid over 12 months; lowest first.")
        for tier, rows in lists.items():
            frame = pd.DataFrame(rows, columns=["customer", "monthly", "setup_fee", "labor_12m", "what_if_vs_paid"])
            table(frame, f"most_likely_{tier}", f"Most Likely to Sign {tier}",
                  column_config=money_columns(frame, "monthly", "setup_fee", "labor_12m", "what_if_vs_paid"))
    return lists


def save_form(most_likely: dict[str, list[dict]]) -> None:
    with st.form("whatif_save"):
        st.markdown("**Save a what-if** (a name already saved is replaced)")
        name = st.text_input("Name", max_chars=scenarios.LONGEST_NAME)
        notice = st.date_input("Notice given, and clients sign, on", value=as_of())
        # percentages as typed (text, read as exact decimals): a number input would hand over a float
        raise_tiers = st.text_input("Raise the tier prices by %", "0")
        raise_hourly = st.text_input("Raise the hourly rates by %", "0")
        weed = st.checkbox("Weed the clients under a yearly labor line")
        line = st.number_input("Line, $ a year", 1, 10_000_000, int(owner_settings().garden_lines[0]))
        signing = {tier: st.number_input(f"Sign the first of Most Likely to Sign {tier} ({len(rows)} listed)", 0,
                                         len(rows), 0) for tier, rows in most_likely.items()}
        if st.form_submit_button("Save"):
            try:
                whatifs.save(reader().cursor(), scenarios_file(), scenarios.Scenario(
                    name.strip(), notice, scenarios.percent(raise_tiers, "the tier prices' raise"),
                    scenarios.percent(raise_hourly, "the hourly rates' raise"), D(line) if weed else None,
                    tuple((tier, n) for tier, n in signing.items() if n)), as_of(), realm(), owner_settings())
            except scenarios.ScenarioError as err:
                st.error(markdown_text(str(err)))
            else:
                st.session_state["whatif_scenario"] = name.strip()
                st.rerun()


st.title("Forecast")
st.markdown(
    "Agreement revenue (MRR) of the next 12 months. **Committed** is what QuickBooks is told to bill and what is "
    "billed already: your active recurring templates' agreement lines on their schedule, agreements already "
    "invoiced for the month, and this month's MRR of clients billed by hand, carried forward. **Expected** takes "
    "the last 12 full months' churn and contraction off it, and adds their expansion, month after month. Neither "
    "knows who will sign next. Click a figure for the template lines, invoices and clients behind it."
)
forecast = report("forecast")
if any(forecast["committed_mrr"]):
    mrr_forecast(forecast)
else:
    st.info(no_rows.NOTHING_COMMITTED)

st.subheader("At risk")
st.caption("Agreement revenue that may not come: an agreement template paused (of a client billed this month or last) "
           "or ending within the 12 months, or MRR cut in the last 3 full months and still below; and clients, on an "
           f"agreement or not, paying at least {owner_settings().payments.slower_days} days later on average than the "
           "year before and past their due dates. Click a row for the "
           "template lines, MRR lines or paid invoices behind it; MRR for the client's MRR of the last full month.")
at_risk = report("at-risk")
if at_risk.empty:
    st.info(no_rows.NO_RISK)
else:
    at_risk["at_risk"] = [AT_RISK_REASONS[reason] for reason in at_risk["reason"]]
    table_opening_lines(at_risk, "at_risk", lambda row, column: drilldown.at_risk_cell(as_of(), row, column),
                        "At risk", column_order=["at_risk", "client", "why", "mrr", "amount", "ends_on", "days_to_pay",
                                                 "previous_days_to_pay"],
                        column_config=money_columns(at_risk, "mrr", "amount"), wide=True, height="content")

st.subheader("Cash coming in, the next 13 weeks")
st.caption("What your recurring templates bill, on their dates, what clients owe, on the day each usually pays "
           "(by its last 12 months, else the invoice's due date; one already late, the first day), and hourly work "
           "still to be invoiced: each client's hourly billing a month over the last 3 full months, taken as "
           "invoiced at each month's end and paid as the client pays. Prepaid money that becomes revenue came in "
           "already: it is shown beside, not added.")
weeks = report("forecast", cash=True)
cash_columns = ["period_start", "period_end", "recurring_billing", "receivables", "hourly_run_rate", "cash_in",
                "becomes_revenue"]
with st.container(horizontal=True, gap="medium"):
    for column in ("cash_in", "recurring_billing", "receivables", "hourly_run_rate", "becomes_revenue"):
        headline(column_label(column), money_text(sum(weeks[column], start=0)),
                 drilldown.cash(column, weeks["period_start"].iloc[0], weeks["period_end"].iloc[-1]))
table_opening_lines(weeks, "cash_by_week", drilldown.cash_cell, "Cash forecast by week", column_order=cash_columns,
                    column_config=money_columns(weeks, *cash_columns[2:]), wide=True, height="content")

st.subheader("Forecast against what came")
st.caption("Each build keeps the forecast it made. For each month over, the last forecast made before it began "
           "against the MRR that came; click the MRR that came for its lines.")
accuracy = report("forecast-accuracy")
if accuracy.empty:
    st.info(no_rows.NO_FORECAST_MONTH_OVER)
else:
    table_opening_lines(accuracy, "forecast_accuracy", drilldown.forecast_accuracy_cell, "Forecast against actual",
                        column_config=money_columns(accuracy, "committed_mrr", "expected_mrr", "actual_mrr",
                                                    "committed_difference", "expected_difference") | MONTHS,
                        wide=True, height="content")

what_ifs()

st.subheader("Retention of agreement revenue")
st.caption("Of the clients with MRR the month before (and twelve months before): gross retention is what they "
           "kept, each at most what it had; net retention counts their growth too. The top five's share is of "
           "all clients' revenue over the 12 months to the month.")
retention = report("retention")
table(retention, "retention", "Retention", wide=True,
      column_order=["month", "starting_mrr", "grr_percent", "nrr_percent", "client_churn_percent",
                    "grr_12m_percent", "nrr_12m_percent", "client_churn_12m_percent", "top5_share_12m_percent"],
      column_config=money_columns(retention, "starting_mrr", "year_ago_mrr", "top5_revenue_12m", "revenue_12m")
      | MONTHS, height="content")
