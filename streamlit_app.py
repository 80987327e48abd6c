"""The app's router: one page per file in dashboards/, behind the access gate."""
import os

import streamlit as st

from models.files import OWNER_ONLY_UMASK

from models.settings.access import NOT_ALLOWED, REFUSAL, decide, is_loopback
from dashboards.common import allowed_emails, nothing_loaded, sidebar

# a rebuild or an export the app runs writes the books: owner-only from the first byte (models/files.py)
os.umask(OWNER_ONLY_UMASK)
st.set_page_config(page_title="MSP Revenue", page_icon=":material/monitoring:", layout="wide")

address = st.get_option("server.address") or ""
auth = dict(st.secrets.get("auth", {})) if st.secrets.load_if_toml_exists() else None
# Exposed, a visitor sees the login and nothing else: the settings (their path, their values, their errors)
# are read only once someone has logged in.
if not is_loopback(address) and auth and not st.user.is_logged_in:
    st.title("MSP Revenue")
    st.button("Log in", on_click=st.login, type="primary")
    st.stop()
access = decide(address, auth, allowed_emails(exposed=not is_loopback(address)))
if access.refuse:
    st.error(REFUSAL.format(address=address or "every network interface"))
    st.stop()
if access.exposed:
    if not access.allows(st.user.get("email"), st.user.get("email_verified")):
        st.error(NOT_ALLOWED)
        st.button("Log out", on_click=st.logout)
        st.stop()

pages = [
    st.Page("dashboards/this_week.py", title="This week", icon=":material/calendar_view_week:", default=True),
    st.Page("dashboards/sitdown.py", title="Client sit-down", icon=":material/handshake:"),
    st.Page("dashboards/garden.py", title="Client garden", icon=":material/yard:"),
    st.Page("dashboards/margin.py", title="Margin", icon=":material/trending_up:"),
    st.Page("dashboards/policies.py", title="Policies", icon=":material/gavel:"),
    st.Page("dashboards/devices.py", title="Devices", icon=":material/devices:"),
    st.Page("dashboards/forecast.py", title="Forecast", icon=":material/query_stats:"),
    st.Page("dashboards/prepayments.py", title="Prepayments", icon=":material/savings:"),
    st.Page("dashboards/receivables.py", title="Receivables", icon=":material/request_quote:"),
    st.Page("dashboards/revenue.py", title="Revenue by month", icon=":material/bar_chart:"),
    st.Page("dashboards/categories.py", title="Categories", icon=":material/category:"),
    st.Page("dashboards/data.py", title="Data", icon=":material/database:"),
]
page = st.navigation(pages)
sidebar()
if page.title != "Data":  # the Data page says what to do first itself, and keeps its QuickBooks section
    nothing_loaded(page.title)
if access.exposed:
    st.sidebar.text(f"Logged in as {st.user.email}")  # text, never markdown: the provider's words are data
    st.sidebar.button("Log out", on_click=st.logout)
page.run()
