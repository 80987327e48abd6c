"""Policies: which clients break the playbook's payment rules, and with how much money (report policies)."""
import streamlit as st

from dashboards.common import as_of, headline, money_columns, owner_settings, report, table_opening_lines
from models.figures import drilldown
from models.figures.formatting import money_text, month_text
from models.figures.reports import POLICY_FIGURES, policies_switched_on
from models.figures.totals import TotalRow
from models.figures.vocabulary import POLICY_LABELS
from models.months import full_months_before

st.title("Policies")
owner = owner_settings()
rules = owner.policies
day = as_of()
first, last = full_months_before(day)
st.markdown(
    f"The playbook's payment rules over the last 12 full months ({month_text(first)} – {month_text(last)}): "
    "hardware and software paid before they are invoiced, each agreement month paid by its 1st"
    # check_months 0 is no check rule: "(a check for 0 months at once)" read as a rule
    + (f" (a check for {rules.check_months} month{'s' if rules.check_months != 1 else ''} at once)"
       if rules.check_months else "")
    + f", hourly work invoiced on net {rules.hourly_net_days} and paid by then, "
    f"and finance charges of {owner.finance_charge_percent}% a month invoiced on the 1st for what was past due. "
    "Each rule shows how many times it was broken and the money at stake. Click a cell for the documents behind it."
)
clients = report("policies")
switched_on = policies_switched_on(owner)
switched_off = [POLICY_LABELS[rule] for rule in POLICY_FIGURES if rule not in switched_on]
if not switched_on:  # nothing checked is not "nothing broken"
    st.warning("Every payment rule is switched off under [policies] in settings.toml, so none is checked: set "
               "the rules you want checked to true.")
    st.stop()
if switched_off:
    st.caption("Switched off under [policies] in settings.toml: " + ", ".join(switched_off) + ".")
if clients.empty:
    st.success("No client broke a payment rule that is switched on in the 12 full months before this date.")
    st.stop()

with st.container(horizontal=True, gap="medium"):
    for rule in switched_on:
        count = int(clients[rule].sum())
        headline(POLICY_LABELS[rule], money_text(sum(clients[f"{rule}_amount"], start=0)),
                 drilldown.policy(rule, day), note=f"{count} time{'s' if count != 1 else ''}")

st.subheader("By client")
amounts = tuple(f"{rule}_amount" for rule in switched_on)
columns = ["client", *(column for rule in switched_on for column in (rule, f"{rule}_amount"))]
table_opening_lines(clients, "policies", lambda row, column: drilldown.client_policy(day, row, column), "Policies",
                    total=TotalRow("client", (*switched_on, *amounts)),
                    total_figure_of=lambda column: drilldown.policy(column.removesuffix("_amount"), day)
                    if column.removesuffix("_amount") in switched_on else None,
                    column_config=money_columns(clients, *amounts), column_order=columns, wide=True)
st.caption("Agreement months count once each; finance charges due count the 1sts a charge was due on, at your "
           "rate on each open document's past-due balance, against the finance-charge lines invoiced (the item "
           "categories.toml maps to finance_charge). Definitions: docs/METRICS.md, policies.")
