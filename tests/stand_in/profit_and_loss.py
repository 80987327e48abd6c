"""The stand-in's ProfitAndLoss report (accrual or cash), laid out the way QuickBooks Online lays out real ones.

Sources of the layout (see tests/fixtures/qbo-reports/README.md):
- the envelope, the account column keyed "account", the total column keyed "total" and the top-level
  sections with their `group` (summary-only GrossProfit, NetOperatingIncome, NetIncome) follow the
  recorded sandbox exchange qbo-cassettes/reports/profit_and_loss.yml;
- period columns carry StartDate, EndDate and ColKey (singer-io/tap-quickbooks' recorded day-column
  response); with summarize_column_by=Month the ColKey and title are "Mar 2026";
- accounts nest by ParentRef: a parent is a Section whose Header holds its name, its id and its OWN
  postings, its sub-accounts sit in Rows and its Summary "Total <name>" is own + sub-accounts; a leaf is
  a Data row. Empty cells are "", computed summaries "0.00" (public captures of Intuit's sample company);
- "Accounts with no data are excluded from the report" (Intuit, "Run reports").

What counts: sales lines into their item's income account, discount lines into their discount account
(credit memos and refund receipts reversed), journal-entry lines and deposit lines (those not linked to a
payment) into whatever account they post to, and the lines of bills, expenses and vendor credits into their
account (an item-based line into its item's expense account, a stock item's into its asset account): a bill
or an expense debits it, a vendor credit or an expense marked Credit (a card refund) credits it. Only accounts whose AccountType (or, failing that,
Classification) belongs on a ProfitAndLoss appear; postings to balance-sheet accounts are not income.

On a cash basis (accounting_method=Cash; docs/DECISIONS.md, "Cash-basis tie-out") an invoice's lines count when
paid: each sum a payment line applies to it (and the deposit taken on it, on its date) is spread over its parts
(item lines into their accounts, discount lines into the discount account, the tax) in proportion, to the cent by
the largest remainder, on the later of the payment's and the invoice's date. A payment dated before its invoice is
"Unapplied Cash Payment Income" (the Income account of sub-type UnappliedCashPaymentIncome QuickBooks creates for
cash-basis reporting) on its date and leaves it on the invoice's; a payment's unapplied amount stays there on its
date. Sales receipts, credit memos, refund receipts, journal entries, deposits and expenses count on their dates.
Bills and vendor credits count when paid (BillPayment), which the stand-in does not model: its cash report leaves
them out, and the cash tie-out compares income only.
"""
from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

SALES = {"Invoice": 1, "SalesReceipt": 1, "CreditMemo": -1, "RefundReceipt": -1}
GROUP_OF_TYPE = {"Income": "Income", "Cost of Goods Sold": "COGS", "Expense": "Expenses",
                 "Other Income": "OtherIncome", "Other Expense": "OtherExpenses"}
GROUP_OF_CLASSIFICATION = {"Revenue": "Income", "Expense": "Expenses"}
TITLES = {"Income": "Income", "COGS": "Cost of Goods Sold", "Expenses": "Expenses",
          "OtherIncome": "Other Income", "OtherExpenses": "Other Expenses"}
CREDIT_NORMAL = {"Income", "OtherIncome"}  # a credit raises these; a debit raises costs and expenses
COSTS = {"Bill": -1, "Purchase": -1, "VendorCredit": 1}  # a credit amount's sign: bills debit their accounts
POSTED_FROM = (*SALES, "JournalEntry", "Deposit", "Item", *COSTS, "Payment", "Account")  # the records read
BASES = ("Accrual", "Cash")
UNAPPLIED_CASH = "UnappliedCashPaymentIncome"  # the AccountSubType of QuickBooks' own account for unapplied cash
_posted_lock = threading.Lock()
_posted: dict[str, tuple[tuple, list[tuple[str, date, Decimal]]]] = {}


