"""Client sit-down: one client's 12 full months of labor and what each tier would cost."""
from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboards.common import (SETTINGS_KEY, as_of, chart_opening_lines, company_name, headline, money_columns, owner_settings,
                               reader, realm, settings_file, table, table_opening_lines)
from models.documents import charts, sitdown
from models.settings import settings
from models.warehouse import paths, run_log
from models.figures.formatting import column_label, money_text, month_text
from models.markdown import markdown_text
from models.figures.totals import TotalRow
from models.figures import no_rows

st.title("Client sit-down")
owner, printed_as = owner_settings(), company_name()


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=SETTINGS_KEY)
def load(snapshot_identity, realm_id: str, client_id: str, day, settings_now) -> sitdown.SitDown:
    # keyed by the client: one client's figures can never be served for another
    return sitdown.load(reader().cursor(), settings_now, realm_id, client_id, day)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=SETTINGS_KEY)
def printout(snapshot_identity, clients: tuple[tuple[str, str], ...], day, settings_now, printed_as: str,
             owners_copy: bool) -> bytes:
    sits = [load(snapshot_identity, realm, client, day, settings_now) for realm, client in clients]
    notes = [sitdown.owners_notes(reader().cursor(), settings_now, sit) for sit in sits] if owners_copy else None
    return sitdown.printout(sits, printed_as, day, notes)


identity = reader().identity()
candidates = sitdown.clients(reader().cursor(), owner, as_of(), realm())
if candidates.empty:
    st.info(no_rows.NO_CLIENT_REVENUE)
    st.stop()
labels = {(r.realm_id, r.customer_id): f"{r.customer} — {money_text(r.labor_total)} labor"
          for r in candidates.sort_values("customer").itertuples(index=False)}
realm_id, client_id = st.selectbox("Client", list(labels), format_func=labels.get, key="sitdown_client")
sit = load(identity, realm_id, client_id, as_of(), owner)

st.subheader(f"{markdown_text(sit.client)}: labor {sitdown.period_text(sit)}")  # a name is text, not markdown
with st.container(horizontal=True, gap="medium"):
    for label, column in (("Labor paid", "labor_total"), (column_label("labor_hourly"), "labor_hourly"),
                          (column_label("labor_msa"), "labor_msa")):
        headline(label, money_text(sit.total(column)), sitdown.twelve_months_figure(sit, column))
if sit.has_labor():
    chart_opening_lines(charts.client_labor_by_month(sit.months), "sitdown_chart",
                        lambda month, category: sitdown.month_figure(sit, month, category))
else:
    st.info(sitdown.NO_LABOR)
months = sit.months[["month", *sitdown.MONTH_COLUMNS]]
table_opening_lines(months, "sitdown_months", lambda row, column: sitdown.month_figure(sit, row["month"], column),
                    f"Labor by month, {sit.client}",
                    total=TotalRow("month", sitdown.MONTH_COLUMNS, label_text=month_text),
                    total_figure_of=lambda column: sitdown.twelve_months_figure(
                        sit, column if column in sitdown.MONTH_COLUMNS else "labor_total"),
                    column_config=money_columns(months, *sitdown.MONTH_COLUMNS))

st.subheader("Devices and the tier what-if")
with st.form("devices"):
    # the form edits the typed counts: a client of a device export is priced at the export's counts instead,
    # unless the owner says the typed ones stand over it
    current = owner.devices.get(realm_id, {}).get(client_id) or settings.Devices(0, 0, sit.client)
    c1, c2 = st.columns(2)
    servers = c1.number_input("Servers", min_value=0, step=1, value=current.servers)
    desktops = c2.number_input("Desktops", min_value=0, step=1, value=current.desktops)
    override = st.checkbox("Use these counts over the device export", value=current.override,
                           help="For a client whose remote-monitoring tool lists machines that are not its, or "
                                "misses some: tiers, margin and the price sheet then count what is typed here")
    if st.form_submit_button("Save device counts"):
        settings.save_devices(settings_file(), realm_id, {client_id: settings.Devices(
            int(servers), int(desktops), sit.client, override)})
        st.rerun()
st.caption(sitdown.devices_text(sit.devices, sit.devices_from, sit.devices_by)
           + (" The counts typed here are used where no device export lists the client, or when marked to be used "
              "over it." if sit.devices_from else ""))
# the same words as the printout: "not offered", "saves the client $6,255.00 a year", the current tier
tiers, notes = sitdown.tier_table(sit), sitdown.tier_notes(sit)
st.caption(markdown_text(notes[0]))
table(pd.DataFrame(tiers.rows, columns=tiers.header), "tiers", f"Tiers, {sit.client}", wide=True)
for note in notes[1:]:
    st.caption(markdown_text(note))

day = as_of()
# off by default: the printout is the client's, and a page of what the client cost must be asked for
owners_copy = st.toggle("Add my notes page (this client's margin: for me, not for the client)", value=False,
                        key="owners_notes")
# drawn when the page runs for this client (a few tenths of a second, then cached), so a printout that
# cannot be made says so here instead of the button doing nothing; handed to the browser on the click
try:
    document = printout(identity, ((realm_id, client_id),), day, owner, printed_as, owners_copy)
except Exception:  # whatever broke it, the page stays up; the details go to the log
    st.error(markdown_text(run_log.failed(paths.work_db(), f"the printout for {sit.client}")))
else:
    st.download_button("Download printout (PDF)", lambda: document, file_name=sitdown.printout_file_name(sit, owners_copy),
                       mime="application/pdf", icon=":material/print:", key="printout", on_click="ignore")

with st.expander("Printouts for a group of clients"):
    limit = st.number_input("Clients with 12-month labor under ($)", min_value=0, value=1000, step=100)
    group = candidates[candidates["labor_total"] < Decimal(limit)].sort_values("customer")
    st.caption(f"{len(group)} client(s)")
    keys = tuple((r.realm_id, r.customer_id) for r in group.itertuples(index=False))
    # prepared printouts belong to one group, day, build and settings: a changed limit (or any of those)
    # leaves them unoffered until the new group's are prepared
    batch_for = (identity, day, owner, printed_as, keys, owners_copy)
    if len(group) and st.button(f"Prepare {len(group)} printouts", key="batch_prepare"):
        with st.spinner("Preparing printouts..."):
            try:
                each = [(load(identity, realm, client, day, owner),
                         printout(identity, ((realm, client),), day, owner, printed_as, owners_copy))
                        for realm, client in keys]
                combined = printout(identity, keys, day, owner, printed_as, owners_copy)
            except Exception:  # as for one printout: a message here, the details in the log
                st.error(markdown_text(run_log.failed(paths.work_db(), f"the printouts for these {len(keys)} clients")))
            else:
                st.session_state["batch"] = (batch_for, combined, sitdown.printout_zip(each, owners_copy))
    if st.session_state.get("batch", (None,))[0] == batch_for:
        _, combined, zipped = st.session_state["batch"]
        st.download_button("Download their printouts (one PDF)", combined,
                           file_name=sitdown.group_file_name("pdf", owners_copy), mime="application/pdf", key="batch_pdf")
        st.download_button("Download their printouts (zip, one PDF each)", zipped,
                           file_name=sitdown.group_file_name("zip", owners_copy), mime="application/zip", key="batch_zip")
