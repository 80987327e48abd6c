"""Data: where the numbers come from, how fresh they are, and whether they tie out."""
import streamlit as st

import jobs
import services
from dashboards.common import (as_of, connected_companies, money_columns, nothing_loaded, owner_settings, reader, report,
                               settings_file, table, table_opening_lines)
from models import drilldown, job_settings, month_end, paths, run_log, settings
from models.companies import company_names
from models.freshness import freshness
from models.markdown import markdown_text
from models.months import previous_month

st.title("Data")
info = freshness(reader().cursor())
nothing_loaded()
with st.container(horizontal=True, gap="medium"):  # figures wrap rather than being cut in a narrow window
    st.metric("Last build", info.age_text(), width="content")
    st.metric("Revenue lines", f"{info.revenue_lines:,}", width="content")
    st.metric("Tie-out", "nothing loaded" if info.empty else "ties out" if info.ties_out else "differences",
              width="content")
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
    if synced := st.session_state.pop("synced_now", None):
        st.success(synced, icon=":material/sync:")
    for connection in connections:
        st.text(connection.summary())
    full = st.checkbox("Full sync (read everything again and find deletes)")
    if st.button("Sync now", type="primary"):
        with st.status("Syncing with QuickBooks...", expanded=True) as progress:
            outcome = services.sync_in_child(paths.work_db(), on_line=progress.text, full=full)
            progress.update(label="Synced and rebuilt" if outcome.ok else "The sync did not finish",
                            state="complete" if outcome.ok else "error")
        if outcome.ok:
            # the page runs again on the snapshot the sync published: its last build and last sync are new
            st.session_state["synced_now"] = "Synced and rebuilt: every figure now includes the sync."
            st.rerun()
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
        table_opening_lines(differences, "tie_out",
                            lambda row, column: drilldown.tie_out_difference(row["month"], row["account"]),
                            "Tie-out differences",
                            column_config=money_columns(differences, "quickbooks", "ours", "difference"))

held = report("held-records")
if len(held):
    st.subheader("Held back")
    st.warning(f"{len(held)} record(s) QuickBooks sent cannot be read and are left out of every figure until "
               "QuickBooks sends a corrected version (fix them in QuickBooks, then sync). Each names the field.")
    table(held, "held_records", "Held back")

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
table(loads.assign(realm_id=[names.get(r, r) for r in loads["realm_id"]]) if len(loads) else loads, "loads",
      "What was loaded", column_config={"realm_id": st.column_config.Column("Company")})

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

st.subheader("Scheduled jobs and email")
try:
    job_lines, job_history, zone = jobs.overview(paths.work_db())
except settings.SettingsError as err:
    st.error(markdown_text(str(err)))
    st.stop()
st.dataframe([line.row(zone) for line in job_lines], hide_index=True, width="stretch")
not_done = jobs.not_done_rows(job_history, zone)
if not_done:
    st.warning(f"{len(not_done)} job(s) failed and are not done yet; each is tried again later, or was given up "
               "until its next period. What the server or QuickBooks said:")
    st.dataframe(not_done, hide_index=True, width="stretch")
sent = jobs.sent_rows(job_history, zone)
st.caption("Sent so far:" if sent else "Nothing sent yet.")
if sent:
    st.dataframe(sent, hide_index=True, width="stretch")
st.caption("`msp-revenue jobs run-due`, called every few minutes by cron, a systemd timer or the container, runs what "
           "is due (README: Email and scheduling); `msp-revenue jobs list` shows the same.")

current = job_settings.load_jobs(settings_file())
with st.form("jobs_settings"):
    st.markdown("**When**")
    zone_name = st.text_input("Time zone", value=current.timezone, help="e.g. America/Chicago; empty: this machine's")
    columns = st.columns(3)
    nightly = columns[0].checkbox("Nightly sync", value=current.nightly_sync.enabled)
    nightly_at = columns[0].time_input("Sync at", value=current.nightly_sync.at)
    weekly = columns[1].checkbox("Weekly summary to the owner", value=current.weekly_summary.enabled)
    weekly_day = columns[1].selectbox("On", job_settings.WEEKDAYS, index=current.weekly_summary.day)
    weekly_at = columns[1].time_input("At", value=current.weekly_summary.at)
    monthly = columns[2].checkbox("Month-end workbook to the accountant", value=current.month_end.enabled)
    monthly_day = columns[2].number_input("On day (of the next month)", 1, 28, value=current.month_end.day)
    monthly_at = columns[2].time_input("At ", value=current.month_end.at)
    alerts = st.checkbox("Alerts to the owner (a sync failed twice, the tie-out breaks, a connection lapses soon)",
                         value=current.alerts)
    st.markdown("**Email**")
    email = current.email
    columns = st.columns(3)
    host = columns[0].text_input("SMTP server", value=email.host)
    port = columns[1].number_input("Port", 1, 65535, value=email.port)
    security = columns[2].selectbox("Security", job_settings.SECURITY, index=job_settings.SECURITY.index(email.security))
    user = columns[0].text_input("Login", value=email.user)
    password_file = columns[1].text_input("Password file", value=email.password_file,
                                          help="A file readable by you only (chmod 600) holding the password; or "
                                               f"set {job_settings.PASSWORD_VARIABLE}. The password is never "
                                               "typed here, nor kept in settings.toml.")
    sender = columns[2].text_input("From", value=email.sender)
    owner_to = st.text_input("Owner (weekly summary, alerts)", value=", ".join(email.owner))
    accountant_to = st.text_input("Accountant (month-end workbook)", value=", ".join(email.accountant))
    if st.form_submit_button("Save jobs and email"):
        try:
            job_settings.save_jobs(settings_file(), {
                "jobs.timezone": zone_name, "jobs.nightly_sync.enabled": nightly, "jobs.nightly_sync.at": nightly_at,
                "jobs.weekly_summary.enabled": weekly, "jobs.weekly_summary.day": weekly_day,
                "jobs.weekly_summary.at": weekly_at, "jobs.month_end.enabled": monthly,
                "jobs.month_end.day": int(monthly_day), "jobs.month_end.at": monthly_at, "jobs.alerts.enabled": alerts,
                "email.host": host, "email.port": int(port), "email.security": security, "email.user": user,
                "email.password_file": password_file, "email.sender": sender,
                "email.owner": job_settings.address_list(owner_to),
                "email.accountant": job_settings.address_list(accountant_to)})
        except settings.SettingsError as err:
            st.error(markdown_text(str(err)))
        else:
            st.rerun()
