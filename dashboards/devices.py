"""Devices: what each client runs against what it is billed for (report devices), and the RMM export behind it."""
import streamlit as st

import services
from dashboards.common import as_of, headline, money_columns, report, settings_file, table, table_opening_lines
from models.figures import drilldown
from models.figures.formatting import money_text, month_text
from models.figures.totals import TotalRow
from models.markdown import markdown_text
from models.settings import settings
from models.warehouse import paths

st.title("Devices")
day = as_of()
st.markdown(
    f"Servers and desktops each client runs, from your remote-monitoring tool's latest device export, against the "
    f"devices its invoices bill for in {month_text(day.replace(day=1))} (the items categories.toml's "
    "[device_kinds] name), and what the difference comes to a month at the client's own price per device. "
    "Click a cell for the devices and invoice lines behind it."
)
clients = report("devices")
organisations = report("device-organisations")
if organisations.empty:
    st.info("No device export is loaded by this date. Upload one below, or run "
            f"`{paths.COMMAND} load-devices FILE`.")
elif clients.empty:
    st.info("No client is billed per device (no invoice line a [device_kinds] rule names, this month or the 12 "
            "before): say in categories.toml which items bill servers and desktops, then rebuild.")
else:
    under = clients[clients["status"] == "under-billed"]
    over = clients[clients["status"] == "over-billed"]
    with st.container(horizontal=True, gap="medium"):
        headline("Not billed a month", money_text(sum(under["monthly_difference"].dropna(), start=0)),
                 note=f"{len(under)} client(s) under-billed")
        headline("Billed for devices not running", money_text(-sum(over["monthly_difference"].dropna(), start=0)),
                 note=f"{len(over)} client(s) over-billed")
    st.caption(f"Deployed as of the export of {organisations['export_date'].max()}.")
    columns = ["client", "servers_deployed", "servers_billed", "desktops_deployed", "desktops_billed",
               "monthly_difference", "status", "server_rate", "desktop_rate"]
    table_opening_lines(clients, "devices", lambda row, column: drilldown.client_devices(day, row, column), "Devices",
                        total=TotalRow("client", ("monthly_difference",)),
                        total_figure_of=lambda column: drilldown.devices("monthly_difference", day),
                        column_config=money_columns(clients, "monthly_difference", "server_rate", "desktop_rate"),
                        column_order=columns, wide=True)
    st.caption("Billed empty: the client has no line of that kind this month or the 12 before, so it is not "
               "compared. The difference is empty where no line this month gives the client's price.")

if len(organisations):
    st.subheader("Organisations in the export")
    unmatched = organisations[organisations["client_id"].isna()]
    if len(unmatched):
        st.warning(f"{len(unmatched)} organisation(s) match no QuickBooks client; their devices count nowhere until "
                   "mapped.")
    table(organisations, "device_organisations", "Device organisations",
          column_order=["organisation", "client", "matched_by", "why_unmatched", "devices", "counted_devices"])
    with st.form("map_organisation"):
        st.markdown("**Map an organisation to a client** (kept under [devices.organisations] in settings.toml)")
        organisation = st.selectbox("Organisation", sorted(organisations["organisation"]),
                                    index=None, placeholder="Choose an organisation")
        customer_id = st.text_input("QuickBooks customer Id", help="report client-labor lists the clients' Ids")
        if st.form_submit_button("Map and rebuild") and organisation and customer_id.strip():
            settings.save_device_organisation(settings_file(), organisation, customer_id.strip())
            with st.spinner("Rebuilding..."):
                outcome = services.rebuild_in_child(paths.work_db())
            (st.success if outcome.ok else st.error)(markdown_text(outcome.message))

st.subheader("Load a device export")
upload = st.file_uploader("A NinjaOne, Datto RMM or N-able device export, or the plain CSV "
                          "(client,device,kind,last_seen)", type=["csv", "xlsx"])
if upload is not None and st.button("Load as of today"):
    with st.spinner("Loading the devices and rebuilding..."):
        outcome = services.load_devices_in_child(paths.work_db(), upload.name, upload.getvalue())
    (st.success if outcome.ok else st.error)(markdown_text(outcome.message))
