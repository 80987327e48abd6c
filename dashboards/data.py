"""Data: where the numbers come from, how fresh they are, and whether they tie out."""
from urllib.parse import urlencode

import streamlit as st

import jobs
import services
from dashboards.common import (SCROLL_CUE, closed_month, connected_companies, headers_in_words, money_columns, nothing_loaded, owner_settings, reader, report,
                               settings_file, table, table_opening_lines)
from models.documents import month_end_workbook
from models.figures import drilldown, month_end
from models.jobs import delivery, job_list
from models.settings import job_settings, settings
from models.warehouse import paths, run_log
from models.figures.companies import company_names
from models.figures.freshness import compared_bases, freshness
from models.markdown import markdown_text

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
if "code" in st.query_params or "error" in st.query_params:
    # Intuit sent the browser back here (the redirect URI of development keys is this page): finish connecting
    answer = "?" + urlencode({key: st.query_params[key] for key in st.query_params})
    st.query_params.clear()
    try:
        with st.spinner("Connecting the QuickBooks company..."):
            realm = services.finish_connect(paths.work_db(), answer)
    except services.ConnectorError as err:
        st.session_state["qbo_connect"] = ("error", f"QuickBooks did not connect: {err}")
    else:
        st.session_state["qbo_connect"] = ("success", f"Connected QuickBooks company {realm}. Sync now to read it.")
    st.rerun()
if "qbo_connect" in st.session_state:
    kind, said = st.session_state.pop("qbo_connect")
    (st.success if kind == "success" else st.error)(markdown_text(said))
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
    st.info("No QuickBooks company is connected yet: connect one below, then sync here.")
with st.expander("Connect to QuickBooks", expanded=not connections):
    st.markdown("**1. Your app's keys** (developer.intuit.com → your app → Keys & credentials)")
    port = st.get_option("server.port")
    with st.form("qbo_keys"):
        client_id = st.text_input("Client ID")
        client_secret = st.text_input("Client secret", type="password")
        production = st.radio("Keys", ["Development (sandbox company)", "Production"], horizontal=True) == "Production"
        redirect_uri = st.text_input(
            "Redirect URI", value=f"http://localhost:{port}/data",
            help="Exactly as listed under your app's redirect URIs. Development keys may use this page's own "
                 "address (the answer then comes back here); production keys need an https address, e.g. "
                 "https://developer.intuit.com/v2/OAuth2Playground/RedirectUrl, and the answer is pasted below.")
        if st.form_submit_button("Save keys"):
            try:
                saved = services.save_qbo_keys(paths.work_db(), client_id, client_secret,
                                               "production" if production else "sandbox", redirect_uri)
            except services.ConnectorError as err:
                st.error(markdown_text(str(err)))
            else:
                st.success(f"Saved in {saved.name} beside the warehouse, readable by you only.")
    st.markdown("**2. Connect**, either way:")
    consent, playground = st.columns(2)
    with consent:
        st.markdown("Intuit's consent page")
        if st.button("Connect with Intuit", help="Opens Intuit's page where you pick the company and allow access"):
            try:
                st.session_state["qbo_consent_url"] = services.begin_connect(paths.work_db())
            except services.ConnectorError as err:
                st.error(markdown_text(str(err)))
        if "qbo_consent_url" in st.session_state:
            st.link_button("Open Intuit's consent page", st.session_state["qbo_consent_url"], type="primary")
            st.caption("Development keys with this page as the redirect URI come back here by themselves. "
                       "Otherwise, after you allow access, paste the address your browser was sent to:")
            with st.form("qbo_answer"):
                pasted = st.text_input("Address the browser was sent to")
                if st.form_submit_button("Finish connecting") and pasted:
                    try:
                        realm = services.finish_connect(paths.work_db(), pasted)
                    except services.ConnectorError as err:
                        st.error(markdown_text(f"QuickBooks did not connect: {err}"))
                    else:
                        st.session_state.pop("qbo_consent_url", None)
                        st.session_state["qbo_connect"] = ("success", f"Connected QuickBooks company {realm}. "
                                                                      "Sync now to read it.")
                        st.rerun()
    with playground:
        st.markdown("A refresh token from Intuit's OAuth 2.0 Playground (for these keys)")
        with st.form("qbo_playground"):
            realm_id = st.text_input("Realm ID (the company's number)")
            refresh_token = st.text_input("Refresh token", type="password")
            if st.form_submit_button("Connect with the token"):
                try:
                    with st.spinner("Checking the token with Intuit..."):
                        realm = services.connect_with_refresh_token(paths.work_db(), refresh_token, realm_id)
                except services.ConnectorError as err:
                    st.error(markdown_text(f"QuickBooks did not connect: {err}"))
                else:
                    st.session_state["qbo_connect"] = ("success", f"Connected QuickBooks company {realm}. "
                                                                  "Sync now to read it.")
                    st.rerun()
