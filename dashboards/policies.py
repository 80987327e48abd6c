"""Policies: which clients break the playbook's payment rules, and with how much money (report policies)."""
import streamlit as st

from dashboards.common import as_of, headline, money_columns, owner_settings, report, table_opening_lines
from models.figures import drilldown
from models.figures.formatting import money_text, month_text, share_text
from models.figures.reports import POLICY_FIGURES, policies_switched_on
from models.figures.totals import TotalRow
from models.figures.vocabulary import POLICY_LABELS
from models.months import full_months_before
from models.figures import no_rows

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
if switched_on and switched_off:
    st.caption("Switched off under [policies] in settings.toml: " + ", ".join(switched_off) + ".")
if not switched_on:  # nothing checked is not "nothing broken"
    st.warning(no_rows.NO_POLICY_CHECKED)
elif clients.empty:
    st.success(no_rows.NO_POLICY_BREACH)
else:
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

st.header("How clients pay")
payers = report("payment-behaviour")
months = report("payment-behaviour", summary=True)
late_days = owner.payments.late_days
st.markdown(
    "Each client's invoices of the same 12 months: the days from the invoice to the day it was paid in full (on "
    "average, and weighted by the amounts), the share paid by the due date, and the same for the 12 months before; "
    "the payment methods used, autopay (the latest document paid in full by card on its own date), an active "
    f"recurring template, and what is overdue today: a client with an invoice more than {late_days} days past due "
    "is a late payer. Click a cell for the invoices behind it."
)
if len(months):
    last_month = months.iloc[-1]
    with st.container(horizontal=True, gap="medium"):
        dso = last_month["days_sales_outstanding"]
        headline("Days sales outstanding", "–" if dso is None else f"{dso} days",
                 drilldown.payment_month(last_month, "receivables"),
                 note=f"receivables on {month_text(last_month['month'])}'s last day against 12 months of invoices")
        headline("Agreement money in by the 3rd", share_text(last_month["agreement_by_3rd_share"]),
                 drilldown.payment_month(last_month, "agreement_by_3rd"),
                 note=f"{month_text(last_month['month'])}: {money_text(last_month['agreement_by_3rd'])} of "
                      f"{money_text(last_month['agreement_money'])}")
        headline("Late payers", str(int(payers["late_payer"].sum())) if len(payers) else "0",
                 drilldown.payments("overdue", day), note=f"more than {late_days} days past due today")
if payers.empty:
    st.info(no_rows.NO_PAYMENTS)
else:
    payers["payment_methods"] = [", ".join(methods) for methods in payers["payment_methods"]]
    table_opening_lines(payers, "payment-behaviour", lambda row, column: drilldown.client_payments(day, row, column),
                        "How clients pay",
                        column_config=money_columns(payers, "invoiced", "paid_amount", "paid_by_due_amount",
                                                    "late_amount", "overdue_amount"),
                        column_order=[c for c in payers.columns if c not in ("client_id", "realm_id")], wide=True)
st.subheader("The company, month by month")
table_opening_lines(months, "payment-months", drilldown.payment_month, "Payments by month",
                    column_config=money_columns(months, "sales_12m", "receivables", "agreement_money",
                                                "agreement_by_3rd"))
st.caption("Days sales outstanding: receivables on the month's last day / the invoices of the 12 months to it x 365. "
           "Agreement money in by the 3rd: the month's agreement money (by service month, as MRR counts it) whose "
           "invoice or sales receipt was paid in full by the 3rd. Definitions: docs/METRICS.md, payment behaviour.")
