"""The accountant's month-end pack: one workbook (and a CSV per sheet) that ties out to QuickBooks.

The sheets are assembled here as plain data (blocks of rows) from the same reports and queries the CLI
prints; models/documents/month_end_workbook.py writes them (`write_xlsx`: money formats, dates as dates, frozen
headers, totals as formulas an accountant can audit; `write_csv_dir`: UTF-8 with BOM, ISO dates, totals
as values).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb

from models.figures import reports
from models.settings.categories import CATEGORY_LABELS, CATEGORY_ORDER, category_name, rule_name
from models.figures.companies import company_names, printed_name
from models.figures.freshness import last_syncs, tie_out_text
from models.figures.vocabulary import (AGING_BUCKETS, AGING_COLUMNS, AGING_LABELS, AGING_TOTALS, MOVEMENT_LABELS,
                                       MRR_MOVEMENTS, OTHER_MOVEMENTS)
from models.money import ZERO
from models.months import month_bounds
from models.settings.settings import BASES, Settings


@dataclass
class Block:
    """A table on a sheet: a header, rows, and optionally a total row of SUM formulas."""
    header: list[str]
    rows: list[list[Any]]
    money: tuple[int, ...] = ()       # column indexes holding money
    ratios: tuple[int, ...] = ()      # column indexes holding shares (shown as percentages)
    total_label: str | None = None    # add a total row with this label in the first column
    totalled: tuple[int, ...] | None = None  # the money columns the total row sums (default: all of them)
    title: str | None = None
    note: str | None = None
    filtered: bool = False            # a filter on the header row (a long list an accountant narrows down)


@dataclass
class Sheet:
    name: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Pack:
    month: date
    sheets: list[Sheet]
    ties_out: bool
    tie_out: str = ""  # what was compared and whether it ties out, in the words of the app's badge
    not_over: str | None = None  # why the month's figures are not final yet, when they are not
    company: str | None = None   # the company's name, on top of every sheet and in its printed header


def build(con: duckdb.DuckDBPyConnection, settings: Settings, month: date, realm: str | None = None,
          today: date | None = None) -> Pack:
    first, last = month_bounds(month)
    not_over = _not_over(first, last, today or date.today())

    def report(name: str, as_of: date = last, **options) -> list[dict]:
        return reports.run(con, name, reports.Options(as_of=as_of, realm=realm, **options), settings).records()

    def query(name: str) -> list[dict]:
        return reports.run_query(con, name, {"first_day": first, "last_day": last, "realm": realm}).records()

    next_month = last + timedelta(days=1)  # margin covers the full months before its as-of date: up to this one
    basis = settings.report_basis  # the revenue figures' basis, [reports] basis: the Summary's heading says which
    categories = {r["category"]: r["amount"]
                  for r in report("revenue-by-category", period=(first, last), basis=basis)}
    share = next((r for r in report("recurring-share", basis=basis) if r["month"] == first), {})
    mrr = next((r for r in report("mrr", summary=True) if r["month"] == first), None)
    roll = report("prepayments", roll_forward=first)
    schedule = report("prepayments", schedule=True)
    aging = report("ar-aging")
    charges = report("ar-aging", finance_charges=True)
    by_client = reports.run_query(con, "revenue_by_client_month",
                                  {"first_day": first, "last_day": last, "realm": realm, "basis": basis}).records()
    tie_out = query("document_tie_out")
    quickbooks = reports.run_query(con, "tie_out_month", {"first_day": first, "last_day": last, "realm": realm,
                                                          "basis": basis}).records()
    failed = [check for check, rows in (("revenue lines against their documents", tie_out),
                                        ("income against QuickBooks' ProfitAndLoss", quickbooks))
              if any(r["difference"] != 0 for r in rows)]
    ties_out = not failed

    sheets = [
        _summary(first, basis, categories, share, mrr, roll, aging, ties_out, not_over),
        _revenue_by_client(by_client, basis),
        _sales_register(query("sales_register")),
        _prepayments(roll, schedule, reports.run_query(con, "prepayment_entries", {"last_day": last, "realm": realm})
                     .records(), query("deposit_accounts"), first, last),
        _receivables(aging, charges),
        _payments(query("payments_received")),
        _margin(first, report("margin", as_of=next_month, by_month=True), report("margin", as_of=next_month,
                                                                              overhead=True)),
        _unmapped(query("unmapped")),
        _tie_out(tie_out, quickbooks, query("income_by_account"), query("cost_tie_out_month"), basis),
    ]
    compared = tie_out_text(failed, 1 if quickbooks else 0, bool(last_syncs(con)))
    return Pack(first, sheets, ties_out, compared, not_over, printed_name(settings, company_names(con), realm) or None)


def _not_over(first: date, last: date, today: date) -> str | None:
    """An accountant closing a month before its last day closes figures that will still change."""
    if today < first:
        return f"{first:%B %Y} has not begun (today is {today.isoformat()}): its figures will still change"
    if today < last:
        return f"{first:%B %Y} is not over (today is {today.isoformat()}): its figures will still change"
    return None


def _summary(first, basis, categories, share, mrr, roll, aging, ties_out, not_over) -> Sheet:
    revenue = [[CATEGORY_LABELS[c], categories[c]] for c in CATEGORY_ORDER if c in categories]
    mrr = mrr or {k: ZERO for k in ("starting_mrr", *MRR_MOVEMENTS, "mrr")}
    return Sheet("Summary", [
        Block(["Revenue by category", f"{first:%B %Y}"], revenue, money=(1,), total_label="Total revenue",
              title=f"Month-end pack for {first:%B %Y}, revenue on {BASES[basis].lower()}", note=not_over),
        Block(["Labor", "Share"], [
            ["Recurring share of labor (month)", share.get("recurring_share")],
            ["Recurring share of labor (12 months)", share.get("recurring_share_12m")],
        ], ratios=(1,)),
        Block(["MRR", "Amount"], [
            ["MRR at the start of the month", mrr["starting_mrr"]],
            *([MOVEMENT_LABELS[m] + (f" ({OTHER_MOVEMENTS[m]})" if m in OTHER_MOVEMENTS else ""), mrr[m]]
              for m in MRR_MOVEMENTS),
        ], money=(1,), total_label="MRR at the end of the month"),
        Block(["Balances at month end", "Amount"], [
            ["Prepayment liability", sum((r["closing"] for r in roll), ZERO)],
            ["Receivables (open invoices)", sum((r["total"] for r in aging), ZERO)],
            ["Receivables net of credits (QuickBooks' A/R)", sum((r["net"] for r in aging), ZERO)],
        ], money=(1,)),
        Block(["Tie-out", ""], [["Revenue lines against documents", "ties out" if ties_out else "DIFFERENCES: see Tie-out"]]),
    ])


def _revenue_by_client(rows: list[dict], basis: str) -> Sheet:
    columns = list(CATEGORY_ORDER)
    body = [[r["customer"]] + [r[c] or ZERO for c in columns] + [None] for r in rows]
    block = Block(["Client"] + [CATEGORY_LABELS[c] for c in columns] + ["Total"], body,
                  money=tuple(range(1, len(columns) + 2)), total_label="Total", title=f"Revenue on {BASES[basis].lower()}")
    return Sheet("Revenue by client", [block])


def _sales_register(rows: list[dict]) -> Sheet:
    body = [[r["txn_date"], r["document_type"], r["doc_number"], r["customer"], r["status"], r["document_total"],
             r["sales_tax"], r["item"], r["description"], category_name(r["category"], r["subcategory"]),
             r["rule"] and rule_name(r["rule"]), r["rule_pattern"], r["amount"],
             r["outside_income"], r["currency"], r["document_total_in_currency"]]
            for r in rows]
    return Sheet("Sales register", [Block(
        ["Date", "Type", "Number", "Customer", "Status", "Document total", "Sales tax", "Item", "Description",
         "Category", "Rule", "Rule matched", "Revenue", "Outside income", "Currency", "Total in its currency"],
        body, money=(5, 6, 12, 13, 15), total_label="Total", totalled=(12, 13), filtered=True,
        note="Voided documents are listed with no lines; deleted documents are gone from QuickBooks and from here. "
             "Credit memos and refund receipts are negative. Document total includes tax and repeats on each line; "
             "amounts are in the home currency (Total in its currency: as on the document). Outside income: lines "
             "to accounts that are not Income accounts (deposits held, Other Income, expenses), not revenue. "
             "Journal entries and deposits that post to Income accounts are listed line by line (no document total).")])


# The adjusting entry for each part of the liability, by how QuickBooks holds it (prepayment_entries.sql):
# (debit account, credit account, why).
ENTRIES = {
    "reclassification": (
        "Accounts receivable", "Customer prepayments (liability)",
        "Money received for invoices dated after the month end, unapplied payments and credit-memo credit sit "
        "as credits in A/R: reclassify them to a liability at month end, and reverse the entry on the 1st."),
    "deferral": (
        "Revenue (income)", "Deferred revenue (liability)",
        "Invoices dated on or before the month end for service months after it: QuickBooks already counts them as "
        "income on their date. Defer the part paid and held (less refunds and cancellations of those months), "
        "and reverse the entry on the 1st."),
}


def _prepayments(roll, schedule, entries, deposit_accounts, first, last) -> Sheet:
    keys = ("opening", "received", "recognised", "refunded", "closing")
    body = [[r["customer"]] + [r[k] for k in keys] for r in roll]
    amounts = {r["entry"]: r["amount"] for r in entries}
    lines = [line for entry, (debit, credit, _) in ENTRIES.items() if amounts.get(entry)
             for line in ([debit, amounts[entry], ZERO], [credit, ZERO, amounts[entry]])]
    why = [why for entry, (_, _, why) in ENTRIES.items() if amounts.get(entry)]
    if deposit_accounts:
        why.append("Deposit items post to a liability account, which holds that part of the liability already: "
                   "no entry for it (its roll-forward is below).")
    blocks = [
        Block(["Client", "Opening", "Received", "Recognised", "Refunded", "Closing"], body, money=(1, 2, 3, 4, 5),
              total_label="Total", title=f"Roll-forward {first:%B %Y}: opening + received - recognised - refunded = closing"),
        Block(["Month", "Becomes revenue"], [[r["month"] or "not yet invoiced", r["amount"]] for r in schedule],
              money=(1,), total_label="Total held", title=f"Schedule as of {last.isoformat()}"),
        Block(["Account", "Debit", "Credit"], lines, money=(1, 2), total_label="Total",
              title=f"Adjusting entries {last.isoformat()} (reverse on the 1st)",
              note=" ".join(why) or "Nothing is held at month end: no entry."),
    ]
    if deposit_accounts:
        blocks.append(Block(["Deposit account", "Opening", "Received", "Applied", "Closing"],
                            [[r["account"], r["opening"], r["received"], r["applied"], r["closing"]]
                             for r in deposit_accounts], money=(1, 2, 3, 4), total_label="Total",
                            title=f"Deposit accounts {first:%B %Y}: opening + received - applied = closing"))
    return Sheet("Prepayments", blocks)


def _receivables(aging, charges) -> Sheet:
    headers = [AGING_LABELS[b] for b in AGING_BUCKETS] + [short for short, _ in AGING_TOTALS.values()]
    return Sheet("Receivables", [
        Block(["Client", *headers],
              [[r["customer"]] + [r[k] for k in AGING_COLUMNS] for r in aging], money=tuple(range(1, len(headers) + 1)),
              total_label="Total", title="Aging at month end",
              note="Total: open invoices (the gross aging). Credits: unapplied payments and credit-memo credit, "
                   "netted as QuickBooks' A/R Aging Summary does; Net ties to QuickBooks' A/R."),
        Block(["Client", "Past due", "Oldest (days)", "Assess on", "Finance charge"],
              [[r["customer"], r["past_due"], r["oldest_days_past_due"], r["assess_on"], r["finance_charge"]]
               for r in charges], money=(1, 4), total_label="Total", title="Finance charges assessed on the next 1st"),
    ])


def _payments(rows: list[dict]) -> Sheet:
    body = [[r["received_on"], r["customer"], r["payment_method"], r["reference"], r["payment_total"],
             r["unapplied_amount"], r["applied_to_type"], r["applied_to_number"], r["applied_to_date"],
             r["applied_amount"]] for r in rows]
    return Sheet("Payments received", [Block(
        ["Received", "Client", "Method", "Reference", "Payment total", "Unapplied now", "Applied to", "Number",
         "Dated", "Applied"], body, money=(4, 5, 9), total_label="Total applied", totalled=(9,),
        note="One row per document a payment was applied to; the payment total repeats on each of its rows.")])


def _margin(first: date, by_month: list[dict], overhead: list[dict]) -> Sheet:
    rows = [r for r in by_month if r["month"] == first]
    body = [[r["client"], r["revenue"], r["labor_cost"], r["tool_cost"], r["direct_cost"], r["gross_margin"],
             None if r["gross_margin_pct"] is None else r["gross_margin_pct"] / 100, r["agreement_revenue"],
             r["agreement_margin"], "yes" if r["under_problem_line"] else ""] for r in rows]
    spent = next((r["overhead"] for r in overhead if r["month"] == first), ZERO)
    return Sheet("Margin", [
        Block(["Client", "Revenue", "Labor cost", "Tool cost", "Direct cost", "Gross margin", "Gross margin %",
               "Agreement revenue", "Agreement margin", "Under the margin line"], body, money=(1, 2, 3, 4, 5, 7, 8),
              ratios=(6,), total_label="Total", totalled=(1, 2, 3, 4, 5, 7, 8), title=f"Margin by client, {first:%B %Y}",
              note="Labor at QuickBooks' cost rates (else the owner's, else the default rate); tools per managed "
                   "device in agreement months; direct costs are the bills, expenses, vendor credits and journal "
                   "entries naming the client, and hardware and software at the item's purchase cost where no bill "
                   "names it. Agreement revenue counts in the months it pays for. Definitions: docs/METRICS.md, "
                   "margin."),
        Block(["Overhead", "Amount"], [["Costs naming no client (in no client's margin)", spent]], money=(1,)),
    ])


def _unmapped(rows: list[dict]) -> Sheet:
    body = [[r["item"], r["income_account"], r["class"], r["month_amount"] or ZERO, r["all_time_amount"], r["lines"],
             r["last_used"]] for r in rows]
    return Sheet("Unmapped", [Block(["Item", "Income account", "Class", "This month", "All time", "Lines", "Last used"],
                                    body, money=(3, 4), total_label="Total",
                                    note="Map these in categories.toml (or the app's Categories page) and rebuild.")])


def _tie_out(documents: list[dict], quickbooks: list[dict], income: list[dict], costs: list[dict],
             basis: str) -> Sheet:
    sheet = _income_tie_out(documents, quickbooks, income, basis)
    if costs:
        sheet.blocks.append(Block(
            ["Cost account", "Section", "QuickBooks ProfitAndLoss", "Ours", "Difference", "Of ours: bills",
             "Expenses", "Vendor credits", "Journal entries"],
            [[r["account"], r["section"] or "", r["quickbooks"], r["ours"], r["difference"], r["bills"], r["expenses"],
              r["vendor_credits"], r["journal_entries"]] for r in costs], money=(2, 3, 4, 5, 6, 7, 8),
            total_label="Total", title="Costs per account against QuickBooks' ProfitAndLoss (accrual)",
            note="Ours: the lines of bills, expenses, vendor credits and journal entries to cost accounts (the "
                 "margin's costs, a client's and overhead alike). QuickBooks also books costs that no entity we "
                 "read carries (paychecks of QuickBooks Payroll, the cost of stock items sold): the difference "
                 "says how much. It does not stop the tie-out of revenue."))
    return sheet


def _income_tie_out(documents: list[dict], quickbooks: list[dict], income: list[dict], basis: str) -> Sheet:
    """The documents against our lines, and our income against QuickBooks' ProfitAndLoss on the workbook's basis
    ([reports] basis): on a cash basis with the payments QuickBooks books as Unapplied Cash Payment Income."""
    cash = basis == "cash"
    by_documents = Block(
        ["Document type", "Documents", "Documents total less tax", "Our revenue lines",
         "Lines outside income", "Difference"],
        [[r["document_type"], r["documents"], r["documents_total_less_tax"], r["revenue_lines_total"],
          r["lines_outside_income"], r["difference"]] for r in documents], money=(2, 3, 4, 5), total_label="Total",
        title="Our revenue lines against QuickBooks' documents of the month")
    if quickbooks:
        return Sheet("Tie-out", [by_documents, Block(
            ["Income account", "QuickBooks ProfitAndLoss", "Ours", "Difference", "Of ours: sales lines",
             "Journal entries to income", "Deposits to income"] + (["Unapplied payments"] if cash else []),
            [[r["account"], r["quickbooks"], r["ours"], r["difference"], r["sales_lines"], r["journal_entries"],
              r["deposits"]] + ([r["unapplied_payments"]] if cash else []) for r in quickbooks],
            money=tuple(range(1, 8 if cash else 7)), total_label="Total",
            title=f"Income per account against QuickBooks' ProfitAndLoss ({BASES[basis].lower()})",
            note="Journal entries and deposits that post to income accounts are income in QuickBooks' "
                 "ProfitAndLoss and revenue lines of their own (in revenue by category and the sales register); "
                 "they are shown apart here so a difference can be traced to where it comes from."
                 + (" On a cash basis an invoice's lines count when paid; QuickBooks books a payment left "
                    "unapplied, or paid before its invoice is dated, as Unapplied Cash Payment Income, which is "
                    "not revenue here (a prepayment until applied)." if cash else ""))])
    return Sheet("Tie-out", [by_documents, Block(
        ["Income account", "Ours"], [[r["income_account"], r["amount"]] for r in income], money=(1,),
        total_label="Total", title="Income per account",
        note=f"No QuickBooks company is connected (or no sync fetched this month's ProfitAndLoss on a "
             f"{basis} basis{_CASH_FETCHED if cash else ''}), so there is no QuickBooks report to compare with; "
             "the documents above are QuickBooks' own records.")])


_CASH_FETCHED = ": a sync fetches it when [reports] basis is \"cash\", or with sync --cash-tie-out"
