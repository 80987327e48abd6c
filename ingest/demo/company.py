"""A deterministic synthetic MSP that tells the playbook's story, as QuickBooks API documents.

Hourly break/fix work first; then most clients sign a Silver, Gold or Platinum agreement priced per
server and per desktop, paying monthly by card or three months ahead by check (recorded both ways:
future-dated invoices paid by the check, or the check held as credit and applied month by month).
Around that: setup fees, hardware and software resale (with bundles, discounts and sales tax),
after-hours and extra hourly labor, credit memos, a cancellation with a refund of prepaid months,
slow payers and finance charges, jobs under clients, time activities, items that still need
mapping, tiny clients under the $500 and $1,000 lines, and one voided and one deleted invoice; then what
it all cost (ingest/demo/costs.py) and the recurring templates that bill the agreements (ingest/demo/recurring.py).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ingest.demo import catalog
from ingest.demo.books import Books, Invoice, Line, meta, money, stamp
from ingest.demo.costs import add_costs
from ingest.demo.recurring import add_recurring_templates
from models.months import add_months

TIER_PRICES = {  # per server, per desktop, per month (DOMAIN.md defaults)
    "Silver": (Decimal(500), Decimal(0)),
    "Gold": (Decimal(350), Decimal(45)),
    "Platinum": (Decimal(350), Decimal(60)),
}
REMOTE, ONSITE = catalog.CLASSES[0][0], catalog.CLASSES[1][0]


def quarter_hours(value: float) -> Decimal:
    return Decimal(max(0, round(value * 4))) / 4


@dataclass
class Client:
    ref: tuple[str, str]          # (QuickBooks Id, display name)
    servers: int
    desktops: int
    joined: date
    tiny: bool
    hourly_hours: float           # typical hourly hours a month before an agreement (tiny: chance of a call)
    msa_from: date | None
    tier: str | None
    pays: str                     # card | check_invoices | check_credit
    setup_share: Decimal
    slow_payer: bool
    msa_until: date | None = None  # first month no longer under agreement (churn)
    cancelled_from: date | None = None  # first prepaid month refunded after a cancellation
    spam_filter: bool = False

    def fee(self) -> Decimal:
        per_server, per_desktop = TIER_PRICES[self.tier]
        return money(per_server * self.servers + per_desktop * self.desktops)

    def agreement_line(self, item: str, month: date) -> Line:
        """The month's agreement line: Silver is priced per server, so its line bills the servers (quantity, at the
        server price: what report devices counts as billed); the other tiers' fee mixes servers and desktops, one
        line at the fee."""
        per_server, per_desktop = TIER_PRICES[self.tier]
        quantity, price = (Decimal(self.servers), per_server) if not per_desktop and self.servers else (Decimal(1), self.fee())
        return Line(item, quantity, price, f"{self.tier} agreement {month:%B %Y}", month)

    def under_msa(self, month: date) -> bool:
        return (self.msa_from is not None and month >= self.msa_from
                and (self.msa_until is None or month < self.msa_until))


class DemoCompany:
    def __init__(self, seed: int, clients: int, years: int, until: date):
        self.rng = random.Random(seed)
        self.seed = seed
        self.until = until
        self.last_month = until.replace(day=1)
        self.first_month = add_months(self.last_month, -(years * 12 - 1))
        self.months = [add_months(self.first_month, i) for i in range(years * 12)]
        self.books = Books()
        self.clients = [self._client(i) for i in range(clients)]
        self.open_invoices: dict[str, list[Invoice]] = {}

    # -- the cast ------------------------------------------------------------------------
    def _client(self, index: int) -> Client:
        rng, months = self.rng, self.months
        joined = months[0] if rng.random() < 0.35 else months[rng.randrange(len(months))]
        tiny = rng.random() < 0.12
        servers = 0 if tiny else rng.choice((0, 1, 1, 1, 2, 2, 3))
        desktops = rng.randint(1, 4) if tiny else rng.randint(3, 40)
        msa_from, tier = None, None
        if not tiny and rng.random() < 0.78:
            # the playbook rolls out a quarter of the way in; clients sign over the years after
            rollout = max(months.index(joined) + 3, len(months) // 4)
            signs = rollout + int(rng.expovariate(1 / 10))
            if signs < len(months):  # later than the last month: has not signed yet
                msa_from = months[signs]
                if servers and desktops <= 6:
                    tier = "Silver"
                else:
                    tier = rng.choice(("Gold", "Gold", "Platinum"))
        customer_id = str(5000 + index)
        self.books.customer(customer_id, catalog.client_name(index), joined)
        client = Client(
            ref=(customer_id, catalog.client_name(index)), servers=servers, desktops=desktops,
            joined=joined, tiny=tiny,
            # a tiny client calls a few times a year: some under $500 a year, some under $1,000
            hourly_hours=rng.choice((0.08, 0.1, 0.2, 0.22)) if tiny else rng.uniform(2, 3 + desktops * 0.5),
            msa_from=msa_from, tier=tier,
            pays=rng.choice(("card", "card", "check_invoices", "check_credit")),
            setup_share=rng.choice((Decimal("0.5"), Decimal("0.5"), Decimal("0.5"), Decimal("1"), Decimal("0"))),
            slow_payer=rng.random() < 0.08, spam_filter=rng.random() < 0.3,
        )
        if msa_from and client.pays == "card" and rng.random() < 0.08:
            client.msa_until = add_months(msa_from, rng.randint(6, 30))
        return client

    # -- the story -----------------------------------------------------------------------
    def generate(self) -> list[dict]:
        self.books.setup_lists(self.first_month)
        cancelling = self._pick_cancellation()
        for client in self.clients:
            for month in self.months:
                if month < client.joined:
                    continue
                if (client.msa_until and month >= client.msa_until) or (
                        client.cancelled_from and month >= client.cancelled_from):
                    break  # the client left with its agreement
                if month.month == 1 and client.under_msa(month):
                    client.desktops = max(1, client.desktops + self.rng.choice((-2, -1, 0, 0, 1, 2, 3)))
                if client.under_msa(month):
                    self._agreement_month(client, month)
                else:
                    self._hourly_month(client, month)
                self._resale(client, month)
            if client is cancelling:
                self._refund_cancelled_months(client)
            if client.slow_payer:
                self._finance_charges(client)
        self._jobs()
        corrections = self._void_and_delete()
        self._opening_balances()
        self._cash_work()
        add_costs(self.books, self.clients, self.months, self.until, self.seed)
        self._payment_lapses()
        add_recurring_templates(self.books, self.clients, self.until)
        snapshot_time = stamp(self.until, minutes=600)
        return [
            {"QueryResponse": self.books.entities, "time": snapshot_time},
            {"CDCResponse": [{"QueryResponse": [corrections]}], "time": snapshot_time},
        ]

    def _hourly_month(self, client: Client, month: date) -> None:
        rng = self.rng
        hours = quarter_hours(rng.gauss(client.hourly_hours, client.hourly_hours / 2))
        if client.tiny:
            hours = quarter_hours(rng.choice((1, 1.5, 2, 3))) if rng.random() < client.hourly_hours else Decimal(0)
        if not hours:
            return
        onsite = quarter_hours(float(hours) * rng.uniform(0, 0.6))
        lines = [Line("remote", hours - onsite, Decimal(150), class_id=REMOTE)]
        if onsite:
            lines.append(Line("onsite", onsite, Decimal(150), class_id=ONSITE))
            if rng.random() < 0.3:
                lines.append(Line("travel", Decimal(1), Decimal(75)))
        if rng.random() < 0.15:
            lines.append(Line("after_hours", quarter_hours(rng.uniform(1, 3)), Decimal(300), class_id=REMOTE))
        lines = [line for line in lines if line.qty]
        day = month + timedelta(days=rng.randint(20, 27))
        self._bill(client, day, lines, billed_time=True)

    def _agreement_month(self, client: Client, month: date) -> None:
        fee, tier_item = client.fee(), catalog.TIER_ITEM[client.tier]
        first = month == client.msa_from
        setup = [Line("setup_fee", Decimal(1), money(fee * client.setup_share), "Agreement setup fee")] \
            if first and client.setup_share else []
        if client.pays == "card":
            if month <= self.until:
                lines = [client.agreement_line(tier_item, month)] + setup
                self.books.sales_form("SalesReceipt", client.ref, month, lines)
        elif (self.months.index(month) - self.months.index(client.msa_from)) % 3 == 0:
            self._prepaid_quarter(client, month, fee, tier_item, setup)
        self._agreement_extras(client, month, fee)

    def _prepaid_quarter(self, client: Client, start: date, fee: Decimal, tier_item: str, setup: list[Line]) -> None:
        """Three months paid ahead by check, received around the 22nd of the month before."""
        check_day = add_months(start, -1) + timedelta(days=21)
        if check_day > self.until:
            return
        months = [add_months(start, i) for i in range(3)]
        if client.msa_until:
            months = [m for m in months if m < client.msa_until]
        def lines(m: date) -> list[Line]:
            return [client.agreement_line(tier_item, m)] + (setup if m == start else [])
        if client.pays == "check_invoices":
            # every month invoiced at once, dated the first of its month, and paid by the check
            invoices = [self.books.invoice(client.ref, m, lines(m), created=check_day, terms_days=0) for m in months]
            total = sum((inv.total for inv in invoices), Decimal(0))
            self.books.payment(client.ref, check_day, total, [(inv, inv.total) for inv in invoices])
        else:
            # the check is held as credit; each month's invoice is raised on its first and paid from it
            invoices = [self.books.invoice(client.ref, m, lines(m), terms_days=0) for m in months if m <= self.until]
            total = sum((fee for _ in months), Decimal(0)) + sum((line.amount for line in setup), Decimal(0))
            last_applied = max([check_day] + [m for m in months if m <= self.until])
            self.books.payment(client.ref, check_day, total, [(inv, inv.total) for inv in invoices],
                               created=last_applied)

    def _agreement_extras(self, client: Client, month: date, fee: Decimal) -> None:
        rng = self.rng
        employee = rng.choice(catalog.EMPLOYEES)
        covered = quarter_hours(float(fee) / 135 * rng.uniform(0.4, 1.3))
        day = month + timedelta(days=rng.randint(2, 25))
        if day <= self.until and covered:
            self.books.time_activity(client.ref, day, "msa_hourly", covered, "NotBillable", employee)
        # about 25% of extra hourly labor on top of the flat fee
        extra = quarter_hours(float(fee) * 0.25 / 135 * rng.uniform(0, 2))
        lines = [Line("msa_hourly", extra, Decimal(135), class_id=ONSITE if client.tier == "Platinum" else REMOTE)]
        if rng.random() < 0.1:
            lines.append(Line("msa_after_hours", quarter_hours(rng.uniform(1, 2)), Decimal(270), class_id=REMOTE))
        if client.spam_filter:
            lines.append(Line("spam_filter", Decimal(client.desktops), Decimal(3)))
        lines = [line for line in lines if line.qty]
        if lines:
            credit = None
            if rng.random() < 0.03:  # an outage month: a service credit of 10% of the fee
                credit_day = month + timedelta(days=rng.randint(10, 19))
                if credit_day <= self.until:
                    credit, _ = self.books.sales_form(
                        "CreditMemo", client.ref, credit_day,
                        [Line(catalog.TIER_ITEM[client.tier], Decimal(1), money(fee / 10), "Service credit - outage", month)])
            self._bill(client, month + timedelta(days=rng.randint(24, 27)), lines, billed_time=True, credit=credit)

    def _resale(self, client: Client, month: date) -> None:
        rng = self.rng
        if rng.random() > 0.04 + client.desktops / 400:
            return
        day = month + timedelta(days=rng.randint(3, 24))
        lines = [Line(rng.choice(("desktop", "desktop", "firewall", "parts", "cabling")), Decimal(rng.randint(1, 3)), Decimal(0))]
        lines[0].price = catalog.ITEMS[lines[0].item][5]
        if client.servers and rng.random() < 0.1:
            lines.append(Line("server", Decimal(1), catalog.ITEMS["server"][5]))
        if rng.random() < 0.5:
            seats = Decimal(client.desktops)
            lines.append(Line(rng.choice(("m365", "antivirus", "backup")), seats, catalog.ITEMS["antivirus"][5]))
        bundle = None
        if rng.random() < 0.2:
            bundle = [Line("desktop", Decimal(1), catalog.ITEMS["desktop"][5]),
                      Line("antivirus", Decimal(1), catalog.ITEMS["antivirus"][5]),
                      Line("onsite", Decimal(2), Decimal(150), class_id=ONSITE)]
        discount = Decimal(5) if len(lines) > 1 and rng.random() < 0.3 else None
        if rng.random() < 0.35 and day <= self.until:  # paid up front by card
            self.books.sales_form("SalesReceipt", client.ref, day, lines, bundle=bundle, discount_percent=discount)
        else:
            self._bill(client, day, lines, bundle=bundle, discount_percent=discount)

    def _bill(self, client: Client, day: date, lines: list[Line], billed_time: bool = False,
              credit: dict | None = None, customer: tuple[str, str] | None = None, **kwargs) -> Invoice | None:
        """An invoice on net 20 and, when the client has paid it by the end of the story, its payment."""
        if day > self.until:
            return None
        customer = customer or client.ref
        invoice = self.books.invoice(customer, day, lines, **kwargs)
        if billed_time:
            employee = self.rng.choice(catalog.EMPLOYEES)
            for line in lines:
                if catalog.ITEMS[line.item][2] == "Service" and catalog.ITEMS[line.item][3] == "102":
                    self.books.time_activity(customer, day, line.item, line.qty, "HasBeenBilled", employee)
        if client.slow_payer:
            paid_on = invoice.due + timedelta(days=self.rng.randint(10, 100))
        else:
            paid_on = invoice.due - timedelta(days=self.rng.randint(-6, 15))
        if paid_on <= self.until:
            credits = [(credit, credit["TotalAmt"])] if credit else []
            cash = invoice.total - sum((c for _, c in credits), Decimal(0))
            self.books.payment(customer, paid_on, cash, [(invoice, invoice.total)],
                               method=self.rng.choice(("Check", "Credit Card")), credits=credits)
        else:
            self.open_invoices.setdefault(customer[0], []).append(invoice)
        return invoice

    def _pick_cancellation(self) -> Client | None:
        """A client paying by check cancels in the first month of its last full prepaid quarter."""
        for client in self.clients:
            if client.pays != "check_invoices" or not client.msa_from or client.msa_until:
                continue
            offset = self.months.index(client.msa_from)
            starts = [m for m in self.months[offset::3] if m <= add_months(self.last_month, -3)]
            if len(starts) >= 2:
                client.cancelled_from = add_months(starts[-1], 1)
                return client
        return None

    def _refund_cancelled_months(self, client: Client) -> None:
        """The check paid three months; the two not yet started are refunded on cancelling."""
        fee, item = client.fee(), catalog.TIER_ITEM[client.tier]
        cancel_day = add_months(client.cancelled_from, -1) + timedelta(days=11)
        refunded = [client.cancelled_from, add_months(client.cancelled_from, 1)]
        lines = [Line(item, Decimal(1), fee, f"Refund: {client.tier} agreement {m:%B %Y} (cancelled)", m)
                 for m in refunded]
        self.books.sales_form("RefundReceipt", client.ref, cancel_day, lines, memo="Agreement cancelled")

    def _finance_charges(self, client: Client) -> None:
        """1.5% a month on everything past due, assessed on the 1st (only slow payers ever owe it)."""
        invoices = [inv for inv in self.books.entities.get("Invoice", [])
                    if inv["CustomerRef"]["value"] == client.ref[0] and "DueDate" in inv]
        payments = {p["Id"]: date.fromisoformat(p["TxnDate"]) for p in self.books.entities.get("Payment", [])
                    if p["CustomerRef"]["value"] == client.ref[0]}
        for month in self.months[1:]:
            past_due = Decimal(0)
            for inv in invoices:
                paid_on = min((payments[link["TxnId"]] for link in inv["LinkedTxn"] if link["TxnId"] in payments), default=None)
                if date.fromisoformat(inv["DueDate"]) < month and (paid_on is None or paid_on >= month):
                    past_due += inv["TotalAmt"]
            charge = money(past_due * Decimal("0.015"))
            if charge >= 1:
                self._bill(client, month, [Line("finance_charge", Decimal(1), charge, "Finance charge 1.5% on past-due balance")])

    def _jobs(self) -> None:
        """A few clients get an office-move job: its hardware is billed to the job, a sub-customer."""
        for client in self.clients[3::17]:
            month = self.months[max(self.months.index(client.joined), len(self.months) // 2)]
            job = (f"{client.ref[0]}-J", "Office Move")
            self.books.customer(job[0], job[1], month, parent=client.ref)
            lines = [Line("cabling", Decimal(4), catalog.ITEMS["cabling"][5]),
                     Line("firewall", Decimal(1), catalog.ITEMS["firewall"][5]),
                     Line("onsite", Decimal(6), Decimal(150), class_id=ONSITE)]
            self._bill(client, month + timedelta(days=9), lines, customer=job)

    def _void_and_delete(self) -> dict[str, list[dict]]:
        """Two invoices raised by mistake: one voided, one deleted, as QuickBooks reports them."""
        client = next(c for c in self.clients if not c.tiny)
        day = self.months[len(self.months) // 3] + timedelta(days=14)
        voided = self.books.invoice(client.ref, day, [Line("remote", Decimal(2), Decimal(150))]).record
        deleted = self.books.invoice(client.ref, day, [Line("onsite", Decimal(3), Decimal(150))]).record
        later = day + timedelta(days=2)
        void_version = {
            **voided, "SyncToken": "1", "PrivateNote": "Voided", "TotalAmt": Decimal(0), "Balance": Decimal(0),
            "TxnTaxDetail": {"TotalTax": Decimal(0)},
            "Line": [{**line, "Amount": Decimal(0)} for line in voided["Line"]],
            "MetaData": meta(day, later),
        }
        delete_stub = {"domain": "QBO", "status": "Deleted", "Id": deleted["Id"],
                       "MetaData": {"LastUpdatedTime": stamp(later, 5)}}
        return {"Invoice": [void_version, delete_stub]}


    def _opening_balances(self) -> None:
        """Two clients came over from the old books owing money: their balances are entered as journal
        entries to A/R the day before the books start, and paid later by payments applied to the entries."""
        start = self.first_month - timedelta(days=1)
        for number, (client, owed, parts) in enumerate(zip(
                [c for c in self.clients if c.joined == self.first_month][:2],
                (Decimal("1850.00"), Decimal("640.00")), ((25,), (40, 70))), start=1):
            entry = self.books.journal_entry(start, f"OB-{number}", "Opening balance from the old books", [
                ("Debit", owed, catalog.RECEIVABLES, client.ref),
                ("Credit", owed, catalog.OPENING_BALANCE_EQUITY, None)])
            for i, days in enumerate(parts):
                day = start + timedelta(days=days)
                if day <= self.until:
                    part = owed if len(parts) == 1 else (Decimal("400.00") if i == 0 else owed - Decimal("400.00"))
                    self.books.entry_payment(client.ref, day, part, entry)

    def _payment_lapses(self) -> None:
        """Two lapses of the playbook's payment rules (report policies), made last and from records already there,
        so that every other record, and every revenue figure, stays as it was: three months before the end, a card
        client's agreement month is invoiced on its 1st and the card goes through on the 12th (the receipt becomes
        an invoice on no terms and a card payment), and a paid invoice of remote support that month was on net 30."""
        month = add_months(self.last_month, -3)
        if month < self.first_month:
            return
        day = month.isoformat()
        card = next((c for c in self.clients if c.pays == "card" and c.under_msa(month)), None)
        receipt = next((r for r in self.books.entities.get("SalesReceipt", []) if card and r["TxnDate"] == day
                        and r["CustomerRef"]["value"] == card.ref[0]), None)
        if receipt:
            self.books.entities["SalesReceipt"].remove(receipt)
            record = {k: v for k, v in receipt.items()
                      if k not in ("Balance", "DepositToAccountRef", "PaymentMethodRef")}
            record.update({"DueDate": day, "SalesTermRef": {"value": "1", "name": "Due on receipt"},
                           "LinkedTxn": []})
            invoice = Invoice(self.books.add("Invoice", record), record["TotalAmt"], month)
            self.books.payment(card.ref, month + timedelta(days=11), invoice.total, [(invoice, invoice.total)],
                               method="Credit Card")
        hourly = next((inv for inv in self.books.entities.get("Invoice", [])
                       if inv["TxnDate"][:7] == day[:7] and inv.get("DueDate")
                       and not any(line.get("SalesItemLineDetail", {}).get("ItemRef", {}).get("value")
                                   != catalog.ITEMS["remote"][0] for line in inv["Line"]
                                   if line["DetailType"] == "SalesItemLineDetail")
                       and inv["LinkedTxn"]), None)
        if hourly:
            txn_date = date.fromisoformat(hourly["TxnDate"])
            hourly["DueDate"] = (txn_date + timedelta(days=30)).isoformat()
            hourly["SalesTermRef"] = {"value": "4", "name": "Net 30"}

    def _cash_work(self) -> None:
        """Now and then a client pays hourly work in cash and it is banked straight to the hourly labor
        account (a deposit line naming the client, no invoice): income outside any sales document."""
        for client in self.clients[1::13]:
            for month in self.months[5::12]:
                day = month + timedelta(days=11)
                left = (client.msa_until and month >= client.msa_until) or (
                    client.cancelled_from and month >= client.cancelled_from)
                if client.joined <= month and day <= self.until and not left:
                    self.books.cash_deposit(client.ref, day, catalog.HOURLY_LABOR_ACCOUNT, Decimal("300.00"),
                                            "Cash for onsite work, 2 hours")


@dataclass(frozen=True)
class Demo:
    documents: list[dict]  # a full query response, then a change-data-capture response
    devices: dict[str, tuple[str, int, int]]  # client Id -> (name, servers, desktops) at the end


def generate(seed: int = 7, clients: int = 60, years: int = 3, until: date | None = None) -> Demo:
    """The demo company as QuickBooks API documents, and its clients' device counts."""
    if clients < 1 or years < 1:
        raise ValueError("the demo company needs at least one client and one year")
    company = DemoCompany(seed, clients, years, until or date.today())
    documents = company.generate()
    devices = {c.ref[0]: (c.ref[1], c.servers, c.desktops) for c in company.clients}
    return Demo(documents, devices)
