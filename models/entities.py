"""The warehouse's entity contract: the QuickBooks entities the raw store keeps (read by connectors and
models alike), and the ones it knowingly skips."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    name: str            # QuickBooks' entity name, as in `SELECT * FROM Invoice`
    table: str           # raw table (schema `raw`), also the plural snake-case stream name
    amount_fields: tuple[str, ...] = ()       # top-level money fields that must be numbers
    line_amount_fields: tuple[str, ...] = ()  # per-line money fields (lines and bundle children)


_SALES_DOC_AMOUNTS = ("TotalAmt", "Balance", "TxnTaxDetail.TotalTax", "HomeTotalAmt", "ExchangeRate")
_SALES_LINE_AMOUNTS = (
    "Amount",
    "SalesItemLineDetail.Qty",
    "SalesItemLineDetail.UnitPrice",
    "GroupLineDetail.Quantity",
)

WAREHOUSE_ENTITIES: tuple[Entity, ...] = (
    Entity("Invoice", "invoices", _SALES_DOC_AMOUNTS, _SALES_LINE_AMOUNTS),
    Entity("SalesReceipt", "sales_receipts", _SALES_DOC_AMOUNTS, _SALES_LINE_AMOUNTS),
    Entity("CreditMemo", "credit_memos", _SALES_DOC_AMOUNTS + ("RemainingCredit",), _SALES_LINE_AMOUNTS),
    Entity("RefundReceipt", "refund_receipts", _SALES_DOC_AMOUNTS, _SALES_LINE_AMOUNTS),
    Entity("Payment", "payments", ("TotalAmt", "UnappliedAmt", "ExchangeRate"), ("Amount",)),
    Entity("Customer", "customers", ("Balance", "BalanceWithJobs")),
    Entity("Item", "items", ("UnitPrice", "PurchaseCost", "QtyOnHand")),
    Entity("Account", "accounts", ("CurrentBalance", "CurrentBalanceWithSubAccounts")),
    Entity("Class", "classes"),
    Entity("TimeActivity", "time_activities", ("Hours", "Minutes", "BreakHours", "BreakMinutes", "HourlyRate", "CostRate")),
    Entity("JournalEntry", "journal_entries", ("TotalAmt",), ("Amount",)),
    Entity("Deposit", "deposits", ("TotalAmt",), ("Amount",)),
    Entity("CompanyInfo", "company_info"),  # the company's own name, for printouts and the company picker
)

BY_NAME = {e.name: e for e in WAREHOUSE_ENTITIES}
BY_TABLE = {e.table: e for e in WAREHOUSE_ENTITIES}

# Real QuickBooks Online entities the warehouse does not use: counted and skipped on load.
SKIPPED_ENTITIES: frozenset[str] = frozenset({
    "Attachable", "Bill", "BillPayment", "Budget", "CompanyCurrency",
    "CreditCardPayment", "CustomerType", "Department", "Employee", "Entitlements", "Estimate",
    "ExchangeRate", "InventoryAdjustment", "JournalCode", "Preferences", "PaymentMethod",
    "Purchase", "PurchaseOrder", "RecurringTransaction", "ReimburseCharge", "SalesTerm",
    "TaxAgency", "TaxClassification", "TaxCode", "TaxPayment", "TaxRate", "TaxService", "Term",
    "Transfer", "Vendor", "VendorCredit",
})

_IRREGULAR_PLURALS = {"Class": "classes", "CompanyInfo": "company_info", "Entitlements": "entitlements", "Preferences": "preferences"}


def snake_plural(name: str) -> str:
    """`SalesReceipt` -> `sales_receipts`, the stream names of JSON Lines exports."""
    if name in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[name]
    snake = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    if snake.endswith("y") and not snake.endswith("ay"):
        return snake[:-1] + "ies"
    if snake.endswith(("s", "x")):
        return snake + "es"
    return snake + "s"


_STREAMS = {snake_plural(n): n for n in (*BY_NAME, *SKIPPED_ENTITIES)}


def resolve(name: str) -> tuple[str, Entity | None]:
    """Map an entity name or stream name to (QuickBooks name, warehouse entity or None if skipped).

    Raises KeyError for a name that is no QuickBooks entity.
    """
    if name in BY_NAME:
        return name, BY_NAME[name]
    if name in SKIPPED_ENTITIES:
        return name, None
    if name in _STREAMS:
        return resolve(_STREAMS[name])
    raise KeyError(name)
