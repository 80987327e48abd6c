"""Streamlit pages, one per file; they only render what models/ gives them."""
