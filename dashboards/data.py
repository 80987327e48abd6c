"""Data: where the numbers come from, how fresh they are, and whether they tie out."""
import streamlit as st

from datetime import date

from dashboards.common import as_of, owner_settings, page_header, reader, report
from models import month_end, paths
from models.freshness import freshness
from models.rebuild import rebuild

page_header("Data")
info = freshness(reader().cursor())
cols = st.columns(3)
cols[0].metric("Last build", info.age_text())
cols[1].metric("Revenue lines", f"{info.revenue_lines:,}")
cols[2].metric("Tie-out", "ties out" if info.ties_out else "differences")
if not info.ties_out:
    st.error("These checks found documents whose lines do not add up: " + ", ".join(info.failed_checks)
             + ". See sql/tests/ for what each checks.")

st.subheader("QuickBooks companies in the warehouse")
st.write(", ".join(info.realms) or "none yet")
st.caption("The demo company is the realm `demo`. Load your own QuickBooks exports with "
           "`msp-revenue load FILE... --realm ID`.")

st.subheader("What was loaded, per entity")
loads = report("load-history")
st.dataframe(loads, hide_index=True, width="stretch")

st.subheader("Month-end workbook")
today = as_of()
last_month = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
month = st.date_input("Month", value=last_month, key="month_end", help="Any day of the month").replace(day=1)
identity, owner = reader().identity(), owner_settings()


def workbook() -> bytes:
    return month_end.workbook_bytes(month_end.build(reader().cursor(), owner, month))


st.download_button(f"Download the month-end workbook for {month:%B %Y}", workbook,
                   file_name=f"month-end-{month:%Y-%m}.xlsx", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/table_view:")
st.caption("Summary, revenue by client, sales register, prepayments roll-forward and journal entry, receivables, "
           "payments received, unmapped items and the tie-out; also `msp-revenue export month-end --month YYYY-MM`.")

if st.button("Rebuild now", help="Re-derive every figure from the stored QuickBooks records"):
    with st.spinner("Building..."):
        outcome = rebuild(paths.work_db())
    (st.success if outcome.ok else st.error)(outcome.message or "Rebuilt.")
