"""Books whose tie-out is worked out by hand (an income account with a sub-account, journal entries and a
deposit), QuickBooks' ProfitAndLoss for them, and a connection that answers only that report."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

from ingest.qbo.client import Policy
from tests.builders import invoice, item_line

REALM = "9130355377000001"
STAMP = {"MetaData": {"LastUpdatedTime": "2026-06-01T00:00:00Z"}, "SyncToken": "0"}
MARCH, APRIL, MAY = date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)


def account(account_id: str, name: str, account_type: str, parent: str | None = None) -> dict:
    record = {"Id": account_id, "Name": name, "FullyQualifiedName": name, "AccountType": account_type, **STAMP}
    if parent:
        record.update(SubAccount=True, ParentRef={"value": parent})
    return record


def journal_entry(entry_id: str, day: str, *lines: tuple[str, str, str]) -> dict:
    """lines: (Credit or Debit, account Id, amount)."""
    return {"Id": entry_id, "TxnDate": day, "TotalAmt": D(lines[0][2]), **STAMP, "Line": [
        {"Id": str(n), "Amount": D(amount), "DetailType": "JournalEntryLineDetail",
         "JournalEntryLineDetail": {"PostingType": posting, "AccountRef": {"value": account_id}}}
        for n, (posting, account_id, amount) in enumerate(lines)]}


def company() -> dict:
    return {
        "Account": [account("10", "Services", "Income"), account("11", "Consulting", "Income", parent="10"),
                    account("20", "Interest Earned", "Other Income"),
                    account("30", "Customer Deposits", "Other Current Liability"),
                    account("40", "Checking", "Bank")],
        "Item": [{"Id": "1", "Name": "Support", "Type": "Service", "IncomeAccountRef": {"value": "11"}, **STAMP},
                 {"Id": "2", "Name": "Retainer", "Type": "Service", "IncomeAccountRef": {"value": "30"}, **STAMP}],
        "Customer": [{"Id": "1", "DisplayName": "Client A", **STAMP}],
        "Invoice": [invoice("100", [item_line("600.00", ("1", "Support")), item_line("400.00", ("2", "Retainer"))]),
                    {**invoice("101", [item_line("100.00", ("1", "Support"))]), "TxnDate": "2026-05-12"}],
        "JournalEntry": [journal_entry("200", "2026-03-31", ("Credit", "11", "250.00"), ("Debit", "40", "250.00")),
                         journal_entry("201", "2026-04-02", ("Debit", "11", "50.00"), ("Credit", "40", "50.00"))],
        "Deposit": [{"Id": "300", "TxnDate": "2026-03-20", "TotalAmt": D("735.00"), **STAMP, "Line": [
            {"Amount": D("120.00"), "DetailType": "DepositLineDetail",
             "DepositLineDetail": {"AccountRef": {"value": "10"}}},
            {"Amount": D("15.00"), "DetailType": "DepositLineDetail",
             "DepositLineDetail": {"AccountRef": {"value": "20"}}},
            {"Amount": D("600.00"), "DetailType": "DepositLineDetail", "LinkedTxn": [{"TxnId": "9", "TxnType": "Payment"}],
             "DepositLineDetail": {"AccountRef": {"value": "10"}}}]}],
    }


def cells(name: str, *values: str, account_id: str | None = None) -> list[dict]:
    return [{"value": name, **({"id": account_id} if account_id else {})}] + [{"value": v} for v in values]


def profit_and_loss() -> dict:
    """What QuickBooks shows for these books, March to May: Services (10) 120.00 of its own in March
    (the deposit), Consulting (11) 600.00 + 250.00 = 850.00 in March and -50.00 in April; nothing in
    May (say the May invoice was entered after the report was run); Interest Earned is Other Income."""
    months = [("2026-03-01", "2026-03-31", "Mar 2026"), ("2026-04-01", "2026-04-30", "Apr 2026"),
              ("2026-05-01", "2026-05-31", "May 2026")]
    return {
        "Header": {"Time": "2026-06-01T08:00:00-07:00", "ReportName": "ProfitAndLoss", "ReportBasis": "Accrual",
                   "StartPeriod": "2026-03-01", "EndPeriod": "2026-05-31", "SummarizeColumnsBy": "Month",
                   "Currency": "USD", "Option": [{"Name": "AccountingStandard", "Value": "GAAP"},
                                                {"Name": "NoReportData", "Value": "false"}]},
        "Columns": {"Column": [{"ColTitle": "", "ColType": "Account", "MetaData": [{"Name": "ColKey", "Value": "account"}]}]
                   + [{"ColTitle": key, "ColType": "Money", "MetaData": [{"Name": "StartDate", "Value": start},
                      {"Name": "EndDate", "Value": end}, {"Name": "ColKey", "Value": key}]} for start, end, key in months]
                   + [{"ColTitle": "Total", "ColType": "Money", "MetaData": [{"Name": "ColKey", "Value": "total"}]}]},
        "Rows": {"Row": [
            {"Header": {"ColData": cells("Income", "", "", "", "")}, "type": "Section", "group": "Income",
             "Rows": {"Row": [{"Header": {"ColData": cells("Services", "120.00", "", "", "120.00", account_id="10")},
                               "Rows": {"Row": [{"ColData": cells("Consulting", "850.00", "-50.00", "", "800.00",
                                                                  account_id="11"), "type": "Data"}]},
                               "Summary": {"ColData": cells("Total Services", "970.00", "-50.00", "0.00", "920.00")},
                               "type": "Section"}]},
             "Summary": {"ColData": cells("Total Income", "970.00", "-50.00", "0.00", "920.00")}},
            {"Summary": {"ColData": cells("Gross Profit", "970.00", "-50.00", "0.00", "920.00")}, "type": "Section",
             "group": "GrossProfit"},
            {"Header": {"ColData": cells("Other Income", "", "", "", "")}, "type": "Section", "group": "OtherIncome",
             "Rows": {"Row": [{"ColData": cells("Interest Earned", "15.00", "", "", "15.00", account_id="20"),
                               "type": "Data"}]},
             "Summary": {"ColData": cells("Total Other Income", "15.00", "0.00", "0.00", "15.00")}}]},
    }


@dataclass
class Authorizer:
    realm_id: str = REALM


class ReportOnly:
    """The one call fetch_income makes, answered with the report above: the parsing, windows and
    storing are the real ones (the sync tests run the whole path against the local stand-in)."""
    authorizer = Authorizer()
    policy = Policy()

    def __init__(self):
        self.asked: list[dict] = []

    def report(self, name: str, params: dict) -> dict:
        self.asked.append({"name": name, **params})
        return profit_and_loss()
