"""Categories: every item and account with its category and rule; map what is unmapped."""
import streamlit as st

import services
from dashboards.common import money_columns, report, table
from models.figures import category_moves
from models.settings import categories
from models.warehouse import paths, run_log
from models.figures.formatting import money_text
from models.markdown import markdown_text
from models.settings.owner_files import OwnerFileMissing

st.title("Categories")
lines = report("categories")
unmapped = lines[lines["category"] == "unmapped"]
if len(unmapped):
    st.warning(f"{money_text(sum(unmapped['amount'], start=0))} on {int(unmapped['lines'].sum())} line(s) is "
               "unmapped. Map the items or accounts below; every report follows at once.")
else:
    st.success("Every revenue line has a category.")

shown = category_moves.table(lines)
table(shown, "categories", "Categories", height=420, column_config=money_columns(shown, "amount"), wide=True)

st.subheader("Labor scopes of hourly work")
st.caption("Where, on what and when each hourly item's work was, as the [labor_scopes] rules in the rules file tell "
           "it: the sit-down's tier what-if counts what each tier would have covered, and says how much is unknown.")
scopes = category_moves.scope_table(report("labor-scopes"))
table(scopes, "labor_scopes", "Labor scopes", column_config=money_columns(scopes, "amount"), wide=True)

st.subheader("Map an item or an account")
try:
    rules_file = categories.ensure_rules_file(paths.category_rules(paths.work_db()))
except OwnerFileMissing as err:  # the owner's rules file went missing: say how to get it back
    st.error(markdown_text(str(err)))
    st.stop()
# what the last save did is recorded beside the rules file, so its undo outlives a refresh; what an undo
# did is kept in the session, so it outlives the rerun that shows the new figures
last = category_moves.last_change(rules_file)
if last:
    move, previous = last
    st.success(markdown_text(move.done()))
    if st.button("Undo", icon=":material/undo:", help="Put the rule back as it was and rebuild"):
        category_moves.undo(rules_file, move, previous)
        with st.spinner("Putting every line back..."):
            outcome = services.rebuild_in_child(paths.work_db())
        st.session_state["category_undone"] = move.undone()
        st.session_state.pop("category_target", None)  # the next mapping starts from no choice again
        if outcome.ok:
            st.rerun()
        st.error("The rule is restored but the rebuild did not finish:")
        for line in run_log.readable_lines(outcome.message):
            st.text(line)
elif st.session_state.get("category_undone"):
    st.success(markdown_text(st.session_state["category_undone"]))

kind = st.radio("Map by", ["item", "income account"], horizontal=True)
section = "items" if kind == "item" else "income_accounts"
# lines without an item (journal entries and deposits to income, item-less sales lines) map by their account
choices = category_moves.choices(lines, section)
first = category_moves.first_unmapped(lines, section)
name = st.selectbox("Name", choices, index=choices.index(first) if first else 0, key=f"category_name:{section}")
# no default: one careless click must not re-categorise anything
target = st.selectbox("Category", list(category_moves.CHOICES), index=None, format_func=category_moves.choice_name,
                      placeholder="Choose a category", key="category_target")
if target is not None and name is not None:
    move = category_moves.what_moves(lines, section, name, target)
    st.text(move.preview())
    if move.lines and st.button(move.button_label(), type="primary"):
        try:
            category_moves.save(rules_file, move)
        except categories.RulesError as err:
            st.error(markdown_text(str(err)))
        else:
            with st.spinner("Re-categorising every line of history..."):
                outcome = services.rebuild_in_child(paths.work_db())
            if outcome.ok:
                st.session_state.pop("category_undone", None)
                # the form moves on to the next unmapped name, and starts from no category: none may linger
                st.session_state.pop(f"category_name:{section}", None)
                st.session_state.pop("category_target", None)
                st.rerun()
            st.error("The rule is saved but the rebuild did not finish:")
            for line in run_log.readable_lines(outcome.message):
                st.text(line)
st.caption(f"Rules live in {rules_file.name} beside the warehouse; edit it by hand for anything else.")
