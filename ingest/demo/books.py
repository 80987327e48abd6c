"""QuickBooks-shaped records for the demo company: the forms an MSP's books are made of."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import count

from ingest.demo import catalog

CENT = Decimal("0.01")
_USD = {"value": "USD", "name": "United States Dollar"}


def money(value: Decimal | int) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def stamp(day: date, minutes: int = 0) -> str:
    """A QuickBooks timestamp (Pacific time, as the sandbox company) on a day, minutes after 9:00."""
    moment = datetime.combine(day, time(9, 0)) + timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M:%S-08:00")


def meta(created: date, updated: date | None = None, minutes: int = 0) -> dict:
    return {"CreateTime": stamp(created, minutes), "LastUpdatedTime": stamp(updated or created, minutes)}


@dataclass
class Line:
    item: str                       # key of catalog.ITEMS
    qty: Decimal
    price: Decimal
    description: str | None = None
    service_date: date | None = None
    class_id: str | None = None

    @property
    def amount(self) -> Decimal:
        return money(self.qty * self.price)


@dataclass
class Invoice:
    record: dict
    total: Decimal
    due: date
    paid: Decimal = Decimal(0)
    payments: list[str] = field(default_factory=list)

    @property
    def open(self) -> Decimal:
        return self.total - self.paid


class Books:
    """Collects the company's records; ids, doc numbers and totals follow QuickBooks' rules."""

    def __init__(self) -> None:
        self.entities: dict[str, list[dict]] = {}
        self._ids = count(1000)
        self._doc_numbers = count(1001)

    def add(self, entity: str, record: dict) -> dict:
        self.entities.setdefault(entity, []).append(record)
        return record

    def next_id(self) -> str:
        return str(next(self._ids))

    # -- list entities -------------------------------------------------------------------
    def setup_lists(self, start: date) -> None:
        self.add("CompanyInfo", {
            "Id": "1", "SyncToken": "0", "CompanyName": catalog.COMPANY_NAME, "LegalName": catalog.COMPANY_NAME,
            "Country": "US", "domain": "QBO", "sparse": False, "MetaData": meta(start),
        })
        for acc_id, name, acc_type, sub_type in catalog.ACCOUNTS:
            self.add("Account", {
                "Id": acc_id, "SyncToken": "0", "Name": name, "FullyQualifiedName": name,
                "AccountType": acc_type, "AccountSubType": sub_type, "SubAccount": False, "Active": True,
                "Classification": "Revenue" if acc_type == "Income" else "Asset",
                "CurrencyRef": _USD, "domain": "QBO", "sparse": False, "MetaData": meta(start),
            })
        for cat_id, name in catalog.CATEGORIES:
            self.add("Item", {
                "Id": cat_id, "SyncToken": "0", "Name": name, "FullyQualifiedName": name, "Type": "Category",
                "Active": True, "domain": "QBO", "sparse": False, "MetaData": meta(start),
            })
        categories = dict(catalog.CATEGORIES)
        account_names = {a[0]: a[1] for a in catalog.ACCOUNTS}
        for item_id, name, item_type, parent, account, price, taxable in catalog.ITEMS.values():
            record = {
                "Id": item_id, "SyncToken": "0", "Name": name, "Type": item_type, "Active": True,
                "FullyQualifiedName": f"{categories[parent]}:{name}" if parent else name,
                "SubItem": parent is not None, "Level": Decimal(1 if parent else 0),
                "UnitPrice": price, "Taxable": taxable,
                "IncomeAccountRef": {"value": account, "name": account_names[account]},
                "domain": "QBO", "sparse": False, "MetaData": meta(start),
            }
            if parent:
                record["ParentRef"] = {"value": parent, "name": categories[parent]}
            self.add("Item", record)
        bundle_id, bundle_name = catalog.BUNDLE
        self.add("Item", {
            "Id": bundle_id, "SyncToken": "0", "Name": bundle_name, "FullyQualifiedName": bundle_name,
            "Type": "Group", "Active": True, "domain": "QBO", "sparse": False, "MetaData": meta(start),
        })
        for class_id, name in catalog.CLASSES:
            self.add("Class", {
                "Id": class_id, "SyncToken": "0", "Name": name, "FullyQualifiedName": name,
                "SubClass": False, "Active": True, "domain": "QBO", "sparse": False, "MetaData": meta(start),
            })

    def customer(self, customer_id: str, name: str, since: date, parent: tuple[str, str] | None = None) -> None:
        record = {
            "Id": customer_id, "SyncToken": "0", "DisplayName": name, "CompanyName": name,
            "FullyQualifiedName": f"{parent[1]}:{name}" if parent else name,
            "Job": parent is not None, "BillWithParent": False, "Active": True, "Taxable": True,
            "Balance": Decimal(0), "BalanceWithJobs": Decimal(0), "CurrencyRef": _USD,
            "domain": "QBO", "sparse": False, "MetaData": meta(since),
        }
        if parent:
            record.update({"ParentRef": {"value": parent[0]}, "Level": Decimal(1)})
        self.add("Customer", record)

    # -- sales forms ---------------------------------------------------------------------
    def sales_form(
        self, entity: str, customer: tuple[str, str], day: date, lines: list[Line], *,
        created: date | None = None, discount_percent: Decimal | None = None,
        bundle: list[Line] | None = None, terms_days: int | None = None, memo: str | None = None,
    ) -> tuple[dict, Decimal]:
        """An Invoice, SalesReceipt, CreditMemo or RefundReceipt; returns (record, total with tax)."""
        qbo_lines, subtotal, taxable = [], Decimal(0), Decimal(0)
        for n, line in enumerate(lines, start=1):
            qbo_lines.append(self._item_line(n, line))
            subtotal += line.amount
            taxable += line.amount if catalog.ITEMS[line.item][6] else 0
        if bundle:
            children = [self._item_line(len(qbo_lines) + i + 1, child) for i, child in enumerate(bundle)]
            bundle_total = sum((child.amount for child in bundle), Decimal(0))
            qbo_lines.append({
                "Id": str(len(qbo_lines) + 1), "LineNum": Decimal(len(qbo_lines) + 1), "Amount": bundle_total,
                "Description": catalog.BUNDLE[1], "DetailType": "GroupLineDetail",
                "GroupLineDetail": {
                    "GroupItemRef": {"value": catalog.BUNDLE[0], "name": catalog.BUNDLE[1]},
                    "Quantity": Decimal(1), "Line": children,
                },
            })
            subtotal += bundle_total
            taxable += sum((c.amount for c in bundle if catalog.ITEMS[c.item][6]), Decimal(0))
        qbo_lines.append({"Amount": subtotal, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}})
        discount = Decimal(0)
        if discount_percent:
            discount = money(subtotal * discount_percent / 100)
            qbo_lines.append({
                "Amount": discount, "DetailType": "DiscountLineDetail",
                "DiscountLineDetail": {
                    "PercentBased": True, "DiscountPercent": discount_percent,
                    "DiscountAccountRef": {"value": catalog.DISCOUNT_ACCOUNT, "name": "Discounts given"},
                },
            })
        tax = money(taxable * catalog.TAX_RATE)  # tax on the pre-discount amount (ApplyTaxAfterDiscount false)
        total = subtotal - discount + tax
        record_id = self.next_id()
        record = {
            "Id": record_id, "SyncToken": "0", "DocNumber": str(next(self._doc_numbers)),
            "TxnDate": day.isoformat(), "CustomerRef": {"value": customer[0], "name": customer[1]},
            "Line": qbo_lines, "TxnTaxDetail": {"TotalTax": tax}, "TotalAmt": total,
            "ApplyTaxAfterDiscount": False, "CurrencyRef": _USD, "domain": "QBO", "sparse": False,
            "MetaData": meta(created or day, minutes=int(record_id) % 480),
        }
        if terms_days is not None:
            record["DueDate"] = (day + timedelta(days=terms_days)).isoformat()
            record["SalesTermRef"] = {"value": "3", "name": f"Net {terms_days}"}
        if memo:
            record["PrivateNote"] = memo
        if entity in ("SalesReceipt", "RefundReceipt"):
            record.update({
                "Balance": Decimal(0),
                "DepositToAccountRef": {"value": catalog.UNDEPOSITED_FUNDS if entity == "SalesReceipt" else catalog.CHECKING},
                "PaymentMethodRef": {"value": "3", "name": "Credit Card"},
            })
        if entity == "CreditMemo":
            record.update({"Balance": total, "RemainingCredit": total})
        self.add(entity, record)
        return record, total

    def invoice(self, customer: tuple[str, str], day: date, lines: list[Line], *, terms_days: int = 20,
                created: date | None = None, **kwargs) -> Invoice:
        record, total = self.sales_form("Invoice", customer, day, lines, terms_days=terms_days,
                                        created=created, **kwargs)
        record["Balance"] = total
        record["LinkedTxn"] = []
        return Invoice(record, total, day + timedelta(days=terms_days))

    def payment(self, customer: tuple[str, str], day: date, amount: Decimal, applied: list[tuple[Invoice, Decimal]],
                method: str = "Check", created: date | None = None,
                credits: list[tuple[dict, Decimal]] = ()) -> dict:
        """A received payment applied to invoices (and credit memos used up against them); what is
        not applied stays as the customer's credit."""
        applied_total = sum((a for _, a in applied), Decimal(0)) - sum((c for _, c in credits), Decimal(0))
        record = {
            "Id": self.next_id(), "SyncToken": "0", "TxnDate": day.isoformat(),
            "CustomerRef": {"value": customer[0], "name": customer[1]}, "TotalAmt": amount,
            "UnappliedAmt": amount - applied_total,
            "PaymentMethodRef": {"value": "2" if method == "Check" else "3", "name": method},
            "DepositToAccountRef": {"value": catalog.UNDEPOSITED_FUNDS}, "ProcessPayment": False,
            "Line": [], "CurrencyRef": _USD, "domain": "QBO", "sparse": False,
            "MetaData": meta(created or day),
        }
        for invoice, part in applied:
            record["Line"].append({"Amount": part, "LinkedTxn": [{"TxnId": invoice.record["Id"], "TxnType": "Invoice"}]})
            invoice.paid += part
            invoice.record["Balance"] = invoice.open
            invoice.record["LinkedTxn"].append({"TxnId": record["Id"], "TxnType": "Payment"})
        for memo, part in credits:
            record["Line"].append({"Amount": part, "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]})
            memo["RemainingCredit"] -= part
            memo["Balance"] = memo["RemainingCredit"]
        return self.add("Payment", record)

    def journal_entry(self, day: date, number: str, memo: str, lines: list[tuple[str, Decimal, str, tuple[str, str] | None]]) -> dict:
        """A journal entry; lines: (Debit|Credit, amount, account Id, customer named or None)."""
        account_names = {a[0]: a[1] for a in catalog.ACCOUNTS}
        record_lines = []
        for n, (posting, amount, account, customer) in enumerate(lines):
            detail = {"PostingType": posting, "AccountRef": {"value": account, "name": account_names[account]}}
            if customer:
                detail["Entity"] = {"Type": "Customer", "EntityRef": {"value": customer[0], "name": customer[1]}}
            record_lines.append({"Id": str(n), "Description": memo, "Amount": amount,
                                 "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": detail})
        return self.add("JournalEntry", {
            "Id": self.next_id(), "SyncToken": "0", "DocNumber": number, "TxnDate": day.isoformat(),
            "PrivateNote": memo, "Adjustment": False, "Line": record_lines, "TxnTaxDetail": {}, "CurrencyRef": _USD,
            "domain": "QBO", "sparse": False, "MetaData": meta(day),
        })

    def entry_payment(self, customer: tuple[str, str], day: date, amount: Decimal, entry: dict) -> dict:
        """A received payment applied to a journal entry that put a debt on the customer's account."""
        return self.add("Payment", {
            "Id": self.next_id(), "SyncToken": "0", "TxnDate": day.isoformat(),
            "CustomerRef": {"value": customer[0], "name": customer[1]}, "TotalAmt": amount, "UnappliedAmt": Decimal(0),
            "PaymentMethodRef": {"value": "2", "name": "Check"},
            "DepositToAccountRef": {"value": catalog.UNDEPOSITED_FUNDS}, "ProcessPayment": False,
            "Line": [{"Amount": amount, "LinkedTxn": [{"TxnId": entry["Id"], "TxnType": "JournalEntry"}]}],
            "CurrencyRef": _USD, "domain": "QBO", "sparse": False, "MetaData": meta(day),
        })

    def cash_deposit(self, customer: tuple[str, str], day: date, account: str, amount: Decimal, memo: str) -> dict:
        """Cash taken for work and banked straight to an income account: a deposit line naming the customer."""
        account_names = {a[0]: a[1] for a in catalog.ACCOUNTS}
        return self.add("Deposit", {
            "Id": self.next_id(), "SyncToken": "0", "TxnDate": day.isoformat(),
            "DepositToAccountRef": {"value": catalog.CHECKING, "name": account_names[catalog.CHECKING]},
            "TotalAmt": amount, "PrivateNote": memo, "CurrencyRef": _USD, "domain": "QBO", "sparse": False,
            "Line": [{"Id": "1", "LineNum": Decimal(1), "Description": memo, "Amount": amount,
                      "DetailType": "DepositLineDetail", "DepositLineDetail": {
                          "AccountRef": {"value": account, "name": account_names[account]},
                          "Entity": {"value": customer[0], "name": customer[1], "type": "CUSTOMER"},
                          "PaymentMethodRef": {"value": "1", "name": "Cash"}}}],
            "MetaData": meta(day),
        })

    def time_activity(self, customer: tuple[str, str], day: date, item: str, hours: Decimal,
                      billable: str, employee: tuple[str, str]) -> None:
        whole = int(hours)
        self.add("TimeActivity", {
            "Id": self.next_id(), "SyncToken": "0", "TxnDate": day.isoformat(), "NameOf": "Employee",
            "EmployeeRef": {"value": employee[0], "name": employee[1]},
            "CustomerRef": {"value": customer[0], "name": customer[1]},
            "ItemRef": {"value": catalog.ITEMS[item][0], "name": catalog.ITEMS[item][1]},
            "BillableStatus": billable, "Taxable": False,
            "HourlyRate": catalog.ITEMS[item][5] if billable != "NotBillable" else Decimal(0),
            "Hours": Decimal(whole), "Minutes": Decimal(int((hours - whole) * 60)),
            "domain": "QBO", "sparse": False, "MetaData": meta(day),
        })

    def _item_line(self, number: int, line: Line) -> dict:
        item_id, name, *_ = catalog.ITEMS[line.item]
        detail = {"ItemRef": {"value": item_id, "name": name}, "Qty": line.qty, "UnitPrice": line.price,
                  "TaxCodeRef": {"value": "TAX" if catalog.ITEMS[line.item][6] else "NON"}}
        if line.service_date:
            detail["ServiceDate"] = line.service_date.isoformat()
        if line.class_id:
            detail["ClassRef"] = {"value": line.class_id}
        return {"Id": str(number), "LineNum": Decimal(number), "Description": line.description or name,
                "Amount": line.amount, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": detail}
