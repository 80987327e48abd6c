"""This week: what the owner looks at every week."""
import pandas as pd
import streamlit as st

from dashboards.common import as_of, company_name, money_columns, owner_settings, reader, realm
from models import charts, weekly
from models.categories import CATEGORY_LABELS
from models.formatting import money_text, month_text

st.title("This week")
owner = owner_settings()


@st.cache_data(show_spinner=False, max_entries=64)
def load_week(snapshot_identity, day, settings_now, company):
    return weekly.load(reader().cursor(), settings_now, day, company)


@st.cache_data(show_spinner=False, max_entries=16)
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
    st.metric("Invoiced this week", money_text(this_week_total), money_text(this_week_total - last_week_total),
              help="Revenue dated this week so far, against the same days last week", width="content")
    st.metric("Month to date", money_text(mtd_total), money_text(mtd_total - last_mtd_total),
              help="Against the same point last month", width="content")
    st.metric("MRR this month", money_text(mrr["mrr"]), money_text(mrr["mrr"] - mrr["starting_mrr"]),
              help="Agreement revenue for this service month, against last month", width="content")
    st.metric("Receivables", money_text(week.receivables), width="content")
    st.metric("Past due", money_text(week.past_due), width="content")
    st.metric("Held as prepayment", money_text(week.prepayments), width="content")
    st.metric(f"Recurring share, {last_month}", weekly.share_text(last_share.get("recurring_share")),
              help=f"{CATEGORY_LABELS['labor_msa']} / all labor in the last full month; target {week.target_percent}%",
              width="content")
    st.metric(f"Recurring share, 12 months to {last_month}",
              weekly.share_text(last_share.get("recurring_share_12m")),
              help="Over the 12 full months ending with the last full month", width="content")
    st.metric("Recurring share, month to date", weekly.share_text(share.get("recurring_share")),
              help="This month so far: agreements are invoiced on the 1st and hourly work through the month, "
                   "so it reads high early in the month", width="content")

left, right = st.columns(2)
with left:
    st.subheader("By category")
    rows = weekly.comparison_rows(week.this_week, week.last_week)
    frame = pd.DataFrame(rows, columns=["Category", "This week", "Same days last week", "Change"])
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config=money_columns(frame, "This week", "Same days last week", "Change"))
    rows = weekly.comparison_rows(week.month_to_date, week.last_month_to_date)
    frame = pd.DataFrame(rows, columns=["Category", "Month to date", "Same point last month", "Change"])
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config=money_columns(frame, "Month to date", "Same point last month", "Change"))
with right:
    st.subheader("MRR movements this month")
    moves = pd.DataFrame([(label, mrr[key]) for label, key in (
        ("Start of month", "starting_mrr"), ("New", "new"), ("Expansion", "expansion"),
        ("Reactivation", "reactivation"), ("Contraction", "contraction"), ("Churn", "churn"), ("Adjustment", "adjustment"), ("MRR now", "mrr"))],
        columns=["", "Amount"])
    st.dataframe(moves, hide_index=True, width="stretch", column_config=money_columns(moves, "Amount"))

st.subheader("Recurring share of labor, last 24 months")
if len(week.share_trend.dropna(subset=["recurring_share"])):
    st.altair_chart(charts.recurring_share_trend(week.share_trend, week.target_percent), width="stretch")
else:
    st.info("No labor revenue yet.")

st.subheader("Revenue by month and category")
if len(week.by_category):
    st.altair_chart(charts.revenue_by_category(week.by_category), width="stretch")

st.subheader("Top clients, last 12 full months")
top = week.top_clients[["customer", "labor_total", "labor_msa", "labor_hourly", "hardware", "software"]]
st.dataframe(top, hide_index=True, width="stretch",
             column_config=money_columns(top, "labor_total", "labor_msa", "labor_hourly", "hardware", "software"))

identity, day, company, printed_name = reader().identity(), as_of(), realm(), company_name()
# the PDF is drawn when the button is clicked, not on every run of the page
st.download_button("Download this week as PDF", lambda: week_pdf(identity, day, owner, company, printed_name),
                   file_name=f"week-{week.first_day.isoformat()}.pdf", mime="application/pdf",
                   icon=":material/picture_as_pdf:", on_click="ignore")