if names:
    st.dataframe({"Company": list(names.values()), "QuickBooks realm Id": list(names)}, hide_index=True)
st.caption(("Companies in the warehouse, by the name QuickBooks gives them. " if names else "No company yet. ")
           + f"Files load with `{paths.COMMAND} load FILE... --realm ID`.")

compared = {basis: report("tie-out", basis=basis) for basis in compared_bases(owner_settings())}
if any(len(tie_out) for tie_out in compared.values()):
    st.subheader("Tie-out to QuickBooks' ProfitAndLoss")
for basis, tie_out in compared.items():
    if not len(tie_out):
        continue
    on = " on a cash basis" if basis == "cash" else ""  # accrual is what every page shows
    differences = tie_out[tie_out["difference"] != 0]
    if differences.empty:
        st.success(f"Income ties out to QuickBooks{on} in all {tie_out['month'].nunique()} month(s) compared.")
    else:
        table_opening_lines(differences, "tie_out" if basis == "accrual" else f"tie_out_{basis}",
                            lambda row, column, basis=basis: drilldown.tie_out_difference(row["month"], row["account"],
                                                                                          basis),
                            f"Tie-out differences{on}",
                            column_config=money_columns(differences, "quickbooks", "ours", "difference"))

held = report("held-records")
if len(held):
    st.subheader("Held back")
    st.warning(f"{len(held)} record(s) QuickBooks sent cannot be read and are left out of every figure until "
               "QuickBooks sends a corrected version (fix them in QuickBooks, then sync). Each names the field.")
    table(held, "held_records", "Held back", column_config=money_columns(held))

st.subheader("Company name on printouts")
with st.form("company_name"):
    chosen = st.text_input("Printed name", value=owner_settings().company_name,
                           help="Leave empty to print the company's own name in QuickBooks.")
    if st.form_submit_button("Save name"):
        settings.save_company_name(settings_file(), chosen)
        st.rerun()

st.subheader("What was loaded, per entity")
# every header in words, not the report's column names
LOAD_HEADERS = {"realm_id": st.column_config.Column("Company"), "entity": st.column_config.Column("Records"),
                "last_loaded_at": st.column_config.DatetimeColumn("Last loaded (UTC)", format="YYYY-MM-DD HH:mm"),
                "last_source": st.column_config.Column("From"), "loads": st.column_config.NumberColumn("Loads"),
                "inserted": st.column_config.NumberColumn("New"), "updated": st.column_config.NumberColumn("Updated")}
loads = report("load-history")
# each company by its name, as above
table(loads.assign(realm_id=[names.get(r, r) for r in loads["realm_id"]]) if len(loads) else loads, "loads",
      "What was loaded", column_config=LOAD_HEADERS, wide=True)

st.subheader("Month-end workbook")
month = closed_month("Month", "month_end", help="The months over by the as-of date, newest first")
owner = owner_settings()


def workbook() -> bytes:
    return month_end_workbook.workbook_bytes(month_end.build(reader().cursor(), owner, month))


