"""Data: where the numbers come from, how fresh they are, and whether they tie out."""
import streamlit as st

from dashboards.common import page_header, reader, report
from models import paths
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

if st.button("Rebuild now", help="Re-derive every figure from the stored QuickBooks records"):
    with st.spinner("Building..."):
        outcome = rebuild(paths.work_db())
    (st.success if outcome.ok else st.error)(outcome.message or "Rebuilt.")
