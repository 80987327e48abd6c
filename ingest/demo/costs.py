"""What the demo MSP spends, added once its sales are written (issue 26): technicians' cost rates, the
monitoring tool's bill every month (overhead), hardware bought for each client it is sold to (bills naming the
client), software at its purchase cost, and two agreements a subcontractor's onsite work made unprofitable
for the last three full months. A random generator of its own, so the sales are the same with or without it."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from ingest.demo import catalog
from ingest.demo.books import Books, meta, money

# (Id, Name, AccountType, Classification): Ids past the catalog's and the tests' own accounts
COST_ACCOUNTS = (
    ("120", "Cost of Goods Sold", "Cost of Goods Sold", "Expense"),
    ("121", "Subcontractors", "Cost of Goods Sold", "Expense"),
    ("122", "Software Subscriptions", "Expense", "Expense"),
)
GOODS, SUBCONTRACTORS, SUBSCRIPTIONS = (a[0] for a in COST_ACCOUNTS)
# (Id, DisplayName)
DISTRIBUTOR, TOOLS, SUBCONTRACTOR = ("70", "Ingram Micro"), ("71", "Zenith RMM"), ("72", "Bayside Onsite Partners")
COST_RATES = {"55": Decimal("42.50"), "56": Decimal("38.00"), "57": Decimal("55.00")}  # loaded, per hour
TOOL_PER_DESKTOP = Decimal(8)  # the playbook's "$8/desktop/month"
HARDWARE = ("server", "desktop", "firewall", "parts", "cabling")
COST_SHARE = Decimal("0.8")  # the distributor's price: the 20% upcharge taken off
SOFTWARE = ("m365", "antivirus", "backup")


def add_costs(books: Books, clients: list, months: list[date], until: date, seed: int) -> None:
    rng = random.Random(seed * 1_000_003 + 26)
    start = months[0]
    for account_id, name, account_type, classification in COST_ACCOUNTS:
        books.add("Account", {
            "Id": account_id, "SyncToken": "0", "Name": name, "FullyQualifiedName": name, "AccountType": account_type,
            "Classification": classification, "SubAccount": False, "Active": True, "domain": "QBO", "sparse": False,
            "MetaData": meta(start)})
    for employee_id, name in catalog.EMPLOYEES:
        given, family = name.split(" ", 1)
        books.add("Employee", {
            "Id": employee_id, "SyncToken": "0", "GivenName": given, "FamilyName": family, "DisplayName": name,
            "PrintOnCheckName": name, "Active": True, "BillableTime": True, "CostRate": COST_RATES[employee_id],
            "domain": "QBO", "sparse": False, "MetaData": meta(start)})
    for vendor_id, name in (DISTRIBUTOR, TOOLS, SUBCONTRACTOR):
        books.add("Vendor", {"Id": vendor_id, "SyncToken": "0", "DisplayName": name, "PrintOnCheckName": name,
                             "Active": True, "Balance": Decimal(0), "Vendor1099": vendor_id == SUBCONTRACTOR[0],
                             "domain": "QBO", "sparse": False, "MetaData": meta(start)})
    _purchase_costs(books)
    _hardware_bills(books, rng)
    for month in months:
        managed = sum(c.desktops for c in clients if c.under_msa(month))
        if managed and month <= until:
            _bill(books, TOOLS, month, [_account_line(money(managed * TOOL_PER_DESKTOP), SUBSCRIPTIONS,
                                                      f"Monitoring, {managed} desktops")])
    _unprofitable_agreements(books, clients, months, until)


def _purchase_costs(books: Books) -> None:
    """What one costs the MSP, on the item: the distributor's price, the upcharge taken off the price the demo
    sells it at (its sales may not use the catalog's: every seat of software sells at the antivirus' price).
    Software is bought per seat as sold, so it has no bill per client."""
    ids = {catalog.ITEMS[key][0]: key for key in (*HARDWARE, *SOFTWARE)}
    sold = _prices_sold(books)
    for item in books.entities["Item"]:
        key = ids.get(item["Id"])
        if key:
            item["PurchaseCost"] = money(sold.get(item["Id"], catalog.ITEMS[key][5]) * COST_SHARE)
            item["ExpenseAccountRef"] = {"value": GOODS, "name": COST_ACCOUNTS[0][1]}


def _prices_sold(books: Books) -> dict[str, Decimal]:
    """The highest unit price each item is sold at on an invoice or sales receipt line, by item Id."""
    prices: dict[str, Decimal] = {}
    for entity in ("Invoice", "SalesReceipt"):
        for document in books.entities.get(entity, []):
            for line in _item_lines(document):
                detail = line["SalesItemLineDetail"]
                item_id = detail["ItemRef"]["value"]
                prices[item_id] = max(prices.get(item_id, detail["UnitPrice"]), detail["UnitPrice"])
    return prices


def _item_lines(document: dict) -> list[dict]:
    """A sales document's item lines, a bundle's children among them."""
    lines = [child for line in document["Line"] if line.get("DetailType") == "GroupLineDetail"
             for child in line["GroupLineDetail"]["Line"]] + document["Line"]
    return [line for line in lines if line.get("DetailType") == "SalesItemLineDetail"]


def _hardware_bills(books: Books, rng: random.Random) -> None:
    """Each hardware line sold (a bundle's too) is bought from the distributor a few days before, on a bill naming
    the client."""
    hardware = {catalog.ITEMS[key][0] for key in HARDWARE}
    for entity in ("Invoice", "SalesReceipt"):
        for document in list(books.entities.get(entity, [])):
            lines = [line for line in _item_lines(document) if line["SalesItemLineDetail"]["ItemRef"]["value"] in hardware]
            if not lines:
                continue
            day = date.fromisoformat(document["TxnDate"]) - timedelta(days=rng.randint(1, 6))
            customer = document["CustomerRef"]
            _bill(books, DISTRIBUTOR, day, [{
                "Amount": money(line["SalesItemLineDetail"]["Qty"] * _unit_cost(line)),
                "DetailType": "ItemBasedExpenseLineDetail",
                "ItemBasedExpenseLineDetail": {
                    "ItemRef": line["SalesItemLineDetail"]["ItemRef"], "Qty": line["SalesItemLineDetail"]["Qty"],
                    "UnitPrice": _unit_cost(line), "CustomerRef": customer, "BillableStatus": "HasBeenBilled"}}
                for line in lines])


def _unit_cost(line: dict) -> Decimal:
    return money(line["SalesItemLineDetail"]["UnitPrice"] * COST_SHARE)


def _unprofitable_agreements(books: Books, clients: list, months: list[date], until: date) -> None:
    """The two biggest agreements of the last full month, each with a subcontractor's onsite bill near its fee in
    each of the last three full months: under the problem line two months running (and more)."""
    last_full = months[-2] if len(months) > 1 else months[-1]
    signed = sorted((c for c in clients if c.under_msa(last_full) and c.tier), key=lambda c: (-c.fee(), c.ref[0]))
    for client in signed[:2]:
        for month in months[-4:-1]:
            if client.under_msa(month):
                _bill(books, SUBCONTRACTOR, month + timedelta(days=20), [{
                    **_account_line(money(client.fee() * Decimal("0.9")), SUBCONTRACTORS, "Onsite project work"),
                    "AccountBasedExpenseLineDetail": {
                        "AccountRef": {"value": SUBCONTRACTORS, "name": COST_ACCOUNTS[1][1]},
                        "CustomerRef": {"value": client.ref[0], "name": client.ref[1]},
                        "BillableStatus": "NotBillable"}}])


def _account_line(amount: Decimal, account: str, description: str) -> dict:
    names = {a[0]: a[1] for a in COST_ACCOUNTS}
    return {"Amount": amount, "Description": description, "DetailType": "AccountBasedExpenseLineDetail",
            "AccountBasedExpenseLineDetail": {"AccountRef": {"value": account, "name": names[account]},
                                              "BillableStatus": "NotBillable"}}


def _bill(books: Books, vendor: tuple[str, str], day: date, lines: list[dict]) -> dict:
    total = sum((line["Amount"] for line in lines), Decimal(0))
    return books.add("Bill", {
        "Id": books.next_id(), "SyncToken": "0", "TxnDate": day.isoformat(),
        "DueDate": (day + timedelta(days=30)).isoformat(), "VendorRef": {"value": vendor[0], "name": vendor[1]},
        "Line": [{"Id": str(n), "LineNum": n, **line} for n, line in enumerate(lines, start=1)],
        "TotalAmt": total, "Balance": Decimal(0), "APAccountRef": {"value": "30", "name": "Accounts Payable (A/P)"},
        "CurrencyRef": {"value": "USD", "name": "United States Dollar"}, "domain": "QBO", "sparse": False,
        "MetaData": meta(day)})
