"""Small QuickBooks companies built inside tests, with the playbook's item set-up."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count
from pathlib import Path

from models.settings import settings
from models.settings.categories import DEFAULT_RULES
from tests.builders import item_line, sales_document
from tests.helpers import cli, write_json

D = Decimal
ITEMS = {  # key -> (Id, FullyQualifiedName): the default rules categorise them by their category
    "msa": ("1", "Managed Services:MSA - Platinum"),
    "silver": ("2", "Managed Services:MSA - Silver"),
    "quarterly": ("3", "Managed Services:MSA - Quarterly"),
    "hourly": ("4", "Labor - Hourly:Remote Support"),
    "hardware": ("5", "Hardware:Firewall"),
    "software": ("6", "Software:Antivirus"),
    "setup": ("7", "Setup:Setup Fee"),
    "travel": ("8", "Travel"),
}
STAMP = {"MetaData": {"LastUpdatedTime": "2026-01-01T00:00:00Z"}}


@dataclass
class Company:
    entities: dict[str, list[dict]] = field(default_factory=dict)
    ids: count = field(default_factory=lambda: count(100))

    def __post_init__(self) -> None:
        self.entities["Item"] = [
            {"Id": item_id, "Name": fqn.split(":")[-1], "FullyQualifiedName": fqn, "Type": "Service", **STAMP}
            for item_id, fqn in ITEMS.values()
        ]

    def add(self, entity: str, record: dict) -> dict:
        record.setdefault("Id", str(next(self.ids)))
        record.setdefault("MetaData", {"LastUpdatedTime": "2026-01-01T00:00:00Z"})
        self.entities.setdefault(entity, []).append(record)
        return record

    def customer(self, customer_id: str, name: str, parent: str | None = None) -> None:
        record = {"Id": customer_id, "DisplayName": name, "FullyQualifiedName": name, "Job": parent is not None}
        if parent:
            record["ParentRef"] = {"value": parent}
        self.add("Customer", record)

    def document(self, entity: str, customer: str, day: str, *lines: tuple, due: str | None = None, **extra) -> dict:
        """lines: (item key, amount) or (item key, amount, service date)."""
        record = sales_document(customer, day, [self._line(*line) for line in lines],
                                DocNumber=f"N{next(self.ids)}", **extra)
        if due:
            record["DueDate"] = due
        if entity == "CreditMemo":
            record.setdefault("RemainingCredit", D(0))
        return self.add(entity, record)

    @staticmethod
    def _line(item: str, amount: str, service_date: str | None = None) -> dict:
        return item_line(amount, ITEMS[item], **({"ServiceDate": service_date} if service_date is not None else {}))

    def invoice(self, customer: str, day: str, *lines: tuple, due: str | None = None, **extra) -> dict:
        return self.document("Invoice", customer, day, *lines, due=due, **extra)

    def payment(self, customer: str, day: str, total: str, *applied: tuple[dict, str], unapplied: str = "0") -> dict:
        return self.add("Payment", {
            "TxnDate": day, "CustomerRef": {"value": customer}, "TotalAmt": D(total), "UnappliedAmt": D(unapplied),
            "Line": [{"Amount": D(amount), "LinkedTxn": [{"TxnId": doc["Id"], "TxnType": "Invoice"}]}
                     for doc, amount in applied],
        })

    def paid(self, customer: str, day: str, total: str, *applied: tuple[dict, str], method: str = "Check") -> dict:
        """A payment by a payment method (PaymentMethodRef, by name): what the payment rules and behaviour read."""
        payment = self.payment(customer, day, total, *applied)
        payment["PaymentMethodRef"] = {"value": "1", "name": method}
        return payment

    def template(self, entity: str, customer: str, *lines: tuple, next_date: str, every: int = 1,
                 interval: str = "Monthly", previous: str | None = None, start: str | None = None,
                 end: str | None = None, most: int | None = None, active: bool = True) -> dict:
        """A recurring template (RecurringTransaction) that makes `entity` for `customer` on its schedule,
        wrapped under its type as QuickBooks sends it; lines: (item key, amount)."""
        given = {"PreviousDate": previous, "StartDate": start, "EndDate": end,
                 "MaxOccurrences": None if most is None else D(most)}
        schedule = {"IntervalType": interval, "NumInterval": D(every), "NextDate": next_date,
                    **{key: value for key, value in given.items() if value is not None}}
        record = sales_document(customer, next_date, [self._line(*line) for line in lines],
                                Id=str(next(self.ids)), SyncToken="0", **STAMP)
        del record["TxnDate"]  # a template has a schedule, not a date
        record["RecurringInfo"] = {"Name": f"Template {record['Id']}", "RecurType": "Automated", "Active": active,
                                   "ScheduleInfo": schedule}
        self.entities.setdefault("RecurringTransaction", []).append({entity: record})
        return record

    def time(self, customer: str, day: str, hours: int, minutes: int = 0, billable: str = "NotBillable") -> None:
        self.add("TimeActivity", {"TxnDate": day, "CustomerRef": {"value": customer}, "Hours": D(hours),
                                  "Minutes": D(minutes), "BillableStatus": billable})

    def load(self, db: Path, rules: dict[str, str] | None = None) -> Path:
        """Loaded and built into `db`. `rules` (a section of the category rules -> a line added under it) are
        written before the load, as an owner who edits the default rules first: one build, not a build again."""
        for section, line in (rules or {}).items():
            rules_file = db.with_name("categories.toml")
            text = rules_file.read_text() if rules_file.exists() else DEFAULT_RULES.read_text()
            assert f"[{section}]\n" in text, section
            db.parent.mkdir(parents=True, exist_ok=True)
            rules_file.write_text(text.replace(f"[{section}]\n", f"[{section}]\n{line}\n"))
        path = write_json(db.parent / "company.json", self.entities)
        assert cli("load", path, "--db", db) == 0
        return db


def cash_october(company: Company) -> Company:
    """Delta (40)'s October 2026, where revenue on a cash basis and on accrual differ (worked by hand in
    tests/test_cash_basis.py and tests/test_cash_tie_out.py): invoice A of 28 September (Remote Support 100.01 +
    Firewall 200.00) paid 100.00 on 10 October; a sales receipt (Antivirus 45.50) on 5 October and a refund receipt
    (Firewall 20.00) on the 20th; invoice B of 15 October (Remote Support 150.00) paid only by a credit memo of 18
    October (Remote Support 10.00) applied on the 25th; invoice C of 1 November (Platinum 500.00) paid on 30
    October."""
    company.customer("40", "Delta")
    invoice_a = company.invoice("40", "2026-09-28", ("hourly", "100.01"), ("hardware", "200.00"), due="2026-10-28")
    company.payment("40", "2026-10-10", "100.00", (invoice_a, "100.00"))["PaymentRefNum"] = "4417"
    company.document("SalesReceipt", "40", "2026-10-05", ("software", "45.50"))
    company.document("RefundReceipt", "40", "2026-10-20", ("hardware", "20.00"))
    invoice_b = company.invoice("40", "2026-10-15", ("hourly", "150.00"), due="2026-11-04")
    memo = company.document("CreditMemo", "40", "2026-10-18", ("hourly", "10.00"))
    company.add("Payment", {
        "TxnDate": "2026-10-25", "CustomerRef": {"value": "40"}, "TotalAmt": D("0.00"), "UnappliedAmt": D("0.00"),
        "Line": [{"Amount": D("10.00"), "LinkedTxn": [{"TxnId": invoice_b["Id"], "TxnType": "Invoice"}]},
                 {"Amount": D("10.00"), "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]}]})
    invoice_c = company.invoice("40", "2026-11-01", ("msa", "500.00", "2026-11-01"), due="2026-11-01")
    company.payment("40", "2026-10-30", "500.00", (invoice_c, "500.00"))
    return company


# Hourly items and classes as the playbook's books hold them, for the labor-scope rules: the default rules
# tell Remote/Onsite by class, after-hours by the item, business hours by the "Labor - Hourly" category
SCOPED_ITEMS = {
    "gold": ("11", "Managed Services:MSA - Gold"),
    "remote": ("12", "Labor - Hourly:Remote Support"),
    "onsite": ("13", "Labor - Hourly:Onsite Support"),
    "after_hours": ("14", "Labor - Hourly:After-Hours Support"),
    "server_work": ("15", "Labor - Hourly:Server Maintenance"),
}
CLASSES = {"Remote": "300", "Onsite": "301"}


def scoped_labor_company(db: Path, books: Company | None = None, rules: dict[str, str] | None = None) -> Path:
    """scoped_labor_books (or books made from them) loaded (with `rules`, as Company.load), with each client's 1 server
    and 10 desktops typed in the settings."""
    (books or scoped_labor_books()).load(db, rules)
    settings.save_devices(settings.settings_path(db), "local", {"10": settings.Devices(1, 10, "Acme Consulting"),
                                                                "20": settings.Devices(1, 10, "Cedar Law")})
    return db


def scoped_labor_books() -> Company:
    """Two clients with 1 server and 10 desktops each (Silver $500, Gold $800, Platinum $950 a month), as of
    22 Nov 2026 (12 full months Nov 2025 - Oct 2026):
    - "Acme Consulting" (10), on Gold: MSA - Gold $800 each month = $9,600; hourly $1,695: Oct onsite 4 h x 150
      = 600 (class Onsite), Jun after hours 2 h x 270 = 540 (class Remote), Mar remote 3 h x 135 = 405 (class
      Remote), Apr remote 1 h x 150 = 150 with no class (where unknown). Paid $11,295.
    - "Cedar Law" (20), break/fix: May server work 5 h x 150 = 750 and Jul 1 h x 150 = 150 (class Remote), Sep
      remote 2 h x 150 = 300 (class Remote). Paid $1,200."""
    company = Company()
    company.entities["Item"] += [{"Id": item_id, "Name": fqn.split(":")[-1], "FullyQualifiedName": fqn,
                                  "Type": "Service", **STAMP} for item_id, fqn in SCOPED_ITEMS.values()]
    company.entities["Class"] = [{"Id": class_id, "Name": name, "FullyQualifiedName": name, **STAMP}
                                 for name, class_id in CLASSES.items()]
    company.customer("10", "Acme Consulting")
    company.customer("20", "Cedar Law")

    def hourly(customer: str, day: str, item: str, hours: str, rate: str, klass: str | None = None) -> None:
        detail = {"ClassRef": {"value": CLASSES[klass]}} if klass else {}
        amount = str(D(hours) * D(rate))
        company.add("Invoice", sales_document(customer, day, [item_line(amount, SCOPED_ITEMS[item], hours, **detail)],
                                              DocNumber=f"N{next(company.ids)}"))

    for n in range(12):
        year, month = (2025, 11 + n) if n < 2 else (2026, n - 1)
        company.add("Invoice", sales_document("10", f"{year}-{month:02d}-01",
                                              [item_line("800.00", SCOPED_ITEMS["gold"])], DocNumber=f"N{next(company.ids)}"))
    hourly("10", "2026-10-20", "onsite", "4", "150", "Onsite")
    hourly("10", "2026-06-20", "after_hours", "2", "270", "Remote")
    hourly("10", "2026-03-20", "remote", "3", "135", "Remote")
    hourly("10", "2026-04-20", "remote", "1", "150")
    hourly("20", "2026-05-20", "server_work", "5", "150", "Remote")
    hourly("20", "2026-07-20", "server_work", "1", "150", "Remote")
    hourly("20", "2026-09-20", "remote", "2", "150", "Remote")
    return company


def late_agreement_company(db: Path) -> Path:
    """late_agreement_books loaded, each client's 1 server and 10 desktops typed in the settings."""
    late_agreement_books().load(db)
    settings.save_devices(settings.settings_path(db), "local", {
        customer_id: settings.Devices(1, 10, name)
        for customer_id, name in (("10", "Acme Consulting"), ("20", "Cedar Law"), ("30", "Birch Dental"))})
    return db


