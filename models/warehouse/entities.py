"""The warehouse's entity contract: the QuickBooks entities the raw store keeps (read by connectors and
models alike), and the ones it knowingly skips."""
from __future__ import annotations

from dataclasses import dataclass


# What a field must be for the models to read it: each kind is the type staging casts it to.
MONEY = "money"          # DECIMAL(18,2): below 10^16 in size
QUANTITY = "quantity"    # DECIMAL(20,7): quantities, prices and rates, below 10^13
HOURS = "hours"          # DECIMAL(10,4): hours and minutes of time activities, below 10^6
DATE = "date"            # YYYY-MM-DD, a real calendar day
TIMESTAMP = "timestamp"  # ISO 8601 date and time
BOOLEAN = "boolean"      # true or false
WHOLE = "whole"          # INTEGER: a whole number below 2^31 in size (a schedule's counts and days)


@dataclass(frozen=True)
class Entity:
    name: str            # QuickBooks' entity name, as in `SELECT * FROM Invoice`
    table: str           # raw table (schema `raw`), also the plural snake-case stream name
    fields: tuple[tuple[str, str], ...] = ()       # (dotted path, kind) of the record's fields the models read
    line_fields: tuple[tuple[str, str], ...] = ()  # the same per line (and bundle child)
    # An entity whose records wrap another's under its name (a recurring template: {"Invoice": {...}}):
    # the names it may wrap; Id, MetaData, SyncToken, fields and lines are the wrapped record's.
    wraps: frozenset[str] = frozenset()


_META = (("MetaData.CreateTime", TIMESTAMP),)
_SALES_DOC = _META + (
    ("TxnDate", DATE), ("DueDate", DATE), ("TotalAmt", MONEY), ("Balance", MONEY),
    ("TxnTaxDetail.TotalTax", MONEY), ("HomeTotalAmt", MONEY), ("ExchangeRate", QUANTITY),
)
_SALES_LINE = (
    ("Amount", MONEY), ("SalesItemLineDetail.Qty", QUANTITY), ("SalesItemLineDetail.UnitPrice", QUANTITY),
    ("SalesItemLineDetail.ServiceDate", DATE), ("GroupLineDetail.Quantity", QUANTITY),
)
_POSTING = _META + (("TxnDate", DATE), ("TotalAmt", MONEY), ("ExchangeRate", QUANTITY))
_LIST = _META + (("Active", BOOLEAN),)
# What the MSP spends: bills, expenses (checks, card charges) and vendor credits; a line names its account
# or item and, when the cost is a client's, the customer (fivetran/dbt_quickbooks' expenses union).
_EXPENSE_LINE = (
    ("Amount", MONEY), ("ItemBasedExpenseLineDetail.Qty", QUANTITY),
    ("ItemBasedExpenseLineDetail.UnitPrice", QUANTITY),
)
# A worker's rates: QuickBooks' CostRate (minor version 63 on) is what an hour of their time costs.
_RATES = (("BillRate", QUANTITY), ("CostRate", QUANTITY))

# A recurring template (Intuit's API reference, RecurringTransaction): each record wraps the template's own
# transaction under its type, `{"Invoice": {..., "RecurringInfo": {"Name", "RecurType", "Active",
# "ScheduleInfo": {...}}}}`; python-quickbooks' quickbooks/objects/recurringtransaction.py lists the same
# twelve types. The Id inside is the template's (GET /recurringtransaction/<Id> reads it by that alone).
TEMPLATE_KINDS = frozenset({
    "Bill", "CreditMemo", "Deposit", "Estimate", "Invoice", "JournalEntry", "Purchase", "PurchaseOrder",
    "RefundReceipt", "SalesReceipt", "Transfer", "VendorCredit",
})
_SCHEDULE = "RecurringInfo.ScheduleInfo."
_TEMPLATE = _META + (
    ("TotalAmt", MONEY), ("ExchangeRate", QUANTITY), ("RecurringInfo.Active", BOOLEAN),
    (_SCHEDULE + "NumInterval", WHOLE), (_SCHEDULE + "DayOfMonth", WHOLE), (_SCHEDULE + "WeekOfMonth", WHOLE),
    (_SCHEDULE + "MaxOccurrences", WHOLE), (_SCHEDULE + "DaysBefore", WHOLE),
    (_SCHEDULE + "RemindDays", WHOLE), (_SCHEDULE + "StartDate", DATE), (_SCHEDULE + "EndDate", DATE),
    (_SCHEDULE + "NextDate", DATE), (_SCHEDULE + "PreviousDate", DATE),
)

