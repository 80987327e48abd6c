"""Small QuickBooks companies built inside tests, with the playbook's item set-up."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count
from pathlib import Path

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

    def time(self, customer: str, day: str, hours: int, minutes: int = 0, billable: str = "NotBillable") -> None:
        self.add("TimeActivity", {"TxnDate": day, "CustomerRef": {"value": customer}, "Hours": D(hours),
                                  "Minutes": D(minutes), "BillableStatus": billable})

    def load(self, db: Path) -> Path:
        path = write_json(db.parent / "company.json", self.entities)
        assert cli("load", path, "--db", db) == 0
        return db
