"""This week: what the owner looks at every week."""
from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboards.common import (SETTINGS_KEY, as_of, chart_opening_lines, company_name, headline, money_columns, owner_settings,
                               reader, realm, side_by_side, table_opening_lines)
from models.documents import charts, weekly
from models.figures import drilldown, periods, trends
from models.settings.categories import CATEGORY_LABELS
from models.figures.formatting import money_text, month_text
from models.figures.vocabulary import MOVEMENT_LABELS, MRR_MOVEMENTS
from models.figures import no_rows

st.title("This week")
owner = owner_settings()


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=SETTINGS_KEY)
def load_week(snapshot_identity, day, settings_now, company):
    return weekly.load(reader().cursor(), settings_now, day, company)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=SETTINGS_KEY)
def week_pdf(snapshot_identity, day, settings_now, company, printed_name) -> bytes:
    return weekly.summary_pdf(load_week(snapshot_identity, day, settings_now, company), printed_name)


# the company chosen in the sidebar (None: the warehouse holds one)
week = load_week(reader().identity(), as_of(), owner, realm())
mrr, share = week.mrr, week.share
st.caption(f"Week of {week.first_day:%A %B} {week.first_day.day} – {week.last_day:%A %B} {week.last_day.day}, "
           f"as of {week.as_of.isoformat()}")

this_week_total, last_week_total = weekly.total(week.this_week), weekly.total(week.last_week)
mtd_total, last_mtd_total = weekly.total(week.month_to_date), weekly.total(week.last_month_to_date)
last_month, last_share = month_text(week.last_month), week.last_month_share
# One wrapping row of figures, each as wide as its text: a narrow window moves a figure to the next
# row instead of cutting it.
with st.container(horizontal=True, gap="medium"):
    headline("Invoiced this week", money_text(this_week_total), weekly.period_figure(week, "This week"),
             delta=money_text(this_week_total - last_week_total),
             help="Revenue dated this week so far, against the same days last week")
    headline("Month to date", money_text(mtd_total), weekly.period_figure(week, "Month to date"),
             delta=money_text(mtd_total - last_mtd_total), help="Against the same point last month")
    headline("MRR this month", money_text(mrr["mrr"]), drilldown.mrr(week.as_of.replace(day=1)),
             delta=money_text(mrr["mrr"] - mrr["starting_mrr"]),
             help="Agreement revenue for this service month, against last month")
    headline("Receivables", money_text(week.receivables), drilldown.receivables("total"))
    headline("Past due", money_text(week.past_due), drilldown.receivables("past_due"))
    headline("Held as prepayment", money_text(week.prepayments), drilldown.prepayments("liability"))
    # each share of whole months against the settings' target: green at or above it, red below; the
    # month to date is not judged until the month is over
    for label, value, figure, last_day, words in (
            (f"Recurring share, {last_month}", last_share.get("recurring_share"),
             drilldown.revenue_in_month(week.last_month, "labor"), week.as_of.replace(day=1) - timedelta(days=1),
             f"{CATEGORY_LABELS['labor_msa']} / all labor in the last full month"),
            (f"Recurring share, 12 months to {last_month}", last_share.get("recurring_share_12m"),
             drilldown.twelve_months(week.as_of, "labor"), week.as_of.replace(day=1) - timedelta(days=1),
             "Over the 12 full months ending with the last full month"),
            ("Recurring share, month to date", share.get("recurring_share"),
             drilldown.revenue_in_month(week.as_of.replace(day=1), "labor"), week.as_of,
             "This month so far: agreements are invoiced on the 1st and hourly work through the month, so it reads "
             "high early in the month")):
        shown = None if value is None or pd.isna(value) else value
        headline(label, weekly.share_text(shown), figure,
                 note=periods.part_month_note(last_day, week.target_percent),
                 delta=periods.against_target(shown, week.target_percent, last_day),
                 help=f"{words}; target {week.target_percent}% (settings, recurring.target_percent)")

left, right = side_by_side()
with left:
    st.subheader("By category")
    for current, previous, now, then in (("This week", "Same days last week", week.this_week, week.last_week),
                                         ("Month to date", "Same point last month", week.month_to_date,
                                          week.last_month_to_date)):
        frame = pd.DataFrame(weekly.comparison_rows(now, then), columns=["Category", current, previous, weekly.CHANGE])
        table_opening_lines(frame, f"compare:{current}", lambda row, column: weekly.comparison_cell(week, row, column),
                            f"{current} by category",
                            column_config=money_columns(frame, current, previous, weekly.CHANGE))
with right:
    st.subheader("MRR movements this month")
    moves = pd.DataFrame([(label, mrr[key], key) for label, key in (
        ("Start of month", "starting_mrr"), *((MOVEMENT_LABELS[m], m) for m in MRR_MOVEMENTS), ("MRR now", "mrr"))],
        columns=["", "Amount", "key"])
    table_opening_lines(moves, "mrr_moves",
                        lambda row, column: drilldown.mrr_movement(week.as_of.replace(day=1), row["key"]),
                        "MRR movements",
                        column_config=money_columns(moves, "Amount"), column_order=["", "Amount"])

if len(week.mrr_trend):
    left, right = side_by_side()
    with left:
        st.subheader("MRR, last 24 months")
        chart_opening_lines(charts.mrr_trend(trends.mrr_by_month(week.mrr_trend)), "mrr_trend", drilldown.mrr_part)
    with right:
        st.subheader("What moved MRR")
        chart_opening_lines(charts.mrr_movements_trend(trends.movements_by_month(week.mrr_trend)), "mrr_moves_trend",
                            drilldown.mrr_part)

st.subheader("Recurring share of labor, last 24 full months")
if len(week.share_trend.dropna(subset=["recurring_share"])):
    st.altair_chart(charts.recurring_share_trend(week.share_trend, week.target_percent), width="stretch")
else:
    st.info(no_rows.NO_LABOR_REVENUE)

st.subheader("Revenue by month and category")
if len(week.by_category):
    chart_opening_lines(charts.revenue_by_category(week.by_category, week.as_of), "week_revenue_chart",
                        drilldown.revenue_in_month)

st.subheader("Top clients, last 12 full months")
shown = ["customer", "labor_total", "labor_msa", "labor_hourly", "hardware", "software"]
table_opening_lines(week.top_clients, "top_clients",
                    lambda row, column: drilldown.twelve_months(week.as_of, drilldown.category_of(column),
                                                                row["customer_id"], row["customer"], row["realm_id"]),
                    "Top clients",
                    column_config=money_columns(week.top_clients, *shown[1:]), column_order=shown)

identity, day, company, printed_name = reader().identity(), as_of(), realm(), company_name()
# the PDF is drawn when the button is clicked, not on every run of the page
st.download_button("Download this week as PDF", lambda: week_pdf(identity, day, owner, company, printed_name),
                   file_name=f"week-{week.first_day.isoformat()}.pdf", mime="application/pdf",
                   icon=":material/picture_as_pdf:", on_click="ignore")