WAREHOUSE_ENTITIES: tuple[Entity, ...] = (
    Entity("Invoice", "invoices", _SALES_DOC + (("Deposit", MONEY),), _SALES_LINE),
    Entity("SalesReceipt", "sales_receipts", _SALES_DOC, _SALES_LINE),
    Entity("CreditMemo", "credit_memos", _SALES_DOC + (("RemainingCredit", MONEY),), _SALES_LINE),
    Entity("RefundReceipt", "refund_receipts", _SALES_DOC, _SALES_LINE),
    Entity("Payment", "payments", _POSTING + (("UnappliedAmt", MONEY),),
           (("Amount", MONEY),)),
    Entity("Customer", "customers", _LIST + (("Balance", MONEY), ("BalanceWithJobs", MONEY), ("Job", BOOLEAN))),
    Entity("Item", "items", _LIST + (("UnitPrice", QUANTITY), ("PurchaseCost", QUANTITY), ("QtyOnHand", QUANTITY))),
    Entity("Account", "accounts", _LIST + (("CurrentBalance", MONEY), ("CurrentBalanceWithSubAccounts", MONEY))),
    Entity("Class", "classes", _LIST),
    Entity("TimeActivity", "time_activities", _META + (
        ("TxnDate", DATE), ("Hours", HOURS), ("Minutes", HOURS), ("BreakHours", HOURS), ("BreakMinutes", HOURS),
        ("HourlyRate", MONEY), ("CostRate", MONEY), ("StartTime", TIMESTAMP), ("EndTime", TIMESTAMP))),
    Entity("JournalEntry", "journal_entries", _POSTING, (("Amount", MONEY),)),
    Entity("Deposit", "deposits", _POSTING, (("Amount", MONEY),)),
    Entity("CompanyInfo", "company_info", _META),  # the company's own name, for printouts and the company picker
    Entity("Bill", "bills", _POSTING + (("DueDate", DATE), ("Balance", MONEY)), _EXPENSE_LINE),
    Entity("Purchase", "purchases", _POSTING + (("Credit", BOOLEAN),), _EXPENSE_LINE),
    Entity("VendorCredit", "vendor_credits", _POSTING + (("Balance", MONEY),), _EXPENSE_LINE),
    Entity("Employee", "employees", _LIST + _RATES + (("HiredDate", DATE), ("ReleasedDate", DATE))),
    Entity("Vendor", "vendors", _LIST + _RATES + (("Balance", MONEY),)),
    Entity("RecurringTransaction", "recurring_transactions", _TEMPLATE, _SALES_LINE + _EXPENSE_LINE[1:],
           wraps=TEMPLATE_KINDS),
)

BY_NAME = {e.name: e for e in WAREHOUSE_ENTITIES}
BY_TABLE = {e.table: e for e in WAREHOUSE_ENTITIES}

# Real QuickBooks Online entities the warehouse does not use: counted and skipped on load.
SKIPPED_ENTITIES: frozenset[str] = frozenset({
    "Attachable", "BillPayment", "Budget", "CompanyCurrency",
    "CreditCardPayment", "CustomerType", "Department", "Entitlements", "Estimate",
    "ExchangeRate", "InventoryAdjustment", "JournalCode", "Preferences", "PaymentMethod",
    "PurchaseOrder", "ReimburseCharge", "SalesTerm",
    "TaxAgency", "TaxClassification", "TaxCode", "TaxPayment", "TaxRate", "TaxService", "Term",
    "Transfer",
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


def wrapped(entity: Entity, record: dict) -> tuple[str | None, dict]:
    """(the wrapped type, the wrapped record) of a record of an entity that wraps another; (None, record)
    for any other entity, and for a record that wraps none of the types it may (a bare deleted stub, as
    change data capture writes them for every entity, or a broken record)."""
    kinds = [key for key in record if key in entity.wraps and isinstance(record[key], dict)]
    return (kinds[0], record[kinds[0]]) if len(kinds) == 1 else (None, record)


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
