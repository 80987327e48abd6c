"""Devices: what each client runs against what it is billed for (report devices), each agreement client's fee against
the price sheet (report price-sheet), and the RMM export behind both."""
import streamlit as st

import services
from dashboards.common import (as_of, headline, money_columns, reader, realm, report, settings_file, table,
                               table_opening_lines)
from models.figures import drilldown, reports
from models.figures.formatting import money_text, month_text
from models.figures.totals import TotalRow
from models.markdown import markdown_text
from models.settings import settings
from models.warehouse import paths
from models.figures import no_rows

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
    st.info(no_rows.no_device_export())
elif clients.empty:
    st.info(no_rows.NO_DEVICE_BILLING)
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

st.subheader("Price sheet")
st.markdown(
    f"Each agreement client's fee for {month_text(day.replace(day=1))} (its agreement lines of the month) against the "
    "price sheet: the tier its agreement items name, at your list prices per server and desktop (settings.toml's "
    "[tiers]), for its device counts (the device export's, else those typed on the sit-down page, or typed counts "
    "marked to be used over the export). A positive difference is a deal under list: money a month the price sheet "
    "would bring."
)
sheet = report("price-sheet")
if sheet.empty:
    st.info(no_rows.no_agreement_lines(day))
else:
    priced = sheet[sheet["list_monthly"].notna()]
    under = priced[priced["status"] == "under list"]
    if priced.empty:
        st.info("No agreement client can be priced: their agreement items name no tier of settings.toml's [tiers] "
                "(\"MSA - Gold\" names Gold), or they have no device counts. The status column says which.")
    else:
        with st.container(horizontal=True, gap="medium"):
            headline("At list a month", money_text(sum(priced["list_monthly"], start=0)),
                     drilldown.price_sheet("list_monthly", day),
                     note=f"{len(priced)} client(s) priced; billed them "
                          f"{money_text(sum(priced['actual_monthly'], start=0))}")
            headline("Under list a month", money_text(sum(under["difference"], start=0)),
                     note=f"{len(under)} deal(s) under list")
    columns = ["client", "tier", "servers", "desktops", "actual_monthly", "list_monthly", "difference", "status",
               "devices_counted_by", "devices_counted_from"]
    table_opening_lines(sheet, "price_sheet", lambda row, column: drilldown.client_price_sheet(day, row, column),
                        "Price sheet", total=TotalRow("client", ("actual_monthly", "list_monthly", "difference")),
                        total_figure_of=lambda column: drilldown.price_sheet(
                            column if column in reports.PRICE_SHEET_FIGURES else "difference", day),
                        column_config=money_columns(sheet, "actual_monthly", "list_monthly", "difference"),
                        column_order=columns, wide=True)
    st.caption("List is empty for a client whose agreement items name no tier, with no device counts, or whose "
               "counts the tier does not fit (Silver without a server); its fee is in the actual total, not the "
               "others.")

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
        named = reports.clients(reader().cursor(), realm()).records()
        names = {r["customer_id"]: f"{r['customer']} (Id {r['customer_id']})" for r in named}
        customer_id = st.selectbox("QuickBooks client", list(names), format_func=names.get, index=None,
                                   placeholder="Choose a client")
        if st.form_submit_button("Map and rebuild") and organisation and customer_id:
            settings.save_device_organisation(settings_file(), organisation, customer_id)
            with st.spinner("Rebuilding..."):
                outcome = services.rebuild_in_child(paths.work_db())
            (st.success if outcome.ok else st.error)(markdown_text(outcome.message))

st.subheader("Load a device export")
# the page's date is the export's: an export saved last week is loaded as of the day it was taken
st.caption(f"Loaded as the export of {day.isoformat()} (the date chosen in the sidebar); another export of that "
           "date is replaced, other dates stay as history.")
upload = st.file_uploader("A NinjaOne, Datto RMM or N-able device export, or the plain CSV "
                          "(client,device,kind,last_seen)", type=["csv", "xlsx"])
if upload is not None and st.button(f"Load as of {day.isoformat()}"):
    with st.spinner("Loading the devices and rebuilding..."):
        outcome = services.load_devices_in_child(paths.work_db(), upload.name, upload.getvalue(), day)
    (st.success if outcome.ok else st.error)(markdown_text(outcome.message))