def late_agreement_books() -> Company:
    """scoped_labor_books and "Birch Dental" (30), 1 server and 10 desktops (Gold at list: 350 + 10 x 45 = $800 a
    month), hourly until it signed Gold in August 2026 at $600 a month, under list (Aug, Sep, Oct: $1,800):
    - before: Apr remote 3 h x 150 = 450 (class Remote), Jun onsite 2 h x 150 = 300 (class Onsite);
    - under Gold: Sep remote 1 h x 150 = 150 (class Remote: Gold covers it in full, so billed work outside the
      agreement), Oct after hours 1 h x 270 = 270 (class Remote).
    Paid $1,800 + $1,170 hourly = $2,970."""
    company = scoped_labor_books()
    company.customer("30", "Birch Dental")
    for month in ("08", "09", "10"):
        company.add("Invoice", sales_document("30", f"2026-{month}-01", [item_line("600.00", SCOPED_ITEMS["gold"])],
                                              DocNumber=f"B{month}"))
    for day, item, hours, rate, klass in (("2026-04-20", "remote", "3", "150", "Remote"),
                                          ("2026-06-20", "onsite", "2", "150", "Onsite"),
                                          ("2026-09-20", "remote", "1", "150", "Remote"),
                                          ("2026-10-20", "after_hours", "1", "270", "Remote")):
        company.add("Invoice", sales_document("30", day, [item_line(str(D(hours) * D(rate)), SCOPED_ITEMS[item], hours,
                                                                    ClassRef={"value": CLASSES[klass]})],
                                              DocNumber=f"B{day}"))
    return company
