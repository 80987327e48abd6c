"""Data: where the numbers come from, how fresh they are, and whether they tie out."""
import streamlit as st

import services
from dashboards.common import as_of, connected_companies, money_columns, owner_settings, reader, report, settings_file
from models import month_end, paths, run_log, settings
from models.companies import company_names
from models.freshness import freshness
from models.months import previous_month

st.title("Data")
info = freshness(reader().cursor())
with st.container(horizontal=True, gap="medium"):  # figures wrap rather than being cut in a narrow window
    st.metric("Last build", info.age_text(), width="content")
    st.metric("Revenue lines", f"{info.revenue_lines:,}", width="content")
    st.metric("Tie-out", "ties out" if info.ties_out else "differences", width="content")
if not info.ties_out:
    st.error("These checks found documents whose lines do not add up: " + ", ".join(info.failed_checks)
             + ". See sql/tests/ for what each checks.")



def show_log(message: str) -> None:
    """What the child process reported, a line at a time, as plain text (never a traceback)."""
    for line in run_log.readable_lines(message):
        st.text(line)


st.subheader("QuickBooks")
names = company_names(reader().cursor())
connections = connected_companies(where=st)
if connections:
    for connection in connections:
        st.text(f"{names.get(connection.realm_id, connection.realm_id)}: {connection.summary()}")
    full = st.checkbox("Full sync (read everything again and find deletes)")
    if st.button("Sync now", type="primary"):
        with st.status("Syncing with QuickBooks...", expanded=True) as progress:
            outcome = services.sync_in_child(paths.work_db(), on_line=progress.text, full=full)
            progress.update(label="Synced and rebuilt" if outcome.ok else "The sync did not finish",
                            state="complete" if outcome.ok else "error")
        if not outcome.ok:
            st.error("The sync did not finish:")
            show_log(outcome.message)
else:
    st.info("No QuickBooks company is connected. Run `msp-revenue connect` in a terminal (your app's keys in "
            "qbo.toml beside the warehouse, see qbo.example.toml), then sync here or with `msp-revenue sync`.")
if names:
    st.dataframe({"Company": list(names.values()), "QuickBooks realm Id": list(names)}, hide_index=True)
st.caption(("Companies in the warehouse, by the name QuickBooks gives them. " if names else "No company yet. ")
           + "Files load with `msp-revenue load FILE... --realm ID`.")

tie_out = report("tie-out")
if len(tie_out):
    st.subheader("Tie-out to QuickBooks' ProfitAndLoss")
    differences = tie_out[tie_out["difference"] != 0]
    if differences.empty:
        st.success(f"Income ties out to QuickBooks in all {tie_out['month'].nunique()} month(s) compared.")
    else:
        st.dataframe(differences, hide_index=True, width="stretch",
                     column_config=money_columns(differences, "quickbooks", "ours", "difference"))

held = report("held-records")
if len(held):
    st.subheader("Held back")
    st.warning(f"{len(held)} record(s) QuickBooks sent cannot be read and are left out of every figure until "
               "QuickBooks sends a corrected version (fix them in QuickBooks, then sync). Each names the field.")
    st.dataframe(held, hide_index=True, width="stretch")

st.subheader("Company name on printouts")
with st.form("company_name"):
    chosen = st.text_input("Printed name", value=owner_settings().company_name,
                           help="Leave empty to print the company's own name in QuickBooks.")
    if st.form_submit_button("Save name"):
        settings.save_company_name(settings_file(), chosen)
        st.rerun()

st.subheader("What was loaded, per entity")
loads = report("load-history")
# each company by its name, as above
st.dataframe(loads.assign(realm_id=[names.get(r, r) for r in loads["realm_id"]]) if len(loads) else loads,
             hide_index=True, width="stretch", column_config={"realm_id": st.column_config.Column("Company")})

st.subheader("Month-end workbook")
today = as_of()
last_month = previous_month(today)
month = st.date_input("Month", value=last_month, key="month_end", help="Any day of the month").replace(day=1)
owner = owner_settings()


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
        outcome = services.rebuild_in_child(paths.work_db())
    (st.success if outcome.ok else st.error)("Rebuilt." if outcome.ok else "The rebuild did not finish:")
    show_log(outcome.message)
