"""An incremental sync asks QuickBooks' ProfitAndLoss only for the months whose postings changed
(raw/posting_changes.sql; docs/DECISIONS.md, "What counts as a posting change"): a memo edited asks for none,
an amount edited, a document moved, deleted or new for the months it was and is in; a bill's month too, for the
cost tie-out. Each edit is made in the stand-in between two syncs (the first made once, copied), and the tie-out
still ties."""
from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal as D

import pytest

from tests.builders import item_line, sales_document
from tests.helpers import cli, query
from tests.qbo_helpers import copied_beside_its_tokens, connected, raw, stand_in, unpaced_command_line
from tests.server import free_port
from tests.tie_out_books import APRIL, MARCH, REALM, STAMP, account

# the command line's syncs unpaced, as the stand-in is: these tests are about which months are asked for
pytestmark = pytest.mark.usefixtures("unpaced")
JUNE = date(2026, 6, 1)
FETCHED = "select month, fetched_at from raw.qbo_profit_and_loss_months"


def books() -> dict:
    """Client A's invoice of 15 March (Support 1,000.00), credit memo of 20 April (200.00) and a bill of 10 March
    (hosting 80.00)."""
    return {
        "Account": [{**account("10", "Services", "Income"), "Classification": "Revenue"},
                    {**account("60", "Hosting", "Expense"), "Classification": "Expense"}],
        "Item": [{"Id": "1", "Name": "Support", "Type": "Service", "IncomeAccountRef": {"value": "10"}, **STAMP}],
        "Customer": [{"Id": "1", "DisplayName": "Client A", **STAMP}],
        "Vendor": [{"Id": "1", "DisplayName": "Hoster", **STAMP}],
        "Invoice": [sales_document(("1", "Client A"), "2026-03-15", [item_line("1000.00", ("1", "Support"))],
                                   Id="100", DocNumber="1001", **STAMP)],
        "CreditMemo": [sales_document(("1", "Client A"), "2026-04-20", [item_line("200.00", ("1", "Support"))],
                                      Id="200", **STAMP)],
        "Bill": [{"Id": "300", "TxnDate": "2026-03-10", "TotalAmt": D("80.00"), "VendorRef": {"value": "1"}, **STAMP,
                  "Line": [{"Id": "1", "Amount": D("80.00"), "DetailType": "AccountBasedExpenseLineDetail",
                            "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "60"}}}]}],
    }


def memo(company) -> None:
    """The invoice's memos, number and line description: nothing QuickBooks' ProfitAndLoss reads."""
    edited = copy.deepcopy(company.records["Invoice"]["100"])
    edited.update(PrivateNote="called the client", CustomerMemo={"value": "thank you"}, DocNumber="1001-A")
    edited["Line"][0]["Description"] = "Support, March"
    company.upsert("Invoice", edited)


def amount(company) -> None:
    edited = copy.deepcopy(company.records["Invoice"]["100"])
    edited["Line"][0].update(Amount=D("900.00"))
    edited["TotalAmt"] = D("900.00")
    company.upsert("Invoice", edited)


def moved(company) -> None:
    company.upsert("Invoice", {**company.records["Invoice"]["100"], "TxnDate": "2026-04-15"})


def deleted(company) -> None:
    company.delete("Invoice", "100")


def new(company) -> None:
    company.upsert("Invoice", sales_document(("1", "Client A"), "2026-06-03", [item_line("50.00", ("1", "Support"))],
                                             Id="101"))


def bill(company) -> None:
    edited = copy.deepcopy(company.records["Bill"]["300"])
    edited["Line"][0]["Amount"] = edited["TotalAmt"] = D("95.00")
    company.upsert("Bill", edited)


@pytest.fixture(scope="module")
def first_synced(tmp_path_factory):
    """The books after their first sync (full, its ProfitAndLoss, a build), made once for every case to copy: each
    case's own stand-in serves the same books, so the copy is what its own first sync would store, the cursor a
    little earlier (before the case's edit all the same, which its stand-in stamps with its clock's now)."""
    db = tmp_path_factory.mktemp("posting-changes") / "wh" / "warehouse.duckdb"
    server = stand_in()
    server.load(REALM, books())
    server.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            connected(db, server, free_port(), patch)
            unpaced_command_line(patch)
            assert cli("sync", "--db", db) == 0
    finally:
        server.stop()
    return db


@pytest.mark.parametrize("edit, months", [
    (memo, set()),
    (amount, {MARCH}),
    (moved, {MARCH, APRIL}),
    (deleted, {MARCH}),
    (new, {JUNE}),
    (bill, {MARCH}),
], ids=lambda value: getattr(value, "__name__", None))
def test_an_incremental_sync_asks_for_the_months_whose_postings_changed(db, monkeypatch, first_synced, edit, months):
    server = stand_in()
    company = server.load(REALM, books())
    server.start()
    try:
        connected(db, server, free_port(), monkeypatch)
        copied_beside_its_tokens(first_synced, db)
        first, asked = dict(raw(db, FETCHED)), len(server.stats.report_ranges)
        edit(company)
        assert cli("sync", "--db", db) == 0  # a failed tie-out check would make it 1
        windows = server.stats.report_ranges[asked:]
    finally:
        server.stop()
    again = dict(raw(db, FETCHED))
    assert first and {month for month, fetched in again.items() if fetched != first.get(month)} == months
    assert bool(windows) == bool(months)  # a memo asks for no window at all
    assert query(db, "select count(*) from marts.mart_tie_out where difference <> 0") == [(0,)]
    assert query(db, "select count(*) from marts.mart_cost_tie_out where difference <> 0") == [(0,)]
    assert query(db, "select failed_checks from marts.mart_build_info") == [([],)]
