"""The demo MSP's recurring templates (QuickBooks' RecurringTransaction), added once its sales are written: the
agreement clients' monthly billing as QuickBooks would make it for them (a sales receipt charged to the card of
those who pay by card, an invoice on the 1st for those whose check is held as credit), a quarterly invoice for
those who prepay each quarter by check, the template of a client that left paused (inactive), and one agreement's
template ending a few months on. Each template wraps its transaction under its type, as QuickBooks sends it."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from ingest.demo import catalog
from ingest.demo.books import Books, meta
from models.months import add_months, months_between

USD = {"value": "USD", "name": "United States Dollar"}
ENDING_IN_MONTHS = 3  # the ending template's last invoice is this many months after the last one billed


def add_recurring_templates(books: Books, clients: list, until: date) -> None:
    last = until.replace(day=1)
    billing = [c for c in clients if c.under_msa(last) and not (c.cancelled_from and c.cancelled_from <= last)]
    ending = next((c for c in billing if c.pays == "card"), None)
    # the first client whose agreement ended keeps its template, paused; the others' were deleted
    paused = next((c for c in clients if c.msa_from and c.msa_until and c.msa_until <= last), None)
    for number, client in enumerate(billing):
        _agreement_template(books, client, last, number, ending=client is ending)
    if paused:
        _agreement_template(books, paused, add_months(paused.msa_until, -1), len(billing), paused=True)


def _agreement_template(books: Books, client, billed: date, number: int, paused: bool = False,
                        ending: bool = False) -> None:
    """The template that bills `client`'s agreement, its last occurrence in the month `billed`."""
    quarterly = client.pays == "check_invoices"
    every = 3 if quarterly else 1
    if quarterly:  # the quarters run from the month the agreement began
        billed = add_months(client.msa_from, (months_between(client.msa_from, billed) // 3) * 3)
    kind = "SalesReceipt" if client.pays == "card" else "Invoice"
    item_id, item_name, *_ = catalog.ITEMS[catalog.TIER_ITEM[client.tier]]
    fee = client.fee() * every
    schedule = {
        "IntervalType": "Monthly", "NumInterval": Decimal(every), "DayOfMonth": Decimal(1),
        "StartDate": client.msa_from.isoformat(), "PreviousDate": billed.isoformat(),
        "NextDate": add_months(billed, every).isoformat(), "DaysBefore": Decimal(0),
    }
    if ending:
        schedule["EndDate"] = add_months(billed, ENDING_IN_MONTHS).isoformat()
    name = f"{client.ref[1]} - {client.tier} agreement" + (" (quarterly)" if quarterly else "")
    record_id = books.next_id()
    template = {
        "Id": record_id, "SyncToken": "0", "domain": "QBO", "sparse": False,
        "RecurDataRef": {"value": str(number + 1)},
        "RecurringInfo": {"Name": name, "RecurType": "Automated", "Active": not paused, "ScheduleInfo": schedule},
        "CustomerRef": {"value": client.ref[0], "name": client.ref[1]},
        "Line": [
            {"Id": "1", "LineNum": Decimal(1), "Description": f"{client.tier} agreement", "Amount": fee,
             "DetailType": "SalesItemLineDetail",
             "SalesItemLineDetail": {"ItemRef": {"value": item_id, "name": item_name}, "Qty": Decimal(every),
                                     "UnitPrice": client.fee(), "TaxCodeRef": {"value": "NON"}}},
            {"Amount": fee, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}},
        ],
        "TxnTaxDetail": {"TotalTax": Decimal(0)}, "TotalAmt": fee, "CurrencyRef": USD,
        "MetaData": meta(client.msa_from, billed),
    }
    if kind == "SalesReceipt":
        template.update({"DepositToAccountRef": {"value": catalog.UNDEPOSITED_FUNDS},
                         "PaymentMethodRef": {"value": "3", "name": "Credit Card"}})
    else:
        template["SalesTermRef"] = {"value": "3", "name": "Net 0"}
    books.add("RecurringTransaction", {kind: template})