class ReportRequestError(ValueError):
    """The request's parameters are not ones the report can be run with."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def key(self) -> str:
        return self.start.strftime("%b %Y")


def periods(first: date, last: date, summarize: str) -> list[Period]:
    """One column per calendar month (clipped to the report's dates), or none for a Total-only report."""
    if summarize == "Total":
        return []
    found, cursor = [], first.replace(day=1)
    while cursor <= last:
        following = (cursor + timedelta(days=32)).replace(day=1)
        found.append(Period(max(cursor, first), min(following - timedelta(days=1), last)))
        cursor = following
    return found


def postings(records: dict[str, dict[str, dict]], basis: str = "Accrual") -> list[tuple[str, date, Decimal]]:
    """(account id, day, credit amount) for every line that posts to an account on `basis`; debits are
    negative."""
    items = records.get("Item", {})
    found: list[tuple[str, date, Decimal]] = [] if basis == "Accrual" else _cash_from_invoices(records, items)
    on_their_date = SALES if basis == "Accrual" else {k: v for k, v in SALES.items() if k != "Invoice"}
    for entity, sign in on_their_date.items():
        for doc in records.get(entity, {}).values():
            day = date.fromisoformat(doc["TxnDate"])
            found += [(account, day, sign * amount) for account, amount in _sales_lines(doc.get("Line", []), items)]
    for entry in records.get("JournalEntry", {}).values():
        day = date.fromisoformat(entry["TxnDate"])
        for line in entry.get("Line", []):
            detail = line.get("JournalEntryLineDetail")
            if detail:
                amount = _amount(line)
                found.append((detail["AccountRef"]["value"], day, amount if detail["PostingType"] == "Credit" else -amount))
    for deposit in records.get("Deposit", {}).values():
        day = date.fromisoformat(deposit["TxnDate"])
        for line in deposit.get("Line", []):
            detail = line.get("DepositLineDetail") or {}
            if detail.get("AccountRef") and not line.get("LinkedTxn"):  # linked lines deposit payments: not income
                found.append((detail["AccountRef"]["value"], day, _amount(line)))
    for entity, sign in (COSTS if basis == "Accrual" else {"Purchase": COSTS["Purchase"]}).items():
        for doc in records.get(entity, {}).values():
            day, flip = date.fromisoformat(doc["TxnDate"]), -1 if doc.get("Credit") is True else 1
            found += [(account, day, sign * flip * amount) for account, amount in _cost_lines(doc.get("Line", []), items)]
    return found


def _cash_from_invoices(records: dict[str, dict[str, dict]], items: dict) -> list[tuple[str, date, Decimal]]:
    """What invoices and payments post on a cash basis: each sum paid towards an invoice spread over its parts,
    and what is paid before its invoice is dated or applied to nothing as unapplied cash payment income."""
    invoices = records.get("Invoice", {})
    unapplied = unapplied_cash_account(records.get("Account", {}))
    found: list[tuple[str, date, Decimal]] = []
    for invoice in invoices.values():
        deposit = Decimal(str(invoice.get("Deposit", 0)))
        if deposit:
            found += _paid_shares(invoice, deposit, date.fromisoformat(invoice["TxnDate"]), items)
    for payment in records.get("Payment", {}).values():
        paid_on = date.fromisoformat(payment["TxnDate"])
        left = Decimal(str(payment.get("UnappliedAmt", 0)))
        if left:
            found.append((unapplied, paid_on, left))
        for line in payment.get("Line", []):
            for link in line.get("LinkedTxn", []):
                invoice = invoices.get(str(link.get("TxnId"))) if link.get("TxnType") == "Invoice" else None
                if invoice is None:  # a credit memo used counts on its own date; a journal entry is no sale
                    continue
                dated = date.fromisoformat(invoice["TxnDate"])
                if paid_on < dated:
                    found += [(unapplied, paid_on, _amount(line)), (unapplied, dated, -_amount(line))]
                found += _paid_shares(invoice, _amount(line), max(paid_on, dated), items)
    return found


def _paid_shares(invoice: dict, paid: Decimal, day: date, items: dict) -> list[tuple[str, date, Decimal]]:
    """`paid` spread over the invoice's lines and tax in proportion, by the largest remainder: each part the
    floor of its exact share in cents, the cents left over one each to the largest remainders (ties in line
    order, the tax last). The tax's share posts to no income account and is left out."""
    lines = _sales_lines(invoice.get("Line", []), items)
    tax = Decimal(str((invoice.get("TxnTaxDetail") or {}).get("TotalTax", 0)))
    parts = lines + ([("", tax)] if tax else [])
    whole = int(Decimal(str(invoice.get("TotalAmt", 0))) * 100)
    if whole <= 0:
        return []
    paid_cents = int(paid * 100)
    exact = [paid_cents * int(part * 100) for _, part in parts]
    floors = [product // whole for product in exact]
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i] * whole), i))
    extra = set(order[:paid_cents - sum(floors)])
    return [(account, day, Decimal(floors[i] + (i in extra)) / 100) for i, (account, _) in enumerate(lines)]


def unapplied_cash_account(accounts: dict[str, dict]) -> str:
    """The Id of the account QuickBooks books unapplied cash payments to on a cash basis ("" while none)."""
    return next((i for i, a in accounts.items() if a.get("AccountSubType") == UNAPPLIED_CASH), "")


