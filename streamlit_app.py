"""The app's router: one page per file in dashboards/."""
import streamlit as st

st.set_page_config(page_title="MSP Revenue", page_icon=":material/monitoring:", layout="wide")

pages = [
    st.Page("dashboards/revenue.py", title="Revenue", icon=":material/bar_chart:", default=True),
]
st.navigation(pages).run()
