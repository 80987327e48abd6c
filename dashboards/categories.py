"""Categories: every item and account with its category and rule; map what is unmapped."""
import streamlit as st

import services
from dashboards.common import money_columns, report
from models import categories, paths
from models.formatting import money_text

st.title("Categories")
lines = report("categories")
unmapped = lines[lines["category"] == "unmapped"]
if len(unmapped):
    st.warning(f"{money_text(sum(unmapped['amount'], start=0))} on {int(unmapped['lines'].sum())} line(s) is "
               "unmapped. Map the items or accounts below; every report follows at once.")
else:
    st.success("Every revenue line has a category.")

columns = ["category", "subcategory", "rule", "rule_pattern", "item", "item_category_path", "income_account",
           "lines", "amount", "last_used"]
st.dataframe(lines[columns], hide_index=True, width="stretch", height=420,
             column_config=money_columns(lines, "amount"))

st.subheader("Map an item or an account")
rules_file = categories.ensure_rules_file(paths.category_rules(paths.work_db()))
kind = st.radio("Map by", ["item", "income account"], horizontal=True)
with st.form("map"):
    choices = sorted(set(lines["item"] if kind == "item" else lines["income_account"].dropna()))
    first_unmapped = sorted(set(unmapped["item"] if kind == "item" else unmapped["income_account"].dropna()))
    name = st.selectbox("Name", choices, index=choices.index(first_unmapped[0]) if first_unmapped else 0)
    # no default: one careless click must not re-categorise anything
    target = st.selectbox("Category", list(categories.TARGETS), index=None, placeholder="Choose a category")
    if st.form_submit_button("Save rule and rebuild"):
        section = "items" if kind == "item" else "income_accounts"
        if target is None:
            st.error("Choose the category first; nothing was saved.")
            st.stop()
        try:
            categories.save_rule(rules_file, section, name, target)
        except categories.RulesError as err:
            st.error(str(err))
        else:
            with st.spinner("Re-categorising every line of history..."):
                outcome = services.rebuild_in_child(paths.work_db())
            if outcome.ok:
                st.success(f"Saved [{section}] \"{name}\" = \"{target}\" and rebuilt.")
                st.rerun()
            else:
                st.error(f"The rule is saved but the rebuild did not finish: {outcome.message}")
st.caption(f"Rules live in {rules_file.name} beside the warehouse; edit it by hand for anything else.")
