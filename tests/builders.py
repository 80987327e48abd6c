"""QuickBooks sales documents and their lines, built inside tests the way the API returns them."""
from __future__ import annotations

from decimal import Decimal

# Lines that make up TotalAmt, with their sign; subtotal lines only repeat what is above them.
TOTALLED = {"SalesItemLineDetail": 1, "GroupLineDetail": 1, "DiscountLineDetail": -1}


def item_line(amount: str, item: tuple[str, str] = ("1", "Services"), qty: str = "1", **detail) -> dict:
    """A sales line of `item` (Id, name); `detail` adds fields such as ServiceDate or ClassRef."""
    return {"Amount": Decimal(amount), "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {"ItemRef": {"value": item[0], "name": item[1]}, "Qty": Decimal(qty),
                                    "UnitPrice": Decimal(amount) / Decimal(qty), **detail}}


def sales_document(customer: str | tuple[str, str], day: str, lines: list[dict], tax: str = "0", **fields) -> dict:
    """A sales document of any type whose TotalAmt is its lines (discounts negative) plus tax.

    customer: its Id, or (Id, name) as QuickBooks also writes the name on the document.
    fields: any other field of the document (Id, DocNumber, DueDate, MetaData, ...).
    """
    customer_ref = {"value": customer} if isinstance(customer, str) else {"value": customer[0], "name": customer[1]}
    total = sum((Decimal(str(line["Amount"])) * TOTALLED[line["DetailType"]]
                 for line in lines if line.get("DetailType") in TOTALLED), Decimal(0)) + Decimal(tax)
    return {"TxnDate": day, "CustomerRef": customer_ref, "Line": lines, "TxnTaxDetail": {"TotalTax": Decimal(tax)},
            "TotalAmt": total, **fields}


def invoice(doc_id: str, lines: list[dict], *, updated: str = "2026-03-05T10:00:00-08:00", sync: str = "0",
            **fields) -> dict:
    """A whole record as a load receives it (Id, SyncToken, MetaData): Client A's, dated 5 March 2026."""
    return sales_document(("1", "Client A"), "2026-03-05", lines, Id=doc_id, SyncToken=sync, DocNumber=f"D{doc_id}",
                          MetaData={"CreateTime": updated, "LastUpdatedTime": updated}, **fields)