def _cost_lines(lines: list[dict], items: dict) -> list[tuple[str, Decimal]]:
    out = []
    for line in lines:
        if line.get("DetailType") == "AccountBasedExpenseLineDetail":
            out.append((line["AccountBasedExpenseLineDetail"]["AccountRef"]["value"], _amount(line)))
        elif line.get("DetailType") == "ItemBasedExpenseLineDetail":
            item = items.get(line["ItemBasedExpenseLineDetail"]["ItemRef"]["value"], {})
            ref = item.get("AssetAccountRef") if item.get("Type") == "Inventory" else item.get("ExpenseAccountRef")
            out.append(((ref or {}).get("value", ""), _amount(line)))
    return out


def _sales_lines(lines: list[dict], items: dict) -> list[tuple[str, Decimal]]:
    out = []
    for line in lines:
        kind = line.get("DetailType")
        if kind == "SalesItemLineDetail":
            detail = line["SalesItemLineDetail"]
            account = (detail.get("ItemAccountRef") or {}).get("value") or \
                (items.get(detail["ItemRef"]["value"], {}).get("IncomeAccountRef") or {}).get("value", "")
            out.append((account, _amount(line)))
        elif kind == "GroupLineDetail":
            out += _sales_lines(line["GroupLineDetail"].get("Line", []), items)
        elif kind == "DiscountLineDetail":
            account = (line["DiscountLineDetail"].get("DiscountAccountRef") or {}).get("value", "")
            out.append((account, -_amount(line)))
    return out


def postings_by_day(records: dict[str, dict[str, dict]], basis: str = "Accrual") -> list[tuple[str, date, Decimal]]:
    """postings(records, basis) in day order, worked out once while the records are the same: QuickBooks answers
    ten reports at once in the time one takes, where the stand-in's Python would answer them one after
    another and the benchmarks would time the stand-in. A record is replaced (Company.upsert, void,
    delete), never changed in place, so the same record objects are the same books."""
    books = tuple((entity, tuple(records.get(entity, {}).items())) for entity in POSTED_FROM)
    with _posted_lock:
        if basis not in _posted or _posted[basis][0] != books:
            _posted[basis] = (books, sorted(postings(records, basis), key=lambda move: move[1]))
        return _posted[basis][1]


def _amount(line: dict) -> Decimal:
    return Decimal(str(line.get("Amount", 0)))


def report(records: dict[str, dict[str, dict]], first: date, last: date, summarize: str, stamp: str,
           adjustments: dict[tuple[str, str], Decimal], basis: str = "Accrual") -> dict:
    """The report for [first, last] on `basis`; `adjustments` adds (month "YYYY-MM-01", account id) -> credit
    amount."""
    if basis not in BASES:
        raise ReportRequestError(f"accounting_method={basis} is not one of {', '.join(BASES)}")
    if summarize not in ("Month", "Total"):
        raise ReportRequestError(f"summarize_column_by={summarize} is not served by the local QuickBooks")
    if first > last:
        raise ReportRequestError(f"start_date {first} is after end_date {last}")
    columns = periods(first, last, summarize)
    accounts = records.get("Account", {})
    owned: dict[str, list[Decimal | None]] = {}  # account id -> its own amount per column (None: no posting)
    posted = postings_by_day(records, basis)
    moves = posted[bisect_left(posted, first, key=lambda move: move[1]):
                   bisect_right(posted, last, key=lambda move: move[1])]
    moves += [(account, date.fromisoformat(month), amount) for (month, account), amount in adjustments.items()]
    for account_id, day, credit in moves:
        group = _group(accounts, account_id)
        if group is None or not first <= day <= last:
            continue
        amount = credit if group in CREDIT_NORMAL else -credit
        cells = owned.setdefault(account_id, [None] * (len(columns) + 1))
        for index, period in enumerate(columns):
            if period.start <= day <= period.end:
                cells[index] = (cells[index] or Decimal(0)) + amount
        cells[-1] = (cells[-1] or Decimal(0)) + amount
    tree = _Tree(accounts, owned, len(columns) + 1)
    sections = {group: tree.section(group) for group in TITLES}
    rows, zero = [], [Decimal(0)] * (len(columns) + 1)

    def total(group: str) -> list[Decimal]:
        return sections[group][1] if sections[group] else zero

    def summary_only(group: str, title: str, values: list[Decimal]) -> dict:
        return {"Summary": {"ColData": [{"value": title}] + _cells(values, "0.00")}, "type": "Section", "group": group}

    gross = _minus(total("Income"), total("COGS"))
    operating = _minus(gross, total("Expenses"))
    other = _minus(total("OtherIncome"), total("OtherExpenses"))
    for group in ("Income", "COGS"):
        if group == "Income" or sections[group]:  # an empty report still has its Income section
            rows.append(_top(group, sections[group], len(columns) + 1))
    rows.append(summary_only("GrossProfit", "Gross Profit", gross))
    rows.append(_top("Expenses", sections["Expenses"], len(columns) + 1))
    rows.append(summary_only("NetOperatingIncome", "Net Operating Income", operating))
    if sections["OtherIncome"] or sections["OtherExpenses"]:
        rows += [_top(group, sections[group], len(columns) + 1) for group in ("OtherIncome", "OtherExpenses")
                 if sections[group]]
        rows.append(summary_only("NetOtherIncome", "Net Other Income", other))
    rows.append(summary_only("NetIncome", "Net Income", [a + b for a, b in zip(operating, other)]))
    return {
        "Header": {"Time": stamp, "ReportName": "ProfitAndLoss", "ReportBasis": basis,
                   "StartPeriod": first.isoformat(), "EndPeriod": last.isoformat(), "SummarizeColumnsBy": summarize,
                   "Currency": "USD", "Option": [{"Name": "AccountingStandard", "Value": "GAAP"},
                                                 {"Name": "NoReportData", "Value": "false" if owned else "true"}]},
        "Columns": {"Column": [{"ColTitle": "", "ColType": "Account", "MetaData": [{"Name": "ColKey", "Value": "account"}]}]
                    + [{"ColTitle": p.key, "ColType": "Money",
                        "MetaData": [{"Name": "StartDate", "Value": p.start.isoformat()},
                                     {"Name": "EndDate", "Value": p.end.isoformat()},
                                     {"Name": "ColKey", "Value": p.key}]} for p in columns]
                    + [{"ColTitle": "Total", "ColType": "Money", "MetaData": [{"Name": "ColKey", "Value": "total"}]}]},
        "Rows": {"Row": rows},
    }