if month is not None:
    st.download_button(f"Download the month-end workbook for {month:%B %Y}", workbook,
                       file_name=f"month-end-{month:%Y-%m}.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:")
st.caption("Summary, revenue by client, sales register, prepayments roll-forward and journal entry, receivables, "
           f"payments received, unmapped items and the tie-out; also `{paths.COMMAND} export month-end --month YYYY-MM`.")

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
# the job and its next run first; the rest scrolls sideways in a narrow window
shown = ["job", "next run", "schedule", "last run", "result", "sent to"]
st.dataframe([line.row(zone) for line in job_lines], hide_index=True, width="stretch", column_order=shown,
             column_config={**headers_in_words(shown), "job": st.column_config.Column("Job", pinned=True)})
st.caption(SCROLL_CUE)
not_done = job_list.not_done_rows(job_history, zone)
if not_done:
    st.warning(f"{len(not_done)} job(s) failed and are not done yet; each is tried again later, or was given up "
               "until its next period. What the server or QuickBooks said:")
    st.dataframe(not_done, hide_index=True, width="stretch", column_config=headers_in_words(not_done[0]))
sent = job_list.sent_rows(job_history, zone)
st.caption("Sent so far:" if sent else "Nothing sent yet.")
if sent:
    st.dataframe(sent, hide_index=True, width="stretch", column_config=headers_in_words(sent[0]))
looked, lately = job_list.runner_status(paths.work_db(), zone)
(st.caption if lately else st.warning)(looked)
st.caption(f"While the app runs it runs what is due itself; `{paths.COMMAND} jobs run-due`, called every few minutes "
           "by cron, a systemd timer or the container, does the same when the app is not running (README: Email and "
           f"scheduling). Each job is done once, whoever looks. `{paths.COMMAND} jobs list` shows the same.")

current = job_settings.load_jobs(settings_file())
zones = [""] + job_settings.time_zones()
with st.form("jobs_settings"):
    st.markdown("**When**")
    zone_name = st.selectbox("Time zone", zones, index=zones.index(current.timezone) if current.timezone in zones else 0,
                             format_func=lambda zone: zone or "this machine's time zone")
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
    password = columns[1].text_input("Password", type="password",
                                     help="Kept in a file only you can read, beside the settings (never in "
                                          "settings.toml); leave empty to keep the one you have.")
    sender = columns[2].text_input("From", value=email.sender)
    owner_to = st.text_input("Owner (weekly summary, alerts)", value=", ".join(email.owner))
    accountant_to = st.text_input("Accountant (month-end workbook)", value=", ".join(email.accountant))
    if st.form_submit_button("Save jobs and email"):
        values = {
            "jobs.timezone": zone_name, "jobs.nightly_sync.enabled": nightly, "jobs.nightly_sync.at": nightly_at,
            "jobs.weekly_summary.enabled": weekly, "jobs.weekly_summary.day": weekly_day,
            "jobs.weekly_summary.at": weekly_at, "jobs.month_end.enabled": monthly,
            "jobs.month_end.day": int(monthly_day), "jobs.month_end.at": monthly_at, "jobs.alerts.enabled": alerts,
            "email.host": host, "email.port": int(port), "email.security": security, "email.user": user,
            "email.sender": sender, "email.owner": job_settings.address_list(owner_to),
            "email.accountant": job_settings.address_list(accountant_to)}
        problems = job_settings.form_problems(settings_file(), values)
        if problems:
            st.error("Nothing was saved:\n" + "\n".join(f"- {markdown_text(problem)}" for problem in problems))
        else:
            if password:
                values["email.password_file"] = str(job_settings.store_password(settings_file(), password))
            job_settings.save_jobs(settings_file(), values)
            st.rerun()
if st.button("Send a test email", help="Sends a short message to the owner's address with the saved settings"):
    try:
        st.success(jobs.send_test_email(paths.work_db()))
    except (jobs.JobFailed, delivery.SendFailed) as err:
        st.error(markdown_text(f"The test email was not sent: {err}"))