def _group(accounts: dict, account_id: str) -> str | None:
    account = accounts.get(account_id)
    if account is None:
        return None
    return GROUP_OF_TYPE.get(account.get("AccountType")) or GROUP_OF_CLASSIFICATION.get(account.get("Classification"))


class _Tree:
    """The accounts of one section nested by ParentRef, each with its own postings."""

    def __init__(self, accounts: dict, owned: dict, width: int):
        self.accounts, self.owned, self.width = accounts, owned, width
        self.children: dict[str | None, list[str]] = defaultdict(list)
        for account_id, account in accounts.items():
            parent = (account.get("ParentRef") or {}).get("value") if account.get("SubAccount") else None
            self.children[parent if parent in accounts else None].append(account_id)

    def section(self, group: str) -> tuple[list[dict], list[Decimal]] | None:
        """The section's account rows and their total per column, or None when no account has data."""
        found = [self.row(a) for a in self._sorted(self.children[None]) if _group(self.accounts, a) == group]
        found = [f for f in found if f]
        if not found:
            return None
        return [row for row, _ in found], [sum(values) for values in zip(*(t for _, t in found))]

    def row(self, account_id: str) -> tuple[dict, list[Decimal]] | None:
        own = self.owned.get(account_id)
        below = [r for r in (self.row(c) for c in self._sorted(self.children[account_id])) if r]
        if own is None and not below:
            return None
        name = {"value": self.accounts[account_id]["Name"], "id": account_id}
        own = own or [None] * self.width
        if not below:
            return {"ColData": [name] + _cells(own, ""), "type": "Data"}, [v or Decimal(0) for v in own]
        totals = [(own[i] or Decimal(0)) + sum(t[i] for _, t in below) for i in range(self.width)]
        return {"Header": {"ColData": [name] + _cells(own, "")}, "Rows": {"Row": [r for r, _ in below]},
                "Summary": {"ColData": [{"value": f"Total {name['value']}"}] + _cells(totals, "0.00")},
                "type": "Section"}, totals

    def _sorted(self, ids: list[str]) -> list[str]:
        return sorted(ids, key=lambda a: self.accounts[a].get("Name", "").lower())


def _top(group: str, section: tuple[list[dict], list[Decimal]] | None, width: int) -> dict:
    title = TITLES[group]
    row: dict = {"Header": {"ColData": [{"value": title}] + [{"value": ""}] * width}}
    if section:
        row["Rows"] = {"Row": section[0]}
    totals = section[1] if section else [Decimal(0)] * width
    row.update({"Summary": {"ColData": [{"value": f"Total {title}"}] + _cells(totals, "0.00")},
                "type": "Section", "group": group})
    return row


def _cells(values: list[Decimal | None], empty: str) -> list[dict]:
    return [{"value": empty if v is None else f"{v + 0:.2f}"} for v in values]  # + 0: no "-0.00"


def _minus(left: list[Decimal], right: list[Decimal]) -> list[Decimal]:
    return [a - b for a, b in zip(left, right)]
